#include "sim/message_store.h"

#include <algorithm>

#include "sqsim/status.h"

namespace sqsim::internal {
namespace {

// Min-heap order on (key, slot). The slot breaks ties so that the order never
// depends on anything but the sequence of operations.
bool After(int64_t key_a, uint32_t slot_a, int64_t key_b, uint32_t slot_b) {
  return key_a != key_b ? key_a > key_b : slot_a > slot_b;
}

}  // namespace

bool MessageStore::EntryAfter(const HeapEntry& a, const HeapEntry& b) {
  return After(a.key, a.slot, b.key, b.slot);
}

void MessageStore::Heap::Push(HeapEntry e) {
  if (run.empty() || !EntryAfter(run.back(), e)) {
    run.push_back(e);
    return;
  }
  heap.push_back(e);
  std::push_heap(heap.begin(), heap.end(), EntryAfter);
}

const MessageStore::HeapEntry& MessageStore::Heap::Top() const {
  if (heap.empty()) return run.front();
  if (run.empty()) return heap.front();
  return EntryAfter(run.front(), heap.front()) ? heap.front() : run.front();
}

void MessageStore::Heap::Pop() {
  if (!heap.empty() && (run.empty() || EntryAfter(run.front(), heap.front()))) {
    std::pop_heap(heap.begin(), heap.end(), EntryAfter);
    heap.pop_back();
  } else {
    run.pop_front();
  }
}

template <typename Live>
void MessageStore::Heap::Compact(size_t live, Live is_live) {
  if (size() <= 2 * live + 1024) return;
  std::erase_if(run, [&](const HeapEntry& e) { return !is_live(e); });
  std::erase_if(heap, [&](const HeapEntry& e) { return !is_live(e); });
  std::make_heap(heap.begin(), heap.end(), EntryAfter);
}

StoredMessage CopyMessage(const StoredMessage& m) {
  StoredMessage copy;
  copy.body = m.body;
  if (m.extras) copy.extras = std::make_unique<MessageExtras>(*m.extras);
  copy.id = m.id;
  copy.body_md5 = m.body_md5;
  copy.sent_us = m.sent_us;
  copy.first_receive_us = m.first_receive_us;
  copy.available_us = m.available_us;
  copy.receive_started_us = m.receive_started_us;
  copy.seq = m.seq;
  copy.generation = m.generation;
  copy.receive_count = m.receive_count;
  copy.group = m.group;
  copy.state = m.state;
  copy.server = m.server;
  return copy;
}

uint32_t MessageStore::AllocateSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if (slot_count_ == chunks_.size() * kChunkSize) {
    // The free list gets room for every slot when the slot is made, so that
    // giving a slot back (Remove, or Insert undoing itself) never allocates.
    free_slots_.reserve((chunks_.size() + 1) * kChunkSize);
    chunks_.push_back(std::make_unique<StoredMessage[]>(kChunkSize));
  }
  return slot_count_++;
}

void MessageStore::Count(const StoredMessage& m, int delta) {
  if (m.state == MessageState::kInFlight) {
    if (m.group >= in_flight_by_group_.size()) in_flight_by_group_.resize(m.group + 1);
    in_flight_by_group_[m.group] += delta;
  }
  switch (m.state) {
    case MessageState::kVisible:
      visible_ += delta;
      break;
    case MessageState::kInFlight:
      in_flight_ += delta;
      break;
    case MessageState::kDelayed:
      delayed_ += delta;
      break;
    case MessageState::kFree:
      break;
  }
}

MessageStore::~MessageStore() {
  if (usage_ == nullptr) return;
  usage_->messages -= static_cast<int64_t>(size());
  usage_->bytes -= body_bytes_;
}

void MessageStore::Account(const StoredMessage& m, int delta) {
  const int64_t bytes = delta * static_cast<int64_t>(m.body.size());
  body_bytes_ += bytes;
  if (usage_ != nullptr) {
    usage_->messages += delta;
    usage_->bytes += bytes;
  }
}

MessageRef MessageStore::Insert(StoredMessage&& message, int64_t now_us, int64_t visible_at_us) {
  // All or nothing: the priority-queue entries are pushed while the slot is
  // still free, and only then is the message moved in. If a push fails to
  // allocate, the slot goes back with a new generation (which kills the
  // entries already pushed) and `message` is left as it was.
  const uint32_t slot = AllocateSlot();
  StoredMessage& stored = SlotAt(slot);
  const uint32_t generation = stored.generation;
  const bool delayed = visible_at_us > now_us;
  try {
    PushExpiry({message.sent_us, slot, generation});
    if (delayed) {
      PushTimed({visible_at_us, slot, generation});
    } else {
      BecameVisible({slot, generation}, message.seq);
    }
  } catch (...) {
    stored.generation = generation + 1;
    free_slots_.push_back(slot);  // room reserved by AllocateSlot
    throw;
  }
  stored = std::move(message);
  stored.generation = generation;
  stored.available_us = visible_at_us;
  stored.state = delayed ? MessageState::kDelayed : MessageState::kVisible;
  Count(stored, +1);
  Account(stored, +1);
  return {slot, generation};
}

