// Scenario structure: the safety phase's exact length, queues exempt from
// draining, dead-letter queue attributes, and what a failed drain reports.

#include <memory>
#include <optional>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "sqsim/testing/scenario.h"
#include "testing/scenario_actors.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;
using ::testing::HasSubstr;

TEST(ScenarioQueues, FaultsStayOnForTheWholeSafetyDurationAfterTheQueuesDrain) {
  ScenarioOptions s{.seed = 1, .queues = {{.name = "q"}}};
  s.producers = {SendOne("q", "m1")};
  s.consumer = ConsumeAndDelete("q");
  // Fires only after the queue has long drained: from minute 8 on.
  s.faults = {.rules = {{.id = "late-outage",
                         .effect = FaultEffect::kError,
                         .action = Action::kReceiveMessage,
                         .probability = 1,
                         .after = std::chrono::minutes(8)}}};
  s.safety_duration = std::chrono::minutes(10);
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(Passed(report));
  EXPECT_GT(report.faults_fired.at("late-outage"), 0);
  EXPECT_GE(report.virtual_elapsed, Duration(std::chrono::minutes(10)));
}

TEST(ScenarioQueues, QueueThatMustNotDrainDoesNotHoldUpLiveness) {
  ScenarioOptions s{.seed = 2, .queues = {{.name = "q"}, {.name = "parked", .must_drain = false}}};
  s.producers = {SendOne("q", "m1"), SendOne("parked", "kept-for-later")};
  s.consumer = ConsumeAndDelete("q");
  s.safety_duration = std::chrono::minutes(1);
  // The queue checker still calls the parked value lost (nobody processed
  // it); what matters here is that the run drained without it.
  EXPECT_TRUE(RunScenario(s).drained);
  s.queues[1].must_drain = true;  // the same run, but the parked queue must drain
  EXPECT_FALSE(RunScenario(s).drained);
}

TEST(ScenarioQueues, FailedDrainNamesTheQueueAndWhatIsLeftInIt) {
  ScenarioOptions s{.seed = 3, .queues = {{.name = "q"}, {.name = "parked"}}};
  s.producers = {SendOne("q", "m1"), SendOne("parked", "never-consumed")};
  s.consumer = ConsumeAndDelete("q");
  s.safety_duration = std::chrono::minutes(1);
  s.liveness_bound = std::chrono::minutes(1);
  const ScenarioReport report = RunScenario(s);
  EXPECT_FALSE(report.drained);
  EXPECT_THAT(report.Describe(),
              HasSubstr("queues did not drain within the liveness bound: parked has 1 visible, "
                        "0 in flight, 0 delayed: never-consumed (msg "));
  EXPECT_THAT(report.Describe(), HasSubstr(", visible, rc 0)"));
}

TEST(ScenarioQueues, DeadLetterQueueGetsItsOwnAttributes) {
  ScenarioOptions s{
      .seed = 4,
      .queues = {{.name = "q",
                  .dead_letter_queue = "q-dlq",
                  .dead_letter_attributes = {{"MessageRetentionPeriod", "1209600"}}}}};
  auto retention = std::make_shared<std::optional<std::string>>();
  s.producers = {[retention](ActorContext& ctx) -> awaitable<void> {
    GetQueueAttributesRequest get{.queue_url = ctx.url("q-dlq"),
                                  .attribute_names = {"MessageRetentionPeriod"}};
    auto got = co_await ctx.client().AsyncGetQueueAttributes(get);
    if (got.ok()) *retention = got->attributes["MessageRetentionPeriod"];
  }};
  s.safety_duration = std::chrono::seconds(1);
  EXPECT_TRUE(Passed(RunScenario(s)));
  EXPECT_EQ(*retention, "1209600");
}

TEST(ScenarioRoles, EachRoleRunsItsOwnNumberOfNamedCopies) {
  ScenarioOptions s{.seed = 9, .queues = {{.name = "q"}}};
  // Each sender sends its own name once.
  Actor sender = [](ActorContext& ctx) -> awaitable<void> {
    SendMessageRequest send{.queue_url = ctx.url("q"), .message_body = ctx.name()};
    (void)co_await ctx.Send(send, ctx.name());
  };
  s.roles = {{.name = "sender", .actor = sender, .count = 2, .kind = ActorRole::Kind::kTask},
             {.name = "picker", .actor = ConsumeAndDelete("q"), .count = 3}};
  s.safety_duration = std::chrono::minutes(1);
  std::set<std::string> actors;
  s.checkers = {[&actors](const History& history) {
    for (const Operation& op : history.operations()) actors.insert(op.actor);
    return CheckResult{.checker = "actors"};
  }};
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  EXPECT_EQ(report.sent, 2);
  EXPECT_EQ(report.processed, 2);
  // Both senders sent; the pickers that received something are named so.
  EXPECT_TRUE(actors.contains("sender-1"));
  EXPECT_TRUE(actors.contains("sender-2"));
  for (const std::string& actor : actors) {
    EXPECT_TRUE(actor.starts_with("sender-") || actor == "picker-1" || actor == "picker-2" ||
                actor == "picker-3")
        << actor;
  }
}

TEST(ScenarioRoles, ACrashedTaskStaysDownAndACrashedWorkerComesBack) {
  ScenarioOptions s{.seed = 10, .queues = {{.name = "q"}}};
  s.faults = {.rules = {{.id = "crash",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "boom",
                         .on_calls = {1, 2}}}};
  int task_lives = 0, worker_lives = 0;
  Actor task = [&task_lives](ActorContext& ctx) -> awaitable<void> {
    ++task_lives;
    ctx.MaybeCrash("boom");
    co_return;
  };
  Actor worker = [&worker_lives](ActorContext& ctx) -> awaitable<void> {
    ++worker_lives;
    ctx.MaybeCrash("boom");
    co_await ctx.env().Sleep(std::chrono::seconds(1));
  };
  s.roles = {{.name = "job", .actor = task, .kind = ActorRole::Kind::kTask},
             {.name = "poller", .actor = worker}};
  s.safety_duration = std::chrono::minutes(1);
  const ScenarioReport report = RunScenario(s);
  EXPECT_EQ(report.crashes, 2);
  EXPECT_EQ(task_lives, 1);    // crashed at once (call 1), not restarted
  EXPECT_EQ(worker_lives, 2);  // crashed (call 2), restarted, then returned
}

}  // namespace
}  // namespace sqsim::testing
