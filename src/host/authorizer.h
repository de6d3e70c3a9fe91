// Authorizer: IAM evaluation of the calls a principal makes (through
// Simulator::ClientFor or one of sqsim-server's access keys), with the
// identity policies registered for principals and each queue's own Policy
// attribute, by sqsim::iam::Explain.
//
// A call made without a caller (the simulator's own client, the server
// without principals) is not evaluated at all: everything stays allowed and
// costs one branch.
//
// What each action is authorised against (its IAM resource):
//   - the queue a QueueUrl names, as arn:aws:sqs:REGION:ACCOUNT:NAME with the
//     account the URL's path names (another account's queue is a
//     cross-account request);
//   - CreateQueue and GetQueueUrl: the queue they name (GetQueueUrl's
//     QueueOwnerAWSAccountId, when given, is its account);
//   - the move-task actions: their source queue (the SourceArn, or the one a
//     TaskHandle carries);
//   - ListQueues, and a TaskHandle that cannot be read: "*".
// The queue's Policy applies when the queue exists here. IAM answers before
// the action runs, as AWS does: a denied call on a queue that does not exist
// is AccessDenied, not QueueDoesNotExist.
//
// Thread safety: none; the host serialises calls.

#ifndef SQSIM_HOST_AUTHORIZER_H_
#define SQSIM_HOST_AUTHORIZER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fault/request_queue_name.h"
#include "sim/engine.h"
#include "sqsim/actions.h"
#include "sqsim/iam.h"
#include "sqsim/options.h"

namespace sqsim::internal {

class Authorizer {
 public:
  explicit Authorizer(const SimulatorOptions& options) : options_(options) {}

  // Adds (or replaces) identity policy `name` of principal `principal_arn`
  // (a user, role or root ARN; a role's policies also apply to its STS
  // sessions). Errors: InvalidParameterValue for an empty ARN or name, and
  // ParsePolicy's error (InvalidAttributeValue) for a document that is not a
  // valid identity policy.
  Status PutIdentityPolicy(const std::string& principal_arn, const std::string& name,
                           std::string_view policy_json);
  // Removes identity policy `name` of `principal_arn`; false when absent.
  bool DeleteIdentityPolicy(const std::string& principal_arn, const std::string& name);
  // The identity policies that apply to `principal_arn`, in name order.
  std::vector<iam::NamedPolicy> IdentityPoliciesOf(const std::string& principal_arn) const;

  // OK when `caller` may make `request` at `now`; otherwise AccessDenied (HTTP
  // 403) with SQS's message naming the principal, the action and the queue.
  template <typename Request>
  Status Check(const iam::Caller& caller, Action action, const Request& request,
               const Engine& engine, Timestamp now) {
    return CheckResource(caller, action, ResourceOf(request), engine, now);
  }

  // The IAM resource of a call on `queue_url` (a URL or bare name), "*" for "".
  std::string ResourceForQueueUrl(std::string_view queue_url) const {
    return queue_url.empty() ? "*" : QueueUrlArn(queue_url);
  }

  // The evaluation behind Check, with the statements that decided it.
  iam::Explanation Explain(const iam::Caller& caller, Action action,
                           const std::string& resource_arn, const Engine& engine, Timestamp now);

 private:
  template <typename Request>
  std::string ResourceOf(const Request& request) const {
    if constexpr (requires { request.queue_url; }) {
      return QueueUrlArn(request.queue_url);
    } else if constexpr (requires { request.queue_owner_aws_account_id; }) {
      return QueueArnIn(request.queue_owner_aws_account_id.value_or(options_.account_id),
                        request.queue_name);
    } else if constexpr (requires { request.queue_name; }) {
      return QueueArnIn(options_.account_id, request.queue_name);
    } else if constexpr (requires { request.source_arn; }) {
      return request.source_arn;
    } else if constexpr (requires { request.task_handle; }) {
      return Engine::MoveTaskSourceArn(request.task_handle).value_or("*");
    } else {
      return "*";
    }
  }
  std::string QueueUrlArn(std::string_view queue_url) const;
  std::string QueueArnIn(std::string_view account, std::string_view name) const;
  Status CheckResource(const iam::Caller& caller, Action action, const std::string& resource_arn,
                       const Engine& engine, Timestamp now);
  // The parsed Policy of the queue `resource_arn` names, or nullptr when the
  // queue is not here or has none.
  const iam::PolicyDocument* QueuePolicy(const std::string& resource_arn, const Engine& engine);

  const SimulatorOptions& options_;
  // principal ARN -> policy name -> policy.
  std::map<std::string, std::map<std::string, iam::PolicyDocument>> identity_;
  // Each queue's Policy as last parsed, by queue name, with the text it came
  // from (re-parsed when SetQueueAttributes changes it).
  struct ParsedPolicy {
    std::string text;
    iam::PolicyDocument document;
  };
  std::map<std::string, ParsedPolicy> queue_policies_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_HOST_AUTHORIZER_H_
