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

void MessageStore::Heap::Push(HeapEntry e) {
  entries.push_back(e);
  std::push_heap(entries.begin(), entries.end(), [](const HeapEntry& a, const HeapEntry& b) {
    return After(a.key, a.slot, b.key, b.slot);
  });
}

void MessageStore::Heap::Pop() {
  std::pop_heap(entries.begin(), entries.end(), [](const HeapEntry& a, const HeapEntry& b) {
    return After(a.key, a.slot, b.key, b.slot);
  });
  entries.pop_back();
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

void MessageStore::Count(MessageState state, int delta) {
  switch (state) {
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

MessageRef MessageStore::Insert(StoredMessage message, int64_t now_us, int64_t visible_at_us) {
  const uint32_t slot = AllocateSlot();
  StoredMessage& stored = SlotAt(slot);
  const uint32_t generation = stored.generation;
  stored = std::move(message);
  stored.generation = generation;
  stored.available_us = visible_at_us;
  expiry_.Push({stored.sent_us, slot, generation});
  if (visible_at_us > now_us) {
    stored.state = MessageState::kDelayed;
    timed_.Push({visible_at_us, slot, generation});
  } else {
    stored.state = MessageState::kVisible;
    ready_.Push({static_cast<int64_t>(stored.seq), slot, generation});
  }
  Count(stored.state, +1);
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
    Count(m.state, -1);
    m.state = MessageState::kVisible;
    Count(m.state, +1);
    ready_.Push({static_cast<int64_t>(m.seq), top.slot, top.generation});
  }
  CompactIfSparse();
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
  Count(m.state, -1);
  m.available_us = deadline_us;
  if (deadline_us <= now_us) {
    m.state = MessageState::kVisible;
    // A popped visible message has no ready entry; an in-flight one neither.
    ready_.Push({static_cast<int64_t>(m.seq), ref.slot, ref.generation});
  } else {
    m.state = MessageState::kInFlight;
    timed_.Push({deadline_us, ref.slot, ref.generation});
  }
  Count(m.state, +1);
  (void)before;
}

StoredMessage MessageStore::Remove(MessageRef ref) {
  StoredMessage& m = SlotAt(ref.slot);
  SQSIM_ASSERT(m.generation == ref.generation && m.state != MessageState::kFree,
               "Remove of a message that is not stored");
  Count(m.state, -1);
  StoredMessage out = std::move(m);
  m = StoredMessage{};
  m.generation = ref.generation + 1;  // invalidates handles and heap entries
  m.state = MessageState::kFree;
  free_slots_.push_back(ref.slot);
  out.state = MessageState::kFree;
  return out;
}

void MessageStore::Clear(std::vector<StoredMessage>* removed) {
  for (uint32_t slot = 0; slot < slot_count_; ++slot) {
    StoredMessage& m = SlotAt(slot);
    if (m.state == MessageState::kFree) continue;
    StoredMessage gone = Remove({slot, m.generation});
    if (removed != nullptr) removed->push_back(std::move(gone));
  }
  ready_.entries.clear();
  timed_.entries.clear();
  expiry_.entries.clear();
}

std::optional<int64_t> MessageStore::NextTransitionUs() {
  while (!timed_.empty() && !TimedEntryLive(timed_.Top())) timed_.Pop();
  if (timed_.empty()) return std::nullopt;
  return timed_.Top().key;
}

void MessageStore::CompactIfSparse() {
  auto compact = [this](Heap& heap, size_t live, auto is_live) {
    if (heap.entries.size() <= 2 * live + 1024) return;
    std::erase_if(heap.entries, [&](const HeapEntry& e) { return !is_live(e); });
    std::make_heap(
        heap.entries.begin(), heap.entries.end(),
        [](const HeapEntry& a, const HeapEntry& b) { return After(a.key, a.slot, b.key, b.slot); });
  };
  compact(ready_, visible_, [this](const HeapEntry& e) { return ReadyEntryLive(e); });
  compact(timed_, in_flight_ + delayed_, [this](const HeapEntry& e) { return TimedEntryLive(e); });
  compact(expiry_, size(), [this](const HeapEntry& e) { return ExpiryEntryLive(e); });
}

}  // namespace sqsim::internal
