// Engine: ReceiveMessage — choosing messages (standard order with sampling
// and reordering, or FIFO groups), the dead-letter hand-off, rendering, and
// ReceiveRequestAttemptId caching. Rules: AWS API Reference ReceiveMessage;
// AWS "Amazon SQS short and long polling" (sqs-short-and-long-polling.html),
// "FIFO queue delivery logic in Amazon SQS" (FIFO-queues-understanding-logic.html)
// and "Using dead-letter queues in Amazon SQS" (sqs-dead-letter-queues.html).

#include <algorithm>

#include "core/digest.h"
#include "sim/engine.h"
#include "sim/engine_errors.h"
#include "sim/receipt_handle.h"
#include "sim/validation.h"

namespace sqsim::internal {
namespace {

constexpr int kMaxVisibilitySeconds = 43200;
constexpr auto kAttemptWindow = std::chrono::minutes(5);

// Whether a receive's MessageAttributeNames selects `name`: "All", "*" and
// ".*" select everything, "prefix.*" selects names starting with prefix.
bool AttributeSelected(const std::vector<std::string>& selectors, const std::string& name) {
  for (const std::string& s : selectors) {
    if (s == "All" || s == "*" || s == ".*") return true;
    if (s.size() > 2 && s.ends_with(".*")) {
      if (name.starts_with(std::string_view(s).substr(0, s.size() - 2))) return true;
    } else if (s == name) {
      return true;
    }
  }
  return false;
}

bool SystemAttributeSelected(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& n : names) {
    if (n == "All" || n == name) return true;
  }
  return false;
}

Status ValidateReceive(const ReceiveMessageRequest& r) {
  if (r.max_number_of_messages &&
      (*r.max_number_of_messages < 1 || *r.max_number_of_messages > 10)) {
    return InvalidValue(std::to_string(*r.max_number_of_messages), "MaxNumberOfMessages",
                        "Must be between 1 and 10, if provided.");
  }
  if (r.visibility_timeout &&
      (*r.visibility_timeout < 0 || *r.visibility_timeout > kMaxVisibilitySeconds)) {
    return InvalidValue(std::to_string(*r.visibility_timeout), "VisibilityTimeout",
                        "Must be >= 0 and <= 43200, if provided.");
  }
  if (r.wait_time_seconds && (*r.wait_time_seconds < 0 || *r.wait_time_seconds > 20)) {
    return InvalidValue(std::to_string(*r.wait_time_seconds), "WaitTimeSeconds",
                        "Must be >= 0 and <= 20, if provided.");
  }
  return Status::Ok();
}

}  // namespace

void Engine::RenderMessage(const Queue& q, const StoredMessage& m, std::string handle,
                           const ReceiveMessageRequest& r, std::vector<Message>& messages) const {
  (void)q;
  Message& out = messages.emplace_back();
  out.message_id = FormatMessageId(m.id);
  out.receipt_handle = std::move(handle);
  out.md5_of_body = HexEncode(m.body_md5.data(), m.body_md5.size());
  out.body = m.body;
  // MessageSystemAttributeNames wins over the deprecated AttributeNames.
  const std::vector<std::string>& names = r.message_system_attribute_names.empty()
                                              ? r.attribute_names
                                              : r.message_system_attribute_names;
  if (!names.empty()) {
    auto add = [&](std::string_view name, std::string value) {
      if (SystemAttributeSelected(names, name)) out.attributes.emplace(name, std::move(value));
    };
    add("SenderId", options_.sender_id);
    add("SentTimestamp", std::to_string(m.sent_us / 1000));
    add("ApproximateReceiveCount", std::to_string(m.receive_count));
    add("ApproximateFirstReceiveTimestamp", std::to_string(m.first_receive_us / 1000));
    if (m.extras) {
      const MessageExtras& x = *m.extras;
      if (auto it = x.system_attributes.find("AWSTraceHeader");
          it != x.system_attributes.end() && it->second.string_value) {
        add("AWSTraceHeader", *it->second.string_value);
      }
      if (x.group_id) add("MessageGroupId", *x.group_id);
      if (x.deduplication_id) add("MessageDeduplicationId", *x.deduplication_id);
      if (x.sequence_number) add("SequenceNumber", *x.sequence_number);
      if (x.dead_letter_source_arn) add("DeadLetterQueueSourceArn", *x.dead_letter_source_arn);
    }
  }
  if (m.extras && !r.message_attribute_names.empty()) {
    for (const auto& [name, value] : m.extras->attributes) {
      if (AttributeSelected(r.message_attribute_names, name)) {
        out.message_attributes.emplace(name, value);
      }
    }
    // The digest covers only the attributes returned.
    out.md5_of_message_attributes = Md5OfMessageAttributes(out.message_attributes);
  }
}

