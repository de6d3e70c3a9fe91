// Realism never makes a long poll miss an available message: reordering may
// hold a message back behind others, but a long poll that would otherwise
// come back empty returns it at once.

#include <gtest/gtest.h>

#include "sqsim/simulator.h"

namespace sqsim {
namespace {

TEST(LongPollRealismTest, ReorderingNeverLeavesALongPollEmptyWhileAMessageIsAvailable) {
  SimulatorOptions options{.seed = 3};
  options.realism.reorder_probability = 1.0;  // pass over every message it can
  auto sim = Simulator::Create(options).value();
  const std::string url = sim->CreateQueue({.queue_name = "enrolments"}).value().queue_url;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(sim->SendMessage({.queue_url = url, .message_body = "m" + std::to_string(i)}).ok());
    const Timestamp start = sim->Now();
    auto received = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
    ASSERT_TRUE(received.ok()) << received.status();
    ASSERT_EQ(received->messages.size(), 1u);
    EXPECT_EQ(sim->Now(), start);  // returned at once, not after the wait
    ASSERT_TRUE(sim->DeleteMessage(
                       {.queue_url = url, .receipt_handle = received->messages[0].receipt_handle})
                    .ok());
  }
}

}  // namespace
}  // namespace sqsim
