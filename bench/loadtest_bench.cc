// The load test's own speed (issue targets, measured here, never asserted in
// tests):
//  - BM_LoadTestHourAt1000PerSecond: one simulated hour of 1,000 messages
//    per second (3.6 M messages through one producer, the runtime, 50
//    consumers and the metrics) on one core; target <= 20 s.
//  - BM_Sweep16Points/threads: a sweep of 16 parameter points on 1 and on 2
//    threads; the speed-up is the ratio of the two times (target >= 1.8x on
//    the 2-core CI machine).

#include <benchmark/benchmark.h>

#include <algorithm>

#include "sqsim/loadtest/load_test.h"

namespace {

using namespace std::chrono_literals;
using sqsim::loadtest::ArrivalProcess;
using sqsim::loadtest::LoadTestOptions;
using sqsim::loadtest::ServiceTime;

LoadTestOptions HourAt1000PerSecond(std::chrono::minutes duration) {
  LoadTestOptions o;
  o.duration = duration;
  o.producers = {{.arrivals = ArrivalProcess::Poisson(1000)}};
  o.consumers.count = 50;
  o.consumers.options.max_in_flight = 10;
  o.consumers.service_time = ServiceTime::Exponential(200ms);
  o.alarms = {sqsim::loadtest::OldestMessageAgeAlarm("age", "load", 5min),
              sqsim::loadtest::QueueDepthAlarm("depth", "load", 1000)};
  return o;
}

void BM_LoadTestHourAt1000PerSecond(benchmark::State& state) {
  const auto minutes = std::chrono::minutes(state.range(0));
  int64_t messages = 0, receives = 0, empty = 0;
  for (auto _ : state) {
    auto result = sqsim::loadtest::RunLoadTest(HourAt1000PerSecond(minutes));
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
    messages += result->completed;
    receives += result->consumer_stats.receives;
    empty += result->consumer_stats.empty_receives;
    benchmark::DoNotOptimize(result);
  }
  // How the fleet received: calls per message handled, and the empty ones.
  state.counters["receives_per_message"] =
      static_cast<double>(receives) / static_cast<double>(std::max<int64_t>(1, messages));
  state.counters["empty_receives"] = static_cast<double>(empty);
  state.counters["messages_per_second"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
}
// Arg: simulated minutes. /60 is the measured hour; /1 is for smoke runs
// (CI runs every benchmark but /60 once).
BENCHMARK(BM_LoadTestHourAt1000PerSecond)
    ->Arg(1)
    ->Arg(60)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_Sweep16Points(benchmark::State& state) {
  std::vector<sqsim::loadtest::SweepPoint> points;
  for (int consumers = 1; consumers <= 16; ++consumers) {
    LoadTestOptions o;
    o.duration = 30min;
    o.producers = {{.arrivals = ArrivalProcess::Poisson(40)}};
    o.consumers.count = consumers;
    o.consumers.service_time = ServiceTime::Exponential(300ms);
    points.push_back({.x = static_cast<double>(consumers), .options = o});
  }
  for (auto _ : state) {
    auto sweep = sqsim::loadtest::RunSweep("consumers", points, static_cast<int>(state.range(0)));
    if (!sweep.ok()) state.SkipWithError("sweep failed");
    benchmark::DoNotOptimize(sweep);
  }
}
BENCHMARK(BM_Sweep16Points)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