void Engine::MoveToDeadLetterQueue(Queue& source, Queue& dlq, MessageRef ref, Timestamp now) {
  Settle(dlq, now);
  // All or nothing when memory runs out: a copy is stored in the DLQ first,
  // and the source gives up the message only then, which allocates nothing
  // (room for the source's index entry and the trace event is made first).
  StoredMessage m = CopyMessage(*source.store.Find(ref));
  if (!m.extras) m.extras = std::make_unique<MessageExtras>();
  m.extras->dead_letter_source_arn = source.arn;
  m.state = MessageState::kFree;
  if (dlq.fifo) {
    // FIFO: the enqueue time restarts at the move, and the deduplication id
    // becomes the message id, so that unrelated messages that shared an id
    // are not deduplicated in the DLQ (SQS docs).
    m.sent_us = Micros(now);
    const std::string group = m.extras->group_id.value_or("");
    AssignFifoIdentity(dlq, m, group, FormatMessageId(m.id));
  }
  // Standard queues keep the original enqueue time, so retention still
  // counts from the first send.
  AssignTenant(dlq, m);
  m.seq = dlq.next_seq++;
  if (source.fifo) source.fifo->index.ReserveReady(1);
  trace_->Reserve(1);
  const TraceEvent moved{.time = now,
                         .kind = TraceKind::kMovedToDeadLetter,
                         .queue = source.trace_id,
                         .message_id = m.id,
                         .value = m.receive_count};
  Enqueue(dlq, std::move(m), now, Micros(now));
  const uint32_t group = source.store.Remove(ref).group;
  if (source.fifo) source.fifo->index.Refresh(group, source.store);
  trace_->Append(moved);
}

void Engine::AssignTenant(Queue& q, StoredMessage& m) {
  if (q.fifo) return;
  m.group = 0;
  if (!m.extras || !m.extras->group_id) return;
  auto [it, inserted] =
      q.tenants.emplace(*m.extras->group_id, static_cast<uint32_t>(q.tenants.size() + 1));
  m.group = it->second;
}

// One ReceiveMessage on one queue: its steps, in the order they run, and what
// they share.
struct Engine::Receive {
  // The checks before any delivery, in order: the attempt id's form, the
  // throughput quota, a cached attempt to replay, the in-flight limit (with
  // the queue settled before the last two). The answer when one of them ends
  // the receive; else nullopt, with `max` set.
  std::optional<Result<ReceiveMessageResponse>> Admit(bool continuation);
  void FindRedriveTarget();
  // Choose up to `max` messages and deliver them, handing those past
  // maxReceiveCount to the DLQ instead.
  void DeliverFifo();
  void DeliverStandard();
  // The servers a standard receive consults (bit s: server s): all on a long
  // poll, a random subset on a short poll under realism sampling.
  uint32_t SampleServers();
  // Picks up to `want` messages a standard receive delivers, from the
  // `sampled` servers, in order with realism's reordering (which never leaves
  // a long poll empty), into `chosen`; they stay visible but off the ready
  // heap.
  void SelectStandard(size_t want, uint32_t sampled);
  void DeliverOne(MessageRef ref);
  void ReturnUndelivered();
  // A receipt handle for a delivery of `ref` (its `receive_count`th).
  std::string NewReceiptHandle(MessageRef ref, uint32_t receive_count);
  void RememberGhost(const StoredMessage& m, MessageRef ref);
  // Puts what was delivered in flight, adds delivery faults, caches the
  // attempt: the response.
  ReceiveMessageResponse Finish();
  // Duplicates of earlier deliveries and reordering. Standard queues only.
  void InjectDeliveryFaults();

