// GoogleTest integration for scenarios: a failing run reports its seed, how
// to replay it, the checkers' verdicts and the tails of trace and history.
//
//   EXPECT_TRUE(sqsim::testing::Passed(RunScenario(options)));
//   EXPECT_TRUE(sqsim::testing::SweepPassed(SweepSeeds(make, {.seeds = 1000})));
//
// Thread safety: free functions over values.

#ifndef SQSIM_TESTING_GTEST_H_
#define SQSIM_TESTING_GTEST_H_

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
  return ::testing::AssertionFailure() << "failed after " << sweep.runs << " seeds\n"
                                       << sweep.failure->Describe();
}

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_GTEST_H_
