#include "sim/fifo_index.h"

#include <algorithm>
#include <functional>
#include <set>

namespace sqsim::internal {

uint32_t FifoIndex::GroupIndex(const std::string& group_id) {
  auto [it, inserted] = group_ids_.emplace(group_id, static_cast<uint32_t>(groups_.size()));
  if (inserted) groups_.emplace_back();
  return it->second;
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
  g.queued_head = head->seq;
  ready_.push_back({head->seq, group});
  std::push_heap(ready_.begin(), ready_.end(), std::greater<>());
}

void FifoIndex::PopReady() {
  std::pop_heap(ready_.begin(), ready_.end(), std::greater<>());
  ready_.pop_back();
}

void FifoIndex::Refresh(uint32_t group, const MessageStore& store) {
  if (group < groups_.size()) PushIfReady(group, store);
}

std::vector<MessageRef> FifoIndex::Select(size_t max, const MessageStore& store,
                                          uint32_t redrive_at, std::vector<MessageRef>* redrive) {
  std::vector<MessageRef> chosen;
  std::set<uint32_t> taken;  // a group may sit in the heap more than once
  while (chosen.size() < max && !ready_.empty()) {
    const ReadyEntry top = ready_.front();
    PopReady();
    Group& g = groups_[top.group];
    if (g.queued_head == top.head_seq) g.queued_head = 0;
    const StoredMessage* head = Head(g, store);
    // Stale entry: the head changed, or is no longer visible.
    if (head == nullptr || head->seq != top.head_seq || head->state != MessageState::kVisible ||
        taken.contains(top.group)) {
      continue;
    }
    taken.insert(top.group);
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
