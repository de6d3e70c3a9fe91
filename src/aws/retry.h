// The AWS SDKs' "standard" retry mode, as botocore implements it
// (botocore/retries/standard.py and quota.py, with botocore 1.43's default
// of AWS_NEW_RETRIES_2026 unset):
//
//   - an attempt that fails with a transient error (connection failure or
//     timeout, HTTP 500/502/503/504, RequestTimeout, RequestTimeoutException,
//     PriorRequestNotComplete) or a throttling error code (Throttling,
//     ThrottlingException, RequestThrottled, SlowDown, ... - the full list is
//     in retry.cc) is retried while fewer than `max_attempts` attempts (3)
//     have been made and the retry quota can pay for it;
//   - before attempt n+1 the caller sleeps `random[0,1) * min(2^(n-1), 20 s)`
//     (truncated binary exponential backoff with full jitter);
//   - the retry quota is a token bucket shared by every call of one client:
//     500 tokens; a retry costs 5, or 10 after a timeout; a call that succeeds
//     (HTTP 2xx) on its first attempt puts 1 back, one that succeeds after
//     retries puts back what its last retry cost; never above 500. A failed
//     call puts nothing back. So a client whose endpoint keeps failing stops
//     retrying after ~100 retries, until successes refill the bucket.
//
// Only error codes decide retries: SQS models no retryable errors of its own,
// so botocore's "modeled retryable" rule never applies. Note that SQS's
// KMS.ThrottlingException is not on botocore's list and is not retried.
//
// Usage, in the client's call loop (virtual time makes the sleep free):
//
//   RetryToken token;
//   for (int attempt = 1;; ++attempt) {
//     Result<HttpResponse> r = co_await SendOnce(request);
//     if (r.ok()) { retry.OnSuccess(token); co_return r; }
//     if (!retry.ShouldRetry(r.status(), attempt, token)) co_return r;
//     const Duration delay = retry.Backoff(attempt, env.rng());
//     co_await env.Sleep(delay);
//   }
//
// Thread safety: not thread-safe. One client owns one StandardRetryStrategy
// and calls it from its one strand.

#ifndef SQSIM_AWS_RETRY_H_
#define SQSIM_AWS_RETRY_H_

#include <chrono>

#include "sqsim/random.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// Why a failed attempt may be retried; the kind sets the retry's quota cost.
enum class RetryKind {
  kNotRetryable,
  kTransient,   // 5xx, connection errors, transient error codes
  kThrottling,  // a throttling error code
  kTimeout,     // the connection or the read timed out (kTimeout)
};

// Classifies a failed attempt. `http_status` is the response's status line
// when there was a response and the caller knows it (0: use
// `status.http_status()`, which is 0 for transport errors and for
// kUnknownError). The error code names checked are `status.query_code()` (the
// code botocore sees for SQS, a query-compatible service) and
// `status.json_type()`; for kUnknownError these are the raw wire names.
RetryKind ClassifyForRetry(const Status& status, int http_status = 0);

struct RetryOptions {
  // Attempts per call, the first included. Default: 3.
  int max_attempts = 3;
  // Cap on the backoff before jitter. Default: 20 s.
  Duration max_backoff = std::chrono::seconds(20);
  // Size of the retry quota bucket, and its starting level. Default: 500.
  int quota_capacity = 500;
  // Tokens a retry takes. Default: 5.
  int retry_cost = 5;
  // Tokens a retry after a timeout takes. Default: 10.
  int timeout_retry_cost = 10;
  // Tokens a first-attempt success puts back. Default: 1.
  int no_retry_increment = 1;
};

// A token bucket that caps retries across all calls of one client.
class RetryQuota {
 public:
  // REQUIRES: capacity >= 0. Starts full.
  explicit RetryQuota(int capacity);

  // Takes `amount` tokens and returns true, or returns false and takes none
  // when fewer than `amount` are left.
  bool Acquire(int amount);
  // Puts back up to `amount` tokens, never past the capacity.
  void Release(int amount);

  int available() const { return available_; }
  int capacity() const { return capacity_; }

 private:
  int capacity_;
  int available_;
};

// Per-call state the strategy keeps between attempts: what the last retry
// took from the quota, to put back if the call ends well.
struct RetryToken {
  int last_retry_cost = 0;  // 0: the call has not retried
};

class StandardRetryStrategy {
 public:
  explicit StandardRetryStrategy(RetryOptions options = {});

  // Decides whether to retry after attempt number `attempt` (1-based) failed
  // with `status`. Returns true - and takes the retry's cost from the quota,
  // recording it in `token` - when the error is retryable (see
  // ClassifyForRetry; `http_status` as there), `attempt < max_attempts`, and
  // the quota has the tokens. REQUIRES: !status.ok(), attempt >= 1.
  bool ShouldRetry(const Status& status, int attempt, RetryToken& token, int http_status = 0);

  // How long to wait before attempt `attempt + 1`:
  // `rng.NextDouble() * min(2^(attempt-1) s, max_backoff)`, in microseconds.
  // Draws one value from `rng`. REQUIRES: attempt >= 1.
  Duration Backoff(int attempt, Rng& rng) const;

  // Records that the call got an HTTP 2xx response, refunding the quota.
  void OnSuccess(const RetryToken& token);

  const RetryOptions& options() const { return options_; }
  const RetryQuota& quota() const { return quota_; }

 private:
  RetryOptions options_;
  RetryQuota quota_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_RETRY_H_
