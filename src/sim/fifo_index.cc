#include "sim/fifo_index.h"

#include <algorithm>
#include <functional>

namespace sqsim::internal {

uint32_t FifoIndex::GroupIndex(const std::string& group_id) {
  if (auto it = group_ids_.find(group_id); it != group_ids_.end()) return it->second;
  // Room in ready_ for every group, made before the group exists: Rebuild,
  // which queues each ready group once, then never allocates.
  ReserveReady(groups_.size() + 1 > ready_.size() ? groups_.size() + 1 - ready_.size() : 0);
  groups_.emplace_back();
  try {
    group_ids_.emplace(group_id, static_cast<uint32_t>(groups_.size() - 1));
  } catch (...) {
    groups_.pop_back();
    throw;
  }
  return static_cast<uint32_t>(groups_.size() - 1);
}

void FifoIndex::Append(MessageRef ref, const MessageStore& store) {
  const StoredMessage* m = store.Find(ref);
  groups_[m->group].messages.push_back(ref);
  PushIfReady(m->group, store);
}

const StoredMessage* FifoIndex::Head(Group& g, const MessageStore& store) {
  while (!g.messages.empty()) {
    const StoredMessage* m = store.Find(g.messages.front());
    if (m != nullptr) return m;
    g.messages.pop_front();
  }
  return nullptr;
}

void FifoIndex::PushIfReady(uint32_t group, const MessageStore& store) {
  Group& g = groups_[group];
  const StoredMessage* head = Head(g, store);
  if (head == nullptr || head->state != MessageState::kVisible) return;
  if (g.queued_head == head->seq) return;  // already queued with this head
  ready_.push_back({head->seq, group});    // first: if it cannot allocate, nothing changed
  g.queued_head = head->seq;
  std::push_heap(ready_.begin(), ready_.end(), std::greater<>());
}

void FifoIndex::PopReady() {
  std::pop_heap(ready_.begin(), ready_.end(), std::greater<>());
  ready_.pop_back();
}

void FifoIndex::Refresh(uint32_t group, const MessageStore& store) {
  if (group < groups_.size()) PushIfReady(group, store);
}

void FifoIndex::ReserveReady(size_t n) {
  if (ready_.size() + n > ready_.capacity()) {
    ready_.reserve(std::max(ready_.size() + n, 2 * ready_.capacity()));
  }
}

std::vector<MessageRef> FifoIndex::Select(size_t max, const MessageStore& store,
                                          uint32_t redrive_at, std::vector<MessageRef>* redrive) {
  // Everything that could allocate is reserved before the first pop: a
  // selection does not fail halfway (only `redrive` may still grow).
  std::vector<MessageRef> chosen;
  chosen.reserve(max);
  std::vector<uint32_t> taken;  // a group may sit in the heap more than once
  taken.reserve(max);
  while (chosen.size() < max && !ready_.empty()) {
    const ReadyEntry top = ready_.front();
    PopReady();
    Group& g = groups_[top.group];
    if (g.queued_head == top.head_seq) g.queued_head = 0;
    const StoredMessage* head = Head(g, store);
    // Stale entry: the head changed, or is no longer visible.
    if (head == nullptr || head->seq != top.head_seq || head->state != MessageState::kVisible ||
        std::find(taken.begin(), taken.end(), top.group) != taken.end()) {
      continue;
    }
    taken.push_back(top.group);
    for (const MessageRef& ref : g.messages) {
      if (chosen.size() == max) break;
      const StoredMessage* m = store.Find(ref);
      if (m == nullptr) continue;                     // removed from the middle; pruned later
      if (m->state != MessageState::kVisible) break;  // in flight or delayed: stop
      if (m->receive_count >= redrive_at) {
        redrive->push_back(ref);
        continue;
      }
      chosen.push_back(ref);
    }
  }
  // Chosen heads go in flight (the caller's SetInFlight), so their groups
  // are not ready; Refresh queues them again when a head becomes visible.
  // Redriven messages leave the store, and the caller refreshes their groups.
  return chosen;
}

void FifoIndex::Rebuild(const MessageStore& store) {
  ready_.clear();
  for (Group& g : groups_) g.queued_head = 0;
  for (uint32_t group = 0; group < groups_.size(); ++group) PushIfReady(group, store);
}

void FifoIndex::Clear() {
  for (Group& g : groups_) {
    g.messages.clear();
    g.queued_head = 0;
  }
  ready_.clear();
}

}  // namespace sqsim::internal
