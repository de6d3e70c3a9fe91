// The local credential sources of the default chain: credential_process
// (small shell scripts in a scratch directory), the container endpoint and
// the EC2 instance metadata service (a scripted HTTP server on loopback
// serving their documented answers), and where each sits in the chain.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "aws/credential_document.h"
#include "aws/credentials.h"
#include "aws/scratch_aws_config.h"
#include "aws/test_http_server.h"
#include "sqsim/testing/matchers.h"
#include "support/child_process.h"

namespace sqsim::internal {
namespace credential_sources_test {

using ::sqsim::internal::test::RecordedRequest;
using ::sqsim::internal::test::ScriptedResponse;
using ::sqsim::internal::test::TestHttpServer;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr std::string_view kExpiration = "2030-01-01T00:00:00Z";

// The container endpoint's answer (ECS's documented shape).
std::string ContainerDocument(const std::string& key_id) {
  return R"({"AccessKeyId": ")" + key_id +
         R"(", "SecretAccessKey": "container-secret", "Token": "container-token",
             "Expiration": ")" +
         std::string(kExpiration) + R"(", "RoleArn": "arn:aws:iam::1:role/task"})";
}

// IMDS: the token PUT answers `token_status` ("imds-token" when 200), the
// role listing "app-role", the role's path its credentials; anything else 404.
ScriptedResponse Imds(const RecordedRequest& request, int token_status) {
  if (request.method == "PUT" && request.target == "/latest/api/token") {
    return {.status = token_status, .body = token_status == 200 ? "imds-token" : ""};
  }
  if (request.method == "GET" && request.target == "/latest/meta-data/iam/security-credentials/") {
    return {.status = 200, .body = "app-role"};
  }
  if (request.method == "GET" &&
      request.target == "/latest/meta-data/iam/security-credentials/app-role") {
    return {.status = 200,
            .body = R"({"Code": "Success", "LastUpdated": "2029-12-31T18:00:00Z",
                        "Type": "AWS-HMAC", "AccessKeyId": "ASIAIMDS",
                        "SecretAccessKey": "imds-secret", "Token": "imds-session",
                        "Expiration": ")" +
                    std::string(kExpiration) + R"("})"};
  }
  return {.status = 404};
}

class CredentialSourcesTest : public ::testing::Test, protected test::ScratchAwsConfig {
 protected:
  CredentialSourcesTest() : ScratchAwsConfig("sqsim_credential_sources_") {}

  // An executable shell script; returns its path.
  std::string Script(const std::string& name, const std::string& body) const {
    const std::string path = Write(name, "#!/bin/sh\n" + body);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }

  // A config whose default profile runs `command`.
  void ProcessProfile(const std::string& command) const {
    Write("config", "[default]\ncredential_process = " + command + "\n");
  }

  Result<aws::AwsCredentials> Credentials(const AwsConfigRequest& request = {}) const {
    return ResolveCredentials(request, Sources());
  }

  static std::string Url(const TestHttpServer& server, const std::string& path = "") {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
  }
};

TEST_F(CredentialSourcesTest, CredentialProcessOutputBecomesTheCredentials) {
  ProcessProfile(Script("creds.sh", R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC",
    "SecretAccessKey": "proc-secret", "SessionToken": "proc-token",
    "Expiration": "2030-01-01T00:00:00Z"}')"));
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(*credentials, (aws::AwsCredentials{.access_key_id = "AKIDPROC",
                                               .secret_access_key = "proc-secret",
                                               .session_token = "proc-token",
                                               .expiration = ParseIso8601(kExpiration)}));
}

TEST_F(CredentialSourcesTest, CredentialProcessMayHandOutLongTermKeys) {
  ProcessProfile(Script("creds.sh",
                        R"(echo '{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "s"}')"));
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->session_token, std::nullopt);
  EXPECT_EQ(credentials->expiration, std::nullopt);
}

TEST_F(CredentialSourcesTest, CredentialProcessRunsThroughTheShell) {
  // A pipe and an argument with a blank: /bin/sh -c, as documented.
  const std::string script =
      Script("creds with blank.sh",
             R"(echo "{\"Version\": 1, \"AccessKeyId\": \"$1\", \"SecretAccessKey\": \"s\"}")");
  ProcessProfile("'" + script + "' AKIDSHELL | cat");
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "AKIDSHELL");
}

