// Dead-letter queues with FIFO queues: the hand-off from a FIFO source to a
// FIFO DLQ (enqueue time reset, deduplication id replaced by the message id,
// the source group usable afterwards), queue-type matching for RedrivePolicy,
// and FIFO message move tasks, as AWS "Using dead-letter queues in Amazon
// SQS" (sqs-dead-letter-queues.html), "Setting-up dead-letter queue retention
// in Amazon SQS" (setting-up-dead-letter-queue-retention.html) and "Learn how
// to configure a dead-letter queue redrive in Amazon SQS"
// (sqs-configure-dead-letter-queue-redrive.html) describe them.

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// SimulatorOptions::start_time in epoch milliseconds.

class FifoDeadLetterTest : public SimulatorTest {
 protected:
  // Sends `body` to `group` of `url`; the deduplication id defaults to the
  // body. Fails the test on error; returns the message id.
  std::string SendToGroup(const std::string& url, const std::string& group, const std::string& body,
                          std::optional<std::string> deduplication_id = std::nullopt) {
    auto sent = sim_->SendMessage({.queue_url = url,
                                   .message_body = body,
                                   .message_deduplication_id = deduplication_id.value_or(body),
                                   .message_group_id = group});
    EXPECT_THAT(sent, IsOk());
    return sent.ok() ? sent->message_id : std::string();
  }

  // Receives everything visible in the source twice with a zero visibility
  // timeout: the first receive counts one delivery, the second moves every
  // message that was delivered once (maxReceiveCount 1) to the DLQ.
  void ReceiveTwice(size_t expected) {
    ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(expected));
    ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  }

  std::string Visible(const std::string& url) {
    return Attribute(url, "ApproximateNumberOfMessages");
  }

  // The DLQ first: a RedrivePolicy must name an existing queue.
  std::string dlq_ = MakeQueue("orders-dlq.fifo", {{"FifoQueue", "true"}});
  std::string source_ = MakeQueue(
      "orders.fifo", {{"FifoQueue", "true"}, {"RedrivePolicy", Redrive("orders-dlq.fifo")}});
};

// ---- The hand-off ---------------------------------------------------------------

TEST_F(FifoDeadLetterTest, SecondReceiveMovesMessageWithMaxReceiveCountOne) {
  SendToGroup(source_, "g1", "poison");
  ASSERT_THAT(Bodies(Receive(source_, 10, /*visibility=*/0)), ElementsAre("poison"));
  EXPECT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  EXPECT_EQ(Visible(source_), "0");
  EXPECT_EQ(Attribute(source_, "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Visible(dlq_), "1");
}

TEST_F(FifoDeadLetterTest, MovedMessageKeepsMessageIdBodyAndGroup) {
  const std::string id = SendToGroup(source_, "g1", "poison");
  ReceiveTwice(1);
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].message_id, id);
  EXPECT_EQ(moved[0].body, "poison");
  EXPECT_EQ(moved[0].attributes.at("MessageGroupId"), "g1");
}

TEST_F(FifoDeadLetterTest, MovedMessageDeduplicationIdBecomesItsMessageId) {
  const std::string id = SendToGroup(source_, "g1", "poison", "producer-dedup-id");
  ReceiveTwice(1);
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("MessageDeduplicationId"), id);
}

// SQS resets the enqueue time of a FIFO message at the move (AWS "Setting-up
// dead-letter queue retention in Amazon SQS"); whether the returned
// SentTimestamp shows it is not documented, and sqsim reports the move time.
TEST_F(FifoDeadLetterTest, MovedMessageSentTimestampIsTheMoveTime) {
  SendToGroup(source_, "g1", "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(5s);
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("SentTimestamp"), std::to_string(kStartMillis + 5000));
}

TEST_F(FifoDeadLetterTest, MovedMessageRetentionCountsFromTheMove) {
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = dlq_, .attributes = {{"MessageRetentionPeriod", "60"}}}),
              IsOk());
  SendToGroup(source_, "g1", "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(40s);
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());  // moved at 40 s
  sim_->RunFor(59s);  // 99 s after the send, 59 s after the move
  EXPECT_EQ(Visible(dlq_), "1");
  sim_->RunFor(1s);
  EXPECT_EQ(Visible(dlq_), "0");
}

