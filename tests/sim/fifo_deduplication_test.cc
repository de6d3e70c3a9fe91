// FIFO deduplication (explicit and content-based ids, the 5-minute window,
// DeduplicationScope, high-throughput settings, purge, id validation) and
// ReceiveRequestAttemptId replay, as AWS "Amazon SQS FIFO queue key terms"
// (FIFO-key-terms.html), "High throughput for FIFO queues in Amazon SQS"
// (high-throughput-fifo.html) and the API Reference for SendMessage and
// ReceiveMessage describe them.

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Ne;
using ::testing::SizeIs;

// SHA-256 of the body "hello", in lower-case hex.
constexpr char kSha256OfHello[] =
    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

constexpr char kNoDeduplicationId[] =
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
    "provided explicitly";

std::vector<std::string> Ids(const std::vector<Message>& messages) {
  std::vector<std::string> ids;
  for (const Message& m : messages) ids.push_back(m.message_id);
  return ids;
}

std::vector<std::string> Handles(const std::vector<Message>& messages) {
  std::vector<std::string> handles;
  for (const Message& m : messages) handles.push_back(m.receipt_handle);
  return handles;
}

class FifoDeduplicationTest : public SimulatorTest {
 protected:
  Result<SendMessageResponse> SendTo(const std::string& url, const std::string& group,
                                     const std::string& body,
                                     std::optional<std::string> deduplication_id) {
    return sim_->SendMessage({.queue_url = url,
                              .message_body = body,
                              .message_deduplication_id = std::move(deduplication_id),
                              .message_group_id = group});
  }

  // Sends to url_ in group g1 with an explicit deduplication id; fails the
  // test on error and returns the message id.
  std::string SendWithId(const std::string& body, const std::string& deduplication_id,
                         const std::string& group = "g1") {
    auto sent = SendTo(url_, group, body, deduplication_id);
    EXPECT_THAT(sent, IsOk());
    return sent.ok() ? sent->message_id : std::string();
  }

  std::string MakeFifoQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    attributes["FifoQueue"] = "true";
    return MakeQueue(name, std::move(attributes));
  }

  std::string Visible(const std::string& url) {
    return Attribute(url, "ApproximateNumberOfMessages");
  }

  std::string url_ = MakeFifoQueue("orders.fifo");
};

// ---- Explicit deduplication ids -----------------------------------------------------

// Whether the duplicate's MessageId equals the original's is not documented
// by AWS; sqsim returns the original's.
TEST_F(FifoDeduplicationTest, DuplicateWithinFiveMinutesSucceedsWithOriginalMessageId) {
  const std::string original = SendWithId("first", "d1");
  sim_->RunFor(1min);
  auto duplicate = SendTo(url_, "g1", "second", "d1");
  ASSERT_THAT(duplicate, IsOk());
  EXPECT_EQ(duplicate->message_id, original);
}

TEST_F(FifoDeduplicationTest, DuplicateWithinFiveMinutesIsNotEnqueued) {
  SendWithId("first", "d1");
  SendWithId("second", "d1");
  EXPECT_EQ(Visible(url_), "1");
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("first"));
}

TEST_F(FifoDeduplicationTest, SameIdIsAcceptedAgainAfterFiveMinutes) {
  const std::string original = SendWithId("first", "d1");
  sim_->RunFor(5min - 1s);
  EXPECT_EQ(SendWithId("still a duplicate", "d1"), original);
  EXPECT_EQ(Visible(url_), "1");
  sim_->RunFor(1s);
  EXPECT_NE(SendWithId("second", "d1"), original);
  EXPECT_EQ(Visible(url_), "2");
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("first", "second"));
}

TEST_F(FifoDeduplicationTest, DeduplicationSurvivesReceiveAndDelete) {
  SendWithId("first", "d1");
  auto received = Receive(url_);
  ASSERT_THAT(received, SizeIs(1));
  ASSERT_THAT(
      sim_->DeleteMessage({.queue_url = url_, .receipt_handle = received[0].receipt_handle}),
      IsOk());
  SendWithId("again", "d1");
  EXPECT_EQ(Visible(url_), "0");
  EXPECT_THAT(Receive(url_), IsEmpty());
}

