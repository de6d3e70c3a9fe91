// Engine: the SQS semantics, as plain synchronous code.
//
// Requests in, results out, given the current virtual time. The engine knows
// nothing about Asio, sockets, JSON on the wire or waiting: a long poll that
// finds nothing returns empty together with how long the caller may wait,
// and the simulator decides when to ask again. This keeps the engine fast,
// easy to test, and reusable by the simulator, the server and the benches.
//
// Every random choice draws from Rng streams forked from the seed; queues
// are kept in ordered maps; nothing reads a real clock.
//
// Thread safety: none; one thread drives an engine.

#ifndef SQSIM_SIM_ENGINE_H_
#define SQSIM_SIM_ENGINE_H_

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/fifo_index.h"
#include "sim/message_store.h"
#include "sim/queue_config.h"
#include "sim/queue_metrics.h"
#include "sqsim/kms.h"
#include "sqsim/options.h"
#include "sqsim/random.h"
#include "sqsim/requests.h"
#include "sqsim/trace.h"

namespace sqsim::internal {

// What only FIFO queues have: groups, the deduplication window, the
// ReceiveRequestAttemptId cache and the sequence-number counter.
struct FifoState {
  FifoIndex index;
  struct Deduplicated {
    Timestamp expires;
    std::string message_id;
    std::string sequence_number;
  };
  std::map<std::string, Deduplicated> dedup;  // key: [group "\n"] dedup id
  using DedupEntry = std::map<std::string, Deduplicated>::iterator;
  std::deque<std::pair<Timestamp, std::string>> dedup_expiry;  // insertion order
  struct AttemptMessage {
    MessageRef ref;
    uint32_t receive_count = 0;
    int64_t deadline_us = 0;
    std::string handle;
  };
  struct Attempt {
    Timestamp expires;
    int visibility_seconds = 0;
    std::vector<AttemptMessage> messages;
  };
  std::map<std::string, Attempt> attempts;
  uint64_t next_sequence = 1;
  // Throughput quota token buckets: send, receive, delete.
  struct Bucket {
    double tokens = -1;  // < 0: not yet used (starts full)
    Timestamp refilled;
  };
  Bucket buckets[3];
};

// The FIFO actions with a throughput quota.
enum class QuotaAction { kSend = 0, kReceive = 1, kDelete = 2 };

struct Queue {
  explicit Queue(bool fifo_queue) : store(fifo_queue) {}

  uint32_t id = 0;        // incarnation: unique per CreateQueue in this engine
  uint32_t trace_id = 0;  // index of the name in the trace
  std::string name;
  std::string url;
  std::string arn;
  QueueConfig config;
  Timestamp created;
  Timestamp last_modified;
  TagMap tags;
  std::optional<Timestamp> last_purge;
  MessageStore store;
  std::unique_ptr<FifoState> fifo;  // FIFO queues only
  // Standard queues: MessageGroupId (fair-queue tenant) -> index from 1.
  std::map<std::string, uint32_t> tenants;
  // Standard queues under a kDuplicateDelivery fault plan: copies of recently
  // delivered messages, which a duplicate delivery returns again, with where
  // the original lives (so that a duplicate's receipt handle acts on it while
  // it exists: SQS duplicates are copies of the same message).
  struct Ghost {
    StoredMessage copy;
    MessageRef original;
  };
  std::deque<Ghost> ghosts;
  uint64_t next_seq = 1;
  // Queue metrics: this minute's counts, and the minute of the creation or
  // last send, receive or delete (a queue reports while active).
  MinuteCounts metrics;
  int64_t last_active_minute = std::numeric_limits<int64_t>::min() / 2;
};

// A message move task (StartMessageMoveTask): moves messages out of a
// dead-letter queue at a bounded rate, in virtual time.
struct MoveTask {
  std::string task_id;
  std::string handle;
  uint32_t source_queue_id = 0;
  std::string source_arn;
  std::optional<std::string> destination_arn;
  std::optional<int> max_per_second;
  std::string status = "RUNNING";
  int64_t moved = 0;
  int64_t to_move = 0;
  // A move found nothing visible to move: a running task completes; a
  // cancelling one moves no more and ends when its grace second does.
  bool exhausted = false;
  std::optional<std::string> failure_reason;
  Timestamp started;
  Timestamp cancelled_at;
};

// The outcome of one ReceiveMessage attempt.
struct ReceiveAttempt {
  Result<ReceiveMessageResponse> result = ReceiveMessageResponse{};
  // Effective WaitTimeSeconds when `result` is OK; a long poll that returned
  // nothing may be retried until then.
  int wait_seconds = 0;
  uint32_t queue_id = 0;
};

// What the engine asks before it encrypts or decrypts messages of an SSE-KMS
// queue (a queue with KmsMasterKeyId): OK, or the Kms* error the call fails
// with. The host implements it (host/kms_gate.h); without one, keys are not
// modelled and every SSE-KMS call succeeds.
class KmsGate {
 public:
  virtual ~KmsGate() = default;
  virtual Status UseKey(const Queue& q, kms::DataKeyUse use, Action action, Timestamp now) = 0;
};

class Engine {
 public:
  // `options`, `trace` and `injector` (may be null: no delivery faults) must
  // outlive the engine.
  Engine(const SimulatorOptions& options, Trace* trace, FaultInjector* injector);
  ~Engine();

