// The Lambda SQS trigger's concurrency on the simulator: the documented
// scaling ramp, MaximumConcurrency, reserved concurrency and throttling,
// FIFO message groups, the visibility timeout check, per-minute metrics and
// determinism. One behaviour per test.

#include "sqsim/lambda/event_source_mapping.h"

#include <set>
#include <stdexcept>

#include "lambda/mapping_fixture.h"

namespace sqsim::lambda {
namespace esm_scaling_test {

using boost::asio::awaitable;
using esm_test::MappingTest;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// A handler that holds each invocation for `work` and tracks how many run.
struct Gauge {
  int running = 0;
  int most = 0;
  SqsHandler Handler(Duration work) {
    return [this, work](const SqsEvent&,
                        InvocationContext& context) -> awaitable<Result<BatchResponse>> {
      most = std::max(most, ++running);
      co_await context.env.Sleep(work);
      --running;
      co_return BatchResponse::Success();
    };
  }
};

class ScalingTest : public MappingTest {};

TEST_F(ScalingTest, StandardQueueStartsWithFivePollersAndAddsThreeHundredPerMinute) {
  const std::string url = MakeQueue("backlog", {{"VisibilityTimeout", "5400"}});
  SendMany(url, 1500);
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(),
                             {.queue_url = url, .batch_size = 1, .function_timeout_seconds = 900},
                             gauge.Handler(std::chrono::minutes(10)));
  std::optional<Status> status;
  Start(mapping, &status);
  std::vector<int> running;  // half a minute into each minute
  sim_->RunFor(std::chrono::seconds(30));
  for (int minute = 0; minute < 6; ++minute) {
    running.push_back(gauge.running);
    sim_->RunFor(std::chrono::minutes(1));
  }
  // 5, then +300 a minute while messages wait, up to 1,000 batches at once.
  EXPECT_THAT(running, ElementsAre(5, 305, 605, 905, 1000, 1000));
  EXPECT_EQ(mapping.stats().pollers, 1000);
  EXPECT_THAT(mapping.warnings(), IsEmpty());
  StopAndWait(mapping, &status);
}

TEST_F(ScalingTest, MaximumConcurrencyCapsConcurrentInvocations) {
  const std::string url = MakeQueue("backlog", {{"VisibilityTimeout", "5400"}});
  SendMany(url, 300);
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(),
                             {.queue_url = url,
                              .batch_size = 1,
                              .maximum_concurrency = 50,
                              .function_timeout_seconds = 900},
                             gauge.Handler(std::chrono::minutes(10)));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(30));
  EXPECT_EQ(gauge.running, 5);
  sim_->RunFor(std::chrono::minutes(5));
  EXPECT_EQ(gauge.running, 50);
  EXPECT_EQ(gauge.most, 50);
  EXPECT_EQ(mapping.stats().max_concurrency, 50);
  StopAndWait(mapping, &status);
}

TEST_F(ScalingTest, TrafficEndingScalesBackToFivePollers) {
  const std::string url = MakeQueue("backlog", {{"VisibilityTimeout", "600"}});
  SendMany(url, 400);
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(),
                             {.queue_url = url, .batch_size = 1, .function_timeout_seconds = 100},
                             gauge.Handler(std::chrono::seconds(90)));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(90));
  EXPECT_EQ(mapping.stats().pollers, 305);
  sim_->RunFor(std::chrono::minutes(5));  // the backlog is gone
  EXPECT_EQ(Stored(url), 0);
  EXPECT_EQ(mapping.stats().pollers, 5);
  StopAndWait(mapping, &status);
}