  Engine& engine;
  Queue& q;
  const ReceiveMessageRequest& r;
  const Timestamp now;
  const bool long_poll;
  const int visibility;
  const int64_t deadline_us;  // of the messages delivered
  // ReceiveRequestAttemptId is a FIFO parameter; standard queues ignore it.
  const bool attempt_id;
  size_t max = 0;
  Queue* dlq = nullptr;
  uint32_t redrive_at = FifoIndex::kNoRedrive;
  ReceiveMessageResponse response = {};
  // The engine's buffers, reused: no allocation per receive.
  std::vector<MessageRef>& delivered;
  std::vector<MessageRef>& chosen;                         // by one SelectStandard
  std::vector<FifoState::AttemptMessage> remembered = {};  // when `attempt_id`
};

ReceiveAttempt Engine::ReceiveMessage(const ReceiveMessageRequest& r, Timestamp now,
                                      bool continuation) {
  ReceiveAttempt attempt;
  if (Status s = ValidateReceive(r); !s.ok()) {
    attempt.result = std::move(s);
    return attempt;
  }
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) {
    attempt.result = found.status();
    return attempt;
  }
  Queue& q = **found;
  attempt.queue_id = q.id;
  q.last_active_minute = ActiveMinute(now);
  attempt.wait_seconds = r.wait_time_seconds.value_or(q.config.receive_message_wait_time_seconds);
  const int visibility = r.visibility_timeout.value_or(q.config.visibility_timeout);
  Receive receive{.engine = *this,
                  .q = q,
                  .r = r,
                  .now = now,
                  .long_poll = attempt.wait_seconds > 0,
                  .visibility = visibility,
                  .deadline_us = Micros(now) + int64_t{visibility} * 1000000,
                  .attempt_id = q.fifo && r.receive_request_attempt_id.has_value(),
                  .delivered = delivered_,
                  .chosen = chosen_};
  // Both buffers start empty: ReturnUndelivered returns what they hold.
  receive.delivered.clear();
  receive.chosen.clear();
  if (std::optional<Result<ReceiveMessageResponse>> answer = receive.Admit(continuation)) {
    attempt.result = std::move(*answer);
    if (attempt.result.ok()) q.metrics.received += std::ssize(attempt.result->messages);
    return attempt;
  }
  // Messages to deliver need their data key (Decrypt); an empty receive asks
  // KMS nothing.
  if (q.store.visible() > 0) {
    if (Status s = UseKmsKey(q, kms::DataKeyUse::kDecrypt, Action::kReceiveMessage, now); !s.ok()) {
      attempt.result = std::move(s);
      return attempt;
    }
  }
  try {
    receive.FindRedriveTarget();
    if (q.fifo) {
      receive.DeliverFifo();
    } else {
      receive.DeliverStandard();
    }
    attempt.result = receive.Finish();
  } catch (...) {
    receive.ReturnUndelivered();
    throw;
  }
  q.metrics.received += std::ssize(attempt.result->messages);
  return attempt;
}

