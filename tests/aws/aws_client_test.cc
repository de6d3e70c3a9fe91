// AwsClient against a scripted local HTTP(S) server: what goes on the wire,
// how errors, retries, MD5 checks and TLS verification behave. (The tests
// against real SQS implementations, moto_server and sqsim-server, are in
// aws_client_peers_test.cc.)

#include "sqsim/aws/aws_client.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "aws/test_http_server.h"
#include "aws/test_tls_certs.h"
#include "core/digest.h"
#include "sqsim/testing/matchers.h"
#include "wire/json_codec.h"

namespace sqsim::aws {
namespace {

using internal::test::RecordedRequest;
using internal::test::ScriptedResponse;
using internal::test::TestHttpServer;
using internal::test::TestHttpServerOptions;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;

const AwsCredentials kCredentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret"};

// An Env whose Sleep returns at once and records what was asked, so retries
// cost no real time and their backoff can be checked.
Env* RealEnv() {
  static const std::unique_ptr<Env> env = NewRealEnv(1);
  return env.get();
}

class RecordingEnv final : public EnvWrapper {
 public:
  RecordingEnv() : EnvWrapper(RealEnv()) {}
  boost::asio::awaitable<void> Sleep(Duration d) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sleeps_.push_back(d);
    co_return;
  }
  std::vector<Duration> sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  std::mutex mutex_;
  std::vector<Duration> sleeps_;
};

ScriptedResponse JsonError(int status, const Status& error) {
  wire::JsonErrorResponse encoded = wire::EncodeJsonError(error);
  return {.status = status,
          .headers = {{"Content-Type", "application/x-amz-json-1.0"},
                      {"x-amzn-query-error", encoded.query_error_header}},
          .body = encoded.body};
}

ScriptedResponse Json(const std::string& body) {
  return {.status = 200, .headers = {{"Content-Type", "application/x-amz-json-1.0"}}, .body = body};
}

std::unique_ptr<AwsClient> ClientFor(uint16_t port, Env* env = nullptr, int max_attempts = 3,
                                     const std::string& scheme = "http",
                                     std::optional<std::string> ca_file = std::nullopt) {
  auto created = AwsClient::Create({.region = "eu-west-1",
                                    .endpoint_url = scheme + "://127.0.0.1:" + std::to_string(port),
                                    .credentials = kCredentials,
                                    .max_attempts = max_attempts,
                                    .ca_file = std::move(ca_file),
                                    .env = env});
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? std::move(*created) : nullptr;
}

TEST(AwsClientTest, SendsASignedJsonProtocolRequest) {
  TestHttpServer server(TestHttpServerOptions{
      .responder = [](const RecordedRequest&) { return Json(R"({"QueueUrl":"http://q/1/a"})"); }});
  auto client = ClientFor(server.port());
  auto url = client->GetQueueUrl({.queue_name = "grades"});
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->queue_url, "http://q/1/a");

  const RecordedRequest request = server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/");
  EXPECT_EQ(request.Header("X-Amz-Target"), "AmazonSQS.GetQueueUrl");
  EXPECT_EQ(request.Header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(request.Header("x-amzn-query-mode"), "true");
  EXPECT_EQ(request.body, R"({"QueueName":"grades"})");
  const std::string authorization = request.Header("Authorization").value_or("");
  EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
      << authorization;
  EXPECT_NE(authorization.find("/eu-west-1/sqs/aws4_request"), std::string::npos) << authorization;
}

TEST(AwsClientTest, AnEndpointPathBecomesTheRequestTarget) {
  TestHttpServer server(TestHttpServerOptions{
      .responder = [](const RecordedRequest&) { return Json(R"({"QueueUrl":"u"})"); }});
  auto client = AwsClient::Create(
                    {.region = "eu-west-1",
                     .endpoint_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/sqs",
                     .credentials = kCredentials})
                    .value();
  ASSERT_TRUE(client->GetQueueUrl({.queue_name = "a"}).ok());
  EXPECT_EQ(server.requests().at(0).target, "/sqs");
}

TEST(AwsClientTest, AnErrorResponseBecomesTheSameStatusTheSimulatorReturns) {
  TestHttpServer server(TestHttpServerOptions{.responder = [](const RecordedRequest&) {
    return JsonError(400,
                     Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."));
  }});
  auto client = ClientFor(server.port());
  auto url = client->GetQueueUrl({.queue_name = "missing"});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), ErrorCode::kQueueDoesNotExist);
  EXPECT_EQ(url.status().message(), "The specified queue does not exist.");
  EXPECT_EQ(server.requests().size(), 1u);  // not retryable
}

TEST(AwsClientTest, ThrottlingIsRetriedWithBackoffUntilItSucceeds) {
  std::atomic<int> calls{0};
  TestHttpServer server(TestHttpServerOptions{.responder = [&](const RecordedRequest&) {
    if (calls++ < 2)
      return JsonError(400, Status(ErrorCode::kThrottlingException, "Rate exceeded"));
    return Json(R"({"QueueUrl":"u"})");
  }});
  RecordingEnv env;
  auto client = ClientFor(server.port(), &env);
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(calls.load(), 3);
  const std::vector<Duration> sleeps = env.sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_LT(sleeps[0], std::chrono::seconds(1));  // random[0,1) * 2^0 s
  EXPECT_LT(sleeps[1], std::chrono::seconds(2));  // random[0,1) * 2^1 s
}

TEST(AwsClientTest, RetriesStopAfterMaxAttempts) {
  std::atomic<int> calls{0};
  TestHttpServer server(TestHttpServerOptions{.responder = [&](const RecordedRequest&) {
    ++calls;
    return JsonError(503, Status(ErrorCode::kServiceUnavailable, "try later"));
  }});
  RecordingEnv env;
  auto client = ClientFor(server.port(), &env, /*max_attempts=*/4);
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), ErrorCode::kServiceUnavailable);
  EXPECT_EQ(calls.load(), 4);
  EXPECT_EQ(env.sleeps().size(), 3u);
}

TEST(AwsClientTest, EveryAttemptIsSignedAfresh) {
  std::atomic<int> calls{0};
  TestHttpServer server(TestHttpServerOptions{.responder = [&](const RecordedRequest&) {
    if (calls++ == 0) return JsonError(500, Status(ErrorCode::kInternalFailure, "oops"));
    return Json(R"({"QueueUrl":"u"})");
  }});
  RecordingEnv env;
  auto client = ClientFor(server.port(), &env);
  ASSERT_TRUE(client->GetQueueUrl({.queue_name = "a"}).ok());
  const std::vector<RecordedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[1].Header("X-Amz-Date").has_value());
  EXPECT_TRUE(requests[1].Header("Authorization").has_value());
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST(AwsClientTest, AConnectionRefusedIsANetworkErrorAfterRetries) {
  const uint16_t port = [] {
    TestHttpServer closed;  // take a port, then free it
    return closed.port();
  }();
  RecordingEnv env;
  auto client = ClientFor(port, &env);
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), ErrorCode::kNetworkError) << url.status();
  EXPECT_EQ(env.sleeps().size(), 2u);
}

