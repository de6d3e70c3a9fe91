// Queue attributes: what GetQueueAttributes reports, and what CreateQueue and
// SetQueueAttributes accept, as their AWS API Reference pages describe it
// and as LocalStack's AWS-validated tests recorded it.

#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

// SimulatorOptions::start_time, 2026-01-01T00:00:00Z, in epoch seconds.
constexpr char kStartSeconds[] = "1767225600";

class QueueAttributesTest : public SimulatorTest {
 protected:
  QueueAttributeMap All(const std::string& url) {
    auto got = sim_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
    EXPECT_THAT(got, IsOk());
    return got.ok() ? got->attributes : QueueAttributeMap{};
  }

  Status Set(const std::string& name, const std::string& value) {
    return sim_->SetQueueAttributes({.queue_url = url_, .attributes = {{name, value}}}).status();
  }

  // Checks that `name` accepts `lo` and `hi`, on SetQueueAttributes and on
  // CreateQueue, and reads them back.
  void ExpectAcceptsRange(const std::string& name, int lo, int hi) {
    for (int value : {lo, hi}) {
      const std::string text = std::to_string(value);
      EXPECT_THAT(Set(name, text), IsOk()) << name << "=" << text;
      EXPECT_EQ(Attribute(url_, name), text) << name;
      QueueAttributeMap attributes = {{name, text}};
      if (name.starts_with("Kms")) attributes["KmsMasterKeyId"] = "alias/aws/sqs";
      auto created = sim_->CreateQueue({.queue_name = "created-" + text, .attributes = attributes});
      EXPECT_THAT(created, IsOk()) << "CreateQueue " << name << "=" << text;
    }
  }

  // Checks that `name` rejects `lo - 1` and `hi + 1`, on SetQueueAttributes
  // and on CreateQueue, and keeps its value.
  void ExpectRejectsOutsideRange(const std::string& name, int lo, int hi) {
    const std::string before = Attribute(url_, name);
    for (int value : {lo - 1, hi + 1}) {
      const std::string text = std::to_string(value);
      EXPECT_THAT(Set(name, text), StatusIs(ErrorCode::kInvalidAttributeValue))
          << name << "=" << text;
      EXPECT_THAT(sim_->CreateQueue({.queue_name = "rejected", .attributes = {{name, text}}}),
                  StatusIs(ErrorCode::kInvalidAttributeValue))
          << "CreateQueue " << name << "=" << text;
    }
    EXPECT_EQ(Attribute(url_, name), before) << name;
    EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "rejected"}),
                StatusIs(ErrorCode::kQueueDoesNotExist));
  }

  std::string url_ = MakeQueue("orders");
};

// ---- What GetQueueAttributes returns ----------------------------------------

TEST_F(QueueAttributesTest, AllOnFreshStandardQueueReturnsExactlyTheTwelveDefaults) {
  EXPECT_THAT(
      All(url_),
      UnorderedElementsAre(
          Pair("ApproximateNumberOfMessages", "0"), Pair("ApproximateNumberOfMessagesDelayed", "0"),
          Pair("ApproximateNumberOfMessagesNotVisible", "0"),
          Pair("CreatedTimestamp", kStartSeconds), Pair("DelaySeconds", "0"),
          Pair("LastModifiedTimestamp", kStartSeconds), Pair("MaximumMessageSize", "1048576"),
          Pair("MessageRetentionPeriod", "345600"), Pair("QueueArn", kOrdersArn),
          Pair("ReceiveMessageWaitTimeSeconds", "0"), Pair("SqsManagedSseEnabled", "true"),
          Pair("VisibilityTimeout", "30")));
}

TEST_F(QueueAttributesTest, AllOnFreshFifoQueueAddsTheFourFifoAttributes) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  const QueueAttributeMap all = All(url);
  EXPECT_THAT(all, SizeIs(16));
  EXPECT_THAT(all, Contains(Pair("FifoQueue", "true")));
  EXPECT_THAT(all, Contains(Pair("ContentBasedDeduplication", "false")));
  EXPECT_THAT(all, Contains(Pair("DeduplicationScope", "queue")));
  EXPECT_THAT(all, Contains(Pair("FifoThroughputLimit", "perQueue")));
  EXPECT_THAT(all, Contains(Pair("QueueArn", "arn:aws:sqs:us-east-1:123456789012:orders.fifo")));
}

