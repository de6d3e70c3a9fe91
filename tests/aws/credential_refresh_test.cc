// Refreshing temporary credentials before they expire: CredentialsCache's
// advisory and mandatory windows with a scripted provider, then each
// refreshable source fetching again when its credentials near expiry. Time
// is a Timestamp the test passes in, set relative to the expiration the
// source returned; nothing sleeps.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/credential_document.h"
#include "aws/credentials.h"
#include "aws/credentials_cache.h"
#include "aws/scratch_aws_config.h"
#include "aws/test_http_server.h"
#include "sqsim/testing/matchers.h"
#include "support/moto.h"

namespace sqsim::internal {
namespace credential_refresh_test {

using ::sqsim::internal::test::RecordedRequest;
using ::sqsim::internal::test::ScriptedResponse;
using ::sqsim::internal::test::TestHttpServer;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using std::chrono::minutes;

const Timestamp kT0 = *ParseIso8601("2030-01-01T00:00:00Z");

aws::AwsCredentials Expiring(const std::string& key_id, Timestamp expiration) {
  return {.access_key_id = key_id,
          .secret_access_key = "secret",
          .session_token = "token",
          .expiration = expiration};
}

// Answers Fetch from a script, one entry per call, and counts the calls.
class ScriptedProvider final : public aws::CredentialsProvider {
 public:
  explicit ScriptedProvider(std::deque<Result<aws::AwsCredentials>> answers)
      : answers_(std::move(answers)) {}
  Result<aws::AwsCredentials> Fetch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++fetches_;
    if (answers_.empty()) return Status(ErrorCode::kInternalFailure, "script exhausted");
    Result<aws::AwsCredentials> next = std::move(answers_.front());
    answers_.pop_front();
    return next;
  }
  int fetches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return fetches_;
  }

 private:
  std::mutex mutex_;
  std::deque<Result<aws::AwsCredentials>> answers_;
  int fetches_ = 0;
};

TEST(CredentialsCache, FreshCredentialsAreReusedWithoutAFetch) {
  auto provider = std::make_shared<ScriptedProvider>(
      std::deque<Result<aws::AwsCredentials>>{Expiring("FIRST", kT0 + minutes(60))});
  CredentialsCache cache(provider);
  ASSERT_THAT(cache.Get(kT0), IsOk());
  EXPECT_EQ(cache.Get(kT0 + minutes(44))->access_key_id, "FIRST");
  EXPECT_EQ(cache.Current(kT0 + minutes(44))->access_key_id, "FIRST");
  EXPECT_EQ(provider->fetches(), 1);
}

TEST(CredentialsCache, AdvisoryWindowFetchesNewCredentials) {
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<aws::AwsCredentials>>{
      Expiring("FIRST", kT0 + minutes(60)), Expiring("SECOND", kT0 + minutes(120))});
  CredentialsCache cache(provider);
  ASSERT_THAT(cache.Get(kT0), IsOk());
  EXPECT_EQ(cache.Current(kT0 + minutes(46)), std::nullopt);  // 14 minutes left
  EXPECT_EQ(cache.Get(kT0 + minutes(46))->access_key_id, "SECOND");
  EXPECT_EQ(provider->fetches(), 2);
}

TEST(CredentialsCache, FailedAdvisoryRefreshKeepsTheCurrentCredentials) {
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<aws::AwsCredentials>>{
      Expiring("FIRST", kT0 + minutes(60)), Status(ErrorCode::kNetworkError, "sts is down")});
  CredentialsCache cache(provider);
  ASSERT_THAT(cache.Get(kT0), IsOk());
  Result<aws::AwsCredentials> kept = cache.Get(kT0 + minutes(46));
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(kept->access_key_id, "FIRST");
  EXPECT_EQ(provider->fetches(), 2);
}

