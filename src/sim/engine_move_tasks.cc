// Engine: message move tasks (the DLQ redrive API): StartMessageMoveTask,
// ListMessageMoveTasks, CancelMessageMoveTask, and the progress of running
// tasks in virtual time. Rules: the AWS API Reference pages of those three
// actions and AWS "Learn how to configure a dead-letter queue redrive in
// Amazon SQS" (sqs-configure-dead-letter-queue-redrive.html).
//
// A task moves the source's visible messages oldest first, one every
// 1/rate seconds of virtual time (rate = MaxNumberOfMessagesPerSecond, or 500,
// SQS's maximum, when the caller leaves it to SQS). Progress is applied
// lazily: before every engine call, each running task moves the messages
// whose turn has come. Moved messages are new messages at the destination:
// new MessageId, new SentTimestamp, receive count 0.

#include <algorithm>

#include "core/digest.h"
#include "sim/engine.h"
#include "sim/engine_errors.h"

namespace sqsim::internal {
namespace {

constexpr int kDefaultMovesPerSecond = 500;
constexpr int kMaxMovesPerSecond = 500;
constexpr auto kCancelGrace = std::chrono::seconds(1);

Status SourceNotFound() {
  return Status(ErrorCode::kResourceNotFoundException,
                "The resource that you specified for the SourceArn parameter doesn't exist.");
}

std::string EncodeTaskHandle(const std::string& task_id, const std::string& source_arn) {
  return Base64Encode("{\"taskId\":\"" + task_id + "\",\"sourceArn\":\"" + source_arn + "\"}");
}

// Extracts the two fields EncodeTaskHandle writes; nullopt for anything else.
std::optional<std::pair<std::string, std::string>> DecodeTaskHandle(const std::string& handle) {
  std::optional<std::string> text = Base64Decode(handle);
  if (!text) return std::nullopt;
  constexpr std::string_view kHead = "{\"taskId\":\"";
  constexpr std::string_view kMiddle = "\",\"sourceArn\":\"";
  constexpr std::string_view kTail = "\"}";
  if (!text->starts_with(kHead) || !text->ends_with(kTail)) return std::nullopt;
  const size_t middle = text->find(kMiddle, kHead.size());
  if (middle == std::string::npos) return std::nullopt;
  std::string id = text->substr(kHead.size(), middle - kHead.size());
  const size_t arn_start = middle + kMiddle.size();
  if (arn_start > text->size() - kTail.size()) return std::nullopt;
  std::string arn = text->substr(arn_start, text->size() - kTail.size() - arn_start);
  if (id.empty() || arn.empty()) return std::nullopt;
  return std::make_pair(std::move(id), std::move(arn));
}

Duration MoveInterval(const MoveTask& task) {
  return Duration(1000000 / task.max_per_second.value_or(kDefaultMovesPerSecond));
}

}  // namespace

void Engine::AdvanceMoveTasks(Timestamp now) {
  for (MoveTask& task : move_tasks_) {
    if (task.status == "RUNNING" || task.status == "CANCELLING") AdvanceMoveTask(task, now);
  }
}

void Engine::AdvanceMoveTask(MoveTask& task, Timestamp now) {
  auto finish = [&](std::string status, std::optional<std::string> reason = std::nullopt) {
    task.status = std::move(status);
    task.failure_reason = std::move(reason);
  };
  auto source_it = queues_by_id_.find(task.source_queue_id);
  if (source_it == queues_by_id_.end()) {
    return finish("FAILED", "AWS.SimpleQueueService.NonExistentQueue");
  }
  Queue& source = *source_it->second;
  const Duration interval = MoveInterval(task);
  while (task.moved < task.to_move && !task.exhausted) {
    const Timestamp at = task.started + interval * (task.moved + 1);
    if (task.status == "CANCELLING" && at > task.cancelled_at + kCancelGrace) break;
    if (at > now) return;
    Settle(source, at);
    // All or nothing when memory runs out: room is made for returning the
    // message and for the trace first, a copy is stored in the target, and
    // only then does the source give the message up (which allocates nothing).
    if (source.fifo) {
      source.fifo->index.ReserveReady(1);
    } else {
      source.store.ReserveReady(1);
    }
    trace_->Reserve(2);
    std::optional<MessageRef> ref;
    if (source.fifo) {
      std::vector<MessageRef> head = source.fifo->index.Select(1, source.store);
      if (!head.empty()) ref = head.front();
    } else {
      ref = source.store.PopReady();
    }
    if (!ref) {  // nothing visible left to move
      task.exhausted = true;
      break;
    }
    StoredMessage* m = source.store.Find(*ref);
    const auto put_back = [&] {  // allocates nothing: room reserved above
      if (source.fifo) {
        source.fifo->index.Refresh(m->group, source.store);
      } else {
        source.store.PutBack(*ref);
      }
    };
    Queue* target = nullptr;
    try {
      const std::optional<std::string>& original =
          m->extras ? m->extras->dead_letter_source_arn : std::nullopt;
      target = FindQueueByArn(task.destination_arn.value_or(original.value_or("")));
    } catch (...) {
      put_back();
      throw;
    }
    if (target == nullptr) {
      // A failed move leaves the message where it was: back on the ready
      // heap, or (FIFO) its group back in the index's ready set, which
      // Select took it out of.
      put_back();
      return finish("FAILED", "AWS.SimpleQueueService.NonExistentQueue");
    }
    TraceEvent deleted{.time = at, .kind = TraceKind::kMessageDeleted, .queue = source.trace_id};
    TraceEvent sent{.time = at, .kind = TraceKind::kMessageSent, .queue = target->trace_id};
    try {
      StoredMessage fresh;
      fresh.id = NewMessageId();
      fresh.body = m->body;
      fresh.body_md5 = m->body_md5;
      if (m->extras) {
        fresh.extras = std::make_unique<MessageExtras>(*m->extras);
        fresh.extras->dead_letter_source_arn.reset();
      }
      fresh.sent_us = Micros(at);
      fresh.seq = target->next_seq++;
      fresh.server = static_cast<uint8_t>(fresh.id[15] % std::max(1, options_.realism.servers));
      Settle(*target, at);
      if (target->fifo) {
        // A new FIFO message in its original group; its id deduplicates it.
        const std::string group =
            fresh.extras && fresh.extras->group_id ? *fresh.extras->group_id : "";
        AssignFifoIdentity(*target, fresh, group, FormatMessageId(fresh.id));
      }
      AssignTenant(*target, fresh);
      const int delay = target->config.delay_seconds;
      deleted.message_id = m->id;
      sent.message_id = fresh.id;
      sent.value = delay;
      Enqueue(*target, std::move(fresh), at, Micros(at) + int64_t{delay} * 1000000);
    } catch (...) {
      put_back();
      throw;
    }
    const uint32_t group = source.store.Remove(*ref).group;
    if (source.fifo) source.fifo->index.Refresh(group, source.store);
    trace_->Append(deleted);
    trace_->Append(sent);
    ++task.moved;
  }
  if (task.status == "CANCELLING") {
    if (now >= task.cancelled_at + kCancelGrace) finish("CANCELLED");
    return;
  }
  finish("COMPLETED");
}

std::optional<Timestamp> Engine::NextMoveInto(uint32_t queue_id) const {
  std::optional<Timestamp> next;
  auto it = queues_by_id_.find(queue_id);
  if (it == queues_by_id_.end()) return next;
  const std::string& arn = it->second->arn;
  for (const MoveTask& task : move_tasks_) {
    if (task.status != "RUNNING" && task.status != "CANCELLING") continue;
    // Without a destination a task may deliver into any source queue.
    if (task.destination_arn && *task.destination_arn != arn) continue;
    if (task.exhausted || task.moved >= task.to_move) continue;  // moves no more
    const Timestamp at = task.started + MoveInterval(task) * (task.moved + 1);
    // A cancelling task moves nothing after its grace second. (Without this
    // a cancelled task reported a move in the past, and a long poll waiting
    // for it woke at the same instant for ever.)
    if (task.status == "CANCELLING" && at > task.cancelled_at + kCancelGrace) continue;
    if (!next || at < *next) next = at;
  }
  return next;
}

Result<StartMessageMoveTaskResponse> Engine::StartMessageMoveTask(
    const StartMessageMoveTaskRequest& r, Timestamp now) {
  if (r.source_arn.empty()) {
    return Status(ErrorCode::kMissingParameter,
                  "The request must contain the parameter SourceArn.");
  }
  Queue* source = FindQueueByArn(r.source_arn);
  if (source == nullptr) return SourceNotFound();
  const bool is_dlq = std::any_of(queues_.begin(), queues_.end(), [&](const auto& entry) {
    const QueueConfig& c = entry.second->config;
    return c.redrive_policy && c.redrive_policy->dead_letter_target_arn == source->arn;
  });
  if (!is_dlq) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Source queue must be configured as a Dead Letter Queue.");
  }
  if (r.destination_arn) {
    Queue* destination = FindQueueByArn(*r.destination_arn);
    if (destination == nullptr) {
      return Status(ErrorCode::kResourceNotFoundException,
                    "The resource that you specified for the DestinationArn parameter doesn't "
                    "exist.");
    }
    if (destination->config.fifo != source->config.fifo) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "The source queue and the destination queue must be of the same type.");
    }
  }
  if (r.max_number_of_messages_per_second &&
      (*r.max_number_of_messages_per_second < 1 ||
       *r.max_number_of_messages_per_second > kMaxMovesPerSecond)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value " + std::to_string(*r.max_number_of_messages_per_second) +
                      " for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be "
                      "between 1 and 500.");
  }
  for (const MoveTask& task : move_tasks_) {
    if (task.source_queue_id == source->id &&
        (task.status == "RUNNING" || task.status == "CANCELLING")) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "There is already a task running. Only one active task is allowed for a "
                    "source queue arn at a given time.");
    }
  }
  Settle(*source, now);
  MoveTask task;
  task.task_id = FormatUuid(NewMessageId());
  task.handle = EncodeTaskHandle(task.task_id, source->arn);
  task.source_queue_id = source->id;
  task.source_arn = source->arn;
  task.destination_arn = r.destination_arn;
  task.max_per_second = r.max_number_of_messages_per_second;
  task.to_move = static_cast<int64_t>(source->store.visible());
  task.started = now;
  if (task.to_move == 0) task.status = "COMPLETED";
  StartMessageMoveTaskResponse response{task.handle};
  move_tasks_.push_back(std::move(task));
  return response;
}

