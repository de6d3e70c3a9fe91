// RunSweep: independent load tests on several threads. Each point runs on
// its own simulator, single-threaded as always, so a point's result does not
// depend on the thread count or on the other points.

#include <algorithm>
#include <atomic>
#include <exception>
#include <optional>
#include <thread>

#include "sqsim/loadtest/load_test.h"

namespace sqsim::loadtest {

Result<SweepResult> RunSweep(std::string parameter, std::vector<SweepPoint> points, int threads) {
  for (const SweepPoint& p : points) {
    if (Status s = ValidateLoadTest(p.options); !s.ok()) return s;
  }
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min<int>(threads, static_cast<int>(points.size()));

  std::vector<std::optional<Result<LoadTestResult>>> results(points.size());
  // An exception from a point (a handler's bug) is rethrown here, after
  // every thread has stopped, as a single run would throw it.
  std::vector<std::exception_ptr> errors(points.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < points.size(); i = next++) {
      try {
        results[i] = RunLoadTest(points[i].options);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  SweepResult sweep{.parameter = std::move(parameter)};
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  for (size_t i = 0; i < points.size(); ++i) {
    if (!results[i]->ok()) return results[i]->status();
    sweep.x.push_back(points[i].x);
    sweep.runs.push_back(std::move(**results[i]));
  }
  return sweep;
}

}  // namespace sqsim::loadtest
