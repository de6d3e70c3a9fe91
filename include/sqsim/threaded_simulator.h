// ThreadedSimulator: the simulator for consumers built on threads.
//
// Many C++ consumers run on threads rather than coroutines, so they cannot
// live on the Simulator's single-threaded virtual-time executor. A
// ThreadedSimulator serves the same SQS semantics (the same engine) to any
// number of threads. Its clock follows the wall clock scaled by
// `time_scale`: at 100, a 30-second visibility timeout passes in 0.3 s of
// real time and a 20-second long poll blocks the calling thread for at most
// 0.2 s.
//
// NOT DETERMINISTIC: thread scheduling decides interleavings and the clock is
// the real one, scaled. Use the Simulator (coroutines, virtual time) where
// replayable runs matter; use this for code that owns its threads. Faults
// and the history checkers work the same way: NewFaultInjectingClient()
// wraps it in a FaultInjectingClient that decides under its lock.
//
//   auto sim = ThreadedSimulator::Create({.time_scale = 100}).value();
//   std::thread consumer([&] { MyThreadedConsumer(*sim).Run(); });
//
// Thread safety: every method is safe to call from any thread. Env::Sleep
// (coroutines) waits on the caller's executor; SleepFor blocks the calling
// thread. A coroutine long poll (AsyncReceiveMessage) waits on a timer of the
// awaiting coroutine's executor, woken by calls from any thread; that
// executor must run its handlers one at a time (an io_context run by one
// thread, or a strand), as every Asio I/O object requires.

#ifndef SQSIM_THREADED_SIMULATOR_H_
#define SQSIM_THREADED_SIMULATOR_H_

#include <memory>
#include <mutex>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/fault.h"
#include "sqsim/fault_client.h"
#include "sqsim/simulator.h"

namespace sqsim {

struct ThreadedSimulatorOptions {
  // Seed (ids, handles, sampling, fault draws), realism, limits and faults,
  // as for the Simulator. Default: SimulatorOptions{}.
  SimulatorOptions simulator{};
  // Virtual seconds per real second; must be > 0. Default: 100.
  double time_scale = 100;
};

namespace internal {
class ThreadedSimulatorImpl;
}

class ThreadedSimulator final : public Client {
 public:
  // Fails with kInvalidParameterValue for a non-positive time_scale or
  // invalid simulator options.
  static Result<std::unique_ptr<ThreadedSimulator>> Create(ThreadedSimulatorOptions options = {});
  ~ThreadedSimulator() override;

  // options.simulator.start_time + (real time since Create) * time_scale.
  Timestamp Now() const;
  // Blocks the calling thread for `d` of scaled time (d / time_scale real).
  void SleepFor(Duration d) const;
  // Thread-safe Env: scaled Now(), Sleep() on the caller's executor, a
  // locked Rng, MaybeFault.
  Env& env();

  // The fault injector and the mutex that guards it (pass both to a
  // FaultInjectingClient).
  FaultInjector& faults();
  std::mutex& faults_mutex();
  // How often each fault rule fired (takes the lock).
  std::map<std::string, int64_t> faults_fired();

  // A queue's CloudWatch-shaped metrics as of Now() (sqsim/metrics.h), as
  // Simulator::GetQueueMetric gives them (takes the lock).
  Result<std::vector<MetricDatapoint>> GetQueueMetric(const QueueMetricQuery& query);

  // A client over this simulator that applies the client-boundary faults of
  // the options' fault plan, with the injector's lock held as it decides
  // (safe from any thread); blocking calls wait out injected latency with
  // SleepFor. The simulator must outlive it.
  std::unique_ptr<FaultInjectingClient> NewFaultInjectingClient();

#define SQSIM_THREADED_SIMULATOR_DECLARE(Name)                        \
  Result<Name##Response> Name(const Name##Request& request) override; \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_THREADED_SIMULATOR_DECLARE)
#undef SQSIM_THREADED_SIMULATOR_DECLARE

 private:
  explicit ThreadedSimulator(std::unique_ptr<internal::ThreadedSimulatorImpl> impl);
  std::unique_ptr<internal::ThreadedSimulatorImpl> impl_;
};

}  // namespace sqsim

#endif  // SQSIM_THREADED_SIMULATOR_H_
