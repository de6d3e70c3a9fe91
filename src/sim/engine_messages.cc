// Engine: message actions (send, receive, delete, change visibility, and
// their batch forms) and the dead-letter hand-off that happens on receive.
// Rules: ../shared/SQS-SEMANTICS.md sections 2 (Messages), 5, 6, 7 and 9.2.

#include <algorithm>
#include <set>

#include "sim/digest.h"
#include "sim/engine.h"
#include "sim/receipt_handle.h"
#include "sim/validation.h"
#include "sqsim/clock.h"

namespace sqsim::internal {
namespace {

constexpr int kMaxBatchEntries = 10;
constexpr size_t kMaxBatchBytes = 1048576;
constexpr int64_t kMaxVisibilityUs = int64_t{43200} * 1000000;
constexpr int kMaxVisibilitySeconds = 43200;

Status Missing(std::string_view parameter) {
  return Status(ErrorCode::kMissingParameter,
                "The request must contain the parameter " + std::string(parameter) + ".");
}

Status InvalidValue(std::string_view value, std::string_view parameter, std::string_view reason) {
  return Status(ErrorCode::kInvalidParameterValue,
                "Value " + std::string(value) + " for parameter " + std::string(parameter) +
                    " is invalid. Reason: " + std::string(reason));
}

Status InvalidHandle(std::string_view handle) {
  return Status(
      ErrorCode::kReceiptHandleIsInvalid,
      "The input receipt handle \"" + std::string(handle) + "\" is not a valid receipt handle.");
}

Status NotAvailableForVisibilityChange(std::string_view handle) {
  return InvalidValue(handle, "ReceiptHandle",
                      "Message does not exist or is not available for visibility timeout change.");
}

int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }

// Checks the shape every batch request shares: 1..10 entries, well-formed
// and distinct ids. `entry_type` names the entry in the empty-batch message.
template <typename Entry>
Status ValidateBatchShape(const std::vector<Entry>& entries, std::string_view entry_type) {
  if (entries.empty()) {
    return Status(ErrorCode::kEmptyBatchRequest,
                  "There should be at least one " + std::string(entry_type) + " in the request.");
  }
  if (entries.size() > static_cast<size_t>(kMaxBatchEntries)) {
    return Status(ErrorCode::kTooManyEntriesInBatchRequest,
                  "Maximum number of entries per request are 10. You have sent " +
                      std::to_string(entries.size()) + ".");
  }
  std::set<std::string_view> seen;
  for (const Entry& e : entries) {
    if (!IsValidBatchEntryId(e.id)) {
      return Status(ErrorCode::kInvalidBatchEntryId,
                    "A batch entry id can only contain alphanumeric characters, hyphens and "
                    "underscores. It can be at most 80 letters long.");
    }
  }
  for (const Entry& e : entries) {
    if (!seen.insert(e.id).second) {
      return Status(ErrorCode::kBatchEntryIdsNotDistinct, "Id " + e.id + " repeated.");
    }
  }
  return Status::Ok();
}

BatchResultErrorEntry FailedEntry(const std::string& id, const Status& s) {
  return {.id = id,
          .sender_fault = s.sender_fault(),
          .code = std::string(s.query_code()),
          .message = s.message()};
}

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

}  // namespace

struct Engine::SendInput {
  const std::string& body;
  const std::optional<int>& delay_seconds;
  const MessageAttributeMap& attributes;
  const MessageAttributeMap& system_attributes;
  const std::optional<std::string>& deduplication_id;
  const std::optional<std::string>& group_id;
};

std::array<uint8_t, 16> Engine::NewMessageId() {
  std::array<uint8_t, 16> id;
  const uint64_t hi = id_rng_->Next();
  const uint64_t lo = id_rng_->Next();
  for (int i = 0; i < 8; ++i) {
    id[i] = static_cast<uint8_t>(hi >> (8 * i));
    id[8 + i] = static_cast<uint8_t>(lo >> (8 * i));
  }
  id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);  // UUID version 4
  id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return id;
}

std::string Engine::FormatMessageId(const std::array<uint8_t, 16>& id) const {
  return FormatUuid(id);
}

