// Engine: message actions (send, receive, delete, change visibility, and
// their batch forms) and the dead-letter hand-off that happens on receive.
// Rules: the AWS API Reference page of each action; AWS "Amazon SQS
// visibility timeout" (sqs-visibility-timeout.html), "Message metadata for
// Amazon SQS" (sqs-message-metadata.html), "Amazon SQS message quotas"
// (quotas-messages.html) and "Using dead-letter queues in Amazon SQS"
// (sqs-dead-letter-queues.html).

#include <algorithm>
#include <set>

#include "core/digest.h"
#include "sim/engine.h"
#include "sim/engine_errors.h"
#include "sim/receipt_handle.h"
#include "sim/validation.h"

namespace sqsim::internal {
namespace {

constexpr int kMaxBatchEntries = 10;
constexpr size_t kMaxBatchBytes = 1048576;
constexpr int64_t kMaxVisibilityUs = int64_t{43200} * 1000000;
constexpr int kMaxVisibilitySeconds = 43200;

Status InvalidHandle(std::string_view handle) {
  return Status(
      ErrorCode::kReceiptHandleIsInvalid,
      "The input receipt handle \"" + std::string(handle) + "\" is not a valid receipt handle.");
}

Status NotAvailableForVisibilityChange(std::string_view handle) {
  return InvalidValue(handle, "ReceiptHandle",
                      "Message does not exist or is not available for visibility timeout change.");
}

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

// The FIFO-only send rules. In a batch a missing group or deduplication id
// fails the whole request (InvalidParameterValue), so `in_batch` only picks
// the code for a missing group.
Status ValidateFifoSend(const Queue& q, const std::optional<std::string>& group_id,
                        const std::optional<std::string>& deduplication_id, bool in_batch) {
  if (!group_id) {
    return Status(in_batch ? ErrorCode::kInvalidParameterValue : ErrorCode::kMissingParameter,
                  "The request must contain the parameter MessageGroupId.");
  }
  if (deduplication_id && !IsValidGroupOrDedupId(*deduplication_id)) {
    return InvalidValue(*deduplication_id, "MessageDeduplicationId",
                        "MessageDeduplicationId can only include alphanumeric and punctuation "
                        "characters. 1 to 128 in length.");
  }
  if (!deduplication_id && !q.config.content_based_deduplication) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "The queue should either have ContentBasedDeduplication enabled or "
                  "MessageDeduplicationId provided explicitly");
  }
  return Status::Ok();
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
  if (!q.config.fifo) {
    if (in.deduplication_id) {
      return InvalidValue(*in.deduplication_id, "MessageDeduplicationId",
                          "The request include parameter that is not valid for this queue type.");
    }
    return Status::Ok();
  }
  if (Status s = ValidateFifoSend(q, in.group_id, in.deduplication_id, in_batch); !s.ok()) return s;
  return Status::Ok();
}