TEST(CredentialsCache, FailedMandatoryRefreshIsReturned) {
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<aws::AwsCredentials>>{
      Expiring("FIRST", kT0 + minutes(60)), Status(ErrorCode::kNetworkError, "sts is down")});
  CredentialsCache cache(provider);
  ASSERT_THAT(cache.Get(kT0), IsOk());
  EXPECT_THAT(cache.Get(kT0 + minutes(51)),
              StatusIs(ErrorCode::kNetworkError, HasSubstr("sts is down")));
}

TEST(CredentialsCache, CredentialsWithoutAnExpirationAreFetchedOnce) {
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<aws::AwsCredentials>>{
      aws::AwsCredentials{.access_key_id = "LONG", .secret_access_key = "s"}});
  CredentialsCache cache(provider);
  ASSERT_THAT(cache.Get(kT0), IsOk());
  EXPECT_EQ(cache.Get(kT0 + std::chrono::hours(24 * 365))->access_key_id, "LONG");
  EXPECT_EQ(provider->fetches(), 1);
}

TEST(CredentialsCache, InitialCredentialsSpareTheFirstFetch) {
  auto provider = std::make_shared<ScriptedProvider>(
      std::deque<Result<aws::AwsCredentials>>{Expiring("SECOND", kT0 + minutes(120))});
  CredentialsCache cache(provider, Expiring("FIRST", kT0 + minutes(60)));
  EXPECT_EQ(cache.Get(kT0)->access_key_id, "FIRST");
  EXPECT_EQ(provider->fetches(), 0);
  EXPECT_EQ(cache.Get(kT0 + minutes(55))->access_key_id, "SECOND");
}

TEST(CredentialsCache, RefreshReturningExpiredCredentialsIsAnError) {
  auto provider = std::make_shared<ScriptedProvider>(
      std::deque<Result<aws::AwsCredentials>>{Expiring("STALE", kT0 - minutes(1))});
  CredentialsCache cache(provider);
  EXPECT_THAT(cache.Get(kT0),
              StatusIs(ErrorCode::kMissingAuthenticationToken, HasSubstr("expired")));
}

// The sources: each is resolved from a scratch environment, fetched once
// through a cache, then asked again 5 minutes before the expiration it gave.
class SourceRefreshTest : public ::testing::Test, protected test::ScratchAwsConfig {
 protected:
  SourceRefreshTest() : ScratchAwsConfig("sqsim_source_refresh_") {
    env_["AWS_REGION"] = "us-east-1";
  }

  // The credentials of the first fetch, and those a cache holding them
  // returns 5 minutes before they expire (inside the mandatory window).
  std::pair<aws::AwsCredentials, aws::AwsCredentials> FetchTwice(
      const AwsConfigRequest& request = {}) {
    Result<std::shared_ptr<aws::CredentialsProvider>> provider =
        ResolveCredentialsProvider(request, Sources());
    EXPECT_THAT(provider, IsOk());
    if (!provider.ok()) return {};
    Result<aws::AwsCredentials> first = (*provider)->Fetch();
    EXPECT_THAT(first, IsOk());
    if (!first.ok() || !first->expiration) return {};
    CredentialsCache cache(*provider, *first);
    Result<aws::AwsCredentials> second = cache.Get(*first->expiration - minutes(5));
    EXPECT_THAT(second, IsOk());
    if (!second.ok()) return {};
    return {*first, *second};
  }

  static std::string Url(const TestHttpServer& server, const std::string& path = "") {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
  }
};

// Expirations count up an hour per answer from kT0, key ids count answers.
std::string NumberedExpiration(int n) { return FormatTimestamp(kT0 + std::chrono::hours(n)); }

TEST_F(SourceRefreshTest, AssumeRoleAsksMotoStsAgain) {
  SQSIM_REQUIRE_MOTO();
  env_["AWS_ENDPOINT_URL_STS"] = ::sqsim::test::SharedMoto().url;
  Write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
  Write("config",
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\n"
        "source_profile = base\n");
  auto [first, second] = FetchTwice({.profile = "dev"});
  EXPECT_THAT(first.access_key_id, StartsWith("ASIA"));
  EXPECT_THAT(second.access_key_id, StartsWith("ASIA"));
  EXPECT_NE(first.access_key_id, second.access_key_id);
}

