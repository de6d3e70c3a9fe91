// Simulator: the engine plus a virtual clock, a discrete-event loop on one
// Asio io_context, long-poll waiters and the trace.
//
// The loop runs every ready handler (actors), then jumps the clock to the
// earliest timer and fires it. Timers are kept in a min-heap ordered by
// (deadline, sequence number), so simultaneous timers fire in the order they
// were set: the run is a pure function of the seed and the program. Waiting
// handlers live in reused slots named by (generation, slot) ids: a sleep
// costs no tree node (a load test sleeps once or twice per message).

#include "sqsim/simulator.h"

#include <array>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "host/host.h"
#include "host/sns_host.h"

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

// SNS's later work (retries, delayed deliveries) as virtual-time actors, and
// its deliveries to the functions registered with SubscribeFunction.
class VirtualSnsRunner final : public SnsDeliveryRunner {
 public:
  explicit VirtualSnsRunner(SimulatorImpl* sim) : sim_(sim) {}
  void At(Timestamp when, std::function<void(Timestamp)> task) override;
  void InvokeFunction(sns::FunctionDelivery delivery,
                      std::function<void(Timestamp, Status)> done) override;
  std::map<std::string, sns::FunctionSubscriber> functions;

 private:
  SimulatorImpl* sim_;
};

class SimulatorImpl {
 public:
  explicit SimulatorImpl(std::unique_ptr<Host> h)
      : host(std::move(h)),
        now(host->options().start_time),
        env(this, host->options().seed),
        sns_runner(this),
        sns_host(*host, sns_runner) {}

  ~SimulatorImpl() {
    // Destroy suspended actors (their handlers) before the io_context. Moved
    // out first: a frame's destructor that cancels another wait finds none.
    std::deque<Waiter> dying = std::move(waiters);
    waiters.clear();
    dying.clear();
    timers = {};
  }

  // Suspends the calling coroutine until `wake_at` or until Wake(*id);
  // `*id` (when not null) names the wait while it lasts. Cancelling the
  // coroutine (through its cancellation slot: asio's awaitable operators,
  // sqsim::WhenAny, a harness ending an actor) ends the wait at once with
  // operation_aborted, thrown from the co_await.
  asio::awaitable<void> WaitUntil(Timestamp wake_at, uint64_t* id) {
    return asio::async_initiate<const asio::use_awaitable_t<>, void(boost::system::error_code)>(
        [this, wake_at, id](Handler handler) {
          const uint64_t wait_id = AddWaiter();
          if (id != nullptr) *id = wait_id;
          asio::cancellation_slot slot = asio::get_associated_cancellation_slot(handler);
          if (slot.is_connected()) {
            slot.assign([this, wait_id](asio::cancellation_type type) {
              if (type != asio::cancellation_type::none) {
                Resume(wait_id, asio::error::operation_aborted);
              }
            });
          }
          // Move-constructed into place: Boost 1.81's any_completion_handler
          // must not be move-assigned.
          waiters[SlotOf(wait_id)].handler.emplace(std::move(handler));
          timers.push({.deadline = wake_at, .sequence = next_timer_sequence++, .id = wait_id});
        },
        asio::use_awaitable);
  }

  // ReceiveMessage, blocking or as a coroutine, made by `caller` (nullptr:
  // the simulator itself).
  Result<ReceiveMessageResponse> Receive(const ReceiveMessageRequest& request,
                                         const iam::Caller* caller);
  asio::awaitable<Result<ReceiveMessageResponse>> AsyncReceive(ReceiveMessageRequest request,
                                                               const iam::Caller* caller);

  // Resumes waiter `id` (if it is still waiting) on the io_context.
  void Wake(uint64_t id) { Resume(id, {}); }