  Result<CreateQueueResponse> CreateQueue(const CreateQueueRequest& r, Timestamp now);
  Result<GetQueueUrlResponse> GetQueueUrl(const GetQueueUrlRequest& r, Timestamp now);
  Result<ListQueuesResponse> ListQueues(const ListQueuesRequest& r, Timestamp now);
  Result<DeleteQueueResponse> DeleteQueue(const DeleteQueueRequest& r, Timestamp now);
  Result<GetQueueAttributesResponse> GetQueueAttributes(const GetQueueAttributesRequest& r,
                                                        Timestamp now);
  Result<SetQueueAttributesResponse> SetQueueAttributes(const SetQueueAttributesRequest& r,
                                                        Timestamp now);
  Result<PurgeQueueResponse> PurgeQueue(const PurgeQueueRequest& r, Timestamp now);
  Result<TagQueueResponse> TagQueue(const TagQueueRequest& r, Timestamp now);
  Result<UntagQueueResponse> UntagQueue(const UntagQueueRequest& r, Timestamp now);
  Result<ListQueueTagsResponse> ListQueueTags(const ListQueueTagsRequest& r, Timestamp now);
  Result<AddPermissionResponse> AddPermission(const AddPermissionRequest& r, Timestamp now);
  Result<RemovePermissionResponse> RemovePermission(const RemovePermissionRequest& r,
                                                    Timestamp now);
  Result<ListDeadLetterSourceQueuesResponse> ListDeadLetterSourceQueues(
      const ListDeadLetterSourceQueuesRequest& r, Timestamp now);

  Result<SendMessageResponse> SendMessage(const SendMessageRequest& r, Timestamp now);
  Result<SendMessageBatchResponse> SendMessageBatch(const SendMessageBatchRequest& r,
                                                    Timestamp now);
  // `continuation`: a long poll asking again after waiting; it is the same
  // request, so it is not charged against throughput quotas again.
  ReceiveAttempt ReceiveMessage(const ReceiveMessageRequest& r, Timestamp now,
                                bool continuation = false);
  Result<DeleteMessageResponse> DeleteMessage(const DeleteMessageRequest& r, Timestamp now);
  Result<DeleteMessageBatchResponse> DeleteMessageBatch(const DeleteMessageBatchRequest& r,
                                                        Timestamp now);
  Result<ChangeMessageVisibilityResponse> ChangeMessageVisibility(
      const ChangeMessageVisibilityRequest& r, Timestamp now);
  Result<ChangeMessageVisibilityBatchResponse> ChangeMessageVisibilityBatch(
      const ChangeMessageVisibilityBatchRequest& r, Timestamp now);

  // Each action first lets running move tasks catch up to `now`; the
  // simulator does that through this hook before every call.
  // Brings time-driven work up to `now`: the minutes of the queue metrics
  // that ended, and the move tasks.
  void CatchUp(Timestamp now) {
    // One comparison per call; the minute's end is kept, not divided out.
    if (now.time_since_epoch().count() >= metrics_minute_end_us_) CloseMetricMinutes(now);
    AdvanceMoveTasks(now);
  }
  // The queue metrics (sqsim/metrics.h) as of `now`.
  Result<std::vector<MetricDatapoint>> QueueMetrics(const QueueMetricQuery& query, Timestamp now);
  // The queues QueueMetrics answers for as of `now`: those that exist and
  // those that reported (deleted ones keep their datapoints), in name order.
  std::vector<std::string> MetricQueueNames(Timestamp now);
  // A ReceiveMessage on queue `queue_id` ended with no message (counted by
  // the host, which knows when a long poll is over).
  void CountEmptyReceive(uint32_t queue_id);

  Result<StartMessageMoveTaskResponse> StartMessageMoveTask(const StartMessageMoveTaskRequest& r,
                                                            Timestamp now);
  Result<CancelMessageMoveTaskResponse> CancelMessageMoveTask(const CancelMessageMoveTaskRequest& r,
                                                              Timestamp now);
  Result<ListMessageMoveTasksResponse> ListMessageMoveTasks(const ListMessageMoveTasksRequest& r,
                                                            Timestamp now);

