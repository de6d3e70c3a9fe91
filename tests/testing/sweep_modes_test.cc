// SweepSeeds' modes and the scoping of SQSIM_SEED.

#include <cstdlib>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "sqsim/testing/scenario.h"
#include "testing/scenario_actors.h"

namespace sqsim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// One message sent and consumed; the run fails, by a checker's verdict,
// exactly when the seed is a multiple of 3.
ScenarioOptions FailsOnMultiplesOfThree(uint64_t seed) {
  ScenarioOptions s;
  s.seed = seed;
  s.queues = {{.name = "q"}};
  s.producers = {SendOne("q", "m")};
  s.consumer = ConsumeAndDelete("q");
  s.checkers = {[seed](const History&) {
    return CheckResult{.checker = "seed", .ok = seed % 3 != 0, .summary = "multiple of 3"};
  }};
  return s;
}

// Sets SQSIM_SEED for one test (ctest runs each test in its own process).
class ScopedSeedVariable {
 public:
  explicit ScopedSeedVariable(const char* value) { setenv("SQSIM_SEED", value, 1); }
  ~ScopedSeedVariable() { unsetenv("SQSIM_SEED"); }
};

TEST(SweepModes, StopAtFirstFailureStopsThere) {
  const SweepResult sweep =
      SweepSeeds(FailsOnMultiplesOfThree, {.first_seed = 1, .seeds = 10, .verbose = false});
  EXPECT_EQ(sweep.runs, 3);
  EXPECT_THAT(sweep.failing_seeds, ElementsAre(3));
  ASSERT_TRUE(sweep.failure.has_value());
  EXPECT_EQ(sweep.failure->seed, 3u);
}

TEST(SweepModes, CountFailuresRunsEverySeedAndReturnsEachFailingOne) {
  const SweepResult sweep = SweepSeeds(
      FailsOnMultiplesOfThree,
      {.first_seed = 1, .seeds = 10, .mode = SweepMode::kCountFailures, .verbose = false});
  EXPECT_EQ(sweep.runs, 10);
  EXPECT_THAT(sweep.failing_seeds, ElementsAre(3, 6, 9));
  ASSERT_TRUE(sweep.failure.has_value());
  EXPECT_EQ(sweep.failure->seed, 3u);  // the first failure is the one reported
  EXPECT_THAT(std::string(SweepPassed(sweep).message()),
              HasSubstr("3 of 10 seeds failed (3, 6, 9)"));
}

TEST(SweepModes, ScopedSeedReplaysOnlyTheNamedSweep) {
  ScopedSeedVariable seed("this-sweep:6");
  ::testing::internal::CaptureStderr();
  const SweepResult named =
      SweepSeeds(FailsOnMultiplesOfThree, {.seeds = 10, .name = "this-sweep", .verbose = false});
  const SweepResult other =
      SweepSeeds(FailsOnMultiplesOfThree, {.seeds = 2, .name = "other-sweep", .verbose = false});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(named.replayed);
  EXPECT_EQ(named.runs, 1);
  EXPECT_THAT(named.failing_seeds, ElementsAre(6));
  EXPECT_FALSE(other.replayed);
  EXPECT_EQ(other.runs, 2);
  EXPECT_THAT(other.failing_seeds, IsEmpty());
  EXPECT_THAT(err, HasSubstr("sqsim sweep 'this-sweep': SQSIM_SEED is set: replaying seed 6 only "
                             "(instead of 10 seeds from 1)"));
  EXPECT_THAT(err, ::testing::Not(HasSubstr("other-sweep")));
}

TEST(SweepModes, BareSeedReplaysInEverySweepAndSaysSo) {
  ScopedSeedVariable seed("4");
  ::testing::internal::CaptureStderr();
  const SweepResult sweep = SweepSeeds(FailsOnMultiplesOfThree, {.seeds = 1000, .verbose = false});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(sweep.replayed);
  EXPECT_EQ(sweep.runs, 1);
  EXPECT_THAT(err, HasSubstr("SQSIM_SEED is set: replaying seed 4 only (instead of 1000 seeds"));
}

TEST(SweepModes, FailureNamesTheScopedReplayCommand) {
  ::testing::internal::CaptureStderr();
  (void)SweepSeeds(FailsOnMultiplesOfThree, {.seeds = 3, .name = CurrentTestName()});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("replay this sweep only: "
                             "SQSIM_SEED='SweepModes.FailureNamesTheScopedReplayCommand:3'"));
}

TEST(SweepModesDeathTest, UnparsableSeedAborts) {
  ScopedSeedVariable seed("seven");
  EXPECT_DEATH((void)SweepSeeds(FailsOnMultiplesOfThree, {.seeds = 1, .verbose = false}),
               "SQSIM_SEED must be <seed> or <sweep name>:<seed>");
}

}  // namespace
}  // namespace sqsim::testing
