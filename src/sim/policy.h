// The JSON-valued queue attributes: Policy (with AddPermission and
// RemovePermission statements), RedrivePolicy and RedriveAllowPolicy.
//
// SQS defines these attributes as JSON documents, so parsing them is part of
// the queue semantics; this is the only place in the engine that parses JSON
// (Boost.JSON, header-only). ARNs are parsed here too.

#ifndef SQSIM_SIM_POLICY_H_
#define SQSIM_SIM_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"

namespace sqsim::internal {

// arn:<partition>:sqs:<region>:<account>:<queue name>
struct QueueArn {
  std::string partition;
  std::string region;
  std::string account;
  std::string name;
};
std::optional<QueueArn> ParseQueueArn(std::string_view arn);
std::string FormatQueueArn(std::string_view region, std::string_view account,
                           std::string_view name);

struct RedrivePolicy {
  std::string dead_letter_target_arn;
  int max_receive_count = 0;
  // The JSON as GetQueueAttributes returns it: normalised, with
  // maxReceiveCount a number.
  std::string rendered;
};

// Parses a RedrivePolicy value. Both keys are required; maxReceiveCount is a
// number or a numeric string in 1..1000. Errors are InvalidParameterValue
// "Value <json> for parameter RedrivePolicy is invalid. Reason: <why>."
Result<RedrivePolicy> ParseRedrivePolicy(std::string_view json);

struct RedriveAllowPolicy {
  enum class Permission { kAllowAll, kDenyAll, kByQueue };
  Permission permission = Permission::kAllowAll;
  std::vector<std::string> source_queue_arns;  // kByQueue only, 1..10
  std::string rendered;

  // Whether a queue with ARN `source_arn` may use this queue as its DLQ.
  bool Allows(std::string_view source_arn) const;
};

// Parses a RedriveAllowPolicy value. Errors are InvalidParameterValue
// "Value <json> for parameter RedriveAllowPolicy is invalid. Reason: <why>."
Result<RedriveAllowPolicy> ParseRedriveAllowPolicy(std::string_view json);

// Checks a Policy document: a JSON object of at most 8,192 bytes with a
// Statement (object or array) of at most 20 statements. Errors are
// InvalidAttributeValue "Invalid value for the parameter Policy. Reason: ...".
Status ValidatePolicyDocument(std::string_view json);

// Adds the statement AddPermission creates (Sid = label, Allow, principals
// arn:aws:iam::<account>:root, actions "SQS:<action>", resource = queue ARN)
// to `policy` (absent: a new 2008-10-17 document with Id
// "<queue arn>/SQSDefaultPolicy"). Errors: InvalidParameterValue for a label
// already present; OverLimit beyond 20 statements.
Result<std::string> AddPermissionStatement(const std::optional<std::string>& policy,
                                           std::string_view queue_arn, std::string_view label,
                                           const std::vector<std::string>& account_ids,
                                           const std::vector<std::string>& actions);

// Removes the statement whose Sid is `label`. Returns the new document, or
// nullopt when no statement is left (SQS then drops the Policy attribute).
// InvalidParameterValue "Value <label> for parameter Label is invalid.
// Reason: can't find label." when there is no such statement.
Result<std::optional<std::string>> RemovePermissionStatement(
    const std::optional<std::string>& policy, std::string_view label);

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_POLICY_H_
