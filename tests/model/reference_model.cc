#include "model/reference_model.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sqsim::model {

class ReferenceModel::Impl {
 public:
  // No deviation is outstanding (see KnownDeviations), so none is stored.
  explicit Impl(KnownDeviations) {}

  Observation Apply(const Operation& op, int step) {
    ExpireMessages();
    Observation result = std::visit([&](const auto& o) { return Do(o, step); }, op);
    // A model that cannot make progress says so, and the comparison reports
    // the sequence, instead of looping for ever.
    if (!stuck_.empty()) return Observation::Error("ModelStuck(" + stuck_ + ")");
    return result;
  }

  // Model time since the start of the sequence, in microseconds.
  int64_t now_us() const { return now_; }

  // Messages held by queue `index` (all states), or -1 if it does not exist.
  int MessageCount(int index) const {
    auto it = queues_.find(PoolQueueName(index));
    return it == queues_.end() ? -1 : static_cast<int>(it->second.messages.size());
  }

 private:
  static constexpr int64_t kSecond = 1'000'000;

  struct Msg {
    int64_t uid = 0;
    std::string origin{};
    std::string body{};
    std::string group{};
    int64_t sent_at = 0;          // retention counts from here
    int64_t delay_until = 0;      // standard queues: end of the send-time delay
    int receive_count = 0;        // receives so far
    int64_t visible_at = 0;       // in flight while now < visible_at (after a receive)
    int64_t received_at = 0;      // receive that made it in flight (12 h cap)
    int64_t current_handle = -1;  // serial of the latest receipt handle
    std::string dlq_source{};     // pool name of the queue it was redriven from
  };

  struct Queue {
    std::string name{};
    bool fifo = false;
    int64_t incarnation = 0;
    int visibility_timeout = 30;
    int delay_seconds = 0;
    int retention = 345600;
    std::optional<std::pair<std::string, int>> redrive{};  // (DLQ name, maxReceiveCount)
    bool content_based_deduplication = false;
    std::map<std::string, std::string> tags{};
    std::set<std::string> labels{};
    std::optional<int64_t> last_purge{};
    std::vector<Msg> messages{};                  // in queue order
    std::map<std::string, int64_t> dedup_seen{};  // deduplication id -> first accepted send
  };

  struct Handle {
    std::string queue{};
    int64_t incarnation = 0;
    int64_t uid = 0;
    int64_t serial = 0;
  };

  struct Task {
    std::string source{};
    std::optional<std::string> destination{};
    std::optional<int> rate{};
    std::string status = "RUNNING";
    int64_t started = 0;
    int64_t cancelled = 0;
    int moved = 0;
    int to_move = 0;
    std::vector<int64_t> pending{};  // uids of the snapshot, oldest first
    bool exhausted = false;          // a move found nothing to move
    int64_t source_incarnation = 0;
    std::string failure{};
    int ordinal = 0;  // position among all started tasks
  };

  // ---- Message state --------------------------------------------------------------

  bool InFlight(const Msg& m) const { return m.receive_count > 0 && now_ < m.visible_at; }
  bool Delayed(const Queue& q, const Msg& m) const {
    if (m.receive_count > 0) return false;
    // FIFO: the queue delay applies, and a change to it is retroactive [D].
    if (q.fifo) return now_ < m.sent_at + q.delay_seconds * kSecond;
    return now_ < m.delay_until;
  }
  bool Available(const Queue& q, const Msg& m) const { return !InFlight(m) && !Delayed(q, m); }

  void ExpireMessages() {
    for (auto& entry : queues_) {
      const int64_t retention = entry.second.retention * kSecond;
      std::erase_if(entry.second.messages,
                    [&](const Msg& m) { return now_ >= m.sent_at + retention; });
    }
  }

  Queue* Find(int index) {
    auto it = queues_.find(PoolQueueName(index));
    return it == queues_.end() ? nullptr : &it->second;
  }
  Queue* FindByName(const std::string& name) {
    auto it = queues_.find(name);
    return it == queues_.end() ? nullptr : &it->second;
  }

  // ---- Time ---------------------------------------------------------------------

  // The time of the next move-task event, if any: what RunTasksDueNow would
  // do next. A running task moves one message every 1/rate s; a cancelling
  // one keeps moving for a grace second unless it has nothing left to move,
  // and ends (CANCELLED) when that second is over. Once the events due now
  // have run, every event lies strictly ahead of now.
  std::optional<int64_t> NextTaskEvent() const {
    std::optional<int64_t> next;
    for (const Task& t : tasks_) {
      if (t.status != "RUNNING" && t.status != "CANCELLING") continue;
      const int rate = t.rate.value_or(500);
      int64_t at = t.started + (int64_t{t.moved} + 1) * kSecond / rate;  // move k+1
      if (t.status == "CANCELLING") {
        const bool done = t.moved >= t.to_move || t.exhausted;
        const int64_t grace_end = t.cancelled + kSecond;
        if (done || at > grace_end) at = grace_end;
      }
      if (!next || at < *next) next = at;
    }
    return next;
  }