Result<SendMessageResponse> Engine::SendOne(Queue& q, const SendInput& in, Action action,
                                            Timestamp now) {
  StoredMessage m;
  m.id = NewMessageId();
  m.body = in.body;
  m.body_md5 = Md5(in.body);
  m.sent_us = Micros(now);
  m.server = static_cast<uint8_t>(m.id[15] % std::max(1, options_.realism.servers));
  if (!in.attributes.empty() || !in.system_attributes.empty() || in.group_id) {
    m.extras = std::make_unique<MessageExtras>();
    m.extras->attributes = in.attributes;
    m.extras->system_attributes = in.system_attributes;
    m.extras->group_id = in.group_id;
  }
  SendMessageResponse response;
  response.md5_of_message_body = HexEncode(m.body_md5.data(), m.body_md5.size());
  response.md5_of_message_attributes = Md5OfMessageAttributes(in.attributes);
  response.md5_of_message_system_attributes = Md5OfMessageAttributes(in.system_attributes);
  int delay = in.delay_seconds.value_or(q.config.delay_seconds);
  if (q.fifo) {
    // A FIFO queue's own delay applies to every message (per-message delays
    // other than 0 were rejected), and a duplicate inside the deduplication
    // window succeeds without being enqueued.
    delay = q.config.delay_seconds;
    const std::string dedup_id = *DeduplicationIdFor(q, in.body, in.deduplication_id);
    if (const FifoState::Deduplicated* original = FindDuplicate(q, *in.group_id, dedup_id, now)) {
      response.message_id = original->message_id;
      response.sequence_number = original->sequence_number;
      ++q.metrics.deduplicated;
      q.last_active_minute = ActiveMinute(now);
      TraceMessage(TraceKind::kDeduplicated, q, m, now, 0);
      return response;
    }
    AssignFifoIdentity(q, m, *in.group_id, dedup_id);
    response.sequence_number = m.extras->sequence_number;
  }
  response.message_id = FormatMessageId(m.id);
  AssignTenant(q, m);
  m.seq = q.next_seq++;
  int64_t visible_at = Micros(now) + int64_t{delay} * 1000000;
  if (delay_faults_) {
    // Fault: the message becomes visible late (a slow replica, in SQS terms).
    if (const FaultRule* rule =
            injector_->Decide({FaultEffect::kDelayVisibility}, action, q.name, now)) {
      visible_at += rule->latency.count();
    }
  }
  // The send is all or nothing when memory runs out (sqsim-server answers
  // 500 InternalFailure, which SDKs retry): everything above only prepared
  // or was harmless to leave (an id drawn, a counter moved on), the trace
  // has room for its event, and the deduplication record is taken back if
  // the message cannot be stored. A retry never finds a record of a message
  // that was not stored.
  trace_->Reserve(1);
  std::optional<FifoState::DedupEntry> remembered;
  if (q.fifo) {
    remembered = RememberDeduplication(q, *in.group_id, *m.extras->deduplication_id,
                                       response.message_id, *response.sequence_number, now);
  }
  const TraceEvent sent{.time = now,
                        .kind = TraceKind::kMessageSent,
                        .queue = q.trace_id,
                        .message_id = m.id,
                        .value = delay};
  try {
    Enqueue(q, std::move(m), now, visible_at);
  } catch (...) {
    if (remembered) ForgetDeduplication(q, *remembered);
    throw;
  }
  trace_->Append(sent);
  ++q.metrics.sent;
  q.metrics.AddSentSize(static_cast<double>(MessageSize(in.body, in.attributes)));
  q.last_active_minute = ActiveMinute(now);
  return response;
}

