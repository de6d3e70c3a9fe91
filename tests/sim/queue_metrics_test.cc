// Queue metrics in virtual time (sqsim/metrics.h): CloudWatch's names, one
// datapoint per queue and metric per minute, GetMetricStatistics-like
// aggregation over longer periods.

#include <random>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"
#include "sqsim/metrics.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;

class QueueMetricsTest : public SimulatorTest {
 protected:
  // The values of `metric`'s datapoints (Sum per period).
  std::vector<double> Sums(QueueMetric metric, Duration period = std::chrono::minutes(1)) {
    auto points = sim_->GetQueueMetric({.queue_name = "q", .metric = metric, .period = period});
    EXPECT_THAT(points, IsOk());
    std::vector<double> sums;
    if (points.ok()) {
      for (const MetricDatapoint& d : *points) sums.push_back(d.sum);
    }
    return sums;
  }
  // Receives one message (or nothing) and deletes it.
  void ReceiveAndDelete(const std::string& url) {
    for (const Message& m : Receive(url, 1)) {
      ASSERT_THAT(sim_->DeleteMessage({.queue_url = url, .receipt_handle = m.receipt_handle}),
                  IsOk());
    }
  }
};

TEST_F(QueueMetricsTest, CountsWhatHappenedInEachMinute) {
  const std::string url = MakeQueue("q");
  Send(url, "a");
  Send(url, "bb");
  Receive(url, 1);    // "a", back after its 30 s visibility timeout
  sim_->RunFor(60s);  // minute 0 ends
  ReceiveAndDelete(url);
  ReceiveAndDelete(url);
  Receive(url, 1);    // nothing left: an empty receive
  sim_->RunFor(60s);  // minute 1 ends
  EXPECT_THAT(Sums(QueueMetric::kNumberOfMessagesSent), ElementsAre(2, 0));
  EXPECT_THAT(Sums(QueueMetric::kNumberOfMessagesReceived), ElementsAre(1, 2));
  EXPECT_THAT(Sums(QueueMetric::kNumberOfMessagesDeleted), ElementsAre(0, 2));
  EXPECT_THAT(Sums(QueueMetric::kNumberOfEmptyReceives), ElementsAre(0, 1));
}

TEST_F(QueueMetricsTest, TotalsMatchWhatTheClientDid) {
  // A seeded mix of calls over a quarter of an hour of virtual time; the
  // client counts what it did and saw, and the day's totals must agree.
  const std::string url = MakeQueue("q", {{"VisibilityTimeout", "15"}});
  std::mt19937 rng(7);
  int64_t sent = 0, received = 0, deleted = 0, empty = 0;
  std::vector<std::string> handles;
  for (int step = 0; step < 2000; ++step) {
    switch (rng() % 4) {
      case 0:
        Send(url, std::string(1 + rng() % 50, 'x'));
        ++sent;
        break;
      case 1: {
        const std::vector<Message> got = Receive(url, 1 + static_cast<int>(rng() % 3));
        if (got.empty()) ++empty;
        received += std::ssize(got);
        for (const Message& m : got) handles.push_back(m.receipt_handle);
        break;
      }
      case 2:
        if (!handles.empty()) {
          const size_t i = rng() % handles.size();
          if (sim_->DeleteMessage({.queue_url = url, .receipt_handle = handles[i]}).ok()) {
            ++deleted;
          }
        }
        break;
      default:
        sim_->RunFor(std::chrono::seconds(rng() % 5));
    }
  }
  sim_->RunFor(60s);
  const auto total = [&](QueueMetric metric) {
    auto points = sim_->GetQueueMetric(
        {.queue_name = "q", .metric = metric, .period = std::chrono::hours(24)});
    EXPECT_THAT(points, IsOk());
    return points.ok() && points->size() == 1 ? points->front().sum : -1;
  };
  EXPECT_EQ(total(QueueMetric::kNumberOfMessagesSent), sent);
  EXPECT_EQ(total(QueueMetric::kNumberOfMessagesReceived), received);
  EXPECT_EQ(total(QueueMetric::kNumberOfMessagesDeleted), deleted);
  EXPECT_EQ(total(QueueMetric::kNumberOfEmptyReceives), empty);
  // Every kind happened.
  EXPECT_GT(sent, 100);
  EXPECT_GT(received, 100);
  EXPECT_GT(deleted, 100);
  EXPECT_GT(empty, 0);
}