TEST_F(FifoDeadLetterTest, MovedMessageKeepsItsReceiveCount) {
  SendToGroup(source_, "g1", "poison");
  ReceiveTwice(1);
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(FifoDeadLetterTest, MovedMessageCarriesDeadLetterQueueSourceArn) {
  SendToGroup(source_, "g1", "poison");
  ReceiveTwice(1);
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("DeadLetterQueueSourceArn"), ArnOf("orders.fifo"));
}

// Without the id replacement the second message would be swallowed by the
// DLQ's deduplication window.
TEST_F(FifoDeadLetterTest, MessagesThatSharedADeduplicationIdBothReachTheDeadLetterQueue) {
  SendToGroup(source_, "g1", "first", "shared-id");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(5min);  // the source's window for shared-id ends
  SendToGroup(source_, "g2", "second", "shared-id");
  ASSERT_THAT(Bodies(Receive(source_, 10, /*visibility=*/0)),
              ElementsAre("second"));                              // moves first
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());  // moves second
  EXPECT_EQ(Visible(dlq_), "2");
  EXPECT_THAT(Bodies(Receive(dlq_)), ElementsAre("first", "second"));
}

TEST_F(FifoDeadLetterTest, SourceGroupStaysUsableAfterAMove) {
  SendToGroup(source_, "g1", "g1-m1");
  SendToGroup(source_, "g1", "g1-m2");
  ASSERT_THAT(Bodies(Receive(source_, 1, /*visibility=*/0)), ElementsAre("g1-m1"));
  // The next receives move g1-m1 and then deliver g1-m2, whether in the
  // same call or the one after it.
  std::vector<Message> delivered = Receive(source_, 1);
  for (const Message& m : Receive(source_, 1)) delivered.push_back(m);
  EXPECT_THAT(Bodies(delivered), ElementsAre("g1-m2"));
  EXPECT_EQ(Visible(dlq_), "1");
}

TEST_F(FifoDeadLetterTest, DeadLetterQueueKeepsTheOrderOfAGroup) {
  for (const char* body : {"m1", "m2", "m3"}) SendToGroup(source_, "g1", body);
  ReceiveTwice(3);
  EXPECT_THAT(Bodies(Receive(dlq_)), ElementsAre("m1", "m2", "m3"));
}

// ---- Queue types must match ----------------------------------------------------
// SQS requires a DLQ of the source's type [D]; the error code is unconfirmed
// and sqsim answers InvalidParameterValue, as for other bad RedrivePolicies.

TEST_F(FifoDeadLetterTest, StandardDeadLetterQueueForFifoSourceIsInvalidParameterValue) {
  MakeQueue("standard-dlq");
  EXPECT_THAT(
      sim_->SetQueueAttributes(
          {.queue_url = source_, .attributes = {{"RedrivePolicy", Redrive("standard-dlq")}}}),
      StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), Redrive("orders-dlq.fifo"));
}

TEST_F(FifoDeadLetterTest, FifoDeadLetterQueueForStandardSourceIsInvalidParameterValue) {
  const std::string standard = MakeQueue("standard");
  EXPECT_THAT(
      sim_->SetQueueAttributes(
          {.queue_url = standard, .attributes = {{"RedrivePolicy", Redrive("orders-dlq.fifo")}}}),
      StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(standard, "RedrivePolicy"), "<absent>");
}

TEST_F(FifoDeadLetterTest, FifoSourceCreatedWithStandardDeadLetterQueueIsInvalidParameterValue) {
  MakeQueue("standard-dlq");
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "billing.fifo",
                                 .attributes = {{"FifoQueue", "true"},
                                                {"RedrivePolicy", Redrive("standard-dlq")}}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "billing.fifo"}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

// ---- Message move tasks from a FIFO DLQ -------------------------------------------

