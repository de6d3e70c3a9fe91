// The Lambda SQS trigger on the simulator, in virtual time: batching, the
// payload limit, partial batch responses, errors, timeouts, redrive and
// shutdown. One behaviour per test.

#include "sqsim/lambda/event_source_mapping.h"

#include <set>
#include <stdexcept>

#include "lambda/mapping_fixture.h"

namespace sqsim::lambda {
namespace esm_test {

using boost::asio::awaitable;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// Records what each invocation got, then lets `decide` answer (default:
// success), after `work` of virtual time.
SqsHandler Recording(Simulator* sim, std::vector<Seen>* seen, Duration work = Duration::zero(),
                     std::function<Result<BatchResponse>(const SqsEvent&)> decide = nullptr) {
  return
      [=](const SqsEvent& event, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        Seen s{.at = sim->Now() - sim->options().start_time, .bodies = {}, .receive_counts = {}};
        for (const SqsRecord& r : event.records) {
          s.bodies.push_back(r.body);
          s.receive_counts.push_back(r.attributes.approximate_receive_count);
        }
        seen->push_back(std::move(s));
        if (work > Duration::zero()) co_await context.env.Sleep(work);
        if (decide) co_return decide(event);
        co_return BatchResponse::Success();
      };
}

class BatchingTest : public MappingTest {};

TEST_F(BatchingTest, BatchSizeBoundsTheRecordsOfEachInvocation) {
  const std::string url = MakeQueue("orders");
  SendMany(url, 23);
  std::vector<Seen> seen;
  EventSourceMapping mapping(*sim_, sim_->env(), {.queue_url = url, .batch_size = 4},
                             Recording(sim_.get(), &seen));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(10));
  size_t records = 0;
  for (const Seen& s : seen) {
    EXPECT_LE(s.bodies.size(), 4u);
    records += s.bodies.size();
  }
  EXPECT_EQ(records, 23u);
  EXPECT_EQ(Stored(url), 0);
  EXPECT_EQ(Calls(Action::kDeleteMessage), 0);  // deletes go in DeleteMessageBatch
  EXPECT_EQ(mapping.stats().deleted, 23);
  StopAndWait(mapping, &status);
}

TEST_F(BatchingTest, BatchingWindowHoldsTheBatchUntilItEnds) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "300"}});
  SendMany(url, 50);
  std::vector<Seen> seen;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url, .batch_size = 100, .maximum_batching_window_in_seconds = 30},
      Recording(sim_.get(), &seen));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(29));
  EXPECT_TRUE(seen.empty());  // 100 not reached: the batch waits out the window
  sim_->RunFor(std::chrono::seconds(2));
  // The first poller's receives took all fifty (ten at a time) at 0 s.
  ASSERT_THAT(seen, SizeIs(1));
  EXPECT_EQ(seen[0].at, std::chrono::seconds(30));
  EXPECT_THAT(seen[0].bodies, SizeIs(50));
  StopAndWait(mapping, &status);
}

TEST_F(BatchingTest, MessageReceivedAgainWhileGatheringIsInItsBatchOnce) {
  // The window ends when the visibility timeout does: messages come back
  // while their batch is still gathered, and the poller receives some again.
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "30"}});
  SendMany(url, 50);
  std::vector<InvocationRecord> invocations;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url,
       .batch_size = 100,
       .maximum_batching_window_in_seconds = 30,
       .function_timeout_seconds = 1,
       .on_invocation = [&](const InvocationRecord& r) { invocations.push_back(r); }},
      [](const SqsEvent&, InvocationContext&) -> awaitable<Result<BatchResponse>> {
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(31));
  ASSERT_THAT(invocations, Not(IsEmpty()));
  EXPECT_GT(mapping.stats().polled, 50);  // some were received twice
  for (const InvocationRecord& r : invocations) {
    const std::set<std::string> unique(r.message_ids.begin(), r.message_ids.end());
    EXPECT_EQ(unique.size(), r.message_ids.size());
  }
  EXPECT_THAT(mapping.warnings(),
              ElementsAre(::testing::HasSubstr("less than MaximumBatchingWindowInSeconds plus "
                                               "Function timeout (31 seconds)")));
  StopAndWait(mapping, &status);
}