Status Engine::ValidateSend(const Queue& q, const SendInput& in, bool in_batch) const {
  if (in.body.empty()) return Missing("MessageBody");
  if (in.delay_seconds) {
    const int d = *in.delay_seconds;
    if (d < 0 || d > 900) {
      return InvalidValue(std::to_string(d), "DelaySeconds",
                          "DelaySeconds must be >= 0 and <= 900.");
    }
    if (q.config.fifo && d != 0) {
      return InvalidValue(std::to_string(d), "DelaySeconds",
                          "The request include parameter that is not valid for this queue type.");
    }
  }
  if (Status s = ValidateMessageAttributes(in.attributes); !s.ok()) return s;
  if (Status s = ValidateMessageSystemAttributes(in.system_attributes); !s.ok()) return s;
  if (!IsAllowedMessageText(in.body)) {
    return Status(ErrorCode::kInvalidMessageContents,
                  "Invalid binary character was found in the message body, the set of allowed "
                  "characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to "
                  "#x10FFFF");
  }
  if (MessageSize(in.body, in.attributes) > static_cast<size_t>(q.config.maximum_message_size)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  std::string(in_batch ? "One or more parameters cannot be validated."
                                       : "One or more parameters are invalid.") +
                      " Reason: Message must be shorter than " +
                      std::to_string(q.config.maximum_message_size) + " bytes.");
  }
  if (in.group_id && !IsValidGroupOrDedupId(*in.group_id)) {
    return InvalidValue(*in.group_id, "MessageGroupId",
                        "MessageGroupId can only include alphanumeric and punctuation characters. "
                        "1 to 128 in length.");
  }
  if (!q.config.fifo && in.deduplication_id) {
    return InvalidValue(*in.deduplication_id, "MessageDeduplicationId",
                        "The request include parameter that is not valid for this queue type.");
  }
  return Status::Ok();
}

Result<SendMessageResponse> Engine::SendOne(Queue& q, const SendInput& in, Timestamp now) {
  StoredMessage m;
  m.id = NewMessageId();
  m.body = in.body;
  m.body_md5 = Md5(in.body);
  m.sent_us = Micros(now);
  m.seq = q.next_seq++;
  m.server = static_cast<uint8_t>(m.id[15] % std::max(1, options_.realism.servers));
  if (!in.attributes.empty() || !in.system_attributes.empty() || in.group_id) {
    m.extras = std::make_unique<MessageExtras>();
    m.extras->attributes = in.attributes;
    m.extras->system_attributes = in.system_attributes;
    m.extras->group_id = in.group_id;
  }
  const int delay = in.delay_seconds.value_or(q.config.delay_seconds);
  SendMessageResponse response;
  response.md5_of_message_body = HexEncode(m.body_md5.data(), m.body_md5.size());
  response.md5_of_message_attributes = Md5OfMessageAttributes(in.attributes);
  response.md5_of_message_system_attributes = Md5OfMessageAttributes(in.system_attributes);
  response.message_id = FormatMessageId(m.id);
  TraceMessage(TraceKind::kMessageSent, q, m, now, delay);
  q.store.Insert(std::move(m), Micros(now), Micros(now) + int64_t{delay} * 1000000);
  Touch(q);
  return response;
}

Result<SendMessageResponse> Engine::SendMessage(const SendMessageRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  const SendInput in{r.message_body,
                     r.delay_seconds,
                     r.message_attributes,
                     r.message_system_attributes,
                     r.message_deduplication_id,
                     r.message_group_id};
  if (Status s = ValidateSend(q, in, /*in_batch=*/false); !s.ok()) return s;
  Settle(q, now);
  return SendOne(q, in, now);
}

