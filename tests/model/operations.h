// Symbolic SQS operations: the 23 actions' parameters in a form that does not
// depend on any one run (queue pool indexes instead of URLs, "the k-th most
// recent receipt handle of queue q" instead of handle strings), so the same
// sequence can be applied to the reference model, the simulator, or any other
// `Client` (moto_server, sqsim-server, real SQS), and printed as readable
// numbered steps when a property fails.
//
// The queue pool is fixed: indexes 0..2 are standard queues "q0".."q2",
// 3..4 are FIFO queues "f3.fifo", "f4.fifo". A runner may prefix every name
// (RunnerOptions::name_prefix) to keep runs apart on a shared endpoint.

#ifndef SQSIM_TESTS_MODEL_OPERATIONS_H_
#define SQSIM_TESTS_MODEL_OPERATIONS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace sqsim::model {

inline constexpr int kQueuePoolSize = 5;
inline constexpr int kFirstFifoQueue = 3;

inline bool IsFifoIndex(int queue) { return queue >= kFirstFifoQueue; }

// The pool name of queue `index` (without any runner prefix).
inline std::string PoolQueueName(int index) {
  return IsFifoIndex(index) ? "f" + std::to_string(index) + ".fifo" : "q" + std::to_string(index);
}

// A receipt handle named by position: the `back`-th most recent handle that a
// receive on `queue` returned (0 = the latest). `back` < 0, or a position no
// receive reached, stands for a syntactically invalid handle ("garbage").
struct HandleRef {
  int queue = 0;
  int back = 0;
};

// RedrivePolicy to set: `target` < 0 removes it (the attribute value "").
struct RedriveSpec {
  int target = -1;
  int max_receive_count = 1;
};

// Attributes CreateQueue and SetQueueAttributes may carry.
struct AttributeSpec {
  std::optional<int> visibility_timeout{};
  std::optional<int> delay_seconds{};
  std::optional<int> message_retention_period{};
  std::optional<RedriveSpec> redrive{};
  std::optional<bool> content_based_deduplication{};
};

struct CreateQueueOp {
  int queue = 0;
  AttributeSpec attributes{};
  bool omit_fifo_attribute = false;  // FIFO name without FifoQueue=true: an error
  std::map<std::string, std::string> tags{};
};
struct DeleteQueueOp {
  int queue = 0;
};
struct GetQueueUrlOp {
  int queue = 0;
};
struct ListQueuesOp {
  std::string prefix{};  // "" = no prefix
};
struct GetQueueAttributesOp {
  int queue = 0;
};
struct SetQueueAttributesOp {
  int queue = 0;
  AttributeSpec attributes{};
};
struct PurgeQueueOp {
  int queue = 0;
};
struct TagQueueOp {
  int queue = 0;
  std::map<std::string, std::string> tags{};
};
struct UntagQueueOp {
  int queue = 0;
  std::vector<std::string> keys{};
};
struct ListQueueTagsOp {
  int queue = 0;
};
struct AddPermissionOp {
  int queue = 0;
  std::string label{};
};
struct RemovePermissionOp {
  int queue = 0;
  std::string label{};
};
struct ListDeadLetterSourceQueuesOp {
  int queue = 0;
};

// One message to send. The body is "b<body>" (body < 0: empty body).
struct SendEntry {
  int body = 0;
  std::optional<int> delay_seconds{};
  std::optional<std::string> group{};
  std::optional<std::string> dedup{};
};
struct SendMessageOp {
  int queue = 0;
  SendEntry entry{};
};

// Batch request shapes; all but kValid fail the whole request.
enum class BatchShape { kValid, kEmpty, kTooMany, kDuplicateIds, kInvalidId };

struct SendMessageBatchOp {
  int queue = 0;
  BatchShape shape = BatchShape::kValid;
  std::vector<SendEntry> entries{};
};
struct ReceiveMessageOp {
  int queue = 0;
  int max_messages = 1;
  std::optional<int> visibility_timeout{};
  int wait_seconds = 0;  // sent explicitly, so the queue default never applies
};
struct DeleteMessageOp {
  HandleRef handle{};
};
struct DeleteMessageBatchOp {
  int queue = 0;
  BatchShape shape = BatchShape::kValid;
  std::vector<int> backs{};  // HandleRef::back of each entry, on `queue`
};
struct ChangeMessageVisibilityOp {
  HandleRef handle{};
  int visibility_timeout = 0;
};
struct ChangeMessageVisibilityBatchOp {
  int queue = 0;
  BatchShape shape = BatchShape::kValid;
  std::vector<std::pair<int, int>> entries{};  // (HandleRef::back, visibility timeout)
};
struct StartMessageMoveTaskOp {
  int source = 0;
  std::optional<int> destination{};
  std::optional<int> rate{};
};
struct ListMessageMoveTasksOp {
  int source = 0;
  std::optional<int> max_results{};
};
// Cancels the `back`-th most recently started task (< 0 or unknown: a
// malformed handle).
struct CancelMessageMoveTaskOp {
  int back = 0;
};
// Not an SQS action: lets virtual (or real) time pass.
struct AdvanceTimeOp {
  std::chrono::milliseconds duration{0};
};

