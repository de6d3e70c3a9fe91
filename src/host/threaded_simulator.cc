// ThreadedSimulator: the Host behind one mutex, a scaled wall clock, and
// long polls waiting on Asio timers. Deliberately not deterministic; see the
// header.

#include "sqsim/threaded_simulator.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "host/host.h"

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
  ThreadedSimulatorImpl(ThreadedSimulatorOptions opts, std::unique_ptr<Host> h)
      : options(std::move(opts)),
        host(std::move(h)),
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

  // A receive: the host's long poll, waiting on a timer of `executor`.
  // REQUIRES: `lock` holds mu (it is released while the poll waits).
  asio::awaitable<Result<ReceiveMessageResponse>> Receive(const ReceiveMessageRequest& request,
                                                          std::unique_lock<std::mutex>& lock,
                                                          asio::any_io_executor executor);

  ThreadedSimulatorOptions options;
  std::mutex mu;  // guards host
  std::unique_ptr<Host> host;
  ThreadedEnv env;
  SteadyClock::time_point real_start;
};

// A long poll waiting on a steady timer of its coroutine's executor, with
// the simulator's mutex released. Wake() comes from another thread's call
// (which holds the mutex); the waiter's own small mutex orders it with the
// start of the wait, so a wake-up cannot fall between the release of the
// simulator's mutex and the timer's wait and be lost.
class ThreadedPollWaiter final : public PollWaiter {
 public:
  ThreadedPollWaiter(ThreadedSimulatorImpl& sim, std::unique_lock<std::mutex>& lock,
                     asio::any_io_executor executor)
      : sim_(sim), lock_(lock), timer_(std::move(executor)) {}

  Timestamp Now() override { return sim_.Now(); }

  asio::awaitable<void> WaitUntil(Timestamp until) override {
    woken_ = false;  // no Wake() can come while `lock_` is held
    timer_.expires_at(sim_.RealTimeOf(until));
    lock_.unlock();
    boost::system::error_code cancelled;  // woken early: either way, look again
    auto token = asio::redirect_error(asio::use_awaitable, cancelled);
    co_await asio::async_initiate<decltype(token), void(boost::system::error_code)>(
        [this](auto handler) {
          std::lock_guard<std::mutex> guard(timer_mu_);
          if (woken_) timer_.expires_at(SteadyClock::time_point::min());
          timer_.async_wait(std::move(handler));
        },
        token);
    lock_.lock();
  }

  void Wake() override {
    std::lock_guard<std::mutex> guard(timer_mu_);
    woken_ = true;
    timer_.cancel();
  }

 private:
  ThreadedSimulatorImpl& sim_;
  std::unique_lock<std::mutex>& lock_;
  std::mutex timer_mu_;  // guards timer_ and woken_ between threads
  asio::steady_timer timer_;
  bool woken_ = false;
};

asio::awaitable<Result<ReceiveMessageResponse>> ThreadedSimulatorImpl::Receive(
    const ReceiveMessageRequest& request, std::unique_lock<std::mutex>& lock,
    asio::any_io_executor executor) {
  const Timestamp now = Now();
  LongPoll poll = host->StartReceive(request, now);
  if (poll.Done(now)) co_return host->Finish(poll, now);
  ThreadedPollWaiter waiter(*this, lock, std::move(executor));
  co_return co_await host->Wait(poll, waiter);
}

Timestamp ThreadedEnv::Now() { return sim_->Now(); }

asio::awaitable<void> ThreadedEnv::Sleep(Duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, sim_->RealDuration(d));
  co_await timer.async_wait(asio::use_awaitable);
}

bool ThreadedEnv::MaybeFault(std::string_view point) {
  std::lock_guard<std::mutex> lock(sim_->mu);
  return sim_->host->injector().FaultPoint(point, sim_->Now());
}

}  // namespace internal

Result<std::unique_ptr<ThreadedSimulator>> ThreadedSimulator::Create(
    ThreadedSimulatorOptions options) {
  if (!(options.time_scale > 0)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "invalid ThreadedSimulatorOptions: time_scale must be > 0");
  }
  Result<std::unique_ptr<internal::Host>> host = internal::Host::Create(options.simulator);
  if (!host.ok()) return host.status();
  return std::unique_ptr<ThreadedSimulator>(new ThreadedSimulator(
      std::make_unique<internal::ThreadedSimulatorImpl>(std::move(options), std::move(*host))));
}

ThreadedSimulator::ThreadedSimulator(std::unique_ptr<internal::ThreadedSimulatorImpl> impl)
    : impl_(std::move(impl)) {}
ThreadedSimulator::~ThreadedSimulator() = default;

Timestamp ThreadedSimulator::Now() const { return impl_->Now(); }
void ThreadedSimulator::SleepFor(Duration d) const {
  std::this_thread::sleep_for(impl_->RealDuration(d));
}
Env& ThreadedSimulator::env() { return impl_->env; }
FaultInjector& ThreadedSimulator::faults() { return impl_->host->injector(); }
std::mutex& ThreadedSimulator::faults_mutex() { return impl_->mu; }
std::unique_ptr<FaultInjectingClient> ThreadedSimulator::NewFaultInjectingClient() {
  return std::make_unique<FaultInjectingClient>(
      FaultClientOptions{.target = this,
                         .injector = &impl_->host->injector(),
                         .env = &impl_->env,
                         .blocking_sleep = [this](Duration d) { SleepFor(d); },
                         .injector_mutex = &impl_->mu});
}

std::map<std::string, int64_t> ThreadedSimulator::faults_fired() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->host->injector().fired();
}
Result<std::vector<MetricDatapoint>> ThreadedSimulator::GetQueueMetric(
    const QueueMetricQuery& query) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->host->QueueMetrics(query, impl_->Now());
}

#define SQSIM_THREADED_ACTION(Name)                                              \
  Result<Name##Response> ThreadedSimulator::Name(const Name##Request& request) { \
    std::lock_guard<std::mutex> lock(impl_->mu);                                 \
    return impl_->host->Call(request, impl_->Now());                             \
  }                                                                              \
  boost::asio::awaitable<Result<Name##Response>> ThreadedSimulator::Async##Name( \
      Name##Request request) {                                                   \
    co_return Name(request);                                                     \
  }

SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_THREADED_ACTION)
#undef SQSIM_THREADED_ACTION

// The blocking form runs the same coroutine on a private io_context, on the
// calling thread.
Result<ReceiveMessageResponse> ThreadedSimulator::ReceiveMessage(
    const ReceiveMessageRequest& request) {
  boost::asio::io_context io(1);
  std::optional<Result<ReceiveMessageResponse>> out;
  auto receive =
      [](internal::ThreadedSimulatorImpl& sim, const ReceiveMessageRequest& request,
         boost::asio::any_io_executor executor,
         std::optional<Result<ReceiveMessageResponse>>& out) -> boost::asio::awaitable<void> {
    std::unique_lock<std::mutex> lock(sim.mu);
    out.emplace(co_await sim.Receive(request, lock, executor));
  };
  boost::asio::co_spawn(io, receive(*impl_, request, io.get_executor(), out),
                        [](std::exception_ptr e) {
                          if (e) std::rethrow_exception(e);
                        });
  io.run();
  return std::move(*out);
}

// The coroutine form must not block its executor's thread: it waits on a
// timer of that executor.
boost::asio::awaitable<Result<ReceiveMessageResponse>> ThreadedSimulator::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  co_return co_await impl_->Receive(request, lock, co_await boost::asio::this_coro::executor);
}

}  // namespace sqsim