TEST(AwsClientTest, AWrongBodyDigestFailsTheSend) {
  TestHttpServer server(TestHttpServerOptions{.responder = [](const RecordedRequest&) {
    return Json(R"({"MessageId":"m-1","MD5OfMessageBody":"00000000000000000000000000000000"})");
  }});
  auto client = ClientFor(server.port());
  auto sent = client->SendMessage({.queue_url = "http://q/1/a", .message_body = "hello"});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), ErrorCode::kMalformedResponse);
  EXPECT_NE(sent.status().message().find("MD5 of message body"), std::string::npos)
      << sent.status();
}

TEST(AwsClientTest, ACorrectBodyDigestPasses) {
  TestHttpServer server(TestHttpServerOptions{.responder = [](const RecordedRequest&) {
    return Json(R"({"MessageId":"m-1","MD5OfMessageBody":")" + internal::Md5Hex("hello") + R"("})");
  }});
  auto client = ClientFor(server.port());
  auto sent = client->SendMessage({.queue_url = "http://q/1/a", .message_body = "hello"});
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->message_id, "m-1");
}

TEST(AwsClientTest, AReceivedMessageWithAWrongAttributeDigestFailsTheReceive) {
  TestHttpServer server(TestHttpServerOptions{.responder = [](const RecordedRequest&) {
    ReceiveMessageResponse response{
        .messages = {Message{
            .message_id = "m-1",
            .receipt_handle = "h",
            .md5_of_body = internal::Md5Hex("b"),
            .body = "b",
            .md5_of_message_attributes = "ffffffffffffffffffffffffffffffff",
            .message_attributes = {{"k", {.string_value = "v", .data_type = "String"}}},
        }}};
    return Json(wire::EncodeJsonResponse(response));
  }});
  auto client = ClientFor(server.port());
  auto received =
      client->ReceiveMessage({.queue_url = "http://q/1/a", .message_attribute_names = {"All"}});
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(received.status().code(), ErrorCode::kMalformedResponse);
}

TEST(AwsClientTest, AnUnreadableSuccessBodyIsAMalformedResponse) {
  TestHttpServer server(TestHttpServerOptions{
      .responder = [](const RecordedRequest&) { return Json(R"({"QueueUrl": 42)"); }});
  auto client = ClientFor(server.port());
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), ErrorCode::kMalformedResponse);
}