  // Resumes waiter `id`, if it is still waiting, with `error`. Its timer
  // stays in `timers` until RunLoop drops it.
  void Resume(uint64_t id, boost::system::error_code error) {
    if (!IsWaiting(id)) return;
    Waiter& waiter = waiters[SlotOf(id)];
    Handler handler = std::move(*waiter.handler);
    waiter.handler.reset();
    waiter.waiting = false;
    ++waiter.generation;  // the id is spent
    free_slots.push_back(SlotOf(id));
    // The wait is over: a later cancellation must not reach it.
    asio::cancellation_slot slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) slot.clear();
    asio::post(io, [h = std::move(handler), error]() mutable { std::move(h)(error); });
  }

  // An actor that retries at once forever never lets virtual time move, so
  // the run would hang silently; fail loudly instead. (Only while actors
  // run: a benchmark's own loop may call as often as it likes.)
  void CountCallAtThisInstant() {
    if (now != calls_instant || !running) {
      calls_instant = now;
      calls_at_instant = 0;
    }
    SQSIM_ASSERT(++calls_at_instant < kMaxCallsPerInstant,
                 "livelock: 10,000,000 calls without virtual time moving (an actor retries "
                 "without sleeping?)");
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
      while (!timers.empty() && !IsWaiting(timers.top().id)) timers.pop();
      if (timers.empty()) return !done;
      const Timestamp next = timers.top().deadline;
      if (next > limit) return false;
      AdvanceTo(next);
      while (!timers.empty() && timers.top().deadline <= now) {
        const uint64_t id = timers.top().id;
        timers.pop();
        Wake(id);
      }
    }
  }

  void AdvanceTo(Timestamp t) {
    if (t <= now) return;
    host->RecordTimeAdvanced(now, t);
    now = t;
  }

  std::unique_ptr<Host> host;
  Timestamp now;
  static constexpr int64_t kMaxCallsPerInstant = 10000000;
  Timestamp calls_instant{};
  int64_t calls_at_instant = 0;
  VirtualEnv env;
  VirtualSnsRunner sns_runner;
  SnsHost sns_host;
  std::unique_ptr<sns::Client> sns_client;  // made on first use
  asio::io_context io{1};
  using Handler = asio::any_completion_handler<void(boost::system::error_code)>;

  // A wait's id is (generation << 32 | slot); a slot's generation moves on
  // when its wait ends, so a spent id never names the slot's next wait.
  struct Waiter {
    std::optional<Handler> handler;
    uint32_t generation = 1;
    bool waiting = false;
  };
  static uint32_t SlotOf(uint64_t id) { return static_cast<uint32_t>(id); }
  bool IsWaiting(uint64_t id) const {
    const uint32_t slot = SlotOf(id);
    return slot < waiters.size() && waiters[slot].waiting &&
           waiters[slot].generation == static_cast<uint32_t>(id >> 32);
  }
  uint64_t AddWaiter() {
    uint32_t slot;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
    } else {
      slot = static_cast<uint32_t>(waiters.size());
      waiters.emplace_back();
    }
    waiters[slot].waiting = true;
    return (static_cast<uint64_t>(waiters[slot].generation) << 32) | slot;
  }
  struct Timer {
    Timestamp deadline;
    uint64_t sequence;  // the order timers were set in: ties fire in that order
    uint64_t id;        // the waiter
    bool operator>(const Timer& other) const {
      return deadline != other.deadline ? deadline > other.deadline : sequence > other.sequence;
    }
  };
  // A deque: growing it never moves a handler (see above).
  std::deque<Waiter> waiters;
  std::vector<uint32_t> free_slots;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers;
  uint64_t next_timer_sequence = 0;
  std::exception_ptr actor_failure;
  bool running = false;
};

// A long poll waiting in virtual time.
class VirtualPollWaiter final : public PollWaiter {
 public:
  explicit VirtualPollWaiter(SimulatorImpl& sim) : sim_(sim) {}
  Timestamp Now() override { return sim_.now; }
  asio::awaitable<void> WaitUntil(Timestamp until) override {
    return sim_.WaitUntil(until, &wait_id_);
  }
  void Wake() override { sim_.Wake(wait_id_); }

 private:
  SimulatorImpl& sim_;
  uint64_t wait_id_ = 0;
};

