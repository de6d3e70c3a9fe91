// FaultInjectingClient around the simulator: client-boundary faults.

#include "sqsim/fault_client.h"

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FaultClientTest : public ::testing::Test {
 protected:
  void SetUpWith(FaultPlan plan) {
    SimulatorOptions options = SimulatorOptions::Exact(5);
    options.faults = std::move(plan);
    sim_ = Simulator::Create(options).value();
    client_ = sim_->NewFaultInjectingClient();
    url_ = sim_->CreateQueue({.queue_name = "orders"}).value().queue_url;
  }

  std::string Count(const std::string& name) {
    auto got = sim_->GetQueueAttributes({.queue_url = url_, .attribute_names = {name}});
    return got.ok() ? got->attributes[name] : "?";
  }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<FaultInjectingClient> client_;
  std::string url_;
};

TEST_F(FaultClientTest, InjectedErrorNeverReachesTheQueueAndIsMarkedInjected) {
  SetUpWith({.rules = {{.id = "throttle",
                        .effect = FaultEffect::kError,
                        .action = Action::kSendMessage,
                        .on_calls = {1},
                        .error = ErrorCode::kRequestThrottled}}});
  auto sent = client_->SendMessage({.queue_url = url_, .message_body = "x"});
  ASSERT_THAT(sent, StatusIs(ErrorCode::kRequestThrottled, HasSubstr("injected fault 'throttle'")));
  EXPECT_TRUE(sent.status().injected());
  EXPECT_TRUE(sent.status().retryable());
  EXPECT_EQ(Count("ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "x"}), IsOk());
  EXPECT_EQ(Count("ApproximateNumberOfMessages"), "1");
}

TEST_F(FaultClientTest, LostResponseTakesEffectButReportsATimeout) {
  SetUpWith({.rules = {{.id = "lost-send",
                        .effect = FaultEffect::kLoseResponse,
                        .action = Action::kSendMessage,
                        .on_calls = {1}}}});
  auto sent = client_->SendMessage({.queue_url = url_, .message_body = "x"});
  ASSERT_THAT(sent, StatusIs(ErrorCode::kTimeout, HasSubstr("may have taken effect")));
  EXPECT_TRUE(sent.status().injected());
  // The message is there: a retry by the caller would duplicate it.
  EXPECT_EQ(Count("ApproximateNumberOfMessages"), "1");
}

TEST_F(FaultClientTest, FailedEntriesOfABatchDeleteAreLeftAndReported) {
  SetUpWith({.rules = {{.id = "partial-delete",
                        .effect = FaultEffect::kFailEntries,
                        .action = Action::kDeleteMessageBatch,
                        .on_calls = {1},
                        .error = ErrorCode::kServiceUnavailable,
                        .entries = {2}}}});
  for (const char* body : {"a", "b", "c"}) {
    ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = body}), IsOk());
  }
  auto got = sim_->ReceiveMessage({.queue_url = url_, .max_number_of_messages = 10});
  ASSERT_EQ(got->messages.size(), 3u);
  DeleteMessageBatchRequest del{.queue_url = url_};
  for (const Message& m : got->messages) {
    del.entries.push_back({.id = m.body, .receipt_handle = m.receipt_handle});
  }
  auto deleted = client_->DeleteMessageBatch(del);
  ASSERT_THAT(deleted, IsOk());
  ASSERT_EQ(deleted->successful.size(), 2u);
  ASSERT_EQ(deleted->failed.size(), 1u);
  const BatchResultErrorEntry& failed = deleted->failed[0];
  EXPECT_EQ(failed.id, got->messages[1].body);
  EXPECT_EQ(failed.code, "ServiceUnavailable");
  EXPECT_FALSE(failed.sender_fault);
  EXPECT_THAT(failed.message.value_or(""), HasSubstr("injected fault 'partial-delete'"));
  // The failed entry's message was not deleted: it is still in flight.
  EXPECT_EQ(Count("ApproximateNumberOfMessagesNotVisible"), "1");
  EXPECT_EQ(sim_->faults().fired().at("partial-delete"), 1);
}