bool MessageStore::ReadyEntryLive(const HeapEntry& e) const {
  const StoredMessage& m = SlotAt(e.slot);
  return m.generation == e.generation && m.state == MessageState::kVisible;
}

bool MessageStore::TimedEntryLive(const HeapEntry& e) const {
  const StoredMessage& m = SlotAt(e.slot);
  return m.generation == e.generation && m.available_us == e.key &&
         (m.state == MessageState::kDelayed || m.state == MessageState::kInFlight);
}

bool MessageStore::ExpiryEntryLive(const HeapEntry& e) const {
  const StoredMessage& m = SlotAt(e.slot);
  return m.generation == e.generation && m.state != MessageState::kFree;
}

void MessageStore::Settle(int64_t now_us, int64_t retention_us,
                          std::vector<StoredMessage>* expired) {
  // Dead entries pile up only as fast as operations push, so looking for
  // sparse queues every so many settles bounds them as well as every time.
  if (++settles_ % kSettlesPerCompactCheck == 0) CompactIfSparse();
  if (expiry_bound_us_ > now_us - retention_us && timed_bound_us_ > now_us) return;
  while (!expiry_.empty()) {
    const HeapEntry top = expiry_.Top();
    if (!ExpiryEntryLive(top)) {
      expiry_.Pop();
      continue;
    }
    if (top.key + retention_us > now_us) break;
    expiry_.Pop();
    StoredMessage gone = Remove({top.slot, top.generation});
    if (expired != nullptr) expired->push_back(std::move(gone));
  }
  while (!timed_.empty()) {
    const HeapEntry top = timed_.Top();
    if (!TimedEntryLive(top)) {
      timed_.Pop();
      continue;
    }
    if (top.key > now_us) break;
    StoredMessage& m = SlotAt(top.slot);
    BecameVisible({top.slot, top.generation}, m.seq);  // may allocate: before any change
    timed_.Pop();
    Count(m, -1);
    m.state = MessageState::kVisible;
    Count(m, +1);
  }
  // Both tops are live now (or the queue is empty): the bounds are exact.
  expiry_bound_us_ = expiry_.empty() ? std::numeric_limits<int64_t>::max() : expiry_.Top().key;
  timed_bound_us_ = timed_.empty() ? std::numeric_limits<int64_t>::max() : timed_.Top().key;
}

StoredMessage* MessageStore::Find(MessageRef ref) {
  if (ref.slot >= slot_count_) return nullptr;
  StoredMessage& m = SlotAt(ref.slot);
  if (m.generation != ref.generation || m.state == MessageState::kFree) return nullptr;
  return &m;
}

const StoredMessage* MessageStore::Find(MessageRef ref) const {
  return const_cast<MessageStore*>(this)->Find(ref);
}

std::optional<MessageRef> MessageStore::PopReady() {
  while (!ready_.empty()) {
    const HeapEntry top = ready_.Top();
    ready_.Pop();
    if (ReadyEntryLive(top)) return MessageRef{top.slot, top.generation};
  }
  return std::nullopt;
}

void MessageStore::PutBack(MessageRef ref) {
  StoredMessage& m = SlotAt(ref.slot);
  SQSIM_ASSERT(m.generation == ref.generation && m.state == MessageState::kVisible,
               "PutBack of a message that is not visible");
  // Into the binary heap, never the run: only the heap's room can be
  // reserved (ReserveReady).
  ready_.heap.push_back({static_cast<int64_t>(m.seq), ref.slot, ref.generation});
  std::push_heap(ready_.heap.begin(), ready_.heap.end(), EntryAfter);
}

std::optional<int64_t> MessageStore::OldestSentUs() {
  // The expiry queue is ordered by send time; its dead entries go first.
  while (!expiry_.empty()) {
    const HeapEntry top = expiry_.Top();
    if (ExpiryEntryLive(top)) return top.key;
    expiry_.Pop();
  }
  return std::nullopt;
}

void MessageStore::ReserveReady(size_t n) {
  std::vector<HeapEntry>& heap = ready_.heap;
  if (heap.size() + n > heap.capacity()) {
    heap.reserve(std::max(heap.size() + n, 2 * heap.capacity()));
  }
}

