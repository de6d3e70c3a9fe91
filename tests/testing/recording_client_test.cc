// RecordingClient: every message operation made through the plain Client
// interface lands in the history, with its outcome.

#include "sqsim/testing/recording_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sqsim/fault_client.h"
#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "type outcome value" of each operation, for compact expectations.
std::vector<std::string> Summary(const History& history) {
  std::vector<std::string> lines;
  for (const Operation& op : history.operations()) {
    std::string line = std::string(OpTypeName(op.type)) + " " +
                       std::string(OpOutcomeName(op.outcome)) + " " + op.value;
    if (!op.detail.empty()) line += ": " + op.detail;
    lines.push_back(line);
  }
  return lines;
}

class RecordingClientTest : public ::testing::Test {
 protected:
  explicit RecordingClientTest(FaultPlan faults = {}) {
    SimulatorOptions options = SimulatorOptions::Exact(3);
    options.faults = std::move(faults);
    sim_ = Simulator::Create(options).value();
    faulty_ = sim_->NewFaultInjectingClient();
    client_ = std::make_unique<RecordingClient>(faulty_.get(), &history_, &sim_->env(), "worker");
    url_ = sim_->CreateQueue({.queue_name = "orders"}).value().queue_url;
  }

  // Sends `body` and receives it, through the recording client.
  Message SendAndReceive(const std::string& body) {
    EXPECT_THAT(client_->SendMessage({.queue_url = url_, .message_body = body}), IsOk());
    auto got = client_->ReceiveMessage({.queue_url = url_});
    EXPECT_THAT(got, IsOk());
    EXPECT_EQ(got->messages.size(), 1u);
    return got->messages.empty() ? Message{} : got->messages[0];
  }

  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<FaultInjectingClient> faulty_;
  History history_;
  std::unique_ptr<RecordingClient> client_;
  std::string url_;
};

TEST_F(RecordingClientTest, RecordsSendsReceivesAndDeletesWithTheirValues) {
  const Message m = SendAndReceive("o-1");
  ASSERT_THAT(client_->DeleteMessage({.queue_url = url_, .receipt_handle = m.receipt_handle}),
              IsOk());
  EXPECT_THAT(Summary(history_),
              ElementsAre("send invoked o-1", "send ok o-1", "receive ok o-1", "delete ok o-1"));
  const std::vector<Operation>& ops = history_.operations();
  EXPECT_EQ(ops[1].message_id, m.message_id);
  EXPECT_EQ(ops[3].message_id, m.message_id);
  EXPECT_EQ(ops[2].receive_count, 1);
  EXPECT_EQ(ops[2].queue, "orders");
  EXPECT_EQ(ops[2].actor, "worker");
}

TEST_F(RecordingClientTest, GivesBackOnlyTheAttributesTheCallerAskedFor) {
  const Message m = SendAndReceive("o-1");
  // The client asked for ApproximateReceiveCount to record it, and hid it.
  EXPECT_THAT(m.attributes, IsEmpty());
  EXPECT_EQ(history_.operations().back().receive_count, 1);

  ASSERT_THAT(client_->SendMessage({.queue_url = url_, .message_body = "o-2"}), IsOk());
  auto got = client_->ReceiveMessage(
      {.queue_url = url_, .message_system_attribute_names = {"ApproximateReceiveCount"}});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.size(), 1u);
  EXPECT_EQ(got->messages[0].attributes.at("ApproximateReceiveCount"), "1");
}

TEST_F(RecordingClientTest, RecordsEachEntryOfABatchSendWithItsOwnOutcome) {
  SendMessageBatchRequest batch{.queue_url = url_,
                                .entries = {{.id = "a", .message_body = "o-1"},
                                            // U+0001 is not allowed in a message body.
                                            {.id = "b", .message_body = std::string("o-\x01", 3)},
                                            {.id = "c", .message_body = "o-3"}}};
  auto sent = client_->SendMessageBatch(batch);
  ASSERT_THAT(sent, IsOk());
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_THAT(Summary(history_),
              ElementsAre("send invoked o-1", "send invoked " + std::string("o-\x01", 3),
                          "send invoked o-3", "send ok o-1",
                          "send failed " + std::string("o-\x01", 3) + ": InvalidMessageContents",
                          "send ok o-3"));
}

