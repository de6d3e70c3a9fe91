// Visibility timeouts and ChangeMessageVisibility.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class VisibilityTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("jobs", {{"VisibilityTimeout", "30"}});

  // Sends one message and receives it; returns its receipt handle.
  std::string SendAndReceive(std::optional<int> visibility = std::nullopt) {
    Send(url_, "job");
    std::vector<Message> got = Receive(url_, 1, visibility);
    EXPECT_EQ(got.size(), 1u);
    return got.empty() ? "" : got[0].receipt_handle;
  }
};

TEST_F(VisibilityTest, ReceivedMessageIsHiddenForQueueVisibilityTimeout) {
  SendAndReceive();
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "1");
  sim_->RunFor(29999ms);
  EXPECT_THAT(Receive(url_), IsEmpty());
  sim_->RunFor(1ms);
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, ReceiveVisibilityTimeoutOverridesQueueDefault) {
  SendAndReceive(5);
  sim_->RunFor(5s);
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, ZeroVisibilityMakesMessageReceivableAgainAtOnce) {
  SendAndReceive(0);
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, ZeroVisibilityDoesNotReturnTheSameMessageTwiceInOneResponse) {
  Send(url_, "only");
  EXPECT_EQ(Receive(url_, 10, 0).size(), 1u);
}

TEST_F(VisibilityTest, ChangeVisibilityDeadlineCountsFromTheCall) {
  const std::string handle = SendAndReceive();
  sim_->RunFor(20s);
  ASSERT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 15}),
              IsOk());
  sim_->RunFor(14s);
  EXPECT_THAT(Receive(url_), IsEmpty());
  sim_->RunFor(1s);
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, ChangeVisibilityToZeroReleasesTheMessageNow) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 0}),
              IsOk());
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, ChangeVisibilityAppliesToThisReceiptOnly) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 0}),
              IsOk());
  ASSERT_EQ(Receive(url_).size(), 1u);  // back to the queue default of 30 s
  sim_->RunFor(29s);
  EXPECT_THAT(Receive(url_), IsEmpty());
}

TEST_F(VisibilityTest, TwelveHourCapCountsFromTheReceiveAndIsNotClamped) {
  const std::string handle = SendAndReceive();
  sim_->RunFor(10s);
  auto too_long = sim_->ChangeMessageVisibility(
      {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 43200 - 9});
  EXPECT_THAT(too_long, StatusIs(ErrorCode::kInvalidParameterValue,
                                 HasSubstr("Total VisibilityTimeout for the message is beyond "
                                           "the limit [43200 seconds]")));
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 43200 - 10}),
              IsOk());
}

TEST_F(VisibilityTest, ExtensionsNeverResetTheTwelveHourCap) {
  const std::string handle = SendAndReceive();
  // Extend by an hour every 59 minutes, 11 times: 649 minutes in flight.
  for (int round = 0; round < 11; ++round) {
    ASSERT_THAT(sim_->ChangeMessageVisibility(
                    {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 3600}),
                IsOk());
    sim_->RunFor(59min);
  }
  // 720 - 649 = 71 minutes = 4260 s remain of the 12 hours.
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 4261}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 4260}),
              IsOk());
}

TEST_F(VisibilityTest, ChangeVisibilityOutOfRangeIsInvalidParameterValue) {
  const std::string handle = SendAndReceive();
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 43201}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = -1}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(VisibilityTest, GarbageHandleIsReceiptHandleIsInvalidWith404) {
  auto changed = sim_->ChangeMessageVisibility(
      {.queue_url = url_, .receipt_handle = "garbage", .visibility_timeout = 5});
  ASSERT_THAT(changed, StatusIs(ErrorCode::kReceiptHandleIsInvalid,
                                "The input receipt handle \"garbage\" is not a valid receipt "
                                "handle."));
  EXPECT_EQ(changed.status().http_status(), 404);
}

TEST_F(VisibilityTest, HandleOfDeletedMessageIsInvalidParameterValue) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 5}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       HasSubstr("Message does not exist or is not available for visibility "
                                 "timeout change.")));
}

// Standard queue: the handle of an earlier receive of a message received
// again since changes the visibility of the current receive (AWS accepted
// such a change and applied it, in LocalStack's AWS-validated runs).
TEST_F(VisibilityTest, OlderHandleOfARedeliveredMessageChangesTheCurrentVisibility) {
  const std::string first = SendAndReceive(5);
  sim_->RunFor(6s);
  auto again = sim_->ReceiveMessage({.queue_url = url_, .visibility_timeout = 30});
  ASSERT_THAT(again, IsOk());
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = first, .visibility_timeout = 0}),
              IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");  // visible at once
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(VisibilityTest, ExpiredButNotRedeliveredHandleSucceedsWithoutHidingTheMessage) {
  const std::string handle = SendAndReceive(5);
  sim_->RunFor(6s);
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 60}),
              IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(VisibilityTest, HandleFromAnotherQueueIsReceiptHandleIsInvalid) {
  const std::string handle = SendAndReceive();
  const std::string other = MakeQueue("other");
  EXPECT_THAT(sim_->ChangeMessageVisibility(
                  {.queue_url = other, .receipt_handle = handle, .visibility_timeout = 5}),
              StatusIs(ErrorCode::kReceiptHandleIsInvalid));
}

TEST_F(VisibilityTest, RetentionExpiresInFlightMessages) {
  const std::string short_lived = MakeQueue("short", {{"MessageRetentionPeriod", "60"}});
  Send(short_lived, "x");
  ASSERT_EQ(Receive(short_lived, 1, 600).size(), 1u);
  sim_->RunFor(60s);
  EXPECT_EQ(Attribute(short_lived, "ApproximateNumberOfMessagesNotVisible"), "0");
  sim_->RunFor(600s);
  EXPECT_THAT(Receive(short_lived), IsEmpty());
}

TEST_F(VisibilityTest, RetentionCountsFromTheSendAndLoweringItExpiresOldMessages) {
  Send(url_, "old");
  sim_->RunFor(120s);
  Send(url_, "new");
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_, .attributes = {{"MessageRetentionPeriod", "100"}}}),
              IsOk());
  std::vector<Message> got = Receive(url_);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "new");
}

}  // namespace
}  // namespace sqsim
