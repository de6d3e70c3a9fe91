// What the event source mapping tests share: a simulator, queues, and
// running a mapping as an actor.

#ifndef SQSIM_TESTS_LAMBDA_MAPPING_FIXTURE_H_
#define SQSIM_TESTS_LAMBDA_MAPPING_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/lambda/event_source_mapping.h"
#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::lambda::esm_test {

class MappingTest : public ::testing::Test {
 protected:
  explicit MappingTest(SimulatorOptions options = SimulatorOptions::Exact(7))
      : sim_(Simulator::Create(std::move(options)).value()) {}

  std::string MakeQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
    EXPECT_THAT(created, ::sqsim::testing::IsOk());
    return created->queue_url;
  }
  std::string ArnOf(const std::string& url) {
    auto got = sim_->GetQueueAttributes({.queue_url = url, .attribute_names = {"QueueArn"}});
    return got->attributes.at("QueueArn");
  }
  void Send(const std::string& url, const std::string& body, const std::string& group = "") {
    SendMessageRequest send{.queue_url = url, .message_body = body};
    if (!group.empty()) {
      send.message_group_id = group;
      send.message_deduplication_id = body;
    }
    ASSERT_THAT(sim_->SendMessage(send), ::sqsim::testing::IsOk());
  }
  // Sends "<prefix>0" .. "<prefix>n-1" in batches of ten.
  void SendMany(const std::string& url, int n, const std::string& prefix = "m-") {
    for (int at = 0; at < n; at += 10) {
      SendMessageBatchRequest batch{.queue_url = url};
      for (int i = at; i < std::min(n, at + 10); ++i) {
        batch.entries.push_back(
            {.id = std::to_string(i - at), .message_body = prefix + std::to_string(i)});
      }
      auto sent = sim_->SendMessageBatch(batch);
      ASSERT_THAT(sent, ::sqsim::testing::IsOk());
      ASSERT_TRUE(sent->failed.empty());
    }
  }
  int Count(const std::string& url, const char* attribute = "ApproximateNumberOfMessages") {
    auto got = sim_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
    return std::stoi(got->attributes.at(attribute));
  }
  // Messages stored in the queue, visible or not.
  int Stored(const std::string& url) {
    return Count(url) + Count(url, "ApproximateNumberOfMessagesNotVisible");
  }
  // Runs `mapping` as an actor; `status` gets what Run returned.
  void Start(EventSourceMapping& mapping, std::optional<Status>* status) {
    sim_->Spawn(
        [](EventSourceMapping& m, std::optional<Status>* status) -> boost::asio::awaitable<void> {
          status->emplace(co_await m.Run());
        }(mapping, status));
  }
  // Stops the mapping and runs until Run has returned.
  void StopAndWait(EventSourceMapping& mapping, std::optional<Status>* status) {
    mapping.Stop();
    ASSERT_TRUE(sim_->RunUntil([&] { return status->has_value(); }, std::chrono::hours(1)));
    EXPECT_THAT(**status, ::sqsim::testing::IsOk());
  }
  Duration Elapsed() const { return sim_->Now() - sim_->options().start_time; }
  int64_t Calls(Action action) const {
    auto counts = sim_->call_counts();
    return counts.contains(action) ? counts.at(action) : 0;
  }

  std::unique_ptr<Simulator> sim_;
};

// One invocation as a handler saw it.
struct Seen {
  Duration at;  // since the simulator's start
  std::vector<std::string> bodies;
  std::vector<std::string> receive_counts;
};

}  // namespace sqsim::lambda::esm_test

#endif  // SQSIM_TESTS_LAMBDA_MAPPING_FIXTURE_H_
