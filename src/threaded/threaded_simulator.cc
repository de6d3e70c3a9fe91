// ThreadedSimulator: the engine behind one mutex, a scaled wall clock, and
// condition-variable long polls. Deliberately not deterministic; see the
// header.

#include "sqsim/threaded_simulator.h"

#include <chrono>
#include <condition_variable>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sim/engine.h"
#include "sim/validation.h"

namespace sqsim {
namespace internal {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

// An Rng any thread may use.
class LockedRng final : public Rng {
 public:
  explicit LockedRng(uint64_t seed) : rng_(seed) {}
  uint64_t Next() override {
    std::lock_guard<std::mutex> lock(mu_);
    return rng_.Next();
  }
  std::unique_ptr<Rng> Fork(std::string_view label) const override { return rng_.Fork(label); }

 private:
  std::mutex mu_;
  SeededRng rng_;
};

class ThreadedSimulatorImpl;

class ThreadedEnv final : public Env {
 public:
  ThreadedEnv(ThreadedSimulatorImpl* sim, uint64_t seed) : sim_(sim), rng_(seed) {}
  Timestamp Now() override;
  asio::awaitable<void> Sleep(Duration d) override;
  Rng& rng() override { return rng_; }
  bool MaybeFault(std::string_view point) override;

 private:
  ThreadedSimulatorImpl* sim_;
  LockedRng rng_;
};

class ThreadedSimulatorImpl {
 public:
  explicit ThreadedSimulatorImpl(ThreadedSimulatorOptions opts)
      : options(std::move(opts)),
        trace(options.simulator.trace_capacity),
        injector(options.simulator.faults, options.simulator.seed, options.simulator.start_time),
        engine(options.simulator, &trace, &injector),
        env(this, SeededRng(options.simulator.seed).Fork("env")->Next()),
        real_start(SteadyClock::now()) {}

  Timestamp Now() const {
    const auto real = std::chrono::duration<double>(SteadyClock::now() - real_start);
    return options.simulator.start_time +
           std::chrono::duration_cast<Duration>(real * options.time_scale);
  }

  // The real instant at which the scaled clock reads `t`.
  SteadyClock::time_point RealTimeOf(Timestamp t) const {
    const auto virtual_elapsed = std::chrono::duration<double>(t - options.simulator.start_time);
    return real_start +
           std::chrono::duration_cast<SteadyClock::duration>(virtual_elapsed / options.time_scale);
  }

  SteadyClock::duration RealDuration(Duration d) const {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(d) /
                                                             options.time_scale);
  }

  // Runs one engine call under the lock, records it, and wakes waiting
  // long polls (any change may have made a message available).
  template <typename F>
  auto Call(Action action, F&& call) {
    std::unique_lock<std::mutex> lock(mu);
    const Timestamp now = Now();
    engine.CatchUp(now);
    auto result = call(now);
    trace.Append({.time = now,
                  .kind = TraceKind::kCall,
                  .action = action,
                  .code = result.ok() ? ErrorCode::kOk : result.status().code()});
    engine.ClearTouchedQueues();
    lock.unlock();
    changed.notify_all();
    return result;
  }

  ReceiveAttempt TryReceive(const ReceiveMessageRequest& request, bool continuation) {
    std::lock_guard<std::mutex> lock(mu);
    const Timestamp now = Now();
    engine.CatchUp(now);
    return engine.ReceiveMessage(request, now, continuation);
  }

  // Blocking long poll: waits on the condition variable until the deadline,
  // the next time-driven change of the queue, or any change by another call.
  Result<ReceiveMessageResponse> ReceiveBlocking(const ReceiveMessageRequest& request) {
    std::unique_lock<std::mutex> lock(mu);
    Timestamp now = Now();
    engine.CatchUp(now);
    ReceiveAttempt attempt = engine.ReceiveMessage(request, now);
    const Timestamp deadline = now + std::chrono::seconds(attempt.wait_seconds);
    while (attempt.result.ok() && attempt.result->messages.empty() && now < deadline) {
      Timestamp wake = deadline;
      if (std::optional<Timestamp> next = engine.NextTransition(attempt.queue_id)) {
        wake = std::min(wake, *next);
      }
      changed.wait_until(lock, RealTimeOf(wake));
      now = Now();
      engine.CatchUp(now);
      attempt = engine.ReceiveMessage(request, now, /*continuation=*/true);
    }
    trace.Append({.time = now,
                  .kind = TraceKind::kCall,
                  .action = Action::kReceiveMessage,
                  .code = attempt.result.ok() ? ErrorCode::kOk : attempt.result.status().code()});
    engine.ClearTouchedQueues();
    lock.unlock();
    changed.notify_all();
    return std::move(attempt.result);
  }

