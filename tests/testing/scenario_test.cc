// The Scenario runner itself: phases, restarts, replay, reports.

#include "sqsim/testing/scenario.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "testing/scenario_actors.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;
using ::testing::HasSubstr;

// A producer of `n` messages "m1".."mn" to queue "q".
Actor Producer(int n) {
  return [n](ActorContext& ctx) -> awaitable<void> {
    for (int i = 1; i <= n; ++i) {
      SendMessageRequest send{.queue_url = ctx.url("q"), .message_body = "m" + std::to_string(i)};
      (void)co_await ctx.Send(send, send.message_body);
    }
  };
}

ScenarioOptions Basic(uint64_t seed) {
  ScenarioOptions s;
  s.seed = seed;
  s.queues = {{.name = "q", .attributes = {{"VisibilityTimeout", "10"}}}};
  s.producers = {Producer(10)};
  s.consumer = ConsumeAndDelete("q", "after-process");
  return s;
}

TEST(Scenario, CleanRunPassesAndCountsWhatHappened) {
  ScenarioReport report = RunScenario(Basic(1));
  EXPECT_TRUE(Passed(report));
  EXPECT_TRUE(report.drained);
  EXPECT_EQ(report.sent, 10);
  EXPECT_EQ(report.processed, 10);
  EXPECT_EQ(report.deleted, 10);
  EXPECT_EQ(report.duplicates, 0);
  EXPECT_EQ(report.api_calls["SendMessage"], 10);
  EXPECT_GT(report.api_calls["ReceiveMessage"], 0);
  EXPECT_GE(report.latency_p99, report.latency_p50);
}

TEST(Scenario, CrashedConsumerIsRestartedAndTheDuplicateIsReported) {
  ScenarioOptions s = Basic(2);
  s.faults = {.rules = {{.id = "crash",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "after-process",
                         .on_calls = {3}}}};
  ScenarioReport report = RunScenario(s);
  EXPECT_EQ(report.crashes, 1);
  EXPECT_EQ(report.duplicates, 1);  // m3 processed again after the restart
  EXPECT_FALSE(report.ok);
  EXPECT_THAT(report.Describe(), HasSubstr("duplicated 1 (m3)"));
  EXPECT_THAT(report.Describe(), HasSubstr("SQSIM_SEED=2"));
}

TEST(Scenario, PauseLongerThanTheVisibilityTimeoutCausesARedelivery) {
  ScenarioOptions s = Basic(6);
  s.consumers = 2;
  s.faults = {.rules = {{.id = "gc-pause",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "before-process",
                         .on_calls = {2}}}};
  s.consumer = [](ActorContext& ctx) -> awaitable<void> {
    while (!ctx.stopping()) {
      ReceiveMessageRequest receive{.queue_url = ctx.url("q"), .wait_time_seconds = 20};
      auto got = co_await ctx.Receive(receive);
      if (!got.ok()) continue;
      for (const Message& m : got->messages) {
        co_await ctx.MaybePause("before-process", std::chrono::seconds(30));  // > 10 s timeout
        ctx.Processed("q", m);
        (void)co_await ctx.Delete("q", m);
      }
    }
  };
  ScenarioReport report = RunScenario(s);
  EXPECT_EQ(report.faults_fired["gc-pause"], 1);
  EXPECT_EQ(report.duplicates, 1);  // the other consumer got it while this one paused
}

TEST(Scenario, AllowedDuplicatesPass) {
  ScenarioOptions s = Basic(2);
  s.faults = {.rules = {{.id = "crash",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "after-process",
                         .on_calls = {3}}}};
  s.queue_check.allow_duplicates = true;
  EXPECT_TRUE(RunScenario(s).ok);
}

TEST(Scenario, FaultsStopInTheLivenessPhase) {
  ScenarioOptions s = Basic(3);
  // Every receive fails during the safety phase; afterwards the queue must
  // still drain.
  s.faults = {.rules = {{.id = "outage",
                         .effect = FaultEffect::kError,
                         .action = Action::kReceiveMessage,
                         .probability = 1,
                         .error = ErrorCode::kServiceUnavailable}}};
  s.safety_duration = std::chrono::minutes(2);
  ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_GT(report.faults_fired["outage"], 0);
  EXPECT_GE(report.virtual_elapsed, Duration(std::chrono::minutes(2)));
}