TEST_F(QueueAttributesTest, NoAttributeNamesReturnsNoAttributes) {
  auto got = sim_->GetQueueAttributes({.queue_url = url_});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(got->attributes, IsEmpty());
}

TEST_F(QueueAttributesTest, NamedAttributesReturnOnlyThoseNames) {
  auto got = sim_->GetQueueAttributes(
      {.queue_url = url_, .attribute_names = {"VisibilityTimeout", "QueueArn"}});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(got->attributes,
              ElementsAre(Pair("QueueArn", kOrdersArn), Pair("VisibilityTimeout", "30")));
}

TEST_F(QueueAttributesTest, OptionalAttributesAreAbsentUntilSet) {
  auto got = sim_->GetQueueAttributes(
      {.queue_url = url_,
       .attribute_names = {"Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
                           "KmsDataKeyReusePeriodSeconds"}});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(got->attributes, IsEmpty());
  const QueueAttributeMap all = All(url_);
  for (const char* name : {"Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
                           "KmsDataKeyReusePeriodSeconds", "FifoQueue"}) {
    EXPECT_THAT(all, Not(Contains(Key(name)))) << name;
  }
}

TEST_F(QueueAttributesTest, OptionalAttributesAppearOnceSet) {
  const std::string dlq = MakeQueue("orders-dlq");
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",)"
      R"("Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:orders"}]})";
  const std::string redrive =
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq",)"
      R"("maxReceiveCount":5})";
  ASSERT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_,
                   .attributes = {{"Policy", policy},
                                  {"RedrivePolicy", redrive},
                                  {"RedriveAllowPolicy", R"({"redrivePermission":"allowAll"})"},
                                  {"KmsMasterKeyId", "alias/aws/sqs"}}}),
              IsOk());
  const QueueAttributeMap all = All(url_);
  EXPECT_THAT(all, Contains(Pair("Policy", policy)));
  EXPECT_THAT(all, Contains(Pair("RedrivePolicy", redrive)));
  EXPECT_THAT(all, Contains(Pair("RedriveAllowPolicy", R"({"redrivePermission":"allowAll"})")));
  EXPECT_THAT(all, Contains(Pair("KmsMasterKeyId", "alias/aws/sqs")));
  EXPECT_THAT(all, Contains(Pair("KmsDataKeyReusePeriodSeconds", "300")));
  EXPECT_THAT(all, SizeIs(17));
}

