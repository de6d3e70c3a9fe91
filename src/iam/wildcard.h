// Case folding and the wildcard matching IAM uses for actions, resources and
// the *Like / Arn* condition operators.

#ifndef SQSIM_IAM_WILDCARD_H_
#define SQSIM_IAM_WILDCARD_H_

#include <string>
#include <string_view>

namespace sqsim::iam::internal {

// ASCII lower case: IAM names are ASCII, and locale-free folding keeps
// results identical on every machine.
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Whether `text` matches `pattern`, where `*` matches any run of characters
// (including none) and `?` exactly one; every other character matches itself.
// Case-sensitive; compare AsciiLower'ed strings for case-insensitive matching.
bool WildcardMatch(std::string_view pattern, std::string_view text);

// ARN matching as ArnLike and the Resource element do it: both are split into
// their six colon-separated fields (the last keeps any further colons) and
// each field is wildcard-matched on its own, so `*` never spans a colon
// between fields. A pattern of fewer than six fields that starts "arn:"
// matches nothing; any other non-ARN pattern ("*") is matched as a whole.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
bool ArnMatch(std::string_view pattern, std::string_view arn);

}  // namespace sqsim::iam::internal

#endif  // SQSIM_IAM_WILDCARD_H_
