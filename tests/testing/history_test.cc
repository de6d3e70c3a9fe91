#include "sqsim/testing/history.h"

#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sqsim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// 2026-01-01T00:00:00Z, so that times of day in formatted output start at 00:00:00.
constexpr Timestamp kStart{std::chrono::seconds(1767225600)};

Timestamp At(Duration since_start) { return kStart + since_start; }

// Operations on a standard queue "orders"; each message id is "m-<value>".
Operation Send(const std::string& value, OpOutcome outcome = OpOutcome::kOk) {
  return {.actor = "producer",
          .type = OpType::kSend,
          .outcome = outcome,
          .queue = "orders",
          .value = value,
          .message_id = outcome == OpOutcome::kOk ? "m-" + value : ""};
}

Operation Process(const std::string& value, OpOutcome outcome = OpOutcome::kOk) {
  return {.actor = "consumer-1",
          .type = OpType::kProcess,
          .outcome = outcome,
          .queue = "orders",
          .value = value,
          .message_id = "m-" + value,
          .receive_count = 1};
}

Operation DeadLetter(const std::string& value) {
  return {.actor = "dlq-reader",
          .type = OpType::kDeadLetter,
          .queue = "orders-dlq",
          .value = value,
          .message_id = "m-" + value};
}

// Operations on a FIFO queue "orders.fifo".
Operation FifoSend(const std::string& value, const std::string& group) {
  Operation op = Send(value);
  op.queue = "orders.fifo";
  op.group = group;
  return op;
}

Operation FifoProcess(const std::string& value, const std::string& group) {
  Operation op = Process(value);
  op.queue = "orders.fifo";
  op.group = group;
  return op;
}

// A FIFO send with a deduplication id, at `time`, answered with `message_id`.
Operation DedupSend(const std::string& value, const std::string& group,
                    const std::string& deduplication_id, const std::string& message_id,
                    Duration time) {
  Operation op = FifoSend(value, group);
  op.time = At(time);
  op.deduplication_id = deduplication_id;
  op.message_id = message_id;
  return op;
}

Operation DeliveredAs(const std::string& value, const std::string& message_id,
                      OpType type = OpType::kProcess) {
  Operation op = FifoProcess(value, "g");
  op.type = type;
  op.message_id = message_id;
  return op;
}

Operation Receive(const std::string& queue, const std::string& value, int receive_count) {
  return {.actor = "consumer-1",
          .type = OpType::kReceive,
          .queue = queue,
          .value = value,
          .message_id = "m-" + value,
          .receive_count = receive_count};
}

History Record(const std::vector<Operation>& ops) {
  History history;
  for (const Operation& op : ops) history.Record(op);
  return history;
}

// ---------------------------------------------------------------------------

TEST(History, RecordAssignsIncreasingIndicesFromZero) {
  History history;
  EXPECT_EQ(history.Record(Send("a")), 0);
  EXPECT_EQ(history.Record(Send("b")), 1);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history.operations()[1].index, 1);
  EXPECT_EQ(history.operations()[1].value, "b");
}

TEST(History, RecordOverwritesCallerIndex) {
  History history;
  Operation op = Send("a");
  op.index = 42;
  EXPECT_EQ(history.Record(op), 0);
  EXPECT_EQ(history.operations()[0].index, 0);
}

TEST(History, ClearRestartsIndicesAtZero) {
  History history = Record({Send("a"), Send("b")});
  history.Clear();
  EXPECT_EQ(history.size(), 0u);
  EXPECT_EQ(history.Record(Send("c")), 0);
}

TEST(History, FormatOperationWritesKnownFields) {
  Operation op = FifoProcess("payment-17", "g");
  op.index = 12;
  op.time = At(std::chrono::minutes(1) + std::chrono::milliseconds(2345));
  op.message_id = "3f2a";
  op.receive_count = 2;
  EXPECT_EQ(FormatOperation(op),
            "#12 00:01:02.345 consumer-1 process ok payment-17 "
            "(queue orders.fifo, msg 3f2a, group g, rc 2)");
}

TEST(History, FormatOperationOmitsUnknownFieldsAndAppendsDetail) {
  Operation op{.time = At(std::chrono::hours(25)),
               .actor = "producer",
               .outcome = OpOutcome::kUnknown,
               .value = "payment-1",
               .detail = "RequestTimeout"};
  EXPECT_EQ(FormatOperation(op), "#0 01:00:00.000 producer send unknown payment-1: RequestTimeout");
}