Result<SendMessageBatchResponse> Engine::SendMessageBatch(const SendMessageBatchRequest& r,
                                                          Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (Status s = ValidateBatchShape(r.entries, "SendMessageBatchRequestEntry"); !s.ok()) return s;
  size_t total = 0;
  for (const SendMessageBatchRequestEntry& e : r.entries) {
    total += MessageSize(e.message_body, e.message_attributes);
  }
  if (total > kMaxBatchBytes) {
    return Status(ErrorCode::kBatchRequestTooLong,
                  "Batch requests cannot be longer than 1048576 bytes. You have sent " +
                      std::to_string(total) + " bytes.");
  }
  Settle(q, now);
  SendMessageBatchResponse response;
  for (const SendMessageBatchRequestEntry& e : r.entries) {
    const SendInput in{e.message_body,
                       e.delay_seconds,
                       e.message_attributes,
                       e.message_system_attributes,
                       e.message_deduplication_id,
                       e.message_group_id};
    if (Status s = ValidateSend(q, in, /*in_batch=*/true); !s.ok()) {
      response.failed.push_back(FailedEntry(e.id, s));
      continue;
    }
    Result<SendMessageResponse> sent = SendOne(q, in, now);
    if (!sent.ok()) {
      response.failed.push_back(FailedEntry(e.id, sent.status()));
      continue;
    }
    response.successful.push_back(
        {.id = e.id,
         .message_id = std::move(sent->message_id),
         .md5_of_message_body = std::move(sent->md5_of_message_body),
         .md5_of_message_attributes = sent->md5_of_message_attributes,
         .md5_of_message_system_attributes = sent->md5_of_message_system_attributes,
         .sequence_number = sent->sequence_number});
  }
  return response;
}

Message Engine::RenderMessage(const Queue& q, const StoredMessage& m, const std::string& handle,
                              const ReceiveMessageRequest& r) const {
  (void)q;
  Message out;
  out.message_id = FormatMessageId(m.id);
  out.receipt_handle = handle;
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
      if (auto it = m.extras->system_attributes.find("AWSTraceHeader");
          it != m.extras->system_attributes.end() && it->second.string_value) {
        add("AWSTraceHeader", *it->second.string_value);
      }
      if (m.extras->group_id) add("MessageGroupId", *m.extras->group_id);
      if (m.extras->dead_letter_source_arn) {
        add("DeadLetterQueueSourceArn", *m.extras->dead_letter_source_arn);
      }
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
  return out;
}

void Engine::MoveToDeadLetterQueue(Queue& source, Queue& dlq, MessageRef ref, Timestamp now) {
  StoredMessage m = source.store.Remove(ref);
  TraceMessage(TraceKind::kMovedToDeadLetter, source, m, now, m.receive_count);
  if (!m.extras) m.extras = std::make_unique<MessageExtras>();
  m.extras->dead_letter_source_arn = source.arn;
  // Standard queues keep the original enqueue time, so retention still counts
  // from the first send (SQS docs, "setting-up-dead-letter-queue-retention").
  m.seq = dlq.next_seq++;
  m.state = MessageState::kFree;
  Settle(dlq, now);
  dlq.store.Insert(std::move(m), Micros(now), Micros(now));
  Touch(dlq);
}

