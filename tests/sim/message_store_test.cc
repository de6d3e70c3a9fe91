// MessageStore: the per-queue state machine and its lazy heaps.

#include "sim/message_store.h"

#include <gtest/gtest.h>

namespace sqsim::internal {
namespace {

StoredMessage Make(uint64_t seq, int64_t sent_us) {
  StoredMessage m;
  m.body = "m" + std::to_string(seq);
  m.seq = seq;
  m.sent_us = sent_us;
  return m;
}

constexpr int64_t kRetention = 1000000000;

TEST(MessageStore, PopsVisibleMessagesInSendOrder) {
  MessageStore store;
  for (uint64_t s = 1; s <= 3; ++s) store.Insert(Make(s, 0), 0, 0);
  EXPECT_EQ(store.Find(*store.PopReady())->seq, 1u);
  EXPECT_EQ(store.Find(*store.PopReady())->seq, 2u);
  EXPECT_EQ(store.Find(*store.PopReady())->seq, 3u);
  EXPECT_FALSE(store.PopReady().has_value());
}

TEST(MessageStore, DelayedMessageBecomesVisibleWhenSettledAtItsTime) {
  MessageStore store;
  store.Insert(Make(1, 0), 0, 100);
  EXPECT_EQ(store.delayed(), 1u);
  EXPECT_FALSE(store.PopReady().has_value());
  EXPECT_EQ(store.NextTransitionUs(), 100);
  store.Settle(99, kRetention, nullptr);
  EXPECT_FALSE(store.PopReady().has_value());
  store.Settle(100, kRetention, nullptr);
  EXPECT_EQ(store.visible(), 1u);
  EXPECT_TRUE(store.PopReady().has_value());
}

TEST(MessageStore, InFlightMessageReturnsAtItsDeadlineInOriginalOrder) {
  MessageStore store;
  const MessageRef first = store.Insert(Make(1, 0), 0, 0);
  store.Insert(Make(2, 0), 0, 0);
  ASSERT_EQ(store.PopReady()->slot, first.slot);
  store.SetInFlight(first, 0, 50);
  EXPECT_EQ(store.in_flight(), 1u);
  store.Settle(50, kRetention, nullptr);
  EXPECT_EQ(store.in_flight(), 0u);
  EXPECT_EQ(store.Find(*store.PopReady())->seq, 1u);
}

TEST(MessageStore, ExtendedDeadlineMakesEarlierHeapEntryStale) {
  MessageStore store;
  const MessageRef ref = store.Insert(Make(1, 0), 0, 0);
  store.PopReady();
  store.SetInFlight(ref, 0, 50);
  store.SetInFlight(ref, 10, 200);
  store.Settle(100, kRetention, nullptr);
  EXPECT_EQ(store.in_flight(), 1u);
  EXPECT_EQ(store.NextTransitionUs(), 200);
}

TEST(MessageStore, RemovedMessageIsNotFoundAndItsSlotIsReusedWithNewGeneration) {
  MessageStore store;
  const MessageRef ref = store.Insert(Make(1, 0), 0, 0);
  StoredMessage gone = store.Remove(ref);
  EXPECT_EQ(gone.body, "m1");
  EXPECT_EQ(store.Find(ref), nullptr);
  const MessageRef again = store.Insert(Make(2, 0), 0, 0);
  EXPECT_EQ(again.slot, ref.slot);
  EXPECT_NE(again.generation, ref.generation);
  EXPECT_EQ(store.Find(*store.PopReady())->seq, 2u);
}

TEST(MessageStore, RetentionRemovesMessagesInEveryState) {
  MessageStore store;
  store.Insert(Make(1, 0), 0, 0);    // visible
  store.Insert(Make(2, 0), 0, 500);  // delayed
  const MessageRef third = store.Insert(Make(3, 10), 10, 10);
  store.PopReady();
  store.PopReady();
  store.SetInFlight(third, 10, 1000);  // in flight
  std::vector<StoredMessage> expired;
  store.Settle(100, 100, &expired);  // expire everything sent at or before 0
  EXPECT_EQ(expired.size(), 2u);
  store.Settle(110, 100, &expired);
  EXPECT_EQ(expired.size(), 3u);
  EXPECT_EQ(store.size(), 0u);
}

TEST(MessageStore, ClearRemovesEverything) {
  MessageStore store;
  for (uint64_t s = 1; s <= 5; ++s) store.Insert(Make(s, 0), 0, s % 2 ? 0 : 100);
  std::vector<StoredMessage> removed;
  store.Clear([&](StoredMessage&& m) { removed.push_back(std::move(m)); });
  EXPECT_EQ(removed.size(), 5u);
  EXPECT_EQ(store.size(), 0u);
  EXPECT_FALSE(store.PopReady().has_value());
}

TEST(MessageStore, ManyChurnedMessagesKeepHeapsCompact) {
  MessageStore store;
  // Receive and extend every message many times: stale timed entries pile up
  // unless compaction removes them.
  std::vector<MessageRef> refs;
  for (uint64_t s = 1; s <= 100; ++s) refs.push_back(store.Insert(Make(s, 0), 0, 0));
  for (size_t i = 0; i < refs.size(); ++i) store.PopReady();
  for (int round = 1; round <= 200; ++round) {
    for (MessageRef ref : refs) store.SetInFlight(ref, round, 1000000 + round);
    store.Settle(round, kRetention, nullptr);
  }
  EXPECT_EQ(store.in_flight(), 100u);
  store.Settle(1000000 + 200, kRetention, nullptr);
  EXPECT_EQ(store.visible(), 100u);
}

}  // namespace
}  // namespace sqsim::internal
