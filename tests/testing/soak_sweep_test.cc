// Seed sweeps of the school's scenarios beyond the fixed ranges the other
// harness tests use. In the default run each sweeps a small fixed range far
// from theirs (so CI is still a function of the code); under the `soak`
// label (SQSIM_SOAK_SECONDS) each sweeps batches from fresh first seeds until
// its budget is spent, printing every range so that a failure replays with
// SQSIM_SEED=<seed>.

#include <chrono>
#include <functional>
#include <iostream>

#include <gtest/gtest.h>

#include "runtime/runtime_scenarios.h"
#include "school/school_scenario.h"
#include "sqsim/testing/gtest.h"
#include "sqsim/testing/scenario.h"
#include "support/property.h"

namespace sqsim::testing {
namespace {

constexpr uint64_t kCiFirstSeed = 1'000'001;
constexpr int kCiSeeds = 25;
constexpr int kSoakBatch = 200;

// Sweeps `make` under the seed policy of support/property.h; returns the
// first failing sweep, or the last one when every batch passed.
SweepResult SoakSweep(const std::string& name,
                      const std::function<ScenarioOptions(uint64_t)>& make) {
  const int budget = test::SoakSeconds();
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(budget);
  int runs = 0;
  SweepResult sweep;
  do {
    const bool soaking = budget > 0 || test::Soaking();
    // Seeds below 2^48 keep first_seed + batch far from overflow.
    const uint64_t first = soaking ? test::FreshSeed() % (uint64_t{1} << 48) : kCiFirstSeed;
    const int seeds = soaking ? kSoakBatch : kCiSeeds;
    std::cout << "[ sweep ] " << name << ": seeds " << first << ".." << first + seeds - 1
              << std::endl;
    sweep = SweepSeeds(make, {.first_seed = first, .seeds = seeds, .verbose = false});
    runs += sweep.runs;
    if (sweep.failure) break;
  } while (budget > 0 && std::chrono::steady_clock::now() < end);
  std::cout << "[ sweep ] " << name << ": " << runs << " runs" << std::endl;
  return sweep;
}

TEST(SoakSweep, IdempotentPaymentConsumerChargesOnce) {
  EXPECT_TRUE(SweepPassed(
      SoakSweep("payments", [](uint64_t seed) { return school::PaymentScenario(seed, true); })));
}

TEST(SoakSweep, AssignmentPipelineKeepsOrder) {
  EXPECT_TRUE(
      SweepPassed(SoakSweep("assignments", [](uint64_t seed) { return school::Pipeline(seed); })));
}

TEST(SoakSweep, WholeSchoolKeepsEveryInvariant) {
  EXPECT_TRUE(
      SweepPassed(SoakSweep("school", [](uint64_t seed) { return school::SchoolScenario(seed); })));
}

TEST(SoakSweep, RuntimeConsumerHandlesEveryMessageOnce) {
  EXPECT_TRUE(SweepPassed(SoakSweep("runtime-standard", runtime::scenarios::StandardScenario)));
}

TEST(SoakSweep, RuntimeFifoConsumerKeepsGroupOrder) {
  EXPECT_TRUE(SweepPassed(SoakSweep("runtime-fifo", runtime::scenarios::FifoScenario)));
}

}  // namespace
}  // namespace sqsim::testing