ReceiveAttempt Engine::ReceiveMessage(const ReceiveMessageRequest& r, Timestamp now) {
  ReceiveAttempt attempt;
  auto fail = [&](Status s) {
    attempt.result = std::move(s);
    return std::move(attempt);
  };
  if (r.max_number_of_messages &&
      (*r.max_number_of_messages < 1 || *r.max_number_of_messages > 10)) {
    return fail(InvalidValue(std::to_string(*r.max_number_of_messages), "MaxNumberOfMessages",
                             "Must be between 1 and 10, if provided."));
  }
  if (r.visibility_timeout &&
      (*r.visibility_timeout < 0 || *r.visibility_timeout > kMaxVisibilitySeconds)) {
    return fail(InvalidValue(std::to_string(*r.visibility_timeout), "VisibilityTimeout",
                             "Must be >= 0 and <= 43200, if provided."));
  }
  if (r.wait_time_seconds && (*r.wait_time_seconds < 0 || *r.wait_time_seconds > 20)) {
    return fail(InvalidValue(std::to_string(*r.wait_time_seconds), "WaitTimeSeconds",
                             "Must be >= 0 and <= 20, if provided."));
  }
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return fail(found.status());
  Queue& q = **found;
  attempt.queue_id = q.id;
  attempt.wait_seconds = r.wait_time_seconds.value_or(q.config.receive_message_wait_time_seconds);
  const bool long_poll = attempt.wait_seconds > 0;
  Settle(q, now);

  const size_t limit = static_cast<size_t>(std::max(0, options_.limits.max_inflight_standard));
  if (q.store.in_flight() >= limit) {
    if (long_poll) return attempt;  // SQS: no error on a long poll, just nothing
    return fail(Status(ErrorCode::kOverLimit, "Too many messages in flight for queue " + q.name +
                                                  ": limit " + std::to_string(limit) + "."));
  }
  const size_t max = static_cast<size_t>(r.max_number_of_messages.value_or(1));
  const int visibility = r.visibility_timeout.value_or(q.config.visibility_timeout);
  const RealismOptions& realism = options_.realism;

  // A short poll consults a random subset of the servers.
  uint32_t sampled = ~0u;
  if (!long_poll && realism.short_poll_sampling) {
    sampled = 0;
    for (int s = 0; s < realism.servers && s < 32; ++s) {
      if (delivery_rng_->Bernoulli(realism.server_sample_probability)) sampled |= 1u << s;
    }
  }
  Queue* dlq = nullptr;
  if (q.config.redrive_policy)
    dlq = FindQueueByArn(q.config.redrive_policy->dead_letter_target_arn);

  std::vector<MessageRef> delivered;
  std::vector<MessageRef> passed_over;
  const size_t scan_limit = max * 4 + 32;
  for (size_t scanned = 0; delivered.size() < max && scanned < scan_limit &&
                           q.store.in_flight() + delivered.size() < limit;
       ++scanned) {
    std::optional<MessageRef> ref = q.store.PopReady();
    if (!ref) break;
    StoredMessage& m = *q.store.Find(*ref);
    if ((sampled & (1u << (m.server % 32))) == 0 ||
        (realism.reorder_probability > 0 &&
         delivery_rng_->Bernoulli(realism.reorder_probability))) {
      passed_over.push_back(*ref);
      continue;
    }
    // The hand-off happens on the receive that would exceed maxReceiveCount.
    if (dlq != nullptr && dlq != &q &&
        m.receive_count >= static_cast<uint32_t>(q.config.redrive_policy->max_receive_count)) {
      MoveToDeadLetterQueue(q, *dlq, *ref, now);
      continue;
    }
    delivered.push_back(*ref);
  }
  for (MessageRef ref : passed_over) q.store.PutBack(ref);

  ReceiveMessageResponse response;
  response.messages.reserve(delivered.size());
  for (MessageRef ref : delivered) {
    StoredMessage& m = *q.store.Find(ref);
    ++m.receive_count;
    if (m.first_receive_us == 0) m.first_receive_us = Micros(now);
    m.receive_started_us = Micros(now);
    const std::string handle = EncodeReceiptHandle({.queue_id = q.id,
                                                    .slot = ref.slot,
                                                    .generation = ref.generation,
                                                    .receive_count = m.receive_count,
                                                    .received_us = Micros(now),
                                                    .nonce = handle_rng_->Next()},
                                                   handle_secret_);
    response.messages.push_back(RenderMessage(q, m, handle, r));
    TraceMessage(TraceKind::kMessageDelivered, q, m, now, m.receive_count);
    // After rendering: a zero timeout makes the message visible again at once,
    // and it must not come back twice in this response.
    q.store.SetInFlight(ref, Micros(now), Micros(now) + int64_t{visibility} * 1000000);
  }
  if (visibility == 0 && !delivered.empty()) Touch(q);
  attempt.result = std::move(response);
  return attempt;
}

Status Engine::CheckHandle(Queue& q, const std::string& handle, Timestamp now, bool for_delete,
                           MessageRef* ref, bool* act) {
  (void)for_delete;
  *act = false;
  std::optional<ReceiptHandleFields> f = DecodeReceiptHandle(handle, handle_secret_);
  if (!f || f->queue_id != q.id) return InvalidHandle(handle);
  if (Micros(now) - f->received_us > kMaxVisibilityUs) {
    return InvalidValue(handle, "ReceiptHandle", "The receipt handle has expired.");
  }
  *ref = {f->slot, f->generation};
  const StoredMessage* m = q.store.Find(*ref);
  if (m == nullptr) return Status::Ok();  // already gone: nothing to act on
  if (m->receive_count == f->receive_count) {
    *act = true;
  } else if (m->receive_count > f->receive_count) {
    // An older handle of a message received again since.
    *act = for_delete && options_.stale_receipt_handle_deletes;
    if (!for_delete) return NotAvailableForVisibilityChange(handle);
  }
  return Status::Ok();
}