  // When something time-driven may next change queue `queue_id` (a delay
  // ends, a visibility timeout expires); nullopt when nothing is scheduled
  // or the queue is gone. Never later than the true next change.
  std::optional<Timestamp> NextTransition(uint32_t queue_id);

  // Consulted on sends to and receives from SSE-KMS queues; null: none.
  // REQUIRES: `gate` outlives the engine.
  void set_kms_gate(KmsGate* gate) { kms_gate_ = gate; }

  // The source queue ARN a move task's TaskHandle carries; nullopt when the
  // handle is not one of this engine's.
  static std::optional<std::string> MoveTaskSourceArn(const std::string& task_handle);

  // The queue named `name`, or nullptr; for read-only inspection (the
  // server's peek endpoint). Settles nothing and records nothing.
  const Queue* InspectQueue(const std::string& name) const {
    auto it = queues_.find(name);
    return it == queues_.end() ? nullptr : it->second.get();
  }

  // How many messages queue `queue_id` has visible for waiting receives,
  // when a count says it: a standard queue's visible messages (as of its
  // last settle, which the call that touched it made). nullopt for a FIFO
  // queue, whose visible messages may wait behind a group in flight, and
  // for a queue that is gone: wake every waiter then.
  std::optional<size_t> VisibleForWaiters(uint32_t queue_id) const {
    auto it = queues_by_id_.find(queue_id);
    if (it == queues_by_id_.end() || it->second->fifo) return std::nullopt;
    return it->second->store.visible();
  }

  // Queues changed since the last call in a way that may let a waiting
  // receive return something (sends, visibility changes, deletes, removal).
  // In the order they were first changed.
  std::vector<uint32_t> TakeTouchedQueues();
  // Forgets the touched queues, keeping the buffer (the common case: no
  // receive is waiting).
  void ClearTouchedQueues() { touched_.clear(); }

 private:
  // Resolves a QueueUrl (full URL, or a bare queue name as SQS accepts).
  Result<Queue*> FindQueue(const std::string& queue_url);
  Queue* FindQueueByArn(const std::string& arn);
  void Touch(const Queue& q);
  // Applies the time-driven transitions due at `now` to `q`.
  void Settle(Queue& q, Timestamp now);
  void TraceMessage(TraceKind kind, const Queue& q, const StoredMessage& m, Timestamp at,
                    int64_t value);
  Status CheckRedriveTarget(const Queue& source, const QueueConfig& config) const;

  // engine_move_tasks.cc helpers.
  // Moves what every running task may have moved by `now`, at its rate.
  void AdvanceMoveTasks(Timestamp now);
  // Closes every metrics minute that ended by `now`: settles each queue at
  // the minute's end, records what the active ones counted and hold.
  void CloseMetricMinutes(Timestamp now);
  // The minute `now` falls in (the metrics minute being counted, which
  // CatchUp has brought up to `now`): when a queue was last active.
  int64_t ActiveMinute(Timestamp now) const {
    return metrics_minute_ ? *metrics_minute_ : MinuteOf(now);
  }
  void AdvanceMoveTask(MoveTask& task, Timestamp now);
  // When the next move of a task delivering into `queue_id` is due.
  std::optional<Timestamp> NextMoveInto(uint32_t queue_id) const;

  // Standard queues: gives `m` its fair-queue tenant index in `q` (0 when it
  // has no MessageGroupId).
  void AssignTenant(Queue& q, StoredMessage& m);

  // engine_fifo.cc helpers.
  // Adds a message to `q` (store, FIFO index), visible at `visible_at_us`.
  MessageRef Enqueue(Queue& q, StoredMessage&& m, Timestamp now, int64_t visible_at_us);
  // Tells the FIFO index about messages that became visible in `q`.
  void SyncFifo(Queue& q);
  // Gives `m` its FIFO group, deduplication id and sequence number in `q`.
  void AssignFifoIdentity(Queue& q, StoredMessage& m, const std::string& group_id,
                          const std::string& deduplication_id);
  // The deduplication id a FIFO send uses (explicit, or the body's SHA-256).
  std::optional<std::string> DeduplicationIdFor(const Queue& q, const std::string& body,
                                                const std::optional<std::string>& explicit_id);
  // A previous send with the same deduplication key inside the window, if any.
  const FifoState::Deduplicated* FindDuplicate(Queue& q, const std::string& group_id,
                                               const std::string& deduplication_id, Timestamp now);
  // Records a new deduplication id (all or nothing), and takes it back
  // (allocating nothing) when the send it belongs to cannot complete.
  FifoState::DedupEntry RememberDeduplication(Queue& q, const std::string& group_id,
                                              const std::string& deduplication_id,
                                              const std::string& message_id,
                                              const std::string& sequence_number, Timestamp now);
  void ForgetDeduplication(Queue& q, FifoState::DedupEntry entry);
  // Takes one transaction from `q`'s quota for `action`, or fails with
  // ThrottlingException (FIFO queues, when SimulatorLimits enforce quotas).
  Status ChargeThroughput(Queue& q, QuotaAction action, Timestamp now);
  // ServiceUnavailable when storing `messages` more messages of `bytes`
  // body bytes at `now` would pass SimulatorLimits::max_stored_messages or
  // max_stored_bytes.
  Status CheckCapacity(int64_t messages, int64_t bytes, Timestamp now);
  // Replays a cached ReceiveRequestAttemptId; nullopt when there is none.
  std::optional<Result<ReceiveMessageResponse>> ReplayAttempt(Queue& q,
                                                              const ReceiveMessageRequest& r,
                                                              int visibility, Timestamp now);