TEST_F(QueueMetricsTest, OnlyMinutesThatEndedCount) {
  const std::string url = MakeQueue("q");
  Send(url, "a");
  sim_->RunFor(59s);
  EXPECT_TRUE(Sums(QueueMetric::kNumberOfMessagesSent).empty());
  sim_->RunFor(1s);
  EXPECT_THAT(Sums(QueueMetric::kNumberOfMessagesSent), ElementsAre(1));
}

TEST_F(QueueMetricsTest, GaugesAreTheStateAtTheEndOfTheMinute) {
  const std::string url = MakeQueue("q", {{"VisibilityTimeout", "90"}});
  Send(url, "visible");
  Send(url, "in flight");
  ASSERT_THAT(
      sim_->SendMessage({.queue_url = url, .message_body = "delayed", .delay_seconds = 900}),
      IsOk());
  Receive(url, 1);
  sim_->RunFor(120s);  // the receive's visibility (90 s) ends in minute 1
  EXPECT_THAT(Sums(QueueMetric::kApproximateNumberOfMessagesVisible), ElementsAre(1, 2));
  EXPECT_THAT(Sums(QueueMetric::kApproximateNumberOfMessagesNotVisible), ElementsAre(1, 0));
  EXPECT_THAT(Sums(QueueMetric::kApproximateNumberOfMessagesDelayed), ElementsAre(1, 1));
  // The oldest message was sent at 0 s: 60 s old at the end of minute 0.
  EXPECT_THAT(Sums(QueueMetric::kApproximateAgeOfOldestMessage), ElementsAre(60, 120));
}

TEST_F(QueueMetricsTest, SentMessageSizeIsAStatisticSetOverTheMessagesSent) {
  const std::string url = MakeQueue("q");
  Send(url, std::string(10, 'x'));
  Send(url, std::string(30, 'x'));
  sim_->RunFor(60s);
  sim_->RunFor(60s);  // a minute without sends has no size datapoint
  auto points = sim_->GetQueueMetric({.queue_name = "q", .metric = QueueMetric::kSentMessageSize});
  ASSERT_THAT(points, IsOk());
  ASSERT_EQ(points->size(), 1u);
  const MetricDatapoint& d = points->front();
  EXPECT_EQ(d.sample_count, 2);
  EXPECT_EQ(d.sum, 40);
  EXPECT_EQ(d.minimum, 10);
  EXPECT_EQ(d.maximum, 30);
  EXPECT_EQ(d.average(), 20);
  EXPECT_EQ(d.Percentile(50), std::nullopt);  // statistic sets have no percentiles
}

TEST_F(QueueMetricsTest, LongerPeriodsAggregateTheMinutes) {
  const std::string url = MakeQueue("q");
  for (int minute = 0; minute < 5; ++minute) {
    for (int i = 0; i <= minute; ++i) Send(url, "m");  // 1, 2, 3, 4, 5 sends
    sim_->RunFor(60s);
  }
  auto points = sim_->GetQueueMetric({.queue_name = "q",
                                      .metric = QueueMetric::kNumberOfMessagesSent,
                                      .period = std::chrono::minutes(5)});
  ASSERT_THAT(points, IsOk());
  ASSERT_EQ(points->size(), 1u);
  const MetricDatapoint& d = points->front();
  EXPECT_EQ(d.timestamp, sim_->options().start_time);
  EXPECT_EQ(d.sample_count, 5);  // five one-minute datapoints
  EXPECT_EQ(d.sum, 15);
  EXPECT_EQ(d.minimum, 1);
  EXPECT_EQ(d.maximum, 5);
  EXPECT_EQ(d.average(), 3);
  EXPECT_EQ(d.Percentile(50), 3);
  EXPECT_EQ(d.Percentile(99), 5);
  EXPECT_EQ(d.Percentile(20), 1);
}