std::optional<std::string> Engine::MoveTaskSourceArn(const std::string& task_handle) {
  std::optional<std::pair<std::string, std::string>> decoded = DecodeTaskHandle(task_handle);
  if (!decoded) return std::nullopt;
  return std::move(decoded->second);
}

Result<CancelMessageMoveTaskResponse> Engine::CancelMessageMoveTask(
    const CancelMessageMoveTaskRequest& r, Timestamp now) {
  if (r.task_handle.empty()) {
    return Status(ErrorCode::kMissingParameter,
                  "The request must contain the parameter TaskHandle.");
  }
  std::optional<std::pair<std::string, std::string>> decoded = DecodeTaskHandle(r.task_handle);
  if (!decoded) {
    return Status(ErrorCode::kInvalidParameterValue, "Value for parameter TaskHandle is invalid.");
  }
  if (FindQueueByArn(decoded->second) == nullptr) return SourceNotFound();
  for (MoveTask& task : move_tasks_) {
    if (task.task_id != decoded->first) continue;
    if (task.status != "RUNNING") {
      return Status(ErrorCode::kResourceNotFoundException, "Task does not exist.");
    }
    task.status = "CANCELLING";
    task.cancelled_at = now;
    return CancelMessageMoveTaskResponse{task.moved};
  }
  return Status(ErrorCode::kResourceNotFoundException, "Task does not exist.");
}

