// Simulator: the engine plus a virtual clock, a discrete-event loop on one
// Asio io_context, long-poll waiters and the trace.
//
// The loop runs every ready handler (actors), then jumps the clock to the
// earliest timer and fires it. Timers are kept in an ordered map keyed by
// (deadline, sequence number), so simultaneous timers fire in the order they
// were set: the run is a pure function of the seed and the program.

#include "sqsim/simulator.h"

#include <array>
#include <map>
#include <optional>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "sim/engine.h"
#include "sim/fault_trace.h"
#include "sim/long_poll.h"

namespace sqsim {
namespace internal {

namespace asio = boost::asio;

class SimulatorImpl;

// The Env simulated actors see.
class VirtualEnv final : public Env {
 public:
  VirtualEnv(SimulatorImpl* sim, uint64_t seed) : sim_(sim), rng_(SeededRng(seed).Fork("env")) {}
  Timestamp Now() override;
  asio::awaitable<void> Sleep(Duration d) override;
  Rng& rng() override { return *rng_; }
  bool MaybeFault(std::string_view point) override;

 private:
  SimulatorImpl* sim_;
  std::unique_ptr<Rng> rng_;
};

class SimulatorImpl {
 public:
  explicit SimulatorImpl(SimulatorOptions opts)
      : options(std::move(opts)),
        now(options.start_time),
        trace(options.trace_capacity),
        injector(options.faults, options.seed, options.start_time),
        engine(options, &trace, &injector),
        env(this, options.seed) {
    RecordFaultsInTrace(injector, trace);
  }

  ~SimulatorImpl() {
    // Destroy suspended actors (their handlers) before the io_context.
    waiters.clear();
    timers.clear();
  }

  // Suspends the calling coroutine until `wake_at`, or, when `queue_id` is
  // not 0, until that queue is touched, whichever comes first.
  asio::awaitable<void> WaitUntil(Timestamp wake_at, uint32_t queue_id) {
    return asio::async_initiate<const asio::use_awaitable_t<>, void()>(
        [this, wake_at, queue_id](asio::any_completion_handler<void()> handler) {
          const uint64_t id = next_waiter_id++;
          waiters.emplace(id, Waiter{std::move(handler), queue_id});
          timers.emplace(std::make_pair(wake_at, id), id);
          if (queue_id != 0) queue_waiters[queue_id].push_back(id);
        },
        asio::use_awaitable);
  }

  // Resumes waiter `id` (if it is still waiting) on the io_context.
  void Wake(uint64_t id) {
    auto it = waiters.find(id);
    if (it == waiters.end()) return;
    asio::any_completion_handler<void()> handler = std::move(it->second.handler);
    waiters.erase(it);
    asio::post(io, [h = std::move(handler)]() mutable { std::move(h)(); });
  }

  // Wakes the long polls waiting on queues the last engine call touched.
  void WakeTouchedQueues() {
    if (queue_waiters.empty()) {
      engine.ClearTouchedQueues();  // nobody waits: nothing to wake
      return;
    }
    for (uint32_t queue_id : engine.TakeTouchedQueues()) {
      auto it = queue_waiters.find(queue_id);
      if (it == queue_waiters.end()) continue;
      std::vector<uint64_t> ids = std::move(it->second);
      queue_waiters.erase(it);
      for (uint64_t id : ids) Wake(id);
    }
  }

  template <typename T>
  Result<T> Record(Action action, Result<T> result) {
    ++call_counts[static_cast<size_t>(action)];
    // An actor that retries at once forever never lets virtual time move, so
    // the run would hang silently; fail loudly instead. (Only while actors
    // run: a benchmark's own loop may call as often as it likes.)
    if (now != calls_instant || !running) {
      calls_instant = now;
      calls_at_instant = 0;
    }
    SQSIM_ASSERT(++calls_at_instant < kMaxCallsPerInstant,
                 "livelock: 10,000,000 calls without virtual time moving (an actor retries "
                 "without sleeping?)");
    trace.Append({.time = now,
                  .kind = TraceKind::kCall,
                  .action = action,
                  .code = result.ok() ? ErrorCode::kOk : result.status().code()});
    WakeTouchedQueues();
    return result;
  }