// Out of memory halfway through a receive: the messages chosen but not yet
// in flight are off the ready heap (or their FIFO groups out of the ready
// set); they go back, which allocates nothing (the room was made before
// they were taken). Messages already in flight or moved to the DLQ stay so,
// as after a receive whose response was lost; raised receive counts stay
// raised.
void Engine::Receive::ReturnUndelivered() {
  if (q.fifo) {
    q.fifo->index.Rebuild(q.store);
    return;
  }
  const auto put_back = [&](MessageRef ref) {
    const StoredMessage* m = q.store.Find(ref);
    if (m != nullptr && m->state == MessageState::kVisible) q.store.PutBack(ref);
  };
  for (MessageRef ref : chosen) put_back(ref);
  for (MessageRef ref : delivered) {
    if (std::find_if(chosen.begin(), chosen.end(), [&](MessageRef c) {
          return c.slot == ref.slot && c.generation == ref.generation;
        }) == chosen.end()) {
      put_back(ref);
    }
  }
}

std::optional<Result<ReceiveMessageResponse>> Engine::Receive::Admit(bool continuation) {
  if (attempt_id && !IsValidGroupOrDedupId(*r.receive_request_attempt_id)) {
    return InvalidValue(*r.receive_request_attempt_id, "ReceiveRequestAttemptId",
                        "ReceiveRequestAttemptId can only include alphanumeric and "
                        "punctuation characters. 1 to 128 in length.");
  }
  if (!continuation) {
    if (Status s = engine.ChargeThroughput(q, QuotaAction::kReceive, now); !s.ok()) return s;
  }
  engine.Settle(q, now);
  if (attempt_id) {
    if (auto replay = engine.ReplayAttempt(q, r, visibility, now)) return replay;
  }
  const SimulatorLimits& limits = engine.options_.limits;
  const size_t limit =
      static_cast<size_t>(q.fifo ? limits.max_inflight_fifo : limits.max_inflight_standard);
  if (q.store.in_flight() >= limit) {
    // SQS: OverLimit on a standard short poll; nothing, without an error, on
    // a long poll or a FIFO queue.
    if (!long_poll && !q.fifo) {
      return Status(ErrorCode::kOverLimit, "Too many messages in flight for queue " + q.name +
                                               ": limit " + std::to_string(limit) + ".");
    }
    return ReceiveMessageResponse{};
  }
  max = std::min(static_cast<size_t>(r.max_number_of_messages.value_or(1)),
                 limit - q.store.in_flight());
  return std::nullopt;
}

// The hand-off to the DLQ happens on the receive that would exceed
// maxReceiveCount. A message handed off takes none of the `max` slots: the
// receive goes on choosing until `max` are delivered or no candidate is left,
// so it never comes back empty while a message was deliverable.
void Engine::Receive::FindRedriveTarget() {
  if (!q.config.redrive_policy) return;
  dlq = engine.FindQueueByArn(q.config.redrive_policy->dead_letter_target_arn);
  if (dlq != nullptr && dlq != &q) {
    redrive_at = static_cast<uint32_t>(q.config.redrive_policy->max_receive_count);
  }
}

void Engine::Receive::DeliverFifo() {
  // The index skips the messages to redrive itself (a group's run goes on
  // past them), so one selection fills every slot it can.
  std::vector<MessageRef> redrive;
  const std::vector<MessageRef> chosen = q.fifo->index.Select(max, q.store, redrive_at, &redrive);
  for (MessageRef ref : redrive) engine.MoveToDeadLetterQueue(q, *dlq, ref, now);
  for (MessageRef ref : chosen) DeliverOne(ref);
}

void Engine::Receive::DeliverStandard() {
  // One server sample per receive. Messages chosen in an earlier round are
  // off the ready heap until they go in flight (Finish), so a later round
  // cannot choose them again.
  const uint32_t sampled = SampleServers();
  bool redrove = true;
  while (redrove && delivered.size() < max) {
    redrove = false;
    SelectStandard(max - delivered.size(), sampled);
    for (MessageRef ref : chosen) {
      if (q.store.Find(ref)->receive_count >= redrive_at) {
        engine.MoveToDeadLetterQueue(q, *dlq, ref, now);
        redrove = true;
      } else {
        DeliverOne(ref);
      }
    }
  }
}

