// The batch actions: request-level rules shared by all three, and
// per-entry failures inside a successful response.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class BatchTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("batch", {{"MaximumMessageSize", "1024"}});

  static std::vector<SendMessageBatchRequestEntry> Entries(int n) {
    std::vector<SendMessageBatchRequestEntry> entries;
    for (int i = 0; i < n; ++i) {
      entries.push_back({.id = "e" + std::to_string(i), .message_body = "m" + std::to_string(i)});
    }
    return entries;
  }
};

TEST_F(BatchTest, SendBatchEnqueuesEveryEntryInRequestOrder) {
  auto sent = sim_->SendMessageBatch({.queue_url = url_, .entries = Entries(10)});
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->successful.size(), 10u);
  EXPECT_THAT(sent->failed, IsEmpty());
  std::vector<Message> got = Receive(url_, 10);
  ASSERT_EQ(got.size(), 10u);
  EXPECT_EQ(got.front().body, "m0");
  EXPECT_EQ(got.back().body, "m9");
}

TEST_F(BatchTest, EmptyBatchIsEmptyBatchRequest) {
  auto sent = sim_->SendMessageBatch({.queue_url = url_});
  ASSERT_THAT(sent, StatusIs(ErrorCode::kEmptyBatchRequest));
  EXPECT_EQ(sent.status().query_code(), "AWS.SimpleQueueService.EmptyBatchRequest");
  EXPECT_THAT(sim_->DeleteMessageBatch({.queue_url = url_}),
              StatusIs(ErrorCode::kEmptyBatchRequest));
  EXPECT_THAT(sim_->ChangeMessageVisibilityBatch({.queue_url = url_}),
              StatusIs(ErrorCode::kEmptyBatchRequest));
}

