// Message move tasks (the DLQ redrive API): StartMessageMoveTask,
// ListMessageMoveTasks and CancelMessageMoveTask, as their AWS API Reference
// pages describe them and as LocalStack's AWS-validated tests recorded AWS's
// answers. Rates are checked against the model of
// src/sim/engine_move_tasks.cc: move k of a task happens k/rate seconds after
// its start (rate 500 when none is given), and a cancelled task keeps moving
// for one more second (CANCELLING) before it is CANCELLED.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.h"
#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// SimulatorOptions::start_time in epoch milliseconds.

class MoveTaskTest : public SimulatorTest {
 protected:
  // Sends `bodies` to `source` (whose RedrivePolicy targets orders-dlq with
  // maxReceiveCount 1) and receives them twice, so that they move to the DLQ.
  void Poison(const std::string& source, const std::vector<std::string>& bodies) {
    for (size_t start = 0; start < bodies.size(); start += 10) {
      const size_t end = std::min(bodies.size(), start + 10);
      for (size_t i = start; i < end; ++i) Send(source, bodies[i]);
      ASSERT_THAT(Receive(source, 10, /*visibility=*/0), SizeIs(end - start));
      ASSERT_THAT(Receive(source, 10, /*visibility=*/0), IsEmpty());
    }
  }

  // Puts `n` messages from orders into orders-dlq.
  void PoisonCount(int n) {
    std::vector<std::string> bodies;
    for (int i = 0; i < n; ++i) bodies.push_back("m" + std::to_string(i));
    Poison(source_, bodies);
    ASSERT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), std::to_string(n));
  }

  Result<StartMessageMoveTaskResponse> Start(std::optional<std::string> destination_arn = {},
                                             std::optional<int> rate = {}) {
    return sim_->StartMessageMoveTask({.source_arn = dlq_arn_,
                                       .destination_arn = std::move(destination_arn),
                                       .max_number_of_messages_per_second = rate});
  }

  // The most recent task of orders-dlq.
  ListMessageMoveTasksResultEntry Latest() {
    auto listed = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_});
    EXPECT_THAT(listed, IsOk());
    if (!listed.ok() || listed->results.empty()) {
      ADD_FAILURE() << "no move task listed";
      return {};
    }
    EXPECT_THAT(listed->results, SizeIs(1));
    return listed->results[0];
  }

  int Visible(const std::string& url) {
    return std::stoi(Attribute(url, "ApproximateNumberOfMessages"));
  }

  // The DLQ first: a RedrivePolicy must name an existing queue.
  std::string dlq_ = MakeQueue("orders-dlq");
  std::string source_ = MakeQueue("orders", {{"RedrivePolicy", Redrive("orders-dlq")}});
  std::string dlq_arn_ = ArnOf("orders-dlq");
};

// ---- StartMessageMoveTask errors ------------------------------------------------

TEST_F(MoveTaskTest, StartWithUnknownSourceIsResourceNotFound) {
  auto started = sim_->StartMessageMoveTask({.source_arn = ArnOf("nope")});
  ASSERT_THAT(
      started,
      StatusIs(ErrorCode::kResourceNotFoundException,
               "The resource that you specified for the SourceArn parameter doesn't exist."));
  EXPECT_EQ(started.status().http_status(), 404);
  EXPECT_EQ(started.status().query_code(), "ResourceNotFoundException");
}

TEST_F(MoveTaskTest, StartWithoutSourceArnIsMissingParameter) {
  EXPECT_THAT(sim_->StartMessageMoveTask({.source_arn = ""}),
              StatusIs(ErrorCode::kMissingParameter));
}

TEST_F(MoveTaskTest, StartOnQueueThatIsNoDeadLetterQueueIsInvalidParameterValue) {
  auto started = sim_->StartMessageMoveTask({.source_arn = ArnOf("orders")});
  ASSERT_THAT(started, StatusIs(ErrorCode::kInvalidParameterValue,
                                "Source queue must be configured as a Dead Letter Queue."));
  EXPECT_EQ(started.status().http_status(), 400);
}

