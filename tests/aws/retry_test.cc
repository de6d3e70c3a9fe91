#include "aws/retry.h"

#include <gtest/gtest.h>

#include <chrono>

#include "sqsim/random.h"

namespace sqsim::internal {
namespace {

using std::chrono::seconds;

Status Error(ErrorCode code) { return Status(code, "test"); }

Status Unknown(std::string name) {
  Status status(ErrorCode::kUnknownError, "test");
  status.set_wire_names(name, name);
  return status;
}

TEST(RetryClassify, ThrottlingCodesAreThrottling) {
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kThrottlingException)), RetryKind::kThrottling);
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kRequestThrottled)), RetryKind::kThrottling);
  for (const char* name : {"Throttling", "ThrottledException", "TooManyRequestsException",
                           "ProvisionedThroughputExceededException", "SlowDown",
                           "RequestLimitExceeded", "EC2ThrottledException"}) {
    EXPECT_EQ(ClassifyForRetry(Unknown(name)), RetryKind::kThrottling) << name;
  }
}

TEST(RetryClassify, ServerErrorsAndTransportFailuresAreTransient) {
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kInternalFailure)), RetryKind::kTransient);
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kServiceUnavailable)), RetryKind::kTransient);
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kNetworkError)), RetryKind::kTransient);
  EXPECT_EQ(ClassifyForRetry(Unknown("RequestTimeout")), RetryKind::kTransient);
  EXPECT_EQ(ClassifyForRetry(Unknown("RequestTimeoutException")), RetryKind::kTransient);
}

TEST(RetryClassify, TimeoutIsItsOwnKind) {
  EXPECT_EQ(ClassifyForRetry(Error(ErrorCode::kTimeout)), RetryKind::kTimeout);
}

TEST(RetryClassify, ResponseStatusDecidesForUnknownErrors) {
  for (int status : {500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyForRetry(Unknown("Whatever"), status), RetryKind::kTransient) << status;
  }
  EXPECT_EQ(ClassifyForRetry(Unknown("Whatever"), 501), RetryKind::kNotRetryable);
  EXPECT_EQ(ClassifyForRetry(Unknown("Whatever"), 400), RetryKind::kNotRetryable);
  EXPECT_EQ(ClassifyForRetry(Unknown("Whatever")), RetryKind::kNotRetryable);
}

TEST(RetryClassify, ClientErrorsAreNotRetryable) {
  for (ErrorCode code : {ErrorCode::kQueueDoesNotExist, ErrorCode::kInvalidParameterValue,
                         ErrorCode::kSignatureDoesNotMatch, ErrorCode::kAccessDenied,
                         ErrorCode::kOverLimit, ErrorCode::kMalformedResponse,
                         ErrorCode::kKmsThrottled, ErrorCode::kReceiptHandleIsInvalid}) {
    EXPECT_EQ(ClassifyForRetry(Error(code)), RetryKind::kNotRetryable) << GetErrorInfo(code).name;
  }
}

TEST(RetryQuota, AcquireFailsWithoutTakingWhenShort) {
  RetryQuota quota(12);
  EXPECT_TRUE(quota.Acquire(10));
  EXPECT_FALSE(quota.Acquire(5));
  EXPECT_EQ(quota.available(), 2);
}

TEST(RetryQuota, ReleaseNeverExceedsCapacity) {
  RetryQuota quota(500);
  ASSERT_TRUE(quota.Acquire(5));
  quota.Release(10);
  EXPECT_EQ(quota.available(), 500);
}

TEST(StandardRetry, RetriesUntilMaxAttempts) {
  StandardRetryStrategy retry;
  RetryToken token;
  const Status failure = Error(ErrorCode::kServiceUnavailable);
  EXPECT_TRUE(retry.ShouldRetry(failure, 1, token));
  EXPECT_TRUE(retry.ShouldRetry(failure, 2, token));
  EXPECT_FALSE(retry.ShouldRetry(failure, 3, token));
  EXPECT_EQ(retry.quota().available(), 490);
}

TEST(StandardRetry, MaxAttemptsIsAnOption) {
  StandardRetryStrategy retry(RetryOptions{.max_attempts = 5});
  RetryToken token;
  const Status failure = Error(ErrorCode::kThrottlingException);
  for (int attempt = 1; attempt < 5; ++attempt) {
    EXPECT_TRUE(retry.ShouldRetry(failure, attempt, token)) << attempt;
  }
  EXPECT_FALSE(retry.ShouldRetry(failure, 5, token));
}

