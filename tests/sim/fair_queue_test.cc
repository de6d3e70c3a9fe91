// Fair queues: MessageGroupId on standard queues names a tenant; a noisy
// tenant's messages wait while quiet tenants' messages are available.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

class FairQueueTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("tenants", {{"VisibilityTimeout", "600"}});

  void SendAs(const std::string& tenant, const std::string& body) {
    ASSERT_THAT(
        sim_->SendMessage({.queue_url = url_, .message_body = body, .message_group_id = tenant}),
        IsOk());
  }

  std::vector<std::string> ReceiveBodies(int max) {
    std::vector<std::string> bodies;
    for (const Message& m : Receive(url_, max)) bodies.push_back(m.body);
    return bodies;
  }
};

TEST_F(FairQueueTest, GroupsDoNotOrderOrLockStandardQueues) {
  SendAs("a", "a1");
  SendAs("a", "a2");
  // Unlike FIFO, a tenant with a message in flight still gets its next one.
  EXPECT_THAT(ReceiveBodies(1), ::testing::ElementsAre("a1"));
  EXPECT_THAT(ReceiveBodies(1), ::testing::ElementsAre("a2"));
}

TEST_F(FairQueueTest, NoisyTenantWaitsWhileQuietTenantsHaveMessages) {
  // Tenant "noisy" gets 40 messages in flight: more than 10% of the queue's
  // in-flight messages and at least 30 of its own.
  for (int i = 0; i < 60; ++i) SendAs("noisy", "n" + std::to_string(i));
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Receive(url_, 10).size(), 10u);
  for (int i = 0; i < 3; ++i) SendAs("quiet", "q" + std::to_string(i));
  // Older noisy messages are still queued, yet the quiet tenant goes first.
  EXPECT_THAT(ReceiveBodies(3), ::testing::ElementsAre("q0", "q1", "q2"));
}

TEST_F(FairQueueTest, NoisyTenantIsDelayedNeverStarved) {
  for (int i = 0; i < 45; ++i) SendAs("noisy", "n" + std::to_string(i));
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Receive(url_, 10).size(), 10u);
  SendAs("quiet", "q0");
  // One quiet message, then the noisy tenant's remaining ones fill the batch.
  EXPECT_THAT(ReceiveBodies(3), ::testing::ElementsAre("q0", "n40", "n41"));
}

TEST_F(FairQueueTest, TenantBelowThirtyInFlightIsNotNoisy) {
  for (int i = 0; i < 29; ++i) SendAs("busy", "b" + std::to_string(i));
  ASSERT_EQ(Receive(url_, 10).size(), 10u);
  ASSERT_EQ(Receive(url_, 10).size(), 10u);
  ASSERT_EQ(Receive(url_, 8).size(), 8u);
  SendAs("quiet", "q0");
  // 28 in flight: not noisy, so send order holds.
  EXPECT_THAT(ReceiveBodies(2), ::testing::ElementsAre("b28", "q0"));
}

TEST_F(FairQueueTest, TenantStopsBeingNoisyWhenItsMessagesAreDeleted) {
  for (int i = 0; i < 32; ++i) SendAs("noisy", "n" + std::to_string(i));
  std::vector<Message> in_flight;
  for (int i = 0; i < 3; ++i) {
    for (Message& m : Receive(url_, 10)) in_flight.push_back(std::move(m));
  }
  ASSERT_EQ(in_flight.size(), 30u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(
        sim_->DeleteMessage({.queue_url = url_, .receipt_handle = in_flight[i].receipt_handle}),
        IsOk());
  }
  SendAs("quiet", "q0");
  EXPECT_THAT(ReceiveBodies(2), ::testing::ElementsAre("n30", "n31"));
}

}  // namespace
}  // namespace sqsim
