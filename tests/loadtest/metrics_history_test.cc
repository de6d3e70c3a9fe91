// The queue metrics against the harness's History: a consumer whose
// handlers sometimes outlast the visibility timeout or leave their message,
// recorded call by call, and the CloudWatch-shaped sums over the same time.

#include <gtest/gtest.h>

#include "sqsim/metrics.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/simulator.h"
#include "sqsim/testing/history.h"
#include "sqsim/testing/recording_client.h"

namespace sqsim::loadtest {
namespace metrics_history_test {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using testing::History;
using testing::OpOutcome;
using testing::OpType;
using testing::RecordingClient;

int64_t Count(const History& history, OpType type) {
  int64_t n = 0;
  for (const testing::Operation& op : history.operations()) {
    n += op.type == type && op.outcome == OpOutcome::kOk;
  }
  return n;
}

double MetricSum(Simulator& sim, QueueMetric metric) {
  const std::vector<MetricDatapoint> points =
      sim.GetQueueMetric({.queue_name = "orders", .metric = metric, .period = 24h}).value();
  double sum = 0;
  for (const MetricDatapoint& p : points) sum += p.sum;
  return sum;
}

TEST(QueueMetricsAgainstHistory, SentReceivedAndDeletedEqualTheHistoryExactly) {
  // Realistic mode: sampled short polls, best-effort order.
  auto sim = Simulator::Create({.seed = 21}).value();
  const std::string url =
      sim->CreateQueue({.queue_name = "orders", .attributes = {{"VisibilityTimeout", "5"}}})
          .value()
          .queue_url;
  History history;
  RecordingClient producer(sim.get(), &history, &sim->env(), "producer");
  RecordingClient consumer_client(sim.get(), &history, &sim->env(), "consumer");
  runtime::Consumer consumer(
      consumer_client, sim->env(), {.queue_url = url, .max_in_flight = 4},
      [](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
        // Up to 8 s of work against a 5 s visibility timeout: some messages
        // come back while still being handled; a fifth are left.
        co_await d.env().Sleep(std::chrono::milliseconds(d.env().rng().Uniform(8000)));
        co_return d.env().rng().OneIn(5) ? runtime::Outcome::Leave() : runtime::Outcome::Done();
      });
  sim->Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(consumer));
  sim->Spawn([](Simulator& s, RecordingClient& client, std::string queue) -> awaitable<void> {
    for (int i = 0; i < 3000; ++i) {
      SendMessageRequest send{.queue_url = queue, .message_body = "order-" + std::to_string(i)};
      (void)co_await client.AsyncSendMessage(std::move(send));
      co_await s.env().Sleep(std::chrono::milliseconds(s.env().rng().Uniform(2000)));
    }
  }(*sim, producer, url));
  sim->RunFor(2h);
  consumer.Stop();
  sim->RunFor(2min);  // every call lies in a minute that has ended

  EXPECT_EQ(MetricSum(*sim, QueueMetric::kNumberOfMessagesSent), Count(history, OpType::kSend));
  EXPECT_EQ(MetricSum(*sim, QueueMetric::kNumberOfMessagesReceived),
            Count(history, OpType::kReceive));
  EXPECT_EQ(MetricSum(*sim, QueueMetric::kNumberOfMessagesDeleted),
            Count(history, OpType::kDelete));
  // The run did what it was meant to: redeliveries, and messages left.
  EXPECT_EQ(Count(history, OpType::kSend), 3000);
  EXPECT_GT(Count(history, OpType::kReceive), Count(history, OpType::kSend));
  EXPECT_GT(consumer.stats().left, 0);
}

}  // namespace metrics_history_test
}  // namespace sqsim::loadtest
