// SNS subscription filter policies: validation as SNS does it, and matching.
//
// A subscription's FilterPolicy is a JSON object that decides which published
// messages the subscription receives. Its FilterPolicyScope says what the
// policy looks at: the message attributes (the default) or the message body,
// which must then be a JSON object. ParseFilterPolicy validates a policy and
// returns SNS's own error for an invalid one; Matches decides delivery.
//
// What a policy can say (AWS SNS Developer Guide, "Amazon SNS message
// filtering"; the validation rules and messages follow AWS's recorded answers):
//   {"key": ["a", 1, true, null]}   exact values: strings match string values,
//                                   numbers match numeric values by value
//   {"prefix": "a"}, {"suffix": "a"}, {"equals-ignore-case": "a"}
//   {"anything-but": "a"}, ["a", "b"], 1, [1, 2], {"prefix": "a"}
//   {"numeric": ["=", 1]}, [">", 0, "<=", 5] (also "<", ">=")
//   {"exists": true} / {"exists": false}
//   {"cidr": "10.0.0.0/24"} (IPv4 and IPv6)
//   "$or": [{...}, {...}]           alternatives
// Keys are ANDed; the values listed for one key are ORed. A body policy may
// nest objects to reach nested body keys ({"a": {"b": [...]}} looks at a.b).
//
// Deliberate choices where SNS is silent (see src/sns/*.cc for why):
//   - Duplicate keys in a policy: the last value wins, at the first key's place.
//   - Attributes: String and String.Array values are strings (String.Array
//     elements keep their JSON type), Number values are numbers, Binary
//     attributes are ignored as if absent. A String.Array matches when any
//     element matches, except anything-but, which needs every element to pass.
//   - Body: nested keys flatten to dotted paths, so {"a.b": [...]} also
//     looks at {"a": {"b": ...}}; an array's elements are each a value of the
//     key holding the array; keys matched inside the same array must come from
//     the same element of it.
//
// Thread safety: FilterPolicy is an immutable value; share it freely.

#ifndef SQSIM_SNS_FILTER_POLICY_H_
#define SQSIM_SNS_FILTER_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sqsim/status.h"

namespace sqsim::sns {

enum class FilterPolicyScope : uint8_t { kMessageAttributes, kMessageBody };

// The call that sets the policy. SNS words the same error differently for
// each: "Invalid parameter: FilterPolicy: ..." from SetSubscriptionAttributes,
// "Invalid parameter: Attributes Reason: FilterPolicy: ..." from Subscribe.
enum class FilterPolicyCall : uint8_t { kSetSubscriptionAttributes, kSubscribe };

// "MessageAttributes" or "MessageBody", as SNS spells the attribute value.
std::string_view FilterPolicyScopeName(FilterPolicyScope scope);
// The scope named exactly so, or SNS's InvalidParameter: "Invalid parameter:
// FilterPolicyScope: Invalid value [x]. Please use either MessageBody or
// MessageAttributes".
Result<FilterPolicyScope> ParseFilterPolicyScope(
    std::string_view name, FilterPolicyCall call = FilterPolicyCall::kSetSubscriptionAttributes);

// Documented limits ("Filter policy constraints").
inline constexpr size_t kMaxFilterPolicyBytes = 256 * 1024;
inline constexpr int kMaxFilterPolicyKeys = 5;  // top-level keys, either scope
inline constexpr int kMaxFilterPolicyCombinations = 150;

namespace internal {
struct CompiledPolicy;
}  // namespace internal

// A validated filter policy.
class FilterPolicy {
 public:
  // For ParseFilterPolicy; callers get policies from it.
  explicit FilterPolicy(std::shared_ptr<const internal::CompiledPolicy> compiled);

  FilterPolicyScope scope() const;
  // The policy exactly as it was set: SNS returns it unchanged from
  // GetSubscriptionAttributes.
  const std::string& json() const;
  // True for "{}", which SNS documents as removing filtering.
  bool matches_everything() const;

  const internal::CompiledPolicy& compiled() const { return *compiled_; }

 private:
  std::shared_ptr<const internal::CompiledPolicy> compiled_;
};

// Validates `json` as a filter policy of `scope`. On failure returns
// ErrorCode::kInvalidParameter (HTTP 400) with SNS's message, for example
//   Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys
//   Invalid parameter: FilterPolicy: Unrecognized match type wrong
//    at [Source: (String)"{"key":[{"wrong":1}]}"; line: 1, column: 21]
// (SNS re-serializes the policy compactly and quotes that text and column.)
// The empty string is not a policy: SNS treats an empty FilterPolicy
// attribute as removing the policy, which is the caller's business.
Result<FilterPolicy> ParseFilterPolicy(
    std::string_view json, FilterPolicyScope scope,
    FilterPolicyCall call = FilterPolicyCall::kSetSubscriptionAttributes);

// One message attribute as published: DataType "String", "Number", "Binary"
// or "String.Array" (or a custom "String.x", "Number.x", "Binary.x"), and its
// value (a JSON array for String.Array; Binary values are not looked at).
struct MessageAttributeView {
  std::string_view name;
  std::string_view data_type;
  std::string_view value;
};

struct MessageView {
  std::span<const MessageAttributeView> attributes;  // names are unique
  std::string_view body;
};

// Whether SNS delivers `message` to a subscription with `policy`. Looks at
// the attributes or at the body, by the policy's scope; a body that is not a
// JSON object matches no policy but "{}". Deterministic; never fails.
bool Matches(const FilterPolicy& policy, const MessageView& message);

}  // namespace sqsim::sns

#endif  // SQSIM_SNS_FILTER_POLICY_H_