TEST(History, FormatOperationShowsDeduplicationId) {
  const Operation op = DedupSend("p", "g", "d1", "m1", Duration::zero());
  EXPECT_THAT(FormatOperation(op), HasSubstr("(queue orders.fifo, msg m1, group g, dedup d1)"));
}

TEST(History, FormatOperationNamesEveryTypeAndOutcome) {
  EXPECT_EQ(OpTypeName(OpType::kReceive), "receive");
  EXPECT_EQ(OpTypeName(OpType::kDelete), "delete");
  EXPECT_EQ(OpTypeName(OpType::kDeadLetter), "dead-letter");
  EXPECT_EQ(OpOutcomeName(OpOutcome::kInvoked), "invoked");
  EXPECT_EQ(OpOutcomeName(OpOutcome::kFailed), "failed");
}

TEST(History, FormatLastWritesTheLastOperationsOnePerLine) {
  const History history = Record({Send("a"), Send("b"), Process("b")});
  EXPECT_EQ(history.FormatLast(2),
            "#1 00:00:00.000 producer send ok b (queue orders, msg m-b)\n"
            "#2 00:00:00.000 consumer-1 process ok b (queue orders, msg m-b, rc 1)\n");
}

TEST(History, FormatLastReturnsEverythingWhenFewerThanRequested) {
  const History history = Record({Send("a"), Send("b")});
  EXPECT_EQ(history.FormatLast(10), history.FormatLast(2));
  EXPECT_THAT(history.FormatLast(10), HasSubstr("#0 "));
}

TEST(History, FormatLastOfZeroIsEmpty) {
  const History history = Record({Send("a")});
  EXPECT_EQ(history.FormatLast(0), "");
}

TEST(History, RunCheckersReturnsResultsInCheckerOrder) {
  const History history = Record({Send("a"), Process("a")});
  const std::vector<CheckResult> results =
      RunCheckers(history, {[](const History& h) { return CheckQueue(h); },
                            [](const History& h) { return CheckFifoOrder(h); }});
  ASSERT_THAT(results, SizeIs(2));
  EXPECT_EQ(results[0].checker, "queue");
  EXPECT_EQ(results[1].checker, "fifo-order");
  EXPECT_TRUE(AllOk(results));
}

TEST(History, RunCheckersRunsUserDefinedChecker) {
  const History history = Record({Send("a"), Send("b")});
  const Checker at_most_one_send = [](const History& h) {
    return CheckResult{
        .checker = "one-send", .ok = h.size() <= 1, .summary = std::to_string(h.size()) + " sends"};
  };
  const std::vector<CheckResult> results = RunCheckers(history, {at_most_one_send});
  EXPECT_FALSE(AllOk(results));
  EXPECT_EQ(FormatResults(results), "one-send: FAILED — 2 sends\n");
}

TEST(History, AllOkIsTrueForNoResults) { EXPECT_TRUE(AllOk({})); }

TEST(History, FormatResultsWritesOneLinePerResultAndAFailuresViolations) {
  const History history = Record({Send("a"), Process("a"), Process("a")});
  const std::vector<CheckResult> results =
      RunCheckers(history, {[](const History& h) { return CheckQueue(h); },
                            [](const History& h) { return CheckMaxReceiveCount(h, "orders", 3); }});
  EXPECT_EQ(FormatResults(results),
            "queue: FAILED — lost 0, duplicated 1 (a), unexpected 0\n"
            "  duplicated a: processed 2 times (#1, #2)\n"
            "max-receive-count: ok — queue orders, max receive count 3, violations 0\n");
}

TEST(History, FormatResultsCapsTheViolationsItPrints) {
  CheckResult many{.checker = "c", .ok = false, .summary = "25 problems"};
  for (int i = 1; i <= 25; ++i) many.violations.push_back("problem " + std::to_string(i));
  const std::string out = FormatResults({many});
  EXPECT_NE(out.find("  problem 20\n"), std::string::npos);
  EXPECT_EQ(out.find("problem 21"), std::string::npos);
  EXPECT_NE(out.find("  ... 5 more\n"), std::string::npos);
}

// ---------------------------------------------------------------------------

