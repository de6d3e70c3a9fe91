// The router as a function: one HTTP request in, one reply out, no sockets.
// The backend runs in manual time and signatures are checked against an
// injected clock, so these tests assert exact outcomes, never timings.

#include "server/router.h"

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "wire/sigv4.h"

namespace sqsim::internal {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const Timestamp kStart = Timestamp(std::chrono::seconds(1767225600));  // 2026-01-01
constexpr char kEndpoint[] = "http://127.0.0.1:9324";
const aws::AwsCredentials kKey{"AKIDROUTERTEST", "router-test-secret"};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    SimulatorOptions options = SimulatorOptions::Exact();
    options.endpoint = kEndpoint;
    backend_ =
        Backend::Create(io_, options, TimeSource(http::TimeMode::kManual, kStart), {}).value();
    router_.emplace(backend_.get(),
                    RouterOptions{.endpoint = kEndpoint,
                                  .access_keys = {{kKey.access_key_id, kKey.secret_access_key}},
                                  .signing_env = &clock_});
  }

  // Runs the router's coroutine to completion on the test's io_context.
  Reply Handle(HttpRequest request) {
    std::optional<Reply> reply;
    boost::asio::co_spawn(io_, router_->Handle(std::move(request)),
                          [&](std::exception_ptr e, Reply r) {
                            if (e) std::rethrow_exception(e);
                            reply = std::move(r);
                          });
    io_.run();
    io_.restart();
    EXPECT_TRUE(reply.has_value());
    return reply.value_or(Reply{});
  }

  // A JSON-protocol request for `action`, signed at `signed_at`.
  static HttpRequest Signed(std::string_view action, const json& body, Timestamp signed_at) {
    HttpRequest request;
    request.headers.Set("X-Amz-Target", "AmazonSQS." + std::string(action));
    request.headers.Set("Content-Type", "application/x-amz-json-1.0");
    request.body = body.dump();
    SignRequest(request, kKey, "us-east-1", "sqs", signed_at, "127.0.0.1:9324");
    return request;
  }

  boost::asio::io_context io_;
  // The real world, but with a clock that moves only when told.
  class ManualClockEnv final : public EnvWrapper {
   public:
    using EnvWrapper::EnvWrapper;
    Timestamp Now() override { return now; }
    Timestamp now = kStart;
  };
  std::unique_ptr<Env> real_env_ = NewRealEnv(/*seed=*/1);
  ManualClockEnv clock_{real_env_.get()};
  std::unique_ptr<Backend> backend_;
  std::optional<Router> router_;
};

TEST_F(RouterTest, SignedRequestIsServed) {
  const Reply reply = Handle(Signed("CreateQueue", {{"QueueName", "orders"}}, kStart));
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(json::parse(reply.body)["QueueUrl"], "http://127.0.0.1:9324/123456789012/orders");
}

TEST_F(RouterTest, SignatureOlderThanFifteenMinutesIsRejected) {
  const HttpRequest request = Signed("ListQueues", json::object(), kStart);
  clock_.now += 15min + 1s;
  const Reply reply = Handle(request);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "SignatureDoesNotMatch;Sender");
  EXPECT_NE(reply.body.find("Signature expired"), std::string::npos) << reply.body;
}

TEST_F(RouterTest, SignatureWithinTheSkewIsAccepted) {
  const HttpRequest request = Signed("ListQueues", json::object(), kStart);
  clock_.now += 14min;
  EXPECT_EQ(Handle(request).status, 200);
}

TEST_F(RouterTest, UnknownAccessKeyIsInvalidClientTokenId) {
  HttpRequest request = Signed("ListQueues", json::object(), kStart);
  SignRequest(request, aws::AwsCredentials{"AKIDUNKNOWN", "x"}, "us-east-1", "sqs", kStart,
              "127.0.0.1:9324");
  const Reply reply = Handle(request);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "InvalidClientTokenId;Sender");
}

TEST_F(RouterTest, UnknownTargetIsInvalidAction) {
  const Reply reply = Handle(Signed("FrobnicateQueue", json::object(), kStart));
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.query_error, "InvalidAction;Sender");
}

TEST_F(RouterTest, UnsignedUnknownActionGetsTheAuthenticationErrorFirst) {
  HttpRequest request;
  request.headers.Set("X-Amz-Target", "AmazonSQS.FrobnicateQueue");
  request.headers.Set("Content-Type", "application/x-amz-json-1.0");
  request.body = "{}";
  const Reply reply = Handle(request);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "MissingAuthenticationToken;Sender");
}

