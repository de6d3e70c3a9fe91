// Backend: engine calls at virtual time, long-poll waiters, resets, peeks.

#include "server/backend.h"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "fault/client_fault.h"
#include "sim/fault_trace.h"
#include "sim/long_poll.h"

namespace sqsim::internal {

namespace asio = boost::asio;

// Everything a reset replaces. The engine keeps pointers to the options,
// trace and injector, so they live together.
struct Backend::State {
  explicit State(SimulatorOptions o)
      : options(std::move(o)),
        trace(options.trace_capacity),
        injector(options.faults, options.seed, options.start_time),
        engine(options, &trace, &injector) {}

  SimulatorOptions options;
  Trace trace;
  FaultInjector injector;
  Engine engine;
};

// A long poll waiting on a queue: its timer is both the deadline and the
// doorbell (cancelling it wakes the coroutine).
struct Backend::Waiter {
  explicit Waiter(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  uint32_t queue_id = 0;
};

// Registers a waiter for as long as the long poll lasts, including when the
// server shuts down and destroys the suspended coroutine.
class Backend::WaiterRegistration {
 public:
  WaiterRegistration(Backend& backend, Waiter& waiter) : backend_(backend), waiter_(waiter) {
    backend_.queue_waiters_[waiter.queue_id].push_back(&waiter);
    backend_.all_waiters_.insert(&waiter);
  }
  ~WaiterRegistration() {
    backend_.all_waiters_.erase(&waiter_);
    auto it = backend_.queue_waiters_.find(waiter_.queue_id);
    if (it == backend_.queue_waiters_.end()) return;
    std::erase(it->second, &waiter_);
    if (it->second.empty()) backend_.queue_waiters_.erase(it);
  }
  WaiterRegistration(const WaiterRegistration&) = delete;
  WaiterRegistration& operator=(const WaiterRegistration&) = delete;