TEST(QueueChecker, PassesWhenEveryAcknowledgedValueIsProcessedOnce) {
  const History history = Record({Send("a"), Send("b"), Process("b"), Process("a")});
  const CheckResult result = CheckQueue(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.checker, "queue");
  EXPECT_EQ(result.summary, "lost 0, duplicated 0, unexpected 0");
  EXPECT_THAT(result.violations, IsEmpty());
}

TEST(QueueChecker, EmptyHistoryPasses) { EXPECT_TRUE(CheckQueue(History()).ok); }

TEST(QueueChecker, CatchesAcknowledgedValueThatIsNeverProcessed) {
  const History history = Record({Send("a"), Send("b"), Process("a")});
  const CheckResult result = CheckQueue(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.lost, ElementsAre("b"));
  EXPECT_EQ(result.summary, "lost 1 (b), duplicated 0, unexpected 0");
  EXPECT_THAT(result.violations,
              ElementsAre("lost b: sent ok at #1, never processed or dead-lettered"));
}

TEST(QueueChecker, FailedProcessingDoesNotCountAsProcessed) {
  const History history = Record({Send("a"), Process("a", OpOutcome::kFailed)});
  EXPECT_THAT(CheckQueue(history).lost, ElementsAre("a"));
}

TEST(QueueChecker, DeadLetteredValueIsNotLost) {
  const History history = Record({Send("a"), Process("a", OpOutcome::kFailed), DeadLetter("a")});
  const CheckResult result = CheckQueue(history);
  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.lost, IsEmpty());
}

TEST(QueueChecker, UnacknowledgedSendThatIsNeverProcessedIsNotLost) {
  const History history = Record({Send("a", OpOutcome::kFailed), Send("b", OpOutcome::kUnknown),
                                  Send("c", OpOutcome::kInvoked)});
  const CheckResult result = CheckQueue(history);
  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.lost, IsEmpty());
}

TEST(QueueChecker, CatchesValueProcessedTwice) {
  const History history = Record({Send("a"), Process("a"), Process("a"), Process("a")});
  const CheckResult result = CheckQueue(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.duplicated, ElementsAre("a"));
  EXPECT_THAT(result.violations, ElementsAre("duplicated a: processed 3 times (#1, #2, #3)"));
}

TEST(QueueChecker, AllowDuplicatesReportsDuplicatesButPasses) {
  const History history = Record({Send("a"), Process("a"), Process("a")});
  const CheckResult result = CheckQueue(history, {.allow_duplicates = true});
  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.duplicated, ElementsAre("a"));
  EXPECT_EQ(result.summary, "lost 0, duplicated 1 allowed (a), unexpected 0");
}

TEST(QueueChecker, AllowDuplicatesStillCatchesLostValues) {
  const History history = Record({Send("a"), Send("b"), Process("a"), Process("a")});
  EXPECT_FALSE(CheckQueue(history, {.allow_duplicates = true}).ok);
}

TEST(QueueChecker, CatchesProcessedValueThatWasNeverSent) {
  const History history = Record({Send("a"), Process("a"), Process("ghost")});
  const CheckResult result = CheckQueue(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.unexpected, ElementsAre("ghost"));
  EXPECT_THAT(result.violations, ElementsAre("unexpected ghost: processed at #2 but never sent"));
}

TEST(QueueChecker, CatchesDeadLetteredValueThatWasNeverSent) {
  const History history = Record({DeadLetter("ghost")});
  const CheckResult result = CheckQueue(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.unexpected, ElementsAre("ghost"));
}

TEST(QueueChecker, ReportsUnacknowledgedSendThatWasProcessedAsRecovered) {
  const History history = Record({Send("a", OpOutcome::kUnknown), Process("a")});
  const CheckResult result = CheckQueue(history);
  EXPECT_TRUE(result.ok);
  EXPECT_THAT(result.recovered, ElementsAre("a"));
  EXPECT_EQ(result.summary, "lost 0, duplicated 0, unexpected 0, recovered 1 (a)");
}

TEST(QueueChecker, RetriedSendThatSucceededIsNotRecovered) {
  const History history = Record({Send("a", OpOutcome::kUnknown), Send("a"), Process("a")});
  EXPECT_THAT(CheckQueue(history).recovered, IsEmpty());
}

