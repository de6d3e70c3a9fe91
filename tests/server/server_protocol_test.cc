// sqsim-server over real loopback sockets: the JSON and query protocols,
// queue URL forms, and what the server does with malformed input.

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "server/server_test_util.h"

namespace sqsim::testing {
namespace {

using nlohmann::json;

class ServerProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = StartServer({.realism = false, .max_body_bytes = 256 * 1024});
    ASSERT_NE(server_, nullptr);
    conn_ = std::make_unique<TestConnection>(server_->port());
    std::optional<HttpReply> created = conn_->Json("CreateQueue", {{"QueueName", "orders"}});
    ASSERT_TRUE(created);
    ASSERT_EQ(created->status, 200) << created->body;
    url_ = created->json()["QueueUrl"];
  }

  // Sends `body` to "orders" over a fresh connection; returns the MessageId.
  std::string Send(const std::string& body) {
    TestConnection c(server_->port());
    std::optional<HttpReply> r = c.Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", body}});
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->json().value("MessageId", "") : "";
  }

  // The stored messages of "orders", from the peek endpoint.
  json Peek() {
    TestConnection c(server_->port());
    std::optional<HttpReply> r = c.Request("GET", "/_sqsim/queues/orders/messages", "", {});
    EXPECT_TRUE(r && r->status == 200);
    return r ? r->json()["messages"] : json();
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<TestConnection> conn_;
  std::string url_;
};

TEST_F(ServerProtocolTest, QueueUrlNamesServerAddress) {
  EXPECT_EQ(url_, server_->endpoint_url() + "/000000000000/orders");
}

TEST_F(ServerProtocolTest, JsonSendThenReceiveReturnsBodyWithMd5AndRequestId) {
  std::optional<HttpReply> sent =
      conn_->Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "hello"}});
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->status, 200);
  EXPECT_EQ(sent->json()["MD5OfMessageBody"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(sent->headers["content-type"], "application/x-amz-json-1.0");
  EXPECT_EQ(sent->headers["x-amzn-requestid"].size(), 36u);
  std::optional<HttpReply> got = conn_->Json("ReceiveMessage", {{"QueueUrl", url_}});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->json()["Messages"].size(), 1u) << got->body;
  EXPECT_EQ(got->json()["Messages"][0]["Body"], "hello");
}

