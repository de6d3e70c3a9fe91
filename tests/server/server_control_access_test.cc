// Who may use sqsim-server's control endpoints (/_sqsim/), over real
// loopback sockets: the attacks of a web page (a cross-origin request, a
// DNS-rebinding Host, a "simple" form POST) and of a local process without
// the token or a signature when the server verifies signatures.

#include <chrono>

#include <gtest/gtest.h>

#include "server/server_test_util.h"
#include "wire/sigv4.h"

namespace sqsim::testing {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

const Headers kJson = {{"Content-Type", "application/json"}};

class ControlAccessTest : public ::testing::Test {
 protected:
  void Start(http::ServerOptions options = {}) {
    options.time_mode = http::TimeMode::kManual;
    options.queues_config = R"({"queues":[{"name":"jobs"}]})";
    server_ = StartServer(std::move(options));
    ASSERT_NE(server_, nullptr);
    conn_ = std::make_unique<TestConnection>(server_->port());
    url_ = server_->endpoint_url() + "/000000000000/jobs";
  }

  HttpReply Request(std::string_view method, std::string_view target, const Headers& headers,
                    const std::string& body = "") {
    std::optional<HttpReply> r = conn_->Request(method, target, body, headers);
    EXPECT_TRUE(r);
    return r.value_or(HttpReply{});
  }

  // A stored message that a refused reset must leave alone.
  void SendOne() {
    std::optional<HttpReply> sent =
        conn_->Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "secret"}});
    ASSERT_TRUE(sent && sent->status == 200);
  }
  size_t Stored() {
    std::optional<HttpReply> r =
        conn_->Json("GetQueueAttributes",
                    {{"QueueUrl", url_}, {"AttributeNames", {"ApproximateNumberOfMessages"}}});
    return r ? std::stoul(r->json()["Attributes"]["ApproximateNumberOfMessages"].get<std::string>())
             : 0;
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<TestConnection> conn_;
  std::string url_;
};

TEST_F(ControlAccessTest, ARequestWithAnOriginIsRefused) {
  Start();
  SendOne();
  const HttpReply peek =
      Request("GET", "/_sqsim/queues/jobs/messages", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(peek.status, 403);
  EXPECT_EQ(peek.body.find("secret"), std::string::npos) << peek.body;
  Headers reset = kJson;
  reset.emplace_back("Origin", "null");
  EXPECT_EQ(Request("POST", "/_sqsim/reset", reset).status, 403);
  EXPECT_EQ(Stored(), 1u);
}

// DNS rebinding: a page's own name resolves to 127.0.0.1.
TEST_F(ControlAccessTest, AHostThatIsNotThisServerIsRefused) {
  Start();
  const std::string port = std::to_string(server_->port());
  EXPECT_EQ(Request("GET", "/_sqsim/time", {{"Host", "evil.example:" + port}}).status, 403);
  EXPECT_EQ(Request("GET", "/_sqsim/time", {{"Host", "localhost:" + port}}).status, 200);
  EXPECT_EQ(Request("GET", "/_sqsim/time", {{"Host", "[::1]:" + port}}).status, 200);
  EXPECT_EQ(Request("GET", "/_sqsim/time", {{"Host", "127.0.0.1"}}).status, 200);
}

TEST_F(ControlAccessTest, TheAdvertisedHostIsThisServer) {
  Start({.advertised_host = "sqs.test"});
  EXPECT_EQ(Request("GET", "/_sqsim/time", {{"Host", "SQS.test:9324"}}).status, 200);
}

// A form POST (text/plain, urlencoded, multipart) is what a page can send
// cross-origin without a preflight.
TEST_F(ControlAccessTest, AStateChangeWithoutJsonContentTypeIsRefused) {
  Start();
  SendOne();
  EXPECT_EQ(Request("POST", "/_sqsim/reset", {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(Request("POST", "/_sqsim/reset", {}).status, 415);
  EXPECT_EQ(Request("PUT", "/_sqsim/faults",
                    {{"Content-Type", "application/x-www-form-urlencoded"}}, R"({"rules":[]})")
                .status,
            415);
  EXPECT_EQ(Stored(), 1u);
  EXPECT_EQ(Request("POST", "/_sqsim/reset", kJson).status, 200);
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(ControlAccessTest, WithATokenEveryEndpointButHealthNeedsIt) {
  Start({.admin_token = "let-me-in"});
  SendOne();
  EXPECT_EQ(Request("GET", "/_sqsim/health", {}).status, 200);
  EXPECT_EQ(Request("GET", "/_sqsim/queues/jobs/messages", {}).status, 403);
  EXPECT_EQ(
      Request("GET", "/_sqsim/queues/jobs/messages", {{"X-Sqsim-Admin-Token", "let-me"}}).status,
      403);
  const HttpReply peek =
      Request("GET", "/_sqsim/queues/jobs/messages", {{"X-Sqsim-Admin-Token", "let-me-in"}});
  EXPECT_EQ(peek.status, 200);
  EXPECT_NE(peek.body.find("secret"), std::string::npos);
}

TEST_F(ControlAccessTest, WithSignaturesAControlRequestMustBeSignedOrCarryTheToken) {
  const ::sqsim::aws::AwsCredentials key{.access_key_id = "AKIDCONTROL",
                                         .secret_access_key = "s3cret"};
  Start({.access_keys = {{key.access_key_id, key.secret_access_key}}});
  EXPECT_EQ(Request("GET", "/_sqsim/health", {}).status, 200);
  EXPECT_EQ(Request("GET", "/_sqsim/time", {}).status, 403);

  // GET /_sqsim/time signed now with `credentials`, as headers to send.
  const auto signed_by = [](const ::sqsim::aws::AwsCredentials& credentials) {
    ::sqsim::internal::HttpRequest request{.method = "GET", .target = "/_sqsim/time"};
    ::sqsim::internal::SignRequest(
        request, credentials, "us-east-1", "sqs",
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()),
        "127.0.0.1");
    Headers headers;
    for (const auto& header : request.headers.list()) {
      headers.emplace_back(header.name, header.value);
    }
    return headers;
  };
  EXPECT_EQ(Request("GET", "/_sqsim/time", signed_by(key)).status, 200);
  const ::sqsim::aws::AwsCredentials stranger{.access_key_id = "AKIDCONTROL",
                                              .secret_access_key = "guess"};
  EXPECT_EQ(Request("GET", "/_sqsim/time", signed_by(stranger)).status, 403);
}

}  // namespace
}  // namespace sqsim::testing
