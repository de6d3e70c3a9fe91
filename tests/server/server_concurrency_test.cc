// Many clients at once against sqsim-server: senders and long-polling
// receivers on their own keep-alive connections. Without faults every
// message is received exactly once.

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "server/server_test_util.h"

namespace sqsim::testing {
namespace {

using nlohmann::json;

TEST(ServerConcurrencyTest, ConcurrentSendersAndReceiversLoseAndDuplicateNothing) {
  std::unique_ptr<http::Server> server = StartServer({.realism = false});
  ASSERT_NE(server, nullptr);
  const std::string url = [&] {
    TestConnection c(server->port());
    // Real time: the longest visibility timeout, so that a receiver paused
    // by a busy scheduler between receive and delete never sees a redelivery.
    return c
        .Json("CreateQueue",
              {{"QueueName", "load"}, {"Attributes", {{"VisibilityTimeout", "43200"}}}})
        ->json()["QueueUrl"]
        .get<std::string>();
  }();
  constexpr int kSenders = 8;
  constexpr int kPerSender = 150;
  constexpr int kReceivers = 6;
  constexpr int kTotal = kSenders * kPerSender;

  std::mutex mu;
  std::multiset<std::string> received;
  std::atomic<int> deleted{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int r = 0; r < kReceivers; ++r) {
    threads.emplace_back([&] {
      TestConnection c(server->port());
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
      while (deleted.load() < kTotal && !failed && std::chrono::steady_clock::now() < give_up) {
        std::optional<HttpReply> got =
            c.Json("ReceiveMessage",
                   {{"QueueUrl", url}, {"MaxNumberOfMessages", 10}, {"WaitTimeSeconds", 1}});
        if (!got || got->status != 200) {
          failed = true;
          return;
        }
        json entries = json::array();
        int n = 0;
        for (const json& m : got->json().value("Messages", json::array())) {
          {
            std::lock_guard<std::mutex> lock(mu);
            received.insert(m["Body"].get<std::string>());
          }
          entries.push_back(
              {{"Id", "d" + std::to_string(n++)}, {"ReceiptHandle", m["ReceiptHandle"]}});
        }
        if (n == 0) continue;
        std::optional<HttpReply> del =
            c.Json("DeleteMessageBatch", {{"QueueUrl", url}, {"Entries", entries}});
        if (!del || del->status != 200 || !del->json().value("Failed", json::array()).empty()) {
          failed = true;
          return;
        }
        deleted += n;
      }
    });
  }
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      TestConnection c(server->port());
      for (int i = 0; i < kPerSender; ++i) {
        std::optional<HttpReply> r = c.Json(
            "SendMessage",
            {{"QueueUrl", url}, {"MessageBody", std::to_string(s) + "-" + std::to_string(i)}});
        if (!r || r->status != 200) failed = true;
      }
    });
  }
  for (std::thread& t : threads) t.join();

  ASSERT_FALSE(failed);
  EXPECT_EQ(deleted.load(), kTotal);
  std::set<std::string> unique(received.begin(), received.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kTotal)) << "lost messages";
  EXPECT_EQ(received.size(), static_cast<size_t>(kTotal)) << "duplicated messages";
}

// Manual time: the 20 polls stay parked until time is advanced, so the
// ListQueues below is certain to be served while all of them wait.
TEST(ServerConcurrencyTest, WaitingLongPollsDoNotBlockOtherClients) {
  std::unique_ptr<http::Server> server =
      StartServer({.time_mode = http::TimeMode::kManual, .realism = false});
  ASSERT_NE(server, nullptr);
  TestConnection admin(server->port());
  const std::string url =
      admin.Json("CreateQueue", {{"QueueName", "idle"}})->json()["QueueUrl"].get<std::string>();
  constexpr int kPollers = 20;
  std::atomic<int> finished{0};
  std::vector<std::thread> pollers;
  for (int i = 0; i < kPollers; ++i) {
    pollers.emplace_back([&] {
      TestConnection c(server->port());
      c.Json("ReceiveMessage", {{"QueueUrl", url}, {"WaitTimeSeconds", 20}});
      ++finished;
    });
  }
  ASSERT_TRUE(AwaitWaitingReceives(server->port(), kPollers));
  std::optional<HttpReply> r = admin.Json("ListQueues", json::object());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(finished.load(), 0);
  admin.Request("POST", "/_sqsim/time/advance", R"({"seconds":20})",
                {{"Content-Type", "application/json"}});
  for (std::thread& t : pollers) t.join();
  EXPECT_EQ(finished.load(), kPollers);
}

}  // namespace
}  // namespace sqsim::testing
