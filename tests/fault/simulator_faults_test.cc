// Delivery faults inside the simulator and fault points in user code.

#include <set>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::unique_ptr<Simulator> WithFaults(FaultPlan plan, uint64_t seed = 3) {
  SimulatorOptions options = SimulatorOptions::Exact(seed);
  options.faults = std::move(plan);
  return Simulator::Create(options).value();
}

TEST(SimulatorFaults, DuplicateDeliveryReturnsAMessageAlreadyDeleted) {
  auto sim = WithFaults(
      {.rules = {{.id = "dup", .effect = FaultEffect::kDuplicateDelivery, .on_calls = {2}}}});
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "once"}), IsOk());
  auto first = sim->ReceiveMessage({.queue_url = url, .message_system_attribute_names = {"All"}});
  ASSERT_EQ(first->messages.size(), 1u);
  ASSERT_THAT(
      sim->DeleteMessage({.queue_url = url, .receipt_handle = first->messages[0].receipt_handle}),
      IsOk());
  auto again = sim->ReceiveMessage({.queue_url = url, .message_system_attribute_names = {"All"}});
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].message_id, first->messages[0].message_id);
  EXPECT_EQ(again->messages[0].body, "once");
  EXPECT_EQ(again->messages[0].attributes["ApproximateReceiveCount"], "2");
  // Deleting the duplicate succeeds (the message is already gone).
  EXPECT_THAT(
      sim->DeleteMessage({.queue_url = url, .receipt_handle = again->messages[0].receipt_handle}),
      IsOk());
  EXPECT_EQ(sim->faults().fired().at("dup"), 1);
}

TEST(SimulatorFaults, DuplicateDeliveryNeverPassesTheMaxReceiveCount) {
  // Every receive fires the rule; the only message to copy is the one
  // received, with maxReceiveCount 2.
  auto sim = WithFaults(
      {.rules = {{.id = "dup", .effect = FaultEffect::kDuplicateDelivery, .probability = 1}}});
  const std::string dlq = sim->CreateQueue({.queue_name = "dlq"}).value().queue_url;
  const std::string url =
      sim->CreateQueue(
             {.queue_name = "q",
              .attributes = {{"RedrivePolicy",
                              R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq",)"
                              R"("maxReceiveCount":2})"}}})
          .value()
          .queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "once"}), IsOk());
  auto first = sim->ReceiveMessage({.queue_url = url});
  ASSERT_EQ(first->messages.size(), 1u);
  ASSERT_THAT(
      sim->DeleteMessage({.queue_url = url, .receipt_handle = first->messages[0].receipt_handle}),
      IsOk());
  std::vector<std::string> counts;
  for (int i = 0; i < 5; ++i) {
    auto got = sim->ReceiveMessage(
        {.queue_url = url, .message_system_attribute_names = {"ApproximateReceiveCount"}});
    for (const Message& m : got->messages)
      counts.push_back(m.attributes.at("ApproximateReceiveCount"));
  }
  // The copy comes back once (count 2); a third delivery would pass the limit.
  EXPECT_THAT(counts, ElementsAre("2"));
}

TEST(SimulatorFaults, DuplicateDeliveryNeverHappensOnFifoQueues) {
  auto sim = WithFaults(
      {.rules = {{.id = "dup", .effect = FaultEffect::kDuplicateDelivery, .probability = 1}}});
  const std::string url = sim->CreateQueue({.queue_name = "q.fifo",
                                            .attributes = {{"FifoQueue", "true"},
                                                           {"ContentBasedDeduplication", "true"}}})
                              .value()
                              .queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x", .message_group_id = "g"}),
              IsOk());
  auto first = sim->ReceiveMessage({.queue_url = url});
  ASSERT_EQ(first->messages.size(), 1u);
  ASSERT_THAT(
      sim->DeleteMessage({.queue_url = url, .receipt_handle = first->messages[0].receipt_handle}),
      IsOk());
  EXPECT_TRUE(sim->ReceiveMessage({.queue_url = url})->messages.empty());
}

TEST(SimulatorFaults, DelayedVisibilityHidesASendForTheRuleLatency) {
  auto sim = WithFaults({.rules = {{.id = "late",
                                    .effect = FaultEffect::kDelayVisibility,
                                    .action = Action::kSendMessage,
                                    .on_calls = {1},
                                    .latency = std::chrono::seconds(7)}}});
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "late"}), IsOk());
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "on-time"}), IsOk());
  auto got = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "on-time");
  const Timestamp before = sim->Now();
  auto late = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
  ASSERT_EQ(late->messages.size(), 1u);
  EXPECT_EQ(late->messages[0].body, "late");
  EXPECT_EQ(sim->Now() - before, Duration(std::chrono::seconds(7)));
}

TEST(SimulatorFaults, ReorderReversesAReceivedBatch) {
  auto sim =
      WithFaults({.rules = {{.id = "reorder", .effect = FaultEffect::kReorder, .on_calls = {1}}}});
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  for (const char* body : {"1", "2", "3"}) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = body}), IsOk());
  }
  auto got = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
  ASSERT_EQ(got->messages.size(), 3u);
  EXPECT_EQ(got->messages[0].body, "3");
  EXPECT_EQ(got->messages[2].body, "1");
}

TEST(SimulatorFaults, FaultPointFiresInUserCodeAsPlanned) {
  auto sim = WithFaults({.rules = {{.id = "crash-after-charge",
                                    .effect = FaultEffect::kFaultPoint,
                                    .point = "payment.after-charge",
                                    .on_calls = {2}}}});
  EXPECT_FALSE(sim->env().MaybeFault("payment.after-charge"));
  EXPECT_FALSE(sim->env().MaybeFault("some.other.point"));
  EXPECT_TRUE(sim->env().MaybeFault("payment.after-charge"));
  EXPECT_FALSE(sim->env().MaybeFault("payment.after-charge"));
  EXPECT_THAT(sim->trace().FormatLast(3), HasSubstr("fault crash-after-charge"));
}

TEST(SimulatorFaults, RealEnvNeverFaults) {
  auto env = NewRealEnv(1);
  EXPECT_FALSE(env->MaybeFault("anything"));
}

TEST(SimulatorFaults, SameSeedSameFaultsSameTrace) {
  auto run = [](uint64_t seed) {
    auto sim = WithFaults(
        {.rules = {{.id = "dup", .effect = FaultEffect::kDuplicateDelivery, .probability = 0.3},
                   {.id = "late",
                    .effect = FaultEffect::kDelayVisibility,
                    .probability = 0.3,
                    .latency = std::chrono::seconds(3)}}},
        seed);
    const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
    for (int i = 0; i < 50; ++i) {
      (void)sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)});
      auto got = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
      for (const Message& m : got->messages) {
        (void)sim->DeleteMessage({.queue_url = url, .receipt_handle = m.receipt_handle});
      }
    }
    return sim->trace_hash();
  };
  EXPECT_EQ(run(11), run(11));
  EXPECT_NE(run(11), run(12));
}

}  // namespace
}  // namespace sqsim