using Operation =
    std::variant<CreateQueueOp, DeleteQueueOp, GetQueueUrlOp, ListQueuesOp, GetQueueAttributesOp,
                 SetQueueAttributesOp, PurgeQueueOp, TagQueueOp, UntagQueueOp, ListQueueTagsOp,
                 AddPermissionOp, RemovePermissionOp, ListDeadLetterSourceQueuesOp, SendMessageOp,
                 SendMessageBatchOp, ReceiveMessageOp, DeleteMessageOp, DeleteMessageBatchOp,
                 ChangeMessageVisibilityOp, ChangeMessageVisibilityBatchOp, StartMessageMoveTaskOp,
                 ListMessageMoveTasksOp, CancelMessageMoveTaskOp, AdvanceTimeOp>;

// The body text of a SendEntry.
inline std::string BodyText(int body) { return body < 0 ? "" : "b" + std::to_string(body); }

// The identity of the message sent by entry `entry` of step `step`: how
// results name messages, independently of the random message ids.
inline std::string SendOrigin(int step, int entry) {
  return "s" + std::to_string(step) + "." + std::to_string(entry);
}

// Batch entry ids for a request of `count` entries in shape `shape`.
inline std::vector<std::string> BatchEntryIds(BatchShape shape, size_t count) {
  std::vector<std::string> ids;
  for (size_t i = 0; i < count; ++i) ids.push_back("e" + std::to_string(i));
  if (shape == BatchShape::kDuplicateIds && ids.size() >= 2) ids[1] = ids[0];
  if (shape == BatchShape::kInvalidId && !ids.empty()) ids[0] = "bad:id";
  return ids;
}

// The number of entries a batch of shape `shape` actually carries, given the
// generated ones: kEmpty sends none, kTooMany pads to 11, kDuplicateIds needs 2.
inline size_t BatchEntryCount(BatchShape shape, size_t generated) {
  switch (shape) {
    case BatchShape::kEmpty:
      return 0;
    case BatchShape::kTooMany:
      return 11;
    case BatchShape::kDuplicateIds:
      return generated < 2 ? 2 : generated;
    case BatchShape::kInvalidId:
      return generated < 1 ? 1 : generated;
    case BatchShape::kValid:
      return generated < 1 ? 1 : generated;
  }
  return generated;
}

// ---- Printing -------------------------------------------------------------------

namespace internal {

inline std::string Q(int queue) { return PoolQueueName(queue); }

template <typename T>
std::string Opt(const std::optional<T>& v) {
  if (!v) return "-";
  std::ostringstream os;
  os << *v;
  return os.str();
}

inline std::string ShapeName(BatchShape shape) {
  switch (shape) {
    case BatchShape::kValid:
      return "";
    case BatchShape::kEmpty:
      return " [empty]";
    case BatchShape::kTooMany:
      return " [11 entries]";
    case BatchShape::kDuplicateIds:
      return " [duplicate ids]";
    case BatchShape::kInvalidId:
      return " [invalid id]";
  }
  return "";
}

inline std::string Attrs(const AttributeSpec& a) {
  std::ostringstream os;
  if (a.visibility_timeout) os << " VisibilityTimeout=" << *a.visibility_timeout;
  if (a.delay_seconds) os << " DelaySeconds=" << *a.delay_seconds;
  if (a.message_retention_period) os << " MessageRetentionPeriod=" << *a.message_retention_period;
  if (a.redrive) {
    if (a.redrive->target < 0) {
      os << " RedrivePolicy=\"\"";
    } else {
      os << " RedrivePolicy={dlq=" << Q(a.redrive->target)
         << ",maxReceiveCount=" << a.redrive->max_receive_count << "}";
    }
  }
  if (a.content_based_deduplication) {
    os << " ContentBasedDeduplication=" << (*a.content_based_deduplication ? "true" : "false");
  }
  return os.str();
}

inline std::string Tags(const std::map<std::string, std::string>& tags) {
  std::string s;
  for (const auto& [k, v] : tags) s += " " + k + "=" + v;
  return s;
}

inline std::string Entry(const SendEntry& e) {
  std::string s = "\"" + BodyText(e.body) + "\"";
  if (e.delay_seconds) s += " delay=" + std::to_string(*e.delay_seconds);
  if (e.group) s += " group=" + *e.group;
  if (e.dedup) s += " dedup=" + *e.dedup;
  return s;
}

inline std::string Handle(int queue, int back) {
  if (back < 0) return "garbage-handle";
  return "handle(" + Q(queue) + ", latest" + (back == 0 ? "" : "-" + std::to_string(back)) + ")";
}

}  // namespace internal

