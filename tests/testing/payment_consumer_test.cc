// The harness catches the non-idempotent payment consumer's double charge
// and the idempotent one passes 1,000 seeds under the same faults.

#include "school/school_scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;

using school::PaymentScenario;
using ::testing::HasSubstr;

TEST(PaymentConsumer, HarnessCatchesTheDoubleChargeOfTheNonIdempotentConsumer) {
  SweepResult sweep = SweepSeeds([](uint64_t seed) { return PaymentScenario(seed, false); },
                                 {.first_seed = 1, .seeds = 200, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value()) << "200 seeds and no double charge found";
  const ScenarioReport& failure = *sweep.failure;
  EXPECT_GT(failure.duplicates, 0);
  const std::string description = failure.Describe();
  EXPECT_NE(description.find("SQSIM_SEED=" + std::to_string(failure.seed)), std::string::npos);
  EXPECT_NE(description.find("duplicated"), std::string::npos);
  // The failing seed replays: same run, same trace.
  EXPECT_EQ(RunScenario(PaymentScenario(failure.seed, false)).trace_hash, failure.trace_hash);
}

TEST(PaymentConsumer, FailureReportShowsTheDoubleChargedPaymentsOwnEvents) {
  SweepResult sweep = SweepSeeds([](uint64_t seed) { return PaymentScenario(seed, false); },
                                 {.first_seed = 1, .seeds = 200, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value());
  const ScenarioReport& failure = *sweep.failure;
  const CheckResult& queue = failure.results.front();
  ASSERT_EQ(queue.checker, "queue");
  ASSERT_FALSE(queue.duplicated.empty());
  const std::string& value = queue.duplicated.front();
  const std::string description = failure.Describe();
  // The checker's own violation line, and the value's events: processed
  // twice, and its message delivered more than once in the trace.
  EXPECT_THAT(description, HasSubstr("\n  " + queue.violations.front() + "\n"));
  const size_t own = description.find("events of " + value + ":\n");
  ASSERT_NE(own, std::string::npos);
  const std::string section =
      description.substr(own, description.find("events of ", own + 1) - own);
  EXPECT_THAT(section, HasSubstr("process ok " + value));
  EXPECT_NE(section.find("process ok " + value), section.rfind("process ok " + value));
  EXPECT_THAT(section, HasSubstr(" delivered payments "));
}

TEST(PaymentConsumer, IdempotentConsumerPassesAThousandSeeds) {
  // All 1,000 seeds in every build, the sanitized one too: fewer leave some
  // planned fault unfired, and the coverage check below needs every one.
  const int seeds = 1000;
  SweepResult sweep = SweepSeeds([](uint64_t seed) { return PaymentScenario(seed, true); },
                                 {.first_seed = 1, .seeds = seeds, .name = CurrentTestName()});
  EXPECT_TRUE(SweepPassed(sweep));
  EXPECT_EQ(sweep.runs, seeds);
  // Every planned fault actually happened somewhere in the sweep.
  EXPECT_TRUE(sweep.never_fired().empty());
}

TEST(PaymentConsumer, ScenarioIsDeterministic) {
  EXPECT_TRUE(CheckDeterminism([](uint64_t seed) { return PaymentScenario(seed, true); }, 77));
}

}  // namespace
}  // namespace sqsim::testing
