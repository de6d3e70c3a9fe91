// Regression tests from the model properties: the minimal sequences that
// exposed a difference between the reference model and the simulator.
//
// The first tests are the simulator bugs the properties found (fixed in the
// engine) and one FIFO case that turned out to be SQS's own behaviour. A bug
// found later goes here as a DISABLED_ test, tolerated by the properties
// through kSimulatorDeviations until the engine is fixed. The last tests pin
// behaviour SQS leaves open, where the model adopted the simulator's choice.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/property_util.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::model {
namespace {

using ::sqsim::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::SizeIs;
using namespace std::chrono_literals;

std::vector<std::string> Bodies(const std::vector<Message>& messages) {
  std::vector<std::string> bodies;
  for (const Message& m : messages) bodies.push_back(m.body);
  return bodies;
}

class ModelRegressionTest : public ::testing::Test {
 protected:
  std::string MakeQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
    EXPECT_THAT(created, IsOk());
    return created.ok() ? created->queue_url : "";
  }
  void Send(const std::string& url, const std::string& body,
            std::optional<std::string> group = std::nullopt) {
    EXPECT_THAT(sim_->SendMessage(
                    {.queue_url = url, .message_body = body, .message_group_id = std::move(group)}),
                IsOk());
  }
  std::vector<Message> Receive(const std::string& url, int max, std::optional<int> visibility,
                               int wait = 0) {
    auto r = sim_->ReceiveMessage({.queue_url = url,
                                   .max_number_of_messages = max,
                                   .visibility_timeout = visibility,
                                   .wait_time_seconds = wait});
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->messages : std::vector<Message>{};
  }

  std::unique_ptr<Simulator> sim_ = Simulator::Create(SimulatorOptions::Exact()).value();
};

// Simulator bug, fixed: two messages at maxReceiveCount took both attempts of
// a long poll (one at the start, one at the deadline), each using the single
// MaxNumberOfMessages slot for the hand-off to the DLQ; the poll ended empty
// after 20 s although "fresh" was receivable the whole time. AWS: "long
// polling ... returns messages as soon as they become available".
TEST_F(ModelRegressionTest, LongPollReturnsAvailableMessageAfterRedrivingOthers) {
  MakeQueue("dlq");
  const std::string source = MakeQueue(
      "source",
      {{"RedrivePolicy",
        R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":1})"}});
  Send(source, "poison-1");
  Send(source, "poison-2");
  ASSERT_THAT(Receive(source, 10, /*visibility=*/0), SizeIs(2));
  Send(source, "fresh");
  const Timestamp start = sim_->Now();
  EXPECT_THAT(Bodies(Receive(source, 1, std::nullopt, /*wait=*/20)), ElementsAre("fresh"));
  EXPECT_EQ(sim_->Now(), start);
}

