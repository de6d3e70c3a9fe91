// A validated filter policy in the form the matcher reads.
//
// A policy is a list of rules (one per $or alternative, after distributing
// $or over the keys around it); a message matches when any rule does. A rule
// maps each key path ("a.b" for a nested body key) to its conditions; it
// matches when every path does, and a path matches when any of its conditions
// does.

#ifndef SQSIM_SRC_SNS_FILTER_RULES_H_
#define SQSIM_SRC_SNS_FILTER_RULES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sns/filter_values.h"
#include "sqsim/sns/filter_policy.h"

namespace sqsim::sns::internal {

struct Condition {
  enum class Kind : uint8_t {
    kExactString,         // "x"
    kExactNumber,         // 100: by key, or by text when either side has no key
    kLiteral,             // true, false or null (text holds which)
    kPrefix,              // {"prefix": "x"}
    kSuffix,              // {"suffix": "x"}
    kEqualsIgnoreCase,    // {"equals-ignore-case": "x"}
    kAnythingButStrings,  // {"anything-but": "x"} or ["x", "y"]
    kAnythingButNumbers,  // {"anything-but": 1} or [1, 2]
    kAnythingButPrefix,   // {"anything-but": {"prefix": "x"}}
    kNumericRange,        // {"numeric": [...]}
    kIpRange,             // {"cidr": "..."}, or an exact string that is an IP address
    kExists,              // {"exists": true}
    kAbsent,              // {"exists": false}
  };
  Kind kind = Kind::kExactString;
  std::string text;                  // string operand, number text or literal
  std::optional<int64_t> key;        // kExactNumber
  std::vector<std::string> strings;  // kAnythingButStrings
  std::vector<int64_t> keys;         // kAnythingButNumbers
  // kNumericRange: bounds by key, each open (strict) or closed.
  int64_t low = 0;
  bool low_open = false;
  int64_t high = 0;
  bool high_open = false;
  IpRange ip;  // kIpRange

  bool IsAnythingBut() const {
    return kind == Kind::kAnythingButStrings || kind == Kind::kAnythingButNumbers ||
           kind == Kind::kAnythingButPrefix;
  }
};

using Rule = std::map<std::string, std::vector<Condition>>;

struct CompiledPolicy {
  FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes;
  std::string json;         // as the caller set it
  std::vector<Rule> rules;  // empty: the policy is {} and matches every message
};

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_FILTER_RULES_H_