TEST_F(FifoDeduplicationTest, DuplicateInsideOneBatchIsNotEnqueued) {
  auto sent = sim_->SendMessageBatch({.queue_url = url_,
                                      .entries = {{.id = "a",
                                                   .message_body = "first",
                                                   .message_deduplication_id = "d1",
                                                   .message_group_id = "g1"},
                                                  {.id = "b",
                                                   .message_body = "second",
                                                   .message_deduplication_id = "d1",
                                                   .message_group_id = "g1"}}});
  ASSERT_THAT(sent, IsOk());
  EXPECT_THAT(sent->failed, IsEmpty());
  ASSERT_THAT(sent->successful, SizeIs(2));
  EXPECT_EQ(sent->successful[1].message_id, sent->successful[0].message_id);
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("first"));
}

TEST_F(FifoDeduplicationTest, PurgeClearsDeduplicationHistory) {
  const std::string original = SendWithId("first", "d1");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url_}), IsOk());
  EXPECT_NE(SendWithId("after purge", "d1"), original);
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("after purge"));
}

// ---- Content-based deduplication ----------------------------------------------------

TEST_F(FifoDeduplicationTest, SendWithoutIdOrContentBasedDeduplicationIsInvalidParameterValue) {
  EXPECT_THAT(SendTo(url_, "g1", "body", std::nullopt),
              StatusIs(ErrorCode::kInvalidParameterValue, kNoDeduplicationId));
  EXPECT_EQ(Visible(url_), "0");
}

TEST_F(FifoDeduplicationTest, BatchWithOneEntryMissingDeduplicationIdFailsWholeRequest) {
  auto sent = sim_->SendMessageBatch(
      {.queue_url = url_,
       .entries = {{.id = "a",
                    .message_body = "m1",
                    .message_deduplication_id = "m1",
                    .message_group_id = "g1"},
                   {.id = "b", .message_body = "m2", .message_group_id = "g1"}}});
  EXPECT_THAT(sent, StatusIs(ErrorCode::kInvalidParameterValue, kNoDeduplicationId));
  EXPECT_EQ(Visible(url_), "0");
}

TEST_F(FifoDeduplicationTest, ContentBasedDeduplicationDropsSameBody) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  auto first = SendTo(url, "g1", "hello", std::nullopt);
  auto second = SendTo(url, "g1", "hello", std::nullopt);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->message_id, first->message_id);
  EXPECT_EQ(Visible(url), "1");
}

TEST_F(FifoDeduplicationTest, ContentBasedDeduplicationKeepsDifferentBodies) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  ASSERT_THAT(SendTo(url, "g1", "hello", std::nullopt), IsOk());
  ASSERT_THAT(SendTo(url, "g1", "hello!", std::nullopt), IsOk());
  EXPECT_EQ(Visible(url), "2");
}

TEST_F(FifoDeduplicationTest, ContentBasedDeduplicationIgnoresMessageAttributes) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  ASSERT_THAT(
      sim_->SendMessage(
          {.queue_url = url,
           .message_body = "hello",
           .message_attributes = {{"color", {.string_value = "red", .data_type = "String"}}},
           .message_group_id = "g1"}),
      IsOk());
  ASSERT_THAT(
      sim_->SendMessage(
          {.queue_url = url,
           .message_body = "hello",
           .message_attributes = {{"color", {.string_value = "blue", .data_type = "String"}}},
           .message_group_id = "g1"}),
      IsOk());
  EXPECT_EQ(Visible(url), "1");
}

// AWS documents a SHA-256 of the body but not the generated id's form; sqsim
// uses the lower-case hex SHA-256 of the body.
TEST_F(FifoDeduplicationTest, ContentBasedDeduplicationIdIsSha256OfBody) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  ASSERT_THAT(SendTo(url, "g1", "hello", std::nullopt), IsOk());
  auto received = Receive(url);
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(received[0].attributes.at("MessageDeduplicationId"), kSha256OfHello);
}

TEST_F(FifoDeduplicationTest, ExplicitIdOverridesContentBasedDeduplication) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  ASSERT_THAT(SendTo(url, "g1", "hello", "d1"), IsOk());
  ASSERT_THAT(SendTo(url, "g1", "hello", "d2"), IsOk());
  EXPECT_EQ(Visible(url), "2");
  auto received = Receive(url);
  ASSERT_THAT(received, SizeIs(2));
  EXPECT_EQ(received[0].attributes.at("MessageDeduplicationId"), "d1");
  EXPECT_EQ(received[1].attributes.at("MessageDeduplicationId"), "d2");
}