TEST_F(CredentialSourcesTest, CredentialProcessExitingNonZeroIsAnErrorWithItsStderr) {
  ProcessProfile(Script("creds.sh", "echo 'token expired, run login' >&2\nexit 3\n"));
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kMissingAuthenticationToken,
                       AllOf(HasSubstr("credential_process"), HasSubstr("exited with status 3"),
                             HasSubstr("token expired, run login"))));
}

TEST_F(CredentialSourcesTest, CredentialProcessPrintingBadJsonIsAnError) {
  ProcessProfile(Script("creds.sh", "echo 'not json'\n"));
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kMalformedResponse,
                       AllOf(HasSubstr("credential_process"), HasSubstr("not a JSON object"))));
}

TEST_F(CredentialSourcesTest, CredentialProcessWithAnotherVersionIsAnError) {
  ProcessProfile(
      Script("creds.sh", R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}')"));
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kMalformedResponse,
                                      HasSubstr("unsupported Version 2, only 1 is supported")));
}

TEST_F(CredentialSourcesTest, CredentialProcessWithoutASecretIsAnError) {
  ProcessProfile(Script("creds.sh", R"(echo '{"Version": 1, "AccessKeyId": "A"}')"));
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kMalformedResponse, HasSubstr("no SecretAccessKey")));
}

TEST_F(CredentialSourcesTest, ContainerFullUriSendsTheAuthorizationToken) {
  TestHttpServer server({.responder = [](const RecordedRequest&) {
    return ScriptedResponse{.status = 200, .body = ContainerDocument("ASIACONTAINER")};
  }});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(server, "/v2/credentials?id=7");
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Basic c2VjcmV0";
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(*credentials, (aws::AwsCredentials{.access_key_id = "ASIACONTAINER",
                                               .secret_access_key = "container-secret",
                                               .session_token = "container-token",
                                               .expiration = ParseIso8601(kExpiration)}));
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
  EXPECT_EQ(server.requests()[0].target, "/v2/credentials?id=7");
  EXPECT_EQ(server.requests()[0].Header("Authorization"), "Basic c2VjcmV0");
}

TEST_F(CredentialSourcesTest, ContainerTokenFileWinsAndIsReadAtEveryFetch) {
  TestHttpServer server({.responder = [](const RecordedRequest&) {
    return ScriptedResponse{.status = 200, .body = ContainerDocument("ASIACONTAINER")};
  }});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(server, "/creds");
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "from-variable";
  env_["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = Write("pod-token", "first");
  Result<std::shared_ptr<aws::CredentialsProvider>> provider =
      ResolveCredentialsProvider({}, Sources());
  ASSERT_THAT(provider, IsOk());
  ASSERT_THAT((*provider)->Fetch(), IsOk());
  Write("pod-token", "rotated");
  ASSERT_THAT((*provider)->Fetch(), IsOk());
  ASSERT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(server.requests()[0].Header("Authorization"), "first");
  EXPECT_EQ(server.requests()[1].Header("Authorization"), "rotated");
}

TEST_F(CredentialSourcesTest, ContainerFullUriToAnotherHostOverHttpIsRejected) {
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://198.51.100.7/creds";
  EXPECT_THAT(
      ResolveCredentialsProvider({}, Sources()),
      StatusIs(ErrorCode::kInvalidParameterValue,
               AllOf(HasSubstr("unsupported host '198.51.100.7'"), HasSubstr("169.254.170.23"))));
}

TEST_F(CredentialSourcesTest, ContainerFullUriMayUseTheEksPodIdentityAddress) {
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://169.254.170.23/v1/credentials";
  EXPECT_THAT(ResolveCredentialsProvider({}, Sources()), IsOk());
}

TEST_F(CredentialSourcesTest, ContainerNon200AnswerIsAnError) {
  TestHttpServer server({.responder = [](const RecordedRequest&) {
    return ScriptedResponse{.status = 401, .body = "bad token"};
  }});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(server, "/creds");
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kMissingAuthenticationToken,
                                      AllOf(HasSubstr("container-role"), HasSubstr("HTTP 401"))));
}

