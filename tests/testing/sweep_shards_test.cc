// Sharded seed sweeps: SweepOptions' shard, SweepShardFromEnvironment and
// SQSIM_SWEEP_TEST.

#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "sqsim/testing/gtest.h"
#include "sqsim/testing/scenario.h"
#include "testing/scenario_actors.h"

namespace sqsim::testing {
namespace sweep_shards_test {

// One message sent and consumed; records which seeds ran.
ScenarioOptions Recorded(uint64_t seed, std::set<uint64_t>* ran) {
  ran->insert(seed);
  ScenarioOptions s;
  s.seed = seed;
  s.queues = {{.name = "q"}};
  s.producers = {SendOne("q", "m")};
  s.consumer = ConsumeAndDelete("q");
  return s;
}

TEST(SweepShards, ShardsRunDisjointSeedsThatCoverTheSweep) {
  std::set<uint64_t> all;
  size_t total = 0;
  for (int shard = 0; shard < 3; ++shard) {
    std::set<uint64_t> ran;
    const SweepResult sweep =
        SweepSeeds([&](uint64_t seed) { return Recorded(seed, &ran); },
                   {.first_seed = 100, .seeds = 10, .shard_index = shard, .shard_count = 3});
    EXPECT_EQ(sweep.runs, static_cast<int>(ran.size()));
    for (uint64_t seed : ran) EXPECT_EQ((seed - 100) % 3, static_cast<uint64_t>(shard));
    total += ran.size();
    all.insert(ran.begin(), ran.end());
  }
  EXPECT_EQ(total, 10u);
  EXPECT_EQ(all.size(), 10u);
  EXPECT_EQ(*all.begin(), 100u);
  EXPECT_EQ(*all.rbegin(), 109u);
}

class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* total, const char* index) {
    Set("GTEST_TOTAL_SHARDS", total, &old_total_);
    Set("GTEST_SHARD_INDEX", index, &old_index_);
  }
  ~ScopedEnvironment() {
    Restore("GTEST_TOTAL_SHARDS", old_total_);
    Restore("GTEST_SHARD_INDEX", old_index_);
  }

 private:
  static void Set(const char* name, const char* value, std::optional<std::string>* old) {
    if (const char* v = std::getenv(name)) *old = v;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  static void Restore(const char* name, const std::optional<std::string>& old) {
    if (old) {
      setenv(name, old->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  std::optional<std::string> old_total_, old_index_;
};

TEST(SweepShards, ShardFromEnvironmentReadsGoogleTestsVariables) {
  ScopedEnvironment env("4", "2");
  const SweepShard shard = SweepShardFromEnvironment();
  EXPECT_EQ(shard.index, 2);
  EXPECT_EQ(shard.count, 4);
}

TEST(SweepShards, ShardFromEnvironmentIsOneShardWithoutOrWithBadVariables) {
  for (auto [total, index] : std::vector<std::pair<const char*, const char*>>{
           {nullptr, nullptr}, {"4", nullptr}, {"4", "4"}, {"0", "0"}, {"x", "1"}, {"4", "-1"}}) {
    ScopedEnvironment env(total, index);
    const SweepShard shard = SweepShardFromEnvironment();
    EXPECT_EQ(shard.index, 0);
    EXPECT_EQ(shard.count, 1);
  }
}

SQSIM_SWEEP_TEST(SweepShards, SlicedSweepRunsItsSliceOnly, 3) {
  std::set<uint64_t> ran;
  const SweepResult sweep = SweepSeeds([&](uint64_t seed) { return Recorded(seed, &ran); },
                                       Slice({.first_seed = 1, .seeds = 9, .verbose = false}));
  EXPECT_TRUE(SweepPassed(sweep));
  EXPECT_EQ(ran.size(), 3u);
  for (uint64_t seed : ran) EXPECT_EQ((seed - 1) % 3, static_cast<uint64_t>(GetParam()));
}

}  // namespace sweep_shards_test
}  // namespace sqsim::testing