TEST_F(QueueAttributesTest, GetUnknownAttributeIsInvalidAttributeName) {
  auto got =
      sim_->GetQueueAttributes({.queue_url = url_, .attribute_names = {"QueueArn", "Foobar"}});
  ASSERT_THAT(got, StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute Foobar."));
  EXPECT_EQ(got.status().http_status(), 400);
}

TEST_F(QueueAttributesTest, GetOnUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->GetQueueAttributes({.queue_url = url_ + "x", .attribute_names = {"All"}}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

// ---- What SetQueueAttributes and CreateQueue accept ----------------------------

TEST_F(QueueAttributesTest, SetUnknownAttributeIsInvalidAttributeName) {
  EXPECT_THAT(Set("Foobar", "1"),
              StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute Foobar."));
}

TEST_F(QueueAttributesTest, CreateWithUnknownAttributeIsInvalidAttributeName) {
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "other", .attributes = {{"Foobar", "1"}}}),
              StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute Foobar."));
}

TEST_F(QueueAttributesTest, SetWithOneBadAttributeChangesNothing) {
  auto set = sim_->SetQueueAttributes(
      {.queue_url = url_, .attributes = {{"VisibilityTimeout", "60"}, {"Foobar", "1"}}});
  EXPECT_THAT(set, StatusIs(ErrorCode::kInvalidAttributeName));
  EXPECT_EQ(Attribute(url_, "VisibilityTimeout"), "30");
}

// Whether SQS reports each read-only name as InvalidAttributeName is not
// documented per name; the simulator treats them as unknown for writing.
TEST_F(QueueAttributesTest, SetReadOnlyAttributeIsInvalidAttributeName) {
  for (const char* name :
       {"QueueArn", "CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"}) {
    EXPECT_THAT(Set(name, "1"), StatusIs(ErrorCode::kInvalidAttributeName)) << name;
  }
  EXPECT_EQ(Attribute(url_, "QueueArn"), kOrdersArn);
}

TEST_F(QueueAttributesTest, SetWithoutAttributesIsMissingParameter) {
  EXPECT_THAT(sim_->SetQueueAttributes({.queue_url = url_}),
              StatusIs(ErrorCode::kMissingParameter));
}

TEST_F(QueueAttributesTest, SetOnUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url_ + "x", .attributes = {{"VisibilityTimeout", "60"}}}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

TEST_F(QueueAttributesTest, NonNumericValueIsInvalidAttributeValue) {
  for (const char* value : {"", "abc", "1.5", "30s", " 30"}) {
    EXPECT_THAT(Set("VisibilityTimeout", value), StatusIs(ErrorCode::kInvalidAttributeValue))
        << "'" << value << "'";
  }
  EXPECT_EQ(Attribute(url_, "VisibilityTimeout"), "30");
}

TEST_F(QueueAttributesTest, PolicyMustBeJsonWithStatement) {
  for (const char* value : {"not json", "[]", R"({"Version":"2012-10-17"})"}) {
    EXPECT_THAT(Set("Policy", value), StatusIs(ErrorCode::kInvalidAttributeValue)) << value;
  }
  EXPECT_EQ(Attribute(url_, "Policy"), "<absent>");
}

TEST_F(QueueAttributesTest, PolicyLongerThan8192BytesIsInvalidAttributeValue) {
  const std::string head = R"({"Statement":[],"Id":")";
  const std::string tail = "\"}";
  const std::string fits = head + std::string(8192 - head.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(fits.size(), 8192u);
  EXPECT_THAT(Set("Policy", fits), IsOk());
  const std::string too_long = head + std::string(8193 - head.size() - tail.size(), 'x') + tail;
  EXPECT_THAT(Set("Policy", too_long), StatusIs(ErrorCode::kInvalidAttributeValue));
  EXPECT_EQ(Attribute(url_, "Policy"), fits);
}

// `""` presumably removes the Policy (LocalStack's test_set_empty_queue_policy;
// not documented by AWS); the simulator removes it.
TEST_F(QueueAttributesTest, EmptyPolicyRemovesIt) {
  ASSERT_THAT(Set("Policy", R"({"Statement":[]})"), IsOk());
  ASSERT_THAT(Set("Policy", ""), IsOk());
  EXPECT_EQ(Attribute(url_, "Policy"), "<absent>");
}

// The simulator applies attribute changes at once (SQS takes up to 15 min for
// retention); a shorter retention expires older messages.
TEST_F(QueueAttributesTest, LoweringRetentionExpiresOlderMessages) {
  Send(url_, "old");
  sim_->RunFor(120s);
  Send(url_, "new");
  ASSERT_THAT(Set("MessageRetentionPeriod", "60"), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  auto received = Receive(url_);
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(received[0].body, "new");
}

// Standard queues: a new queue delay applies to new messages only (AWS
// "Amazon SQS delay queues", sqs-delay-queues.html).
TEST_F(QueueAttributesTest, ChangingDelaySecondsIsNotRetroactiveOnStandardQueue) {
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "a", .delay_seconds = 10}),
              IsOk());
  Send(url_, "b");
  ASSERT_THAT(Set("DelaySeconds", "900"), IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  sim_->RunFor(10s);
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "0");
}

// ---- Numeric ranges: lo and hi accepted, lo-1 and hi+1 rejected ----------------
// SQS's message text for an out-of-range value is unconfirmed; only the code
// is checked.

TEST_F(QueueAttributesTest, DelaySecondsAcceptsZeroThroughNineHundred) {
  ExpectAcceptsRange("DelaySeconds", 0, 900);
}

TEST_F(QueueAttributesTest, DelaySecondsOutsideZeroThroughNineHundredIsInvalidAttributeValue) {
  ExpectRejectsOutsideRange("DelaySeconds", 0, 900);
}

