// The role credential providers of the default chain against real peers on
// loopback: moto_server's STS (AssumeRole, AssumeRoleWithWebIdentity) and a
// scripted HTTP server standing in for STS where a test must see the request
// or get an error answer. The process, container and instance metadata
// providers are in credential_sources_test.cc, the refresh in
// credential_refresh_test.cc.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
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
#include "support/moto.h"

namespace sqsim::internal {
namespace credential_providers_test {

using ::sqsim::internal::test::RecordedRequest;
using ::sqsim::internal::test::ScriptedResponse;
using ::sqsim::internal::test::TestHttpServer;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// The form parameters of an STS request body, percent-decoded.
std::map<std::string, std::string> FormParams(const std::string& body) {
  auto decode = [](std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i] == '+' ? ' ' : text[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> params;
  size_t start = 0;
  while (start <= body.size()) {
    const size_t end = std::min(body.find('&', start), body.size());
    const std::string_view pair = std::string_view(body).substr(start, end - start);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos)
      params[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return params;
}

// The access key id in a SigV4 Authorization header, or "" when unsigned.
std::string SigningKey(const RecordedRequest& request) {
  const std::optional<std::string> authorization = request.Header("Authorization");
  if (!authorization) return "";
  const size_t start = authorization->find("Credential=") + 11;
  return authorization->substr(start, authorization->find('/', start) - start);
}

ScriptedResponse StsAnswer(const std::string& action, const std::string& key_id,
                           const std::string& expiration = "2030-01-01T00:00:00Z") {
  return {.status = 200,
          .headers = {{"Content-Type", "text/xml"}},
          .body = "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" +
                  action + "Result><Credentials><AccessKeyId>" + key_id +
                  "</AccessKeyId><SecretAccessKey>secret-of-" + key_id +
                  "</SecretAccessKey><SessionToken>token-of-" + key_id +
                  "</SessionToken><Expiration>" + expiration + "</Expiration></Credentials></" +
                  action + "Result></" + action + "Response>"};
}

ScriptedResponse StsErrorAnswer(int status, const std::string& code, const std::string& message) {
  return {.status = status,
          .headers = {{"Content-Type", "text/xml"}},
          .body =
              "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
              "<Type>Sender</Type><Code>" +
              code + "</Code><Message>" + message +
              "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"};
}

// A scripted STS that answers every request with fresh credentials whose key
// id counts the requests: "ASIASCRIPTED1", "ASIASCRIPTED2", ...
class ScriptedSts {
 public:
  ScriptedSts()
      : server_({.responder = [count = count_](const RecordedRequest& request) {
          const std::string action = FormParams(request.body)["Action"];
          return StsAnswer(action, "ASIASCRIPTED" + std::to_string(++*count));
        }}) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  std::vector<RecordedRequest> requests() const { return server_.requests(); }

 private:
  std::shared_ptr<std::atomic<int>> count_ = std::make_shared<std::atomic<int>>(0);
  TestHttpServer server_;
};

// A scratch directory holding the shared files, and an environment that
// points at them (with instance metadata off, so that no test reaches for
// 169.254.169.254).
class RoleCredentialsTest : public ::testing::Test, protected test::ScratchAwsConfig {
 protected:
  RoleCredentialsTest() : ScratchAwsConfig("sqsim_role_credentials_") {
    env_["AWS_REGION"] = "us-east-1";
  }

  Result<aws::AwsCredentials> Credentials(const AwsConfigRequest& request = {}) const {
    return ResolveCredentials(request, Sources());
  }
};

// A profile "dev" that assumes a role with the static keys of profile "base".
constexpr std::string_view kBaseKeys =
    "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";
constexpr std::string_view kRoleArn = "arn:aws:iam::123456789012:role/dev";

TEST_F(RoleCredentialsTest, WebIdentityFromTheEnvironmentAssumesTheRoleWithMotoSts) {
  SQSIM_REQUIRE_MOTO();
  env_["AWS_ENDPOINT_URL_STS"] = ::sqsim::test::SharedMoto().url;
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "eyJhbGciOiJSUzI1NiJ9.e30.sig");
  env_["AWS_ROLE_ARN"] = std::string(kRoleArn);
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_THAT(credentials->access_key_id, StartsWith("ASIA"));
  EXPECT_FALSE(credentials->secret_access_key.empty());
  EXPECT_TRUE(credentials->session_token.has_value());
  EXPECT_TRUE(credentials->expiration.has_value());
}

TEST_F(RoleCredentialsTest, AssumeRoleWithASourceProfileGetsCredentialsFromMotoSts) {
  SQSIM_REQUIRE_MOTO();
  env_["AWS_ENDPOINT_URL_STS"] = ::sqsim::test::SharedMoto().url;
  Write("credentials", std::string(kBaseKeys));
  Write("config", "[profile dev]\nrole_arn = " + std::string(kRoleArn) +
                      "\nsource_profile = base\nduration_seconds = 900\n");
  Result<aws::AwsCredentials> credentials = Credentials({.profile = "dev"});
  ASSERT_THAT(credentials, IsOk());
  EXPECT_THAT(credentials->access_key_id, StartsWith("ASIA"));
  EXPECT_TRUE(credentials->session_token.has_value());
  EXPECT_TRUE(credentials->expiration.has_value());
}

TEST_F(RoleCredentialsTest, WebIdentityRequestIsUnsignedAndCarriesTheToken) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "the-oidc-token");
  env_["AWS_ROLE_ARN"] = std::string(kRoleArn);
  env_["AWS_ROLE_SESSION_NAME"] = "pod-session";
  Result<aws::AwsCredentials> credentials = Credentials();
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "ASIASCRIPTED1");
  EXPECT_EQ(credentials->session_token, "token-of-ASIASCRIPTED1");
  EXPECT_EQ(credentials->expiration, ParseIso8601("2030-01-01T00:00:00Z"));
  ASSERT_EQ(sts.requests().size(), 1u);
  const RecordedRequest request = sts.requests()[0];
  EXPECT_EQ(request.Header("Authorization"), std::nullopt);
  std::map<std::string, std::string> params = FormParams(request.body);
  EXPECT_EQ(params["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(params["Version"], "2011-06-15");
  EXPECT_EQ(params["RoleArn"], kRoleArn);
  EXPECT_EQ(params["RoleSessionName"], "pod-session");
  EXPECT_EQ(params["WebIdentityToken"], "the-oidc-token");
}

TEST_F(RoleCredentialsTest, WebIdentityRereadsTheTokenFileAtEveryFetch) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "first-token");
  env_["AWS_ROLE_ARN"] = std::string(kRoleArn);
  Result<std::shared_ptr<aws::CredentialsProvider>> provider =
      ResolveCredentialsProvider({}, Sources());
  ASSERT_THAT(provider, IsOk());
  ASSERT_THAT((*provider)->Fetch(), IsOk());
  Write("token", "rotated-token");
  ASSERT_THAT((*provider)->Fetch(), IsOk());
  ASSERT_EQ(sts.requests().size(), 2u);
  EXPECT_EQ(FormParams(sts.requests()[0].body)["WebIdentityToken"], "first-token");
  EXPECT_EQ(FormParams(sts.requests()[1].body)["WebIdentityToken"], "rotated-token");
}