TEST(QueueChecker, ListsValuesSortedAndViolationsInHistoryOrder) {
  const History history = Record({Send("c"), Send("a"), Send("b")});
  const CheckResult result = CheckQueue(history);
  EXPECT_THAT(result.lost, ElementsAre("a", "b", "c"));
  ASSERT_THAT(result.violations, SizeIs(3));
  EXPECT_THAT(result.violations[0], HasSubstr("lost c"));
  EXPECT_THAT(result.violations[2], HasSubstr("lost b"));
}

TEST(QueueChecker, SummaryPreviewsLongLists) {
  History history;
  for (int i = 0; i < 8; ++i) history.Record(Send("p" + std::to_string(i)));
  const CheckResult result = CheckQueue(history);
  EXPECT_THAT(result.lost, SizeIs(8));
  EXPECT_EQ(result.summary, "lost 8 (p0, p1, p2, p3, p4, ... 3 more), duplicated 0, unexpected 0");
}

// ---------------------------------------------------------------------------

TEST(FifoOrderChecker, PassesWhenEachGroupIsProcessedInSendOrder) {
  const History history =
      Record({FifoSend("a1", "a"), FifoSend("b1", "b"), FifoSend("a2", "a"), FifoSend("b2", "b"),
              FifoProcess("b1", "b"), FifoProcess("a1", "a"), FifoProcess("b2", "b"),
              FifoProcess("a2", "a")});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.checker, "fifo-order");
  EXPECT_EQ(result.summary, "groups 2, processed 4, violations 0");
}

TEST(FifoOrderChecker, CatchesValueProcessedAfterALaterOne) {
  const History history = Record(
      {FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p2", "g"), FifoProcess("p1", "g")});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations,
              ElementsAre("orders.fifo/g: p1 processed at #3 after p2, sent later, was "
                          "processed at #2"));
  EXPECT_THAT(result.summary, HasSubstr("violations 1 (first: orders.fifo/g: p1 processed"));
}

TEST(FifoOrderChecker, AllowsBackToBackRedelivery) {
  const History history = Record({FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p1", "g"),
                                  FifoProcess("p1", "g"), FifoProcess("p2", "g")});
  EXPECT_TRUE(CheckFifoOrder(history).ok);
}

TEST(FifoOrderChecker, CatchesRedeliveryAfterALaterValue) {
  const History history = Record({FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p1", "g"),
                                  FifoProcess("p2", "g"), FifoProcess("p1", "g")});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations, SizeIs(1));
}

TEST(FifoOrderChecker, ReportsAnOutOfOrderValueOnceAcrossItsRedeliveries) {
  const History history = Record({FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p2", "g"),
                                  FifoProcess("p1", "g"), FifoProcess("p1", "g")});
  EXPECT_THAT(CheckFifoOrder(history).violations, SizeIs(1));
}

TEST(FifoOrderChecker, SkippedValueIsNotAnOrderViolation) {
  // p1 went to the DLQ; CheckQueue, not this checker, accounts for it.
  const History history =
      Record({FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p2", "g")});
  EXPECT_TRUE(CheckFifoOrder(history).ok);
}

TEST(FifoOrderChecker, OrderFollowsAcknowledgedSendsOnly) {
  // p1's first send failed; its retry was acknowledged after p2, so p2 comes first.
  Operation failed = FifoSend("p1", "g");
  failed.outcome = OpOutcome::kFailed;
  const History history = Record({failed, FifoSend("p2", "g"), FifoSend("p1", "g"),
                                  FifoProcess("p2", "g"), FifoProcess("p1", "g")});
  EXPECT_TRUE(CheckFifoOrder(history).ok);
}

TEST(FifoOrderChecker, ValueSentTwiceIsInOrderAtItsLaterPosition) {
  const History history =
      Record({FifoSend("p1", "g"), FifoSend("p2", "g"), FifoSend("p1", "g"), FifoProcess("p1", "g"),
              FifoProcess("p2", "g"), FifoProcess("p1", "g")});
  EXPECT_TRUE(CheckFifoOrder(history).ok);
}

TEST(FifoOrderChecker, GroupsWithTheSameNameInTwoQueuesAreIndependent) {
  Operation other_send = FifoSend("x1", "g");
  other_send.queue = "other.fifo";
  Operation other_process = FifoProcess("x1", "g");
  other_process.queue = "other.fifo";
  const History history =
      Record({FifoSend("p1", "g"), other_send, FifoProcess("p1", "g"), other_process});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.summary, "groups 2, processed 2, violations 0");
}

TEST(FifoOrderChecker, ProcessingWithoutRecordedGroupUsesTheSendGroup) {
  const History history = Record(
      {FifoSend("p1", "g"), FifoSend("p2", "g"), FifoProcess("p2", ""), FifoProcess("p1", "")});
  EXPECT_FALSE(CheckFifoOrder(history).ok);
}

TEST(FifoOrderChecker, CatchesProcessingInAnotherGroupThanSent) {
  const History history = Record({FifoSend("p1", "g"), FifoProcess("p1", "h")});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations,
              ElementsAre("orders.fifo: p1 processed at #1 in group h but sent in group g"));
}

