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

uint32_t MessageStore::AllocateSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if ((slot_count_ & (kChunkSize - 1)) == 0) {
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
  const uint32_t slot = AllocateSlot();
  StoredMessage& stored = SlotAt(slot);
  const uint32_t generation = stored.generation;
  stored = std::move(message);
  stored.generation = generation;
  stored.available_us = visible_at_us;
  PushExpiry({stored.sent_us, slot, generation});
  if (visible_at_us > now_us) {
    stored.state = MessageState::kDelayed;
    PushTimed({visible_at_us, slot, generation});
  } else {
    stored.state = MessageState::kVisible;
    BecameVisible({slot, generation}, stored.seq);
  }
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
    timed_.Pop();
    StoredMessage& m = SlotAt(top.slot);
    Count(m, -1);
    m.state = MessageState::kVisible;
    Count(m, +1);
    BecameVisible({top.slot, top.generation}, m.seq);
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
  ready_.Push({static_cast<int64_t>(m.seq), ref.slot, ref.generation});
}

void MessageStore::SetInFlight(MessageRef ref, int64_t now_us, int64_t deadline_us) {
  StoredMessage& m = SlotAt(ref.slot);
  SQSIM_ASSERT(m.generation == ref.generation &&
                   (m.state == MessageState::kVisible || m.state == MessageState::kInFlight),
               "SetInFlight of a message that is neither visible nor in flight");
  const MessageState before = m.state;
  Count(m, -1);
  m.available_us = deadline_us;
  if (deadline_us <= now_us) {
    m.state = MessageState::kVisible;
    // A popped visible message has no ready entry; an in-flight one neither.
    BecameVisible(ref, m.seq);
  } else {
    m.state = MessageState::kInFlight;
    PushTimed({deadline_us, ref.slot, ref.generation});
  }
  Count(m, +1);
  (void)before;
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
    const MessageState before = m.state;
    const int64_t visible_at = m.sent_us + delay_us;
    Count(m, -1);
    m.available_us = visible_at;
    if (visible_at > now_us) {
      m.state = MessageState::kDelayed;
      PushTimed({visible_at, slot, m.generation});
    } else {
      m.state = MessageState::kVisible;
      if (before != MessageState::kVisible) BecameVisible({slot, m.generation}, m.seq);
    }
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
