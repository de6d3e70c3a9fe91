#include "host/host.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "fault/client_fault.h"

namespace sqsim::internal {

namespace {

// Makes `injector` append a kFault event to `trace` for every fault it
// fires, naming its rule (interned once, when the rule first fires).
// REQUIRES: `trace` outlives every later decision of `injector`.
void RecordFaultsInTrace(FaultInjector& injector, Trace& trace) {
  auto labels = std::make_shared<std::map<std::string, uint32_t>>();
  injector.set_observer([&trace, labels](const FaultRule& rule, Timestamp at) {
    auto [it, inserted] = labels->emplace(rule.id, 0);
    if (inserted) it->second = trace.InternName(rule.id);
    trace.Append({.time = at,
                  .kind = TraceKind::kFault,
                  .code = rule.effect == FaultEffect::kError ? rule.error : ErrorCode::kOk,
                  .fault_rule = it->second,
                  .value = static_cast<int64_t>(rule.effect)});
  });
}

}  // namespace

// Keeps a long poll in its queue's waiting list for as long as one
// WaitUntil lasts, including when the coroutine is destroyed mid-wait (a
// server shutting down).
class Host::WaitRegistration {
 public:
  WaitRegistration(Host& host, const LongPoll& poll, PollWaiter& waiter, Timestamp wake_at)
      : host_(host), queue_id_(poll.queue_id()), waiter_(waiter) {
    host_.queue_waiters_[queue_id_].push_back({&waiter, poll.max_messages(), wake_at});
    ++host_.waiting_;
  }
  ~WaitRegistration() {
    --host_.waiting_;
    auto it = host_.queue_waiters_.find(queue_id_);
    if (it == host_.queue_waiters_.end()) return;
    std::erase_if(it->second, [this](const Waiting& w) { return w.waiter == &waiter_; });
    if (it->second.empty()) host_.queue_waiters_.erase(it);
  }
  WaitRegistration(const WaitRegistration&) = delete;
  WaitRegistration& operator=(const WaitRegistration&) = delete;