// The attack: a captured signed request, replayed within its 15 minutes
// with another body and `X-Amz-Content-SHA256` declaring the hash of the
// body that was signed (an unsigned header, so adding it breaks nothing).
// The server hashes the body it received, so the signature no longer
// matches and nothing happens.
TEST_F(RouterTest, CapturedJsonRequestReplayedWithAnotherBodyIsRejected) {
  ASSERT_EQ(Handle(Signed("CreateQueue", {{"QueueName", "orders"}}, kStart)).status, 200);
  const std::string url = std::string(kEndpoint) + "/123456789012/orders";
  HttpRequest replay = Signed("SendMessage", {{"QueueUrl", url}, {"MessageBody", "hello"}}, kStart);
  replay.headers.Set("X-Amz-Content-SHA256", Sha256Hex(replay.body));
  replay.body = json({{"QueueUrl", url}, {"MessageBody", "forged"}}).dump();
  const Reply reply = Handle(replay);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "SignatureDoesNotMatch;Sender");

  const Reply left = Handle(
      Signed("GetQueueAttributes",
             {{"QueueUrl", url}, {"AttributeNames", {"ApproximateNumberOfMessages"}}}, kStart));
  EXPECT_EQ(json::parse(left.body)["Attributes"]["ApproximateNumberOfMessages"], "0") << left.body;
}

TEST_F(RouterTest, CapturedQueryRequestReplayedAsAnotherActionIsRejected) {
  ASSERT_EQ(Handle(Signed("CreateQueue", {{"QueueName", "orders"}}, kStart)).status, 200);
  HttpRequest replay;
  replay.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  replay.body = "Action=ListQueues&Version=2012-11-05";
  SignRequest(replay, kKey, "us-east-1", "sqs", kStart, "127.0.0.1:9324");
  replay.headers.Set("X-Amz-Content-SHA256", Sha256Hex(replay.body));
  replay.body = "Action=DeleteQueue&Version=2012-11-05&QueueUrl=" + std::string(kEndpoint) +
                "/123456789012/orders";
  const Reply reply = Handle(replay);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_NE(reply.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos) << reply.body;

  const Reply listed = Handle(Signed("ListQueues", json::object(), kStart));
  EXPECT_EQ(json::parse(listed.body)["QueueUrls"].size(), 1u) << listed.body;
}

TEST_F(RouterTest, DeclaredHashOfTheBodyItselfIsAccepted) {
  HttpRequest request;
  request.headers.Set("X-Amz-Target", "AmazonSQS.ListQueues");
  request.headers.Set("Content-Type", "application/x-amz-json-1.0");
  request.body = "{}";
  request.headers.Set("X-Amz-Content-SHA256", Sha256Hex(request.body));
  SignRequest(request, kKey, "us-east-1", "sqs", kStart, "127.0.0.1:9324");
  EXPECT_EQ(Handle(request).status, 200);
}

// UNSIGNED-PAYLOAD is S3's: SQS signatures always cover the payload.
TEST_F(RouterTest, UnsignedPayloadDoesNotVerify) {
  HttpRequest request;
  request.headers.Set("X-Amz-Target", "AmazonSQS.ListQueues");
  request.headers.Set("Content-Type", "application/x-amz-json-1.0");
  request.headers.Set("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD");
  request.body = "{}";
  SignRequest(request, kKey, "us-east-1", "sqs", kStart, "127.0.0.1:9324");
  const Reply reply = Handle(request);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "SignatureDoesNotMatch;Sender");
}

TEST_F(RouterTest, CredentialScopedToAnotherRegionIsRejected) {
  HttpRequest request = Signed("ListQueues", json::object(), kStart);
  SignRequest(request, kKey, "eu-west-1", "sqs", kStart, "127.0.0.1:9324");
  const Reply reply = Handle(request);
  EXPECT_EQ(reply.status, 403) << reply.body;
  EXPECT_EQ(reply.query_error, "SignatureDoesNotMatch;Sender");
  EXPECT_NE(reply.body.find("Credential should be scoped to a valid region, not 'eu-west-1'."),
            std::string::npos)
      << reply.body;
}