TEST_F(ServerProtocolTest, QueueUrlAcceptedWithOtherHostPathOrBareName) {
  for (const std::string& form : {std::string("http://localhost:1/000000000000/orders"),
                                  std::string("/000000000000/orders"), std::string("orders")}) {
    std::optional<HttpReply> r =
        conn_->Json("GetQueueAttributes", {{"QueueUrl", form}, {"AttributeNames", {"All"}}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << form << ": " << r->body;
  }
}

TEST_F(ServerProtocolTest, JsonErrorCarriesTypeAndQueryErrorHeader) {
  std::optional<HttpReply> r =
      conn_->Json("SendMessage", {{"QueueUrl", url_ + "-missing"}, {"MessageBody", "x"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->json()["__type"], "com.amazonaws.sqs#QueueDoesNotExist");
  EXPECT_EQ(r->headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_FALSE(r->headers["x-amzn-requestid"].empty());
}

TEST_F(ServerProtocolTest, QueryProtocolAnswersInXml) {
  std::optional<HttpReply> r = conn_->Form(
      "/", "Action=SendMessage&Version=2012-11-05&QueueUrl=" + url_ + "&MessageBody=hi%20there");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->headers["content-type"], "text/xml");
  EXPECT_NE(r->body.find("<SendMessageResponse"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("<MD5OfMessageBody>"), std::string::npos);
  ASSERT_EQ(Peek().size(), 1u);
  EXPECT_EQ(Peek()[0]["body"], "hi there");
}

TEST_F(ServerProtocolTest, QueryProtocolTakesQueueFromRequestPath) {
  std::optional<HttpReply> r =
      conn_->Form("/000000000000/orders", "Action=SendMessage&MessageBody=by-path");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(Peek().size(), 1u);
  EXPECT_EQ(Peek()[0]["body"], "by-path");
}

TEST_F(ServerProtocolTest, QueryProtocolGetWithQueryString) {
  std::optional<HttpReply> r = conn_->Request("GET", "/?Action=ListQueues", "", {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("<QueueUrl>" + url_ + "</QueueUrl>"), std::string::npos) << r->body;
}

TEST_F(ServerProtocolTest, QueryErrorIsXmlErrorResponse) {
  std::optional<HttpReply> r = conn_->Form("/", "Action=GetQueueUrl&QueueName=nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("<ErrorResponse"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("AWS.SimpleQueueService.NonExistentQueue"), std::string::npos);
}

TEST_F(ServerProtocolTest, UnknownJsonTargetIsInvalidAction) {
  std::optional<HttpReply> r = conn_->Json("FlyToTheMoon", json::object());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->headers["x-amzn-query-error"], "InvalidAction;Sender");
}

TEST_F(ServerProtocolTest, UnknownQueryActionIsInvalidAction) {
  std::optional<HttpReply> r = conn_->Form("/", "Action=FlyToTheMoon");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("<Code>InvalidAction</Code>"), std::string::npos) << r->body;
}

TEST_F(ServerProtocolTest, RequestWithoutTargetOrActionIsInvalidAction) {
  std::optional<HttpReply> r = conn_->Request("POST", "/", "{\"QueueUrl\":\"x\"}",
                                              {{"Content-Type", "application/x-amz-json-1.0"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("InvalidAction"), std::string::npos) << r->body;
}

TEST_F(ServerProtocolTest, InvalidJsonIsSerializationException) {
  std::optional<HttpReply> r =
      conn_->Request("POST", "/", "{\"QueueUrl\": ", {{"X-Amz-Target", "AmazonSQS.SendMessage"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->json()["__type"].get<std::string>().find("SerializationException"),
            std::string::npos)
      << r->body;
}

TEST_F(ServerProtocolTest, WrongMemberTypeIsAnError) {
  std::optional<HttpReply> r =
      conn_->Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", 42}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_TRUE(Peek().empty());
}

TEST_F(ServerProtocolTest, BadRequestsLeaveStoredMessagesUnchanged) {
  const std::string id = Send("precious");
  const json before = Peek();
  conn_->Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", 42}});
  conn_->Request("POST", "/", "{", {{"X-Amz-Target", "AmazonSQS.DeleteMessage"}});
  conn_->Json("DeleteMessage", {{"QueueUrl", url_}, {"ReceiptHandle", "garbage"}});
  conn_->Json("PurgeQueue", {{"QueueUrl", 7}});
  {
    TestConnection raw(server_->port());
    raw.SendRaw("NOT HTTP AT ALL\r\n\r\n");
    raw.Read();
  }
  EXPECT_EQ(Peek(), before);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0]["message_id"], id);
}

TEST_F(ServerProtocolTest, MalformedHttpGets400AndClose) {
  TestConnection raw(server_->port());
  raw.SendRaw("GARBAGE\x01\x02 / HTTP/1.1\r\n\r\n");
  std::optional<HttpReply> r = raw.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(raw.ClosedByServer());
  Send("still serving");
  EXPECT_EQ(Peek().size(), 1u);
}

TEST_F(ServerProtocolTest, TruncatedRequestGets400AndServerKeepsServing) {
  TestConnection raw(server_->port());
  raw.SendRaw(
      "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
      "Content-Length: 100\r\n\r\n{\"QueueUrl\":");
  raw.ShutdownSend();
  std::optional<HttpReply> r = raw.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  Send("after truncation");
  EXPECT_EQ(Peek().size(), 1u);
}

TEST_F(ServerProtocolTest, OversizedBodyGets413InRequestProtocol) {
  const std::string big(300 * 1024, 'x');
  std::optional<HttpReply> r = conn_->Request(
      "POST", "/", big,
      {{"X-Amz-Target", "AmazonSQS.SendMessage"}, {"Content-Type", "application/x-amz-json-1.0"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->headers["x-amzn-query-error"], "InvalidParameterValue;Sender");
  EXPECT_TRUE(Peek().empty());
}

// Connection deadlines (one timer for the whole server enforces them): a
// connection that goes quiet, before its first request or between two, or
// that sends its header a byte at a time, is closed after idle_timeout.
TEST(ServerDeadlineTest, QuietAndSlowConnectionsAreClosedAfterTheIdleTimeout) {
  std::unique_ptr<http::Server> server =
      StartServer({.realism = false, .idle_timeout = std::chrono::seconds(1)});
  ASSERT_TRUE(server);
  TestConnection silent(server->port());
  TestConnection slow(server->port());
  slow.SendRaw("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Tar");
  TestConnection kept_alive(server->port());
  std::optional<HttpReply> reply = kept_alive.Json("CreateQueue", {{"QueueName", "deadlines"}});
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(silent.ClosedByServerWithin(std::chrono::seconds(30)));
  EXPECT_TRUE(slow.ClosedByServerWithin(std::chrono::seconds(30)));
  EXPECT_TRUE(kept_alive.ClosedByServerWithin(std::chrono::seconds(30)));
  // The server itself goes on serving.
  TestConnection fresh(server->port());
  reply = fresh.Json("ListQueues", nlohmann::json::object());
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
}

TEST(ServerDeadlineTest, ABusyConnectionIsNotClosed) {
  std::unique_ptr<http::Server> server =
      StartServer({.realism = false, .idle_timeout = std::chrono::seconds(1)});
  ASSERT_TRUE(server);
  TestConnection connection(server->port());
  // Requests closer together than the timeout, for more than twice as long
  // as it: the deadline moves with each request.
  for (int i = 0; i < 12; ++i) {
    std::optional<HttpReply> reply = connection.Json("ListQueues", nlohmann::json::object());
    ASSERT_TRUE(reply) << "closed after " << i << " requests";
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

TEST_F(ServerProtocolTest, PipelinedRequestsAnsweredInOrder) {
  auto call = [](const std::string& body) {
    return "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AmazonSQS.SendMessage\r\n"
           "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  std::string batch;
  for (int i = 0; i < 5; ++i) {
    batch += call(json{{"QueueUrl", url_}, {"MessageBody", "m" + std::to_string(i)}}.dump());
  }
  conn_->SendRaw(batch);
  for (int i = 0; i < 5; ++i) {
    std::optional<HttpReply> r = conn_->Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  const json messages = Peek();
  ASSERT_EQ(messages.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(messages[i]["body"], "m" + std::to_string(i));
}

// In manual time only a wake-up can end the 20-second wait, and the send
// happens once the poll is parked: no assertion on how long anything took.
TEST(ServerLongPollTest, ReturnsWhenAnotherClientSends) {
  std::unique_ptr<http::Server> server =
      StartServer({.time_mode = http::TimeMode::kManual, .realism = false});
  ASSERT_NE(server, nullptr);
  TestConnection conn(server->port());
  const std::string url =
      conn.Json("CreateQueue", {{"QueueName", "orders"}})->json()["QueueUrl"].get<std::string>();
  std::thread sender([&] {
    if (!AwaitWaitingReceives(server->port(), 1)) return;
    TestConnection c(server->port());
    c.Json("SendMessage", {{"QueueUrl", url}, {"MessageBody", "wake up"}});
  });
  std::optional<HttpReply> r =
      conn.Json("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
  sender.join();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->json()["Messages"].size(), 1u) << r->body;
  EXPECT_EQ(r->json()["Messages"][0]["Body"], "wake up");
}

TEST_F(ServerProtocolTest, LongPollEndsEmptyAtWaitTime) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<HttpReply> r =
      conn_->Json("ReceiveMessage", {{"QueueUrl", url_}, {"WaitTimeSeconds", 1}});
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_FALSE(r->json().contains("Messages")) << r->body;
  // Real time: the wait is a certain lower bound; the upper bound only has
  // to tell "ended at its wait time" from "never ended", so it is generous.
  EXPECT_GE(waited, std::chrono::milliseconds(950));
  EXPECT_LT(waited, std::chrono::seconds(30));
}

}  // namespace
}  // namespace sqsim::testing