 private:
  Host& host_;
  uint32_t queue_id_;
  PollWaiter& waiter_;
};

Result<std::unique_ptr<Host>> Host::Create(SimulatorOptions options) {
  if (Status valid = options.Validate(); !valid.ok()) return valid;
  return std::unique_ptr<Host>(new Host(std::move(options)));
}

Host::Host(SimulatorOptions options)
    : options_(std::move(options)),
      trace_(options_.trace_capacity),
      injector_(options_.faults, options_.seed, options_.start_time),
      engine_(options_, &trace_, &injector_) {
  RecordFaultsInTrace(injector_, trace_);
  engine_.set_kms_gate(&kms_gate_);
  for (const auto& [alias, policy] : options_.kms_keys) {
    kms::CreateKeyOptions key;
    if (!policy.empty()) key.policy = policy;
    Result<kms::KeyMetadata> created = kms_keys_.CreateKey(key, options_.start_time);
    SQSIM_ASSERT(created.ok() && kms_keys_.CreateAlias(alias, created->key_id).ok(),
                 "KMS keys were validated with the options");
  }
  for (const auto& [principal, policies] : options_.identity_policies) {
    for (const auto& [name, json] : policies) {
      const Status put = authorizer_.PutIdentityPolicy(principal, name, json);
      SQSIM_ASSERT(put.ok(), "identity policies were validated with the options");
    }
  }
}

template <typename Response, typename Request, typename Run>
[[gnu::noinline]] Result<Response> Host::CallAs(Action action, const Request& request,
                                                Timestamp now, const iam::Caller& caller,
                                                const Run& run) {
  engine_.CatchUp(now);
  if (Status denied = authorizer_.Check(caller, action, request, engine_, now); !denied.ok()) {
    return Record(action, Result<Response>(std::move(denied)), now);
  }
  ScopedKmsCaller kms_caller(kms_gate_, &caller);
  return Record(action, run(request, now), now);
}

// Inlined into each action's fast path, where it moves the engine's result
// straight into the return value.
template <typename T>
[[gnu::always_inline]] inline Result<T> Host::Record(Action action, Result<T> result,
                                                     Timestamp now) {
  ++call_counts_[static_cast<size_t>(action)];
  trace_.Append({.time = now,
                 .kind = TraceKind::kCall,
                 .action = action,
                 .code = result.ok() ? ErrorCode::kOk : result.status().code()});
  WakeTouchedQueues();
  return result;
}

// A call made as a principal takes the slow path (CallAs): the host's own
// calls, the common case, pay one test for IAM and KMS callers.
#define SQSIM_HOST_CALL(Name)                                                            \
  Result<Name##Response> Host::Call(const Name##Request& request, Timestamp now,         \
                                    const iam::Caller* caller) {                         \
    if (caller != nullptr) [[unlikely]] {                                                \
      return CallAs<Name##Response>(                                                     \
          Action::k##Name, request, now, *caller,                                        \
          [this](const Name##Request& r, Timestamp at) { return engine_.Name(r, at); }); \
    }                                                                                    \
    engine_.CatchUp(now);                                                                \
    return Record(Action::k##Name, engine_.Name(request, now), now);                     \
  }
SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_HOST_CALL)
#undef SQSIM_HOST_CALL

LongPoll Host::StartReceive(const ReceiveMessageRequest& request, Timestamp now,
                            const iam::Caller* caller) {
  if (caller == nullptr) [[likely]]
    return LongPoll(engine_, request, now);
  return StartReceiveAs(request, now, *caller);
}

LongPoll Host::StartReceiveAs(const ReceiveMessageRequest& request, Timestamp now,
                              const iam::Caller& caller) {
  engine_.CatchUp(now);
  if (Status denied = authorizer_.Check(caller, Action::kReceiveMessage, request, engine_, now);
      !denied.ok()) {
    return LongPoll(engine_, request, now, std::move(denied));
  }
  ScopedKmsCaller kms_caller(kms_gate_, &caller);
  return LongPoll(engine_, request, now, &caller);
}

Result<ReceiveMessageResponse> Host::Finish(LongPoll& poll, Timestamp now) {
  Result<ReceiveMessageResponse> result = poll.TakeResult();
  // Only now is a receive known to be empty: a long poll's earlier
  // attempts were not answers (NumberOfEmptyReceives counts calls).
  if (result.ok() && result->messages.empty()) engine_.CountEmptyReceive(poll.queue_id());
  return Record(Action::kReceiveMessage, std::move(result), now);
}

Result<std::vector<MetricDatapoint>> Host::QueueMetrics(const QueueMetricQuery& query,
                                                        Timestamp now) {
  // Closing the minutes up to `now` runs the time-driven work they hold
  // (move tasks may deliver): the polls of the queues it touched look again.
  Result<std::vector<MetricDatapoint>> datapoints = engine_.QueueMetrics(query, now);
  WakeTouchedQueues();
  return datapoints;
}

std::vector<std::string> Host::MetricQueueNames(Timestamp now) {
  std::vector<std::string> names = engine_.MetricQueueNames(now);
  WakeTouchedQueues();
  return names;
}

boost::asio::awaitable<Result<ReceiveMessageResponse>> Host::Wait(LongPoll& poll,
                                                                  PollWaiter& waiter) {
  Timestamp now = waiter.Now();
  while (!poll.Done(now)) {
    if (closed_) co_return ReceiveMessageResponse{};
    {
      const Timestamp wake_at = poll.NextLook(now);
      WaitRegistration registration(*this, poll, waiter, wake_at);
      co_await waiter.WaitUntil(wake_at);
    }
    // Closed while waiting: the engine the poll reads is going away.
    if (closed_) co_return ReceiveMessageResponse{};
    now = waiter.Now();
    if (poll.caller() == nullptr) {
      poll.LookAgain(now);
    } else {
      ScopedKmsCaller kms_caller(kms_gate_, poll.caller());
      poll.LookAgain(now);
    }
  }
  // A woken poll may leave visible messages behind (a realistic receive
  // can return fewer than it may take), and the queue's next timed change
  // may be one no other poll plans for (it woke only to re-plan for the
  // earlier one it served): pass the wake on, so neither waits for a
  // deadline. Standard queues only: a FIFO queue wakes every poll on each
  // change anyway.
  if (engine_.VisibleForWaiters(poll.queue_id())) WakeWaitersOf(poll.queue_id());
  co_return Finish(poll, now);
}

void Host::WakeTouchedQueues() {
  if (queue_waiters_.empty()) {
    engine_.ClearTouchedQueues();  // nobody waits: nothing to wake
    return;
  }
  for (uint32_t queue_id : engine_.TakeTouchedQueues()) WakeWaitersOf(queue_id);
}

void Host::WakeWaitersOf(uint32_t queue_id) {
  auto it = queue_waiters_.find(queue_id);
  if (it == queue_waiters_.end()) return;
  // Wake polls in the order they began waiting until they can take every
  // visible message: a send of one message to a queue with 3,000 waiting
  // polls wakes one, not 3,000. A poll woken earlier that has not looked
  // yet still counts, so it is not replaced by a second one. When the count
  // says nothing (FIFO, queue gone), every poll looks.
  //
  // The call may also have moved the queue's next time-driven change
  // earlier than the others plan to look (a shorter visibility timeout, a
  // short delay): then one of them looks again now to re-plan, and when the
  // change comes it passes the wake on to as many as it leaves messages for
  // (Wait).
  const std::optional<size_t> visible = engine_.VisibleForWaiters(queue_id);
  const std::optional<Timestamp> next_change = engine_.NextTransition(queue_id);
  size_t capacity = 0;
  bool replanning = false;
  for (Waiting& w : it->second) {
    if (!visible || capacity < *visible) {
      Wake(w);
      capacity += static_cast<size_t>(w.max_messages);
    } else if (!replanning && next_change && *next_change < w.wake_at && !w.woken) {
      Wake(w);
      replanning = true;
    } else if (replanning || !next_change) {
      break;
    }
  }
}

void Host::Wake(Waiting& waiting) {
  ++early_wakes_;
  waiting.woken = true;
  waiting.waiter->Wake();
}

void Host::WakeAll() {
  for (auto& [queue_id, waiters] : queue_waiters_) {
    for (Waiting& w : waiters) Wake(w);
  }
}

void Host::Close() {
  closed_ = true;
  WakeAll();
}

void Host::RecordTimeAdvanced(Timestamp from, Timestamp to) {
  trace_.Append({.time = to, .kind = TraceKind::kTimeAdvanced, .value = (to - from).count()});
}

const FaultRule* Host::DecideClientFault(Action action, std::string_view queue_name,
                                         Timestamp now) {
  if (options_.faults.rules.empty()) return nullptr;
  return injector_.Decide(FaultSite::kClientBoundary, action, queue_name, now);
}

std::optional<std::vector<PeekedMessage>> Host::Peek(const std::string& name, Timestamp now) const {
  std::optional<PeekPage> all = Peek(name, now, 0, SIZE_MAX, SIZE_MAX);
  if (!all) return std::nullopt;
  return std::move(all->messages);
}

std::optional<Host::PeekPage> Host::Peek(const std::string& name, Timestamp now, uint32_t cursor,
                                         size_t max_messages, size_t max_body_bytes) const {
  const Queue* q = engine_.InspectQueue(name);
  if (q == nullptr) return std::nullopt;
  const int64_t now_us = now.time_since_epoch().count();
  const int64_t retention_us = int64_t{q->config.message_retention_period} * 1000000;
  const auto at = [](int64_t us) { return Timestamp(Duration(us)); };
  PeekPage page;
  size_t body_bytes = 0;
  page.next_cursor = q->store.ForEachFrom(cursor, [&](MessageRef, const StoredMessage& m) {
    // The store's states are as of the last Settle; report them as of now,
    // leaving out what has expired (the next call on the queue removes it).
    if (m.sent_us + retention_us <= now_us) return true;
    if (page.messages.size() == max_messages ||
        (!page.messages.empty() && m.body.size() > max_body_bytes - body_bytes)) {
      return false;  // the page is full: the next one starts here
    }
    body_bytes += m.body.size();
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
    page.messages.push_back(std::move(p));
    return true;
  });
  return page;
}

}  // namespace sqsim::internal