  // Runs the task events up to `target` in time order, jumping from one to
  // the next, then sets the clock to `target`. An event that is not ahead of
  // the clock after the ones due now have run would never let time move: the
  // model reports itself stuck rather than loop.
  void AdvanceTo(int64_t target) {
    RunTasksDueNow();
    while (std::optional<int64_t> next = NextTaskEvent()) {
      if (*next > target) break;
      if (*next <= now_) {
        stuck_ = "task event at " + std::to_string(*next) + "us is not after now " +
                 std::to_string(now_) + "us";
        break;
      }
      now_ = *next;
      ExpireMessages();
      RunTasksDueNow();
    }
    now_ = std::max(now_, target);
    ExpireMessages();
  }

  void RunTasksDueNow() {
    for (Task& t : tasks_) {
      while (t.status == "RUNNING" || t.status == "CANCELLING") {
        const int rate = t.rate.value_or(500);
        const int64_t due = t.started + (int64_t{t.moved} + 1) * kSecond / rate;
        const bool done = t.moved >= t.to_move || t.exhausted;
        if (t.status == "CANCELLING" && (done || due > t.cancelled + kSecond)) {
          // A cancelled task keeps moving for a grace second (CANCELLING) [O].
          if (now_ >= t.cancelled + kSecond) t.status = "CANCELLED";
          break;
        }
        if (due > now_) break;
        MoveOne(t);
      }
    }
  }

  // The index of the message a consumer would get first from `q` now, if any.
  // FIFO groups with a message in flight: none of their messages may be delivered.
  std::set<std::string> LockedGroups(const Queue& q) const {
    std::set<std::string> locked;
    for (size_t i = 0; i < q.messages.size(); ++i) {
      const Msg& m = q.messages[i];
      if (!q.fifo || !InFlight(m)) continue;
      // An in-flight message blocks only the messages after it in its group:
      // one made visible again ahead of it is delivered. The docs say "no more
      // messages for the same message group ID are returned", but SQS was
      // observed to do this (LocalStack's AWS-validated
      // test_fifo_message_group_visibility_after_change_message_visibility),
      // so the group is locked only when its first message is in flight.
      bool first = true;
      for (size_t j = 0; j < i; ++j) first &= q.messages[j].group != m.group;
      if (!first) continue;
      locked.insert(m.group);
    }
    return locked;
  }

  std::optional<size_t> OldestAvailable(const Queue& q) const {
    std::set<std::string> locked = LockedGroups(q), seen_heads;
    for (size_t i = 0; i < q.messages.size(); ++i) {
      const Msg& m = q.messages[i];
      if (q.fifo) {
        if (locked.contains(m.group) || seen_heads.contains(m.group)) continue;
        seen_heads.insert(m.group);
      }
      if (Available(q, m)) return i;
    }
    return std::nullopt;
  }

  // One move of task `t`: like a consumer, the task takes the source's oldest
  // available message; none left completes the task. (Which messages a task
  // moves, beyond "oldest first", is unconfirmed; the model follows the
  // simulator: available ones, one per 1/rate s, 500/s by default.)
  void MoveOne(Task& t) {
    Queue* source = FindByName(t.source);
    std::optional<size_t> index;
    if (source != nullptr) index = OldestAvailable(*source);
    if (!index) {
      if (t.status == "RUNNING") t.status = "COMPLETED";
      t.exhausted = true;  // CANCELLING: nothing left, wait out the grace
      return;
    }
    const Msg moving = source->messages[*index];
    const std::string dest_name =
        t.destination ? *t.destination : moving.dlq_source;  // original source by default
    Queue* dest = FindByName(dest_name);
    if (dest == nullptr) {
      t.status = "FAILED";
      t.failure = "AWS.SimpleQueueService.NonExistentQueue";
      return;
    }
    source->messages.erase(source->messages.begin() + static_cast<long>(*index));
    // A move creates a new message: new id, new send time, no receives [D];
    // the destination's queue delay applies as to any send.
    Msg fresh;
    fresh.uid = next_uid_++;
    fresh.origin = "new:" + moving.body;
    fresh.body = moving.body;
    fresh.group = moving.group;
    fresh.sent_at = now_;
    fresh.delay_until = now_ + dest->delay_seconds * kSecond;
    dest->messages.push_back(fresh);
    ++t.moved;
    if (t.moved == t.to_move && t.status == "RUNNING") t.status = "COMPLETED";
  }

