// SendMessage: validation, digests, delays, and what a send stores.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SendMessageTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("orders");
};

TEST_F(SendMessageTest, ReturnsBodyMd5AndUuidMessageId) {
  auto sent = sim_->SendMessage({.queue_url = url_, .message_body = "foobar"});
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->md5_of_message_body, "3858f62230ac3c915f300c664312c63f");
  EXPECT_THAT(sent->message_id,
              ::testing::MatchesRegex(
                  "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  EXPECT_FALSE(sent->md5_of_message_attributes.has_value());
  EXPECT_FALSE(sent->md5_of_message_system_attributes.has_value());
  EXPECT_FALSE(sent->sequence_number.has_value());
}

TEST_F(SendMessageTest, ReturnsAttributeMd5OnlyWhenAttributesSent) {
  auto sent = sim_->SendMessage(
      {.queue_url = url_,
       .message_body = "hi",
       .message_attributes = {{"Hello", {.string_value = "There", .data_type = "String"}}}});
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->md5_of_message_attributes, "a311262e065454b75da111d535b8dacd");
}

TEST_F(SendMessageTest, TraceHeaderGivesSystemAttributeMd5AndLeavesUserMd5Alone) {
  const std::string header =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
  auto sent = sim_->SendMessage(
      {.queue_url = url_,
       .message_body = "hi",
       .message_attributes = {{"Hello", {.string_value = "There", .data_type = "String"}}},
       .message_system_attributes = {
           {"AWSTraceHeader", {.string_value = header, .data_type = "String"}}}});
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->md5_of_message_system_attributes, "5ae4d5d7636402d80f4eb6d213245a88");
  EXPECT_EQ(sent->md5_of_message_attributes, "a311262e065454b75da111d535b8dacd");
}

TEST_F(SendMessageTest, EmptyBodyIsMissingParameter) {
  auto sent = sim_->SendMessage({.queue_url = url_, .message_body = ""});
  EXPECT_THAT(sent, StatusIs(ErrorCode::kMissingParameter,
                             "The request must contain the parameter MessageBody."));
}

TEST_F(SendMessageTest, MissingQueueUrlIsMissingParameter) {
  EXPECT_THAT(sim_->SendMessage({.message_body = "x"}), StatusIs(ErrorCode::kMissingParameter));
}

TEST_F(SendMessageTest, UnknownQueueIsQueueDoesNotExist) {
  auto sent = sim_->SendMessage({.queue_url = url_ + "-gone", .message_body = "x"});
  ASSERT_THAT(sent, StatusIs(ErrorCode::kQueueDoesNotExist));
  EXPECT_EQ(sent.status().query_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(sent.status().http_status(), 400);
}

TEST_F(SendMessageTest, BodyWithDisallowedCharacterIsInvalidMessageContents) {
  for (std::string bad : {std::string("a\x01z"), std::string(1, '\0'), std::string("\xEF\xBF\xBF"),
                          std::string("\xFF")}) {
    EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = bad}),
                StatusIs(ErrorCode::kInvalidMessageContents))
        << "body bytes: " << ::testing::PrintToString(bad);
  }
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(SendMessageTest, BodyWithTabNewlineAndAstralCharactersIsAccepted) {
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "a\tb\nc\r\xF0\x9F\x98\x80"}),
              IsOk());
}

TEST_F(SendMessageTest, MessageOfExactlyMaximumSizeIsAcceptedAndOneMoreByteRejected) {
  const std::string small = MakeQueue("small", {{"MaximumMessageSize", "1024"}});
  EXPECT_THAT(sim_->SendMessage({.queue_url = small, .message_body = std::string(1024, 'x')}),
              IsOk());
  auto too_big = sim_->SendMessage({.queue_url = small, .message_body = std::string(1025, 'x')});
  EXPECT_THAT(too_big, StatusIs(ErrorCode::kInvalidParameterValue,
                                "One or more parameters are invalid. Reason: Message must be "
                                "shorter than 1024 bytes."));
}

TEST_F(SendMessageTest, SizeCountsUtf8BytesAndAttributeNameTypeAndValue) {
  const std::string small = MakeQueue("small", {{"MaximumMessageSize", "1024"}});
  // 1000 bytes of body + "k"(1) + "String"(6) + 17 bytes of value = 1024.
  MessageAttributeMap attributes = {
      {"k", {.string_value = std::string(17, 'v'), .data_type = "String"}}};
  EXPECT_THAT(sim_->SendMessage({.queue_url = small,
                                 .message_body = std::string(1000, 'x'),
                                 .message_attributes = attributes}),
              IsOk());
  attributes["k"].string_value = std::string(18, 'v');
  EXPECT_THAT(sim_->SendMessage({.queue_url = small,
                                 .message_body = std::string(1000, 'x'),
                                 .message_attributes = attributes}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  // "é" is two bytes: 512 of them fill 1024 bytes exactly.
  std::string accents;
  for (int i = 0; i < 512; ++i) accents += "\xC3\xA9";
  EXPECT_THAT(sim_->SendMessage({.queue_url = small, .message_body = accents}), IsOk());
  EXPECT_THAT(sim_->SendMessage({.queue_url = small, .message_body = accents + "x"}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(SendMessageTest, DelayOutsideZeroToNineHundredIsInvalidParameterValue) {
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "x", .delay_seconds = 901}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("DelaySeconds")));
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "x", .delay_seconds = -1}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "x", .delay_seconds = 900}),
              IsOk());
}