TEST(FifoOrderChecker, IgnoresStandardQueueMessages) {
  const History history = Record({Send("a"), Send("b"), Process("b"), Process("a")});
  const CheckResult result = CheckFifoOrder(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.summary, "groups 0, processed 0, violations 0");
}

TEST(FifoOrderChecker, IgnoresProcessingOfUnacknowledgedValues) {
  Operation unknown = FifoSend("p1", "g");
  unknown.outcome = OpOutcome::kUnknown;
  const History history =
      Record({unknown, FifoSend("p2", "g"), FifoProcess("p2", "g"), FifoProcess("p1", "g")});
  EXPECT_TRUE(CheckFifoOrder(history).ok);
}

// ---------------------------------------------------------------------------

using std::chrono::minutes;
using std::chrono::seconds;

TEST(DedupWindowChecker, PassesWhenDuplicateSendReturnsTheOriginalMessageId) {
  const History history =
      Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
              DedupSend("p", "g", "d1", "m1", seconds(30)), DeliveredAs("p", "m1")});
  const CheckResult result = CheckDeduplicationWindow(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.checker, "dedup-window");
  EXPECT_EQ(result.summary, "scopes 1, violations 0");
}

TEST(DedupWindowChecker, CatchesTwoMessagesDeliveredWithinTheWindow) {
  const History history = Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
                                  DedupSend("p", "g", "d1", "m2", seconds(30)),
                                  DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  const CheckResult result = CheckDeduplicationWindow(history);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations,
              ElementsAre("orders.fifo dedup d1: msg m2 (p, sent at #1) and msg m1 (p, sent at "
                          "#0), 30.000s apart, were both delivered"));
}

TEST(DedupWindowChecker, CatchesDuplicateSeenOnlyAsReceived) {
  const History history = Record(
      {DedupSend("p", "g", "d1", "m1", seconds(0)), DedupSend("p", "g", "d1", "m2", seconds(1)),
       DeliveredAs("p", "m1", OpType::kReceive), DeliveredAs("p", "m2", OpType::kReceive)});
  EXPECT_FALSE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, UndeliveredSecondMessageIsNotAViolation) {
  const History history =
      Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
              DedupSend("p", "g", "d1", "m2", seconds(30)), DeliveredAs("p", "m1")});
  EXPECT_TRUE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, SendOneWindowLaterIsANewMessage) {
  const History history = Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
                                  DedupSend("p", "g", "d1", "m2", minutes(5)),
                                  DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  EXPECT_TRUE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, WindowRunsFromTheOriginalSend) {
  // The send at 4 min was deduplicated (it got m1 back); the one at 8 min is
  // more than 5 min after m1's first send and legitimately new.
  const History history = Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
                                  DedupSend("p", "g", "d1", "m1", minutes(4)),
                                  DedupSend("p", "g", "d1", "m2", minutes(8)),
                                  DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  EXPECT_TRUE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, HonoursACustomWindow) {
  const History history = Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
                                  DedupSend("p", "g", "d1", "m2", seconds(2)),
                                  DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  EXPECT_TRUE(CheckDeduplicationWindow(history, seconds(1)).ok);
  EXPECT_FALSE(CheckDeduplicationWindow(history, seconds(3)).ok);
}

TEST(DedupWindowChecker, QueueScopeSpansMessageGroups) {
  const History history = Record({DedupSend("p", "g1", "d1", "m1", seconds(0)),
                                  DedupSend("q", "g2", "d1", "m2", seconds(1)),
                                  DeliveredAs("p", "m1"), DeliveredAs("q", "m2")});
  EXPECT_FALSE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, PerGroupScopeSeparatesMessageGroups) {
  const History history = Record({DedupSend("p", "g1", "d1", "m1", seconds(0)),
                                  DedupSend("q", "g2", "d1", "m2", seconds(1)),
                                  DeliveredAs("p", "m1"), DeliveredAs("q", "m2")});
  const CheckResult result = CheckDeduplicationWindow(history, minutes(5), /*per_group=*/true);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.summary, "scopes 2, violations 0");
}