TEST_F(RoleCredentialsTest, WebIdentityFromProfileKeys) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  const std::string token = Write("token", "profile-token");
  Write("config", "[profile pod]\nweb_identity_token_file = " + token + "\nrole_arn = " +
                      std::string(kRoleArn) + "\nrole_session_name = from-profile\n");
  ASSERT_THAT(Credentials({.profile = "pod"}), IsOk());
  ASSERT_EQ(sts.requests().size(), 1u);
  std::map<std::string, std::string> params = FormParams(sts.requests()[0].body);
  EXPECT_EQ(params["WebIdentityToken"], "profile-token");
  EXPECT_EQ(params["RoleSessionName"], "from-profile");
}

TEST_F(RoleCredentialsTest, MissingWebIdentityTokenFileIsAnError) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = (dir_ / "no-such-token").string();
  env_["AWS_ROLE_ARN"] = std::string(kRoleArn);
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kInvalidParameterValue,
                                      AllOf(HasSubstr("assume-role-with-web-identity"),
                                            HasSubstr("no-such-token"))));
  EXPECT_TRUE(sts.requests().empty());
}

TEST_F(RoleCredentialsTest, WebIdentityWithoutARoleArnIsAnError) {
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "t");
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("AWS_ROLE_ARN")));
}

TEST_F(RoleCredentialsTest, AssumeRoleIsSignedWithTheSourceKeysAndPassesTheProfileSettings) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  Write("credentials", std::string(kBaseKeys));
  Write("config", "[profile dev]\nrole_arn = " + std::string(kRoleArn) +
                      "\nsource_profile = base\nexternal_id = ext-42\n"
                      "role_session_name = ci-run\nduration_seconds = 900\n");
  Result<aws::AwsCredentials> credentials = Credentials({.profile = "dev"});
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "ASIASCRIPTED1");
  ASSERT_EQ(sts.requests().size(), 1u);
  const RecordedRequest request = sts.requests()[0];
  EXPECT_EQ(SigningKey(request), "AKIDBASE");
  EXPECT_THAT(*request.Header("Authorization"), HasSubstr("/us-east-1/sts/aws4_request"));
  std::map<std::string, std::string> params = FormParams(request.body);
  EXPECT_EQ(params["Action"], "AssumeRole");
  EXPECT_EQ(params["RoleArn"], kRoleArn);
  EXPECT_EQ(params["ExternalId"], "ext-42");
  EXPECT_EQ(params["RoleSessionName"], "ci-run");
  EXPECT_EQ(params["DurationSeconds"], "900");
}