TEST_F(MoveTaskTest, StartWithUnknownDestinationIsResourceNotFound) {
  PoisonCount(1);
  auto started = Start(ArnOf("nope"));
  ASSERT_THAT(started, StatusIs(ErrorCode::kResourceNotFoundException,
                                "The resource that you specified for the DestinationArn parameter "
                                "doesn't exist."));
  EXPECT_EQ(started.status().http_status(), 404);
}

TEST_F(MoveTaskTest, StartWithDestinationOfOtherQueueTypeIsInvalidParameterValue) {
  auto fifo =
      sim_->CreateQueue({.queue_name = "replay.fifo", .attributes = {{"FifoQueue", "true"}}});
  ASSERT_THAT(fifo, IsOk());
  EXPECT_THAT(Start(ArnOf("replay.fifo")), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(MoveTaskTest, RateOfZeroIsInvalidParameterValue) {
  EXPECT_THAT(Start(std::nullopt, 0), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(MoveTaskTest, RateAboveFiveHundredIsInvalidParameterValue) {
  EXPECT_THAT(Start(std::nullopt, 501), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(MoveTaskTest, RateOfFiveHundredIsAccepted) {
  PoisonCount(1);
  EXPECT_THAT(Start(std::nullopt, 500), IsOk());
}

TEST_F(MoveTaskTest, RateOfOneIsAccepted) {
  PoisonCount(1);
  EXPECT_THAT(Start(std::nullopt, 1), IsOk());
}

TEST_F(MoveTaskTest, SecondTaskOnSameSourceIsInvalidParameterValue) {
  PoisonCount(3);
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());
  EXPECT_THAT(Start(std::nullopt, 1),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "There is already a task running. Only one active task is allowed for a "
                       "source queue arn at a given time."));
}

TEST_F(MoveTaskTest, NewTaskMayStartOnceThePreviousCompleted) {
  PoisonCount(2);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  ASSERT_EQ(Latest().status, "COMPLETED");
  EXPECT_THAT(Start(), IsOk());
}

TEST_F(MoveTaskTest, StartOnEmptyDeadLetterQueueCompletesAtOnce) {
  ASSERT_THAT(Start(), IsOk());
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "COMPLETED");
  EXPECT_EQ(task.approximate_number_of_messages_to_move, 0);
  EXPECT_EQ(task.approximate_number_of_messages_moved, 0);
}

// ---- Where messages go ------------------------------------------------------------

TEST_F(MoveTaskTest, WithoutDestinationMessagesReturnToTheirOriginalSource) {
  const std::string billing = MakeQueue("billing", {{"RedrivePolicy", Redrive("orders-dlq")}});
  Poison(source_, {"order-1", "order-2"});
  Poison(billing, {"bill-1", "bill-2"});
  ASSERT_EQ(Visible(dlq_), 4);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  EXPECT_EQ(Latest().status, "COMPLETED");
  EXPECT_EQ(Visible(dlq_), 0);
  EXPECT_THAT(Bodies(Receive(source_)), ElementsAre("order-1", "order-2"));
  EXPECT_THAT(Bodies(Receive(billing)), ElementsAre("bill-1", "bill-2"));
}

TEST_F(MoveTaskTest, WithDestinationAllMessagesGoThere) {
  const std::string replay = MakeQueue("replay");
  PoisonCount(3);
  ASSERT_THAT(Start(ArnOf("replay")), IsOk());
  sim_->RunFor(1s);
  EXPECT_EQ(Visible(dlq_), 0);
  EXPECT_EQ(Visible(source_), 0);
  EXPECT_THAT(Bodies(Receive(replay)), ElementsAre("m0", "m1", "m2"));
}

TEST_F(MoveTaskTest, MovedMessagesAreNewMessages) {
  Send(source_, "poison");
  auto first = Receive(source_, 10, /*visibility=*/0);
  ASSERT_THAT(first, SizeIs(1));
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());
  sim_->RunFor(1s);  // the single move is due 1 s after the start

  auto back = Receive(source_);
  ASSERT_THAT(back, SizeIs(1));
  EXPECT_NE(back[0].message_id, first[0].message_id);
  EXPECT_EQ(back[0].body, "poison");
  EXPECT_EQ(back[0].attributes.at("ApproximateReceiveCount"), "1");
  EXPECT_EQ(back[0].attributes.at("SentTimestamp"), std::to_string(kStartMillis + 1000));
  EXPECT_FALSE(back[0].attributes.contains("DeadLetterQueueSourceArn"));
}

TEST_F(MoveTaskTest, MovedMessagesKeepTheirMessageAttributes) {
  const MessageAttributeMap attributes = {
      {"color", {.string_value = "red", .data_type = "String"}}};
  ASSERT_THAT(
      sim_->SendMessage(
          {.queue_url = source_, .message_body = "poison", .message_attributes = attributes}),
      IsOk());
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  auto back = sim_->ReceiveMessage({.queue_url = source_, .message_attribute_names = {"All"}});
  ASSERT_THAT(back, IsOk());
  ASSERT_THAT(back->messages, SizeIs(1));
  EXPECT_EQ(back->messages[0].message_attributes, attributes);
}

TEST_F(MoveTaskTest, MessagesArrivingAfterStartAreNotMoved) {
  PoisonCount(2);
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());
  Poison(source_, {"late"});
  sim_->RunFor(10s);
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "COMPLETED");
  EXPECT_EQ(task.approximate_number_of_messages_to_move, 2);
  EXPECT_EQ(task.approximate_number_of_messages_moved, 2);
  EXPECT_THAT(Bodies(Receive(dlq_)), ElementsAre("late"));
}

