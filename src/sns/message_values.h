// The values a message offers to a filter policy.
//
// Ruler flattens a JSON document into leaf values named by their key path
// ("a.b" for {"a": {"b": 1}}); arrays add no name, each element being one
// more value of the key holding the array, and every value remembers which
// element of which array it came from, so that keys matched inside one array
// can be required to come from the same element. String values and JSON
// numbers stay distinct: a string matches only string conditions, a number
// only numeric ones.

#ifndef SQSIM_SRC_SNS_MESSAGE_VALUES_H_
#define SQSIM_SRC_SNS_MESSAGE_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sqsim::sns::internal {

struct Value {
  enum class Type : uint8_t { kString, kNumber, kTrue, kFalse, kNull };
  Type type = Type::kNull;
  std::string text;            // the string, or the number as written
  std::optional<int64_t> key;  // numbers within Ruler's range
};

// A value of the body with the (array id, element index) of every array
// around it, outermost first.
struct Leaf {
  Value value;
  std::vector<std::pair<uint32_t, uint32_t>> elements;
};

using LeavesByPath = std::unordered_map<std::string, std::vector<Leaf>>;

// The leaves of `json` at the key paths in `wanted`, when `json` is a JSON
// document whose top level is an object (`root_is_array` false) or an array
// (true); nullopt otherwise. Leaves directly in a top-level array have the
// empty path.
std::optional<LeavesByPath> CollectLeaves(std::string_view json, bool root_is_array,
                                          const std::unordered_set<std::string>& wanted);

// A number value from its text ("3.015e2"), with its key when in range.
Value NumberValue(std::string text);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_MESSAGE_VALUES_H_
