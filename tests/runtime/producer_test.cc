// The producer runtime on the simulator, in virtual time: one behaviour per
// test.

#include "sqsim/runtime/producer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::runtime {
namespace {

using boost::asio::awaitable;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ProducerTest : public ::testing::Test {
 protected:
  explicit ProducerTest(FaultPlan faults = {}) { Reset(std::move(faults)); }

  void Reset(FaultPlan faults) {
    SimulatorOptions options = SimulatorOptions::Exact(3);
    options.faults = std::move(faults);
    sim_ = Simulator::Create(options).value();
    client_ = sim_->NewFaultInjectingClient();
  }
  std::string MakeQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
    EXPECT_THAT(created, IsOk());
    return created->queue_url;
  }
  // Spawns one Send per request at time zero; results land in `results_`.
  void SendAll(Producer& producer, std::vector<SendMessageRequest> requests) {
    results_.resize(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      sim_->Spawn([](Producer& p, SendMessageRequest r,
                     std::optional<Result<SendMessageResponse>>* out, Simulator* sim,
                     Duration* done_at) -> awaitable<void> {
        out->emplace(co_await p.Send(std::move(r)));
        *done_at = std::max(*done_at, sim->Now() - sim->options().start_time);
      }(producer, std::move(requests[i]), &results_[i], sim_.get(), &last_done_));
    }
    sim_->RunFor(10min);
  }
  static std::vector<SendMessageRequest> Bodies(int n, const std::string& prefix = "m") {
    std::vector<SendMessageRequest> out;
    for (int i = 0; i < n; ++i) out.push_back({.message_body = prefix + std::to_string(i)});
    return out;
  }
  int64_t Calls(Action action) const {
    auto counts = sim_->call_counts();
    return counts.contains(action) ? counts.at(action) : 0;
  }
  // Every message in `url`, in receive order.
  std::vector<std::string> Drain(const std::string& url) {
    std::vector<std::string> bodies;
    while (true) {
      auto got = sim_->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
      if (!got.ok() || got->messages.empty()) return bodies;
      for (const Message& m : got->messages) {
        bodies.push_back(m.body);
        (void)sim_->DeleteMessage({.queue_url = url, .receipt_handle = m.receipt_handle});
      }
    }
  }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<FaultInjectingClient> client_;
  std::vector<std::optional<Result<SendMessageResponse>>> results_;
  Duration last_done_{};
};

TEST_F(ProducerTest, ConcurrentSendsShareBatchesOfTen) {
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  SendAll(producer, Bodies(25));
  std::set<std::string> ids;
  for (const auto& r : results_) {
    ASSERT_TRUE(r.has_value());
    ASSERT_THAT(*r, IsOk());
    ids.insert((*r)->message_id);
  }
  EXPECT_EQ(ids.size(), 25u);
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 3);  // 10 + 10 + 5
  EXPECT_EQ(Calls(Action::kSendMessage), 0);
  EXPECT_EQ(Drain(url).size(), 25u);
}

TEST_F(ProducerTest, ALoneMessageGoesAfterTheLingerTime) {
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url, .linger = 50ms});
  SendAll(producer, Bodies(1));
  ASSERT_THAT(*results_[0], IsOk());
  EXPECT_EQ(last_done_, 50ms);
}

TEST_F(ProducerTest, AFullBatchGoesWithoutWaitingForTheLinger) {
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url, .linger = 1h});
  SendAll(producer, Bodies(10));
  EXPECT_EQ(last_done_, 0s);
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 1);
}

TEST_F(ProducerTest, ATooLargeMessageFailsAloneAndTheRestAreSent) {
  const std::string url = MakeQueue("events", {{"MaximumMessageSize", "1024"}});
  Producer producer(*client_, sim_->env(), {.queue_url = url, .max_message_bytes = 1024});
  std::vector<SendMessageRequest> requests = Bodies(2);
  requests.insert(requests.begin() + 1, {.message_body = std::string(1025, 'x')});
  SendAll(producer, std::move(requests));
  EXPECT_THAT(*results_[0], IsOk());
  EXPECT_THAT(*results_[1], StatusIs(ErrorCode::kInvalidParameterValue,
                                     HasSubstr("Message must be shorter than 1024 bytes")));
  EXPECT_THAT(*results_[2], IsOk());
  EXPECT_EQ(producer.stats().rejected_too_large, 1);
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 1);
}

TEST_F(ProducerTest, RetryableFailedEntriesAreSentAgainAlone) {
  Reset({.rules = {{.id = "one-fails",
                    .effect = FaultEffect::kFailEntries,
                    .action = Action::kSendMessageBatch,
                    .on_calls = {1},
                    .error = ErrorCode::kServiceUnavailable,
                    .entries = {2}}}});
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  SendAll(producer, Bodies(3));
  for (const auto& r : results_) EXPECT_THAT(*r, IsOk());
  EXPECT_EQ(producer.stats().retried_entries, 1);
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 2);
  std::vector<std::string> bodies = Drain(url);
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(bodies, (std::vector<std::string>{"m0", "m1", "m2"}));  // each once
}