// ---- Rate in virtual time -----------------------------------------------------------

TEST_F(MoveTaskTest, RateIsHonouredInVirtualTime) {
  PoisonCount(10);
  ASSERT_THAT(Start(std::nullopt, 2), IsOk());
  sim_->RunFor(2s);  // moves due at 0.5, 1.0, 1.5 and 2.0 s
  ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "RUNNING");
  EXPECT_EQ(task.approximate_number_of_messages_moved, 4);
  EXPECT_EQ(task.approximate_number_of_messages_to_move, 10);
  EXPECT_EQ(Visible(source_), 4);
  EXPECT_EQ(Visible(dlq_), 6);

  sim_->RunFor(3s);  // the tenth move is due at 5.0 s
  task = Latest();
  EXPECT_EQ(task.status, "COMPLETED");
  EXPECT_EQ(task.approximate_number_of_messages_moved, 10);
  EXPECT_EQ(Visible(source_), 10);
  EXPECT_EQ(Visible(dlq_), 0);
}

TEST_F(MoveTaskTest, NoMessageMovesBeforeItsTurn) {
  PoisonCount(3);
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());
  sim_->RunFor(999ms);
  EXPECT_EQ(Latest().approximate_number_of_messages_moved, 0);
  sim_->RunFor(1ms);
  EXPECT_EQ(Latest().approximate_number_of_messages_moved, 1);
}

TEST_F(MoveTaskTest, WithoutRateTaskMovesFiveHundredPerSecond) {
  PoisonCount(10);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(10ms);  // one move every 2 ms
  EXPECT_EQ(Latest().approximate_number_of_messages_moved, 5);
  sim_->RunFor(10ms);
  EXPECT_EQ(Latest().status, "COMPLETED");
}

TEST_F(MoveTaskTest, LongPollOnDestinationWakesWhenMessageArrives) {
  PoisonCount(1);
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());
  auto received = sim_->ReceiveMessage({.queue_url = source_, .wait_time_seconds = 20});
  ASSERT_THAT(received, IsOk());
  EXPECT_THAT(Bodies(received->messages), ElementsAre("m0"));
  EXPECT_EQ(sim_->Now(), SimulatorOptions{}.start_time + 1s);
}

// ---- ListMessageMoveTasks -------------------------------------------------------------

TEST_F(MoveTaskTest, RunningTaskIsListedWithHandleAndCounts) {
  PoisonCount(4);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  sim_->RunFor(1s);
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.task_handle, started->task_handle);
  EXPECT_EQ(task.status, "RUNNING");
  EXPECT_EQ(task.source_arn, dlq_arn_);
  EXPECT_FALSE(task.destination_arn.has_value());
  EXPECT_EQ(task.max_number_of_messages_per_second, 1);
  EXPECT_EQ(task.approximate_number_of_messages_moved, 1);
  EXPECT_EQ(task.approximate_number_of_messages_to_move, 4);
  EXPECT_FALSE(task.failure_reason.has_value());
  EXPECT_EQ(task.started_timestamp, kStartMillis);
}