TEST_F(FifoDeduplicationTest, ExplicitIdEqualToAContentHashIsADuplicate) {
  const std::string url = MakeFifoQueue("content.fifo", {{"ContentBasedDeduplication", "true"}});
  ASSERT_THAT(SendTo(url, "g1", "hello", std::nullopt), IsOk());
  ASSERT_THAT(SendTo(url, "g1", "something else", kSha256OfHello), IsOk());
  EXPECT_EQ(Visible(url), "1");
}

TEST_F(FifoDeduplicationTest, ContentBasedDeduplicationCanBeEnabledLater) {
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_, .attributes = {{"ContentBasedDeduplication", "true"}}}),
              IsOk());
  EXPECT_THAT(SendTo(url_, "g1", "hello", std::nullopt), IsOk());
  EXPECT_EQ(Attribute(url_, "ContentBasedDeduplication"), "true");
}

// ---- DeduplicationScope ---------------------------------------------------------------

TEST_F(FifoDeduplicationTest, QueueScopeTreatsSameIdInAnotherGroupAsDuplicate) {
  SendWithId("first", "d1", "g1");
  SendWithId("second", "d1", "g2");
  EXPECT_EQ(Visible(url_), "1");
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("first"));
}

TEST_F(FifoDeduplicationTest, MessageGroupScopeAcceptsSameIdInAnotherGroup) {
  const std::string url = MakeFifoQueue("scoped.fifo", {{"DeduplicationScope", "messageGroup"}});
  ASSERT_THAT(SendTo(url, "g1", "first", "d1"), IsOk());
  ASSERT_THAT(SendTo(url, "g2", "second", "d1"), IsOk());
  EXPECT_EQ(Visible(url), "2");
}

TEST_F(FifoDeduplicationTest, MessageGroupScopeStillDeduplicatesWithinAGroup) {
  const std::string url = MakeFifoQueue("scoped.fifo", {{"DeduplicationScope", "messageGroup"}});
  ASSERT_THAT(SendTo(url, "g1", "first", "d1"), IsOk());
  ASSERT_THAT(SendTo(url, "g1", "second", "d1"), IsOk());
  EXPECT_EQ(Visible(url), "1");
}

// sqsim applies attribute changes at once (SQS may take up to a minute).
TEST_F(FifoDeduplicationTest, SwitchingToMessageGroupScopeAppliesToNextSend) {
  SendWithId("first", "d1", "g1");
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_, .attributes = {{"DeduplicationScope", "messageGroup"}}}),
              IsOk());
  SendWithId("second", "d1", "g2");
  EXPECT_EQ(Visible(url_), "2");
}

// AWS does not document the error text; only the code is checked.
TEST_F(FifoDeduplicationTest, PerMessageGroupIdThroughputWithoutMessageGroupScopeFailsAtCreate) {
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "fast.fifo",
                                 .attributes = {{"FifoQueue", "true"},
                                                {"FifoThroughputLimit", "perMessageGroupId"}}}),
              StatusIs(ErrorCode::kInvalidAttributeValue));
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "fast.fifo"}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

TEST_F(FifoDeduplicationTest, PerMessageGroupIdThroughputWithoutMessageGroupScopeFailsOnSet) {
  EXPECT_THAT(
      sim_->SetQueueAttributes(
          {.queue_url = url_, .attributes = {{"FifoThroughputLimit", "perMessageGroupId"}}}),
      StatusIs(ErrorCode::kInvalidAttributeValue));
  EXPECT_EQ(Attribute(url_, "FifoThroughputLimit"), "perQueue");
}

TEST_F(FifoDeduplicationTest, HighThroughputModeIsAcceptedWithMessageGroupScope) {
  ASSERT_THAT(
      sim_->SetQueueAttributes({.queue_url = url_,
                                .attributes = {{"DeduplicationScope", "messageGroup"},
                                               {"FifoThroughputLimit", "perMessageGroupId"}}}),
      IsOk());
  EXPECT_EQ(Attribute(url_, "DeduplicationScope"), "messageGroup");
  EXPECT_EQ(Attribute(url_, "FifoThroughputLimit"), "perMessageGroupId");
}