// Reported as a simulator bug against the docs' wording ("no more messages
// for the same message group ID are returned unless you delete the message or
// it becomes visible"), but SQS was observed to deliver the first message of a
// group again while a later one is in flight (LocalStack's AWS-validated
// test_fifo_message_group_visibility_after_change_message_visibility), so the
// simulator keeps it and the model adopted it.
TEST_F(ModelRegressionTest, FifoMessageMadeVisibleIsDeliveredWhileLaterMessageOfGroupIsInFlight) {
  const std::string fifo =
      MakeQueue("f.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  Send(fifo, "first", "g1");
  Send(fifo, "second", "g1");
  const std::vector<Message> both = Receive(fifo, 2, /*visibility=*/30);
  ASSERT_THAT(Bodies(both), ElementsAre("first", "second"));
  ASSERT_THAT(
      sim_->ChangeMessageVisibility(
          {.queue_url = fifo, .receipt_handle = both[0].receipt_handle, .visibility_timeout = 0}),
      IsOk());
  EXPECT_THAT(Bodies(Receive(fifo, 10, /*visibility=*/30)), ElementsAre("first"));
}

// Simulator bug, fixed: a move task without a destination on a FIFO
// dead-letter queue whose oldest message was sent to it directly (no
// DeadLetterQueueSourceArn, so no destination) fails, as it should, but the
// message was no longer receivable from the DLQ: a failed move must leave the
// message where it was (the standard-queue path does).
TEST_F(ModelRegressionTest, FailedFifoMoveTaskLeavesTheMessageReceivable) {
  const std::string dlq =
      MakeQueue("dlq.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  MakeQueue(
      "source.fifo",
      {{"FifoQueue", "true"},
       {"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq.fifo",)"
                         R"("maxReceiveCount":1})"}});
  Send(dlq, "direct", "g1");
  ASSERT_THAT(
      sim_->StartMessageMoveTask({.source_arn = "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"}),
      IsOk());
  sim_->RunFor(1s);
  auto tasks =
      sim_->ListMessageMoveTasks({.source_arn = "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"});
  ASSERT_THAT(tasks, IsOk());
  ASSERT_THAT(tasks->results, SizeIs(1));
  EXPECT_EQ(tasks->results[0].status, "FAILED");
  EXPECT_THAT(Bodies(Receive(dlq, 10, /*visibility=*/30)), ElementsAre("direct"));
}

// The same two cases as operation sequences, against the model.
TEST(ModelRegressionSequence, LongPollAfterRedriveAgreesWithTheModel) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 0, .entry = {.body = 1}},
      SendMessageOp{.queue = 0, .entry = {.body = 2}},
      ReceiveMessageOp{.queue = 0, .max_messages = 10, .visibility_timeout = 0},
      ReceiveMessageOp{.queue = 0, .max_messages = 10, .visibility_timeout = 0},
      SendMessageOp{.queue = 0, .entry = {.body = 3}},
      ReceiveMessageOp{.queue = 0, .max_messages = 1, .wait_seconds = 20},
  });
  EXPECT_EQ(CompareWithModel(ops, KnownDeviations{}), "");
}

TEST(ModelRegressionSequence, FifoGroupLockAgreesWithTheModel) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageBatchOp{.queue = 4,
                         .entries = {{.body = 1, .group = "g1"}, {.body = 2, .group = "g1"}}},
      ReceiveMessageOp{.queue = 4, .max_messages = 2, .visibility_timeout = 30},
      ChangeMessageVisibilityOp{.handle = {.queue = 4, .back = 1}, .visibility_timeout = 0},
      ReceiveMessageOp{.queue = 4, .max_messages = 10, .visibility_timeout = 30},
  });
  EXPECT_EQ(CompareWithModel(ops, KnownDeviations{}), "");
}

// Found by a soak (issue: FIFO retroactive delay). The docs make a FIFO
// queue's DelaySeconds retroactive "for messages already in the queue", and
// define the delay as postponing "the delivery of new messages"
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-delay-queues.html).
// A message that was received has been delivered; made visible again, it is
// not new, so a raised delay leaves it visible. The engine used to delay it
// again; it now agrees with the model.
TEST(ModelRegressionSequence, FifoDelayRaisedAfterAReceiveLeavesTheMessageVisible) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 4, .entry = {.body = 1, .group = "g1"}},
      ReceiveMessageOp{.queue = 4, .max_messages = 1, .visibility_timeout = 0},
      SetQueueAttributesOp{.queue = 4, .attributes = {.delay_seconds = 5}},
      GetQueueAttributesOp{.queue = 4},
      ReceiveMessageOp{.queue = 4, .max_messages = 1, .visibility_timeout = 30},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