// The server answers after 800 ms: longer than the 300 ms request timeout
// (a certain lower bound), far shorter than that timeout plus a 20-second
// long poll (a margin no busy machine eats).
TEST(AwsClientTest, ALongPollGetsItsWaitTimeOnTopOfTheRequestTimeout) {
  TestHttpServer server(TestHttpServerOptions{.responder = [](const RecordedRequest&) {
    ScriptedResponse slow = Json("{}");
    slow.delay = std::chrono::milliseconds(800);
    return slow;
  }});
  auto client =
      AwsClient::Create({.region = "eu-west-1",
                         .endpoint_url = "http://127.0.0.1:" + std::to_string(server.port()),
                         .credentials = kCredentials,
                         .max_attempts = 1,
                         .request_timeout = std::chrono::milliseconds(300)})
          .value();
  auto received = client->ReceiveMessage({.queue_url = "http://q/1/a", .wait_time_seconds = 20});
  EXPECT_TRUE(received.ok()) << received.status();
  auto short_call = client->ListQueues({});
  ASSERT_FALSE(short_call.ok());
  EXPECT_EQ(short_call.status().code(), ErrorCode::kTimeout) << short_call.status();
}

// Sets (or, with nullopt, unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(AwsClientTest, CreateFailsClearlyWithoutARegion) {
  // No region anywhere the SDKs look: not in the options, not in the
  // environment, not in (absent) shared config files.
  const ScopedEnv region("AWS_REGION", std::nullopt);
  const ScopedEnv default_region("AWS_DEFAULT_REGION", std::nullopt);
  const ScopedEnv profile("AWS_PROFILE", std::nullopt);
  const ScopedEnv config("AWS_CONFIG_FILE", "/nonexistent/sqsim-test/config");
  const ScopedEnv credentials("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sqsim-test/credentials");
  EXPECT_THAT(AwsClient::Create({.region = std::nullopt,
                                 .endpoint_url = "http://127.0.0.1:1",
                                 .credentials = kCredentials}),
              StatusIs(ErrorCode::kMissingParameter, HasSubstr("no AWS region found")));
}

TEST(AwsClientTest, CreateFailsWhenTheNamedProfileDoesNotExist) {
  const ScopedEnv config("AWS_CONFIG_FILE", "/nonexistent/sqsim-test/config");
  const ScopedEnv credentials("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/sqsim-test/credentials");
  EXPECT_THAT(AwsClient::Create({.region = std::nullopt,
                                 .endpoint_url = "http://127.0.0.1:1",
                                 .credentials = kCredentials,
                                 .profile = "sqsim-test-profile-that-does-not-exist"}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       HasSubstr("profile 'sqsim-test-profile-that-does-not-exist' not found")));
}

TEST(AwsClientTest, CreateRejectsAMalformedEndpointUrl) {
  auto created = AwsClient::Create(
      {.region = "eu-west-1", .endpoint_url = "ftp://example.com", .credentials = kCredentials});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kInvalidParameterValue);
}

TEST(AwsClientTest, TheRegionGivesTheStandardEndpoint) {
  auto created = AwsClient::Create({.region = "eu-west-1", .credentials = kCredentials});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created)->endpoint_url(), "https://sqs.eu-west-1.amazonaws.com");
  EXPECT_EQ((*created)->region(), "eu-west-1");
}

class AwsClientTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pki_ = internal::test::MakeTestPki();
    ASSERT_TRUE(pki_.has_value()) << "could not generate test certificates";
  }
  void TearDown() override {
    if (pki_) internal::test::RemoveTestPki(*pki_);
  }
  std::optional<internal::test::TestPki> pki_;
};

TEST_F(AwsClientTlsTest, SucceedsWhenTheServersCaIsTrusted) {
  TestHttpServer server(TestHttpServerOptions{
      .cert_file = pki_->server_cert,
      .key_file = pki_->server_key,
      .responder = [](const RecordedRequest&) { return Json(R"({"QueueUrl":"u"})"); }});
  auto client = ClientFor(server.port(), nullptr, 1, "https", pki_->ca_cert);
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_TRUE(url.ok()) << url.status();
}

TEST_F(AwsClientTlsTest, FailsWithACertificateErrorWhenTheCaIsNotTrusted) {
  TestHttpServer server(TestHttpServerOptions{
      .cert_file = pki_->server_cert,
      .key_file = pki_->server_key,
      .responder = [](const RecordedRequest&) { return Json(R"({"QueueUrl":"u"})"); }});
  auto client = ClientFor(server.port(), nullptr, 1, "https");
  auto url = client->GetQueueUrl({.queue_name = "a"});
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), ErrorCode::kNetworkError);
  EXPECT_NE(url.status().message().find("certificate verify failed"), std::string::npos)
      << url.status();
  EXPECT_TRUE(server.requests().empty());  // nothing was sent in clear or otherwise
}

}  // namespace
}  // namespace sqsim::aws