 private:
  Backend& backend_;
  Waiter& waiter_;
};

Result<std::unique_ptr<Backend>> Backend::Create(asio::io_context& io, SimulatorOptions options,
                                                 TimeSource time,
                                                 std::vector<CreateQueueRequest> queues) {
  std::unique_ptr<Backend> backend(
      new Backend(io, std::move(options), std::move(time), std::move(queues)));
  if (Status s = backend->BuildState(); !s.ok()) return s;
  return backend;
}

Backend::Backend(asio::io_context& io, SimulatorOptions options, TimeSource time,
                 std::vector<CreateQueueRequest> queues)
    : io_(io),
      options_(std::move(options)),
      time_(std::move(time)),
      config_queues_(std::move(queues)) {}

Backend::~Backend() = default;

const Trace& Backend::trace() const { return state_->trace; }
const FaultInjector& Backend::injector() const { return state_->injector; }

Status Backend::BuildState() {
  SimulatorOptions options = options_;
  options.start_time = time_.Now();
  state_ = std::make_unique<State>(std::move(options));
  request_ids_ = SeededRng(options_.seed).Fork("request-ids");
  State* state = state_.get();
  RecordFaultsInTrace(state->injector, state->trace);
  for (const CreateQueueRequest& request : config_queues_) {
    Result<CreateQueueResponse> created = Call(request);
    if (!created.ok()) {
      return Status(created.status().code(), "queues config: cannot create queue '" +
                                                 request.queue_name +
                                                 "': " + created.status().ToString());
    }
  }
  return Status::Ok();
}

Timestamp Backend::Begin() {
  const Timestamp now = time_.Now();
  state_->engine.CatchUp(now);
  return now;
}

void Backend::Record(Action action, ErrorCode code, Timestamp now) {
  state_->trace.Append({.time = now, .kind = TraceKind::kCall, .action = action, .code = code});
  WakeTouchedQueues();
}

void Backend::WakeTouchedQueues() {
  if (queue_waiters_.empty()) {
    state_->engine.ClearTouchedQueues();  // nobody waits: nothing to wake
    return;
  }
  for (uint32_t queue_id : state_->engine.TakeTouchedQueues()) {
    auto it = queue_waiters_.find(queue_id);
    if (it == queue_waiters_.end()) continue;
    for (Waiter* w : it->second) w->timer.cancel();
  }
}

void Backend::WakeAll() {
  for (Waiter* w : all_waiters_) w->timer.cancel();
}

#define SQSIM_BACKEND_CALL(Name)                                                         \
  Result<Name##Response> Backend::Call(const Name##Request& request) {                   \
    const Timestamp now = Begin();                                                       \
    Result<Name##Response> result = state_->engine.Name(request, now);                   \
    Record(Action::k##Name, result.ok() ? ErrorCode::kOk : result.status().code(), now); \
    return result;                                                                       \
  }
SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_BACKEND_CALL)
#undef SQSIM_BACKEND_CALL

asio::awaitable<Result<ReceiveMessageResponse>> Backend::Receive(ReceiveMessageRequest request) {
  Timestamp now = time_.Now();
  LongPoll poll(state_->engine, request, now);
  const auto code = [&] {
    return poll.result().ok() ? ErrorCode::kOk : poll.result().status().code();
  };
  if (poll.Done(now)) {
    Record(Action::kReceiveMessage, code(), now);
    co_return poll.TakeResult();
  }
  WakeTouchedQueues();
  const uint64_t generation = generation_;
  Waiter waiter(io_);
  waiter.queue_id = poll.queue_id();
  WaiterRegistration registration(*this, waiter);
  while (!poll.Done(now)) {
    std::optional<std::chrono::steady_clock::time_point> at = time_.SteadyAt(poll.NextLook(now));
    waiter.timer.expires_at(at ? *at : std::chrono::steady_clock::time_point::max());
    boost::system::error_code ec;  // cancelled = woken early: either way, look again
    co_await waiter.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    // A reset replaced the engine the poll was reading: end it, empty.
    if (generation != generation_) co_return ReceiveMessageResponse{};
    now = time_.Now();
    poll.LookAgain(now);
    if (!poll.Done(now)) WakeTouchedQueues();
  }
  Record(Action::kReceiveMessage, code(), now);
  co_return poll.TakeResult();
}

const FaultRule* Backend::DecideClientFault(Action action, std::string_view queue_name) {
  if (state_->options.faults.rules.empty()) return nullptr;
  return state_->injector.Decide(kClientBoundaryEffects, action, queue_name, time_.Now());
}

std::string Backend::NewRequestId() {
  std::array<uint8_t, 16> bytes;
  const uint64_t a = request_ids_->Next();
  const uint64_t b = request_ids_->Next();
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(a >> (8 * i));
    bytes[8 + i] = static_cast<uint8_t>(b >> (8 * i));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // looks like a v4 UUID
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  return FormatUuid(bytes);
}

void Backend::Advance(Duration d) {
  time_.Advance(d);
  WakeAll();
}

Status Backend::Reset(std::optional<uint64_t> seed, std::optional<FaultPlan> faults) {
  if (seed) options_.seed = *seed;
  if (faults) options_.faults = std::move(*faults);
  ++generation_;
  WakeAll();
  time_.Rewind();
  return BuildState();
}

std::optional<std::vector<PeekedMessage>> Backend::Peek(const std::string& name) const {
  const Queue* q = state_->engine.InspectQueue(name);
  if (q == nullptr) return std::nullopt;
  const int64_t now_us = time_.Now().time_since_epoch().count();
  const int64_t retention_us = int64_t{q->config.message_retention_period} * 1000000;
  const auto at = [](int64_t us) { return Timestamp(Duration(us)); };
  std::vector<PeekedMessage> out;
  q->store.ForEach([&](MessageRef, const StoredMessage& m) {
    // The store's states are as of the last Settle; report them as of now,
    // leaving out what has expired (the next call on the queue removes it).
    if (m.sent_us + retention_us <= now_us) return;
    PeekedMessage p;
    p.message_id = FormatUuid(m.id);
    p.body = m.body;
    p.sent = at(m.sent_us);
    p.receive_count = m.receive_count;
    if (m.first_receive_us != 0) p.first_received = at(m.first_receive_us);
    const bool pending = m.state == MessageState::kDelayed || m.state == MessageState::kInFlight;
    if (pending && m.available_us > now_us) {
      p.state = m.state == MessageState::kDelayed ? "delayed" : "in_flight";
      p.visible_at = at(m.available_us);
    } else {
      p.state = "visible";
    }
    if (m.extras) {
      p.group_id = m.extras->group_id;
      p.deduplication_id = m.extras->deduplication_id;
      p.sequence_number = m.extras->sequence_number;
      for (const auto& [attribute, value] : m.extras->attributes) {
        p.attribute_names.push_back(attribute);
      }
    }
    out.push_back(std::move(p));
  });
  return out;
}

}  // namespace sqsim::internal