  // engine_receive.cc: the steps of one ReceiveMessage.
  struct Receive;

  // engine_messages.cc helpers.
  struct SendInput;
  Result<SendMessageResponse> SendOne(Queue& q, const SendInput& in, Action action, Timestamp now);
  Status ValidateSend(const Queue& q, const SendInput& in, bool in_batch) const;
  Status CheckHandle(Queue& q, const std::string& handle, Timestamp now, bool for_delete,
                     MessageRef* ref, bool* act);
  Status ChangeVisibilityOne(Queue& q, const std::string& handle, int timeout, Timestamp now);
  Status DeleteOne(Queue& q, const std::string& handle, Timestamp now, bool in_batch);
  void MoveToDeadLetterQueue(Queue& source, Queue& dlq, MessageRef ref, Timestamp now);
  // Appends to `out` the message as a receive returns it (built in place:
  // a Message is large to move); `handle` is moved into it.
  void RenderMessage(const Queue& q, const StoredMessage& m, std::string handle,
                     const ReceiveMessageRequest& r, std::vector<Message>& out) const;
  std::array<uint8_t, 16> NewMessageId();
  std::string FormatMessageId(const std::array<uint8_t, 16>& id) const;

  const SimulatorOptions& options_;
  Trace* trace_;
  FaultInjector* injector_;
  KmsGate* kms_gate_ = nullptr;
  // OK for a queue without KmsMasterKeyId or without a gate; else the gate's
  // answer.
  Status UseKmsKey(const Queue& q, kms::DataKeyUse use, Action action, Timestamp now) {
    if (kms_gate_ == nullptr || !q.config.kms_master_key_id) return Status::Ok();
    return kms_gate_->UseKey(q, use, action, now);
  }
  // Whether the plan has rules of each delivery effect (hot paths skip the
  // injector otherwise).
  bool duplicate_faults_ = false;
  bool delay_faults_ = false;
  bool reorder_faults_ = false;
  std::string endpoint_;
  std::unique_ptr<Rng> id_rng_;        // message ids
  std::unique_ptr<Rng> handle_rng_;    // receipt handle nonces
  std::unique_ptr<Rng> delivery_rng_;  // sampling and reordering
  uint64_t handle_secret_;
  uint32_t next_queue_id_ = 1;
  // Messages and bytes stored in every queue; declared before the queues,
  // whose stores give theirs back when destroyed.
  StorageUsage usage_;
  std::map<std::string, std::unique_ptr<Queue>> queues_;  // by name: ListQueues order
  std::map<uint32_t, Queue*> queues_by_id_;
  std::map<std::string, Timestamp> deleted_at_;  // name -> DeleteQueue time
  // The last QueueUrl resolved, so that a stream of calls on one queue skips
  // URL parsing and the map lookup. Cleared whenever a queue is deleted.
  std::string cached_url_;
  Queue* cached_queue_ = nullptr;
  std::vector<uint32_t> touched_;
  std::vector<MoveTask> move_tasks_;  // in start order
  uint64_t next_task_number_ = 1;
  std::vector<StoredMessage> scratch_;   // reused buffer for expired messages
  std::vector<MessageRef> delivered_;    // reused buffer: what one receive delivers
  std::vector<MessageRef> chosen_;       // reused buffer: what one selection chose
  std::vector<MessageRef> passed_over_;  // reused buffers of one selection
  std::vector<MessageRef> deferred_;
  // Queue metrics: the minute being counted (nullopt before the first
  // call) and the closed minutes of every queue name.
  std::optional<int64_t> metrics_minute_;
  int64_t metrics_minute_end_us_ = std::numeric_limits<int64_t>::min();
  QueueMetricsLog metrics_log_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_ENGINE_H_
