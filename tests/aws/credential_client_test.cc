// AwsClient with credentials that change: a caller's CredentialsProvider,
// refreshes driven by the client's Env clock (a manual clock; nothing
// sleeps), and end to end, credentials from AssumeRole on moto's STS signing
// SQS calls to moto.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/credential_document.h"
#include "aws/credentials.h"
#include "aws/test_http_server.h"
#include "sqsim/aws/aws_client.h"
#include "sqsim/testing/matchers.h"
#include "support/moto.h"

namespace sqsim::aws {
namespace credential_client_test {

using ::sqsim::internal::test::RecordedRequest;
using ::sqsim::internal::test::ScriptedResponse;
using ::sqsim::internal::test::TestHttpServer;
using ::sqsim::internal::test::TestHttpServerOptions;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using std::chrono::minutes;

const Timestamp kT0 = *internal::ParseIso8601("2030-01-01T00:00:00Z");

Env* RealEnv() {
  static const std::unique_ptr<Env> env = NewRealEnv(7);
  return env.get();
}

// The real Env with a clock the test sets.
class ManualClockEnv final : public EnvWrapper {
 public:
  explicit ManualClockEnv(Timestamp start)
      : EnvWrapper(RealEnv()), micros_(start.time_since_epoch().count()) {}
  Timestamp Now() override { return Timestamp(Duration(micros_.load())); }
  void Set(Timestamp t) { micros_ = t.time_since_epoch().count(); }

 private:
  std::atomic<int64_t> micros_;
};

AwsCredentials Expiring(const std::string& key_id, Timestamp expiration) {
  return {.access_key_id = key_id,
          .secret_access_key = "secret",
          .session_token = "token-of-" + key_id,
          .expiration = expiration};
}

// Answers Fetch from a script and counts the calls. When `hold_fetch` is
// set, that fetch (1-based) waits for Release() after announcing itself.
class ScriptedProvider final : public CredentialsProvider {
 public:
  explicit ScriptedProvider(std::deque<Result<AwsCredentials>> answers, int hold_fetch = 0)
      : answers_(std::move(answers)), hold_fetch_(hold_fetch) {}

  Result<AwsCredentials> Fetch() override {
    int n = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      n = ++fetches_;
    }
    if (n == hold_fetch_) {
      held_.set_value();
      release_.get_future().wait();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (answers_.empty()) return Status(ErrorCode::kInternalFailure, "script exhausted");
    Result<AwsCredentials> next = std::move(answers_.front());
    answers_.pop_front();
    return next;
  }

  int fetches() {
    std::lock_guard<std::mutex> lock(mutex_);
    return fetches_;
  }
  void WaitUntilHeld() { held_.get_future().wait(); }
  void Release() { release_.set_value(); }