  // Waits out a long poll in virtual time (LongPoll says until when).
  // REQUIRES: `poll` outlives the coroutine.
  asio::awaitable<Result<ReceiveMessageResponse>> FinishLongPoll(LongPoll& poll) {
    while (!poll.Done(now)) {
      co_await WaitUntil(poll.NextLook(now), poll.queue_id());
      poll.LookAgain(now);
    }
    co_return Record(Action::kReceiveMessage, poll.TakeResult());
  }

  // Runs handlers and timers until `done()`, idleness, or `limit`.
  // Returns true when `done()` held (or, without `done`, when idle).
  bool RunLoop(Timestamp limit, const std::function<bool()>& done) {
    SQSIM_ASSERT(!running, "the simulator's loop cannot be run from inside an actor");
    running = true;
    struct Reset {
      bool& flag;
      ~Reset() { flag = false; }
    } reset{running};
    while (true) {
      io.restart();
      io.poll();
      if (actor_failure) {
        std::exception_ptr failure = std::exchange(actor_failure, nullptr);
        std::rethrow_exception(failure);
      }
      if (done && done()) return true;
      // Drop timers whose waiter already woke through its queue.
      while (!timers.empty() && !waiters.contains(timers.begin()->second)) {
        timers.erase(timers.begin());
      }
      if (timers.empty()) return !done;
      const Timestamp next = timers.begin()->first.first;
      if (next > limit) return false;
      AdvanceTo(next);
      while (!timers.empty() && timers.begin()->first.first <= now) {
        const uint64_t id = timers.begin()->second;
        timers.erase(timers.begin());
        auto it = waiters.find(id);
        if (it != waiters.end() && it->second.queue_id != 0) {
          std::erase(queue_waiters[it->second.queue_id], id);
        }
        Wake(id);
      }
    }
  }

  void AdvanceTo(Timestamp t) {
    if (t <= now) return;
    trace.Append({.time = t,
                  .kind = TraceKind::kTimeAdvanced,
                  .action = Action::kReceiveMessage,
                  .code = ErrorCode::kOk,
                  .value = (t - now).count()});
    now = t;
  }

  struct Waiter {
    asio::any_completion_handler<void()> handler;
    uint32_t queue_id = 0;
  };