TEST_F(RoleCredentialsTest, ChainedRolesSignEachStepWithThePreviousRolesCredentials) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  Write("credentials", std::string(kBaseKeys));
  Write("config",
        "[profile hop]\nrole_arn = arn:aws:iam::1:role/hop\nsource_profile = base\n"
        "[profile target]\nrole_arn = arn:aws:iam::2:role/target\nsource_profile = hop\n");
  Result<aws::AwsCredentials> credentials = Credentials({.profile = "target"});
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "ASIASCRIPTED2");
  ASSERT_EQ(sts.requests().size(), 2u);
  EXPECT_EQ(FormParams(sts.requests()[0].body)["RoleArn"], "arn:aws:iam::1:role/hop");
  EXPECT_EQ(SigningKey(sts.requests()[0]), "AKIDBASE");
  EXPECT_EQ(FormParams(sts.requests()[1].body)["RoleArn"], "arn:aws:iam::2:role/target");
  EXPECT_EQ(SigningKey(sts.requests()[1]), "ASIASCRIPTED1");
  EXPECT_EQ(sts.requests()[1].Header("X-Amz-Security-Token"), "token-of-ASIASCRIPTED1");
}

TEST_F(RoleCredentialsTest, AssumeRoleBeatsStaticKeysInTheSameProfile) {
  // botocore's order: the assume-role provider runs before the shared files'.
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  Write("credentials",
        "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\n"
        "role_arn = arn:aws:iam::1:role/self\nsource_profile = self\n");
  Result<aws::AwsCredentials> credentials = Credentials({.profile = "self"});
  ASSERT_THAT(credentials, IsOk());
  EXPECT_EQ(credentials->access_key_id, "ASIASCRIPTED1");
  ASSERT_EQ(sts.requests().size(), 1u);
  EXPECT_EQ(SigningKey(sts.requests()[0]), "AKIDSELF");
}