TEST_F(BatchingTest, FullBatchDoesNotWaitForTheWindow) {
  const std::string url = MakeQueue("orders");
  SendMany(url, 200);
  std::vector<Seen> seen;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url, .batch_size = 20, .maximum_batching_window_in_seconds = 300},
      Recording(sim_.get(), &seen));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  ASSERT_THAT(seen, SizeIs(10));
  EXPECT_THAT(seen, Each(Field(&Seen::at, Duration::zero())));
  EXPECT_THAT(seen, Each(Field(&Seen::bodies, SizeIs(20))));
  EXPECT_EQ(Stored(url), 0);
  StopAndWait(mapping, &status);
}

TEST_F(BatchingTest, InvocationPayloadStaysWithinSixMegabytes) {
  const std::string url = MakeQueue("images", {{"MaximumMessageSize", "1048576"}});
  for (int i = 0; i < 10; ++i) Send(url, std::string(1'000'000, static_cast<char>('a' + i)));
  std::vector<InvocationRecord> invocations;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url,
       .on_invocation = [&](const InvocationRecord& r) { invocations.push_back(r); }},
      [](const SqsEvent& event, InvocationContext&) -> awaitable<Result<BatchResponse>> {
        EXPECT_LE(ToJson(event).size(), kMaxInvocationPayloadBytes);
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(5));
  // One receive took all ten; six fit in 6 MB, the other four made the next
  // batch.
  ASSERT_THAT(invocations, SizeIs(2));
  EXPECT_EQ(invocations[0].records, 6u);
  EXPECT_EQ(invocations[1].records, 4u);
  EXPECT_LE(invocations[0].payload_bytes, kMaxInvocationPayloadBytes);
  EXPECT_GT(invocations[0].payload_bytes + 1'000'000, kMaxInvocationPayloadBytes);
  EXPECT_EQ(Stored(url), 0);
  StopAndWait(mapping, &status);
}

class PartialBatchTest : public MappingTest {
 protected:
  // Five messages; the handler reports those whose body starts with "bad".
  void SendFive(const std::string& url) {
    for (const char* body : {"ok-0", "bad-1", "ok-2", "bad-3", "ok-4"}) Send(url, body);
  }
  static SqsHandler ReportBad() {
    return [](const SqsEvent& event, InvocationContext&) -> awaitable<Result<BatchResponse>> {
      std::vector<std::string> failed;
      for (const SqsRecord& r : event.records) {
        if (r.body.starts_with("bad")) failed.push_back(r.message_id);
      }
      co_return BatchResponse::Failures(failed);
    };
  }
  // A handler answering `response` whatever the batch.
  static SqsHandler Answer(BatchResponse response) {
    return [response](const SqsEvent&, InvocationContext&) -> awaitable<Result<BatchResponse>> {
      co_return response;
    };
  }
  // Runs a mapping with ReportBatchItemFailures over five messages with
  // `handler` for ten seconds; returns how many stay.
  int StayingAfter(SqsHandler handler, std::vector<std::string> response_types,
                   EventSourceMappingStats* stats) {
    const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
    SendFive(url);
    EventSourceMapping mapping(
        *sim_, sim_->env(),
        {.queue_url = url, .function_response_types = std::move(response_types)},
        std::move(handler));
    std::optional<Status> status;
    Start(mapping, &status);
    sim_->RunFor(std::chrono::seconds(10));
    *stats = mapping.stats();
    StopAndWait(mapping, &status);
    return Stored(url);
  }
};

TEST_F(PartialBatchTest, ReportBatchItemFailuresDeletesOnlyTheSuccesses) {
  EventSourceMappingStats stats;
  EXPECT_EQ(StayingAfter(ReportBad(), {"ReportBatchItemFailures"}, &stats), 2);
  EXPECT_EQ(stats.deleted, 3);
  EXPECT_EQ(stats.partial_failures, 1);
  EXPECT_EQ(stats.errors, 0);  // a partial failure is no function error
  std::vector<std::string> bodies;
  const std::optional<std::vector<PeekedMessage>> stored = sim_->Peek("orders");
  ASSERT_TRUE(stored.has_value());
  for (const PeekedMessage& m : *stored) bodies.push_back(m.body);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_THAT(bodies, ElementsAre("bad-1", "bad-3"));
}

TEST_F(PartialBatchTest, WithoutReportBatchItemFailuresTheResponseIsIgnored) {
  EventSourceMappingStats stats;
  EXPECT_EQ(StayingAfter(ReportBad(), {}, &stats), 0);
  EXPECT_EQ(stats.deleted, 5);
}

