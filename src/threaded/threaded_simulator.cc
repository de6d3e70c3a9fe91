// ThreadedSimulator: the engine behind one mutex, a scaled wall clock, and
// condition-variable long polls. Deliberately not deterministic; see the
// header.

#include "sqsim/threaded_simulator.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sim/engine.h"
#include "sim/fault_trace.h"
#include "sim/long_poll.h"

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
        real_start(SteadyClock::now()) {
    RecordFaultsInTrace(injector, trace);
  }

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

  // Records a completed call in the trace and wakes every waiting long poll
  // (any change may have made a message available): blocking ones through
  // the condition variable, coroutine ones by cancelling their timer on
  // their own executor (a timer is not thread-safe). REQUIRES: `lock` holds
  // mu; it is released.
  template <typename T>
  void RecordAndWake(std::unique_lock<std::mutex>& lock, Action action, const Result<T>& result,
                     Timestamp now) {
    trace.Append({.time = now,
                  .kind = TraceKind::kCall,
                  .action = action,
                  .code = result.ok() ? ErrorCode::kOk : result.status().code()});
    engine.ClearTouchedQueues();
    for (const auto& [id, waiter] : async_waiters) {
      asio::post(waiter.executor, [timer = waiter.timer] {
        if (std::shared_ptr<asio::steady_timer> alive = timer.lock()) alive->cancel();
      });
    }
    lock.unlock();
    changed.notify_all();
  }

  // Runs one engine call under the lock and records it.
  template <typename F>
  auto Call(Action action, F&& call) {
    std::unique_lock<std::mutex> lock(mu);
    const Timestamp now = Now();
    engine.CatchUp(now);
    auto result = call(now);
    RecordAndWake(lock, action, result, now);
    return result;
  }

  // Blocking long poll: waits on the condition variable until the deadline,
  // the next time-driven change of the queue, or any change by another call.
  Result<ReceiveMessageResponse> ReceiveBlocking(const ReceiveMessageRequest& request) {
    std::unique_lock<std::mutex> lock(mu);
    Timestamp now = Now();
    LongPoll poll(engine, request, now);
    while (!poll.Done(now)) {
      changed.wait_until(lock, RealTimeOf(poll.NextLook(now)));
      now = Now();
      poll.LookAgain(now);
    }
    RecordAndWake(lock, Action::kReceiveMessage, poll.result(), now);
    return poll.TakeResult();
  }

  // Coroutine long poll: the same loop, waiting on a timer of the caller's
  // executor until the deadline or the next time-driven change of the queue,
  // woken early by any other call (RecordAndWake cancels the timer). No
  // polling, and the call is traced like every other.
  asio::awaitable<Result<ReceiveMessageResponse>> ReceiveAsync(ReceiveMessageRequest request) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    auto timer = std::make_shared<asio::steady_timer>(executor);
    std::unique_lock<std::mutex> lock(mu);
    Timestamp now = Now();
    LongPoll poll(engine, request, now);
    const uint64_t id = next_async_waiter++;
    async_waiters.emplace(id, AsyncWaiter{executor, timer});
    while (!poll.Done(now)) {
      timer->expires_at(RealTimeOf(poll.NextLook(now)));
      lock.unlock();
      boost::system::error_code cancelled;  // woken early: either way, look again
      co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
      lock.lock();
      now = Now();
      poll.LookAgain(now);
    }
    async_waiters.erase(id);
    RecordAndWake(lock, Action::kReceiveMessage, poll.result(), now);
    co_return poll.TakeResult();
  }

  // A coroutine long poll waiting on `timer` (owned by its coroutine).
  struct AsyncWaiter {
    asio::any_io_executor executor;
    std::weak_ptr<asio::steady_timer> timer;
  };

  ThreadedSimulatorOptions options;
  std::mutex mu;  // guards engine, trace, injector, async_waiters
  std::condition_variable changed;
  std::map<uint64_t, AsyncWaiter> async_waiters;
  uint64_t next_async_waiter = 1;
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
  if (Status valid = options.simulator.Validate(); !valid.ok()) return valid;
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
std::unique_ptr<FaultInjectingClient> ThreadedSimulator::NewFaultInjectingClient() {
  return std::make_unique<FaultInjectingClient>(
      FaultClientOptions{.target = this,
                         .injector = &impl_->injector,
                         .env = &impl_->env,
                         .blocking_sleep = [this](Duration d) { SleepFor(d); },
                         .injector_mutex = &impl_->mu});
}

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

SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_THREADED_ACTION)
#undef SQSIM_THREADED_ACTION

Result<ReceiveMessageResponse> ThreadedSimulator::ReceiveMessage(
    const ReceiveMessageRequest& request) {
  return impl_->ReceiveBlocking(request);
}

// The coroutine form must not block its executor's thread: it waits on a
// timer of that executor (see ThreadedSimulatorImpl::ReceiveAsync).
boost::asio::awaitable<Result<ReceiveMessageResponse>> ThreadedSimulator::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  co_return co_await impl_->ReceiveAsync(std::move(request));
}

}  // namespace sqsim
