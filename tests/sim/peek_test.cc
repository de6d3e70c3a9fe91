// Simulator::Peek: what a queue holds, as of now, without receiving it.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

TEST(SimulatorPeek, ShowsEachMessageStateWithoutChangingAnything) {
  auto sim = Simulator::Create(SimulatorOptions::Exact(2)).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "taken"}), IsOk());
  auto got = sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 30});
  ASSERT_EQ(got->messages.size(), 1u);
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "later", .delay_seconds = 60}),
              IsOk());
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "ready"}), IsOk());
  const uint64_t hash = sim->trace_hash();

  auto peeked = sim->Peek("q");
  ASSERT_TRUE(peeked.has_value());
  ASSERT_EQ(peeked->size(), 3u);
  std::map<std::string, PeekedMessage> by_body;
  for (const PeekedMessage& p : *peeked) by_body[p.body] = p;
  EXPECT_EQ(by_body["taken"].state, "in_flight");
  EXPECT_EQ(by_body["taken"].receive_count, 1u);
  EXPECT_EQ(by_body["taken"].visible_at, sim->Now() + std::chrono::seconds(30));
  EXPECT_EQ(by_body["taken"].message_id, got->messages[0].message_id);
  EXPECT_EQ(by_body["later"].state, "delayed");
  EXPECT_EQ(by_body["ready"].state, "visible");
  EXPECT_EQ(by_body["ready"].receive_count, 0u);
  // Nothing moved: the trace is as it was, and the ready message is still there.
  EXPECT_EQ(sim->trace_hash(), hash);
  auto again = sim->ReceiveMessage({.queue_url = url});
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].body, "ready");
}

TEST(SimulatorPeek, NoSuchQueueIsNullopt) {
  auto sim = Simulator::Create(SimulatorOptions::Exact(2)).value();
  EXPECT_FALSE(sim->Peek("missing").has_value());
}

}  // namespace
}  // namespace sqsim
