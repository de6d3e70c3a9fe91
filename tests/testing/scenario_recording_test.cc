// Scenario: a consumer written against plain `Client` (ctx.client(), as it
// would run on AwsClient) is seen in full by the history and the report.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;

// Sends `count` messages in batches of 10 through the plain client.
Actor BatchProducer(int count) {
  return [count](ActorContext& ctx) -> awaitable<void> {
    for (int first = 0; first < count; first += 10) {
      SendMessageBatchRequest batch{.queue_url = ctx.url("orders")};
      for (int i = first; i < std::min(count, first + 10); ++i) {
        batch.entries.push_back(
            {.id = "e" + std::to_string(i), .message_body = "order-" + std::to_string(i)});
      }
      (void)co_await ctx.client().AsyncSendMessageBatch(batch);
    }
  };
}

// Receives up to 10, extends the visibility of each, records the side
// effect, and deletes the batch: only the side effect goes through a helper.
awaitable<void> BatchConsumer(ActorContext& ctx) {
  Client& client = ctx.client();
  while (!ctx.stopping()) {
    ReceiveMessageRequest receive{
        .queue_url = ctx.url("orders"), .max_number_of_messages = 10, .wait_time_seconds = 20};
    auto got = co_await client.AsyncReceiveMessage(receive);
    if (!got.ok() || got->messages.empty()) continue;
    DeleteMessageBatchRequest del{.queue_url = ctx.url("orders")};
    for (const Message& m : got->messages) {
      ChangeMessageVisibilityRequest extend{.queue_url = ctx.url("orders"),
                                            .receipt_handle = m.receipt_handle,
                                            .visibility_timeout = 60};
      (void)co_await client.AsyncChangeMessageVisibility(extend);
      ctx.Processed("orders", m);
      del.entries.push_back(
          {.id = std::to_string(del.entries.size()), .receipt_handle = m.receipt_handle});
    }
    (void)co_await client.AsyncDeleteMessageBatch(del);
  }
}

TEST(ScenarioRecording, AConsumerUsingOnlyThePlainClientHasACompleteHistory) {
  ScenarioOptions s{.seed = 4, .queues = {{.name = "orders"}}};
  s.producers = {BatchProducer(25)};
  s.consumer = BatchConsumer;
  s.safety_duration = std::chrono::minutes(1);
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.sent, 25);
  EXPECT_EQ(report.received, 25);
  EXPECT_EQ(report.processed, 25);
  EXPECT_EQ(report.deleted, 25);
}

TEST(ScenarioRecording, VisibilityChangesReachTheCheckers) {
  ScenarioOptions s{.seed = 5, .queues = {{.name = "orders"}}};
  s.producers = {BatchProducer(12)};
  s.consumer = BatchConsumer;
  s.safety_duration = std::chrono::minutes(1);
  // A checker of the application's own: every message it processed had its
  // visibility extended first.
  s.checkers = {[](const History& history) {
    CheckResult result{.checker = "extended before processing"};
    std::vector<std::string> extended;
    for (const Operation& op : history.operations()) {
      if (op.type == OpType::kChangeVisibility && op.outcome == OpOutcome::kOk) {
        extended.push_back(op.value);
      }
      if (op.type == OpType::kProcess &&
          std::find(extended.begin(), extended.end(), op.value) == extended.end()) {
        result.ok = false;
        result.violations.push_back(op.value + " processed without an extension");
      }
    }
    result.summary = std::to_string(extended.size()) + " extensions";
    return result;
  }};
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  ASSERT_EQ(report.results.size(), 2u);
  EXPECT_EQ(report.results[1].summary, "12 extensions");
}