TEST(DedupWindowChecker, PerGroupScopeCatchesDuplicateInTheSameGroup) {
  const History history = Record({DedupSend("p", "g1", "d1", "m1", seconds(0)),
                                  DedupSend("p", "g1", "d1", "m2", seconds(1)),
                                  DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  const CheckResult result = CheckDeduplicationWindow(history, minutes(5), /*per_group=*/true);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations, ElementsAre(HasSubstr("orders.fifo/g1 dedup d1: msg m2")));
}

TEST(DedupWindowChecker, DifferentDeduplicationIdsAreIndependent) {
  const History history = Record({DedupSend("p", "g", "d1", "m1", seconds(0)),
                                  DedupSend("q", "g", "d2", "m2", seconds(1)),
                                  DeliveredAs("p", "m1"), DeliveredAs("q", "m2")});
  EXPECT_TRUE(CheckDeduplicationWindow(history).ok);
}

TEST(DedupWindowChecker, IgnoresSendsWithoutDeduplicationId) {
  const History history =
      Record({DedupSend("p", "g", "", "m1", seconds(0)), DedupSend("p", "g", "", "m2", seconds(1)),
              DeliveredAs("p", "m1"), DeliveredAs("p", "m2")});
  const CheckResult result = CheckDeduplicationWindow(history);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.summary, "scopes 0, violations 0");
}

// ---------------------------------------------------------------------------

TEST(MaxReceiveCountChecker, PassesAtTheLimit) {
  const History history = Record({Receive("orders", "a", 1), Receive("orders", "a", 3)});
  const CheckResult result = CheckMaxReceiveCount(history, "orders", 3);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.checker, "max-receive-count");
}

TEST(MaxReceiveCountChecker, CatchesReceiveAboveTheLimit) {
  const History history = Record({Receive("orders", "a", 3), Receive("orders", "a", 4)});
  const CheckResult result = CheckMaxReceiveCount(history, "orders", 3);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations,
              ElementsAre("orders: a (msg m-a) receive with receive count 4 > 3 at #1 by "
                          "consumer-1"));
}

TEST(MaxReceiveCountChecker, CatchesProcessingAboveTheLimit) {
  Operation process = Process("a", OpOutcome::kFailed);
  process.receive_count = 2;
  const History history = Record({process});
  const CheckResult result = CheckMaxReceiveCount(history, "orders", 1);
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.violations,
              ElementsAre(HasSubstr("a (msg m-a) process with receive count 2")));
}

TEST(MaxReceiveCountChecker, ReportsEachMessageOnceInOrderOfFirstOffence) {
  const History history = Record({Receive("orders", "b", 2), Receive("orders", "a", 2),
                                  Receive("orders", "b", 3), Receive("orders", "b", 5)});
  const CheckResult result = CheckMaxReceiveCount(history, "orders", 1);
  ASSERT_THAT(result.violations, SizeIs(2));
  EXPECT_THAT(result.violations[0],
              HasSubstr("orders: b (msg m-b) receive with receive count 2 > 1 at #0 by "
                        "consumer-1 (3 such operations, highest receive count 5)"));
  EXPECT_THAT(result.violations[1], HasSubstr("orders: a "));
}

TEST(MaxReceiveCountChecker, OtherQueuesAreNotChecked) {
  const History history = Record({Receive("orders-dlq", "a", 9)});
  EXPECT_TRUE(CheckMaxReceiveCount(history, "orders", 3).ok);
}

TEST(MaxReceiveCountChecker, UnknownReceiveCountIsNotAViolation) {
  const History history = Record({Receive("orders", "a", 0)});
  EXPECT_TRUE(CheckMaxReceiveCount(history, "orders", 1).ok);
}

TEST(MaxReceiveCountChecker, SummaryNamesQueueLimitAndFirstViolation) {
  const History history = Record({Receive("orders", "a", 4)});
  EXPECT_EQ(CheckMaxReceiveCount(history, "orders", 3).summary,
            "queue orders, max receive count 3, violations 1 (first: orders: a (msg m-a) receive "
            "with receive count 4 > 3 at #0 by consumer-1)");
}

}  // namespace
}  // namespace sqsim::testing