// X-Ray propagation: the X-Amzn-Trace-Id header becomes each sent message's
// AWSTraceHeader attribute; a message's own AWSTraceHeader wins.
TEST_F(RouterTest, TraceIdHeaderBecomesEachMessagesAwsTraceHeader) {
  constexpr char kTraceId[] =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  const std::string url = json::parse(
      Handle(Signed("CreateQueue", {{"QueueName", "traced"}}, kStart)).body)["QueueUrl"];
  const auto with_trace_id = [&](std::string_view action, const json& body) {
    HttpRequest request;
    request.headers.Set("X-Amz-Target", "AmazonSQS." + std::string(action));
    request.headers.Set("Content-Type", "application/x-amz-json-1.0");
    request.headers.Set("X-Amzn-Trace-Id", kTraceId);
    request.body = body.dump();
    SignRequest(request, kKey, "us-east-1", "sqs", kStart, "127.0.0.1:9324");
    return Handle(request);
  };
  const json own = {{"AWSTraceHeader", {{"DataType", "String"}, {"StringValue", "Root=own"}}}};
  const json sent = json::parse(
      with_trace_id("SendMessage", {{"QueueUrl", url}, {"MessageBody", "single"}}).body);
  EXPECT_FALSE(sent.contains("MD5OfMessageSystemAttributes")) << sent.dump();
  const json batch = json::parse(
      with_trace_id("SendMessageBatch",
                    {{"QueueUrl", url},
                     {"Entries",
                      {{{"Id", "a"}, {"MessageBody", "batched"}},
                       {{"Id", "b"}, {"MessageBody", "own"}, {"MessageSystemAttributes", own}}}}})
          .body);
  ASSERT_EQ(batch["Successful"].size(), 2u) << batch.dump();
  EXPECT_FALSE(batch["Successful"][0].contains("MD5OfMessageSystemAttributes")) << batch.dump();
  EXPECT_TRUE(batch["Successful"][1].contains("MD5OfMessageSystemAttributes")) << batch.dump();

  const json received =
      json::parse(Handle(Signed("ReceiveMessage",
                                {{"QueueUrl", url},
                                 {"MaxNumberOfMessages", 10},
                                 {"MessageSystemAttributeNames", {"AWSTraceHeader"}}},
                                kStart))
                      .body);
  std::map<std::string, std::string> trace_by_body;
  for (const json& m : received["Messages"]) {
    trace_by_body[m["Body"]] = m["Attributes"].value("AWSTraceHeader", "(none)");
  }
  EXPECT_EQ(trace_by_body, (std::map<std::string, std::string>{
                               {"single", kTraceId}, {"batched", kTraceId}, {"own", "Root=own"}}));
}

TEST_F(RouterTest, SendWithoutTraceIdHeaderHasNoAwsTraceHeader) {
  const std::string url =
      json::parse(Handle(Signed("CreateQueue", {{"QueueName", "plain"}}, kStart)).body)["QueueUrl"];
  Handle(Signed("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}, kStart));
  const json received = json::parse(
      Handle(Signed("ReceiveMessage", {{"QueueUrl", url}, {"MessageSystemAttributeNames", {"All"}}},
                    kStart))
          .body);
  ASSERT_EQ(received["Messages"].size(), 1u) << received.dump();
  EXPECT_FALSE(received["Messages"][0]["Attributes"].contains("AWSTraceHeader")) << received.dump();
}

// An allocation failure inside a request is SQS's retryable InternalFailure
// (500), not a dropped connection, and the next request is served as usual.
TEST_F(RouterTest, AllocationFailureIsInternalFailureAndChangesNothing) {
  const std::string url =
      json::parse(Handle(Signed("CreateQueue", {{"QueueName", "oom"}}, kStart)).body)["QueueUrl"];
  backend_->set_fail_allocations_for_testing(true);
  const Reply failed =
      Handle(Signed("SendMessage", {{"QueueUrl", url}, {"MessageBody", "x"}}, kStart));
  EXPECT_EQ(failed.status, 500) << failed.body;
  EXPECT_EQ(failed.query_error, "InternalFailure;Receiver");
  const Reply failed_receive = Handle(Signed("ReceiveMessage", {{"QueueUrl", url}}, kStart));
  EXPECT_EQ(failed_receive.status, 500) << failed_receive.body;
  backend_->set_fail_allocations_for_testing(false);
  const json received =
      json::parse(Handle(Signed("ReceiveMessage", {{"QueueUrl", url}}, kStart)).body);
  EXPECT_FALSE(received.contains("Messages")) << received.dump();
}

// Without signatures, a browser's cross-origin form POST (no preflight
// needed) must not reach the SQS API: a request with an Origin header is
// refused and changes nothing. With signatures a page cannot sign, so a
// signed request is served whatever its Origin.
TEST_F(RouterTest, WithoutSignaturesARequestWithAnOriginIsRefused) {
  ASSERT_EQ(Handle(Signed("CreateQueue", {{"QueueName", "precious"}}, kStart)).status, 200);
  router_.emplace(backend_.get(), RouterOptions{.endpoint = kEndpoint, .signing_env = &clock_});
  HttpRequest form;
  form.method = "POST";
  form.target = "/";
  form.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  form.headers.Set("Origin", "https://evil.example");
  form.body = "Action=DeleteQueue&QueueUrl=http%3A%2F%2F127.0.0.1%3A9324%2F123456789012%2Fprecious";
  const Reply refused = Handle(form);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("<Code>AccessDenied</Code>"), std::string::npos) << refused.body;
  form.headers.Remove("Origin");
  form.body = "Action=GetQueueUrl&QueueName=precious";
  EXPECT_EQ(Handle(form).status, 200);  // still there
}

TEST_F(RouterTest, ASignedRequestWithAnOriginIsServed) {
  HttpRequest request;
  request.headers.Set("X-Amz-Target", "AmazonSQS.ListQueues");
  request.headers.Set("Content-Type", "application/x-amz-json-1.0");
  request.headers.Set("Origin", "https://app.example");
  request.body = "{}";
  SignRequest(request, kKey, "us-east-1", "sqs", kStart, "127.0.0.1:9324");
  EXPECT_EQ(Handle(request).status, 200);
}

}  // namespace
}  // namespace sqsim::internal