 private:
  std::mutex mutex_;
  std::deque<Result<AwsCredentials>> answers_;
  int fetches_ = 0;
  const int hold_fetch_;
  std::promise<void> held_;
  std::promise<void> release_;
};

// Stands in for SQS: every request gets an empty JSON object, a valid
// ListQueues answer.
TestHttpServerOptions SqsStandIn() {
  return {.responder = [](const RecordedRequest&) {
    return ScriptedResponse{
        .status = 200, .headers = {{"Content-Type", "application/x-amz-json-1.0"}}, .body = "{}"};
  }};
}

// The access key id a request was signed with.
std::string SigningKey(const RecordedRequest& request) {
  const std::string authorization = request.Header("Authorization").value_or("");
  const size_t start = authorization.find("Credential=") + 11;
  return authorization.substr(start, authorization.find('/', start) - start);
}

Result<std::unique_ptr<AwsClient>> ClientFor(const TestHttpServer& server,
                                             std::shared_ptr<CredentialsProvider> provider,
                                             Env* env) {
  return AwsClient::Create({.region = "eu-west-1",
                            .endpoint_url = "http://127.0.0.1:" + std::to_string(server.port()),
                            .credentials_provider = std::move(provider),
                            .max_attempts = 1,
                            .env = env});
}

TEST(AwsClientCredentials, SignsWithRefreshedCredentialsOnceTheOldOnesNearExpiry) {
  TestHttpServer sqs(SqsStandIn());
  ManualClockEnv env(kT0);
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<AwsCredentials>>{
      Expiring("ASIAFIRST", kT0 + minutes(60)), Expiring("ASIASECOND", kT0 + minutes(120))});
  Result<std::unique_ptr<AwsClient>> client = ClientFor(sqs, provider, &env);
  ASSERT_THAT(client, IsOk());
  ASSERT_THAT((*client)->ListQueues({}), IsOk());
  env.Set(kT0 + minutes(40));  // 20 minutes left: still fresh
  ASSERT_THAT((*client)->ListQueues({}), IsOk());
  env.Set(kT0 + minutes(55));  // 5 minutes left: mandatory refresh
  ASSERT_THAT((*client)->ListQueues({}), IsOk());
  const std::vector<RecordedRequest> requests = sqs.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(SigningKey(requests[0]), "ASIAFIRST");
  EXPECT_EQ(SigningKey(requests[1]), "ASIAFIRST");
  EXPECT_EQ(SigningKey(requests[2]), "ASIASECOND");
  EXPECT_EQ(requests[2].Header("X-Amz-Security-Token"), "token-of-ASIASECOND");
  EXPECT_EQ(provider->fetches(), 2);
}

TEST(AwsClientCredentials, CallsDuringAnAdvisoryRefreshUseTheCurrentCredentials) {
  TestHttpServer sqs(SqsStandIn());
  ManualClockEnv env(kT0);
  auto provider = std::make_shared<ScriptedProvider>(
      std::deque<Result<AwsCredentials>>{Expiring("ASIAFIRST", kT0 + minutes(60)),
                                         Expiring("ASIASECOND", kT0 + minutes(120))},
      /*hold_fetch=*/2);
  Result<std::unique_ptr<AwsClient>> client = ClientFor(sqs, provider, &env);
  ASSERT_THAT(client, IsOk());
  env.Set(kT0 + minutes(48));  // 12 minutes left: advisory refresh
  std::future<Result<ListQueuesResponse>> refreshing =
      std::async(std::launch::async, [&client] { return (*client)->ListQueues({}); });
  provider->WaitUntilHeld();
  // The refresh is stuck in Fetch; this call neither waits for it nor is
  // held up on the I/O thread.
  ASSERT_THAT((*client)->ListQueues({}), IsOk());
  provider->Release();
  ASSERT_THAT(refreshing.get(), IsOk());
  const std::vector<RecordedRequest> requests = sqs.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(SigningKey(requests[0]), "ASIAFIRST");
  EXPECT_EQ(SigningKey(requests[1]), "ASIASECOND");
}

TEST(AwsClientCredentials, CallFailsWithTheProvidersErrorWhenAMandatoryRefreshFails) {
  TestHttpServer sqs(SqsStandIn());
  ManualClockEnv env(kT0);
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<AwsCredentials>>{
      Expiring("ASIAFIRST", kT0 + minutes(60)),
      Status(ErrorCode::kAccessDenied, "assume-role (arn:aws:iam::1:role/r): AccessDenied")});
  Result<std::unique_ptr<AwsClient>> client = ClientFor(sqs, provider, &env);
  ASSERT_THAT(client, IsOk());
  env.Set(kT0 + minutes(58));
  EXPECT_THAT((*client)->ListQueues({}),
              StatusIs(ErrorCode::kAccessDenied, HasSubstr("assume-role")));
  EXPECT_TRUE(sqs.requests().empty());
}

