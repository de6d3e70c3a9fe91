// MessageStore: the messages of one queue and their state machine.
//
//   delayed --(delay ends)--> visible --(receive)--> in flight
//   in flight --(visibility deadline)--> visible;  any state --> removed
//
// Messages live in a slab of fixed slots addressed by (slot, generation), so
// a receipt handle finds its message in O(1) and a stale handle is detected
// by a generation mismatch. Three priority queues order the work:
//   ready_   visible messages by send sequence (the delivery order);
//   timed_   delayed and in-flight messages by the time they become visible;
//   expiry_  all messages by sent time (retention).
// Keys mostly arrive in increasing order (new sends have the highest
// sequence, the latest sent time, and — with one visibility timeout — the
// latest deadline), so each priority queue is a FIFO run for in-order keys
// plus a binary heap for the others: the common path is O(1) and touches
// only the ends of the run, the rest is O(log n). Entries are removed
// lazily: an entry whose slot changed since it was pushed is skipped when it
// reaches the top, and a queue whose dead entries outnumber its live ones is
// rebuilt.
//
// Time-driven transitions are applied by `Settle(now)`, which the engine
// calls before every operation on the queue.
//
// Thread safety: none; owned by the engine's single thread.

#ifndef SQSIM_SIM_MESSAGE_STORE_H_
#define SQSIM_SIM_MESSAGE_STORE_H_

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/types.h"

namespace sqsim::internal {

enum class MessageState : uint8_t { kFree, kDelayed, kVisible, kInFlight };

// Rarely-present parts of a message, kept out of line so that a plain
// message stays small.
struct MessageExtras {
  MessageAttributeMap attributes;
  MessageAttributeMap system_attributes;  // AWSTraceHeader
  std::optional<std::string> group_id;
  std::optional<std::string> dead_letter_source_arn;
  std::optional<std::string> deduplication_id;  // FIFO
  std::optional<std::string> sequence_number;   // FIFO
};

struct StoredMessage {
  std::string body;
  std::unique_ptr<MessageExtras> extras;  // null when the message has none
  std::array<uint8_t, 16> id{};
  std::array<uint8_t, 16> body_md5{};
  int64_t sent_us = 0;             // SentTimestamp; retention counts from here
  int64_t first_receive_us = 0;    // 0 = never received
  int64_t available_us = 0;        // delayed: delay end; in flight: deadline
  int64_t receive_started_us = 0;  // the receive that began this in-flight period
  uint64_t seq = 0;                // send order within the queue
  uint32_t generation = 0;
  uint32_t receive_count = 0;
  // Message group: FIFO, its index in the queue's FifoIndex; standard (fair
  // queues), its tenant index, 0 for messages sent without a group.
  uint32_t group = 0;
  MessageState state = MessageState::kFree;
  uint8_t server = 0;  // simulated server holding the message (short polls)
};

// A copy of `m` (StoredMessage is move-only because of its extras): what a
// change that must be able to fail copies before it moves a message.
StoredMessage CopyMessage(const StoredMessage& m);

// Messages and body bytes held by every store that shares it: the engine
// keeps one for its capacity limits (SimulatorLimits::max_stored_*).
struct StorageUsage {
  int64_t messages = 0;
  int64_t bytes = 0;
};

// Names a message for as long as it stays in the store.
struct MessageRef {
  uint32_t slot = 0;
  uint32_t generation = 0;
};

class MessageStore {
 public:
  // In FIFO mode the store keeps no per-message delivery order (the queue's
  // FifoIndex orders groups instead): a message that becomes visible is
  // reported through TakeNewlyVisible() rather than queued for PopReady().
  explicit MessageStore(bool fifo = false) : fifo_(fifo) {}
  // Returns what it still holds to the shared usage.
  ~MessageStore();
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Counts every message and body byte this store adds or removes in
  // `usage` as well. REQUIRES: the store is empty; `usage` outlives it.
  void ShareUsage(StorageUsage* usage) { usage_ = usage; }

  // Adds a message sent at `message.sent_us` that becomes visible at
  // `visible_at_us` (delayed until then when later than `now_us`). All or
  // nothing: if memory runs out, nothing changed and `message` is intact.
  MessageRef Insert(StoredMessage&& message, int64_t now_us, int64_t visible_at_us);

  // Applies every transition due at `now_us`: removes messages whose
  // retention (`retention_us` after sending) has ended, appending them to
  // `expired` when it is not null, then makes due delayed and in-flight
  // messages visible.
  void Settle(int64_t now_us, int64_t retention_us, std::vector<StoredMessage>* expired);

  // The message `ref` names, or nullptr when it has left the store.
  StoredMessage* Find(MessageRef ref);
  const StoredMessage* Find(MessageRef ref) const;

  // Takes the next visible message in delivery order off the ready heap (it
  // stays visible until SetInFlight, or PutBack returns it to the heap).
  std::optional<MessageRef> PopReady();
  void PutBack(MessageRef ref);
  // Makes sure the next `n` PutBacks allocate nothing, so that a change that
  // pops messages can always return them when it fails halfway. (Remove
  // never allocates.)
  void ReserveReady(size_t n);

  // When the oldest message stored was sent (nullopt: none is stored).
  std::optional<int64_t> OldestSentUs();

  // Makes a message (visible and popped, or in flight) in flight until
  // `deadline_us`; a deadline at or before `now_us` makes it visible again.
  void SetInFlight(MessageRef ref, int64_t now_us, int64_t deadline_us);

  // Removes a message and returns it.
  StoredMessage Remove(MessageRef ref);