  // ---- Queue management ---------------------------------------------------------

  // `check_target`: whether the RedrivePolicy's DLQ must exist with the same
  // type (CreateQueue of an existing queue compares instead).
  Observation ValidateAttributes(const Queue& q, const AttributeSpec& a, bool check_target = true) {
    if (a.content_based_deduplication && !q.fifo) return Observation::Error("InvalidAttributeName");
    if (a.visibility_timeout && (*a.visibility_timeout < 0 || *a.visibility_timeout > 43200)) {
      return Observation::Error("InvalidAttributeValue");
    }
    if (a.delay_seconds && (*a.delay_seconds < 0 || *a.delay_seconds > 900)) {
      return Observation::Error("InvalidAttributeValue");
    }
    if (a.message_retention_period &&
        (*a.message_retention_period < 60 || *a.message_retention_period > 1209600)) {
      return Observation::Error("InvalidAttributeValue");
    }
    if (check_target && a.redrive && a.redrive->target >= 0) {
      const Queue* dlq = FindByName(PoolQueueName(a.redrive->target));
      // The DLQ must exist and be of the same type [D].
      if (dlq == nullptr || dlq->fifo != q.fifo) return Observation::Error("InvalidParameterValue");
    }
    return Observation::Ok();
  }

  void ApplyAttributes(Queue& q, const AttributeSpec& a) {
    if (a.visibility_timeout) q.visibility_timeout = *a.visibility_timeout;
    if (a.delay_seconds) q.delay_seconds = *a.delay_seconds;
    if (a.message_retention_period) q.retention = *a.message_retention_period;
    if (a.redrive) {
      if (a.redrive->target < 0) {
        q.redrive.reset();
      } else {
        q.redrive = std::make_pair(PoolQueueName(a.redrive->target), a.redrive->max_receive_count);
      }
    }
    if (a.content_based_deduplication)
      q.content_based_deduplication = *a.content_based_deduplication;
  }

  Observation Do(const CreateQueueOp& o, int) {
    const std::string name = PoolQueueName(o.queue);
    if (IsFifoIndex(o.queue) && o.omit_fifo_attribute) {
      return Observation::Error("InvalidParameterValue");
    }
    Queue shape;
    shape.fifo = IsFifoIndex(o.queue);
    // Attribute values are validated first (model follows the simulator; unconfirmed).
    if (Observation v = ValidateAttributes(shape, o.attributes, false); v.error) return v;
    auto deleted = deleted_at_.find(name);
    if (!queues_.contains(name) && deleted != deleted_at_.end() &&
        now_ - deleted->second < 60 * kSecond) {
      return Observation::Error("QueueDeletedRecently");
    }
    if (Queue* existing = FindByName(name)) {
      // Only attributes named in the request are compared, against current values [O].
      const AttributeSpec& a = o.attributes;
      bool same = true;
      if (a.visibility_timeout) same &= *a.visibility_timeout == existing->visibility_timeout;
      if (a.delay_seconds) same &= *a.delay_seconds == existing->delay_seconds;
      if (a.message_retention_period) same &= *a.message_retention_period == existing->retention;
      if (a.redrive) {
        if (a.redrive->target < 0) {
          same &= !existing->redrive.has_value();
        } else {
          same &= existing->redrive ==
                  std::make_pair(PoolQueueName(a.redrive->target), a.redrive->max_receive_count);
        }
      }
      if (a.content_based_deduplication) {
        if (!existing->fifo) return Observation::Error("InvalidAttributeName");
        same &= *a.content_based_deduplication == existing->content_based_deduplication;
      }
      if (!same) return Observation::Error("QueueNameExists");
      return Observation::Ok(name);
    }
    Queue q;
    q.name = name;
    q.fifo = IsFifoIndex(o.queue);
    q.incarnation = next_incarnation_++;
    if (Observation v = ValidateAttributes(q, o.attributes); v.error) return v;
    ApplyAttributes(q, o.attributes);
    q.tags = o.tags;
    queues_[name] = std::move(q);
    return Observation::Ok(name);
  }

  Observation Do(const DeleteQueueOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    deleted_at_[q->name] = now_;
    for (Task& t : tasks_) {
      if (t.source == q->name && (t.status == "RUNNING" || t.status == "CANCELLING")) {
        t.status = "FAILED";  // its source is gone
        t.failure = "AWS.SimpleQueueService.NonExistentQueue";
      }
    }
    queues_.erase(q->name);
    return Observation::Ok();
  }

  Observation Do(const GetQueueUrlOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    return Observation::Ok(q->name);
  }

  static std::string JoinNames(const std::vector<std::string>& names) {
    std::string s = "[";
    for (size_t i = 0; i < names.size(); ++i) s += (i ? " " : "") + names[i];
    return s + "]";
  }