TEST_F(QueueMetricsTest, AnIdleEmptyQueueStopsReportingAfterSixHours) {
  const std::string url = MakeQueue("q");
  ReceiveAndDelete(url);  // an access, at minute 0
  sim_->RunFor(std::chrono::hours(8));
  // Minutes 0 to 359 are within six hours of the access; then nothing.
  EXPECT_EQ(Sums(QueueMetric::kNumberOfEmptyReceives).size(), 360u);
}

TEST_F(QueueMetricsTest, AQueueHoldingMessagesKeepsReporting) {
  const std::string url = MakeQueue("q");
  Send(url, "kept");
  sim_->RunFor(std::chrono::hours(8));
  const std::vector<double> visible = Sums(QueueMetric::kApproximateNumberOfMessagesVisible);
  EXPECT_EQ(visible.size(), 8u * 60);
  EXPECT_EQ(visible.back(), 1);
  EXPECT_EQ(Sums(QueueMetric::kApproximateAgeOfOldestMessage).back(), 8 * 3600);
}

TEST_F(QueueMetricsTest, DeduplicatedFifoSendsAreCountedApart) {
  const std::string url = MakeQueue("q.fifo", {{"FifoQueue", "true"}});
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(sim_->SendMessage({.queue_url = url,
                                   .message_body = "once",
                                   .message_deduplication_id = "d",
                                   .message_group_id = "g"}),
                IsOk());
  }
  sim_->RunFor(60s);
  auto sums = [&](QueueMetric metric) {
    auto points = sim_->GetQueueMetric({.queue_name = "q.fifo", .metric = metric});
    EXPECT_THAT(points, IsOk());
    return points.ok() && points->size() == 1 ? points->front().sum : -1;
  };
  EXPECT_EQ(sums(QueueMetric::kNumberOfMessagesSent), 1);
  EXPECT_EQ(sums(QueueMetric::kNumberOfDeduplicatedSentMessages), 2);
}

TEST_F(QueueMetricsTest, MetricsOutliveTheQueue) {
  const std::string url = MakeQueue("q");
  Send(url, "a");
  sim_->RunFor(60s);
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  sim_->RunFor(60s);
  EXPECT_THAT(Sums(QueueMetric::kNumberOfMessagesSent), ElementsAre(1));
}

TEST_F(QueueMetricsTest, BadQueriesAreRefused) {
  MakeQueue("q");
  EXPECT_THAT(sim_->GetQueueMetric({.queue_name = "never"}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
  EXPECT_THAT(sim_->GetQueueMetric({.queue_name = "q", .period = std::chrono::seconds(90)}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  const Timestamp now = sim_->Now();
  EXPECT_THAT(sim_->GetQueueMetric({.queue_name = "q", .start = now, .end = now - 1min}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(QueueMetricNames, AreCloudWatchsAndRoundTrip) {
  for (int m = 0; m < kQueueMetricCount; ++m) {
    const QueueMetric metric = static_cast<QueueMetric>(m);
    EXPECT_EQ(QueueMetricFromName(QueueMetricName(metric)), metric);
  }
  EXPECT_EQ(QueueMetricName(QueueMetric::kApproximateAgeOfOldestMessage),
            "ApproximateAgeOfOldestMessage");
  EXPECT_EQ(QueueMetricUnit(QueueMetric::kSentMessageSize), "Bytes");
  EXPECT_EQ(QueueMetricFromName("NumberOfMessagesLost"), std::nullopt);
}

}  // namespace
}  // namespace sqsim
