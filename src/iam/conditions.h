// The Condition element's operators: checking a condition when a policy is
// parsed, and deciding whether it holds for a request.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html

#ifndef SQSIM_IAM_CONDITIONS_H_
#define SQSIM_IAM_CONDITIONS_H_

#include <optional>
#include <string>
#include <string_view>

#include "sqsim/iam.h"

namespace sqsim::iam::internal {

// Why `condition` cannot be evaluated (unknown operator, a value the operator
// cannot read, a qualifier the operator does not take), or nullopt when it can.
std::optional<std::string> CheckCondition(const Condition& condition);

// Whether `condition` holds for `request`. REQUIRES: CheckCondition passed.
//
// With the key's request values R and the policy values V, and match(r) =
// "some v in V matches r":
//   - Null: "true" holds when R is empty, "false" when it is not.
//   - R empty: ...IfExists holds; otherwise ForAllValues holds, ForAnyValue
//     fails, and a plain operator holds exactly when it is negated
//     (StringNotEquals, ArnNotLike, NotIpAddress, ...).
//   - Positive operators: some r matches (ForAllValues: every r matches).
//   - Negated operators: no r matches (ForAnyValue: some r does not match).
// A request value the operator cannot read (a number that is not one) matches
// no policy value.
bool ConditionHolds(const Condition& condition, const Request& request);

}  // namespace sqsim::iam::internal

#endif  // SQSIM_IAM_CONDITIONS_H_