TEST_F(FaultClientTest, EveryEntryCanFailWithASenderFaultInTheCoroutineForm) {
  SetUpWith({.rules = {{.id = "all-sends",
                        .effect = FaultEffect::kFailEntries,
                        .action = Action::kSendMessageBatch,
                        .probability = 1,
                        .error = ErrorCode::kInvalidParameterValue,
                        .sender_fault = true}}});
  std::optional<Result<SendMessageBatchResponse>> sent;
  auto actor = [&]() -> boost::asio::awaitable<void> {
    SendMessageBatchRequest batch{
        .queue_url = url_,
        .entries = {{.id = "1", .message_body = "a"}, {.id = "2", .message_body = "b"}}};
    sent = co_await client_->AsyncSendMessageBatch(batch);
  };
  sim_->Spawn(actor());
  sim_->RunUntilIdle();
  ASSERT_TRUE(sent.has_value());
  ASSERT_THAT(*sent, IsOk());
  EXPECT_THAT((*sent)->successful, IsEmpty());
  ASSERT_EQ((*sent)->failed.size(), 2u);
  EXPECT_TRUE((*sent)->failed[0].sender_fault);
  EXPECT_EQ((*sent)->failed[1].code, "InvalidParameterValue");
  EXPECT_EQ(Count("ApproximateNumberOfMessages"), "0");
}

TEST_F(FaultClientTest, ABatchSqsRejectsAsAWholeKeepsItsOwnError) {
  SetUpWith({.rules = {{.id = "partial",
                        .effect = FaultEffect::kFailEntries,
                        .probability = 1,
                        .entries = {1}}}});
  EXPECT_THAT(client_->DeleteMessageBatch({.queue_url = url_}),
              StatusIs(ErrorCode::kEmptyBatchRequest));
  EXPECT_THAT(client_->SendMessageBatch({.queue_url = url_,
                                         .entries = {{.id = "x", .message_body = "a"},
                                                     {.id = "x", .message_body = "b"}}}),
              StatusIs(ErrorCode::kBatchEntryIdsNotDistinct));
  // Not a batch: the rule does not apply.
  EXPECT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "a"}), IsOk());
}

TEST_F(FaultClientTest, LostReceiveResponseLeavesMessagesInFlight) {
  SetUpWith({.rules = {{.id = "lost-receive",
                        .effect = FaultEffect::kLoseResponse,
                        .action = Action::kReceiveMessage,
                        .on_calls = {1}}}});
  ASSERT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "x"}), IsOk());
  EXPECT_THAT(client_->ReceiveMessage({.queue_url = url_}), StatusIs(ErrorCode::kTimeout));
  EXPECT_EQ(Count("ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(FaultClientTest, LatencyDelaysTheCallInVirtualTime) {
  SetUpWith({.rules = {{.id = "slow",
                        .effect = FaultEffect::kLatency,
                        .action = Action::kListQueues,
                        .probability = 1,
                        .latency = std::chrono::milliseconds(1500)}}});
  const Timestamp before = sim_->Now();
  EXPECT_THAT(client_->ListQueues({}), IsOk());
  EXPECT_EQ(sim_->Now() - before, Duration(std::chrono::milliseconds(1500)));
}

TEST_F(FaultClientTest, LatencyInTheCoroutineFormSleepsTheActor) {
  SetUpWith({.rules = {{.id = "slow",
                        .effect = FaultEffect::kLatency,
                        .action = Action::kSendMessage,
                        .probability = 1,
                        .latency = std::chrono::seconds(2)}}});
  std::optional<Timestamp> sent_at;
  sim_->Spawn([](FaultInjectingClient* client, Simulator* sim, std::string url,
                 std::optional<Timestamp>* sent_at) -> boost::asio::awaitable<void> {
    SendMessageRequest send{.queue_url = url, .message_body = "x"};
    auto sent = co_await client->AsyncSendMessage(send);
    EXPECT_THAT(sent, IsOk());
    *sent_at = sim->Now();
  }(client_.get(), sim_.get(), url_, &sent_at));
  const Timestamp start = sim_->Now();
  sim_->RunUntilIdle();
  ASSERT_TRUE(sent_at.has_value());
  EXPECT_EQ(*sent_at - start, Duration(std::chrono::seconds(2)));
}

TEST_F(FaultClientTest, EmptyReceiveReturnsNothingAndLeavesMessagesVisible) {
  SetUpWith({.rules = {{.id = "empty",
                        .effect = FaultEffect::kEmptyReceive,
                        .action = Action::kReceiveMessage,
                        .on_calls = {1}}}});
  ASSERT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "x"}), IsOk());
  auto first = client_->ReceiveMessage({.queue_url = url_});
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->messages, IsEmpty());
  auto second = client_->ReceiveMessage({.queue_url = url_});
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->messages.size(), 1u);
}

