// Scenario structure: the safety phase's exact length, queues exempt from
// draining, dead-letter queue attributes, and what a failed drain reports.

#include <memory>
#include <optional>
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
                        "0 in flight, 0 delayed"));
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

}  // namespace
}  // namespace sqsim::testing