Result<ListMessageMoveTasksResponse> Engine::ListMessageMoveTasks(
    const ListMessageMoveTasksRequest& r, Timestamp) {
  if (r.source_arn.empty()) {
    return Status(ErrorCode::kMissingParameter,
                  "The request must contain the parameter SourceArn.");
  }
  Queue* source = FindQueueByArn(r.source_arn);
  if (source == nullptr) return SourceNotFound();
  if (r.max_results && (*r.max_results < 1 || *r.max_results > 10)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "Value " + std::to_string(*r.max_results) +
                      " for parameter MaxResults is invalid. Reason: Must be between 1 and 10.");
  }
  const size_t limit = static_cast<size_t>(r.max_results.value_or(1));
  ListMessageMoveTasksResponse response;
  for (auto it = move_tasks_.rbegin(); it != move_tasks_.rend() && response.results.size() < limit;
       ++it) {
    if (it->source_queue_id != source->id) continue;
    ListMessageMoveTasksResultEntry e;
    if (it->status == "RUNNING") e.task_handle = it->handle;
    e.status = it->status;
    e.source_arn = it->source_arn;
    e.destination_arn = it->destination_arn;
    e.max_number_of_messages_per_second = it->max_per_second;
    e.approximate_number_of_messages_moved = it->moved;
    e.approximate_number_of_messages_to_move = it->to_move;
    e.failure_reason = it->failure_reason;
    e.started_timestamp = ToEpochMillis(it->started);
    response.results.push_back(std::move(e));
  }
  return response;
}

}  // namespace sqsim::internal