  SimulatorOptions options;
  Timestamp now;
  Trace trace;
  FaultInjector injector;
  std::array<int64_t, kActionCount> call_counts{};
  static constexpr int64_t kMaxCallsPerInstant = 10000000;
  Timestamp calls_instant{};
  int64_t calls_at_instant = 0;
  Engine engine;
  VirtualEnv env;
  asio::io_context io{1};
  std::map<uint64_t, Waiter> waiters;
  std::map<std::pair<Timestamp, uint64_t>, uint64_t> timers;  // (deadline, id) -> waiter id
  std::map<uint32_t, std::vector<uint64_t>> queue_waiters;
  uint64_t next_waiter_id = 1;
  std::exception_ptr actor_failure;
  bool running = false;
};

Timestamp VirtualEnv::Now() { return sim_->now; }

bool VirtualEnv::MaybeFault(std::string_view point) {
  return sim_->injector.FaultPoint(point, sim_->now);
}

asio::awaitable<void> VirtualEnv::Sleep(Duration d) {
  return sim_->WaitUntil(sim_->now + std::max(d, Duration::zero()), 0);
}

}  // namespace internal

Result<std::unique_ptr<Simulator>> Simulator::Create(SimulatorOptions options) {
  if (Status valid = options.Validate(); !valid.ok()) return valid;
  return std::unique_ptr<Simulator>(
      new Simulator(std::make_unique<internal::SimulatorImpl>(std::move(options))));
}

Simulator::Simulator(std::unique_ptr<internal::SimulatorImpl> impl) : impl_(std::move(impl)) {}
Simulator::~Simulator() = default;

Timestamp Simulator::Now() const { return impl_->now; }
Env& Simulator::env() { return impl_->env; }
boost::asio::any_io_executor Simulator::executor() { return impl_->io.get_executor(); }
const Trace& Simulator::trace() const { return impl_->trace; }
FaultInjector& Simulator::faults() { return impl_->injector; }
std::map<Action, int64_t> Simulator::call_counts() const {
  std::map<Action, int64_t> counts;
  for (size_t i = 0; i < impl_->call_counts.size(); ++i) {
    if (impl_->call_counts[i] != 0) counts[static_cast<Action>(i)] = impl_->call_counts[i];
  }
  return counts;
}
const SimulatorOptions& Simulator::options() const { return impl_->options; }

std::unique_ptr<FaultInjectingClient> Simulator::NewFaultInjectingClient() {
  return std::make_unique<FaultInjectingClient>(
      FaultClientOptions{.target = this,
                         .injector = &impl_->injector,
                         .env = &impl_->env,
                         .blocking_sleep = [this](Duration d) { RunFor(d); }});
}

void Simulator::Spawn(boost::asio::awaitable<void> actor) {
  internal::SimulatorImpl* impl = impl_.get();
  boost::asio::co_spawn(impl->io, std::move(actor), [impl](std::exception_ptr e) {
    if (e && !impl->actor_failure) impl->actor_failure = e;
  });
}

bool Simulator::RunUntilIdle(Duration limit) { return impl_->RunLoop(impl_->now + limit, {}); }

void Simulator::RunFor(Duration d) {
  SQSIM_ASSERT(d >= Duration::zero(), "RunFor needs a non-negative duration");
  const Timestamp end = impl_->now + d;
  impl_->RunLoop(end, {});
  impl_->AdvanceTo(end);
}

bool Simulator::RunUntil(const std::function<bool()>& done, Duration limit) {
  return impl_->RunLoop(impl_->now + limit, done);
}

// Every action but ReceiveMessage completes without waiting: the blocking
// form calls the engine at the current virtual time, and the coroutine form
// does the same.
#define SQSIM_SIMULATOR_ACTION(Name)                                                             \
  Result<Name##Response> Simulator::Name(const Name##Request& request) {                         \
    impl_->engine.CatchUp(impl_->now);                                                           \
    return impl_->Record(Action::k##Name, impl_->engine.Name(request, impl_->now));              \
  }                                                                                              \
  boost::asio::awaitable<Result<Name##Response>> Simulator::Async##Name(Name##Request request) { \
    co_return Name(request);                                                                     \
  }

SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_SIMULATOR_ACTION)
#undef SQSIM_SIMULATOR_ACTION

Result<ReceiveMessageResponse> Simulator::ReceiveMessage(const ReceiveMessageRequest& request) {
  internal::SimulatorImpl& sim = *impl_;
  internal::LongPoll poll(sim.engine, request, sim.now);
  if (poll.Done(sim.now)) return sim.Record(Action::kReceiveMessage, poll.TakeResult());
  // A long poll that must wait: run the simulation (other actors included)
  // until it completes. Inside an actor, use AsyncReceiveMessage instead.
  SQSIM_ASSERT(!sim.running,
               "a blocking ReceiveMessage that waits cannot be called from inside an actor; "
               "co_await AsyncReceiveMessage instead");
  std::optional<Result<ReceiveMessageResponse>> out;
  auto wait =
      [](internal::SimulatorImpl& sim, internal::LongPoll& poll,
         std::optional<Result<ReceiveMessageResponse>>& out) -> boost::asio::awaitable<void> {
    out.emplace(co_await sim.FinishLongPoll(poll));
  };
  boost::asio::co_spawn(sim.io, wait(sim, poll, out), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  sim.RunLoop(Timestamp::max(), [&out] { return out.has_value(); });
  SQSIM_ASSERT(out.has_value(), "long poll did not complete");
  return std::move(*out);
}

boost::asio::awaitable<Result<ReceiveMessageResponse>> Simulator::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  internal::SimulatorImpl& sim = *impl_;
  internal::LongPoll poll(sim.engine, request, sim.now);
  co_return co_await sim.FinishLongPoll(poll);
}

}  // namespace sqsim
