// The documented limits on a filter policy's shape ("Filter policy
// constraints"), measured on its tree after Ruler's checks passed.

#ifndef SQSIM_SRC_SNS_POLICY_LIMITS_H_
#define SQSIM_SRC_SNS_POLICY_LIMITS_H_

#include <cstdint>

#include "sns/policy_json.h"

namespace sqsim::sns::internal {

// Keys of the top-level object ("$or" counts as one): at most 5. For a nested
// policy "only parent keys are counted".
int TopLevelKeyCount(const JsonNode& policy);

// Whether any key (inside $or alternatives too) holds an object: refused in
// the MessageAttributes scope.
bool HasNestedKey(const JsonNode& policy);

// The policy's "total combination of values", at most 150. The documented
// rule: multiply the number of values of each key's array; for a nested key,
// also multiply by how deep the key is ({"a": {"b": {"c": [4 values]}},
// "d": {"e": [3 values]}} gives 3 x 4 x 2 x 3 = 72). AWS's recorded answers
// for $or add up the alternatives, each multiplied by the keys before it
// (localstack's test_policy_complexity_with_or: 152 and 160 refused, 150
// accepted). Saturates instead of overflowing.
uint64_t Combinations(const JsonNode& policy);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_POLICY_LIMITS_H_
