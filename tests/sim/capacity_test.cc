// The simulator's own capacity (SimulatorLimits::max_stored_messages,
// max_stored_bytes, max_queues): a send or CreateQueue beyond it fails with
// ServiceUnavailable (503, retryable) and changes nothing, and whatever
// leaves a queue (delete, purge, expiry, queue deletion) frees its room.

#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

SimulatorOptions WithCapacity(int64_t messages, int64_t bytes, int queues = 0) {
  SimulatorOptions options = SimulatorOptions::Exact(7);
  options.limits.max_stored_messages = messages;
  options.limits.max_stored_bytes = bytes;
  options.limits.max_queues = queues;
  return options;
}

class MessageCapacityTest : public SimulatorTest {
 protected:
  MessageCapacityTest() : SimulatorTest(WithCapacity(3, 0)) {}

  Result<SendMessageResponse> TrySend(const std::string& url, const std::string& body = "m") {
    return sim_->SendMessage({.queue_url = url, .message_body = body});
  }

  std::string url_ = MakeQueue("orders");
};

TEST_F(MessageCapacityTest, ASendBeyondTheLimitIsServiceUnavailableAndStoresNothing) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(url_), IsOk());
  const Result<SendMessageResponse> refused = TrySend(url_);
  ASSERT_THAT(refused, StatusIs(ErrorCode::kServiceUnavailable,
                                ::testing::HasSubstr("maximum of 3 messages")));
  EXPECT_EQ(refused.status().http_status(), 503);
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "3");
}

TEST_F(MessageCapacityTest, TheLimitCountsEveryQueue) {
  const std::string other = MakeQueue("other");
  ASSERT_THAT(TrySend(url_), IsOk());
  ASSERT_THAT(TrySend(other), IsOk());
  ASSERT_THAT(TrySend(other), IsOk());
  EXPECT_THAT(TrySend(url_), StatusIs(ErrorCode::kServiceUnavailable));
}

TEST_F(MessageCapacityTest, ABatchThatWouldNotFitIsRefusedWhole) {
  ASSERT_THAT(TrySend(url_), IsOk());
  SendMessageBatchRequest batch{.queue_url = url_};
  for (const char* id : {"a", "b", "c"}) batch.entries.push_back({.id = id, .message_body = id});
  EXPECT_THAT(sim_->SendMessageBatch(batch), StatusIs(ErrorCode::kServiceUnavailable));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  batch.entries.pop_back();
  EXPECT_THAT(sim_->SendMessageBatch(batch), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "3");
}

TEST_F(MessageCapacityTest, DeletingAMessageFreesItsRoom) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(url_), IsOk());
  const std::vector<Message> got = Receive(url_, 1);
  ASSERT_THAT(got, ::testing::SizeIs(1));
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = got[0].receipt_handle}),
              IsOk());
  EXPECT_THAT(TrySend(url_), IsOk());
}

TEST_F(MessageCapacityTest, PurgeExpiryAndQueueDeletionFreeTheirRoom) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(url_), IsOk());
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url_}), IsOk());
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(url_), IsOk());

  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url_}), IsOk());
  const std::string short_lived = MakeQueue("short-lived", {{"MessageRetentionPeriod", "60"}});
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(short_lived), IsOk());
  EXPECT_THAT(TrySend(short_lived), StatusIs(ErrorCode::kServiceUnavailable));
  sim_->RunFor(61s);
  EXPECT_THAT(TrySend(short_lived), IsOk());  // the three expired
}

// A hand-off to a dead-letter queue moves a message; it adds none.
TEST_F(MessageCapacityTest, ADeadLetterHandOffIsNotANewMessage) {
  const std::string dlq = MakeQueue("orders-dlq");
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_, .attributes = {{"RedrivePolicy", Redrive("orders-dlq")}}}),
              IsOk());
  for (int i = 0; i < 3; ++i) ASSERT_THAT(TrySend(url_), IsOk());
  ASSERT_THAT(Receive(url_, 10, /*visibility=*/0), ::testing::SizeIs(3));
  EXPECT_THAT(Receive(url_, 10), ::testing::IsEmpty());  // all three handed off
  EXPECT_EQ(Attribute(dlq, "ApproximateNumberOfMessages"), "3");
  EXPECT_THAT(TrySend(url_), StatusIs(ErrorCode::kServiceUnavailable));
}

class ByteCapacityTest : public SimulatorTest {
 protected:
  ByteCapacityTest() : SimulatorTest(WithCapacity(0, 250)) {}
  std::string url_ = MakeQueue("orders");
};

TEST_F(ByteCapacityTest, BodiesBeyondTheByteLimitAreServiceUnavailable) {
  const std::string body(100, 'x');
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = body}), IsOk());
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = body}), IsOk());
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = body}),
              StatusIs(ErrorCode::kServiceUnavailable, ::testing::HasSubstr("250 bytes")));
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = std::string(50, 'y')}), IsOk());
}

class QueueCapacityTest : public SimulatorTest {
 protected:
  QueueCapacityTest() : SimulatorTest(WithCapacity(0, 0, 2)) {}
};

TEST_F(QueueCapacityTest, ACreateQueueBeyondTheLimitIsServiceUnavailable) {
  MakeQueue("a");
  const std::string b = MakeQueue("b");
  EXPECT_THAT(
      sim_->CreateQueue({.queue_name = "c"}),
      StatusIs(ErrorCode::kServiceUnavailable, ::testing::HasSubstr("maximum of 2 queues")));
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "a"}), IsOk());  // existing: still idempotent
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = b}), IsOk());
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "c"}), IsOk());
}

TEST(CapacityOptions, NegativeLimitsAreInvalid) {
  EXPECT_THAT(Simulator::Create(WithCapacity(-1, 0)), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(Simulator::Create(WithCapacity(0, -1)), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(Simulator::Create(WithCapacity(0, 0, -1)),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

}  // namespace
}  // namespace sqsim