  Observation Do(const ListQueuesOp& o, int) {
    std::vector<std::string> names;
    for (const auto& [name, q] : queues_) {
      if (name.starts_with(o.prefix)) names.push_back(name);
    }
    return Observation::Ok(JoinNames(names));
  }

  Observation Do(const GetQueueAttributesOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    int visible = 0, not_visible = 0, delayed = 0;
    for (const Msg& m : q->messages) {
      if (InFlight(m)) {
        ++not_visible;
      } else if (Delayed(*q, m)) {
        ++delayed;
      } else {
        ++visible;  // FIFO: messages behind a locked group still count as visible [O]
      }
    }
    std::map<std::string, std::string> a;
    a["ApproximateNumberOfMessages"] = std::to_string(visible);
    a["ApproximateNumberOfMessagesNotVisible"] = std::to_string(not_visible);
    a["ApproximateNumberOfMessagesDelayed"] = std::to_string(delayed);
    a["VisibilityTimeout"] = std::to_string(q->visibility_timeout);
    a["DelaySeconds"] = std::to_string(q->delay_seconds);
    a["MessageRetentionPeriod"] = std::to_string(q->retention);
    if (q->redrive) {
      a["RedrivePolicy"] =
          "dlq=" + q->redrive->first + ",max=" + std::to_string(q->redrive->second);
    }
    if (!q->labels.empty()) {
      std::string sids;
      for (const std::string& l : q->labels) sids += (sids.empty() ? "" : ",") + l;
      a["Policy"] = "sids=" + sids;
    }
    if (q->fifo) {
      a["FifoQueue"] = "true";
      a["ContentBasedDeduplication"] = q->content_based_deduplication ? "true" : "false";
    }
    return Observation::Ok(JoinMap(a));
  }

  static std::string JoinMap(const std::map<std::string, std::string>& m) {
    std::string s = "{";
    bool first = true;
    for (const auto& [k, v] : m) {
      s += (first ? "" : "; ") + k + "=" + v;
      first = false;
    }
    return s + "}";
  }

  Observation Do(const SetQueueAttributesOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    const AttributeSpec& a = o.attributes;
    if (!a.visibility_timeout && !a.delay_seconds && !a.message_retention_period && !a.redrive &&
        !a.content_based_deduplication) {
      return Observation::Error("MissingParameter");  // Attributes is required [M]
    }
    if (Observation v = ValidateAttributes(*q, o.attributes); v.error) return v;
    if (q->redrive && !a.redrive) {
      // The queue's existing RedrivePolicy is validated again: a deleted DLQ
      // fails any SetQueueAttributes (model follows the simulator; unconfirmed).
      const Queue* dlq = FindByName(q->redrive->first);
      if (dlq == nullptr || dlq->fifo != q->fifo)
        return Observation::Error("InvalidParameterValue");
    }
    ApplyAttributes(*q, o.attributes);
    return Observation::Ok();
  }

  Observation Do(const PurgeQueueOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (q->last_purge && now_ - *q->last_purge < 60 * kSecond) {
      return Observation::Error("PurgeQueueInProgress");
    }
    q->last_purge = now_;
    q->messages.clear();
    q->dedup_seen.clear();  // purge also clears FIFO deduplication history [O]
    return Observation::Ok();
  }

  Observation Do(const TagQueueOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    for (const auto& [k, v] : o.tags) q->tags[k] = v;
    return Observation::Ok();
  }

  Observation Do(const UntagQueueOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    for (const std::string& k : o.keys) q->tags.erase(k);
    return Observation::Ok();
  }

  Observation Do(const ListQueueTagsOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    return Observation::Ok(JoinMap(q->tags));
  }

  Observation Do(const AddPermissionOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (q->labels.contains(o.label)) return Observation::Error("InvalidParameterValue");
    q->labels.insert(o.label);
    return Observation::Ok();
  }

  Observation Do(const RemovePermissionOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (q->labels.erase(o.label) == 0) return Observation::Error("InvalidParameterValue");
    return Observation::Ok();
  }

  Observation Do(const ListDeadLetterSourceQueuesOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    std::vector<std::string> names;
    for (const auto& [name, source] : queues_) {
      if (source.redrive && source.redrive->first == q->name) names.push_back(name);
    }
    return Observation::Ok(JoinNames(names));
  }

  // ---- Sending ---------------------------------------------------------------------

  // Request-level validation of one entry; "" when valid.
  std::string EntryError(const Queue& q, const SendEntry& e) const {
    if (e.body < 0) return "MissingParameter";
    if (q.fifo) {
      // The delay is checked before the group (model follows the simulator; unconfirmed).
      if (e.delay_seconds && *e.delay_seconds != 0) return "InvalidParameterValue";
      if (!e.group) return "MissingParameter";
      if (!e.dedup && !q.content_based_deduplication) return "InvalidParameterValue";
    } else if (e.delay_seconds && (*e.delay_seconds < 0 || *e.delay_seconds > 900)) {
      return "InvalidParameterValue";
    }
    return "";
  }