// One line describing `op`, e.g. `ReceiveMessage q0 max=2 vis=0 wait=0`.
inline std::string Describe(const Operation& op) {
  using namespace internal;
  std::ostringstream os;
  std::visit(
      [&](const auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, CreateQueueOp>) {
          os << "CreateQueue " << Q(o.queue) << Attrs(o.attributes)
             << (o.omit_fifo_attribute ? " (no FifoQueue attribute)" : "");
          if (!o.tags.empty()) os << " tags:" << Tags(o.tags);
        } else if constexpr (std::is_same_v<T, DeleteQueueOp>) {
          os << "DeleteQueue " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, GetQueueUrlOp>) {
          os << "GetQueueUrl " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, ListQueuesOp>) {
          os << "ListQueues prefix=\"" << o.prefix << "\"";
        } else if constexpr (std::is_same_v<T, GetQueueAttributesOp>) {
          os << "GetQueueAttributes " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, SetQueueAttributesOp>) {
          os << "SetQueueAttributes " << Q(o.queue) << Attrs(o.attributes);
        } else if constexpr (std::is_same_v<T, PurgeQueueOp>) {
          os << "PurgeQueue " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, TagQueueOp>) {
          os << "TagQueue " << Q(o.queue) << Tags(o.tags);
        } else if constexpr (std::is_same_v<T, UntagQueueOp>) {
          os << "UntagQueue " << Q(o.queue);
          for (const auto& k : o.keys) os << " " << k;
        } else if constexpr (std::is_same_v<T, ListQueueTagsOp>) {
          os << "ListQueueTags " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, AddPermissionOp>) {
          os << "AddPermission " << Q(o.queue) << " label=" << o.label;
        } else if constexpr (std::is_same_v<T, RemovePermissionOp>) {
          os << "RemovePermission " << Q(o.queue) << " label=" << o.label;
        } else if constexpr (std::is_same_v<T, ListDeadLetterSourceQueuesOp>) {
          os << "ListDeadLetterSourceQueues " << Q(o.queue);
        } else if constexpr (std::is_same_v<T, SendMessageOp>) {
          os << "SendMessage " << Q(o.queue) << " " << Entry(o.entry);
        } else if constexpr (std::is_same_v<T, SendMessageBatchOp>) {
          os << "SendMessageBatch " << Q(o.queue) << ShapeName(o.shape) << " [";
          for (size_t i = 0; i < o.entries.size(); ++i) {
            os << (i ? "; " : "") << Entry(o.entries[i]);
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, ReceiveMessageOp>) {
          os << "ReceiveMessage " << Q(o.queue) << " max=" << o.max_messages
             << " vis=" << Opt(o.visibility_timeout) << " wait=" << o.wait_seconds;
        } else if constexpr (std::is_same_v<T, DeleteMessageOp>) {
          os << "DeleteMessage " << Q(o.handle.queue) << " "
             << Handle(o.handle.queue, o.handle.back);
        } else if constexpr (std::is_same_v<T, DeleteMessageBatchOp>) {
          os << "DeleteMessageBatch " << Q(o.queue) << ShapeName(o.shape) << " [";
          for (size_t i = 0; i < o.backs.size(); ++i) {
            os << (i ? "; " : "") << Handle(o.queue, o.backs[i]);
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, ChangeMessageVisibilityOp>) {
          os << "ChangeMessageVisibility " << Q(o.handle.queue) << " "
             << Handle(o.handle.queue, o.handle.back) << " vis=" << o.visibility_timeout;
        } else if constexpr (std::is_same_v<T, ChangeMessageVisibilityBatchOp>) {
          os << "ChangeMessageVisibilityBatch " << Q(o.queue) << ShapeName(o.shape) << " [";
          for (size_t i = 0; i < o.entries.size(); ++i) {
            os << (i ? "; " : "") << Handle(o.queue, o.entries[i].first)
               << " vis=" << o.entries[i].second;
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, StartMessageMoveTaskOp>) {
          os << "StartMessageMoveTask source=" << Q(o.source)
             << " destination=" << (o.destination ? Q(*o.destination) : "-")
             << " rate=" << Opt(o.rate);
        } else if constexpr (std::is_same_v<T, ListMessageMoveTasksOp>) {
          os << "ListMessageMoveTasks source=" << Q(o.source) << " max=" << Opt(o.max_results);
        } else if constexpr (std::is_same_v<T, CancelMessageMoveTaskOp>) {
          os << "CancelMessageMoveTask "
             << (o.back < 0 ? "malformed-handle" : "task(latest-" + std::to_string(o.back) + ")");
        } else if constexpr (std::is_same_v<T, AdvanceTimeOp>) {
          os << "AdvanceTime " << o.duration.count() << "ms";
        }
      },
      op);
  return os.str();
}

// The whole sequence as numbered steps, one per line ("  3. SendMessage ...").
inline std::string DescribeSequence(const std::vector<Operation>& ops) {
  std::ostringstream os;
  for (size_t i = 0; i < ops.size(); ++i) os << "  " << i << ". " << Describe(ops[i]) << "\n";
  return os.str();
}

}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_OPERATIONS_H_