TEST_F(PartialBatchTest, UnknownItemIdentifierFailsTheWholeBatch) {
  EventSourceMappingStats stats;
  EXPECT_EQ(StayingAfter(Answer(BatchResponse::Failures({"not-a-message-id"})),
                         {"ReportBatchItemFailures"}, &stats),
            5);
  EXPECT_EQ(stats.invalid_responses, 1);
  EXPECT_EQ(stats.deleted, 0);
}

TEST_F(PartialBatchTest, EmptyItemIdentifierFailsTheWholeBatch) {
  EventSourceMappingStats stats;
  EXPECT_EQ(
      StayingAfter(Answer(BatchResponse::Failures({""})), {"ReportBatchItemFailures"}, &stats), 5);
  EXPECT_EQ(stats.invalid_responses, 1);
}

TEST_F(PartialBatchTest, NullItemIdentifierFailsTheWholeBatch) {
  EventSourceMappingStats stats;
  BatchResponse null_id{.batch_item_failures = std::vector<BatchItemFailure>{{}}};
  EXPECT_EQ(StayingAfter(Answer(null_id), {"ReportBatchItemFailures"}, &stats), 5);
  EXPECT_EQ(stats.invalid_responses, 1);
}

TEST_F(PartialBatchTest, EmptyFailureListIsCompleteSuccess) {
  EventSourceMappingStats stats;
  BatchResponse none{.batch_item_failures = std::vector<BatchItemFailure>{}};
  EXPECT_EQ(StayingAfter(Answer(none), {"ReportBatchItemFailures"}, &stats), 0);
  EXPECT_EQ(stats.deleted, 5);
}

class FailureTest : public MappingTest {};

TEST_F(FailureTest, ThrownErrorReturnsTheBatchAfterTheVisibilityTimeout) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "40"}});
  for (int i = 0; i < 3; ++i) Send(url, "order-" + std::to_string(i));
  std::vector<Seen> seen;
  SqsHandler record = Recording(sim_.get(), &seen);
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url},
      [&](const SqsEvent& event, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        Result<BatchResponse> response = co_await record(event, context);
        if (seen.size() == 1) throw std::runtime_error("payment service down");
        co_return response;
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(2));
  ASSERT_THAT(seen, SizeIs(2));
  EXPECT_EQ(seen[0].at, Duration::zero());
  EXPECT_EQ(seen[1].at, std::chrono::seconds(40));  // the whole batch, back after 40 s
  EXPECT_THAT(seen[1].bodies, SizeIs(3));
  EXPECT_THAT(seen[0].receive_counts, Each(std::string("1")));
  EXPECT_THAT(seen[1].receive_counts, Each(std::string("2")));
  EXPECT_EQ(mapping.stats().errors, 1);
  EXPECT_EQ(Stored(url), 0);
  StopAndWait(mapping, &status);
}

TEST_F(FailureTest, ReturnedErrorIsAFunctionError) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "40"}});
  Send(url, "order-0");
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url},
      [](const SqsEvent&, InvocationContext&) -> awaitable<Result<BatchResponse>> {
        co_return Status(ErrorCode::kInternalFailure, "handled error");
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(10));
  EXPECT_EQ(mapping.stats().errors, 1);
  EXPECT_EQ(mapping.stats().deleted, 0);
  EXPECT_EQ(Count(url, "ApproximateNumberOfMessagesNotVisible"), 1);
  StopAndWait(mapping, &status);
}

TEST_F(FailureTest, RedrivePolicyMovesTheMessageAfterMaxReceiveCount) {
  const std::string dlq = MakeQueue("orders-dlq");
  const std::string url =
      MakeQueue("orders", {{"VisibilityTimeout", "30"},
                           {"RedrivePolicy", R"({"deadLetterTargetArn":")" + ArnOf(dlq) +
                                                 R"(","maxReceiveCount":"3"})"}});
  Send(url, "poison");
  int invocations = 0;
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url},
      [&](const SqsEvent&, InvocationContext&) -> awaitable<Result<BatchResponse>> {
        ++invocations;
        throw std::runtime_error("cannot parse");
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(5));
  EXPECT_EQ(invocations, 3);
  EXPECT_EQ(Stored(url), 0);
  EXPECT_EQ(Count(dlq), 1);
  StopAndWait(mapping, &status);
}