TEST_F(RoleCredentialsTest, CredentialSourceEnvironmentSignsWithTheEnvironmentKeys) {
  ScriptedSts sts;
  env_["AWS_ENDPOINT_URL_STS"] = sts.url();
  env_["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  env_["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  Write("config", "[profile ops]\nrole_arn = " + std::string(kRoleArn) +
                      "\ncredential_source = Environment\n");
  ASSERT_THAT(Credentials({.profile = "ops"}), IsOk());
  ASSERT_EQ(sts.requests().size(), 1u);
  EXPECT_EQ(SigningKey(sts.requests()[0]), "AKIDENV");
}

TEST_F(RoleCredentialsTest, StsErrorAnswerNamesTheProviderAndTheStsCode) {
  TestHttpServer sts({.responder = [](const RecordedRequest&) {
    return StsErrorAnswer(403, "AccessDenied",
                          "User: arn:aws:iam::1:user/base is not authorized to perform: "
                          "sts:AssumeRole");
  }});
  env_["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:" + std::to_string(sts.port());
  Write("credentials", std::string(kBaseKeys));
  Write("config",
        "[profile dev]\nrole_arn = " + std::string(kRoleArn) + "\nsource_profile = base\n");
  EXPECT_THAT(Credentials({.profile = "dev"}),
              StatusIs(ErrorCode::kAccessDenied,
                       AllOf(HasSubstr("assume-role (" + std::string(kRoleArn) + ")"),
                             HasSubstr("AccessDenied"), HasSubstr("not authorized"))));
}

TEST_F(RoleCredentialsTest, UnknownStsErrorCodeKeepsItsName) {
  TestHttpServer sts({.responder = [](const RecordedRequest&) {
    return StsErrorAnswer(400, "InvalidIdentityToken", "Couldn't retrieve verification key");
  }});
  env_["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:" + std::to_string(sts.port());
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "bad-token");
  env_["AWS_ROLE_ARN"] = std::string(kRoleArn);
  Result<aws::AwsCredentials> credentials = Credentials();
  EXPECT_THAT(credentials,
              StatusIs(ErrorCode::kUnknownError, AllOf(HasSubstr("assume-role-with-web-identity"),
                                                       HasSubstr("InvalidIdentityToken"))));
  EXPECT_EQ(credentials.status().json_type(), "InvalidIdentityToken");
}

TEST_F(RoleCredentialsTest, SourceProfileCycleIsAnError) {
  Write("config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
        "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n");
  EXPECT_THAT(Credentials({.profile = "a"}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("cycle: a -> b -> a")));
}

TEST_F(RoleCredentialsTest, MissingSourceProfileIsAnError) {
  Write("config", "[profile dev]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = gone\n");
  EXPECT_THAT(Credentials({.profile = "dev"}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       HasSubstr("source_profile 'gone' of AWS profile 'dev' does not exist")));
}

TEST_F(RoleCredentialsTest, RoleArnWithoutASourceIsAnError) {
  Write("config", "[profile dev]\nrole_arn = arn:aws:iam::1:role/a\n");
  EXPECT_THAT(Credentials({.profile = "dev"}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       HasSubstr("neither source_profile nor credential_source")));
}

TEST_F(RoleCredentialsTest, MfaSerialIsNotSupported) {
  Write("credentials", std::string(kBaseKeys));
  Write("config",
        "[profile dev]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n"
        "mfa_serial = arn:aws:iam::1:mfa/me\n");
  EXPECT_THAT(Credentials({.profile = "dev"}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       AllOf(HasSubstr("mfa_serial"), HasSubstr("not supported"))));
}

TEST_F(RoleCredentialsTest, UnknownCredentialSourceIsAnError) {
  Write("config", "[profile dev]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Vault\n");
  EXPECT_THAT(Credentials({.profile = "dev"}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("'Vault' is not one of")));
}

TEST_F(RoleCredentialsTest, RegionThatIsNotADnsLabelCannotFormTheStsEndpoint) {
  Write("credentials", std::string(kBaseKeys));
  Write("config",
        "[profile dev]\nrole_arn = " + std::string(kRoleArn) + "\nsource_profile = base\n");
  env_["AWS_REGION"] = "not a region";
  EXPECT_THAT(ResolveCredentialsProvider({.profile = "dev"}, Sources()),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("not a region")));
}

TEST(Iso8601, ParsesTheFormsCredentialSourcesWrite) {
  const std::optional<Timestamp> whole = ParseIso8601("2026-12-06T11:21:24Z");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(ToEpochSeconds(*whole), 1796556084);
  EXPECT_EQ(ParseIso8601("2026-12-06T11:21:24.250Z"), *whole + std::chrono::milliseconds(250));
  EXPECT_EQ(ParseIso8601("2026-12-06T12:21:24+01:00"), whole);
  EXPECT_EQ(ParseIso8601("2026-12-06 11:21:24"), std::nullopt);
  EXPECT_EQ(ParseIso8601("2026-02-30T00:00:00Z"), std::nullopt);
}

}  // namespace credential_providers_test
}  // namespace sqsim::internal