TEST_F(CredentialSourcesTest, InstanceMetadataUsesAnImdsV2Token) {
  TestHttpServer imds({.responder = [](const RecordedRequest& r) { return Imds(r, 200); }});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = Url(imds);
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(*credentials, (aws::AwsCredentials{.access_key_id = "ASIAIMDS",
                                               .secret_access_key = "imds-secret",
                                               .session_token = "imds-session",
                                               .expiration = ParseIso8601(kExpiration)}));
  const std::vector<RecordedRequest> requests = imds.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].Header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].Header("x-aws-ec2-metadata-token"), "imds-token");
  EXPECT_EQ(requests[2].Header("x-aws-ec2-metadata-token"), "imds-token");
}

TEST_F(CredentialSourcesTest, InstanceMetadataFallsBackToImdsV1WhenTheTokenIsRefused) {
  TestHttpServer imds({.responder = [](const RecordedRequest& r) { return Imds(r, 403); }});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = Url(imds);
  ASSERT_THAT(Credentials(), IsOk());
  const std::vector<RecordedRequest> requests = imds.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].Header("x-aws-ec2-metadata-token"), std::nullopt);
  EXPECT_EQ(requests[2].Header("x-aws-ec2-metadata-token"), std::nullopt);
}

TEST_F(CredentialSourcesTest, InstanceMetadataWithImdsV1DisabledNeedsTheToken) {
  TestHttpServer imds({.responder = [](const RecordedRequest& r) { return Imds(r, 404); }});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  Write("config", "[default]\nec2_metadata_service_endpoint = " + Url(imds) +
                      "\nec2_metadata_v1_disabled = true\n");
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kMissingAuthenticationToken, HasSubstr("IMDSv1 is disabled")));
  EXPECT_EQ(imds.requests().size(), 1u);
}

TEST_F(CredentialSourcesTest, UnreachableInstanceMetadataMeansNoCredentials) {
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] =
      "http://127.0.0.1:" + std::to_string(::sqsim::test::FreeLoopbackPort());
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kMissingAuthenticationToken,
                                      AllOf(HasSubstr("no AWS credentials found"),
                                            HasSubstr("AWS_CONTAINER_CREDENTIALS"),
                                            HasSubstr("EC2 instance metadata"))));
}

TEST_F(CredentialSourcesTest, DisabledInstanceMetadataIsNotAsked) {
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kMissingAuthenticationToken,
                                      HasSubstr("disabled by AWS_EC2_METADATA_DISABLED")));
}

TEST_F(CredentialSourcesTest, CredentialsFileKeysComeBeforeTheProcess) {
  Write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  ProcessProfile(Script("creds.sh", "exit 1\n"));
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "AKIDFILE");
}

TEST_F(CredentialSourcesTest, TheProcessComesBeforeConfigFileKeys) {
  const std::string script = Script(
      "creds.sh", R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s"}')");
  Write("config",
        "[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n"
        "credential_process = " +
            script + "\n");
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "AKIDPROC");
}

TEST_F(CredentialSourcesTest, TheContainerComesBeforeInstanceMetadata) {
  TestHttpServer container({.responder = [](const RecordedRequest&) {
    return ScriptedResponse{.status = 200, .body = ContainerDocument("ASIACONTAINER")};
  }});
  TestHttpServer imds({.responder = [](const RecordedRequest& r) { return Imds(r, 200); }});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = Url(imds);
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(container, "/creds");
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "ASIACONTAINER");
  EXPECT_TRUE(imds.requests().empty());
}

TEST_F(CredentialSourcesTest, EnvironmentKeysComeFirst) {
  TestHttpServer container({.responder = [](const RecordedRequest&) {
    return ScriptedResponse{.status = 200, .body = ContainerDocument("ASIACONTAINER")};
  }});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(container, "/creds");
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "t");
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "s";
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "AKIDENV");
  EXPECT_TRUE(container.requests().empty());
}

}  // namespace credential_sources_test
}  // namespace sqsim::internal
