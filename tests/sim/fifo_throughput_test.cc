// FIFO throughput quotas (opt-in through SimulatorLimits).

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

std::unique_ptr<Simulator> WithQuota(int transactions_per_second) {
  SimulatorOptions options = SimulatorOptions::Exact();
  options.limits.enforce_fifo_throughput = true;
  options.limits.fifo_transactions_per_second = transactions_per_second;
  return Simulator::Create(options).value();
}

std::string MakeFifo(Simulator& sim, QueueAttributeMap extra = {}) {
  QueueAttributeMap attributes = {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}};
  attributes.insert(extra.begin(), extra.end());
  return sim.CreateQueue({.queue_name = "q.fifo", .attributes = attributes}).value().queue_url;
}

Status SendOne(Simulator& sim, const std::string& url, int i) {
  return sim
      .SendMessage({.queue_url = url, .message_body = std::to_string(i), .message_group_id = "g"})
      .status();
}

TEST(FifoThroughput, CallsBeyondTheQuotaInOneSecondAreThrottled) {
  auto sim = WithQuota(5);
  const std::string url = MakeFifo(*sim);
  for (int i = 0; i < 5; ++i) ASSERT_THAT(SendOne(*sim, url, i), IsOk());
  Status throttled = SendOne(*sim, url, 5);
  EXPECT_THAT(throttled, StatusIs(ErrorCode::kThrottlingException));
  EXPECT_TRUE(throttled.retryable());
  EXPECT_EQ(throttled.http_status(), 400);
}

TEST(FifoThroughput, QuotaRefillsWithVirtualTime) {
  auto sim = WithQuota(5);
  const std::string url = MakeFifo(*sim);
  for (int i = 0; i < 5; ++i) ASSERT_THAT(SendOne(*sim, url, i), IsOk());
  sim->RunFor(std::chrono::milliseconds(200));  // one transaction's worth
  EXPECT_THAT(SendOne(*sim, url, 5), IsOk());
  EXPECT_THAT(SendOne(*sim, url, 6), StatusIs(ErrorCode::kThrottlingException));
}

TEST(FifoThroughput, EachActionHasItsOwnQuotaAndABatchIsOneTransaction) {
  auto sim = WithQuota(2);
  const std::string url = MakeFifo(*sim);
  std::vector<SendMessageBatchRequestEntry> entries;
  for (int i = 0; i < 10; ++i) {
    entries.push_back({.id = "e" + std::to_string(i),
                       .message_body = std::to_string(i),
                       .message_group_id = "g" + std::to_string(i)});
  }
  ASSERT_THAT(sim->SendMessageBatch({.queue_url = url, .entries = entries}), IsOk());
  ASSERT_THAT(SendOne(*sim, url, 99), IsOk());
  EXPECT_THAT(SendOne(*sim, url, 100), StatusIs(ErrorCode::kThrottlingException));
  // Receives draw on their own quota.
  EXPECT_THAT(sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10}), IsOk());
  EXPECT_THAT(sim->ReceiveMessage({.queue_url = url}), IsOk());
  EXPECT_THAT(sim->ReceiveMessage({.queue_url = url}), StatusIs(ErrorCode::kThrottlingException));
}

TEST(FifoThroughput, ThrottledSendDoesNotEnqueue) {
  auto sim = WithQuota(1);
  const std::string url = MakeFifo(*sim);
  ASSERT_THAT(SendOne(*sim, url, 0), IsOk());
  ASSERT_THAT(SendOne(*sim, url, 1), StatusIs(ErrorCode::kThrottlingException));
  auto counts = sim->GetQueueAttributes(
      {.queue_url = url, .attribute_names = {"ApproximateNumberOfMessages"}});
  EXPECT_EQ(counts->attributes["ApproximateNumberOfMessages"], "1");
}

TEST(FifoThroughput, StandardQueuesAreNotLimited) {
  auto sim = WithQuota(1);
  const std::string url = sim->CreateQueue({.queue_name = "std"}).value().queue_url;
  for (int i = 0; i < 20; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  }
}

TEST(FifoThroughput, HighThroughputModeUsesTheRegionalQuota) {
  SimulatorOptions options = SimulatorOptions::Exact();
  options.limits.enforce_fifo_throughput = true;
  auto sim = Simulator::Create(options).value();
  const std::string normal = MakeFifo(*sim);
  auto high = sim->CreateQueue({.queue_name = "high.fifo",
                                .attributes = {{"FifoQueue", "true"},
                                               {"ContentBasedDeduplication", "true"},
                                               {"DeduplicationScope", "messageGroup"},
                                               {"FifoThroughputLimit", "perMessageGroupId"}}});
  ASSERT_THAT(high, IsOk());
  // 300 per second in normal mode...
  int accepted = 0;
  for (int i = 0; i < 400; ++i) accepted += SendOne(*sim, normal, i).ok();
  EXPECT_EQ(accepted, 300);
  // ... 70,000 in us-east-1 in high-throughput mode.
  accepted = 0;
  for (int i = 0; i < 1000; ++i) accepted += SendOne(*sim, high->queue_url, i).ok();
  EXPECT_EQ(accepted, 1000);
}

TEST(FifoThroughput, OffByDefault) {
  auto sim = Simulator::Create(SimulatorOptions::Exact()).value();
  const std::string url = MakeFifo(*sim);
  for (int i = 0; i < 1000; ++i) ASSERT_THAT(SendOne(*sim, url, i), IsOk());
}

}  // namespace
}  // namespace sqsim