TEST_F(MoveTaskTest, CompletedTaskIsListedWithoutHandle) {
  PoisonCount(2);
  ASSERT_THAT(Start(), IsOk());
  sim_->RunFor(1s);
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "COMPLETED");
  EXPECT_FALSE(task.task_handle.has_value());
  EXPECT_EQ(task.approximate_number_of_messages_moved, 2);
}

TEST_F(MoveTaskTest, DestinationAndRateAreListedOnlyWhenGiven) {
  MakeQueue("replay");
  PoisonCount(1);
  ASSERT_THAT(Start(ArnOf("replay")), IsOk());
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.destination_arn, ArnOf("replay"));
  EXPECT_FALSE(task.max_number_of_messages_per_second.has_value());
}

TEST_F(MoveTaskTest, ListReturnsMostRecentTaskFirstAndOneByDefault) {
  MakeQueue("replay");  // keeps moved messages out of the source
  PoisonCount(1);
  ASSERT_THAT(Start(ArnOf("replay")), IsOk());
  sim_->RunFor(1s);
  Poison(source_, {"again-1", "again-2"});
  ASSERT_THAT(Start(std::nullopt, 1), IsOk());

  auto by_default = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_});
  ASSERT_THAT(by_default, IsOk());
  ASSERT_THAT(by_default->results, SizeIs(1));
  EXPECT_EQ(by_default->results[0].status, "RUNNING");
  EXPECT_EQ(by_default->results[0].approximate_number_of_messages_to_move, 2);

  auto all = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_, .max_results = 10});
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(all->results, SizeIs(2));
  EXPECT_EQ(all->results[0].status, "RUNNING");
  EXPECT_EQ(all->results[0].started_timestamp, kStartMillis + 1000);
  EXPECT_EQ(all->results[1].status, "COMPLETED");
  EXPECT_EQ(all->results[1].started_timestamp, kStartMillis);
}

TEST_F(MoveTaskTest, ListHonoursMaxResults) {
  MakeQueue("replay");  // keeps moved messages out of the source
  for (int i = 0; i < 3; ++i) {
    Poison(source_, {"m" + std::to_string(i)});
    ASSERT_THAT(Start(ArnOf("replay")), IsOk());
    sim_->RunFor(1s);
  }
  auto two = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_, .max_results = 2});
  ASSERT_THAT(two, IsOk());
  EXPECT_THAT(two->results, SizeIs(2));
  auto ten = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_, .max_results = 10});
  ASSERT_THAT(ten, IsOk());
  EXPECT_THAT(ten->results, SizeIs(3));
}

TEST_F(MoveTaskTest, ListMaxResultsOutsideOneThroughTenIsInvalidParameterValue) {
  EXPECT_THAT(sim_->ListMessageMoveTasks({.source_arn = dlq_arn_, .max_results = 0}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ListMessageMoveTasks({.source_arn = dlq_arn_, .max_results = 11}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(MoveTaskTest, ListWithoutTasksIsEmpty) {
  auto listed = sim_->ListMessageMoveTasks({.source_arn = dlq_arn_});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->results, IsEmpty());
}

TEST_F(MoveTaskTest, ListShowsOnlyTasksOfTheGivenSource) {
  PoisonCount(1);
  ASSERT_THAT(Start(), IsOk());
  MakeQueue("other-dlq");
  MakeQueue("other", {{"RedrivePolicy", Redrive("other-dlq")}});
  auto listed = sim_->ListMessageMoveTasks({.source_arn = ArnOf("other-dlq")});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->results, IsEmpty());
}

TEST_F(MoveTaskTest, ListWithUnknownSourceIsResourceNotFound) {
  auto listed = sim_->ListMessageMoveTasks({.source_arn = ArnOf("nope")});
  ASSERT_THAT(listed, StatusIs(ErrorCode::kResourceNotFoundException));
  EXPECT_EQ(listed.status().http_status(), 404);
}

TEST_F(MoveTaskTest, TaskFailsWhenDestinationIsDeletedMidway) {
  MakeQueue("replay");
  PoisonCount(4);
  ASSERT_THAT(Start(ArnOf("replay"), 1), IsOk());
  sim_->RunFor(1s);
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = "replay"}), IsOk());
  sim_->RunFor(1s);
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "FAILED");
  EXPECT_EQ(task.failure_reason, "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_FALSE(task.task_handle.has_value());
  EXPECT_EQ(task.approximate_number_of_messages_moved, 1);
  EXPECT_EQ(Visible(dlq_), 3);
}

