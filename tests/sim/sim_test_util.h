// Shared set-up for simulator tests: a fixture owning an exact-mode
// simulator (strict order, no sampling) and small helpers that keep each
// test about the behaviour it names.

#ifndef SQSIM_TESTS_SIM_SIM_TEST_UTIL_H_
#define SQSIM_TESTS_SIM_SIM_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"

namespace sqsim {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::IsOkAndHolds;
using ::sqsim::testing::StatusIs;
using namespace std::chrono_literals;

// The ARN prefix of the default region and account of SimulatorOptions.
inline constexpr char kArnPrefix[] = "arn:aws:sqs:us-east-1:123456789012:";

inline std::string ArnOf(const std::string& name) { return kArnPrefix + name; }

// The ARN of the "orders" queue the attribute and policy tests create.
inline constexpr char kOrdersArn[] = "arn:aws:sqs:us-east-1:123456789012:orders";

// The simulated clock's start (SimulatorOptions' default epoch,
// 2026-01-01T00:00:00Z) in epoch milliseconds, as timestamps report it.
inline constexpr int64_t kStartMillis = 1767225600000;

// A RedrivePolicy naming queue `target_name` as the dead-letter queue.
inline std::string Redrive(const std::string& target_name, int max_receive_count = 1) {
  return R"({"deadLetterTargetArn":")" + ArnOf(target_name) + R"(","maxReceiveCount":)" +
         std::to_string(max_receive_count) + "}";
}

// The bodies of `messages`, in order.
inline std::vector<std::string> Bodies(const std::vector<Message>& messages) {
  std::vector<std::string> bodies;
  for (const Message& m : messages) bodies.push_back(m.body);
  return bodies;
}

class SimulatorTest : public ::testing::Test {
 protected:
  explicit SimulatorTest(SimulatorOptions options = SimulatorOptions::Exact(7))
      : sim_(Simulator::Create(std::move(options)).value()) {}

  // Creates a queue and returns its URL; fails the test on error.
  std::string MakeQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
    EXPECT_THAT(created, IsOk());
    return created.ok() ? created->queue_url : std::string();
  }

  // Sends `body` and returns the message id.
  std::string Send(const std::string& url, const std::string& body) {
    auto sent = sim_->SendMessage({.queue_url = url, .message_body = body});
    EXPECT_THAT(sent, IsOk());
    return sent.ok() ? sent->message_id : std::string();
  }

  // One short-poll receive of up to `max` messages, with every system
  // attribute selected.
  std::vector<Message> Receive(const std::string& url, int max = 10,
                               std::optional<int> visibility = std::nullopt) {
    auto received = sim_->ReceiveMessage({.queue_url = url,
                                          .message_system_attribute_names = {"All"},
                                          .max_number_of_messages = max,
                                          .visibility_timeout = visibility,
                                          .wait_time_seconds = 0});
    EXPECT_THAT(received, IsOk());
    return received.ok() ? received->messages : std::vector<Message>{};
  }

  // The value of one queue attribute.
  std::string Attribute(const std::string& url, const std::string& name) {
    auto got = sim_->GetQueueAttributes({.queue_url = url, .attribute_names = {name}});
    EXPECT_THAT(got, IsOk());
    if (!got.ok()) return "";
    auto it = got->attributes.find(name);
    return it == got->attributes.end() ? "<absent>" : it->second;
  }

  std::unique_ptr<Simulator> sim_;
};

}  // namespace sqsim

#endif  // SQSIM_TESTS_SIM_SIM_TEST_UTIL_H_
