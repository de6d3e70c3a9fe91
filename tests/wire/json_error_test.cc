// EncodeJsonError / DecodeJsonError: the error half of the JSON protocol.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqsim/testing/matchers.h"
#include "wire/json_codec.h"

namespace sqsim::wire {
namespace {

using ::nlohmann::json;
using ::sqsim::testing::StatusIs;

TEST(JsonError, EncodesTypeMessageStatusAndQueryErrorHeader) {
  const JsonErrorResponse response =
      EncodeJsonError(Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."));
  EXPECT_EQ(response.http_status, 400);
  EXPECT_EQ(json::parse(response.body), json({{"__type", "com.amazonaws.sqs#QueueDoesNotExist"},
                                              {"message", "The specified queue does not exist."}}));
  EXPECT_EQ(response.query_error_header, "AWS.SimpleQueueService.NonExistentQueue;Sender");
}

TEST(JsonError, EncodesTheTableStatusForEachCode) {
  EXPECT_EQ(EncodeJsonError(Status(ErrorCode::kReceiptHandleIsInvalid, "x")).http_status, 404);
  EXPECT_EQ(EncodeJsonError(Status(ErrorCode::kPurgeQueueInProgress, "x")).http_status, 403);
}

TEST(JsonError, MarksServerFaultsAsReceiver) {
  const JsonErrorResponse response = EncodeJsonError(Status(ErrorCode::kInternalFailure, "oops"));
  EXPECT_EQ(response.http_status, 500);
  EXPECT_EQ(response.query_error_header, "InternalFailure;Receiver");
}

TEST(JsonError, EncodesSerializationExceptionInCoralsNamespace) {
  const JsonErrorResponse response =
      EncodeJsonError(Status(ErrorCode::kSerializationException, "bad"));
  EXPECT_EQ(response.http_status, 400);
  EXPECT_EQ(json::parse(response.body)["__type"],
            "com.amazon.coral.service#SerializationException");
}

TEST(JsonError, EncodesTransportCodesAsInternalFailure) {
  const JsonErrorResponse response = EncodeJsonError(Status(ErrorCode::kTimeout, "slow"));
  EXPECT_EQ(response.http_status, 500);
  EXPECT_EQ(json::parse(response.body)["__type"], "com.amazonaws.sqs#InternalFailure");
}

TEST(JsonError, EncodesUnknownErrorsWithTheirRecordedNames) {
  Status status(ErrorCode::kUnknownError, "what");
  status.set_wire_names("Weird", "Weird.Code");
  const JsonErrorResponse response = EncodeJsonError(status);
  EXPECT_EQ(json::parse(response.body)["__type"], "com.amazonaws.sqs#Weird");
  EXPECT_EQ(response.query_error_header, "Weird.Code;Sender");
  EXPECT_EQ(response.http_status, 400);
}

TEST(JsonError, EveryEncodedCodeDecodesToItself) {
  for (int i = 1; i <= static_cast<int>(ErrorCode::kSignatureDoesNotMatch); ++i) {
    const Status status(static_cast<ErrorCode>(i), "message " + std::to_string(i));
    const JsonErrorResponse response = EncodeJsonError(status);
    EXPECT_EQ(DecodeJsonError(response.http_status, response.body, response.query_error_header),
              status);
    EXPECT_EQ(DecodeJsonError(response.http_status, response.body, ""), status);
  }
}

TEST(JsonError, PrefersTheQueryErrorHeader) {
  EXPECT_THAT(DecodeJsonError(400, R"({"__type":"com.amazonaws.sqs#InvalidAddress"})",
                              "AWS.SimpleQueueService.NonExistentQueue;Sender"),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

TEST(JsonError, FallsBackToTypeWhenTheHeaderCodeIsUnknown) {
  EXPECT_THAT(DecodeJsonError(400, R"({"__type":"QueueNameExists"})", "Mystery;Sender"),
              StatusIs(ErrorCode::kQueueNameExists));
}

TEST(JsonError, AcceptsEveryTypeSpelling) {
  for (const char* type :
       {"QueueDoesNotExist", "com.amazonaws.sqs#QueueDoesNotExist",
        "QueueDoesNotExist:http://internal.amazon.com/coral/com.amazonaws.sqs/"}) {
    EXPECT_THAT(DecodeJsonError(400, json({{"__type", type}}).dump(), ""),
                StatusIs(ErrorCode::kQueueDoesNotExist))
        << type;
  }
}

TEST(JsonError, ReadsMessageInEitherCase) {
  EXPECT_THAT(DecodeJsonError(400, R"({"__type":"OverLimit","Message":"upper"})", ""),
              StatusIs(ErrorCode::kOverLimit, "upper"));
  EXPECT_THAT(DecodeJsonError(400, R"({"__type":"OverLimit","message":"lower"})", ""),
              StatusIs(ErrorCode::kOverLimit, "lower"));
}

TEST(JsonError, KeepsUnknownNames) {
  const Status status =
      DecodeJsonError(400, R"({"__type":"com.example#Weird","message":"m"})", "Weird.Code;Sender");
  EXPECT_THAT(status, StatusIs(ErrorCode::kUnknownError, "m"));
  EXPECT_EQ(status.json_type(), "Weird");
  EXPECT_EQ(status.query_code(), "Weird.Code");
}

TEST(JsonError, UsesTheHttpStatusForNonJsonBodies) {
  EXPECT_THAT(DecodeJsonError(503, "<html>busy</html>", ""),
              StatusIs(ErrorCode::kServiceUnavailable, "<html>busy</html>"));
  EXPECT_THAT(DecodeJsonError(502, "Bad Gateway", ""), StatusIs(ErrorCode::kInternalFailure));
  EXPECT_THAT(DecodeJsonError(400, "Bad Request", ""), StatusIs(ErrorCode::kUnknownError));
  EXPECT_THAT(DecodeJsonError(429, "", ""), StatusIs(ErrorCode::kThrottlingException, "HTTP 429"));
}

TEST(JsonError, UsesTheHeaderForNonJsonBodies) {
  EXPECT_THAT(DecodeJsonError(403, "denied", "AccessDenied;Sender"),
              StatusIs(ErrorCode::kAccessDenied, "denied"));
}

TEST(JsonError, IgnoresWrongTypedErrorMembers) {
  EXPECT_THAT(DecodeJsonError(500, R"({"__type":7,"message":[1]})", ""),
              StatusIs(ErrorCode::kInternalFailure, "HTTP 500"));
}

}  // namespace
}  // namespace sqsim::wire