TEST(StandardRetry, NonRetryableErrorTakesNoQuota) {
  StandardRetryStrategy retry;
  RetryToken token;
  EXPECT_FALSE(retry.ShouldRetry(Error(ErrorCode::kQueueDoesNotExist), 1, token));
  EXPECT_EQ(retry.quota().available(), 500);
  EXPECT_EQ(token.last_retry_cost, 0);
}

TEST(StandardRetry, TimeoutRetryCostsTen) {
  StandardRetryStrategy retry;
  RetryToken token;
  EXPECT_TRUE(retry.ShouldRetry(Error(ErrorCode::kTimeout), 1, token));
  EXPECT_EQ(retry.quota().available(), 490);
  EXPECT_EQ(token.last_retry_cost, 10);
}

TEST(StandardRetry, ExhaustedQuotaStopsRetries) {
  StandardRetryStrategy retry;
  const Status failure = Error(ErrorCode::kInternalFailure);
  int retries = 0;
  for (int call = 0; call < 200; ++call) {
    RetryToken token;
    for (int attempt = 1; retry.ShouldRetry(failure, attempt, token); ++attempt) ++retries;
  }
  EXPECT_EQ(retries, 100);  // 500 tokens / 5 per retry
  EXPECT_EQ(retry.quota().available(), 0);
  RetryToken token;
  EXPECT_FALSE(retry.ShouldRetry(failure, 1, token));
}

TEST(StandardRetry, FirstAttemptSuccessRefundsOne) {
  StandardRetryStrategy retry;
  RetryToken failed;
  ASSERT_TRUE(retry.ShouldRetry(Error(ErrorCode::kInternalFailure), 1, failed));
  ASSERT_EQ(retry.quota().available(), 495);
  retry.OnSuccess(RetryToken{});
  EXPECT_EQ(retry.quota().available(), 496);
}

TEST(StandardRetry, SuccessAfterRetriesRefundsTheLastRetryCost) {
  StandardRetryStrategy retry;
  RetryToken token;
  ASSERT_TRUE(retry.ShouldRetry(Error(ErrorCode::kInternalFailure), 1, token));
  ASSERT_TRUE(retry.ShouldRetry(Error(ErrorCode::kTimeout), 2, token));
  ASSERT_EQ(retry.quota().available(), 485);
  retry.OnSuccess(token);
  EXPECT_EQ(retry.quota().available(), 495);
}

TEST(StandardRetry, RefundsReopenAnExhaustedQuota) {
  StandardRetryStrategy retry(RetryOptions{.quota_capacity = 5});
  RetryToken first;
  ASSERT_TRUE(retry.ShouldRetry(Error(ErrorCode::kInternalFailure), 1, first));
  RetryToken second;
  ASSERT_FALSE(retry.ShouldRetry(Error(ErrorCode::kInternalFailure), 1, second));
  retry.OnSuccess(first);
  EXPECT_TRUE(retry.ShouldRetry(Error(ErrorCode::kInternalFailure), 1, second));
}

TEST(StandardRetry, BackoffStaysWithinTheExponentialCeiling) {
  StandardRetryStrategy retry;
  SeededRng rng(7);
  for (int attempt = 1; attempt <= 10; ++attempt) {
    const Duration ceiling = std::min<Duration>(seconds(1LL << (attempt - 1)), seconds(20));
    for (int i = 0; i < 200; ++i) {
      const Duration d = retry.Backoff(attempt, rng);
      EXPECT_GE(d, Duration::zero());
      EXPECT_LT(d, ceiling) << "attempt " << attempt;
    }
  }
}

TEST(StandardRetry, BackoffGrowsWithAttempts) {
  StandardRetryStrategy retry;
  SeededRng rng(11);
  auto mean_seconds = [&](int attempt) {
    double total = 0;
    for (int i = 0; i < 2000; ++i) {
      total += std::chrono::duration<double>(retry.Backoff(attempt, rng)).count();
    }
    return total / 2000;
  };
  // Full jitter: the mean is half the ceiling (1, 2, 4, 8, 16, then 20 s).
  EXPECT_NEAR(mean_seconds(1), 0.5, 0.05);
  EXPECT_NEAR(mean_seconds(2), 1.0, 0.1);
  EXPECT_NEAR(mean_seconds(3), 2.0, 0.2);
  EXPECT_NEAR(mean_seconds(6), 10.0, 1.0);
  EXPECT_NEAR(mean_seconds(40), 10.0, 1.0);
}

TEST(StandardRetry, BackoffIsTheJitterTimesTheCeiling) {
  StandardRetryStrategy retry;
  SeededRng rng(3);
  SeededRng copy(3);
  const double draw = copy.NextDouble();
  EXPECT_EQ(retry.Backoff(3, rng), Duration(static_cast<int64_t>(draw * 4 * 1e6)));
}

}  // namespace
}  // namespace sqsim::internal