// Like BatchConsumer, but deletes again the entries a batch delete failed.
awaitable<void> RetryingBatchConsumer(ActorContext& ctx) {
  Client& client = ctx.client();
  while (!ctx.stopping()) {
    ReceiveMessageRequest receive{
        .queue_url = ctx.url("orders"), .max_number_of_messages = 10, .wait_time_seconds = 20};
    auto got = co_await client.AsyncReceiveMessage(receive);
    if (!got.ok() || got->messages.empty()) continue;
    DeleteMessageBatchRequest del{.queue_url = ctx.url("orders")};
    for (const Message& m : got->messages) {
      ctx.Processed("orders", m);
      del.entries.push_back(
          {.id = std::to_string(del.entries.size()), .receipt_handle = m.receipt_handle});
    }
    for (int attempt = 0; attempt < 3 && !del.entries.empty(); ++attempt) {
      auto deleted = co_await client.AsyncDeleteMessageBatch(del);
      if (!deleted.ok()) continue;
      std::erase_if(del.entries, [&](const DeleteMessageBatchRequestEntry& e) {
        return std::none_of(deleted->failed.begin(), deleted->failed.end(),
                            [&](const BatchResultErrorEntry& f) { return f.id == e.id; });
      });
    }
  }
}

ScenarioOptions PartialDeleteScenario(Actor consumer) {
  ScenarioOptions s{.seed = 6, .queues = {{.name = "orders"}}};
  s.producers = {BatchProducer(10)};
  s.consumer = std::move(consumer);
  s.safety_duration = std::chrono::minutes(5);
  // The first batch delete loses its third entry.
  s.faults = {.rules = {{.id = "partial-delete",
                         .effect = FaultEffect::kFailEntries,
                         .action = Action::kDeleteMessageBatch,
                         .on_calls = {1},
                         .entries = {3}}}};
  return s;
}

TEST(ScenarioRecording, AConsumerThatIgnoresFailedBatchDeleteEntriesIsCaught) {
  const ScenarioReport report = RunScenario(PartialDeleteScenario(BatchConsumer));
  EXPECT_FALSE(report.ok);
  ASSERT_FALSE(report.results.empty());
  EXPECT_EQ(report.results[0].duplicated.size(), 1u) << report.Describe();
  EXPECT_EQ(report.faults_fired.at("partial-delete"), 1);
  // The report shows the failed entry of the value processed twice.
  EXPECT_THAT(report.failing_values, ::testing::HasSubstr("delete failed"));
}

TEST(ScenarioRecording, AConsumerThatDeletesFailedEntriesAgainPasses) {
  const ScenarioReport report = RunScenario(PartialDeleteScenario(RetryingBatchConsumer));
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.faults_fired.at("partial-delete"), 1);
  EXPECT_EQ(report.deleted, 10);
}

TEST(ScenarioRecording, ACrashBeforeABatchDeleteRestartsTheConsumerAndRedelivers) {
  ScenarioOptions s{.seed = 7, .queues = {{.name = "orders"}}};
  s.producers = {BatchProducer(5)};
  s.consumer = BatchConsumer;
  s.safety_duration = std::chrono::minutes(5);
  // The consumer dies after processing its first batch, before deleting it.
  s.faults = {.rules = {{.id = "die-before-delete",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "call:DeleteMessageBatch",
                         .on_calls = {1}}}};
  s.queue_check.allow_duplicates = true;  // the redelivery is the point
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.crashes, 1);
  EXPECT_EQ(report.processed, 10);  // each of the 5 twice
  EXPECT_EQ(report.deleted, 5);
  EXPECT_THAT(report.history_tail, ::testing::HasSubstr("crash ok: call:DeleteMessageBatch"));
}

TEST(ScenarioRecording, ACrashBeforeTheSendResponseLeavesTheSendsUnknownButDelivered) {
  ScenarioOptions s{.seed = 8, .queues = {{.name = "orders"}}};
  s.producers = {BatchProducer(10)};
  s.consumer = BatchConsumer;
  s.safety_duration = std::chrono::minutes(1);
  s.faults = {.rules = {{.id = "die-before-response",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "response:SendMessageBatch",
                         .on_calls = {1}}}};
  const ScenarioReport report = RunScenario(s);
  // The producer never learnt that its sends worked; the checker counts the
  // values as recovered, not lost.
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.crashes, 1);
  EXPECT_EQ(report.sent, 0);
  EXPECT_EQ(report.processed, 10);
  ASSERT_FALSE(report.results.empty());
  EXPECT_EQ(report.results[0].recovered.size(), 10u);
}

}  // namespace
}  // namespace sqsim::testing