class FifoMoveTaskTest : public FifoDeadLetterTest {
 protected:
  Result<StartMessageMoveTaskResponse> Start(std::optional<std::string> destination_arn = {}) {
    return sim_->StartMessageMoveTask(
        {.source_arn = ArnOf("orders-dlq.fifo"), .destination_arn = std::move(destination_arn)});
  }

  ListMessageMoveTasksResultEntry Latest() {
    auto listed = sim_->ListMessageMoveTasks({.source_arn = ArnOf("orders-dlq.fifo")});
    EXPECT_THAT(listed, IsOk());
    if (!listed.ok() || listed->results.empty()) {
      ADD_FAILURE() << "no move task listed";
      return {};
    }
    return listed->results[0];
  }
};

TEST_F(FifoMoveTaskTest, MoveTaskReturnsMessagesToTheFifoSourceInOrder) {
  for (const char* body : {"m1", "m2", "m3", "m4"}) SendToGroup(source_, "g1", body);
  ReceiveTwice(4);
  ASSERT_EQ(Visible(dlq_), "4");
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);  // 500 moves per second when no rate is given
  EXPECT_EQ(Latest().status, "COMPLETED");
  EXPECT_EQ(Latest().approximate_number_of_messages_moved, 4);
  EXPECT_EQ(Visible(dlq_), "0");
  EXPECT_THAT(Bodies(Receive(source_)), ElementsAre("m1", "m2", "m3", "m4"));
}

TEST_F(FifoMoveTaskTest, MoveTaskGivesMovedMessagesNewMessageIds) {
  const std::string first = SendToGroup(source_, "g1", "m1");
  const std::string second = SendToGroup(source_, "g1", "m2");
  ReceiveTwice(2);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  auto returned = Receive(source_);
  ASSERT_THAT(Bodies(returned), ElementsAre("m1", "m2"));
  EXPECT_NE(returned[0].message_id, first);
  EXPECT_NE(returned[1].message_id, second);
  EXPECT_NE(returned[0].message_id, returned[1].message_id);
}

TEST_F(FifoMoveTaskTest, MovedMessagesKeepTheirMessageGroups) {
  SendToGroup(source_, "g1", "g1-m1");
  SendToGroup(source_, "g2", "g2-m1");
  ReceiveTwice(2);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  auto returned = Receive(source_);
  ASSERT_THAT(Bodies(returned), ElementsAre("g1-m1", "g2-m1"));
  EXPECT_EQ(returned[0].attributes.at("MessageGroupId"), "g1");
  EXPECT_EQ(returned[1].attributes.at("MessageGroupId"), "g2");
}

TEST_F(FifoMoveTaskTest, MovedMessagesStartAFreshLife) {
  SendToGroup(source_, "g1", "m1");
  ReceiveTwice(1);
  sim_->RunFor(10s);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  auto returned = Receive(source_);
  ASSERT_THAT(returned, SizeIs(1));
  EXPECT_EQ(returned[0].attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_FALSE(returned[0].attributes.contains("DeadLetterQueueSourceArn"));
  // Move k happens k/500 s after the start: the first at 10.002 s.
  EXPECT_EQ(returned[0].attributes.at("SentTimestamp"), std::to_string(kStartMillis + 10002));
}

TEST_F(FifoMoveTaskTest, MoveTaskToExplicitFifoDestinationKeepsOrder) {
  const std::string replay = MakeQueue("replay.fifo", {{"FifoQueue", "true"}});
  for (const char* body : {"m1", "m2", "m3"}) SendToGroup(source_, "g1", body);
  ReceiveTwice(3);
  ASSERT_THAT(Start(ArnOf("replay.fifo")), IsOk());
  sim_->RunFor(1s);
  EXPECT_EQ(Visible(source_), "0");
  EXPECT_THAT(Bodies(Receive(replay)), ElementsAre("m1", "m2", "m3"));
}

TEST_F(FifoMoveTaskTest, MoveTaskFromFifoToStandardDestinationIsInvalidParameterValue) {
  MakeQueue("standard");
  SendToGroup(source_, "g1", "m1");
  ReceiveTwice(1);
  EXPECT_THAT(Start(ArnOf("standard")), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Visible(dlq_), "1");
}

}  // namespace
}  // namespace sqsim