// Inlined into both callers: the simulator's own receive is the hot path of
// every consumer benchmark.
[[gnu::always_inline]] inline Result<ReceiveMessageResponse> SimulatorImpl::Receive(
    const ReceiveMessageRequest& request, const iam::Caller* caller) {
  LongPoll poll = host->StartReceive(request, now, caller);
  if (poll.Done(now)) {
    CountCallAtThisInstant();
    return host->Finish(poll, now);
  }
  // A long poll that must wait: run the simulation (other actors included)
  // until it completes. Inside an actor, use AsyncReceiveMessage instead.
  SQSIM_ASSERT(!running,
               "a blocking ReceiveMessage that waits cannot be called from inside an actor; "
               "co_await AsyncReceiveMessage instead");
  std::optional<Result<ReceiveMessageResponse>> out;
  auto wait = [](SimulatorImpl& sim, LongPoll& poll,
                 std::optional<Result<ReceiveMessageResponse>>& out) -> asio::awaitable<void> {
    VirtualPollWaiter waiter(sim);
    out.emplace(co_await sim.host->Wait(poll, waiter));
  };
  asio::co_spawn(io, wait(*this, poll, out), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  RunLoop(Timestamp::max(), [&out] { return out.has_value(); });
  SQSIM_ASSERT(out.has_value(), "long poll did not complete");
  return std::move(*out);
}

asio::awaitable<Result<ReceiveMessageResponse>> SimulatorImpl::AsyncReceive(
    ReceiveMessageRequest request, const iam::Caller* caller) {
  LongPoll poll = host->StartReceive(request, now, caller);
  if (poll.Done(now)) CountCallAtThisInstant();
  VirtualPollWaiter waiter(*this);
  co_return co_await host->Wait(poll, waiter);
}

void VirtualSnsRunner::At(Timestamp when, std::function<void(Timestamp)> task) {
  auto later = [](SimulatorImpl* sim, Timestamp when,
                  std::function<void(Timestamp)> task) -> asio::awaitable<void> {
    co_await sim->WaitUntil(when, nullptr);
    task(sim->now);
  };
  asio::co_spawn(sim_->io, later(sim_, when, std::move(task)), asio::detached);
}

void VirtualSnsRunner::InvokeFunction(sns::FunctionDelivery delivery,
                                      std::function<void(Timestamp, Status)> done) {
  auto it = functions.find(delivery.endpoint);
  if (it == functions.end()) {
    done(sim_->now,
         Status(ErrorCode::kResourceNotFound, "Function not found: " + delivery.endpoint));
    return;
  }
  // A copy of the function, so that one replaced while a delivery runs
  // finishes as it began.
  auto invoke = [](SimulatorImpl* sim, sns::FunctionSubscriber function,
                   sns::FunctionDelivery delivery,
                   std::function<void(Timestamp, Status)> done) -> asio::awaitable<void> {
    Status outcome;
    try {
      co_await function(std::move(delivery));
    } catch (const std::exception& e) {
      outcome = Status(ErrorCode::kInternalError, std::string("the function failed: ") + e.what());
    } catch (...) {
      outcome = Status(ErrorCode::kInternalError, "the function failed");
    }
    done(sim->now, outcome);
  };
  asio::co_spawn(sim_->io, invoke(sim_, it->second, std::move(delivery), std::move(done)),
                 asio::detached);
}

Timestamp VirtualEnv::Now() { return sim_->now; }

bool VirtualEnv::MaybeFault(std::string_view point) {
  return sim_->host->injector().FaultPoint(point, sim_->now);
}

asio::awaitable<void> VirtualEnv::Sleep(Duration d) {
  return sim_->WaitUntil(ClampedAdd(sim_->now, d), nullptr);
}

}  // namespace internal

Result<std::unique_ptr<Simulator>> Simulator::Create(SimulatorOptions options) {
  Result<std::unique_ptr<internal::Host>> host = internal::Host::Create(std::move(options));
  if (!host.ok()) return host.status();
  return std::unique_ptr<Simulator>(
      new Simulator(std::make_unique<internal::SimulatorImpl>(std::move(*host))));
}

