// VerifySigV4: the server side. Each error path gives SQS's code; a request
// SignRequest signed verifies, and any change to what was signed breaks it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest.h"
#include "sqsim/testing/matchers.h"
#include "wire/sigv4.h"

namespace sqsim::internal {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kKeyId = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

class SigV4VerifyTest : public ::testing::Test {
 protected:
  SigV4VerifyTest() {
    request_.target = "/";
    request_.body = R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q"})";
    request_.headers.Add("Content-Type", "application/x-amz-json-1.0");
    request_.headers.Add("X-Amz-Target", "AmazonSQS.SendMessage");
    Sign();
  }

  void Sign(std::optional<std::string> token = std::nullopt) {
    const aws::AwsCredentials credentials{.access_key_id = std::string(kKeyId),
                                          .secret_access_key = std::string(kSecret),
                                          .session_token = std::move(token)};
    SignRequest(request_, credentials, "us-east-1", "sqs", signed_at_,
                "sqs.us-east-1.amazonaws.com");
  }

  Status Verify(Timestamp now) const {
    auto secret_for_key = [](std::string_view key) -> std::optional<std::string> {
      if (key == kKeyId) return std::string(kSecret);
      return std::nullopt;
    };
    return VerifySigV4(request_, secret_for_key, "sqs", "us-east-1", now);
  }
  Status Verify() const { return Verify(signed_at_); }

  Timestamp signed_at_ = *ParseAmzDate("20260301T100000Z");
  HttpRequest request_{};
};

TEST_F(SigV4VerifyTest, SignedRequestVerifies) { EXPECT_THAT(Verify(), IsOk()); }

TEST_F(SigV4VerifyTest, SignedRequestWithSessionTokenVerifies) {
  Sign("FQoGZXIvYXdzEXAMPLETOKEN");
  EXPECT_THAT(Verify(), IsOk());
}

TEST_F(SigV4VerifyTest, NoAuthorizationIsMissingAuthenticationToken) {
  request_.headers.Remove("Authorization");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kMissingAuthenticationToken,
                                 Eq("Request is missing Authentication Token")));
  EXPECT_EQ(Verify().http_status(), 403);
}

TEST_F(SigV4VerifyTest, PresignedUrlIsRejectedAsUnsupported) {
  request_.headers.Remove("Authorization");
  request_.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00";
  EXPECT_THAT(Verify(),
              StatusIs(ErrorCode::kMissingAuthenticationToken, HasSubstr("not supported")));
}

TEST_F(SigV4VerifyTest, OtherAlgorithmIsIncompleteSignature) {
  request_.headers.Set("Authorization", "AWS3-HTTPS AWSAccessKeyId=x");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kIncompleteSignature, HasSubstr("'algorithm'")));
}

TEST_F(SigV4VerifyTest, AuthorizationWithoutSignedHeadersIsIncompleteSignature) {
  request_.headers.Set("Authorization",
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260301/us-east-1/sqs/"
                       "aws4_request, Signature=" +
                           std::string(64, 'a'));
  EXPECT_THAT(Verify(),
              StatusIs(ErrorCode::kIncompleteSignature,
                       HasSubstr("Authorization header requires 'SignedHeaders' parameter.")));
}

TEST_F(SigV4VerifyTest, MalformedCredentialIsIncompleteSignature) {
  request_.headers.Set("Authorization",
                       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260301/sqs, "
                       "SignedHeaders=host, Signature=" +
                           std::string(64, 'a'));
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kIncompleteSignature, HasSubstr("Credential")));
}

TEST_F(SigV4VerifyTest, MissingAmzDateIsIncompleteSignature) {
  request_.headers.Remove("X-Amz-Date");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kIncompleteSignature, HasSubstr("'X-Amz-Date'")));
}

TEST_F(SigV4VerifyTest, MalformedAmzDateIsIncompleteSignature) {
  request_.headers.Set("X-Amz-Date", "2026-03-01T10:00:00Z");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kIncompleteSignature));
}

TEST_F(SigV4VerifyTest, UnknownAccessKeyIsInvalidClientTokenId) {
  const aws::AwsCredentials stranger{.access_key_id = "AKIDSTRANGER",
                                     .secret_access_key = std::string(kSecret)};
  SignRequest(request_, stranger, "us-east-1", "sqs", signed_at_, "");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kInvalidClientTokenId,
                                 Eq("The security token included in the request is invalid.")));
}