TEST_F(ProducerTest, AnEntryTheSenderIsBlamedForFailsWithItsOwnError) {
  Reset({.rules = {{.id = "bad-entry",
                    .effect = FaultEffect::kFailEntries,
                    .action = Action::kSendMessageBatch,
                    .on_calls = {1},
                    .error = ErrorCode::kInvalidParameterValue,
                    .entries = {1},
                    .sender_fault = true}}});
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  SendAll(producer, Bodies(2));
  EXPECT_THAT(*results_[0], StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(*results_[1], IsOk());
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 1);  // not retried
}

TEST_F(ProducerTest, ALostResponseIsResentWithTheSameDeduplicationIds) {
  Reset({.rules = {{.id = "lost",
                    .effect = FaultEffect::kLoseResponse,
                    .action = Action::kSendMessageBatch,
                    .on_calls = {1}}}});
  const std::string url = MakeQueue("events.fifo", {{"FifoQueue", "true"}});
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  std::vector<SendMessageRequest> requests;
  for (const char* group : {"a", "b", "c"}) {
    requests.push_back({.message_body = std::string("m-") + group,
                        .message_deduplication_id = std::string("dedup-") + group,
                        .message_group_id = group});
  }
  SendAll(producer, std::move(requests));
  for (const auto& r : results_) EXPECT_THAT(*r, IsOk());
  EXPECT_EQ(producer.stats().retried_calls, 1);
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 2);
  EXPECT_EQ(Drain(url).size(), 3u);  // the resend was deduplicated
}

TEST_F(ProducerTest, FifoKeepsGroupOrderThroughARetry) {
  Reset({.rules = {{.id = "first-fails",
                    .effect = FaultEffect::kFailEntries,
                    .action = Action::kSendMessageBatch,
                    .on_calls = {1},
                    .error = ErrorCode::kServiceUnavailable,
                    .entries = {1}}}});
  const std::string url = MakeQueue("grades.fifo", {{"FifoQueue", "true"}});
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  std::vector<SendMessageRequest> requests;
  for (const char* body : {"a1", "a2", "a3", "b1"}) {
    requests.push_back({.message_body = body,
                        .message_deduplication_id = body,
                        .message_group_id = std::string(1, body[0])});
  }
  SendAll(producer, std::move(requests));
  for (const auto& r : results_) EXPECT_THAT(*r, IsOk());
  // [a1 b1] with a1 failed, [a1] again, then [a2], then [a3]: one per group
  // per batch, and a2 only after a1 is in.
  EXPECT_EQ(Calls(Action::kSendMessageBatch), 4);
  std::vector<std::string> a;
  for (const std::string& body : Drain(url)) {
    if (body[0] == 'a') a.push_back(body);
  }
  EXPECT_EQ(a, (std::vector<std::string>{"a1", "a2", "a3"}));
}

TEST_F(ProducerTest, AThrottledCallIsRetriedWhole) {
  Reset({.rules = {{.id = "throttled",
                    .effect = FaultEffect::kError,
                    .action = Action::kSendMessageBatch,
                    .on_calls = {1},
                    .error = ErrorCode::kRequestThrottled}}});
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  SendAll(producer, Bodies(4));
  for (const auto& r : results_) EXPECT_THAT(*r, IsOk());
  EXPECT_EQ(producer.stats().retried_calls, 1);
  EXPECT_EQ(Drain(url).size(), 4u);
}

TEST_F(ProducerTest, ItGivesUpAfterMaxAttempts) {
  Reset({.rules = {{.id = "down",
                    .effect = FaultEffect::kError,
                    .action = Action::kSendMessageBatch,
                    .probability = 1,
                    .error = ErrorCode::kServiceUnavailable}}});
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url, .max_attempts = 3});
  SendAll(producer, Bodies(2));
  for (const auto& r : results_) EXPECT_THAT(*r, StatusIs(ErrorCode::kServiceUnavailable));
  EXPECT_EQ(producer.stats().batches, 3);
  EXPECT_EQ(producer.stats().failed, 2);
}

TEST_F(ProducerTest, ARequestForAnotherQueueFails) {
  const std::string url = MakeQueue("events");
  Producer producer(*client_, sim_->env(), {.queue_url = url});
  SendAll(producer, {{.queue_url = "https://elsewhere/other", .message_body = "x"}});
  EXPECT_THAT(*results_[0], StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("elsewhere")));
}

TEST(ProducerOptionsTest, InvalidOptionsAreRejectedByName) {
  EXPECT_THAT(Producer::Validate({.queue_url = "q"}), IsOk());
  EXPECT_THAT(Producer::Validate({}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("queue_url")));
  EXPECT_THAT(Producer::Validate({.queue_url = "q", .max_batch_entries = 11}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("max_batch_entries")));
  EXPECT_THAT(Producer::Validate({.queue_url = "q", .max_batch_bytes = 10}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("max_message_bytes")));
  EXPECT_THAT(Producer::Validate({.queue_url = "q", .max_attempts = 0}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("max_attempts")));
}

}  // namespace
}  // namespace sqsim::runtime