TEST_F(ScalingTest, ReservedConcurrencyThrottlesTheRest) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "120"}});
  SendMany(url, 20);
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(),
                             {.queue_url = url,
                              .batch_size = 1,
                              .function_timeout_seconds = 10,
                              .reserved_concurrent_executions = 2},
                             gauge.Handler(std::chrono::seconds(5)));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(10));
  EXPECT_EQ(gauge.most, 2);
  EXPECT_GT(mapping.stats().throttles, 0);
  EXPECT_EQ(mapping.stats().deleted, 20);  // retried until there was room
  auto throttles = mapping.GetMetric({.metric = FunctionMetric::kThrottles});
  ASSERT_THAT(throttles, IsOk());
  ASSERT_THAT(*throttles, ::testing::Not(IsEmpty()));
  EXPECT_GT(throttles->front().sum, 0);
  StopAndWait(mapping, &status);
}

TEST_F(ScalingTest, ThrottledBatchIsDroppedAndComesBackAfterTheVisibilityTimeout) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "10"}});
  Send(url, "order-0");
  Gauge gauge;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url, .function_timeout_seconds = 1, .reserved_concurrent_executions = 0},
      gauge.Handler(Duration::zero()));
  std::optional<Status> status;
  Start(mapping, &status);
  // Throttled at 0, 1, 3 and 7 s; the next retry would come at 15 s, past
  // the visibility timeout: dropped.
  sim_->RunFor(std::chrono::seconds(9));
  EXPECT_EQ(mapping.stats().throttles, 4);
  EXPECT_EQ(mapping.stats().dropped, 1);
  EXPECT_EQ(Count(url, "ApproximateNumberOfMessagesNotVisible"), 1);
  sim_->RunFor(std::chrono::seconds(2));  // visible again at 10 s, and polled again
  EXPECT_EQ(mapping.stats().polled, 2);
  EXPECT_EQ(gauge.most, 0);  // never invoked
  StopAndWait(mapping, &status);
}

class FifoTest : public MappingTest {};

TEST_F(FifoTest, GroupsAreHandledInOrderOneBatchPerGroupAtATime) {
  const std::string url =
      MakeQueue("orders.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}});
  const std::vector<std::string> groups = {"alice", "bob", "carol"};
  for (int i = 0; i < 4; ++i) {
    for (const std::string& g : groups) Send(url, g + "-" + std::to_string(i), g);
  }
  std::map<std::string, int> next;       // per group: the next index due
  std::multiset<std::string> in_flight;  // groups in running batches
  int violations = 0, failed = 0;
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url, .batch_size = 3},
      [&](const SqsEvent& event, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        std::map<std::string, int> expected = next;
        std::set<std::string> mine;
        for (const SqsRecord& r : event.records) {
          const std::string group = *r.attributes.message_group_id;
          const int index = std::stoi(r.body.substr(r.body.find('-') + 1));
          if (index != expected[group]++) ++violations;  // out of order
          mine.insert(group);
        }
        for (const std::string& g : mine) {
          if (in_flight.contains(g)) ++violations;  // a second batch of the group
          in_flight.insert(g);
        }
        co_await context.env.Sleep(std::chrono::seconds(2));
        for (const std::string& g : mine) in_flight.erase(in_flight.find(g));
        // The first batch holding bob-1 fails: bob's later messages wait.
        bool fail = false;
        for (const SqsRecord& r : event.records) fail |= r.body == "bob-1" && failed == 0;
        if (fail) {
          ++failed;
          throw std::runtime_error("bob's card declined");
        }
        for (const std::string& g : mine) next[g] = expected[g];
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(3));
  EXPECT_EQ(violations, 0);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(next, (std::map<std::string, int>{{"alice", 4}, {"bob", 4}, {"carol", 4}}));
  EXPECT_EQ(Stored(url), 0);
  StopAndWait(mapping, &status);
}

class VisibilityTimeoutTest : public MappingTest {};

TEST_F(VisibilityTimeoutTest, ShorterThanTheFunctionTimeoutIsRejected) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "30"}});
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 60},
                             gauge.Handler(Duration::zero()));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  ASSERT_TRUE(status.has_value());
  EXPECT_THAT(*status, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(status->message(),
            "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds");
  EXPECT_EQ(status->json_type(), "InvalidParameterValueException");
  EXPECT_EQ(Calls(Action::kReceiveMessage), 0);
}