  // Enqueues a validated entry (or drops it as a FIFO duplicate).
  void Enqueue(Queue& q, const SendEntry& e, const std::string& origin) {
    if (q.fifo) {
      // Content-based ids hash the body; a distinct prefix keeps them apart
      // from explicit ids in this model (real collisions need a SHA-256 match).
      const std::string key = e.dedup ? "id:" + *e.dedup : "body:" + BodyText(e.body);
      auto seen = q.dedup_seen.find(key);
      if (seen != q.dedup_seen.end() && now_ - seen->second < 300 * kSecond) return;
      q.dedup_seen[key] = now_;
    }
    Msg m;
    m.uid = next_uid_++;
    m.origin = origin;
    m.body = BodyText(e.body);
    m.group = e.group.value_or("");
    m.sent_at = now_;
    m.delay_until = now_ + e.delay_seconds.value_or(q.delay_seconds) * kSecond;
    q.messages.push_back(m);
  }

  Observation Do(const SendMessageOp& o, int step) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (std::string err = EntryError(*q, o.entry); !err.empty()) return Observation::Error(err);
    Enqueue(*q, o.entry, SendOrigin(step, 0));
    return Observation::Ok();
  }

  static std::optional<std::string> ShapeError(BatchShape shape) {
    switch (shape) {
      case BatchShape::kEmpty:
        return "EmptyBatchRequest";
      case BatchShape::kTooMany:
        return "TooManyEntriesInBatchRequest";
      case BatchShape::kDuplicateIds:
        return "BatchEntryIdsNotDistinct";
      case BatchShape::kInvalidId:
        return "InvalidBatchEntryId";
      case BatchShape::kValid:
        return std::nullopt;
    }
    return std::nullopt;
  }

  static Observation BatchResult() {
    Observation r;
    r.kind = Observation::Kind::kBatch;
    return r;
  }
  static void SortBatch(Observation& r) {
    std::sort(r.batch_ok.begin(), r.batch_ok.end());
    std::sort(r.batch_failed.begin(), r.batch_failed.end());
  }

  Observation Do(const SendMessageBatchOp& o, int step) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (auto err = ShapeError(o.shape)) return Observation::Error(*err);
    if (q->fifo) {
      // A missing group or deduplication id fails the whole FIFO batch [O].
      for (const SendEntry& e : o.entries) {
        if (!e.group || (!e.dedup && !q->content_based_deduplication)) {
          return Observation::Error("InvalidParameterValue");
        }
      }
    }
    Observation r = BatchResult();
    const std::vector<std::string> ids = BatchEntryIds(o.shape, o.entries.size());
    for (size_t i = 0; i < o.entries.size(); ++i) {
      const std::string err = EntryError(*q, o.entries[i]);
      if (!err.empty()) {
        r.batch_failed.emplace_back(ids[i], err);
        continue;
      }
      Enqueue(*q, o.entries[i], SendOrigin(step, static_cast<int>(i)));
      r.batch_ok.push_back(ids[i]);
    }
    SortBatch(r);
    return r;
  }

  // ---- Receiving ---------------------------------------------------------------------

  ObservedMessage Deliver(Queue& q, Msg& m, int visibility) {
    ++m.receive_count;
    m.visible_at = now_ + visibility * kSecond;
    m.received_at = now_;
    m.current_handle = next_handle_++;
    handles_[q.name].push_back(Handle{
        .queue = q.name, .incarnation = q.incarnation, .uid = m.uid, .serial = m.current_handle});
    return ObservedMessage{.origin = m.origin,
                           .receive_count = m.receive_count,
                           .group = m.group,
                           .dlq_source = m.dlq_source};
  }

  // True if message `m` must go to the DLQ instead of being delivered: the
  // delivery would exceed maxReceiveCount [O].
  bool ShouldRedrive(const Queue& q, const Msg& m) {
    if (!q.redrive || m.receive_count < q.redrive->second) return false;
    const Queue* dlq = FindByName(q.redrive->first);
    return dlq != nullptr;  // model choice: no DLQ, no move (unconfirmed)
  }

  void Redrive(Queue& q, size_t index) {
    Msg m = q.messages[index];
    q.messages.erase(q.messages.begin() + static_cast<long>(index));
    Queue& dlq = *FindByName(q.redrive->first);
    // A new instance in the DLQ: a receipt handle names one receive of a
    // message in one queue ("each time you receive it, you get a different
    // receipt handle"), so handles from the source never name it again, even
    // if a redrive cycle brings it back (unconfirmed; model follows the
    // simulator, found by a soak).
    m.uid = next_uid_++;
    m.dlq_source = q.name;
    m.visible_at = now_;
    // Standard keeps the original enqueue time for retention; FIFO resets it [D].
    if (dlq.fifo) m.sent_at = now_;
    dlq.messages.push_back(m);
  }

  // One receive attempt; `moved` counts the messages it handed to the DLQ.
  std::vector<ObservedMessage> TryReceive(Queue& q, int max, int visibility, int* moved) {
    std::vector<ObservedMessage> out;
    // A message handed to the DLQ does not take one of the `max` slots: the
    // receive goes on to the next available message. SQS documents only "up
    // to" MaxNumberOfMessages; this is the reading under which a long poll
    // returns as soon as a message is available [D], and moto behaves so too.
    int slots = 0;
    if (!q.fifo) {
      for (size_t i = 0; i < q.messages.size() && slots < max;) {
        Msg& m = q.messages[i];
        if (!Available(q, m)) {
          ++i;
          continue;
        }
        if (ShouldRedrive(q, m)) {
          Redrive(q, i);
          ++*moved;
          continue;
        }
        out.push_back(Deliver(q, m, visibility));
        ++slots;
        ++i;
      }
      return out;
    }
    // FIFO: a group with a message in flight is locked; the group of the
    // oldest available message goes first and gives as many messages as it
    // can, in order; then the next group [D, O].
    std::set<std::string> locked = LockedGroups(q), taken;
    while (slots < max) {
      std::optional<std::string> group;
      std::set<std::string> seen_heads;
      for (const Msg& m : q.messages) {
        if (locked.contains(m.group) || taken.contains(m.group)) continue;
        if (seen_heads.contains(m.group)) continue;
        seen_heads.insert(m.group);  // only the head of each group may start it
        if (Available(q, m)) {
          group = m.group;
          break;
        }
      }
      if (!group) break;
      taken.insert(*group);
      for (size_t i = 0; i < q.messages.size() && slots < max;) {
        Msg& m = q.messages[i];
        if (m.group != *group) {
          ++i;
          continue;
        }
        if (!Available(q, m)) break;
        if (ShouldRedrive(q, m)) {
          Redrive(q, i);
          ++*moved;
          continue;
        }
        out.push_back(Deliver(q, m, visibility));
        ++slots;
        ++i;
      }
    }
    return out;
  }

  // The next instant after now at which queue `q` may have a new available
  // message: a delay or visibility timeout ends, or a move task acts.
  std::optional<int64_t> NextWake(const Queue& q) const {
    std::optional<int64_t> next = NextTaskEvent();
    auto consider = [&](int64_t t) {
      if (t > now_ && (!next || t < *next)) next = t;
    };
    for (const Msg& m : q.messages) {
      if (m.receive_count > 0) {
        consider(m.visible_at);
      } else {
        consider(q.fifo ? m.sent_at + q.delay_seconds * kSecond : m.delay_until);
      }
    }
    return next;
  }

  Observation Do(const ReceiveMessageOp& o, int) {
    if (Find(o.queue) == nullptr) return Observation::Error("QueueDoesNotExist");
    if (o.max_messages < 1 || o.max_messages > 10)
      return Observation::Error("InvalidParameterValue");
    if (o.wait_seconds < 0 || o.wait_seconds > 20)
      return Observation::Error("InvalidParameterValue");
    if (o.visibility_timeout && (*o.visibility_timeout < 0 || *o.visibility_timeout > 43200)) {
      return Observation::Error("InvalidParameterValue");
    }
    const int64_t deadline = now_ + o.wait_seconds * kSecond;
    int still_passes = 0;
    Observation r;
    r.kind = Observation::Kind::kMessages;
    while (true) {
      Queue* q = Find(o.queue);
      if (q == nullptr) break;
      int moved = 0;
      r.messages = TryReceive(*q, o.max_messages,
                              o.visibility_timeout.value_or(q->visibility_timeout), &moved);
      if (!r.messages.empty() || now_ >= deadline) break;
      // A long poll whose attempt only fed the DLQ tries again at once: a
      // message may be available now [D].
      if (moved > 0) continue;
      // Long poll: wait for the first instant a message may be available [D],
      // and try a last time at the deadline.
      std::optional<int64_t> wake = NextWake(*q);
      const int64_t before = now_;
      AdvanceTo(!wake || *wake > deadline ? deadline : *wake);
      // Events due now may take one pass without moving the clock; a second
      // such pass would repeat for ever.
      still_passes = now_ == before ? still_passes + 1 : 0;
      if (stuck_.empty() && still_passes > 1) stuck_ = "long poll does not move the clock";
      if (!stuck_.empty()) break;
    }
    return r;
  }

  // ---- Receipt handles ------------------------------------------------------------------

  const Handle* Resolve(int queue, int back) const {
    if (back < 0) return nullptr;
    auto it = handles_.find(PoolQueueName(queue));
    if (it == handles_.end() || back >= static_cast<int>(it->second.size())) return nullptr;
    return &it->second[it->second.size() - 1 - back];
  }

  // DeleteMessage's outcome for one handle on queue `q` ("" = success).
  std::string DeleteOne(Queue& q, const Handle* h, bool batch) {
    // A handle of a deleted queue's namesake is not valid for this queue
    // (model follows the simulator; unconfirmed).
    if (h == nullptr || h->incarnation != q.incarnation) return "ReceiptHandleIsInvalid";
    auto it = std::find_if(q.messages.begin(), q.messages.end(),
                           [&](const Msg& m) { return m.uid == h->uid; });
    if (it == q.messages.end()) return "";  // already deleted (or gone): a no-op success [O]
    if (q.fifo && (it->current_handle != h->serial || !InFlight(*it))) {
      // FIFO: an expired handle cannot delete [O]; batch reports it per entry.
      return batch ? "ReceiptHandleIsInvalid" : "InvalidParameterValue";
    }
    q.messages.erase(it);  // standard: even an expired or stale handle deletes [O]
    return "";
  }

  std::string ChangeOne(Queue& q, const Handle* h, int visibility) {
    // The timeout is validated before the handle (model choice, unconfirmed).
    if (visibility < 0 || visibility > 43200) return "InvalidParameterValue";
    if (h == nullptr || h->incarnation != q.incarnation) return "ReceiptHandleIsInvalid";
    auto it = std::find_if(q.messages.begin(), q.messages.end(),
                           [&](const Msg& m) { return m.uid == h->uid; });
    if (it == q.messages.end()) {
      return "InvalidParameterValue";  // "Message does not exist or is not available" [O]
    }
    Msg& m = *it;
    // An older handle of a message received again since: on a FIFO queue the
    // message is its current receiver's (model follows the simulator); on a
    // standard queue it acts on the current in-flight period, as a current
    // handle does (AWS accepted one and applied it in LocalStack's
    // AWS-validated runs) [O].
    if (q.fifo && m.current_handle != h->serial) return "InvalidParameterValue";
    if (!InFlight(m)) return "";  // visibility expired: 200, no effect [O]
    if (now_ + visibility * kSecond - m.received_at > 43200 * kSecond) {
      return "InvalidParameterValue";  // 12 h cap from the receive [D]
    }
    m.visible_at = now_ + visibility * kSecond;
    return "";
  }

  Observation Do(const DeleteMessageOp& o, int) {
    Queue* q = Find(o.handle.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    const std::string err = DeleteOne(*q, Resolve(o.handle.queue, o.handle.back), false);
    return err.empty() ? Observation::Ok() : Observation::Error(err);
  }

  Observation Do(const ChangeMessageVisibilityOp& o, int) {
    Queue* q = Find(o.handle.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    const std::string err =
        ChangeOne(*q, Resolve(o.handle.queue, o.handle.back), o.visibility_timeout);
    return err.empty() ? Observation::Ok() : Observation::Error(err);
  }

  Observation Do(const DeleteMessageBatchOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (auto err = ShapeError(o.shape)) return Observation::Error(*err);
    Observation r = BatchResult();
    const std::vector<std::string> ids = BatchEntryIds(o.shape, o.backs.size());
    for (size_t i = 0; i < o.backs.size(); ++i) {
      const std::string err = DeleteOne(*q, Resolve(o.queue, o.backs[i]), true);
      if (err.empty()) {
        r.batch_ok.push_back(ids[i]);
      } else {
        r.batch_failed.emplace_back(ids[i], err);
      }
    }
    SortBatch(r);
    return r;
  }

  Observation Do(const ChangeMessageVisibilityBatchOp& o, int) {
    Queue* q = Find(o.queue);
    if (q == nullptr) return Observation::Error("QueueDoesNotExist");
    if (auto err = ShapeError(o.shape)) return Observation::Error(*err);
    Observation r = BatchResult();
    const std::vector<std::string> ids = BatchEntryIds(o.shape, o.entries.size());
    for (size_t i = 0; i < o.entries.size(); ++i) {
      const std::string err =
          ChangeOne(*q, Resolve(o.queue, o.entries[i].first), o.entries[i].second);
      if (err.empty()) {
        r.batch_ok.push_back(ids[i]);
      } else {
        r.batch_failed.emplace_back(ids[i], err);
      }
    }
    SortBatch(r);
    return r;
  }

  // ---- Move tasks ------------------------------------------------------------------------

  Observation Do(const StartMessageMoveTaskOp& o, int) {
    Queue* source = Find(o.source);
    if (source == nullptr) return Observation::Error("ResourceNotFoundException");
    bool is_dlq = false;
    for (const auto& [name, q] : queues_) {
      if (q.redrive && q.redrive->first == source->name) is_dlq = true;
    }
    if (!is_dlq) return Observation::Error("InvalidParameterValue");
    if (o.destination) {
      Queue* dest = Find(*o.destination);
      if (dest == nullptr) return Observation::Error("ResourceNotFoundException");
      if (dest->fifo != source->fifo) return Observation::Error("InvalidParameterValue");
    }
    if (o.rate && (*o.rate < 1 || *o.rate > 500))
      return Observation::Error("InvalidParameterValue");
    for (const Task& t : tasks_) {
      if (t.source == source->name && t.source_incarnation == source->incarnation &&
          (t.status == "RUNNING" || t.status == "CANCELLING")) {
        return Observation::Error("InvalidParameterValue");  // one active task per source [O]
      }
    }
    Task t;
    t.source = source->name;
    t.destination = o.destination ? std::optional(PoolQueueName(*o.destination)) : std::nullopt;
    t.rate = o.rate;
    t.started = now_;
    t.ordinal = static_cast<int>(tasks_.size());
    // The snapshot holds the messages available at the start; delayed and
    // in-flight ones are not counted (model follows the simulator; unconfirmed).
    for (const Msg& m : source->messages) {
      if (Available(*source, m)) t.pending.push_back(m.uid);
    }
    t.to_move = static_cast<int>(t.pending.size());
    t.source_incarnation = source->incarnation;
    if (t.to_move == 0) t.status = "COMPLETED";
    tasks_.push_back(t);
    return Observation::Ok();
  }

  Observation Do(const ListMessageMoveTasksOp& o, int) {
    Queue* source = Find(o.source);
    if (source == nullptr) return Observation::Error("ResourceNotFoundException");
    const int max = o.max_results.value_or(1);
    if (max < 1 || max > 10) return Observation::Error("InvalidParameterValue");
    std::string s = "[";
    int listed = 0;
    for (auto it = tasks_.rbegin(); it != tasks_.rend() && listed < max; ++it) {
      if (it->source != source->name || it->source_incarnation != source->incarnation) continue;
      s += (listed ? "; " : "") + TaskText(*it);
      ++listed;
    }
    return Observation::Ok(s + "]");
  }

  static std::string TaskText(const Task& t) {
    std::string s =
        t.status + " moved=" + std::to_string(t.moved) + "/" + std::to_string(t.to_move);
    s += " dest=" + t.destination.value_or("-");
    s += " rate=" + (t.rate ? std::to_string(*t.rate) : std::string("-"));
    if (t.status == "RUNNING") s += " handle=task" + std::to_string(t.ordinal);
    if (!t.failure.empty()) s += " failure=" + t.failure;
    return s;
  }

  Observation Do(const CancelMessageMoveTaskOp& o, int) {
    if (o.back < 0 || o.back >= static_cast<int>(tasks_.size())) {
      return Observation::Error("InvalidParameterValue");
    }
    Task& t = tasks_[tasks_.size() - 1 - o.back];
    if (FindByName(t.source) == nullptr) return Observation::Error("ResourceNotFoundException");
    if (t.status != "RUNNING") return Observation::Error("ResourceNotFoundException");
    t.status = "CANCELLING";
    t.cancelled = now_;
    return Observation::Ok("moved=" + std::to_string(t.moved));
  }

  Observation Do(const AdvanceTimeOp& o, int) {
    AdvanceTo(now_ + std::chrono::duration_cast<std::chrono::microseconds>(o.duration).count());
    return Observation::Ok();
  }

  std::string stuck_{};  // why the model could not move on, once it could not
  int64_t now_ = 0;
  int64_t next_uid_ = 1;
  int64_t next_handle_ = 1;
  int64_t next_incarnation_ = 1;
  std::map<std::string, Queue> queues_{};
  std::map<std::string, int64_t> deleted_at_{};
  std::map<std::string, std::vector<Handle>> handles_{};
  std::vector<Task> tasks_{};
};

ReferenceModel::ReferenceModel(KnownDeviations deviations)
    : impl_(std::make_unique<Impl>(deviations)) {}

ReferenceModel::~ReferenceModel() = default;

Observation ReferenceModel::Apply(const Operation& op, int step) { return impl_->Apply(op, step); }

int64_t ReferenceModel::now_us() const { return impl_->now_us(); }

int ReferenceModel::MessageCount(int index) const { return impl_->MessageCount(index); }

}  // namespace sqsim::model