TEST(AwsClientCredentials, CreateFailsWithTheProvidersError) {
  TestHttpServer sqs(SqsStandIn());
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<AwsCredentials>>{
      Status(ErrorCode::kNetworkError, "container-role: connect refused")});
  EXPECT_THAT(ClientFor(sqs, provider, nullptr),
              StatusIs(ErrorCode::kNetworkError, HasSubstr("container-role")));
}

TEST(AwsClientCredentials, CredentialsAndAProviderTogetherAreRejected) {
  auto provider = std::make_shared<ScriptedProvider>(std::deque<Result<AwsCredentials>>{});
  EXPECT_THAT(AwsClient::Create({.region = "eu-west-1",
                                 .endpoint_url = "http://127.0.0.1:1",
                                 .credentials = AwsCredentials{"AKID", "s"},
                                 .credentials_provider = provider}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("not both")));
  EXPECT_EQ(provider->fetches(), 0);
}

// Records what the wrapped provider hands out.
class RecordingProvider final : public CredentialsProvider {
 public:
  explicit RecordingProvider(std::shared_ptr<CredentialsProvider> inner)
      : inner_(std::move(inner)) {}
  Result<AwsCredentials> Fetch() override {
    Result<AwsCredentials> fetched = inner_->Fetch();
    std::lock_guard<std::mutex> lock(mutex_);
    if (fetched.ok()) keys_.push_back(fetched->access_key_id);
    return fetched;
  }
  std::vector<std::string> keys() {
    std::lock_guard<std::mutex> lock(mutex_);
    return keys_;
  }

 private:
  const std::shared_ptr<CredentialsProvider> inner_;
  std::mutex mutex_;
  std::vector<std::string> keys_;
};

TEST(AwsClientCredentials, AssumedRoleFromMotoStsSendsAndReceivesOnMotoSqs) {
  SQSIM_REQUIRE_MOTO();
  const std::string moto = ::sqsim::test::SharedMoto().url;
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "sqsim_credential_client_e2e";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "credentials")
      << "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";
  std::ofstream(dir / "config") << "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                                   "source_profile = base\nrole_session_name = e2e\n";
  const std::map<std::string, std::string> env = {
      {"AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").string()},
      {"AWS_CONFIG_FILE", (dir / "config").string()},
      {"AWS_ENDPOINT_URL_STS", moto},
      {"AWS_REGION", "us-east-1"},
      {"AWS_EC2_METADATA_DISABLED", "true"}};
  const internal::ConfigSources sources{
      .getenv = [env](std::string_view name) -> std::optional<std::string> {
        auto it = env.find(std::string(name));
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      .home_dir = dir.string()};
  Result<std::shared_ptr<CredentialsProvider>> chain =
      internal::ResolveCredentialsProvider({.profile = "app"}, sources);
  ASSERT_THAT(chain, IsOk());
  auto recording = std::make_shared<RecordingProvider>(*chain);

  Result<std::unique_ptr<AwsClient>> client = AwsClient::Create(
      {.region = "us-east-1", .endpoint_url = moto, .credentials_provider = recording});
  ASSERT_THAT(client, IsOk());
  Result<CreateQueueResponse> queue =
      (*client)->CreateQueue({.queue_name = ::sqsim::test::UniqueQueueName("assumed")});
  ASSERT_THAT(queue, IsOk());
  ASSERT_THAT((*client)->SendMessage({.queue_url = queue->queue_url, .message_body = "hello"}),
              IsOk());
  Result<ReceiveMessageResponse> received =
      (*client)->ReceiveMessage({.queue_url = queue->queue_url, .wait_time_seconds = 1});
  ASSERT_THAT(received, IsOk());
  ASSERT_EQ(received->messages.size(), 1u);
  EXPECT_EQ(received->messages[0].body, "hello");
  ASSERT_EQ(recording->keys().size(), 1u);
  EXPECT_THAT(recording->keys()[0], StartsWith("ASIA"));
  std::filesystem::remove_all(dir);
}

}  // namespace credential_client_test
}  // namespace sqsim::aws