TEST_F(SourceRefreshTest, WebIdentityAsksMotoStsAgain) {
  SQSIM_REQUIRE_MOTO();
  env_["AWS_ENDPOINT_URL_STS"] = ::sqsim::test::SharedMoto().url;
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = Write("token", "eyJhbGciOiJSUzI1NiJ9.e30.sig");
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/pod";
  auto [first, second] = FetchTwice();
  EXPECT_THAT(second.access_key_id, StartsWith("ASIA"));
  EXPECT_NE(first.access_key_id, second.access_key_id);
}

TEST_F(SourceRefreshTest, CredentialProcessRunsAgain) {
  // The script counts its runs in a file and answers run n with key AKID<n>
  // and the n-th line of the expirations file.
  const std::string counter = (dir_ / "runs").string();
  const std::string expirations =
      Write("expirations", NumberedExpiration(1) + "\n" + NumberedExpiration(2) + "\n");
  const std::string script = Write(
      "creds.sh",
      "n=$(( $(cat '" + counter +
          "' 2>/dev/null || echo 0) + 1 ))\n"
          "echo $n > '" +
          counter + "'\ne=$(sed -n \"${n}p\" '" + expirations + "')\n" +
          R"(printf '{"Version": 1, "AccessKeyId": "AKID%s", "SecretAccessKey": "s", "Expiration": "%s"}' "$n" "$e")");
  Write("config", "[default]\ncredential_process = /bin/sh " + script + "\n");
  auto [first, second] = FetchTwice();
  EXPECT_EQ(first.access_key_id, "AKID1");
  EXPECT_EQ(second.access_key_id, "AKID2");
  EXPECT_EQ(second.expiration, ParseIso8601(NumberedExpiration(2)));
}

TEST_F(SourceRefreshTest, ContainerEndpointIsAskedAgain) {
  auto answers = std::make_shared<std::atomic<int>>(0);
  TestHttpServer server({.responder = [answers](const RecordedRequest&) {
    const int n = ++*answers;
    return ScriptedResponse{.status = 200,
                            .body = R"({"AccessKeyId": "ASIACONTAINER)" + std::to_string(n) +
                                    R"(", "SecretAccessKey": "s", "Token": "t", "Expiration": ")" +
                                    NumberedExpiration(n) + R"("})"};
  }});
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = Url(server, "/creds");
  auto [first, second] = FetchTwice();
  EXPECT_EQ(first.access_key_id, "ASIACONTAINER1");
  EXPECT_EQ(second.access_key_id, "ASIACONTAINER2");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST_F(SourceRefreshTest, InstanceMetadataIsAskedAgainWithANewToken) {
  auto answers = std::make_shared<std::atomic<int>>(0);
  auto tokens = std::make_shared<std::atomic<int>>(0);
  TestHttpServer imds({.responder = [answers, tokens](const RecordedRequest& request) {
    if (request.method == "PUT") {
      return ScriptedResponse{.status = 200, .body = "token-" + std::to_string(++*tokens)};
    }
    if (request.target.ends_with("/security-credentials/")) {
      return ScriptedResponse{.status = 200, .body = "app-role\n"};
    }
    const int n = ++*answers;
    return ScriptedResponse{.status = 200,
                            .body = R"({"Code": "Success", "AccessKeyId": "ASIAIMDS)" +
                                    std::to_string(n) +
                                    R"(", "SecretAccessKey": "s", "Token": "t", "Expiration": ")" +
                                    NumberedExpiration(n) + R"("})"};
  }});
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = Url(imds);
  auto [first, second] = FetchTwice();
  EXPECT_EQ(first.access_key_id, "ASIAIMDS1");
  EXPECT_EQ(second.access_key_id, "ASIAIMDS2");
  const std::vector<RecordedRequest> requests = imds.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[5].Header("x-aws-ec2-metadata-token"), "token-2");
}

}  // namespace credential_refresh_test
}  // namespace sqsim::internal
