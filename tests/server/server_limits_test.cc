// sqsim-server's capacity limits over real sockets: stored messages beyond
// --max-messages and queues beyond --max-queues get 503 ServiceUnavailable,
// connections beyond --max-connections are answered 503 and closed, and a
// flood of refusals is logged once per interval, not once each.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/server_test_util.h"

namespace sqsim::testing {
namespace {

using nlohmann::json;

TEST(ServerLimits, SendsBeyondMaxMessagesGetServiceUnavailable) {
  auto server = StartServer({.max_stored_messages = 2});
  ASSERT_NE(server, nullptr);
  TestConnection conn(server->port());
  const std::string url = conn.Json("CreateQueue", {{"QueueName", "q"}})->json()["QueueUrl"];
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(conn.Json("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}})->status, 200);
  }
  const std::optional<HttpReply> refused =
      conn.Json("SendMessage", {{"QueueUrl", url}, {"MessageBody", "m"}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503) << refused->body;
  EXPECT_EQ(refused->headers.at("x-amzn-query-error"), "ServiceUnavailable;Receiver");
  const json attributes =
      conn.Json("GetQueueAttributes",
                {{"QueueUrl", url}, {"AttributeNames", {"ApproximateNumberOfMessages"}}})
          ->json();
  EXPECT_EQ(attributes["Attributes"]["ApproximateNumberOfMessages"], "2");
}

TEST(ServerLimits, QueuesBeyondMaxQueuesGetServiceUnavailable) {
  auto server = StartServer({.max_queues = 1});
  ASSERT_NE(server, nullptr);
  TestConnection conn(server->port());
  ASSERT_EQ(conn.Json("CreateQueue", {{"QueueName", "one"}})->status, 200);
  EXPECT_EQ(conn.Json("CreateQueue", {{"QueueName", "two"}})->status, 503);
}

TEST(ServerLimits, ConnectionsBeyondTheLimitAreAnswered503AndClosedAndLoggedOnce) {
  std::mutex mu;
  std::vector<std::string> lines;
  http::ServerOptions options{.max_connections = 2};
  options.log_level = http::LogLevel::kErrors;
  options.log_sink = [&](std::string_view line) {
    std::lock_guard<std::mutex> lock(mu);
    lines.emplace_back(line);
  };
  options.port = 0;  // (StartServer would silence the log this test reads)
  Result<std::unique_ptr<http::Server>> created = http::Server::Create(std::move(options));
  ASSERT_TRUE(created.ok()) << created.status();
  std::unique_ptr<http::Server> server = std::move(created).value();
  server->Start();
  auto first = std::make_unique<TestConnection>(server->port());
  TestConnection second(server->port());
  // A served request on each proves both sessions are open.
  ASSERT_EQ(first->Json("ListQueues", json::object())->status, 200);
  ASSERT_EQ(second.Json("ListQueues", json::object())->status, 200);

  for (int i = 0; i < 5; ++i) {
    TestConnection over(server->port());
    const std::optional<HttpReply> refused = over.Read();
    ASSERT_TRUE(refused) << "connection " << i;
    EXPECT_EQ(refused->status, 503);
    EXPECT_EQ(refused->headers.at("x-amzn-query-error"), "ServiceUnavailable;Receiver");
    EXPECT_TRUE(over.ClosedByServer());
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    int reports = 0;
    for (const std::string& line : lines)
      reports += line.find("--max-connections") != std::string::npos;
    EXPECT_EQ(reports, 1);  // five refusals within the interval: one line
  }

  // When a connection closes its slot is free again; the server notices the
  // close when it reads the end of the stream, so try until it has.
  first.reset();
  bool served = false;
  for (int attempt = 0; attempt < 200 && !served; ++attempt) {
    TestConnection again(server->port());
    std::optional<HttpReply> reply = again.Json("ListQueues", json::object());
    served = reply && reply->status == 200;
  }
  EXPECT_TRUE(served);
}

}  // namespace
}  // namespace sqsim::testing