TEST_F(QueueAttributesTest, MaximumMessageSizeAcceptsOneKibibyteThroughOneMebibyte) {
  ExpectAcceptsRange("MaximumMessageSize", 1024, 1048576);
}

TEST_F(QueueAttributesTest, MaximumMessageSizeOutsideRangeIsInvalidAttributeValue) {
  ExpectRejectsOutsideRange("MaximumMessageSize", 1024, 1048576);
}

TEST_F(QueueAttributesTest, MessageRetentionPeriodAcceptsOneMinuteThroughFourteenDays) {
  ExpectAcceptsRange("MessageRetentionPeriod", 60, 1209600);
}

TEST_F(QueueAttributesTest, MessageRetentionPeriodOutsideRangeIsInvalidAttributeValue) {
  ExpectRejectsOutsideRange("MessageRetentionPeriod", 60, 1209600);
}

TEST_F(QueueAttributesTest, ReceiveMessageWaitTimeSecondsAcceptsZeroThroughTwenty) {
  ExpectAcceptsRange("ReceiveMessageWaitTimeSeconds", 0, 20);
}

TEST_F(QueueAttributesTest, ReceiveMessageWaitTimeSecondsOutsideRangeIsInvalidAttributeValue) {
  ExpectRejectsOutsideRange("ReceiveMessageWaitTimeSeconds", 0, 20);
}

TEST_F(QueueAttributesTest, VisibilityTimeoutAcceptsZeroThroughTwelveHours) {
  ExpectAcceptsRange("VisibilityTimeout", 0, 43200);
}

TEST_F(QueueAttributesTest, VisibilityTimeoutOutsideRangeIsInvalidAttributeValue) {
  ExpectRejectsOutsideRange("VisibilityTimeout", 0, 43200);
}

TEST_F(QueueAttributesTest, KmsDataKeyReusePeriodSecondsAcceptsOneMinuteThroughOneDay) {
  // The attribute is shown only while SSE-KMS is on.
  ASSERT_THAT(Set("KmsMasterKeyId", "alias/aws/sqs"), IsOk());
  ExpectAcceptsRange("KmsDataKeyReusePeriodSeconds", 60, 86400);
}

TEST_F(QueueAttributesTest, KmsDataKeyReusePeriodSecondsOutsideRangeIsInvalidAttributeValue) {
  ASSERT_THAT(Set("KmsMasterKeyId", "alias/aws/sqs"), IsOk());
  ExpectRejectsOutsideRange("KmsDataKeyReusePeriodSeconds", 60, 86400);
}

// ---- FIFO-only attributes ---------------------------------------------------

TEST_F(QueueAttributesTest, FifoQueueFalseOnStandardCreateIsUnknownAttribute) {
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "other", .attributes = {{"FifoQueue", "false"}}}),
              StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute FifoQueue."));
}