Status Engine::CheckCapacity(int64_t messages, int64_t bytes, Timestamp now) {
  const SimulatorLimits& limits = options_.limits;
  const auto fits = [&] {
    return (limits.max_stored_messages == 0 ||
            usage_.messages + messages <= limits.max_stored_messages) &&
           (limits.max_stored_bytes == 0 || usage_.bytes + bytes <= limits.max_stored_bytes);
  };
  if (fits()) return Status::Ok();
  // Queues drop expired messages lazily, when next used: count only what is
  // really still stored before refusing.
  for (auto& [name, q] : queues_) Settle(*q, now);
  if (limits.max_stored_messages > 0 && usage_.messages + messages > limits.max_stored_messages) {
    return Status(ErrorCode::kServiceUnavailable,
                  "The simulator holds its maximum of " +
                      std::to_string(limits.max_stored_messages) +
                      " messages (limits.max_stored_messages, sqsim-server --max-messages).");
  }
  if (limits.max_stored_bytes > 0 && usage_.bytes + bytes > limits.max_stored_bytes) {
    return Status(ErrorCode::kServiceUnavailable,
                  "The simulator holds its maximum of " + std::to_string(limits.max_stored_bytes) +
                      " bytes of messages (limits.max_stored_bytes, sqsim-server --max-bytes).");
  }
  return Status::Ok();
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
  if (Status s = UseKmsKey(q, kms::DataKeyUse::kGenerateDataKey, Action::kSendMessage, now);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckCapacity(1, static_cast<int64_t>(r.message_body.size()), now); !s.ok()) {
    return s;
  }
  if (Status s = ChargeThroughput(q, QuotaAction::kSend, now); !s.ok()) return s;
  Settle(q, now);
  return SendOne(q, in, Action::kSendMessage, now);
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
  // SQS encrypts the whole batch with one data key: a key that cannot be
  // used fails the request.
  if (Status s = UseKmsKey(q, kms::DataKeyUse::kGenerateDataKey, Action::kSendMessageBatch, now);
      !s.ok()) {
    return s;
  }
  // Refused whole when every entry would not fit (never half stored).
  int64_t body_bytes = 0;
  for (const SendMessageBatchRequestEntry& e : r.entries) body_bytes += e.message_body.size();
  if (Status s = CheckCapacity(static_cast<int64_t>(r.entries.size()), body_bytes, now); !s.ok()) {
    return s;
  }
  if (Status s = ChargeThroughput(q, QuotaAction::kSend, now); !s.ok()) return s;
  if (q.fifo) {
    // On FIFO queues a missing group or deduplication id fails the whole
    // batch, not just its entry (observed on AWS).
    for (const SendMessageBatchRequestEntry& e : r.entries) {
      if (!e.message_group_id ||
          (!e.message_deduplication_id && !q.config.content_based_deduplication)) {
        return ValidateFifoSend(q, e.message_group_id, e.message_deduplication_id, true);
      }
    }
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
    Result<SendMessageResponse> sent = SendOne(q, in, Action::kSendMessageBatch, now);
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

Status Engine::CheckHandle(Queue& q, const std::string& handle, Timestamp now, bool for_delete,
                           MessageRef* ref, bool* act) {
  *act = false;
  std::optional<ReceiptHandleFields> f = DecodeReceiptHandle(handle, handle_secret_);
  if (!f || f->queue_id != q.id) return InvalidHandle(handle);
  auto expired = [&handle] {
    return InvalidValue(handle, "ReceiptHandle", "The receipt handle has expired.");
  };
  if (Micros(now) - f->received_us > kMaxVisibilityUs) return expired();
  *ref = {f->slot, f->generation};
  const StoredMessage* m = q.store.Find(*ref);
  if (m == nullptr) return Status::Ok();  // already gone: nothing to act on
  const bool current = m->receive_count == f->receive_count;
  if (for_delete && q.fifo && !(current && m->state == MessageState::kInFlight)) {
    // FIFO: once the visibility timeout ran out (or the message was received
    // again) the handle is expired, so a slow consumer cannot delete a
    // message another consumer may now hold.
    return expired();
  }
  if (current) {
    *act = true;
  } else if (m->receive_count > f->receive_count) {
    // An older handle of a message received again since. On a FIFO queue
    // the message belongs to its current receiver. On a standard queue a
    // delete acts as `stale_receipt_handle_deletes` says, and a visibility
    // change acts on the message's current in-flight period (AWS accepted
    // such a change and applied it, in LocalStack's AWS-validated runs).
    if (!for_delete) {
      if (q.fifo) return NotAvailableForVisibilityChange(handle);
      *act = true;
    } else {
      *act = options_.stale_receipt_handle_deletes;
    }
  }
  return Status::Ok();
}

Status Engine::DeleteOne(Queue& q, const std::string& handle, Timestamp now, bool in_batch) {
  if (handle.empty()) return Missing("ReceiptHandle");
  MessageRef ref;
  bool act = false;
  if (Status s = CheckHandle(q, handle, now, /*for_delete=*/true, &ref, &act); !s.ok()) {
    // In a batch SQS reports an expired FIFO handle as ReceiptHandleIsInvalid
    // ("The receipt handle has expired"), alone it is InvalidParameterValue.
    if (in_batch && q.fifo && s.code() == ErrorCode::kInvalidParameterValue) {
      return Status(ErrorCode::kReceiptHandleIsInvalid, "The receipt handle has expired");
    }
    return s;
  }
  // Every deletion with a valid handle counts, repeated ones included (the
  // NumberOfMessagesDeleted metric's definition).
  ++q.metrics.deleted;
  q.last_active_minute = ActiveMinute(now);
  // Deleting with the handle of a message already deleted (or expired, or
  // purged) succeeds and does nothing, as on SQS.
  if (!act) return Status::Ok();
  // Standard queues delete even when the visibility timeout has expired, as
  // long as the message was not received again.
  StoredMessage m = q.store.Remove(ref);
  if (q.fifo) q.fifo->index.Refresh(m.group, q.store);
  TraceMessage(TraceKind::kMessageDeleted, q, m, now, 0);
  Touch(q);
  return Status::Ok();
}

Result<DeleteMessageResponse> Engine::DeleteMessage(const DeleteMessageRequest& r, Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (Status s = ChargeThroughput(q, QuotaAction::kDelete, now); !s.ok()) return s;
  Settle(q, now);
  if (Status s = DeleteOne(q, r.receipt_handle, now, /*in_batch=*/false); !s.ok()) return s;
  return DeleteMessageResponse{};
}

Result<DeleteMessageBatchResponse> Engine::DeleteMessageBatch(const DeleteMessageBatchRequest& r,
                                                              Timestamp now) {
  Result<Queue*> found = FindQueue(r.queue_url);
  if (!found.ok()) return found.status();
  Queue& q = **found;
  if (Status s = ValidateBatchShape(r.entries, "DeleteMessageBatchRequestEntry"); !s.ok()) return s;
  if (Status s = ChargeThroughput(q, QuotaAction::kDelete, now); !s.ok()) return s;
  Settle(q, now);
  DeleteMessageBatchResponse response;
  for (const DeleteMessageBatchRequestEntry& e : r.entries) {
    if (Status s = DeleteOne(q, e.receipt_handle, now, /*in_batch=*/true); !s.ok()) {
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
  SyncFifo(q);
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
