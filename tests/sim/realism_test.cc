// The documented imprecision of standard queues: best-effort order and
// short polls that sample servers. Each is on by default and switchable off.

#include <set>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

std::unique_ptr<Simulator> Realistic(uint64_t seed) {
  SimulatorOptions options;
  options.seed = seed;
  return Simulator::Create(options).value();
}

TEST(Realism, DefaultShortPollsSometimesReturnNothingWhileMessagesExist) {
  auto sim = Realistic(11);
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  int empty = 0;
  for (int i = 0; i < 200; ++i) {
    auto got = sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 0});
    ASSERT_THAT(got, IsOk());
    if (got->messages.empty()) ++empty;
  }
  // One message lives on one of 4 servers, each sampled with p = 0.75.
  EXPECT_GT(empty, 20);
  EXPECT_LT(empty, 100);
}

TEST(Realism, RepeatedShortPollsEventuallySeeEveryMessage) {
  auto sim = Realistic(12);
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  std::set<std::string> sent;
  for (int i = 0; i < 50; ++i) {
    sent.insert(
        sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)})->message_id);
  }
  std::set<std::string> seen;
  for (int i = 0; i < 100 && seen.size() < sent.size(); ++i) {
    auto got = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
    ASSERT_THAT(got, IsOk());
    for (const Message& m : got->messages) seen.insert(m.message_id);
  }
  EXPECT_EQ(seen, sent);
}

TEST(Realism, LongPollsConsultEveryServer) {
  auto sim = Realistic(13);
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  for (int i = 0; i < 100; ++i) {
    auto got =
        sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 0, .wait_time_seconds = 1});
    ASSERT_THAT(got, IsOk());
    // Reordering may pass the only message over once, but never sampling.
    if (got->messages.empty()) {
      got =
          sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 0, .wait_time_seconds = 1});
    }
    ASSERT_EQ(got->messages.size(), 1u) << "iteration " << i;
  }
}

TEST(Realism, DefaultOrderIsOccasionallyNotSendOrder) {
  SimulatorOptions options;
  options.seed = 14;
  options.realism.short_poll_sampling = false;
  options.realism.reorder_probability = 0.1;
  auto sim = Simulator::Create(options).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  for (int i = 0; i < 200; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)}), IsOk());
  }
  std::vector<int> order;
  while (order.size() < 200) {
    auto got = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
    ASSERT_THAT(got, IsOk());
    for (const Message& m : got->messages) order.push_back(std::stoi(m.body));
  }
  int inversions = 0;
  for (size_t i = 1; i < order.size(); ++i) inversions += order[i] < order[i - 1];
  EXPECT_GT(inversions, 0);
  EXPECT_EQ(std::set<int>(order.begin(), order.end()).size(), 200u);
}

TEST(Realism, ExactModeKeepsSendOrderAndNeverSamples) {
  auto sim = Simulator::Create(SimulatorOptions::Exact(15)).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  for (int i = 0; i < 100; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)}), IsOk());
  }
  int expected = 0;
  while (expected < 100) {
    auto got = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
    ASSERT_THAT(got, IsOk());
    ASSERT_EQ(got->messages.size(), 10u);
    for (const Message& m : got->messages) EXPECT_EQ(std::stoi(m.body), expected++);
  }
}

TEST(Realism, InvalidRealismOptionsAreRejected) {
  SimulatorOptions options;
  options.realism.reorder_probability = 1.5;
  EXPECT_THAT(Simulator::Create(options), StatusIs(ErrorCode::kInvalidParameterValue));
  options = {};
  options.realism.servers = 0;
  EXPECT_THAT(Simulator::Create(options), StatusIs(ErrorCode::kInvalidParameterValue));
  options = {};
  options.account_id = "12";
  EXPECT_THAT(Simulator::Create(options), StatusIs(ErrorCode::kInvalidParameterValue));
}

}  // namespace
}  // namespace sqsim