TEST_F(FailureTest, TimeoutCancelsTheHandlerAndTheBatchReturns) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "30"}});
  Send(url, "order-0");
  std::vector<Duration> started;
  bool finished_slow_work = false;
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 5},
      [&](const SqsEvent&, InvocationContext& context) -> awaitable<Result<BatchResponse>> {
        started.push_back(Elapsed());
        EXPECT_EQ(context.RemainingTime(), std::chrono::seconds(5));
        if (started.size() == 1) {
          co_await context.env.Sleep(std::chrono::minutes(1));
          finished_slow_work = true;
        }
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::minutes(2));
  EXPECT_FALSE(finished_slow_work);
  EXPECT_EQ(started, (std::vector<Duration>{Duration::zero(), std::chrono::seconds(30)}));
  EXPECT_EQ(mapping.stats().timeouts, 1);
  EXPECT_EQ(mapping.stats().errors, 1);
  EXPECT_EQ(Stored(url), 0);  // deleted after the second, quick, invocation
  StopAndWait(mapping, &status);
}

TEST_F(FailureTest, StopLetsRunningInvocationsFinish) {
  const std::string url = MakeQueue("orders");
  Send(url, "order-0");
  std::vector<Seen> seen;
  EventSourceMapping mapping(*sim_, sim_->env(), {.queue_url = url, .function_timeout_seconds = 30},
                             Recording(sim_.get(), &seen, std::chrono::seconds(20)));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(5));
  mapping.Stop();
  sim_->RunFor(std::chrono::seconds(10));
  EXPECT_FALSE(status.has_value());  // the invocation still runs
  ASSERT_TRUE(sim_->RunUntil([&] { return status.has_value(); }, std::chrono::minutes(1)));
  EXPECT_THAT(*status, IsOk());
  EXPECT_EQ(Elapsed(), std::chrono::seconds(20));
  EXPECT_EQ(mapping.stats().deleted, 1);
  EXPECT_EQ(Stored(url), 0);
}

TEST_F(FailureTest, StopGivesBackWhatIsStillBeingGathered) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "300"}});
  SendMany(url, 5);
  std::vector<Seen> seen;
  EventSourceMapping mapping(
      *sim_, sim_->env(),
      {.queue_url = url, .batch_size = 100, .maximum_batching_window_in_seconds = 60},
      Recording(sim_.get(), &seen));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(10));
  StopAndWait(mapping, &status);
  EXPECT_TRUE(seen.empty());
  EXPECT_EQ(mapping.stats().released, 5);
  EXPECT_EQ(Count(url), 5);  // visible again at once
}

TEST_F(FailureTest, MissingQueueFailsRun) {
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/nope"},
      [](const SqsEvent&, InvocationContext&) -> awaitable<Result<BatchResponse>> {
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  ASSERT_TRUE(status.has_value());
  EXPECT_THAT(*status, StatusIs(ErrorCode::kQueueDoesNotExist));
}

// The mapping's first two looks at its queue meet an outage.
SimulatorOptions WithStartOutage() {
  SimulatorOptions options = SimulatorOptions::Exact(7);
  options.faults.rules = {{.id = "outage",
                           .effect = FaultEffect::kError,
                           .action = Action::kGetQueueAttributes,
                           .on_calls = {1, 2},
                           .error = ErrorCode::kServiceUnavailable}};
  return options;
}

class TransientStartTest : public MappingTest {
 protected:
  TransientStartTest() : MappingTest(WithStartOutage()) {}
};

TEST_F(TransientStartTest, ATransientErrorAtStartIsRetriedAndTheMappingRuns) {
  const std::string url = MakeQueue("transient");
  SendMany(url, 3);
  std::unique_ptr<FaultInjectingClient> flaky = sim_->NewFaultInjectingClient();
  std::vector<Seen> seen;
  EventSourceMapping mapping(*flaky, sim_->env(), {.queue_url = url}, Recording(sim_.get(), &seen));
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(10));
  EXPECT_FALSE(status.has_value());  // still running: the outage did not end it
  EXPECT_EQ(sim_->faults().fired().at("outage"), 2);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(seen[0].bodies, SizeIs(3));
  StopAndWait(mapping, &status);
}

}  // namespace esm_test
}  // namespace sqsim::lambda
