// The FIFO assignment pipeline (plagiarism check -> grading) keeps each
// assignment's submissions in order under consumer crashes, and the checkers
// would notice if it did not.

#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "support/build_kind.h"

#include "school/school_scenario.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;

using school::Pipeline;

TEST(AssignmentPipeline, PreservesPerAssignmentOrderUnderCrashes) {
  SweepResult sweep =
      SweepSeeds([](uint64_t seed) { return Pipeline(seed); }, {.first_seed = 1, .seeds = 100});
  EXPECT_TRUE(SweepPassed(sweep));
  EXPECT_TRUE(sweep.never_fired().empty());
}

TEST(AssignmentPipeline, WholeSchoolUnderFaultsKeepsEveryInvariant) {
  EXPECT_TRUE(
      SweepPassed(SweepSeeds([](uint64_t seed) { return school::SchoolScenario(seed); },
                             {.first_seed = 1, .seeds = test::SweepSeedsForThisBuild(200)})));
}

TEST(AssignmentPipeline, SchoolScenarioIsDeterministic) {
  EXPECT_TRUE(CheckDeterminism([](uint64_t seed) { return school::SchoolScenario(seed); }, 3));
}

TEST(AssignmentPipeline, OrderCheckerCatchesAPipelineThatReorders) {
  // The same pipeline on standard queues: no group order, and under crashes
  // submissions of one assignment overtake each other.
  auto broken = [](uint64_t seed) { return Pipeline(seed, /*fifo=*/false); };
  SweepResult sweep = SweepSeeds(broken, {.first_seed = 1, .seeds = 100, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value());
  bool order_failed = false;
  for (const CheckResult& r : sweep.failure->results) {
    order_failed = order_failed || (r.checker == "fifo-order" && !r.ok);
  }
  EXPECT_TRUE(order_failed) << sweep.failure->Describe();
}

}  // namespace
}  // namespace sqsim::testing