TEST_F(FifoDeduplicationTest, MessageGroupScopeWorksWithoutPerMessageGroupIdThroughput) {
  const std::string url = MakeFifoQueue("scoped.fifo", {{"DeduplicationScope", "messageGroup"}});
  EXPECT_EQ(Attribute(url, "DeduplicationScope"), "messageGroup");
  EXPECT_EQ(Attribute(url, "FifoThroughputLimit"), "perQueue");
}

// ---- Deduplication id validation ----------------------------------------------------

TEST_F(FifoDeduplicationTest, DeduplicationIdWithSpaceIsInvalidParameterValue) {
  EXPECT_THAT(SendTo(url_, "g1", "body", "a b"),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "Value a b for parameter MessageDeduplicationId is invalid. Reason: "
                       "MessageDeduplicationId can only include alphanumeric and punctuation "
                       "characters. 1 to 128 in length."));
}

TEST_F(FifoDeduplicationTest, DeduplicationIdOf129CharactersIsInvalidParameterValue) {
  EXPECT_THAT(SendTo(url_, "g1", "body", std::string(129, 'd')),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       ::testing::HasSubstr("for parameter MessageDeduplicationId is invalid.")));
  EXPECT_EQ(Visible(url_), "0");
}

TEST_F(FifoDeduplicationTest, EmptyDeduplicationIdIsInvalidParameterValue) {
  EXPECT_THAT(SendTo(url_, "g1", "body", ""), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(FifoDeduplicationTest, DeduplicationIdOf128CharactersIsAccepted) {
  EXPECT_THAT(SendTo(url_, "g1", "body", std::string(128, 'd')), IsOk());
}

TEST_F(FifoDeduplicationTest, DeduplicationIdMayUseEveryAsciiPunctuationCharacter) {
  EXPECT_THAT(SendTo(url_, "g1", "body", "aZ09!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), IsOk());
}

// ---- ReceiveRequestAttemptId ------------------------------------------------------

class FifoReceiveAttemptTest : public FifoDeduplicationTest {
 protected:
  Result<ReceiveMessageResponse> ReceiveWithAttempt(const std::string& url,
                                                    const std::string& attempt_id,
                                                    int visibility = 30) {
    return sim_->ReceiveMessage({.queue_url = url,
                                 .message_system_attribute_names = {"All"},
                                 .max_number_of_messages = 10,
                                 .visibility_timeout = visibility,
                                 .wait_time_seconds = 0,
                                 .receive_request_attempt_id = attempt_id});
  }

  std::string NotRetryable(const std::string& attempt_id) {
    return "Value " + attempt_id +
           " for parameter ReceiveRequestAttemptId is invalid. Reason: The "
           "receiveRequestAttemptId is not valid anymore since the receive call is not "
           "retryable.";
  }

  // Three messages in two groups: g1-m1, g1-m2, g2-m1.
  void SendThree() {
    SendWithId("g1-m1", "g1-m1", "g1");
    SendWithId("g1-m2", "g1-m2", "g1");
    SendWithId("g2-m1", "g2-m1", "g2");
  }
};

TEST_F(FifoReceiveAttemptTest, RetryReturnsTheSameMessagesAndReceiptHandles) {
  SendThree();
  auto first = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(3));
  sim_->RunFor(10s);
  auto retry = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(retry, IsOk());
  EXPECT_EQ(Ids(retry->messages), Ids(first->messages));
  EXPECT_EQ(Handles(retry->messages), Handles(first->messages));
  EXPECT_EQ(Bodies(retry->messages), Bodies(first->messages));
}

TEST_F(FifoReceiveAttemptTest, RetryResetsTheVisibilityTimeout) {
  SendThree();
  ASSERT_THAT(ReceiveWithAttempt(url_, "attempt-1", /*visibility=*/30), IsOk());
  sim_->RunFor(20s);
  ASSERT_THAT(ReceiveWithAttempt(url_, "attempt-1", /*visibility=*/30), IsOk());
  sim_->RunFor(29s);  // 49 s after the first receive, 29 s after the retry
  EXPECT_THAT(Receive(url_), IsEmpty());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "3");
  sim_->RunFor(1s);
  EXPECT_THAT(Bodies(Receive(url_)), ElementsAre("g1-m1", "g1-m2", "g2-m1"));
}

TEST_F(FifoReceiveAttemptTest, RetryDoesNotCountAsAnotherReceive) {
  SendThree();
  ASSERT_THAT(ReceiveWithAttempt(url_, "attempt-1"), IsOk());
  auto retry = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(retry, IsOk());
  ASSERT_THAT(retry->messages, SizeIs(3));
  EXPECT_EQ(retry->messages[0].attributes.at("ApproximateReceiveCount"), "1");
}

TEST_F(FifoReceiveAttemptTest, RetryAfterDeletingOneOfItsMessagesIsInvalidParameterValue) {
  SendThree();
  auto first = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(3));
  ASSERT_THAT(
      sim_->DeleteMessage({.queue_url = url_, .receipt_handle = first->messages[1].receipt_handle}),
      IsOk());
  EXPECT_THAT(ReceiveWithAttempt(url_, "attempt-1"),
              StatusIs(ErrorCode::kInvalidParameterValue, NotRetryable("attempt-1")));
}

TEST_F(FifoReceiveAttemptTest,
       RetryAfterChangingVisibilityOfOneOfItsMessagesIsInvalidParameterValue) {
  SendThree();
  auto first = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(3));
  ASSERT_THAT(sim_->ChangeMessageVisibility({.queue_url = url_,
                                             .receipt_handle = first->messages[2].receipt_handle,
                                             .visibility_timeout = 120}),
              IsOk());
  EXPECT_THAT(ReceiveWithAttempt(url_, "attempt-1"),
              StatusIs(ErrorCode::kInvalidParameterValue, NotRetryable("attempt-1")));
}