TEST_F(VisibilityTimeoutTest, EqualToTheFunctionTimeoutIsAcceptedWithAWarning) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 60},
                             gauge.Handler(Duration::zero()));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  EXPECT_FALSE(status.has_value());  // running
  ASSERT_THAT(mapping.warnings(), SizeIs(1));
  EXPECT_THAT(mapping.warnings()[0],
              HasSubstr("Queue visibility timeout: 60 seconds is less than six times Function "
                        "timeout: 60 seconds (360 seconds)"));
  StopAndWait(mapping, &status);
}

TEST_F(VisibilityTimeoutTest, SixTimesTheFunctionTimeoutHasNoWarning) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "360"}});
  Gauge gauge;
  EventSourceMapping mapping(*sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 60},
                             gauge.Handler(Duration::zero()));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  EXPECT_THAT(mapping.warnings(), IsEmpty());
  StopAndWait(mapping, &status);
}

TEST_F(VisibilityTimeoutTest, MaximumConcurrencyAboveReservedConcurrencyWarns) {
  const std::string url = MakeQueue("orders");
  Gauge gauge;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url, .maximum_concurrency = 10, .reserved_concurrent_executions = 4},
      gauge.Handler(Duration::zero()));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  ASSERT_THAT(mapping.warnings(), SizeIs(1));
  EXPECT_THAT(mapping.warnings()[0], HasSubstr("reserved concurrency 4"));
  StopAndWait(mapping, &status);
}

class MetricsTest : public MappingTest {};

