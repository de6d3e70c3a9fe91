#include "host/authorizer.h"

#include <utility>

#include "sim/policy.h"

namespace sqsim::internal {

Status Authorizer::PutIdentityPolicy(const std::string& principal_arn, const std::string& name,
                                     std::string_view policy_json) {
  if (principal_arn.empty() || !principal_arn.starts_with("arn:")) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "An identity policy needs the principal's ARN, got '" + principal_arn + "'.");
  }
  if (name.empty()) {
    return Status(ErrorCode::kInvalidParameterValue, "An identity policy needs a name.");
  }
  Result<iam::PolicyDocument> parsed = iam::ParsePolicy(policy_json, iam::PolicyKind::kIdentity);
  if (!parsed.ok()) return parsed.status();
  identity_[principal_arn][name] = std::move(parsed).value();
  return Status::Ok();
}

bool Authorizer::DeleteIdentityPolicy(const std::string& principal_arn, const std::string& name) {
  auto it = identity_.find(principal_arn);
  if (it == identity_.end() || it->second.erase(name) == 0) return false;
  if (it->second.empty()) identity_.erase(it);
  return true;
}

std::vector<iam::NamedPolicy> Authorizer::IdentityPoliciesOf(
    const std::string& principal_arn) const {
  // A role session acts with its role's policies.
  const std::string owner = iam::RoleOfSession(principal_arn).value_or(principal_arn);
  std::vector<iam::NamedPolicy> out;
  auto it = identity_.find(owner);
  if (it == identity_.end()) return out;
  for (const auto& [name, document] : it->second) out.push_back({name, document});
  return out;
}

std::string Authorizer::QueueArnIn(std::string_view account, std::string_view name) const {
  return FormatQueueArn(options_.region, account, name);
}

std::string Authorizer::QueueUrlArn(std::string_view queue_url) const {
  // <scheme>://<host>/<account>/<name> names its account; a bare name or a
  // path without one is this account's queue.
  std::string_view account = options_.account_id;
  std::string_view path = queue_url;
  if (const size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    path.remove_prefix(scheme + 3);
    const size_t slash = path.find('/');
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  if (path.starts_with('/')) path.remove_prefix(1);
  if (const size_t sep = path.find('/'); sep != std::string_view::npos && sep > 0) {
    account = path.substr(0, sep);
  }
  return QueueArnIn(account, LastSegment(queue_url, '/'));
}

const iam::PolicyDocument* Authorizer::QueuePolicy(const std::string& resource_arn,
                                                   const Engine& engine) {
  std::optional<QueueArn> arn = ParseQueueArn(resource_arn);
  if (!arn || arn->region != options_.region || arn->account != options_.account_id) {
    return nullptr;
  }
  const Queue* queue = engine.InspectQueue(arn->name);
  if (queue == nullptr || !queue->config.policy || queue->config.policy->empty()) return nullptr;
  ParsedPolicy& cached = queue_policies_[arn->name];
  if (cached.text != *queue->config.policy || cached.document.statements.empty()) {
    Result<iam::PolicyDocument> parsed =
        iam::ParsePolicy(*queue->config.policy, iam::PolicyKind::kResource);
    // SetQueueAttributes accepted the document, so it parses; should the two
    // validators ever disagree, the queue is treated as having no policy
    // (its identity policies still decide) rather than failing every call.
    if (!parsed.ok()) return nullptr;
    cached = {*queue->config.policy, std::move(parsed).value()};
  }
  return &cached.document;
}

iam::Explanation Authorizer::Explain(const iam::Caller& caller, Action action,
                                     const std::string& resource_arn, const Engine& engine,
                                     Timestamp now) {
  iam::Request request{.principal = caller.principal,
                       .action = std::string(ActionName(action)),
                       .resource_arn = resource_arn,
                       .context = caller.context};
  request.context.current_time = now;
  request.context.region = options_.region;
  const std::vector<iam::NamedPolicy> identity = IdentityPoliciesOf(caller.principal.arn);
  return iam::Explain(request, identity, QueuePolicy(resource_arn, engine));
}

Status Authorizer::CheckResource(const iam::Caller& caller, Action action,
                                 const std::string& resource_arn, const Engine& engine,
                                 Timestamp now) {
  iam::Explanation explanation = Explain(caller, action, resource_arn, engine, now);
  if (explanation.allowed()) return Status::Ok();
  return Status(ErrorCode::kAccessDenied, std::move(explanation.message));
}

}  // namespace sqsim::internal