uint32_t Engine::Receive::SampleServers() {
  const RealismOptions& realism = engine.options_.realism;
  // A short poll consults a random subset of the servers.
  uint32_t sampled = ~0u;
  if (!long_poll && realism.short_poll_sampling) {
    sampled = 0;
    for (int s = 0; s < realism.servers && s < 32; ++s) {
      if (engine.delivery_rng_->Bernoulli(realism.server_sample_probability)) sampled |= 1u << s;
    }
  }
  return sampled;
}

void Engine::Receive::SelectStandard(size_t want, uint32_t sampled) {
  const RealismOptions& realism = engine.options_.realism;
  // Fair queues: a tenant (MessageGroupId) is noisy when it holds more than
  // 10% of the queue's in-flight messages and at least 30 of its own. While
  // one is, receives prefer quiet tenants' messages; a noisy tenant's are
  // delivered only when no quiet message is found (delayed, never dropped).
  // Messages without a group are each their own tenant, never noisy.
  const size_t in_flight = q.store.in_flight();
  auto noisy = [&](uint32_t tenant) {
    if (tenant == 0) return false;
    const size_t own = q.store.in_flight_in_group(tenant);
    return own >= 30 && own * 10 > in_flight;
  };
  chosen.clear();
  std::vector<MessageRef>& passed_over = engine.passed_over_;
  std::vector<MessageRef>& deferred = engine.deferred_;  // noisy tenants' messages, in order
  passed_over.clear();
  deferred.clear();
  std::optional<size_t> first_reordered;  // index in passed_over
  const size_t scan_limit = want * 4 + 32;
  // Nothing below allocates once messages leave the heap: what is passed
  // over always goes back, and ReturnUndelivered can return the rest.
  chosen.reserve(scan_limit);
  passed_over.reserve(scan_limit);
  deferred.reserve(scan_limit);
  q.store.ReserveReady(scan_limit + 2 * max);
  for (size_t scanned = 0; chosen.size() < want && scanned < scan_limit; ++scanned) {
    std::optional<MessageRef> ref = q.store.PopReady();
    if (!ref) break;
    const StoredMessage& m = *q.store.Find(*ref);
    if ((sampled & (1u << (m.server % 32))) == 0) {
      passed_over.push_back(*ref);
      continue;
    }
    if (realism.reorder_probability > 0 &&
        engine.delivery_rng_->Bernoulli(realism.reorder_probability)) {
      if (!first_reordered) first_reordered = passed_over.size();
      passed_over.push_back(*ref);
      continue;
    }
    if (!q.tenants.empty() && noisy(m.group)) {
      deferred.push_back(*ref);
      continue;
    }
    chosen.push_back(*ref);
  }
  for (MessageRef ref : deferred) {
    (chosen.size() < want ? chosen : passed_over).push_back(ref);
  }
  // Reordering delays a message behind others; it must not leave a long poll
  // empty while that message is available (SQS: a long poll returns as soon
  // as a message is available), or the poll would wait out its whole time.
  if (long_poll && chosen.empty() && first_reordered) {
    chosen.push_back(passed_over[*first_reordered]);
    passed_over.erase(passed_over.begin() + static_cast<std::ptrdiff_t>(*first_reordered));
  }
  for (MessageRef ref : passed_over) q.store.PutBack(ref);
}