TEST_F(FaultClientTest, RulesMatchTheQueueNamedByUrlNameOrArn) {
  SetUpWith({.rules = {{.id = "orders-only",
                        .effect = FaultEffect::kError,
                        .queue = "orders",
                        .probability = 1,
                        .error = ErrorCode::kInternalFailure}}});
  auto other = sim_->CreateQueue({.queue_name = "other"}).value().queue_url;
  EXPECT_THAT(client_->SendMessage({.queue_url = other, .message_body = "x"}), IsOk());
  EXPECT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "x"}),
              StatusIs(ErrorCode::kInternalFailure));
  EXPECT_THAT(client_->GetQueueUrl({.queue_name = "orders"}),
              StatusIs(ErrorCode::kInternalFailure));
  EXPECT_THAT(
      client_->ListMessageMoveTasks({.source_arn = "arn:aws:sqs:us-east-1:123456789012:orders"}),
      StatusIs(ErrorCode::kInternalFailure));
}

TEST_F(FaultClientTest, FiredFaultsAppearInTheSimulatorTrace) {
  SetUpWith({.rules = {{.id = "throttle",
                        .effect = FaultEffect::kError,
                        .on_calls = {1},
                        .error = ErrorCode::kRequestThrottled}}});
  (void)client_->ListQueues({});
  EXPECT_THAT(sim_->trace().FormatLast(5), HasSubstr("fault throttle"));
  EXPECT_EQ(sim_->faults().fired().at("throttle"), 1);
}

// Grind test (Beast's fail_count habit): fail the n-th call of a small
// workload for every n; each run either completes or fails with exactly the
// injected error, and never corrupts the queue.
TEST(FaultClientGrind, EveryCallCanFailCleanly) {
  for (int n = 1; n <= 6; ++n) {
    SimulatorOptions options = SimulatorOptions::Exact(5);
    options.faults.rules.push_back({.id = "nth",
                                    .effect = FaultEffect::kError,
                                    .on_calls = {n},
                                    .error = ErrorCode::kInternalFailure});
    auto sim = Simulator::Create(options).value();
    FaultInjectingClient client(
        {.target = sim.get(), .injector = &sim->faults(), .env = &sim->env()});
    const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
    std::vector<Status> results;
    results.push_back(client.SendMessage({.queue_url = url, .message_body = "a"}).status());
    results.push_back(client.SendMessage({.queue_url = url, .message_body = "b"}).status());
    auto got = client.ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
    results.push_back(got.status());
    if (got.ok()) {
      for (const Message& m : got->messages) {
        results.push_back(
            client.DeleteMessage({.queue_url = url, .receipt_handle = m.receipt_handle}).status());
      }
    }
    int injected = 0;
    for (const Status& s : results) {
      if (!s.ok()) {
        EXPECT_EQ(s.code(), ErrorCode::kInternalFailure) << "n=" << n;
        EXPECT_TRUE(s.injected());
        ++injected;
      }
    }
    EXPECT_LE(injected, 1) << "n=" << n;
    // The queue holds exactly what the successful calls left there.
    auto counts = sim->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
    const int visible = std::stoi(counts->attributes["ApproximateNumberOfMessages"]);
    const int in_flight = std::stoi(counts->attributes["ApproximateNumberOfMessagesNotVisible"]);
    const int sent = results[0].ok() + results[1].ok();
    const int deleted = static_cast<int>(
        std::count_if(results.begin() + 3, results.end(), [](const Status& s) { return s.ok(); }));
    EXPECT_EQ(visible + in_flight, sent - deleted) << "n=" << n;
  }
}

}  // namespace
}  // namespace sqsim
