// GoogleTest integration for scenarios: a failing run reports its seed, how
// to replay it, the checkers' verdicts and the tails of trace and history.
//
//   EXPECT_TRUE(sqsim::testing::Passed(RunScenario(options)));
//   EXPECT_TRUE(sqsim::testing::SweepPassed(SweepSeeds(make, {.seeds = 1000})));
//
// Thread safety: free functions over values.

#ifndef SQSIM_TESTING_GTEST_H_
#define SQSIM_TESTING_GTEST_H_

#include <string>

#include <gtest/gtest.h>

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {

inline ::testing::AssertionResult Passed(const ScenarioReport& report) {
  if (report.ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << report.Describe();
}

inline ::testing::AssertionResult SweepPassed(const SweepResult& sweep) {
  if (!sweep.failure) {
    return ::testing::AssertionSuccess() << sweep.runs << " seeds passed";
  }
  ::testing::AssertionResult failed = ::testing::AssertionFailure();
  failed << sweep.failing_seeds.size() << " of " << sweep.runs << " seeds failed (";
  for (size_t i = 0; i < sweep.failing_seeds.size() && i < 20; ++i) {
    failed << (i == 0 ? "" : ", ") << sweep.failing_seeds[i];
  }
  if (sweep.failing_seeds.size() > 20) failed << ", ...";
  return failed << "); the first:\n" << sweep.failure->Describe();
}

// "Suite.Test" of the running test: a name for SweepOptions::name, so that
// SQSIM_SEED='Suite.Test:<seed>' replays this test's sweep and no other.
inline std::string CurrentTestName() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "";
  return std::string(info->test_suite_name()) + "." + info->name();
}

}  // namespace sqsim::testing

// A seed sweep split into `slices` GoogleTest tests, for sweeps too big for
// one process: Slices/<suite>_<name>.<name>/0 .. /<slices - 1>, each running
// the seeds of its slice. GoogleTest's own sharding (GTEST_TOTAL_SHARDS and
// GTEST_SHARD_INDEX, set by a CI matrix, Bazel or another test runner) then
// spreads the slices over machines, and `ctest -j` (gtest_discover_tests
// registers each slice) over cores. In the body, `Slice(options)` sets the
// slice's shard in SweepOptions:
//
//   SQSIM_SWEEP_TEST(SchoolSoak, MillionSeeds, 64) {
//     EXPECT_TRUE(SweepPassed(SweepSeeds(
//         make, Slice({.seeds = 1'000'000, .name = CurrentTestName()}))));
//   }
#define SQSIM_SWEEP_TEST(suite, name, slices)                                            \
  class suite##_##name : public ::testing::TestWithParam<int> {                          \
   protected:                                                                            \
    ::sqsim::testing::SweepOptions Slice(::sqsim::testing::SweepOptions options) const { \
      options.shard_index = GetParam();                                                  \
      options.shard_count = (slices);                                                    \
      return options;                                                                    \
    }                                                                                    \
  };                                                                                     \
  INSTANTIATE_TEST_SUITE_P(Slices, suite##_##name, ::testing::Range(0, (slices)));       \
  TEST_P(suite##_##name, name)

#endif  // SQSIM_TESTING_GTEST_H_