// Found by a soak (RapidCheck seed 2270469263162974712): a move task
// cancelled after its last move reported its next move in the past, both in
// the model (whose clock loop then stepped to it for ever) and in the engine
// (a long poll on the destination woke at the same instant for ever). A
// cancelled task with nothing left to move now moves no more, waits out its
// grace second and ends CANCELLED; the 5-second poll waits it out.
TEST(ModelRegressionSequence, CancelledMoveTaskWithNothingLeftLetsTimeMove) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 1, .entry = {.body = 4}},
      StartMessageMoveTaskOp{.source = 1, .destination = 2},
      CancelMessageMoveTaskOp{.back = 0},
      AdvanceTimeOp{.duration = 100ms},
      ReceiveMessageOp{.queue = 2, .max_messages = 1, .visibility_timeout = 30},
      ReceiveMessageOp{.queue = 2, .max_messages = 1, .wait_seconds = 5},
      ListMessageMoveTasksOp{.source = 1},
      AdvanceTimeOp{.duration = 2s},
      ListMessageMoveTasksOp{.source = 1},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

// ---- Choices SQS leaves open, pinned as the simulator makes them ------------------

// Found by a soak (RapidCheck seed 16076815796070289105): a message redriven
// from f3.fifo to f4.fifo and back again (the two queues name each other as
// dead-letter queues) is a new instance in f3.fifo, so the handle of its
// first receive there no longer names it. The model kept the message's
// identity across the moves and accepted the old handle; it now follows the
// simulator.
TEST(ModelRegressionSequence, HandleFromBeforeARedriveCycleNoLongerNamesTheMessage) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 3, .entry = {.body = 1, .group = "g2", .dedup = "d5"}},
      ReceiveMessageOp{.queue = 3, .max_messages = 1, .visibility_timeout = 1},
      SendMessageOp{.queue = 3, .entry = {.body = 1, .group = "g1", .dedup = "d2"}},
      SetQueueAttributesOp{
          .queue = 4, .attributes = {.redrive = RedriveSpec{.target = 3, .max_receive_count = 1}}},
      AdvanceTimeOp{.duration = 30s},
      ReceiveMessageOp{.queue = 3, .max_messages = 1, .visibility_timeout = 1},
      ReceiveMessageOp{.queue = 4, .max_messages = 3, .visibility_timeout = 0},
      ChangeMessageVisibilityOp{.handle = {.queue = 3, .back = 1}, .visibility_timeout = 1},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

// A stale handle (the message was received again since) cannot change visibility.
TEST(ModelRegressionSequence, StaleHandleChangeVisibilityIsInvalidParameterValue) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 2, .entry = {.body = 0}},
      ReceiveMessageOp{.queue = 2, .max_messages = 1, .visibility_timeout = 0},
      ReceiveMessageOp{.queue = 2, .max_messages = 1, .visibility_timeout = 30},
      ChangeMessageVisibilityBatchOp{.queue = 2, .entries = {{1, 5}}},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

// A move task moves only messages available when their turn comes.
TEST(ModelRegressionSequence, MoveTaskSkipsMessagesInFlight) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 1, .entry = {.body = 4}},
      StartMessageMoveTaskOp{.source = 1, .destination = 2, .rate = 2},
      ReceiveMessageOp{.queue = 1, .max_messages = 3, .visibility_timeout = 5},
      AdvanceTimeOp{.duration = 1s},
      ReceiveMessageOp{.queue = 2, .max_messages = 3},
      ListMessageMoveTasksOp{.source = 1},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

// Attribute values are validated before the 60-second re-create rule and
// before an existing queue's attributes are compared.
TEST(ModelRegressionSequence, CreateQueueValidatesValuesFirst) {
  const std::vector<Operation> ops = WithPrologue({
      CreateQueueOp{.queue = 0, .attributes = {.delay_seconds = 901}},
      DeleteQueueOp{.queue = 2},
      CreateQueueOp{.queue = 2, .attributes = {.message_retention_period = 59}},
      CreateQueueOp{.queue = 2},
  });
  EXPECT_EQ(CompareWithModel(ops), "");
}

}  // namespace
}  // namespace sqsim::model
