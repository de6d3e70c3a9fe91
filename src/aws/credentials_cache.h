// CredentialsCache: holds the credentials a client signs with and fetches
// new ones from its CredentialsProvider before they expire, with botocore's
// two windows before the expiration:
//   - advisory (15 minutes): try to refresh; if the refresh fails, or another
//     caller is already refreshing, keep using the current credentials (so
//     calls made while one refresh runs do not wait for it);
//   - mandatory (10 minutes): refresh, waiting for a refresh in progress; a
//     failure is returned to the caller.
// Credentials without an expiration are fetched once and kept. A refresh
// that returns credentials that have already expired is an error.
//
//   CredentialsCache cache(provider);
//   if (std::optional<aws::AwsCredentials> now_usable = cache.Current(now)) ...  // no I/O
//   Result<aws::AwsCredentials> credentials = cache.Get(now);  // may call Fetch
//
// Time is the caller's `now`, so tests move it without sleeping.
//
// Thread safety: thread-safe. Fetch runs under a lock of its own, so two
// callers never fetch at once, and Current() never waits for a Fetch.

#ifndef SQSIM_AWS_CREDENTIALS_CACHE_H_
#define SQSIM_AWS_CREDENTIALS_CACHE_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

inline constexpr Duration kAdvisoryRefreshWindow = std::chrono::minutes(15);
inline constexpr Duration kMandatoryRefreshWindow = std::chrono::minutes(10);

class CredentialsCache {
 public:
  // `initial`, when given, is used until it enters the advisory window (the
  // result of a Fetch the caller already made).
  explicit CredentialsCache(std::shared_ptr<aws::CredentialsProvider> provider,
                            std::optional<aws::AwsCredentials> initial = std::nullopt);

  CredentialsCache(const CredentialsCache&) = delete;
  CredentialsCache& operator=(const CredentialsCache&) = delete;

  // The credentials, when they can be used at `now` without waiting: before
  // the advisory window, or inside it while another caller refreshes them.
  // Never blocks on a Fetch.
  std::optional<aws::AwsCredentials> Current(Timestamp now) const;

  // Credentials to sign with at `now`, fetching as described above. Blocks
  // while fetching.
  Result<aws::AwsCredentials> Get(Timestamp now);

 private:
  enum class Need { kNone, kAdvisory, kMandatory };
  Need NeedAt(Timestamp now) const;  // REQUIRES: state_mutex_ held

  std::shared_ptr<aws::CredentialsProvider> provider_;
  std::mutex refresh_mutex_;             // held during Fetch; taken before state_mutex_
  std::atomic<bool> refreshing_{false};  // a Fetch is in flight
  mutable std::mutex state_mutex_;
  std::optional<aws::AwsCredentials> credentials_;  // guarded by state_mutex_
};

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_CREDENTIALS_CACHE_H_