TEST_F(BatchTest, ElevenEntriesIsTooManyEntriesInBatchRequest) {
  EXPECT_THAT(sim_->SendMessageBatch({.queue_url = url_, .entries = Entries(11)}),
              StatusIs(ErrorCode::kTooManyEntriesInBatchRequest,
                       "Maximum number of entries per request are 10. You have sent 11."));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(BatchTest, MalformedEntryIdIsInvalidBatchEntryId) {
  for (std::string bad : {std::string(""), std::string("a:b"), std::string(81, 'a')}) {
    auto entries = Entries(2);
    entries[1].id = bad;
    EXPECT_THAT(sim_->SendMessageBatch({.queue_url = url_, .entries = entries}),
                StatusIs(ErrorCode::kInvalidBatchEntryId))
        << "id: " << bad;
    EXPECT_THAT(sim_->DeleteMessageBatch(
                    {.queue_url = url_, .entries = {{.id = bad, .receipt_handle = "h"}}}),
                StatusIs(ErrorCode::kInvalidBatchEntryId));
  }
}

TEST_F(BatchTest, RepeatedEntryIdIsBatchEntryIdsNotDistinct) {
  auto entries = Entries(3);
  entries[2].id = entries[0].id;
  EXPECT_THAT(sim_->SendMessageBatch({.queue_url = url_, .entries = entries}),
              StatusIs(ErrorCode::kBatchEntryIdsNotDistinct));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(BatchTest, TotalPayloadOverOneMebibyteIsBatchRequestTooLong) {
  const std::string big = MakeQueue("big");
  std::vector<SendMessageBatchRequestEntry> entries;
  for (int i = 0; i < 4; ++i) {
    entries.push_back({.id = "e" + std::to_string(i), .message_body = std::string(262144, 'x')});
  }
  EXPECT_THAT(sim_->SendMessageBatch({.queue_url = big, .entries = entries}), IsOk());
  entries[3].message_body += "x";
  EXPECT_THAT(sim_->SendMessageBatch({.queue_url = big, .entries = entries}),
              StatusIs(ErrorCode::kBatchRequestTooLong,
                       "Batch requests cannot be longer than 1048576 bytes. You have sent "
                       "1048577 bytes."));
}

TEST_F(BatchTest, OversizedEntryFailsAloneWhileOthersSucceed) {
  auto entries = Entries(3);
  entries[1].message_body = std::string(1025, 'x');
  auto sent = sim_->SendMessageBatch({.queue_url = url_, .entries = entries});
  ASSERT_THAT(sent, IsOk());
  EXPECT_THAT(sent->successful, ElementsAre(Field(&SendMessageBatchResultEntry::id, "e0"),
                                            Field(&SendMessageBatchResultEntry::id, "e2")));
  ASSERT_EQ(sent->failed.size(), 1u);
  EXPECT_EQ(sent->failed[0].id, "e1");
  EXPECT_EQ(sent->failed[0].code, "InvalidParameterValue");
  EXPECT_TRUE(sent->failed[0].sender_fault);
  EXPECT_THAT(sent->failed[0].message.value_or(""),
              HasSubstr("One or more parameters cannot be validated. Reason: Message must be "
                        "shorter than 1024 bytes."));
}

TEST_F(BatchTest, EntryResultsCarryDigestsLikeSingleSends) {
  std::vector<SendMessageBatchRequestEntry> entries = {
      {.id = "a",
       .message_body = "foobar",
       .message_attributes = {{"MyAttribute", {.string_value = "foobar", .data_type = "String"}}}}};
  auto sent = sim_->SendMessageBatch({.queue_url = url_, .entries = entries});
  ASSERT_THAT(sent, IsOk());
  ASSERT_EQ(sent->successful.size(), 1u);
  EXPECT_EQ(sent->successful[0].md5_of_message_body, "3858f62230ac3c915f300c664312c63f");
  EXPECT_EQ(sent->successful[0].md5_of_message_attributes, "adb59cd4678ea5a855436b949cd07ab6");
}

TEST_F(BatchTest, DeleteBatchReportsBadHandlesPerEntry) {
  ASSERT_THAT(sim_->SendMessageBatch({.queue_url = url_, .entries = Entries(2)}), IsOk());
  std::vector<Message> got = Receive(url_, 2);
  ASSERT_EQ(got.size(), 2u);
  auto deleted = sim_->DeleteMessageBatch(
      {.queue_url = url_,
       .entries = {{.id = "ok1", .receipt_handle = got[0].receipt_handle},
                   {.id = "bad", .receipt_handle = "garbage"},
                   {.id = "ok2", .receipt_handle = got[1].receipt_handle}}});
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(deleted->successful.size(), 2u);
  ASSERT_EQ(deleted->failed.size(), 1u);
  EXPECT_EQ(deleted->failed[0].id, "bad");
  EXPECT_EQ(deleted->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(BatchTest, ChangeVisibilityBatchAppliesPerEntry) {
  ASSERT_THAT(sim_->SendMessageBatch({.queue_url = url_, .entries = Entries(2)}), IsOk());
  std::vector<Message> got = Receive(url_, 2, 60);
  ASSERT_EQ(got.size(), 2u);
  auto changed = sim_->ChangeMessageVisibilityBatch(
      {.queue_url = url_,
       .entries = {
           {.id = "a", .receipt_handle = got[0].receipt_handle, .visibility_timeout = 0},
           {.id = "b", .receipt_handle = got[1].receipt_handle, .visibility_timeout = 43201},
           {.id = "c", .receipt_handle = got[1].receipt_handle}}});
  ASSERT_THAT(changed, IsOk());
  EXPECT_THAT(changed->successful,
              ElementsAre(Field(&ChangeMessageVisibilityBatchResultEntry::id, "a")));
  ASSERT_EQ(changed->failed.size(), 2u);
  EXPECT_EQ(changed->failed[0].code, "InvalidParameterValue");
  EXPECT_EQ(changed->failed[1].code, "MissingParameter");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
}

TEST_F(BatchTest, BatchOnUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->SendMessageBatch({.queue_url = url_ + "x", .entries = Entries(1)}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

}  // namespace
}  // namespace sqsim
