#include "sqsim/status.h"

#include <gtest/gtest.h>

#include "sqsim/actions.h"

namespace sqsim {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Status, CarriesWireFactsFromTheErrorTable) {
  Status s(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist.");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.json_type(), "QueueDoesNotExist");
  EXPECT_EQ(s.query_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(s.http_status(), 400);
  EXPECT_TRUE(s.sender_fault());
  EXPECT_FALSE(s.retryable());
  EXPECT_EQ(s.ToString(),
            "QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue, HTTP 400): The "
            "specified queue does not exist.");
}

TEST(Status, ForbiddenAndNotFoundStatusesMatchSqs) {
  EXPECT_EQ(Status(ErrorCode::kPurgeQueueInProgress, "").http_status(), 403);
  EXPECT_EQ(Status(ErrorCode::kOverLimit, "").http_status(), 403);
  EXPECT_EQ(Status(ErrorCode::kRequestThrottled, "").http_status(), 403);
  EXPECT_EQ(Status(ErrorCode::kInvalidSecurity, "").http_status(), 403);
  EXPECT_EQ(Status(ErrorCode::kKmsOptInRequired, "").http_status(), 403);
  EXPECT_EQ(Status(ErrorCode::kReceiptHandleIsInvalid, "").http_status(), 404);
  EXPECT_EQ(Status(ErrorCode::kInvalidAddress, "").http_status(), 404);
  EXPECT_EQ(Status(ErrorCode::kResourceNotFoundException, "").http_status(), 404);
}

TEST(Status, ThrottlingAndServerErrorsAreRetryable) {
  EXPECT_TRUE(Status(ErrorCode::kRequestThrottled, "").retryable());
  EXPECT_TRUE(Status(ErrorCode::kThrottlingException, "").retryable());
  EXPECT_TRUE(Status(ErrorCode::kInternalFailure, "").retryable());
  EXPECT_FALSE(Status(ErrorCode::kInternalFailure, "").sender_fault());
  EXPECT_TRUE(Status(ErrorCode::kServiceUnavailable, "").retryable());
  EXPECT_FALSE(Status(ErrorCode::kInvalidParameterValue, "").retryable());
}

// What SNS's deliveries and Lambda's pollers retry: the service's failures
// and throttling, KMS's included; never an answer about the request.
TEST(Status, TransientErrorsAreServiceFailuresAndThrottles) {
  EXPECT_TRUE(IsTransientError(ErrorCode::kServiceUnavailable));
  EXPECT_TRUE(IsTransientError(ErrorCode::kInternalError));
  EXPECT_TRUE(IsTransientError(ErrorCode::kRequestThrottled));
  EXPECT_TRUE(IsTransientError(ErrorCode::kKmsThrottled));
  EXPECT_FALSE(IsTransientError(ErrorCode::kQueueDoesNotExist));
  EXPECT_FALSE(IsTransientError(ErrorCode::kAccessDenied));
  EXPECT_FALSE(IsTransientError(ErrorCode::kKmsAccessDenied));
  EXPECT_FALSE(IsTransientError(ErrorCode::kInvalidParameterValue));
}

TEST(Status, WireNamesMapBackToCodes) {
  EXPECT_EQ(ErrorCodeFromWireName("QueueDoesNotExist"), ErrorCode::kQueueDoesNotExist);
  EXPECT_EQ(ErrorCodeFromWireName("AWS.SimpleQueueService.NonExistentQueue"),
            ErrorCode::kQueueDoesNotExist);
  EXPECT_EQ(ErrorCodeFromWireName("QueueAlreadyExists"), ErrorCode::kQueueNameExists);
  EXPECT_EQ(ErrorCodeFromWireName("InvalidParameterValue"), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(ErrorCodeFromWireName("MissingParameter"), ErrorCode::kMissingParameter);
  EXPECT_EQ(ErrorCodeFromWireName("NoSuchThing"), std::nullopt);
}

TEST(Status, EveryCodeRoundTripsThroughItsJsonTypeAndQueryCode) {
  for (int i = 1; i <= static_cast<int>(ErrorCode::kSignatureDoesNotMatch); ++i) {
    const ErrorCode code = static_cast<ErrorCode>(i);
    const ErrorInfo& info = GetErrorInfo(code);
    EXPECT_EQ(info.code, code);
    EXPECT_EQ(ErrorCodeFromWireName(info.json_type), code) << info.name;
    EXPECT_EQ(ErrorCodeFromWireName(info.query_code), code) << info.name;
  }
}

TEST(Status, InjectedFlagIsKept) {
  Status s(ErrorCode::kRequestThrottled, "slow down");
  EXPECT_FALSE(s.injected());
  s.set_injected();
  EXPECT_TRUE(s.injected());
  EXPECT_NE(s.ToString().find("[injected]"), std::string::npos);
}

TEST(Status, UnknownErrorKeepsRawWireNames) {
  Status s(ErrorCode::kUnknownError, "what");
  s.set_wire_names("com.example#Weird", "Weird.Code");
  EXPECT_EQ(s.json_type(), "com.example#Weird");
  EXPECT_EQ(s.query_code(), "Weird.Code");
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = 5;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  EXPECT_TRUE(good.status().ok());
  Result<int> bad = Status(ErrorCode::kOverLimit, "too many");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kOverLimit);
}

TEST(ResultDeathTest, ValueOfErrorAsserts) {
  Result<int> bad = Status(ErrorCode::kOverLimit, "too many");
  EXPECT_DEATH((void)bad.value(), "Result::value\\(\\) called on an error");
}

TEST(Actions, NamesRoundTripForAllTwentyThree) {
  int count = 0;
#define SQSIM_CHECK_ACTION(Name)                     \
  EXPECT_EQ(ActionName(Action::k##Name), #Name);     \
  EXPECT_EQ(ActionFromName(#Name), Action::k##Name); \
  ++count;
  SQSIM_FOR_EACH_ACTION(SQSIM_CHECK_ACTION)
#undef SQSIM_CHECK_ACTION
  EXPECT_EQ(count, kActionCount);
  EXPECT_EQ(ActionFromName("sendmessage"), std::nullopt);
}

}  // namespace
}  // namespace sqsim