  // Removes every message, handing each to `removed(StoredMessage&&)` as it
  // goes (a purge of a million messages never holds them all twice).
  template <typename F>
  void Clear(F&& removed) {
    for (uint32_t slot = 0; slot < slot_count_; ++slot) {
      StoredMessage& m = SlotAt(slot);
      if (m.state != MessageState::kFree) removed(Remove({slot, m.generation}));
    }
    ClearQueues();
  }

  // FIFO mode: the messages that became visible since the last call.
  std::vector<MessageRef> TakeNewlyVisible();

  // Re-times every message that has never been received to become visible
  // at its sent time + `delay_us` (FIFO queues apply a changed DelaySeconds
  // to the messages already queued). A message that was received has been
  // delivered: the delay, which postpones the delivery of new messages, is
  // behind it, so it keeps its state.
  void Reschedule(int64_t now_us, int64_t delay_us);

  // When the earliest delayed or in-flight message becomes visible, if any.
  // May be earlier than the true next event (a stale heap entry); never later.
  std::optional<int64_t> NextTransitionUs();

  // Calls `f(ref, message)` for every stored message, in slot order,
  // changing nothing (the server's peek endpoint). States are as of the
  // last Settle: a caller wanting "now" compares `available_us` itself.
  template <typename F>
  void ForEach(F&& f) const {
    for (uint32_t slot = 0; slot < slot_count_; ++slot) {
      const StoredMessage& m = SlotAt(slot);
      if (m.state != MessageState::kFree) f(MessageRef{slot, m.generation}, m);
    }
  }

  // Like ForEach from slot `first_slot` on, stopping before the message
  // for which `f` returns false. Returns that message's slot, or nullopt
  // when every remaining message was visited (a cursor for paging).
  template <typename F>
  std::optional<uint32_t> ForEachFrom(uint32_t first_slot, F&& f) const {
    for (uint32_t slot = first_slot; slot < slot_count_; ++slot) {
      const StoredMessage& m = SlotAt(slot);
      if (m.state != MessageState::kFree && !f(MessageRef{slot, m.generation}, m)) return slot;
    }
    return std::nullopt;
  }

  size_t visible() const { return visible_; }
  size_t in_flight() const { return in_flight_; }
  size_t delayed() const { return delayed_; }
  // In-flight messages of message group `group` (StoredMessage::group).
  size_t in_flight_in_group(uint32_t group) const;
  size_t size() const { return visible_ + in_flight_ + delayed_; }

 private:
  struct HeapEntry {
    int64_t key;  // seq for ready_, time for timed_ and expiry_
    uint32_t slot;
    uint32_t generation;
  };
  static bool EntryAfter(const HeapEntry& a, const HeapEntry& b);

  // A min-priority queue on (key, slot): `run` holds entries pushed in
  // non-decreasing order (a deque used as a FIFO), `heap` the rest.
  struct Heap {
    std::deque<HeapEntry> run;
    std::vector<HeapEntry> heap;
    void Push(HeapEntry e);
    void Pop();
    const HeapEntry& Top() const;
    bool empty() const { return run.empty() && heap.empty(); }
    size_t size() const { return run.size() + heap.size(); }
    void clear() {
      run.clear();
      heap.clear();
    }
    template <typename Live>
    void Compact(size_t live, Live is_live);
  };

  static constexpr uint32_t kChunkBits = 12;  // 4096 slots per chunk
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;

  StoredMessage& SlotAt(uint32_t slot) {
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }
  const StoredMessage& SlotAt(uint32_t slot) const {
    return chunks_[slot >> kChunkBits][slot & (kChunkSize - 1)];
  }
  uint32_t AllocateSlot();
  // Keeps the per-state and per-group counters; called around every state
  // change (with the message in its old state, -1, then its new one, +1).
  void Count(const StoredMessage& m, int delta);
  // Keeps the usage counts; called when a message enters (+1) or leaves (-1).
  void Account(const StoredMessage& m, int delta);
  bool ReadyEntryLive(const HeapEntry& e) const;
  bool TimedEntryLive(const HeapEntry& e) const;
  bool ExpiryEntryLive(const HeapEntry& e) const;
  void CompactIfSparse();
  // Empties the three priority queues (Clear's last step).
  void ClearQueues();
  // Pushes onto timed_ / expiry_, keeping the bounds below.
  void PushTimed(HeapEntry e);
  void PushExpiry(HeapEntry e);
  // Records that `ref` became visible: FIFO mode notes it, standard mode
  // queues it for delivery.
  void BecameVisible(MessageRef ref, uint64_t seq);

  bool fifo_;
  int64_t body_bytes_ = 0;         // of the messages stored (their count is size())
  StorageUsage* usage_ = nullptr;  // where both are also counted, if anywhere
  std::vector<MessageRef> newly_visible_;
  std::vector<std::unique_ptr<StoredMessage[]>> chunks_;
  uint32_t slot_count_ = 0;
  std::vector<uint32_t> free_slots_;
  Heap ready_;
  Heap timed_;
  Heap expiry_;
  std::vector<uint32_t> in_flight_by_group_;
  // Never more than the smallest key in timed_ / expiry_ (exact after a
  // Settle that did its work, lower while entries die lazily), so that a
  // Settle with nothing due, the common case, returns without looking at
  // either queue.
  int64_t timed_bound_us_ = std::numeric_limits<int64_t>::max();
  int64_t expiry_bound_us_ = std::numeric_limits<int64_t>::max();
  static constexpr uint64_t kSettlesPerCompactCheck = 64;
  uint64_t settles_ = 0;
  size_t visible_ = 0;
  size_t in_flight_ = 0;
  size_t delayed_ = 0;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_MESSAGE_STORE_H_
