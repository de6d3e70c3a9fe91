// FifoIndex: message groups of a FIFO queue and which of them can deliver.
//
// SQS delivers a FIFO group strictly in order: a receive takes a group's
// messages from its head while they are visible and stops at the first one
// that is in flight or still delayed, so while a message of the group is in
// flight nothing after it is delivered. A message before it that became
// visible again (ChangeMessageVisibility, or its own timeout) is delivered,
// as observed on SQS (LocalStack's AWS-validated
// test_fifo_message_group_visibility_after_terminate_visibility_timeout),
// although the docs' "no more messages for the same message group ID are
// returned" suggests a lock on the whole group. A group whose head is visible
// is "ready". One receive fills from the ready group with the oldest head
// first, then from the next, as SQS documents ("returns as many messages of
// the same group as possible") and as observed (the group of the oldest available
// message first, then the next group by oldest message).
//
// Groups keep their messages as references in send order; references of
// messages that left the store are skipped and pruned lazily. Ready groups
// sit in a min-heap keyed by their head's send sequence, validated when they
// reach the top. Cost per receive is O(k log g) for k messages and g groups.
//
// Thread safety: none; owned by its queue.

#ifndef SQSIM_SIM_FIFO_INDEX_H_
#define SQSIM_SIM_FIFO_INDEX_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "sim/message_store.h"

namespace sqsim::internal {

class FifoIndex {
 public:
  // A Select `redrive_at` that redrives nothing.
  static constexpr uint32_t kNoRedrive = UINT32_MAX;

  // The index of group `group_id`, creating the group on first use.
  uint32_t GroupIndex(const std::string& group_id);

  // Adds `ref` at the tail of its group (`store.Find(ref)->group`).
  void Append(MessageRef ref, const MessageStore& store);

  // Re-examines group `group` after one of its messages became visible or
  // left the store, or after a Select that chose from it delivered nothing.
  void Refresh(uint32_t group, const MessageStore& store);
  // Makes sure the next `n` Refreshes allocate nothing (see
  // MessageStore::ReserveReady).
  void ReserveReady(size_t n);

  // Chooses up to `max` visible messages to deliver, in delivery order,
  // without changing any state. The caller puts them in flight. Messages
  // received `redrive_at` times or more are not chosen but appended to
  // `redrive` (which must then be non-null) for the dead-letter hand-off: they
  // take no slot, and their group's run continues past them.
  std::vector<MessageRef> Select(size_t max, const MessageStore& store,
                                 uint32_t redrive_at = kNoRedrive,
                                 std::vector<MessageRef>* redrive = nullptr);

  // Rebuilds the ready set from scratch (after a retroactive delay change,
  // or a receive that ran out of memory halfway). Allocates nothing.
  void Rebuild(const MessageStore& store);

  // Forgets every message (PurgeQueue); groups stay known.
  void Clear();

  size_t group_count() const { return groups_.size(); }

 private:
  struct Group {
    std::deque<MessageRef> messages;  // send order; may hold removed refs
    // The head sequence of this group's entry in ready_ (0: none), so that a
    // group is queued at most once per head however often it is refreshed.
    uint64_t queued_head = 0;
  };
  struct ReadyEntry {
    uint64_t head_seq;
    uint32_t group;
    bool operator>(const ReadyEntry& o) const {
      return head_seq != o.head_seq ? head_seq > o.head_seq : group > o.group;
    }
  };

  // Drops removed messages from the front of `g`; returns the head, if any.
  const StoredMessage* Head(Group& g, const MessageStore& store);
  void PushIfReady(uint32_t group, const MessageStore& store);
  void PopReady();

  std::map<std::string, uint32_t> group_ids_;
  std::vector<Group> groups_;
  std::vector<ReadyEntry> ready_;  // min-heap via std::push_heap with greater
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_FIFO_INDEX_H_