TEST_F(MetricsTest, InvocationsErrorsDurationAndAgePerMinute) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  SendMany(url, 30);
  bool failed_once = false;
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 10},
      [&](const SqsEvent& event, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        co_await context.env.Sleep(std::chrono::seconds(2));
        if (!failed_once && event.records.front().body == "m-0") {
          failed_once = true;
          throw std::runtime_error("first batch fails once");
        }
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(3));
  const auto metric = [&](FunctionMetric m) {
    auto got = mapping.GetMetric({.metric = m});
    EXPECT_THAT(got, IsOk());
    return got.ok() ? *got : std::vector<MetricDatapoint>{};
  };
  // Minute 0: three batches of ten at once, one fails; minute 1: it comes
  // back after the 60 s visibility timeout and succeeds.
  const Timestamp t0 = sim_->options().start_time;
  const auto invocations = metric(FunctionMetric::kInvocations);
  ASSERT_THAT(invocations, SizeIs(2));
  EXPECT_EQ(invocations[0].timestamp, t0);
  EXPECT_EQ(invocations[0].sum, 3);
  EXPECT_EQ(invocations[1].timestamp, t0 + std::chrono::minutes(1));
  EXPECT_EQ(invocations[1].sum, 1);
  const auto errors = metric(FunctionMetric::kErrors);
  ASSERT_THAT(errors, SizeIs(2));
  EXPECT_EQ(errors[0].sum, 1);
  EXPECT_EQ(errors[1].sum, 0);
  const auto concurrency = metric(FunctionMetric::kConcurrentExecutions);
  ASSERT_THAT(concurrency, SizeIs(2));
  EXPECT_EQ(concurrency[0].maximum, 3);
  EXPECT_EQ(concurrency[1].maximum, 1);
  const auto duration = metric(FunctionMetric::kDuration);
  ASSERT_THAT(duration, SizeIs(2));
  EXPECT_EQ(duration[0].sample_count, 3);
  EXPECT_EQ(duration[0].average(), 2000);
  const auto batch = metric(FunctionMetric::kBatchSize);
  ASSERT_THAT(batch, SizeIs(2));
  EXPECT_EQ(batch[0].sum, 30);
  EXPECT_EQ(batch[0].maximum, 10);
  const auto age = metric(FunctionMetric::kMessageAge);
  ASSERT_THAT(age, SizeIs(2));
  EXPECT_EQ(age[0].maximum, 0);
  EXPECT_EQ(age[1].maximum, 60'000);  // sent at 0 s, invoked again at 60 s
  const auto deleted = metric(FunctionMetric::kDeletedEventCount);
  ASSERT_THAT(deleted, SizeIs(2));
  EXPECT_EQ(deleted[0].sum, 20);
  EXPECT_EQ(deleted[1].sum, 10);
  const auto polled = metric(FunctionMetric::kPolledEventCount);
  ASSERT_THAT(polled, SizeIs(2));
  EXPECT_EQ(polled[0].sum + polled[1].sum, 40);
  // A two-minute period sums the minutes and keeps their values.
  auto two = mapping.GetMetric(
      {.metric = FunctionMetric::kInvocations, .period = std::chrono::minutes(2), .start = t0});
  ASSERT_THAT(two, IsOk());
  ASSERT_THAT(*two, SizeIs(1));
  EXPECT_EQ((*two)[0].sum, 4);
  EXPECT_THAT((*two)[0].values, ElementsAre(3, 1));
  EXPECT_THAT(mapping.GetMetric({.period = std::chrono::seconds(90)}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  StopAndWait(mapping, &status);
}

TEST(FunctionMetricNames, RoundTrip) {
  for (int i = 0; i < kFunctionMetricCount; ++i) {
    const auto metric = static_cast<FunctionMetric>(i);
    EXPECT_EQ(FunctionMetricFromName(FunctionMetricName(metric)), metric);
  }
  EXPECT_EQ(FunctionMetricName(FunctionMetric::kDuration), "Duration");
  EXPECT_EQ(FunctionMetricUnit(FunctionMetric::kDuration), "Milliseconds");
  EXPECT_EQ(FunctionMetricFromName("Nope"), std::nullopt);
}

// A run with realistic (sampled, reordered) SQS, errors and partial batch
// responses; returns the trace hash and what the handler saw.
std::pair<uint64_t, std::vector<std::string>> RunOnce(uint64_t seed) {
  SimulatorOptions options;
  options.seed = seed;
  auto sim = Simulator::Create(options).value();
  auto url = sim->CreateQueue({.queue_name = "orders", .attributes = {{"VisibilityTimeout", "20"}}})
                 ->queue_url;
  for (int i = 0; i < 60; ++i) {
    SendMessageRequest send{.queue_url = url, .message_body = "m-" + std::to_string(i)};
    (void)sim->SendMessage(send);
  }
  std::vector<std::string> log;
  EventSourceMapping mapping(
      *sim, sim->env(),
      {.queue_url = url,
       .batch_size = 20,
       .maximum_batching_window_in_seconds = 2,
       .function_response_types = {"ReportBatchItemFailures"}},
      [&](const SqsEvent& event, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        co_await context.env.Sleep(std::chrono::milliseconds(context.env.rng().Uniform(2000)));
        std::vector<std::string> failed;
        for (const SqsRecord& r : event.records) {
          log.push_back(r.body + "@" + r.attributes.approximate_receive_count);
          if (context.env.rng().OneIn(5)) failed.push_back(r.message_id);
        }
        if (context.env.rng().OneIn(10)) throw std::runtime_error("flaky");
        co_return BatchResponse::Failures(failed);
      });
  std::optional<Status> status;
  sim->Spawn([](EventSourceMapping& m, std::optional<Status>* s) -> awaitable<void> {
    s->emplace(co_await m.Run());
  }(mapping, &status));
  sim->RunFor(std::chrono::minutes(5));
  mapping.Stop();
  (void)sim->RunUntil([&] { return status.has_value(); }, std::chrono::minutes(1));
  return {sim->trace_hash(), log};
}

TEST(EventSourceMappingDeterminism, SameSeedSameTrace) {
  const auto first = RunOnce(42);
  const auto second = RunOnce(42);
  EXPECT_EQ(first.first, second.first);
  EXPECT_EQ(first.second, second.second);
  EXPECT_THAT(first.second, SizeIs(::testing::Gt(60u)));  // failures were retried
}

}  // namespace esm_scaling_test
}  // namespace sqsim::lambda
