#include "host/kms_gate.h"

#include <chrono>
#include <vector>

namespace sqsim::internal {

Status HostKmsGate::UseKey(const Queue& q, kms::DataKeyUse use, Action action, Timestamp now) {
  const std::string& key = *q.config.kms_master_key_id;
  std::string principal;
  if (caller_ != nullptr) {
    principal =
        caller_->principal.is_service() ? caller_->principal.service : caller_->principal.arn;
  }
  auto entry = std::make_tuple(q.arn, key, principal, use);
  if (auto cached = cache_.find(entry); cached != cache_.end() && now < cached->second) {
    return Status::Ok();  // the data key is reused: KMS is not asked
  }
  if (injector_.Decide({FaultEffect::kKmsThrottle}, action, q.name, now) != nullptr) {
    return Status(ErrorCode::kKmsThrottled,
                  "Rate exceeded: KMS throttled the data key request for " + q.arn + ".");
  }
  std::vector<iam::NamedPolicy> identity;
  if (caller_ != nullptr) identity = authorizer_.IdentityPoliciesOf(caller_->principal.arn);
  Status granted = keys_.RequestDataKey(key, q.arn, use, caller_, identity, now);
  if (!granted.ok()) return granted;
  cache_[entry] = now + std::chrono::seconds(q.config.kms_data_key_reuse_period_seconds);
  return Status::Ok();
}

}  // namespace sqsim::internal