TEST_F(QueueAttributesTest, FifoQueueOnStandardSetIsUnknownAttribute) {
  EXPECT_THAT(Set("FifoQueue", "false"),
              StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute FifoQueue."));
  EXPECT_THAT(Set("FifoQueue", "true"),
              StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute FifoQueue."));
}

TEST_F(QueueAttributesTest, ContentBasedDeduplicationOnStandardQueueIsUnknownAttribute) {
  EXPECT_THAT(
      Set("ContentBasedDeduplication", "true"),
      StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute ContentBasedDeduplication."));
  EXPECT_THAT(
      sim_->CreateQueue(
          {.queue_name = "other", .attributes = {{"ContentBasedDeduplication", "false"}}}),
      StatusIs(ErrorCode::kInvalidAttributeName, "Unknown Attribute ContentBasedDeduplication."));
}

TEST_F(QueueAttributesTest, DeduplicationScopeOnStandardQueueIsInvalidAttributeName) {
  EXPECT_THAT(Set("DeduplicationScope", "messageGroup"),
              StatusIs(ErrorCode::kInvalidAttributeName,
                       "You can specify the DeduplicationScope only when FifoQueue is set to "
                       "true."));
}

TEST_F(QueueAttributesTest, FifoThroughputLimitOnStandardQueueIsInvalidAttributeName) {
  EXPECT_THAT(sim_->CreateQueue(
                  {.queue_name = "other", .attributes = {{"FifoThroughputLimit", "perQueue"}}}),
              StatusIs(ErrorCode::kInvalidAttributeName,
                       "You can specify the FifoThroughputLimit only when FifoQueue is set to "
                       "true."));
}

TEST_F(QueueAttributesTest, FifoQueueTrueOnFifoQueueIsAcceptedAsNoOp) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  EXPECT_THAT(sim_->SetQueueAttributes({.queue_url = url, .attributes = {{"FifoQueue", "true"}}}),
              IsOk());
  EXPECT_EQ(Attribute(url, "FifoQueue"), "true");
}

TEST_F(QueueAttributesTest, FifoQueueFalseOnFifoQueueIsInvalidAttributeValue) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  EXPECT_THAT(sim_->SetQueueAttributes({.queue_url = url, .attributes = {{"FifoQueue", "false"}}}),
              StatusIs(ErrorCode::kInvalidAttributeValue,
                       "Invalid value for the parameter FifoQueue. Reason: Modifying queue type "
                       "is not supported."));
}

TEST_F(QueueAttributesTest, PerMessageGroupThroughputWithoutMessageGroupScopeIsInvalidValue) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  EXPECT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url, .attributes = {{"FifoThroughputLimit", "perMessageGroupId"}}}),
              StatusIs(ErrorCode::kInvalidAttributeValue));
  EXPECT_THAT(sim_->SetQueueAttributes({.queue_url = url,
                                        .attributes = {{"FifoThroughputLimit", "perMessageGroupId"},
                                                       {"DeduplicationScope", "messageGroup"}}}),
              IsOk());
}

TEST_F(QueueAttributesTest, MessageGroupScopeWorksWithoutPerMessageGroupThroughput) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  EXPECT_THAT(sim_->SetQueueAttributes(
                  {.queue_url = url, .attributes = {{"DeduplicationScope", "messageGroup"}}}),
              IsOk());
  EXPECT_EQ(Attribute(url, "DeduplicationScope"), "messageGroup");
  EXPECT_EQ(Attribute(url, "FifoThroughputLimit"), "perQueue");
}

// ---- Server-side encryption ---------------------------------------------------

TEST_F(QueueAttributesTest, KmsAndSqsManagedSseTogetherAreInvalidAttributeName) {
  auto set = sim_->SetQueueAttributes(
      {.queue_url = url_,
       .attributes = {{"KmsMasterKeyId", "alias/aws/sqs"}, {"SqsManagedSseEnabled", "true"}}});
  EXPECT_THAT(set, StatusIs(ErrorCode::kInvalidAttributeName,
                            "You can use one type of server-side encryption (SSE) at one time. "
                            "You can either enable KMS SSE or SQS SSE."));
  EXPECT_EQ(Attribute(url_, "KmsMasterKeyId"), "<absent>");
}

TEST_F(QueueAttributesTest, KmsAndSqsManagedSseTogetherOnCreateAreInvalidAttributeName) {
  EXPECT_THAT(
      sim_->CreateQueue(
          {.queue_name = "other",
           .attributes = {{"KmsMasterKeyId", "alias/aws/sqs"}, {"SqsManagedSseEnabled", "true"}}}),
      StatusIs(ErrorCode::kInvalidAttributeName,
               "You can use one type of server-side encryption (SSE) at one time. You can either "
               "enable KMS SSE or SQS SSE."));
}

TEST_F(QueueAttributesTest, SettingKmsMasterKeyIdTurnsSqsManagedSseOff) {
  ASSERT_THAT(Set("KmsMasterKeyId", "alias/aws/sqs"), IsOk());
  EXPECT_EQ(Attribute(url_, "SqsManagedSseEnabled"), "false");
  EXPECT_EQ(Attribute(url_, "KmsMasterKeyId"), "alias/aws/sqs");
  EXPECT_EQ(Attribute(url_, "KmsDataKeyReusePeriodSeconds"), "300");
}

TEST_F(QueueAttributesTest, ClearingKmsMasterKeyIdRemovesKmsAttributesAndLeavesSseOff) {
  ASSERT_THAT(Set("KmsMasterKeyId", "alias/aws/sqs"), IsOk());
  ASSERT_THAT(Set("KmsMasterKeyId", ""), IsOk());
  const QueueAttributeMap all = All(url_);
  EXPECT_THAT(all, Not(Contains(Key("KmsMasterKeyId"))));
  EXPECT_THAT(all, Not(Contains(Key("KmsDataKeyReusePeriodSeconds"))));
  EXPECT_THAT(all, Contains(Pair("SqsManagedSseEnabled", "false")));
}