// ---- CancelMessageMoveTask ---------------------------------------------------------------

TEST_F(MoveTaskTest, CancelReturnsNumberOfMessagesMovedSoFar) {
  PoisonCount(10);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  sim_->RunFor(2s);
  auto cancelled = sim_->CancelMessageMoveTask({.task_handle = started->task_handle});
  ASSERT_THAT(cancelled, IsOk());
  EXPECT_EQ(cancelled->approximate_number_of_messages_moved, 2);
}

TEST_F(MoveTaskTest, CancelledTaskIsCancellingWithoutHandle) {
  PoisonCount(10);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  sim_->RunFor(2s);
  ASSERT_THAT(sim_->CancelMessageMoveTask({.task_handle = started->task_handle}), IsOk());
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "CANCELLING");
  EXPECT_FALSE(task.task_handle.has_value());
}

TEST_F(MoveTaskTest, CancellingTaskBecomesCancelledAndLeavesTheRestInTheQueue) {
  PoisonCount(10);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  sim_->RunFor(2s);
  ASSERT_THAT(sim_->CancelMessageMoveTask({.task_handle = started->task_handle}), IsOk());
  sim_->RunFor(10s);
  const ListMessageMoveTasksResultEntry task = Latest();
  EXPECT_EQ(task.status, "CANCELLED");
  // The move due at 3 s falls in the one-second CANCELLING grace.
  EXPECT_EQ(task.approximate_number_of_messages_moved, 3);
  EXPECT_EQ(Visible(source_), 3);
  EXPECT_EQ(Visible(dlq_), 7);
}

TEST_F(MoveTaskTest, SourceAcceptsNewTaskOnceCancelled) {
  PoisonCount(5);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  ASSERT_THAT(sim_->CancelMessageMoveTask({.task_handle = started->task_handle}), IsOk());
  sim_->RunFor(10s);
  ASSERT_EQ(Latest().status, "CANCELLED");
  EXPECT_THAT(Start(), IsOk());
}

TEST_F(MoveTaskTest, CancelWithMalformedHandleIsInvalidParameterValue) {
  EXPECT_THAT(
      sim_->CancelMessageMoveTask({.task_handle = "not-a-handle"}),
      StatusIs(ErrorCode::kInvalidParameterValue, "Value for parameter TaskHandle is invalid."));
}

TEST_F(MoveTaskTest, CancelWithoutHandleIsMissingParameter) {
  EXPECT_THAT(sim_->CancelMessageMoveTask({.task_handle = ""}),
              StatusIs(ErrorCode::kMissingParameter));
}

// Task handles are opaque on AWS; this one is forged in the simulator's format
// (engine_move_tasks.cc) to name a task that never existed.
TEST_F(MoveTaskTest, CancelUnknownTaskIsResourceNotFound) {
  const std::string handle = internal::Base64Encode(
      R"({"taskId":"00000000-0000-4000-8000-000000000000","sourceArn":")" + dlq_arn_ + "\"}");
  auto cancelled = sim_->CancelMessageMoveTask({.task_handle = handle});
  ASSERT_THAT(cancelled, StatusIs(ErrorCode::kResourceNotFoundException, "Task does not exist."));
  EXPECT_EQ(cancelled.status().http_status(), 404);
}

TEST_F(MoveTaskTest, CancelTaskOfDeletedSourceIsResourceNotFound) {
  PoisonCount(3);
  auto started = Start(std::nullopt, 1);
  ASSERT_THAT(started, IsOk());
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = dlq_}), IsOk());
  EXPECT_THAT(sim_->CancelMessageMoveTask({.task_handle = started->task_handle}),
              StatusIs(ErrorCode::kResourceNotFoundException,
                       "The resource that you specified for the SourceArn parameter doesn't "
                       "exist."));
}

}  // namespace
}  // namespace sqsim