void MessageStore::SetInFlight(MessageRef ref, int64_t now_us, int64_t deadline_us) {
  StoredMessage& m = SlotAt(ref.slot);
  SQSIM_ASSERT(m.generation == ref.generation &&
                   (m.state == MessageState::kVisible || m.state == MessageState::kInFlight),
               "SetInFlight of a message that is neither visible nor in flight");
  // All or nothing: what may allocate (the heap entry, the group's counter)
  // comes before any change. An entry pushed for a change that then fails
  // is dead: it names a deadline the message does not have, or a state it
  // is not in.
  const bool in_flight = deadline_us > now_us;
  if (in_flight) {
    PushTimed({deadline_us, ref.slot, ref.generation});
    if (m.group >= in_flight_by_group_.size()) in_flight_by_group_.resize(m.group + 1);
  } else {
    // A popped visible message has no ready entry; an in-flight one neither.
    BecameVisible(ref, m.seq);
  }
  Count(m, -1);
  m.available_us = deadline_us;
  m.state = in_flight ? MessageState::kInFlight : MessageState::kVisible;
  Count(m, +1);
}

StoredMessage MessageStore::Remove(MessageRef ref) {
  StoredMessage& m = SlotAt(ref.slot);
  SQSIM_ASSERT(m.generation == ref.generation && m.state != MessageState::kFree,
               "Remove of a message that is not stored");
  Count(m, -1);
  Account(m, -1);
  StoredMessage out = std::move(m);
  m = StoredMessage{};
  m.generation = ref.generation + 1;  // invalidates handles and heap entries
  m.state = MessageState::kFree;
  free_slots_.push_back(ref.slot);
  out.state = MessageState::kFree;
  return out;
}

void MessageStore::ClearQueues() {
  ready_.clear();
  timed_.clear();
  expiry_.clear();
  timed_bound_us_ = std::numeric_limits<int64_t>::max();
  expiry_bound_us_ = std::numeric_limits<int64_t>::max();
}

void MessageStore::BecameVisible(MessageRef ref, uint64_t seq) {
  if (fifo_) {
    newly_visible_.push_back(ref);
  } else {
    ready_.Push({static_cast<int64_t>(seq), ref.slot, ref.generation});
  }
}

std::vector<MessageRef> MessageStore::TakeNewlyVisible() {
  std::vector<MessageRef> out;
  out.swap(newly_visible_);
  return out;
}

void MessageStore::Reschedule(int64_t now_us, int64_t delay_us) {
  for (uint32_t slot = 0; slot < slot_count_; ++slot) {
    StoredMessage& m = SlotAt(slot);
    if (m.state != MessageState::kDelayed && m.state != MessageState::kVisible) continue;
    if (m.receive_count > 0) continue;  // delivered once: no longer a new message
    const int64_t visible_at = m.sent_us + delay_us;
    const bool delayed = visible_at > now_us;
    // The entry first (it may allocate), then the change: each message is
    // rescheduled whole or not at all.
    if (delayed) {
      PushTimed({visible_at, slot, m.generation});
    } else if (m.state != MessageState::kVisible) {
      BecameVisible({slot, m.generation}, m.seq);
    }
    Count(m, -1);
    m.available_us = visible_at;
    m.state = delayed ? MessageState::kDelayed : MessageState::kVisible;
    Count(m, +1);
  }
}

size_t MessageStore::in_flight_in_group(uint32_t group) const {
  return group < in_flight_by_group_.size() ? in_flight_by_group_[group] : 0;
}

std::optional<int64_t> MessageStore::NextTransitionUs() {
  while (!timed_.empty() && !TimedEntryLive(timed_.Top())) timed_.Pop();
  if (timed_.empty()) return std::nullopt;
  return timed_.Top().key;
}

void MessageStore::PushTimed(HeapEntry e) {
  timed_bound_us_ = std::min(timed_bound_us_, e.key);
  timed_.Push(e);
}

void MessageStore::PushExpiry(HeapEntry e) {
  expiry_bound_us_ = std::min(expiry_bound_us_, e.key);
  expiry_.Push(e);
}

void MessageStore::CompactIfSparse() {
  ready_.Compact(visible_, [this](const HeapEntry& e) { return ReadyEntryLive(e); });
  timed_.Compact(in_flight_ + delayed_, [this](const HeapEntry& e) { return TimedEntryLive(e); });
  expiry_.Compact(size(), [this](const HeapEntry& e) { return ExpiryEntryLive(e); });
}

}  // namespace sqsim::internal