Status Engine::DeleteOne(Queue& q, const std::string& handle, Timestamp now) {
  if (handle.empty()) return Missing("ReceiptHandle");
  MessageRef ref;
  bool act = false;
  if (Status s = CheckHandle(q, handle, now, /*for_delete=*/true, &ref, &act); !s.ok()) return s;
  // Deleting with the handle of a message already deleted (or expired, or
  // purged) succeeds and does nothing, as on SQS.
  if (!act) return Status::Ok();
  // Standard queues delete even when the visibility timeout has expired, as
  // long as the message was not received again.
  StoredMessage m = q.store.Remove(ref);
  TraceMessage(TraceKind::kMessageDeleted, q, m, now, 0);
  Touch(q);
  return Status::Ok();
}

Result<DeleteMessageResponse> Engine::DeleteMessage(const DeleteMessageRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  Settle(q, now);
  if (Status s = DeleteOne(q, r.receipt_handle, now); !s.ok()) return s;
  return DeleteMessageResponse{};
}

Result<DeleteMessageBatchResponse> Engine::DeleteMessageBatch(const DeleteMessageBatchRequest& r,
                                                              Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (Status s = ValidateBatchShape(r.entries, "DeleteMessageBatchRequestEntry"); !s.ok()) return s;
  Settle(q, now);
  DeleteMessageBatchResponse response;
  for (const DeleteMessageBatchRequestEntry& e : r.entries) {
    if (Status s = DeleteOne(q, e.receipt_handle, now); !s.ok()) {
      response.failed.push_back(FailedEntry(e.id, s));
    } else {
      response.successful.push_back({e.id});
    }
  }
  return response;
}

Status Engine::ChangeVisibilityOne(Queue& q, const std::string& handle, int timeout,
                                   Timestamp now) {
  if (handle.empty()) return Missing("ReceiptHandle");
  if (timeout < 0 || timeout > kMaxVisibilitySeconds) {
    return InvalidValue(std::to_string(timeout), "VisibilityTimeout", "Must be >= 0 and <= 43200.");
  }
  MessageRef ref;
  bool act = false;
  if (Status s = CheckHandle(q, handle, now, /*for_delete=*/false, &ref, &act); !s.ok()) return s;
  StoredMessage* m = q.store.Find(ref);
  if (m == nullptr) return NotAvailableForVisibilityChange(handle);
  if (!act || m->state != MessageState::kInFlight) {
    // Visibility already expired and nobody received the message since: SQS
    // answers 200 and the message stays visible.
    return Status::Ok();
  }
  const int64_t deadline = Micros(now) + int64_t{timeout} * 1000000;
  if (deadline > m->receive_started_us + kMaxVisibilityUs) {
    return InvalidValue(std::to_string(timeout), "VisibilityTimeout",
                        "Total VisibilityTimeout for the message is beyond the limit [43200 "
                        "seconds]");
  }
  q.store.SetInFlight(ref, Micros(now), deadline);
  TraceMessage(TraceKind::kVisibilityChanged, q, *m, now, timeout);
  Touch(q);
  return Status::Ok();
}

Result<ChangeMessageVisibilityResponse> Engine::ChangeMessageVisibility(
    const ChangeMessageVisibilityRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  Settle(q, now);
  if (Status s = ChangeVisibilityOne(q, r.receipt_handle, r.visibility_timeout, now); !s.ok()) {
    return s;
  }
  return ChangeMessageVisibilityResponse{};
}

Result<ChangeMessageVisibilityBatchResponse> Engine::ChangeMessageVisibilityBatch(
    const ChangeMessageVisibilityBatchRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (Status s = ValidateBatchShape(r.entries, "ChangeMessageVisibilityBatchRequestEntry");
      !s.ok()) {
    return s;
  }
  Settle(q, now);
  ChangeMessageVisibilityBatchResponse response;
  for (const ChangeMessageVisibilityBatchRequestEntry& e : r.entries) {
    // The model makes VisibilityTimeout optional per entry; SQS's behaviour
    // without it is undocumented, so the entry fails as a missing parameter.
    Status s = e.visibility_timeout
                   ? ChangeVisibilityOne(q, e.receipt_handle, *e.visibility_timeout, now)
                   : Missing("VisibilityTimeout");
    if (!s.ok()) {
      response.failed.push_back(FailedEntry(e.id, s));
    } else {
      response.successful.push_back({e.id});
    }
  }
  return response;
}

}  // namespace sqsim::internal
