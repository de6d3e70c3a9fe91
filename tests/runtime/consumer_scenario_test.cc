// The consumer runtime under every fault the harness injects, swept over
// seeds: with an idempotent handler every message is handled to completion
// once in effect, nothing is deleted that was not handled, FIFO order holds
// per group, and a stop (graceful shutdown) loses nothing.

#include <gtest/gtest.h>

#include <rapidcheck.h>

#include <map>

#include "runtime/runtime_scenarios.h"
#include "sqsim/testing/generators.h"
#include "sqsim/testing/gtest.h"
#include "support/build_kind.h"
#include "support/property.h"

namespace sqsim::runtime {
namespace {

using scenarios::FifoScenario;
using scenarios::StandardScenario;
using testing::ScenarioOptions;

TEST(ConsumerUnderFaults, HandlesEveryMessageOnceInEffectOverAThousandSeeds) {
  const testing::SweepResult sweep =
      testing::SweepSeeds(StandardScenario, {.first_seed = 1,
                                             .seeds = test::SweepSeedsForThisBuild(1000),
                                             .name = testing::CurrentTestName(),
                                             .mode = testing::SweepMode::kCountFailures});
  EXPECT_TRUE(testing::SweepPassed(sweep));
  EXPECT_TRUE(sweep.never_fired().empty()) << ::testing::PrintToString(sweep.never_fired());
}

TEST(ConsumerUnderFaults, KeepsFifoOrderPerGroupOverAThousandSeeds) {
  const testing::SweepResult sweep =
      testing::SweepSeeds(FifoScenario, {.first_seed = 1,
                                         .seeds = test::SweepSeedsForThisBuild(1000),
                                         .name = testing::CurrentTestName(),
                                         .mode = testing::SweepMode::kCountFailures});
  EXPECT_TRUE(testing::SweepPassed(sweep));
  EXPECT_TRUE(sweep.never_fired().empty()) << ::testing::PrintToString(sweep.never_fired());
}

// Generated plans (every effect, crashes, pauses and stops of the consumer
// processes included) with fresh seeds: the standard consumer still handles
// every message once in effect and deletes nothing it did not handle.
TEST(ConsumerUnderFaults, HandlesEveryMessageOnceUnderGeneratedPlans) {
  const testing::FaultSpace space{
      .queues = {"enrollments"},
      .actions = {Action::kReceiveMessage, Action::kDeleteMessage, Action::kDeleteMessageBatch,
                  Action::kChangeMessageVisibility, Action::kChangeMessageVisibilityBatch,
                  Action::kSendMessageBatch},
      .process_faults = true,
      .actors = {"consumer-1", "consumer-2", "consumer-3"}};
  std::map<FaultEffect, int64_t> fired;  // over every case: the faults did happen
  std::map<FaultEffect, int64_t> generated;
  test::CheckProperty("runtime consumer under generated plans", 200, 100, [&] {
    ScenarioOptions s = StandardScenario(*rc::gen::inRange<uint64_t>(1, 1000000));
    s.faults = *testing::GenFaultPlan(space);
    const testing::ScenarioReport report = testing::RunScenario(s);
    for (const FaultRule& rule : s.faults.rules) ++generated[rule.effect];
    for (const FaultRule& rule : s.faults.rules)
      fired[rule.effect] += report.faults_fired.at(rule.id);
    RC_ASSERT(report.ok);
  });
  for (FaultEffect e : {FaultEffect::kCrash, FaultEffect::kPause, FaultEffect::kStop,
                        FaultEffect::kFailEntries, FaultEffect::kLoseResponse}) {
    EXPECT_GT(fired[e], 0) << FaultEffectName(e) << " generated " << generated[e];
  }
}

TEST(ConsumerUnderFaults, ScenarioIsDeterministic) {
  EXPECT_TRUE(testing::CheckDeterminism(StandardScenario, 17));
  EXPECT_TRUE(testing::CheckDeterminism(FifoScenario, 17));
}

}  // namespace
}  // namespace sqsim::runtime
