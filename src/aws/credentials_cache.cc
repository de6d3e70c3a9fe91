#include "aws/credentials_cache.h"

#include <string>
#include <utility>

namespace sqsim::internal {

CredentialsCache::CredentialsCache(std::shared_ptr<aws::CredentialsProvider> provider,
                                   std::optional<aws::AwsCredentials> initial)
    : provider_(std::move(provider)), credentials_(std::move(initial)) {}

CredentialsCache::Need CredentialsCache::NeedAt(Timestamp now) const {
  if (!credentials_) return Need::kMandatory;
  if (!credentials_->expiration) return Need::kNone;
  const Duration left = *credentials_->expiration - now;
  if (left <= kMandatoryRefreshWindow) return Need::kMandatory;
  if (left <= kAdvisoryRefreshWindow) return Need::kAdvisory;
  return Need::kNone;
}

std::optional<aws::AwsCredentials> CredentialsCache::Current(Timestamp now) const {
  std::lock_guard<std::mutex> lock(state_mutex_);
  const Need need = NeedAt(now);
  if (need == Need::kNone || (need == Need::kAdvisory && refreshing_.load())) return credentials_;
  return std::nullopt;
}

Result<aws::AwsCredentials> CredentialsCache::Get(Timestamp now) {
  Need need;
  {
    std::lock_guard<std::mutex> lock(state_mutex_);
    need = NeedAt(now);
    if (need == Need::kNone) return *credentials_;
  }
  std::unique_lock<std::mutex> refreshing(refresh_mutex_, std::defer_lock);
  if (need == Need::kAdvisory) {
    // Someone else is refreshing; the current credentials are still good.
    if (!refreshing.try_lock()) {
      std::lock_guard<std::mutex> lock(state_mutex_);
      return *credentials_;
    }
  } else {
    refreshing.lock();
  }
  std::optional<aws::AwsCredentials> previous;
  {
    // A refresh that finished while this caller waited may have done the job.
    std::lock_guard<std::mutex> lock(state_mutex_);
    need = NeedAt(now);
    if (need == Need::kNone) return *credentials_;
    previous = credentials_;
  }
  refreshing_ = true;
  Result<aws::AwsCredentials> fetched = provider_->Fetch();
  refreshing_ = false;
  if (fetched.ok() && fetched->expiration && *fetched->expiration <= now) {
    fetched = Status(ErrorCode::kMissingAuthenticationToken,
                     "the credentials provider returned credentials that expired at " +
                         FormatTimestamp(*fetched->expiration) + ", before now (" +
                         FormatTimestamp(now) + ")");
  }
  if (!fetched.ok()) {
    if (need == Need::kAdvisory) return *previous;  // botocore: keep them until mandatory
    return fetched.status();
  }
  std::lock_guard<std::mutex> lock(state_mutex_);
  credentials_ = *fetched;
  return std::move(fetched).value();
}

}  // namespace sqsim::internal