TEST_F(SendMessageTest, DelayedMessageIsHiddenUntilDelayEnds) {
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "x", .delay_seconds = 5}),
              IsOk());
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessagesDelayed"), "1");
  EXPECT_TRUE(Receive(url_).empty());
  sim_->RunFor(4999ms);
  EXPECT_TRUE(Receive(url_).empty());
  sim_->RunFor(1ms);
  EXPECT_EQ(Receive(url_).size(), 1u);
}

TEST_F(SendMessageTest, QueueDelayAppliesWhenMessageGivesNone) {
  const std::string slow = MakeQueue("slow", {{"DelaySeconds", "10"}});
  Send(slow, "x");
  EXPECT_TRUE(Receive(slow).empty());
  sim_->RunFor(10s);
  EXPECT_EQ(Receive(slow).size(), 1u);
}

TEST_F(SendMessageTest, PerMessageDelayOverridesQueueDelayIncludingZero) {
  const std::string slow = MakeQueue("slow", {{"DelaySeconds", "10"}});
  ASSERT_THAT(sim_->SendMessage({.queue_url = slow, .message_body = "x", .delay_seconds = 0}),
              IsOk());
  EXPECT_EQ(Receive(slow).size(), 1u);
}

TEST_F(SendMessageTest, ChangingQueueDelayIsNotRetroactiveOnStandardQueues) {
  const std::string slow = MakeQueue("slow", {{"DelaySeconds", "10"}});
  Send(slow, "x");
  ASSERT_THAT(sim_->SetQueueAttributes({.queue_url = slow, .attributes = {{"DelaySeconds", "0"}}}),
              IsOk());
  EXPECT_TRUE(Receive(slow).empty());
  sim_->RunFor(10s);
  EXPECT_EQ(Receive(slow).size(), 1u);
}

TEST_F(SendMessageTest, DeduplicationIdOnStandardQueueIsInvalidParameterValue) {
  EXPECT_THAT(
      sim_->SendMessage({.queue_url = url_, .message_body = "x", .message_deduplication_id = "d1"}),
      StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("not valid for this queue type")));
}

TEST_F(SendMessageTest, GroupIdOnStandardQueueIsValidatedAndReturnedAsFairQueueTenant) {
  EXPECT_THAT(
      sim_->SendMessage({.queue_url = url_, .message_body = "x", .message_group_id = "has space"}),
      StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("MessageGroupId")));
  ASSERT_THAT(
      sim_->SendMessage({.queue_url = url_, .message_body = "x", .message_group_id = "tenant-1"}),
      IsOk());
  std::vector<Message> got = Receive(url_);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attributes["MessageGroupId"], "tenant-1");
  EXPECT_FALSE(got[0].attributes.contains("SequenceNumber"));
}

TEST_F(SendMessageTest, InvalidAttributeIsRejectedAndNothingIsStored) {
  auto sent = sim_->SendMessage(
      {.queue_url = url_,
       .message_body = "x",
       .message_attributes = {{"AWS.reserved", {.string_value = "v", .data_type = "String"}}}});
  EXPECT_THAT(sent, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(url_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(SendMessageTest, SystemAttributeOtherThanTraceHeaderIsRejected) {
  EXPECT_THAT(sim_->SendMessage(
                  {.queue_url = url_,
                   .message_body = "x",
                   .message_system_attributes = {{"SenderId",
                                                  {.string_value = "me", .data_type = "String"}}}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(SendMessageTest, SentMessageCarriesSentTimestampAndSenderId) {
  sim_->RunFor(1500ms);
  Send(url_, "x");
  std::vector<Message> got = Receive(url_);
  ASSERT_EQ(got.size(), 1u);
  const int64_t expected_ms = ToEpochMillis(sim_->options().start_time) + 1500;
  EXPECT_EQ(got[0].attributes["SentTimestamp"], std::to_string(expected_ms));
  EXPECT_EQ(got[0].attributes["SenderId"], sim_->options().sender_id);
}

TEST_F(SendMessageTest, MessagesAreDeliveredInSendOrderInExactMode) {
  for (int i = 0; i < 5; ++i) Send(url_, "m" + std::to_string(i));
  std::vector<Message> got = Receive(url_, 10);
  std::vector<std::string> bodies;
  for (const Message& m : got) bodies.push_back(m.body);
  EXPECT_THAT(bodies, ElementsAre("m0", "m1", "m2", "m3", "m4"));
}

}  // namespace
}  // namespace sqsim