TEST_F(SigV4VerifyTest, WrongSecretIsSignatureDoesNotMatch) {
  const aws::AwsCredentials wrong{.access_key_id = std::string(kKeyId),
                                  .secret_access_key = "not-the-secret"};
  SignRequest(request_, wrong, "us-east-1", "sqs", signed_at_, "");
  EXPECT_THAT(Verify(),
              StatusIs(ErrorCode::kSignatureDoesNotMatch,
                       StartsWith("The request signature we calculated does not match the "
                                  "signature you provided. Check your AWS Secret Access Key")));
}

TEST_F(SigV4VerifyTest, TamperedBodyIsSignatureDoesNotMatch) {
  request_.body += " ";
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4VerifyTest, TamperedTargetHeaderIsSignatureDoesNotMatch) {
  request_.headers.Set("X-Amz-Target", "AmazonSQS.DeleteQueue");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4VerifyTest, TamperedPathIsSignatureDoesNotMatch) {
  request_.target = "/123456789012/q";
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4VerifyTest, TamperedSessionTokenIsSignatureDoesNotMatch) {
  Sign("FQoGZXIvYXdzEXAMPLETOKEN");
  request_.headers.Set("X-Amz-Security-Token", "FQoGZXIvYXdzOTHERTOKEN");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4VerifyTest, RemovedSignedHeaderIsSignatureDoesNotMatch) {
  request_.headers.Remove("Content-Type");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch, HasSubstr("content-type")));
}

TEST_F(SigV4VerifyTest, UnsignedHeaderAddedLaterIsIgnored) {
  request_.headers.Add("User-Agent", "aws-cli/2.0");
  request_.headers.Add("X-Custom", "added by a proxy");
  EXPECT_THAT(Verify(), IsOk());
}

TEST_F(SigV4VerifyTest, OtherServiceScopeIsSignatureDoesNotMatch) {
  const aws::AwsCredentials credentials{.access_key_id = std::string(kKeyId),
                                        .secret_access_key = std::string(kSecret)};
  SignRequest(request_, credentials, "us-east-1", "sns", signed_at_, "");
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch,
                                 Eq("Credential should be scoped to correct service: 'sqs'. ")));
}

TEST_F(SigV4VerifyTest, OtherRegionScopeIsSignatureDoesNotMatch) {
  const aws::AwsCredentials credentials{.access_key_id = std::string(kKeyId),
                                        .secret_access_key = std::string(kSecret)};
  SignRequest(request_, credentials, "ap-southeast-2", "sqs", signed_at_, "");
  EXPECT_THAT(
      Verify(),
      StatusIs(ErrorCode::kSignatureDoesNotMatch,
               Eq("Credential should be scoped to a valid region, not 'ap-southeast-2'. ")));
}

// A declared payload hash is not trusted: the body that arrived is hashed.
TEST_F(SigV4VerifyTest, TamperedBodyUnderItsOriginalDeclaredHashIsSignatureDoesNotMatch) {
  request_.headers.Set("X-Amz-Content-SHA256", Sha256Hex(request_.body));
  request_.body += " ";
  EXPECT_THAT(Verify(), StatusIs(ErrorCode::kSignatureDoesNotMatch));
}

TEST_F(SigV4VerifyTest, RequestWithinFifteenMinutesVerifies) {
  EXPECT_THAT(Verify(signed_at_ + std::chrono::minutes(15)), IsOk());
  EXPECT_THAT(Verify(signed_at_ - std::chrono::minutes(15)), IsOk());
}

TEST_F(SigV4VerifyTest, OldRequestIsSignatureExpired) {
  EXPECT_THAT(Verify(signed_at_ + std::chrono::minutes(16)),
              StatusIs(ErrorCode::kSignatureDoesNotMatch,
                       Eq("Signature expired: 20260301T100000Z is now earlier than "
                          "20260301T100100Z (20260301T101600Z - 15 min.)")));
}

TEST_F(SigV4VerifyTest, FutureRequestIsSignatureNotYetCurrent) {
  EXPECT_THAT(Verify(signed_at_ - std::chrono::minutes(20)),
              StatusIs(ErrorCode::kSignatureDoesNotMatch,
                       Eq("Signature not yet current: 20260301T100000Z is still later than "
                          "20260301T095500Z (20260301T094000Z + 15 min.)")));
}

TEST_F(SigV4VerifyTest, SkewLimitIsAParameter) {
  auto secret = [](std::string_view) { return std::optional<std::string>(kSecret); };
  EXPECT_THAT(VerifySigV4(request_, secret, "sqs", "us-east-1",
                          signed_at_ + std::chrono::minutes(6), std::chrono::minutes(5)),
              StatusIs(ErrorCode::kSignatureDoesNotMatch, StartsWith("Signature expired")));
}

}  // namespace
}  // namespace sqsim::internal
