// A seed sweep of the school scenario (payments + FIFO assignment pipeline
// under faults): how long 1,000 seeds take on one core.

#include <benchmark/benchmark.h>

#include "school/school_scenario.h"

namespace {

void BM_SchoolSweep(benchmark::State& state) {
  const int seeds = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto sweep =
        sqsim::testing::SweepSeeds([](uint64_t seed) { return school::SchoolScenario(seed); },
                                   {.first_seed = 1, .seeds = seeds, .verbose = false});
    if (sweep.failure) state.SkipWithError("a seed failed");
    benchmark::DoNotOptimize(sweep);
  }
  state.counters["seeds_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * seeds), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SchoolSweep)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