TEST_F(RecordingClientTest, RecordsEachEntryOfABatchDeleteWithItsOwnOutcome) {
  const Message m = SendAndReceive("o-1");
  history_.Clear();
  auto deleted =
      client_->DeleteMessageBatch({.queue_url = url_,
                                   .entries = {{.id = "a", .receipt_handle = m.receipt_handle},
                                               {.id = "b", .receipt_handle = "not-a-handle"}}});
  ASSERT_THAT(deleted, IsOk());
  EXPECT_THAT(Summary(history_),
              ElementsAre("delete ok o-1", "delete failed : ReceiptHandleIsInvalid"));
}

TEST_F(RecordingClientTest, RecordsVisibilityChangesOfTheReceivedMessage) {
  const Message m = SendAndReceive("o-1");
  history_.Clear();
  ASSERT_THAT(
      client_->ChangeMessageVisibility(
          {.queue_url = url_, .receipt_handle = m.receipt_handle, .visibility_timeout = 60}),
      IsOk());
  auto batch = client_->ChangeMessageVisibilityBatch(
      {.queue_url = url_, .entries = {{.id = "a", .receipt_handle = m.receipt_handle}}});
  ASSERT_THAT(batch, IsOk());
  EXPECT_THAT(Summary(history_),
              ElementsAre("change-visibility ok o-1: timeout 60 s",
                          // The entry has no VisibilityTimeout: SQS rejects it.
                          "change-visibility failed o-1: timeout missing, MissingParameter"));
}

class LostDeleteResponseTest : public RecordingClientTest {
 protected:
  LostDeleteResponseTest()
      : RecordingClientTest({.rules = {{.id = "lost-delete",
                                        .effect = FaultEffect::kLoseResponse,
                                        .action = Action::kDeleteMessage,
                                        .probability = 1}}}) {}
};

TEST_F(LostDeleteResponseTest, RecordsALostResponseAsUnknown) {
  const Message m = SendAndReceive("o-1");
  EXPECT_THAT(client_->DeleteMessage({.queue_url = url_, .receipt_handle = m.receipt_handle}),
              StatusIs(ErrorCode::kTimeout));
  EXPECT_EQ(Summary(history_).back(), "delete unknown o-1: Timeout");
}

class CrashAtDeleteResponseTest : public RecordingClientTest {
 protected:
  CrashAtDeleteResponseTest()
      : RecordingClientTest({.rules = {{.id = "die",
                                        .effect = FaultEffect::kFaultPoint,
                                        .point = "response:DeleteMessage",
                                        .probability = 1}}}) {}
};

TEST_F(CrashAtDeleteResponseTest, TheDeleteTookEffectAndTheCallerDies) {
  const Message m = SendAndReceive("o-1");
  try {
    (void)client_->DeleteMessage({.queue_url = url_, .receipt_handle = m.receipt_handle});
    ADD_FAILURE() << "expected a Crash";
  } catch (const Crash& crash) {
    EXPECT_EQ(crash.point(), "response:DeleteMessage");
  }
  EXPECT_EQ(Summary(history_).back(), "delete unknown o-1: crashed before the response");
  auto left = sim_->GetQueueAttributes(
      {.queue_url = url_, .attribute_names = {"ApproximateNumberOfMessagesNotVisible"}});
  EXPECT_EQ(left->attributes.at("ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(RecordingClientTest, TheCoroutineFormsRecordToo) {
  std::vector<std::string> bodies;
  // A named lambda: the coroutine reads its captures after Spawn returns.
  auto actor = [&]() -> boost::asio::awaitable<void> {
    SendMessageRequest send{.queue_url = url_, .message_body = "o-1"};
    (void)co_await client_->AsyncSendMessage(send);
    ReceiveMessageRequest receive{.queue_url = url_};
    auto got = co_await client_->AsyncReceiveMessage(receive);
    for (const Message& m : got->messages) {
      bodies.push_back(m.body);
      DeleteMessageBatchRequest del{.queue_url = url_,
                                    .entries = {{.id = "a", .receipt_handle = m.receipt_handle}}};
      (void)co_await client_->AsyncDeleteMessageBatch(del);
    }
  };
  sim_->Spawn(actor());
  sim_->RunUntilIdle();
  EXPECT_THAT(bodies, ElementsAre("o-1"));
  EXPECT_THAT(Summary(history_),
              ElementsAre("send invoked o-1", "send ok o-1", "receive ok o-1", "delete ok o-1"));
}

}  // namespace
}  // namespace sqsim::testing
