// DeleteMessage and the receipt-handle states of section 5.4.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DeleteMessageTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("jobs");

  std::string SendAndReceive(int visibility = 30) {
    Send(url_, "job");
    std::vector<Message> got = Receive(url_, 1, visibility);
    EXPECT_EQ(got.size(), 1u);
    return got.empty() ? "" : got[0].receipt_handle;
  }
};

TEST_F(DeleteMessageTest, DeleteWithCurrentHandleRemovesTheMessage) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
  sim_->RunFor(60s);
  EXPECT_THAT(Receive(url_), IsEmpty());
}

TEST_F(DeleteMessageTest, DeletingTwiceWithTheSameHandleSucceeds) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
  EXPECT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
}

TEST_F(DeleteMessageTest, GarbageHandleIsReceiptHandleIsInvalid) {
  auto deleted = sim_->DeleteMessage({.queue_url = url_, .receipt_handle = "garbage"});
  ASSERT_THAT(deleted, StatusIs(ErrorCode::kReceiptHandleIsInvalid));
  EXPECT_EQ(deleted.status().query_code(), "ReceiptHandleIsInvalid");
  EXPECT_EQ(deleted.status().http_status(), 404);
}

TEST_F(DeleteMessageTest, TamperedHandleIsReceiptHandleIsInvalid) {
  std::string handle = SendAndReceive();
  handle[handle.size() / 2] = handle[handle.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}),
              StatusIs(ErrorCode::kReceiptHandleIsInvalid));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "1");
}

TEST_F(DeleteMessageTest, EmptyHandleIsMissingParameter) {
  EXPECT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = ""}),
              StatusIs(ErrorCode::kMissingParameter));
}

TEST_F(DeleteMessageTest, ExpiredHandleOfStandardMessageStillDeletesIt) {
  const std::string handle = SendAndReceive(5);
  sim_->RunFor(10s);
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(Receive(url_), IsEmpty());
}

TEST_F(DeleteMessageTest, StaleHandleDeletesByDefault) {
  const std::string old_handle = SendAndReceive(0);
  ASSERT_EQ(Receive(url_, 1, 60).size(), 1u);
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = old_handle}), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST(DeleteMessageStaleHandle, StaleHandleLeavesMessageWhenConfiguredNotToDelete) {
  SimulatorOptions options = SimulatorOptions::Exact();
  options.stale_receipt_handle_deletes = false;
  auto sim = Simulator::Create(options).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  auto first = sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 0});
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 60}), IsOk());
  ASSERT_THAT(
      sim->DeleteMessage({.queue_url = url, .receipt_handle = first->messages[0].receipt_handle}),
      IsOk());
  auto counts = sim->GetQueueAttributes(
      {.queue_url = url, .attribute_names = {"ApproximateNumberOfMessagesNotVisible"}});
  EXPECT_EQ(counts->attributes["ApproximateNumberOfMessagesNotVisible"], "1");
}

TEST_F(DeleteMessageTest, HandleOlderThanTwelveHoursHasExpired) {
  const std::string handle = SendAndReceive();
  sim_->RunFor(12h + 1s);
  EXPECT_THAT(
      sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}),
      StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("The receipt handle has expired.")));
}

TEST_F(DeleteMessageTest, HandleOfPurgedMessageSucceeds) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url_}), IsOk());
  EXPECT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}), IsOk());
}

TEST_F(DeleteMessageTest, HandleOfRecreatedQueueIsInvalid) {
  const std::string handle = SendAndReceive();
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url_}), IsOk());
  sim_->RunFor(61s);
  url_ = MakeQueue("jobs");
  EXPECT_THAT(sim_->DeleteMessage({.queue_url = url_, .receipt_handle = handle}),
              StatusIs(ErrorCode::kReceiptHandleIsInvalid));
}

}  // namespace
}  // namespace sqsim