// Not documented by AWS; caching an empty attempt was ElasticMQ's bug
// (ElasticMQ #151), so sqsim does not cache one.
TEST_F(FifoReceiveAttemptTest, AttemptThatReturnedNothingIsNotCached) {
  auto empty = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(empty, IsOk());
  ASSERT_THAT(empty->messages, IsEmpty());
  SendWithId("m1", "m1");
  auto retry = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(retry, IsOk());
  EXPECT_THAT(Bodies(retry->messages), ElementsAre("m1"));
}

TEST_F(FifoReceiveAttemptTest, DifferentAttemptIdIsAnOrdinaryReceive) {
  SendThree();
  auto first = ReceiveWithAttempt(url_, "attempt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(3));
  auto other = ReceiveWithAttempt(url_, "attempt-2");
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(other->messages, IsEmpty());  // everything is in flight
}

// The replay window is 5 minutes; afterwards the id is forgotten and the
// call is a fresh receive with fresh receipt handles.
TEST_F(FifoReceiveAttemptTest, RetryAfterFiveMinutesIsAnOrdinaryReceive) {
  SendWithId("m1", "m1");
  auto first = ReceiveWithAttempt(url_, "attempt-1", /*visibility=*/30);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(1));
  sim_->RunFor(5min);
  auto later = ReceiveWithAttempt(url_, "attempt-1", /*visibility=*/30);
  ASSERT_THAT(later, IsOk());
  ASSERT_THAT(later->messages, SizeIs(1));
  EXPECT_EQ(later->messages[0].message_id, first->messages[0].message_id);
  EXPECT_THAT(later->messages[0].receipt_handle, Ne(first->messages[0].receipt_handle));
  EXPECT_EQ(later->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

// The exact message is unconfirmed; sqsim uses the MessageDeduplicationId
// pattern.
TEST_F(FifoReceiveAttemptTest, AttemptIdWithSpaceIsInvalidParameterValue) {
  EXPECT_THAT(ReceiveWithAttempt(url_, "attempt 1"),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       ::testing::HasSubstr("for parameter ReceiveRequestAttemptId is invalid.")));
}

// AWS does not say whether standard queues validate the id; sqsim ignores
// it entirely there.
TEST_F(FifoReceiveAttemptTest, AttemptIdIsIgnoredOnStandardQueues) {
  const std::string url = MakeQueue("standard");
  Send(url, "m1");
  Send(url, "m2");
  auto first = ReceiveWithAttempt(url, "attempt-1");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(first->messages, SizeIs(2));
  Send(url, "m3");
  auto retry = ReceiveWithAttempt(url, "attempt-1");
  ASSERT_THAT(retry, IsOk());
  EXPECT_THAT(Bodies(retry->messages), ElementsAre("m3"));
}

}  // namespace
}  // namespace sqsim
