#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace sqsim::internal {
namespace {

// botocore TransientRetryableChecker._TRANSIENT_ERROR_CODES.
constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"};

// botocore ThrottledRetryableChecker._THROTTLED_ERROR_CODES.
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return !name.empty() && std::find(list.begin(), list.end(), name) != list.end();
}

bool IsTransientHttpStatus(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

}  // namespace

RetryKind ClassifyForRetry(const Status& status, int http_status) {
  if (status.ok()) return RetryKind::kNotRetryable;
  if (status.code() == ErrorCode::kTimeout) return RetryKind::kTimeout;
  if (status.code() == ErrorCode::kNetworkError) return RetryKind::kTransient;
  const std::string_view names[] = {status.query_code(), status.json_type()};
  for (std::string_view name : names) {
    if (Contains(kThrottlingCodes, name)) return RetryKind::kThrottling;
  }
  for (std::string_view name : names) {
    if (Contains(kTransientCodes, name)) return RetryKind::kTransient;
  }
  if (IsTransientHttpStatus(http_status != 0 ? http_status : status.http_status())) {
    return RetryKind::kTransient;
  }
  return RetryKind::kNotRetryable;
}

RetryQuota::RetryQuota(int capacity) : capacity_(capacity), available_(capacity) {
  SQSIM_ASSERT(capacity >= 0, "RetryQuota capacity must not be negative");
}

bool RetryQuota::Acquire(int amount) {
  if (amount > available_) return false;
  available_ -= amount;
  return true;
}

void RetryQuota::Release(int amount) { available_ = std::min(capacity_, available_ + amount); }

StandardRetryStrategy::StandardRetryStrategy(RetryOptions options)
    : options_(options), quota_(options.quota_capacity) {}

bool StandardRetryStrategy::ShouldRetry(const Status& status, int attempt, RetryToken& token,
                                        int http_status) {
  SQSIM_ASSERT(!status.ok(), "ShouldRetry needs a failed attempt");
  SQSIM_ASSERT(attempt >= 1, "attempts count from 1");
  // botocore checks max attempts first, so a call that is out of attempts
  // never touches the quota.
  if (attempt >= options_.max_attempts) return false;
  const RetryKind kind = ClassifyForRetry(status, http_status);
  if (kind == RetryKind::kNotRetryable) return false;
  const int cost = kind == RetryKind::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
  if (!quota_.Acquire(cost)) return false;
  token.last_retry_cost = cost;
  return true;
}

Duration StandardRetryStrategy::Backoff(int attempt, Rng& rng) const {
  SQSIM_ASSERT(attempt >= 1, "attempts count from 1");
  const double cap_seconds = std::chrono::duration<double>(options_.max_backoff).count();
  // 2^62 s is far past any cap; clamping the exponent keeps ldexp finite.
  const double ceiling = std::min(std::ldexp(1.0, std::min(attempt - 1, 62)), cap_seconds);
  const double seconds = rng.NextDouble() * ceiling;
  return Duration(static_cast<int64_t>(seconds * 1e6));
}

void StandardRetryStrategy::OnSuccess(const RetryToken& token) {
  quota_.Release(token.last_retry_cost == 0 ? options_.no_retry_increment : token.last_retry_cost);
}

}  // namespace sqsim::internal