void Engine::Receive::DeliverOne(MessageRef ref) {
  StoredMessage& m = *q.store.Find(ref);
  ++m.receive_count;
  if (m.first_receive_us == 0) m.first_receive_us = Micros(now);
  m.receive_started_us = Micros(now);
  std::string handle = NewReceiptHandle(ref, m.receive_count);
  if (attempt_id) remembered.push_back({ref, m.receive_count, deadline_us, handle});
  // One allocation for the whole response rather than one per growth.
  if (response.messages.empty()) response.messages.reserve(max);
  engine.RenderMessage(q, m, std::move(handle), r, response.messages);
  engine.TraceMessage(TraceKind::kMessageDelivered, q, m, now, m.receive_count);
  if (engine.duplicate_faults_ && !q.fifo) RememberGhost(m, ref);
  delivered.push_back(ref);
}

std::string Engine::Receive::NewReceiptHandle(MessageRef ref, uint32_t receive_count) {
  return EncodeReceiptHandle({.queue_id = q.id,
                              .slot = ref.slot,
                              .generation = ref.generation,
                              .receive_count = receive_count,
                              .received_us = Micros(now),
                              .nonce = engine.handle_rng_->Next()},
                             engine.handle_secret_);
}

void Engine::Receive::RememberGhost(const StoredMessage& m, MessageRef ref) {
  constexpr size_t kGhosts = 32;
  q.ghosts.push_back({CopyMessage(m), ref});
  if (q.ghosts.size() > kGhosts) q.ghosts.pop_front();
}

ReceiveMessageResponse Engine::Receive::Finish() {
  // In flight only now: a zero timeout makes a message visible again at once,
  // and it must not come back twice in this response.
  for (MessageRef ref : delivered) q.store.SetInFlight(ref, Micros(now), deadline_us);
  engine.SyncFifo(q);
  if (visibility == 0 && !delivered.empty()) engine.Touch(q);
  if ((engine.duplicate_faults_ || engine.reorder_faults_) && !q.fifo) InjectDeliveryFaults();
  // An attempt that returned nothing is not cached (ElasticMQ's bug was to
  // cache it).
  if (attempt_id && !remembered.empty()) {
    q.fifo->attempts[*r.receive_request_attempt_id] = {now + kAttemptWindow, visibility,
                                                       std::move(remembered)};
  }
  return std::move(response);
}

void Engine::Receive::InjectDeliveryFaults() {
  // Every receive counts as a call of a kDuplicateDelivery rule; a firing
  // needs room in the batch (as requested, not `max`) and an earlier delivery
  // to copy, else it has no effect.
  const bool duplicate =
      engine.duplicate_faults_ && engine.injector_->Decide({FaultEffect::kDuplicateDelivery},
                                                           Action::kReceiveMessage, q.name, now);
  const size_t room = static_cast<size_t>(r.max_number_of_messages.value_or(1));
  if (duplicate && !q.ghosts.empty() && response.messages.size() < room) {
    // At-least-once: a copy of a message received earlier (maybe deleted
    // since) is delivered again.
    Queue::Ghost& chosen = q.ghosts[engine.delivery_rng_->Uniform(q.ghosts.size())];
    StoredMessage& ghost = chosen.copy;
    // A copy is a message like any other: under a redrive policy, SQS moves a
    // message whose receive count would pass maxReceiveCount to the
    // dead-letter queue instead of delivering it. The copy that reached the
    // limit is not delivered again (the original is redriven on its own).
    const bool past_redrive =
        q.config.redrive_policy &&
        static_cast<int64_t>(ghost.receive_count) >= q.config.redrive_policy->max_receive_count;
    if (!past_redrive) {
      ++ghost.receive_count;
      engine.RenderMessage(q, ghost, NewReceiptHandle(chosen.original, ghost.receive_count), r,
                           response.messages);
      engine.TraceMessage(TraceKind::kMessageDelivered, q, ghost, now, ghost.receive_count);
    }
  }
  if (engine.reorder_faults_ && response.messages.size() > 1 &&
      engine.injector_->Decide({FaultEffect::kReorder}, Action::kReceiveMessage, q.name, now)) {
    std::reverse(response.messages.begin(), response.messages.end());
  }
}

}  // namespace sqsim::internal
