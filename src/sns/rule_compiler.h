// Validates a filter policy's structure and operators, and compiles it into
// rules, the way SNS does.
//
// SNS validates policies with AWS Event Ruler's JSON rule compiler: AWS's
// recorded answers (localstack's AWS-validated snapshots of
// test_sns_filter_policy.py) carry Ruler's messages word for word, and the
// columns they name are where Ruler's Jackson parser stood when it gave up.
// The recorded answers also date SNS's Ruler: anything-but takes a "prefix"
// object only ("Unsupported anything-but pattern: suffix") and the anything-but
// prefix error reads "prefix match pattern must be a string", as in Ruler
// before February 2023. This compiler walks the compact policy's tokens with a
// cursor that moves as Jackson's does, and checks in Ruler's order, so that
// the first error and its column are SNS's. Ruler's "exactly" and "wildcard"
// operators are not documented for SNS and are refused as unrecognized.

#ifndef SQSIM_SRC_SNS_RULE_COMPILER_H_
#define SQSIM_SRC_SNS_RULE_COMPILER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sns/filter_rules.h"
#include "sns/policy_json.h"

namespace sqsim::sns::internal {

struct RuleError {
  std::string message;           // Ruler's words, e.g. "Empty arrays are not allowed"
  std::optional<size_t> column;  // Jackson's column (1-based) when Ruler gave one
  // Ruler re-wraps some of its own errors, so Jackson appends the location
  // to the message twice.
  bool location_twice = false;
};

// Validates `policy` (non-empty). When `rules` is not null and the policy is
// valid, also fills it with the policy's rules, one per $or alternative.
// Callers validate first and build only after checking the policy's
// complexity, since $or alternatives multiply.
std::optional<RuleError> CompileRules(const CompactJson& policy, std::vector<Rule>* rules);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_RULE_COMPILER_H_