TEST(Scenario, ConsumerThatNeverDeletesFailsLiveness) {
  ScenarioOptions s = Basic(4);
  s.consumer = [](ActorContext& ctx) -> awaitable<void> {
    while (!ctx.stopping()) {
      ReceiveMessageRequest receive{.queue_url = ctx.url("q"), .wait_time_seconds = 20};
      (void)co_await ctx.Receive(receive);
    }
  };
  s.liveness_bound = std::chrono::minutes(5);
  ScenarioReport report = RunScenario(s);
  EXPECT_FALSE(report.drained);
  EXPECT_FALSE(report.ok);
  EXPECT_THAT(report.Describe(), HasSubstr("liveness: FAILED"));
}

TEST(Scenario, PoisonMessagesEndInTheDeadLetterQueueAndCountAsHandled) {
  ScenarioOptions s = Basic(5);
  s.queues = {{.name = "q",
               .attributes = {{"VisibilityTimeout", "10"}},
               .dead_letter_queue = "q-dlq",
               .max_receive_count = 2}};
  // m7 is poison: never deleted.
  s.consumer = [](ActorContext& ctx) -> awaitable<void> {
    while (!ctx.stopping()) {
      ReceiveMessageRequest receive{.queue_url = ctx.url("q"), .wait_time_seconds = 20};
      auto got = co_await ctx.Receive(receive);
      if (!got.ok()) continue;
      for (const Message& m : got->messages) {
        if (m.body == "m7") continue;
        ctx.Processed("q", m);
        (void)co_await ctx.Delete("q", m);
      }
    }
  };
  s.checkers = {[](const History& h) { return CheckMaxReceiveCount(h, "q", 2); }};
  ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.dead_lettered, 1);
  EXPECT_EQ(report.processed, 9);
}

TEST(Scenario, SweepStopsAtTheFirstFailureAndWritesTheTrace) {
  const std::string path = ::testing::TempDir() + "sqsim_sweep_trace.txt";
  auto make = [](uint64_t seed) {
    ScenarioOptions s = Basic(seed);
    s.faults = {.rules = {{.id = "crash",
                           .effect = FaultEffect::kFaultPoint,
                           .point = "after-process",
                           .probability = 0.05}}};
    return s;
  };
  SweepResult sweep =
      SweepSeeds(make, {.first_seed = 1, .seeds = 50, .trace_file = path, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value());
  EXPECT_EQ(sweep.runs, static_cast<int>(sweep.failure->seed));
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  EXPECT_THAT(content.str(), HasSubstr("seed " + std::to_string(sweep.failure->seed)));
  EXPECT_THAT(content.str(), HasSubstr("--- history ---"));
  EXPECT_THAT(content.str(), HasSubstr("fault crash"));
}

TEST(Scenario, SqsimSeedReplaysExactlyOneSeed) {
  setenv("SQSIM_SEED", "7", 1);
  SweepResult sweep = SweepSeeds(Basic, {.first_seed = 1, .seeds = 50, .verbose = false});
  unsetenv("SQSIM_SEED");
  EXPECT_EQ(sweep.runs, 1);
}

TEST(Scenario, GtestHelperReportsSeedAndReplayOnFailure) {
  ScenarioOptions s = Basic(2);
  s.faults = {.rules = {{.id = "crash",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "after-process",
                         .on_calls = {1}}}};
  ::testing::AssertionResult result = Passed(RunScenario(s));
  EXPECT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("seed 2: FAILED"));
  EXPECT_THAT(result.message(), HasSubstr("replay: SQSIM_SEED=2"));
  EXPECT_THAT(result.message(), HasSubstr("last trace events:"));
}

TEST(Scenario, SameSeedSameTraceDifferentSeedDifferentTrace) {
  EXPECT_TRUE(CheckDeterminism(Basic, 9));
  EXPECT_NE(RunScenario(Basic(9)).trace_hash, RunScenario(Basic(10)).trace_hash);
}

TEST(Scenario, CoverageShowsRulesThatNeverFired) {
  auto make = [](uint64_t seed) {
    ScenarioOptions s = Basic(seed);
    s.faults = {.rules = {{.id = "never",
                           .effect = FaultEffect::kFaultPoint,
                           .point = "nowhere",
                           .probability = 1}}};
    return s;
  };
  SweepResult sweep = SweepSeeds(make, {.first_seed = 1, .seeds = 3, .verbose = false});
  EXPECT_EQ(sweep.runs, 3);
  EXPECT_THAT(sweep.never_fired(), ::testing::ElementsAre("never"));
}

}  // namespace
}  // namespace sqsim::testing
