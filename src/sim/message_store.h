// MessageStore: the messages of one queue and their state machine.
//
//   delayed --(delay ends)--> visible --(receive)--> in flight
//   in flight --(visibility deadline)--> visible;  any state --> removed
//
// Messages live in a slab of fixed slots addressed by (slot, generation), so
// a receipt handle finds its message in O(1) and a stale handle is detected
// by a generation mismatch. Three binary heaps order the work:
//   ready_   visible messages by send sequence (the delivery order);
//   timed_   delayed and in-flight messages by the time they become visible;
//   expiry_  all messages by sent time (retention).
// Heap entries are removed lazily: an entry whose slot changed since it was
// pushed is skipped when it reaches the top, and a heap whose dead entries
// outnumber its live ones is rebuilt. Every operation is O(log n) amortised.
//
// Time-driven transitions are applied by `Settle(now)`, which the engine
// calls before every operation on the queue.
//
// Thread safety: none; owned by the engine's single thread.

#ifndef SQSIM_SIM_MESSAGE_STORE_H_
#define SQSIM_SIM_MESSAGE_STORE_H_

#include <array>
#include <cstdint>
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
  MessageState state = MessageState::kFree;
  uint8_t server = 0;  // simulated server holding the message (short polls)
};

// Names a message for as long as it stays in the store.
struct MessageRef {
  uint32_t slot = 0;
  uint32_t generation = 0;
};

class MessageStore {
 public:
  MessageStore() = default;
  MessageStore(const MessageStore&) = delete;
  MessageStore& operator=(const MessageStore&) = delete;

  // Adds a message sent at `message.sent_us` that becomes visible at
  // `visible_at_us` (delayed until then when later than `now_us`).
  MessageRef Insert(StoredMessage message, int64_t now_us, int64_t visible_at_us);

  // Applies every transition due at `now_us`: removes messages whose
  // retention (`retention_us` after sending) has ended, appending them to
  // `expired` when it is not null, then makes due delayed and in-flight
  // messages visible.
  void Settle(int64_t now_us, int64_t retention_us, std::vector<StoredMessage>* expired);

  // The message `ref` names, or nullptr when it has left the store.
  StoredMessage* Find(MessageRef ref);
  const StoredMessage* Find(MessageRef ref) const;

  // Takes the next visible message in delivery order off the ready heap (it
  // stays visible until MarkInFlight, or PutBack returns it to the heap).
  std::optional<MessageRef> PopReady();
  void PutBack(MessageRef ref);

  // Makes a message (visible and popped, or in flight) in flight until
  // `deadline_us`; a deadline at or before `now_us` makes it visible again.
  void SetInFlight(MessageRef ref, int64_t now_us, int64_t deadline_us);

  // Removes a message and returns it.
  StoredMessage Remove(MessageRef ref);

  // Removes every message, appending them to `removed` when not null.
  void Clear(std::vector<StoredMessage>* removed);

  // When the earliest delayed or in-flight message becomes visible, if any.
  // May be earlier than the true next event (a stale heap entry); never later.
  std::optional<int64_t> NextTransitionUs();

  size_t visible() const { return visible_; }
  size_t in_flight() const { return in_flight_; }
  size_t delayed() const { return delayed_; }
  size_t size() const { return visible_ + in_flight_ + delayed_; }

 private:
  struct HeapEntry {
    int64_t key;  // seq for ready_, time for timed_ and expiry_
    uint32_t slot;
    uint32_t generation;
  };
  struct Heap {
    std::vector<HeapEntry> entries;
    void Push(HeapEntry e);
    void Pop();
    const HeapEntry& Top() const { return entries.front(); }
    bool empty() const { return entries.empty(); }
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
  void Count(MessageState state, int delta);
  bool ReadyEntryLive(const HeapEntry& e) const;
  bool TimedEntryLive(const HeapEntry& e) const;
  bool ExpiryEntryLive(const HeapEntry& e) const;
  void CompactIfSparse();

  std::vector<std::unique_ptr<StoredMessage[]>> chunks_;
  uint32_t slot_count_ = 0;
  std::vector<uint32_t> free_slots_;
  Heap ready_;
  Heap timed_;
  Heap expiry_;
  size_t visible_ = 0;
  size_t in_flight_ = 0;
  size_t delayed_ = 0;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_MESSAGE_STORE_H_
