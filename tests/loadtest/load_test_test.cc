// The load test: queueing theory as the oracle (Erlang C for M/M/c, Little's
// law), metrics against the run's own counts, alarms, autoscaling, cost,
// sweeps. One behaviour per test; fixed seeds.

#include "sqsim/loadtest/load_test.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sqsim/simulator.h"
#include "support/build_kind.h"

namespace sqsim::loadtest {
namespace load_test_test {

using namespace std::chrono_literals;

// Erlang's C formula: the probability that an arrival waits in an M/M/c
// queue with offered load a = lambda / mu, and the mean wait in queue
// C / (c mu - lambda).
double ErlangCMeanWait(double lambda, double mu, int c) {
  const double a = lambda / mu;
  const double rho = a / c;
  double term = 1, sum = 0;  // term = a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term / (1 - rho);  // a^c / c! / (1 - rho)
  const double probability_of_waiting = top / (sum + top);
  return probability_of_waiting / (c * mu - lambda);
}

// An M/M/c system on SQS: Poisson arrivals, c consumers each handling one
// message at a time with exponential service, deletes at once, a
// visibility timeout no handler reaches.
LoadTestOptions MMc(double lambda, double mean_service_seconds, int c) {
  LoadTestOptions o;
  o.seed = 11;
  // 24 hours in batches of 30 minutes; under the sanitizers, which run the
  // same code tens of times slower and look for memory errors, not for
  // statistics (the optimised run in the same CI checks those), 3 hours in
  // batches of 10 minutes: a wider interval, the same check.
  o.duration = test::kSanitized ? 3h : 24h;
  o.period = test::kSanitized ? 10min : 30min;
  o.queue.attributes = {{"VisibilityTimeout", "43200"}};
  o.producers = {{.arrivals = ArrivalProcess::Poisson(lambda)}};
  o.consumers.count = c;
  o.consumers.options.max_in_flight = 1;
  o.consumers.options.max_messages_per_receive = 1;
  o.consumers.options.delete_batch_size = 1;
  o.consumers.service_time =
      ServiceTime::Exponential(Duration(static_cast<int64_t>(mean_service_seconds * 1e6)));
  return o;
}

struct BatchMean {
  double mean = 0;
  double standard_error = 0;
};

// The mean wait and its standard error by batch means: each period's mean
// wait is one batch (periods long against the queue's relaxation time). The
// first period is the warm-up: the run starts empty, which biases waits
// down until the queue reaches its steady state.
BatchMean MeanWaitByBatches(const LoadTestResult& r) {
  std::vector<double> batches;
  for (size_t i = 1; i < r.periods.size(); ++i) {
    if (r.periods[i].wait_mean) batches.push_back(*r.periods[i].wait_mean);
  }
  double sum = 0;
  for (double b : batches) sum += b;
  const double n = static_cast<double>(batches.size());
  const double mean = sum / n;
  double ss = 0;
  for (double b : batches) ss += (b - mean) * (b - mean);
  return {.mean = mean, .standard_error = std::sqrt(ss / (n - 1) / n)};
}

void ExpectErlangC(double lambda, double mean_service, int c) {
  const LoadTestResult r = RunLoadTest(MMc(lambda, mean_service, c)).value();
  const double expected = ErlangCMeanWait(lambda, 1 / mean_service, c);
  const BatchMean measured = MeanWaitByBatches(r);
  // A 99.9% confidence interval: 4 standard errors covers Student's t for
  // the 17 or more batches of either build (3.55 at 46 batches).
  std::printf(
      "[ erlang-c ] lambda %g, mu %g, c %d: measured mean wait %.4f s +- %.4f, "
      "Erlang C %.4f s\n",
      lambda, 1 / mean_service, c, measured.mean, measured.standard_error, expected);
  EXPECT_NEAR(measured.mean, expected, 4 * measured.standard_error)
      << "lambda " << lambda << ", c " << c << ": measured " << measured.mean << " +- "
      << measured.standard_error << ", Erlang C " << expected;
  EXPECT_GT(r.wait.count, test::kSanitized ? 5000 : 50000);
}

TEST(LoadTestQueueingTheoryTest, ErlangCMeanWaitMatchesMM1) {
  ExpectErlangC(/*lambda=*/0.6, /*mean_service=*/1.0, /*c=*/1);
}

TEST(LoadTestQueueingTheoryTest, ErlangCMeanWaitMatchesMM3AtTwoThirdsLoad) {
  ExpectErlangC(/*lambda=*/2.0, /*mean_service=*/1.0, /*c=*/3);
}

TEST(LoadTestQueueingTheoryTest, ErlangCMeanWaitMatchesMM4NearSaturation) {
  ExpectErlangC(/*lambda=*/3.6, /*mean_service=*/1.0, /*c=*/4);
}

TEST(LoadTestQueueingTheoryTest, LittlesLawHoldsWithinTwoPercent) {
  LoadTestOptions o;
  o.seed = 5;
  o.duration = 1h;
  o.drain = 15min;
  o.producers = {{.arrivals = ArrivalProcess::Poisson(5)}};
  o.consumers.count = 2;
  o.consumers.service_time = ServiceTime::LogNormal(200ms, 0.8);
  const LoadTestResult r = RunLoadTest(o).value();
  ASSERT_EQ(r.left_in_queue, 0);
  const double l = r.mean_in_system;
  const double lambda_w = r.completion_rate * r.mean_time_in_system;
  EXPECT_GT(l, 0.5);
  std::printf("[ little ] L %.4f, lambda W %.4f\n", l, lambda_w);
  EXPECT_NEAR(l / lambda_w, 1.0, 0.02) << "L " << l << ", lambda W " << lambda_w;
}

LoadTestOptions Small(uint64_t seed = 3) {
  LoadTestOptions o;
  o.seed = seed;
  o.duration = 15min;
  o.drain = 5min;
  o.producers = {{.arrivals = ArrivalProcess::Poisson(4)}};
  o.consumers.count = 2;
  o.consumers.service_time = ServiceTime::Exponential(300ms);
  return o;
}

TEST(LoadTestTest, QueueMetricsMatchWhatTheRunDidExactly) {
  const LoadTestResult r = RunLoadTest(Small()).value();
  double sent = 0, received = 0, deleted = 0, empty = 0;
  int64_t arrivals = 0, completed = 0;
  for (const PeriodSample& p : r.periods) {
    sent += p.sent.value_or(0);
    received += p.received.value_or(0);
    deleted += p.deleted.value_or(0);
    empty += p.empty_receives.value_or(0);
    arrivals += p.arrivals;
    completed += p.completed;
  }
  EXPECT_EQ(sent, static_cast<double>(r.sent));
  EXPECT_EQ(arrivals, r.sent);
  EXPECT_EQ(received, static_cast<double>(r.consumer_stats.received));
  EXPECT_EQ(deleted, static_cast<double>(r.consumer_stats.deleted));
  EXPECT_EQ(empty, static_cast<double>(r.consumer_stats.empty_receives));
  EXPECT_EQ(completed, r.completed);
  EXPECT_EQ(r.call_counts.at(Action::kSendMessage), r.sent);
  EXPECT_EQ(r.call_counts.at(Action::kReceiveMessage), r.consumer_stats.receives);
  EXPECT_GT(r.sent, 4 * 60 * 15 * 9 / 10);
}

TEST(LoadTestTest, SameOptionsGiveTheSameRun) {
  const LoadTestResult a = RunLoadTest(Small(3)).value();
  const LoadTestResult b = RunLoadTest(Small(3)).value();
  const LoadTestResult c = RunLoadTest(Small(4)).value();
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(ToJson(a.ToReport()), ToJson(b.ToReport()));
  EXPECT_NE(a.trace_hash, c.trace_hash);
}

TEST(LoadTestTest, EveryMessageIsHandledWhenConsumersKeepUp) {
  const LoadTestResult r = RunLoadTest(Small()).value();
  EXPECT_EQ(r.completed, r.sent);
  EXPECT_EQ(r.left_in_queue, 0);
  EXPECT_EQ(r.end_to_end.count, r.sent);
  EXPECT_GE(r.end_to_end.p99, r.end_to_end.p50);
  EXPECT_NEAR(r.throughput_in, 4, 0.3);
}

TEST(LoadTestTest, TooFewConsumersFireTheOldestMessageAlarm) {
  LoadTestOptions o = Small();
  o.consumers.count = 1;
  o.consumers.options.max_in_flight = 1;
  o.consumers.service_time = ServiceTime::Fixed(500ms);  // 4/s arrive, 2/s handled
  o.alarms = {OldestMessageAgeAlarm("oldest-over-5-min", "load", 5min)};
  const LoadTestResult r = RunLoadTest(o).value();
  const testing::CheckResult check =
      CheckAlarmEnteredWithin(r.alarm_transitions, "oldest-over-5-min", r.start, 15min);
  EXPECT_TRUE(check.ok) << check.summary;
  ASSERT_FALSE(r.alarm_transitions.empty());
  EXPECT_EQ(r.alarm_transitions.back().to, AlarmState::kAlarm);
}

// The alarm's actions notify a topic the run creates in `prepare`: one
// notification for every entry into ALARM or OK, in the order of the
// transitions, each listed in the result and in the report.
TEST(LoadTestTest, AlarmActionsNotifyTheirTopicOnEveryTransition) {
  LoadTestOptions o = Small();
  o.consumers.count = 1;
  o.consumers.options.max_in_flight = 1;
  o.consumers.service_time = ServiceTime::Fixed(500ms);  // 4/s arrive, 2/s handled
  AlarmDefinition age = OldestMessageAgeAlarm("oldest-over-5-min", "load", 5min);
  const std::string topic = "arn:aws:sns:us-east-1:123456789012:ops";
  age.alarm_actions = {topic};
  age.ok_actions = {topic};
  o.alarms = {age};
  o.prepare = [](LoadTestContext& context) {
    return context.simulator.sns().CreateTopic({.name = "ops"}).status();
  };
  const LoadTestResult r = RunLoadTest(o).value();
  std::vector<AlarmState> entered;
  for (const AlarmTransition& t : r.alarm_transitions) {
    if (t.to != AlarmState::kInsufficientData) entered.push_back(t.to);
  }
  ASSERT_FALSE(entered.empty());
  ASSERT_EQ(r.alarm_actions.size(), entered.size());
  for (size_t i = 0; i < entered.size(); ++i) {
    EXPECT_EQ(r.alarm_actions[i].state, entered[i]);
    EXPECT_EQ(r.alarm_actions[i].topic_arn, topic);
    EXPECT_TRUE(r.alarm_actions[i].status.ok()) << r.alarm_actions[i].status.message();
  }
  const Report report = r.ToReport();
  EXPECT_TRUE(std::any_of(report.tables.begin(), report.tables.end(), [&](const Table& t) {
    return t.title == "Alarm notifications (SNS)" && t.rows.size() == entered.size();
  }));
}

// Without the topic, every notification fails, and the run says so.
TEST(LoadTestTest, AlarmActionsToAMissingTopicAreReportedAsFailed) {
  LoadTestOptions o = Small();
  AlarmDefinition depth = QueueDepthAlarm("depth", "load", 1000);
  depth.ok_actions = {"arn:aws:sns:us-east-1:123456789012:nobody"};
  o.alarms = {depth};
  const LoadTestResult r = RunLoadTest(o).value();
  ASSERT_FALSE(r.alarm_actions.empty());  // INSUFFICIENT_DATA -> OK
  for (const AlarmActionResult& a : r.alarm_actions) {
    EXPECT_EQ(a.status.code(), ErrorCode::kNotFound);
  }
}

TEST(LoadTestTest, AFailingPrepareEndsTheRunWithItsError) {
  LoadTestOptions o = Small();
  o.prepare = [](LoadTestContext&) {
    return Status(ErrorCode::kInvalidParameterValue, "no such fixture");
  };
  const Result<LoadTestResult> r = RunLoadTest(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(r.status().message(), "no such fixture");
}

TEST(LoadTestTest, EnoughConsumersNeverEnterAlarm) {
  LoadTestOptions o = Small();
  o.consumers.count = 4;
  o.alarms = {OldestMessageAgeAlarm("oldest-over-5-min", "load", 5min),
              QueueDepthAlarm("depth-over-1000", "load", 1000)};
  const LoadTestResult r = RunLoadTest(o).value();
  for (const char* alarm : {"oldest-over-5-min", "depth-over-1000"}) {
    const testing::CheckResult check = CheckAlarmNeverEntered(r.alarm_transitions, alarm);
    EXPECT_TRUE(check.ok) << check.summary;
  }
  EXPECT_FALSE(r.alarm_transitions.empty());  // INSUFFICIENT_DATA -> OK
}

TEST(LoadTestTest, AlarmTransitionsAreNotedInTheTrace) {
  LoadTestOptions quiet = Small();
  LoadTestOptions alarmed = Small();
  alarmed.alarms = {QueueDepthAlarm("depth", "load", 1000)};
  const LoadTestResult a = RunLoadTest(quiet).value();
  const LoadTestResult b = RunLoadTest(alarmed).value();
  ASSERT_FALSE(b.alarm_transitions.empty());
  // Same traffic, one note more: the hashes differ by the notes alone.
  EXPECT_EQ(a.sent, b.sent);
  EXPECT_NE(a.trace_hash, b.trace_hash);
}

TEST(LoadTestTest, FailingHandlersFillTheDeadLetterQueueAndFireItsAlarm) {
  LoadTestOptions o = Small();
  o.queue.attributes = {{"VisibilityTimeout", "5"}};
  o.queue.max_receive_count = 2;
  o.consumers.service_time = ServiceTime::Fixed(50ms).WithFailureProbability(0.1);
  o.alarms = {DeadLetterQueueNotEmptyAlarm("dlq-not-empty", "load-dlq")};
  const LoadTestResult r = RunLoadTest(o).value();
  // A message dead-letters after two failures: about 1% of them.
  EXPECT_GT(r.dead_lettered, 0);
  EXPECT_LT(r.dead_lettered, r.sent / 20);
  EXPECT_EQ(r.completed + r.dead_lettered + r.left_in_queue, r.sent);
  const testing::CheckResult check =
      CheckAlarmEnteredWithin(r.alarm_transitions, "dlq-not-empty", r.start, 15min);
  EXPECT_TRUE(check.ok) << check.summary;
}

TEST(LoadTestTest, AutoscalingScalesOutForABurstAndBackIn) {
  LoadTestOptions o;
  o.seed = 8;
  o.duration = 90min;
  o.producers = {{.arrivals = ArrivalProcess::Burst(1.25, 15, 20min, 20min)}};
  o.consumers.count = 1;
  o.consumers.options.max_in_flight = 5;
  o.consumers.service_time = ServiceTime::Fixed(2s);  // 2.5/s per consumer
  o.consumers.autoscaling = Autoscaling{.min = 1,
                                        .max = 12,
                                        .target_backlog_per_consumer = 50,
                                        .scale_out_cooldown = 1min,
                                        .scale_in_cooldown = 2min};
  const LoadTestResult r = RunLoadTest(o).value();
  int before = 0, during = 0, after = 0;
  for (const PeriodSample& p : r.periods) {
    if (p.start < 20min) before = std::max(before, p.consumers);
    if (p.start >= 20min && p.start < 40min) during = std::max(during, p.consumers);
    if (p.start >= 85min) after = std::max(after, p.consumers);
  }
  EXPECT_EQ(before, 1);
  EXPECT_GT(during, 3);
  EXPECT_LE(during, 12);
  EXPECT_LT(after, during);
  EXPECT_EQ(r.peak_consumers, during);
}

TEST(LoadTestTest, RunsTheTeamsOwnHandler) {
  LoadTestOptions o = Small();
  int64_t calls = 0;
  o.consumers.handler = [&](runtime::Delivery& d) -> boost::asio::awaitable<runtime::Outcome> {
    ++calls;
    co_await d.env().Sleep(100ms);
    co_return runtime::Outcome::Done();
  };
  const LoadTestResult r = RunLoadTest(o).value();
  EXPECT_EQ(calls, r.sent);
  EXPECT_EQ(r.completed, r.sent);
  EXPECT_GE(r.end_to_end.p50, 0.1);
}

TEST(LoadTestTest, HandlerBuiltForTheRunCallsADownstreamQueue) {
  LoadTestOptions o = Small();
  std::string downstream_url;
  o.consumers.make_handler = [&](LoadTestContext& context) -> runtime::MessageHandler {
    downstream_url = context.simulator.CreateQueue({.queue_name = "audit"}).value().queue_url;
    Client* client = &context.client;
    return [client, url = downstream_url](
               runtime::Delivery& d) -> boost::asio::awaitable<runtime::Outcome> {
      SendMessageRequest forward{.queue_url = url, .message_body = d.message().body};
      Result<SendMessageResponse> sent = co_await client->AsyncSendMessage(std::move(forward));
      co_return sent.ok() ? runtime::Outcome::Done() : runtime::Outcome::Leave();
    };
  };
  const LoadTestResult r = RunLoadTest(o).value();
  EXPECT_NE(downstream_url.find("/audit"), std::string::npos);
  EXPECT_EQ(r.completed, r.sent);
  // Every message sent once by the producer and once more downstream.
  EXPECT_EQ(r.call_counts.at(Action::kSendMessage), 2 * r.sent);
}

TEST(LoadTestTest, CustomBodiesTakeTheirLatencyFromSentTimestamp) {
  LoadTestOptions o = Small();
  o.producers[0].body = [](int64_t seq, Rng&) { return "enrollment " + std::to_string(seq); };
  std::vector<std::string> bodies;
  o.consumers.handler = [&](runtime::Delivery& d) -> boost::asio::awaitable<runtime::Outcome> {
    bodies.push_back(d.message().body);
    co_await d.env().Sleep(250ms);
    co_return runtime::Outcome::Done();
  };
  const LoadTestResult r = RunLoadTest(o).value();
  ASSERT_FALSE(bodies.empty());
  EXPECT_EQ(bodies.front().rfind("enrollment ", 0), 0u);
  EXPECT_EQ(r.end_to_end.count, r.completed);
  EXPECT_GE(r.end_to_end.p50, 0.249);  // SentTimestamp has milliseconds
}

TEST(LoadTestTest, FifoQueueWithHotGroupsHandlesEveryMessage) {
  LoadTestOptions o = Small();
  o.queue.name = "load.fifo";
  o.producers[0].groups = GroupKeys::Zipf(20, 1.2);
  o.consumers.count = 3;
  const LoadTestResult r = RunLoadTest(o).value();
  EXPECT_EQ(r.completed, r.sent);
  EXPECT_GT(r.cost.fifo_billed_requests, 0u);
}

TEST(LoadTestTest, BatchingProducerSendsInBatches) {
  LoadTestOptions o = Small();
  o.producers[0].batch = true;
  o.producers[0].batching.linger = 500ms;
  const LoadTestResult r = RunLoadTest(o).value();
  EXPECT_EQ(r.completed, r.sent);
  EXPECT_EQ(r.call_counts.count(Action::kSendMessage), 0u);
  EXPECT_LT(r.call_counts.at(Action::kSendMessageBatch), r.sent / 2);
}

TEST(LoadTestTest, CostCountsEveryCallAndProjectsAMonth) {
  const LoadTestResult r = RunLoadTest(Small()).value();
  uint64_t calls = 0;
  for (const auto& [action, n] : r.call_counts) {
    if (action != Action::kCreateQueue && action != Action::kGetQueueAttributes) calls += n;
  }
  // Small messages: one billed request per call.
  EXPECT_EQ(r.cost.standard_billed_requests, calls);
  EXPECT_GT(r.cost.monthly_usd, 0);
  EXPECT_EQ(r.cost.fifo_billed_requests, 0u);
}

TEST(LoadTestTest, SseKmsQueueCountsDataKeyRequestsPerReusePeriod) {
  LoadTestOptions o = Small();
  o.queue.attributes = {{"KmsMasterKeyId", "alias/aws/sqs"},
                        {"KmsDataKeyReusePeriodSeconds", "300"}};
  const LoadTestResult r = RunLoadTest(o).value();
  // 20 minutes of sends and receives, each principal's key lasting 5
  // minutes: the producer makes 3 or 4 keys (15 minutes of sends), the
  // consumer 4 or 5; a new sending key costs GenerateDataKey and Decrypt.
  EXPECT_GE(r.cost.kms_generate_data_key_requests, 3u);
  EXPECT_LE(r.cost.kms_generate_data_key_requests, 4u);
  EXPECT_GE(r.cost.kms_decrypt_requests, r.cost.kms_generate_data_key_requests + 3);
  EXPECT_GT(r.cost.monthly_kms_requests, 0);
}

TEST(LoadTestTest, SweepGivesEachPointTheResultOfItsOwnRun) {
  std::vector<SweepPoint> points;
  for (int consumers : {1, 2, 3}) {
    LoadTestOptions o = Small();
    o.consumers.count = consumers;
    o.consumers.options.max_in_flight = 1;  // 3.3/s per consumer, for 4/s
    o.drain = Duration(0);                  // no time to catch up
    points.push_back({.x = static_cast<double>(consumers), .options = o});
  }
  const SweepResult sweep = RunSweep("consumers", points, 2).value();
  ASSERT_EQ(sweep.runs.size(), 3u);
  for (size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(sweep.runs[i].trace_hash, RunLoadTest(points[i].options).value().trace_hash);
  }
  EXPECT_LT(sweep.runs[0].throughput_out, sweep.runs[2].throughput_out);
  const Report report = sweep.ToReport();
  EXPECT_EQ(report.charts.size(), 3u);
}

TEST(LoadTestTest, InvalidOptionsAreRejectedBeforeRunning) {
  LoadTestOptions o = Small();
  o.period = 90s;
  EXPECT_EQ(RunLoadTest(o).status().code(), ErrorCode::kInvalidParameterValue);
  o = Small();
  o.consumers.options.max_messages_per_receive = 11;
  EXPECT_EQ(RunLoadTest(o).status().code(), ErrorCode::kInvalidParameterValue);
  o = Small();
  o.consumers.autoscaling = Autoscaling{.min = 3, .max = 2};
  EXPECT_EQ(RunLoadTest(o).status().code(), ErrorCode::kInvalidParameterValue);
  o = Small();
  o.queue.attributes = {{"VisibilityTimeout", "99999"}};
  EXPECT_EQ(RunLoadTest(o).status().code(), ErrorCode::kInvalidAttributeValue);
}

TEST(LoadTestTest, ReportHasTheChartsAndTables) {
  LoadTestOptions o = Small();
  o.alarms = {QueueDepthAlarm("depth", "load", 1000)};
  const Report report = RunLoadTest(o).value().ToReport();
  std::vector<std::string> titles;
  for (const Chart& c : report.charts) titles.push_back(c.title);
  EXPECT_EQ(titles,
            (std::vector<std::string>{"Queue depth", "Age of the oldest message", "Throughput",
                                      "End-to-end latency (send to handled)", "Consumers"}));
  EXPECT_EQ(report.charts[0].bands.size(), 1u);
  EXPECT_EQ(report.charts[0].x.size(), 20u);  // 20 one-minute periods
  EXPECT_GE(report.tables.size(), 3u);        // summary, alarms, cost
  EXPECT_NE(ToHtml(report).find("<svg"), std::string::npos);
}

TEST(LoadTestTest, ProgressIsReportedEveryPeriod) {
  LoadTestOptions o = Small();
  std::vector<Progress> seen;
  o.on_progress = [&](const Progress& p) { seen.push_back(p); };
  const LoadTestResult r = RunLoadTest(o).value();
  ASSERT_EQ(seen.size(), 20u);
  EXPECT_EQ(seen.back().elapsed, 20min);
  EXPECT_EQ(seen.back().total, 20min);
  EXPECT_EQ(seen.back().sent, r.sent);
}

}  // namespace load_test_test
}  // namespace sqsim::loadtest
