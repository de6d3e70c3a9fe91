// The harness in one file, as a user's project writes it: an "order placed"
// consumer written against plain sqsim::Client (so it also runs on
// AwsClient) that ships a batch's orders in parallel, checked by a Scenario
// under faults that break real consumers (failed batch entries, lost
// responses, a frozen process, a deploy that stops it), swept over seeds;
// and a MockClient unit test for a scripted answer.
//
// Built twice: in sqsim's own build (examples/), and by .ci/run against the
// installed package (tests/install), linking sqsim::testing, sqsim::gmock
// and GoogleTest's main.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "sqsim/testing/mock_client.h"
#include "sqsim/testing/scenario.h"
#include "sqsim/when.h"

namespace {

using boost::asio::awaitable;
using sqsim::Client;
using sqsim::DeleteMessageBatchRequest;
using sqsim::Message;
using sqsim::ReceiveMessageRequest;
using sqsim::SendMessageBatchRequest;
using sqsim::testing::ActorContext;
using sqsim::testing::ScenarioOptions;

// The application's consumer: receives up to 10 orders, ships them in
// parallel, and deletes the batch; it stops between batches when asked. The
// correct version deletes again the entries a batch delete failed; with
// `retry_failed_deletes` false it has the classic bug of ignoring them, so
// those orders come back and are shipped twice.
awaitable<void> ShipOrders(Client& sqs, const std::string& queue_url, bool retry_failed_deletes,
                           std::function<awaitable<void>(const Message&)> ship,
                           std::function<bool()> stopping) {
  while (!stopping()) {
    ReceiveMessageRequest receive{
        .queue_url = queue_url, .max_number_of_messages = 10, .wait_time_seconds = 20};
    auto got = co_await sqs.AsyncReceiveMessage(receive);
    if (!got.ok() || got->messages.empty()) continue;
    DeleteMessageBatchRequest del{.queue_url = queue_url};
    std::vector<awaitable<void>> shipments;
    for (const Message& m : got->messages) {
      shipments.push_back(ship(m));
      del.entries.push_back(
          {.id = std::to_string(del.entries.size()), .receipt_handle = m.receipt_handle});
    }
    co_await sqsim::WhenAll(std::move(shipments));
    for (int attempt = 0; attempt < 10 && !del.entries.empty(); ++attempt) {
      auto deleted = co_await sqs.AsyncDeleteMessageBatch(del);
      if (!deleted.ok()) continue;
      if (!retry_failed_deletes) break;
      std::erase_if(del.entries, [&](const auto& entry) {
        return std::none_of(deleted->failed.begin(), deleted->failed.end(),
                            [&](const auto& failed) { return failed.id == entry.id; });
      });
    }
  }
}

// One run: 30 orders sent in batches of 10, two consumers, and a fault plan
// of what breaks real consumers: batch deletes that fail one entry, lost
// responses to batch sends, a process frozen for 10 s before a delete (all
// its coroutines), and a deploy that asks consumer-1 to stop after two
// minutes (it finishes its batch, returns, and is started again).
ScenarioOptions OrderScenario(uint64_t seed, bool retry_failed_deletes) {
  ScenarioOptions s{.seed = seed, .queues = {{.name = "orders"}}};
  s.producers = {[](ActorContext& ctx) -> awaitable<void> {
    for (int first = 0; first < 30; first += 10) {
      SendMessageBatchRequest batch{.queue_url = ctx.url("orders")};
      for (int i = first; i < first + 10; ++i) {
        batch.entries.push_back(
            {.id = std::to_string(i), .message_body = "order-" + std::to_string(i)});
      }
      // Recorded entry by entry; a lost response leaves the entries unknown.
      (void)co_await ctx.client().AsyncSendMessageBatch(batch);
    }
  }};
  s.consumer = [retry_failed_deletes](ActorContext& ctx) -> awaitable<void> {
    // ctx.client() records every call the consumer makes; shipping is the
    // side effect only the application knows about.
    co_await ShipOrders(
        ctx.client(), ctx.url("orders"), retry_failed_deletes,
        [&ctx](const Message& m) -> awaitable<void> {
          co_await ctx.env().Sleep(std::chrono::seconds(2));  // the shipping API
          ctx.Processed("orders", m);
        },
        [&ctx] { return ctx.stopping(); });
  };
  s.consumers = 2;
  s.faults = sqsim::FaultPlan::FromJson(R"({"rules":[
      {"id":"partial-delete","effect":"fail-entries","action":"DeleteMessageBatch",
       "probability":0.3,"entries":[2],"error":"ServiceUnavailable"},
      {"id":"lost-send","effect":"lose-response","action":"SendMessageBatch","probability":0.2},
      {"id":"frozen","effect":"pause","point":"call:DeleteMessageBatch","probability":0.1,
       "pause_ms":10000},
      {"id":"deploy","effect":"stop","actor":"consumer-1","after_ms":120000,"probability":1,
       "max_fires":1}
    ]})")
                 .value();
  s.safety_duration = std::chrono::minutes(5);
  return s;
}

TEST(OrderConsumer, ShipsEveryOrderOnceUnderFaults) {
  const sqsim::testing::SweepResult sweep = sqsim::testing::SweepSeeds(
      [](uint64_t seed) { return OrderScenario(seed, /*retry_failed_deletes=*/true); },
      {.first_seed = 1, .seeds = 50, .name = sqsim::testing::CurrentTestName()});
  EXPECT_TRUE(sqsim::testing::SweepPassed(sweep));
  EXPECT_THAT(sweep.never_fired(), ::testing::IsEmpty());  // every fault happened
}

TEST(OrderConsumer, IgnoringFailedBatchDeleteEntriesIsCaught) {
  const sqsim::testing::SweepResult sweep = sqsim::testing::SweepSeeds(
      [](uint64_t seed) { return OrderScenario(seed, /*retry_failed_deletes=*/false); },
      {.first_seed = 1,
       .seeds = 20,
       .name = sqsim::testing::CurrentTestName(),
       .mode = sqsim::testing::SweepMode::kCountFailures,
       .verbose = false});
  EXPECT_FALSE(sweep.failing_seeds.empty());
  ASSERT_TRUE(sweep.failure.has_value());
  EXPECT_FALSE(sweep.failure->results[0].duplicated.empty());  // shipped twice
}

// A scripted answer, where SQS's behaviour does not matter.
TEST(OrderConsumer, MockClientAnswersAsScripted) {
  sqsim::testing::MockClient sqs;
  EXPECT_CALL(sqs,
              SendMessage(::testing::Field(&sqsim::SendMessageRequest::message_body, "order-1")))
      .WillOnce(::testing::Return(sqsim::SendMessageResponse{.message_id = "m-1"}));
  auto sent = sqs.SendMessage({.queue_url = "orders", .message_body = "order-1"});
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->message_id, "m-1");
}

}  // namespace