TEST_F(QueueAttributesTest, EnablingSqsManagedSseAfterKmsIsAccepted) {
  ASSERT_THAT(Set("KmsMasterKeyId", "alias/aws/sqs"), IsOk());
  ASSERT_THAT(Set("SqsManagedSseEnabled", "true"), IsOk());
  EXPECT_EQ(Attribute(url_, "SqsManagedSseEnabled"), "true");
  EXPECT_EQ(Attribute(url_, "KmsMasterKeyId"), "<absent>");
}

// ---- Timestamps ----------------------------------------------------------------

// Whether LastModifiedTimestamp initially equals CreatedTimestamp is
// not documented by AWS; the simulator sets both at creation.
TEST_F(QueueAttributesTest, TimestampsAreCreationTimeInEpochSeconds) {
  EXPECT_EQ(Attribute(url_, "CreatedTimestamp"), kStartSeconds);
  EXPECT_EQ(Attribute(url_, "LastModifiedTimestamp"), kStartSeconds);
}

TEST_F(QueueAttributesTest, SetUpdatesLastModifiedTimestampButNotCreatedTimestamp) {
  sim_->RunFor(100s);
  ASSERT_THAT(Set("VisibilityTimeout", "60"), IsOk());
  EXPECT_EQ(Attribute(url_, "CreatedTimestamp"), kStartSeconds);
  EXPECT_EQ(Attribute(url_, "LastModifiedTimestamp"), "1767225700");
}

TEST_F(QueueAttributesTest, FailedSetLeavesLastModifiedTimestamp) {
  sim_->RunFor(100s);
  ASSERT_THAT(Set("VisibilityTimeout", "-1"), StatusIs(ErrorCode::kInvalidAttributeValue));
  EXPECT_EQ(Attribute(url_, "LastModifiedTimestamp"), kStartSeconds);
}

TEST_F(QueueAttributesTest, CreatedTimestampIsTheCreateTime) {
  sim_->RunFor(42s);
  const std::string url = MakeQueue("later");
  EXPECT_EQ(Attribute(url, "CreatedTimestamp"), "1767225642");
}

// ---- Approximate counters (exact in the simulator) -------------------------------

TEST_F(QueueAttributesTest, ApproximateNumberOfMessagesCountsVisibleMessages) {
  Send(url_, "a");
  Send(url_, "b");
  Send(url_, "c");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "3");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "0");
}

TEST_F(QueueAttributesTest, ReceivedMessagesCountAsNotVisibleUntilTimeoutEnds) {
  Send(url_, "a");
  Send(url_, "b");
  Send(url_, "c");
  ASSERT_THAT(Receive(url_, 2), SizeIs(2));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "2");
  sim_->RunFor(30s);  // the default visibility timeout
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "3");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
}

TEST_F(QueueAttributesTest, DelayedMessagesCountOnlyAsDelayedUntilDelayEnds) {
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "later", .delay_seconds = 10}),
              IsOk());
  Send(url_, "now");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "1");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
  sim_->RunFor(10s);
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "2");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "0");
}

TEST_F(QueueAttributesTest, QueueDelaySecondsDelaysNewMessages) {
  ASSERT_THAT(Set("DelaySeconds", "5"), IsOk());
  Send(url_, "delayed by the queue");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "1");
  EXPECT_THAT(Receive(url_), IsEmpty());
  sim_->RunFor(5s);
  EXPECT_THAT(Receive(url_), SizeIs(1));
}

TEST_F(QueueAttributesTest, DeletedMessagesLeaveTheCounters) {
  Send(url_, "a");
  auto received = Receive(url_, 1);
  ASSERT_THAT(received, SizeIs(1));
  ASSERT_THAT(
      sim_->DeleteMessage({.queue_url = url_, .receipt_handle = received[0].receipt_handle}),
      IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesNotVisible"), "0");
}

}  // namespace
}  // namespace sqsim