Simulator::Simulator(std::unique_ptr<internal::SimulatorImpl> impl) : impl_(std::move(impl)) {}
Simulator::~Simulator() = default;

Timestamp Simulator::Now() const { return impl_->now; }
Env& Simulator::env() { return impl_->env; }
boost::asio::any_io_executor Simulator::executor() { return impl_->io.get_executor(); }
const Trace& Simulator::trace() const { return impl_->host->trace(); }
void Simulator::AppendTraceNote(const std::string& name, int64_t value) {
  Trace& trace = impl_->host->trace();
  trace.Append({.time = impl_->now,
                .kind = TraceKind::kNote,
                .queue = trace.InternName(name),
                .value = value});
}
std::optional<std::vector<PeekedMessage>> Simulator::Peek(const std::string& queue_name) const {
  return impl_->host->Peek(queue_name, impl_->now);
}
FaultInjector& Simulator::faults() { return impl_->host->injector(); }
Result<std::vector<MetricDatapoint>> Simulator::GetQueueMetric(const QueueMetricQuery& query) {
  return impl_->host->QueueMetrics(query, impl_->now);
}

std::map<Action, int64_t> Simulator::call_counts() const {
  std::map<Action, int64_t> counts;
  const auto& calls = impl_->host->call_counts();
  for (size_t i = 0; i < calls.size(); ++i) {
    if (calls[i] != 0) counts[static_cast<Action>(i)] = calls[i];
  }
  return counts;
}
const SimulatorOptions& Simulator::options() const { return impl_->host->options(); }

std::unique_ptr<FaultInjectingClient> Simulator::NewFaultInjectingClient() {
  return std::make_unique<FaultInjectingClient>(
      FaultClientOptions{.target = this,
                         .injector = &impl_->host->injector(),
                         .env = &impl_->env,
                         .blocking_sleep = [this](Duration d) { RunFor(d); }});
}

void Simulator::Spawn(boost::asio::awaitable<void> actor) {
  internal::SimulatorImpl* impl = impl_.get();
  boost::asio::co_spawn(impl->io, std::move(actor), [impl](std::exception_ptr e) {
    if (e && !impl->actor_failure) impl->actor_failure = e;
  });
}

bool Simulator::RunUntilIdle(Duration limit) {
  return impl_->RunLoop(ClampedAdd(impl_->now, limit), {});
}

void Simulator::RunFor(Duration d) {
  SQSIM_ASSERT(d >= Duration::zero(), "RunFor needs a non-negative duration");
  const Timestamp end = ClampedAdd(impl_->now, d);
  impl_->RunLoop(end, {});
  impl_->AdvanceTo(end);
}

bool Simulator::RunUntil(const std::function<bool()>& done, Duration limit) {
  return impl_->RunLoop(ClampedAdd(impl_->now, limit), done);
}

kms::KeyRegistry& Simulator::kms() { return impl_->host->kms_keys(); }

Status Simulator::PutIdentityPolicy(const std::string& principal_arn, const std::string& name,
                                    std::string_view policy_json) {
  return impl_->host->authorizer().PutIdentityPolicy(principal_arn, name, policy_json);
}

bool Simulator::DeleteIdentityPolicy(const std::string& principal_arn, const std::string& name) {
  return impl_->host->authorizer().DeleteIdentityPolicy(principal_arn, name);
}

iam::Explanation Simulator::ExplainAccess(const iam::Caller& caller, Action action,
                                          const std::string& queue_url) {
  internal::Host& host = *impl_->host;
  host.engine().CatchUp(impl_->now);
  return host.authorizer().Explain(caller, action, host.authorizer().ResourceForQueueUrl(queue_url),
                                   host.engine(), impl_->now);
}