  ThreadedSimulatorOptions options;
  std::mutex mu;  // guards engine, trace, injector
  std::condition_variable changed;
  Trace trace;
  FaultInjector injector;
  Engine engine;
  ThreadedEnv env;
  SteadyClock::time_point real_start;
};

Timestamp ThreadedEnv::Now() { return sim_->Now(); }

asio::awaitable<void> ThreadedEnv::Sleep(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, sim_->RealDuration(d));
  co_await timer.async_wait(asio::use_awaitable);
}

bool ThreadedEnv::MaybeFault(std::string_view point) {
  std::lock_guard<std::mutex> lock(sim_->mu);
  return sim_->injector.FaultPoint(point, sim_->Now());
}

}  // namespace internal

Result<std::unique_ptr<ThreadedSimulator>> ThreadedSimulator::Create(
    ThreadedSimulatorOptions options) {
  if (!(options.time_scale > 0)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "invalid ThreadedSimulatorOptions: time_scale must be > 0");
  }
  // The Simulator validates the shared options.
  if (auto check = Simulator::Create(options.simulator); !check.ok()) return check.status();
  return std::unique_ptr<ThreadedSimulator>(
      new ThreadedSimulator(std::make_unique<internal::ThreadedSimulatorImpl>(std::move(options))));
}

ThreadedSimulator::ThreadedSimulator(std::unique_ptr<internal::ThreadedSimulatorImpl> impl)
    : impl_(std::move(impl)) {}
ThreadedSimulator::~ThreadedSimulator() = default;

Timestamp ThreadedSimulator::Now() const { return impl_->Now(); }
void ThreadedSimulator::SleepFor(Duration d) const {
  std::this_thread::sleep_for(impl_->RealDuration(d));
}
Env& ThreadedSimulator::env() { return impl_->env; }
FaultInjector& ThreadedSimulator::faults() { return impl_->injector; }
std::mutex& ThreadedSimulator::faults_mutex() { return impl_->mu; }
std::map<std::string, int64_t> ThreadedSimulator::faults_fired() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->injector.fired();
}

#define SQSIM_THREADED_ACTION(Name)                                                      \
  Result<Name##Response> ThreadedSimulator::Name(const Name##Request& request) {         \
    return impl_->Call(Action::k##Name,                                                  \
                       [&](Timestamp now) { return impl_->engine.Name(request, now); }); \
  }                                                                                      \
  boost::asio::awaitable<Result<Name##Response>> ThreadedSimulator::Async##Name(         \
      Name##Request request) {                                                           \
    co_return Name(request);                                                             \
  }

SQSIM_THREADED_ACTION(AddPermission)
SQSIM_THREADED_ACTION(CancelMessageMoveTask)
SQSIM_THREADED_ACTION(ChangeMessageVisibility)
SQSIM_THREADED_ACTION(ChangeMessageVisibilityBatch)
SQSIM_THREADED_ACTION(CreateQueue)
SQSIM_THREADED_ACTION(DeleteMessage)
SQSIM_THREADED_ACTION(DeleteMessageBatch)
SQSIM_THREADED_ACTION(DeleteQueue)
SQSIM_THREADED_ACTION(GetQueueAttributes)
SQSIM_THREADED_ACTION(GetQueueUrl)
SQSIM_THREADED_ACTION(ListDeadLetterSourceQueues)
SQSIM_THREADED_ACTION(ListMessageMoveTasks)
SQSIM_THREADED_ACTION(ListQueueTags)
SQSIM_THREADED_ACTION(ListQueues)
SQSIM_THREADED_ACTION(PurgeQueue)
SQSIM_THREADED_ACTION(RemovePermission)
SQSIM_THREADED_ACTION(SendMessage)
SQSIM_THREADED_ACTION(SendMessageBatch)
SQSIM_THREADED_ACTION(SetQueueAttributes)
SQSIM_THREADED_ACTION(StartMessageMoveTask)
SQSIM_THREADED_ACTION(TagQueue)
SQSIM_THREADED_ACTION(UntagQueue)
#undef SQSIM_THREADED_ACTION

Result<ReceiveMessageResponse> ThreadedSimulator::ReceiveMessage(
    const ReceiveMessageRequest& request) {
  return impl_->ReceiveBlocking(request);
}

// The coroutine form must not block its executor's thread: it polls every
// few real milliseconds until a message arrives or the wait ends.
boost::asio::awaitable<Result<ReceiveMessageResponse>> ThreadedSimulator::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  internal::ReceiveAttempt attempt = impl_->TryReceive(request, false);
  const Timestamp deadline = impl_->Now() + std::chrono::seconds(attempt.wait_seconds);
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (attempt.result.ok() && attempt.result->messages.empty() && impl_->Now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(2));
    co_await timer.async_wait(boost::asio::use_awaitable);
    attempt = impl_->TryReceive(request, true);
  }
  impl_->changed.notify_all();
  co_return std::move(attempt.result);
}

}  // namespace sqsim