namespace internal {

// A Client whose every call is made as one principal (Simulator::ClientFor).
class PrincipalClient final : public Client {
 public:
  PrincipalClient(SimulatorImpl& sim, iam::Caller caller) : sim_(sim), caller_(std::move(caller)) {}

#define SQSIM_PRINCIPAL_ACTION(Name)                                                           \
  Result<Name##Response> Name(const Name##Request& request) override {                         \
    sim_.CountCallAtThisInstant();                                                             \
    return sim_.host->Call(request, sim_.now, &caller_);                                       \
  }                                                                                            \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override { \
    co_return Name(request);                                                                   \
  }
  SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_PRINCIPAL_ACTION)
#undef SQSIM_PRINCIPAL_ACTION

  Result<ReceiveMessageResponse> ReceiveMessage(const ReceiveMessageRequest& request) override {
    return sim_.Receive(request, &caller_);
  }
  boost::asio::awaitable<Result<ReceiveMessageResponse>> AsyncReceiveMessage(
      ReceiveMessageRequest request) override {
    return sim_.AsyncReceive(std::move(request), &caller_);
  }

 private:
  SimulatorImpl& sim_;
  const iam::Caller caller_;
};

}  // namespace internal

namespace internal {

// The SNS client of Simulator::sns(): every action completes at once.
class SimulatorSnsClient final : public sns::Client {
 public:
  explicit SimulatorSnsClient(SimulatorImpl& sim) : sim_(sim) {}

#define SQSIM_SIMULATOR_SNS_ACTION(Name)                                                      \
  Result<sns::Name##Response> Name(const sns::Name##Request& request) override {              \
    sim_.CountCallAtThisInstant();                                                            \
    return sim_.sns_host.Call(request, sim_.now);                                             \
  }                                                                                           \
  boost::asio::awaitable<Result<sns::Name##Response>> Async##Name(sns::Name##Request request) \
      override {                                                                              \
    co_return Name(request);                                                                  \
  }
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SIMULATOR_SNS_ACTION)
#undef SQSIM_SIMULATOR_SNS_ACTION

 private:
  SimulatorImpl& sim_;
};

}  // namespace internal

sns::Client& Simulator::sns() {
  if (!impl_->sns_client)
    impl_->sns_client = std::make_unique<internal::SimulatorSnsClient>(*impl_);
  return *impl_->sns_client;
}

void Simulator::RegisterFunction(const std::string& endpoint, sns::FunctionSubscriber subscriber) {
  impl_->sns_runner.functions[endpoint] = std::move(subscriber);
}

sns::DeliveryStats Simulator::sns_delivery_stats() const { return impl_->sns_host.stats(); }

std::optional<std::string> Simulator::SnsConfirmationToken(
    const std::string& subscription_arn) const {
  return impl_->sns_host.PendingConfirmationToken(subscription_arn);
}

std::unique_ptr<Client> Simulator::ClientFor(iam::Principal principal,
                                             iam::RequestContext context) {
  return std::make_unique<internal::PrincipalClient>(
      *impl_, iam::Caller{.principal = std::move(principal), .context = std::move(context)});
}

// Every action but ReceiveMessage completes without waiting: the blocking
// form calls the engine at the current virtual time, and the coroutine form
// does the same.
#define SQSIM_SIMULATOR_ACTION(Name)                                                             \
  Result<Name##Response> Simulator::Name(const Name##Request& request) {                         \
    impl_->CountCallAtThisInstant();                                                             \
    return impl_->host->Call(request, impl_->now);                                               \
  }                                                                                              \
  boost::asio::awaitable<Result<Name##Response>> Simulator::Async##Name(Name##Request request) { \
    co_return Name(request);                                                                     \
  }

SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_SIMULATOR_ACTION)
#undef SQSIM_SIMULATOR_ACTION

Result<ReceiveMessageResponse> Simulator::ReceiveMessage(const ReceiveMessageRequest& request) {
  return impl_->Receive(request, nullptr);
}

boost::asio::awaitable<Result<ReceiveMessageResponse>> Simulator::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  return impl_->AsyncReceive(std::move(request), nullptr);
}

}  // namespace sqsim
