// ReceiveMessage: parameters, long polling in virtual time, attribute
// selection, receive counts and the in-flight limit.

#include <boost/asio/co_spawn.hpp>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::UnorderedElementsAre;

class ReceiveMessageTest : public SimulatorTest {
 protected:
  std::string url_ = MakeQueue("events");
};

TEST_F(ReceiveMessageTest, MaxNumberOfMessagesOutsideOneToTenIsInvalidParameterValue) {
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .max_number_of_messages = 11}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be "
                       "between 1 and 10, if provided."));
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .max_number_of_messages = 0}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(ReceiveMessageTest, WaitTimeOutsideZeroToTwentyIsInvalidParameterValue) {
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .wait_time_seconds = 21}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 "
                       "and <= 20, if provided."));
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .wait_time_seconds = -1}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(ReceiveMessageTest, VisibilityTimeoutOutOfRangeIsInvalidParameterValue) {
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .visibility_timeout = 43201}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ReceiveMessage({.queue_url = url_, .visibility_timeout = -1}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(ReceiveMessageTest, ReturnsAtMostMaxNumberOfMessagesAndOneByDefault) {
  for (int i = 0; i < 15; ++i) Send(url_, "m");
  auto one = sim_->ReceiveMessage({.queue_url = url_});
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->messages.size(), 1u);
  EXPECT_EQ(Receive(url_, 10).size(), 10u);
  EXPECT_EQ(Receive(url_, 10).size(), 4u);
}

TEST_F(ReceiveMessageTest, EmptyQueueShortPollReturnsNothingWithoutMovingTime) {
  const Timestamp before = sim_->Now();
  EXPECT_THAT(Receive(url_), IsEmpty());
  EXPECT_EQ(sim_->Now(), before);
}

TEST_F(ReceiveMessageTest, LongPollOnEmptyQueueWaitsTheFullWaitInVirtualTime) {
  const Timestamp before = sim_->Now();
  auto got = sim_->ReceiveMessage({.queue_url = url_, .wait_time_seconds = 20});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(got->messages, IsEmpty());
  EXPECT_EQ(sim_->Now() - before, Duration(20s));
}

TEST_F(ReceiveMessageTest, LongPollReturnsAsSoonAsDelayedMessageBecomesVisible) {
  ASSERT_THAT(sim_->SendMessage({.queue_url = url_, .message_body = "late", .delay_seconds = 7}),
              IsOk());
  const Timestamp before = sim_->Now();
  auto got = sim_->ReceiveMessage(
      {.queue_url = url_, .max_number_of_messages = 10, .wait_time_seconds = 20});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "late");
  EXPECT_EQ(sim_->Now() - before, Duration(7s));
}

TEST_F(ReceiveMessageTest, LongPollReturnsWhenInFlightMessageTimesOut) {
  Send(url_, "x");
  ASSERT_EQ(Receive(url_, 1, 12).size(), 1u);
  const Timestamp before = sim_->Now();
  auto got = sim_->ReceiveMessage({.queue_url = url_, .wait_time_seconds = 20});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(sim_->Now() - before, Duration(12s));
}

TEST_F(ReceiveMessageTest, QueueReceiveWaitTimeMakesPlainReceiveALongPoll) {
  const std::string waiting = MakeQueue("waiting", {{"ReceiveMessageWaitTimeSeconds", "5"}});
  const Timestamp before = sim_->Now();
  ASSERT_THAT(sim_->ReceiveMessage({.queue_url = waiting}), IsOk());
  EXPECT_EQ(sim_->Now() - before, Duration(5s));
}

TEST_F(ReceiveMessageTest, ExplicitZeroWaitOverridesQueueDefault) {
  const std::string waiting = MakeQueue("waiting", {{"ReceiveMessageWaitTimeSeconds", "5"}});
  const Timestamp before = sim_->Now();
  ASSERT_THAT(sim_->ReceiveMessage({.queue_url = waiting, .wait_time_seconds = 0}), IsOk());
  EXPECT_EQ(sim_->Now(), before);
}

TEST_F(ReceiveMessageTest, LongPollIsWokenBySendFromAnotherActor) {
  Simulator* sim = sim_.get();
  const std::string url = url_;
  sim_->Spawn([](Simulator* sim, std::string url) -> boost::asio::awaitable<void> {
    co_await sim->env().Sleep(3s);
    SendMessageRequest send{.queue_url = url, .message_body = "ping"};
    auto sent = co_await sim->AsyncSendMessage(send);
    EXPECT_THAT(sent, IsOk());
  }(sim, url));
  const Timestamp before = sim_->Now();
  auto got = sim_->ReceiveMessage({.queue_url = url_, .wait_time_seconds = 20});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "ping");
  EXPECT_EQ(sim_->Now() - before, Duration(3s));
}

TEST_F(ReceiveMessageTest, ApproximateReceiveCountIsOneOnFirstReceiveAndCountsEveryReceive) {
  Send(url_, "x");
  for (int expected = 1; expected <= 3; ++expected) {
    std::vector<Message> got = Receive(url_, 1, 0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].attributes["ApproximateReceiveCount"], std::to_string(expected));
  }
}

TEST_F(ReceiveMessageTest, FirstReceiveTimestampIsSetOnceAtTheFirstReceive) {
  Send(url_, "x");
  sim_->RunFor(2s);
  const std::string first_ms = std::to_string(ToEpochMillis(sim_->Now()));
  std::vector<Message> got = Receive(url_, 1, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attributes["ApproximateFirstReceiveTimestamp"], first_ms);
  sim_->RunFor(5s);
  got = Receive(url_, 1, 0);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attributes["ApproximateFirstReceiveTimestamp"], first_ms);
}

TEST_F(ReceiveMessageTest, NoSystemAttributesUnlessRequested) {
  Send(url_, "x");
  auto got = sim_->ReceiveMessage({.queue_url = url_});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(got->messages[0].attributes, IsEmpty());
  EXPECT_EQ(got->messages[0].md5_of_body, "9dd4e461268c8034f5c8564e155c67a6");
}

TEST_F(ReceiveMessageTest, SelectedSystemAttributesOnly) {
  Send(url_, "x");
  auto got = sim_->ReceiveMessage(
      {.queue_url = url_, .message_system_attribute_names = {"SentTimestamp", "Nonsense"}});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(got->messages[0].attributes, ElementsAre(Key("SentTimestamp")));
}

TEST_F(ReceiveMessageTest, DeprecatedAttributeNamesStillSelectSystemAttributes) {
  Send(url_, "x");
  auto got = sim_->ReceiveMessage({.queue_url = url_, .attribute_names = {"SenderId"}});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(got->messages[0].attributes, ElementsAre(Key("SenderId")));
}

TEST_F(ReceiveMessageTest, MessageSystemAttributeNamesWinOverAttributeNames) {
  Send(url_, "x");
  auto got = sim_->ReceiveMessage({.queue_url = url_,
                                   .attribute_names = {"SenderId"},
                                   .message_system_attribute_names = {"All"}});
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_THAT(
      got->messages[0].attributes,
      UnorderedElementsAre(Key("SenderId"), Key("SentTimestamp"), Key("ApproximateReceiveCount"),
                           Key("ApproximateFirstReceiveTimestamp")));
}

class MessageAttributeSelectionTest : public ReceiveMessageTest {
 protected:
  MessageAttributeSelectionTest() {
    auto sent = sim_->SendMessage(
        {.queue_url = url_,
         .message_body = "x",
         .message_attributes = {{"General", {.string_value = "Kenobi", .data_type = "String"}},
                                {"Hello", {.string_value = "There", .data_type = "String"}},
                                {"Help.Me", {.string_value = "Me", .data_type = "String"}}}});
    EXPECT_THAT(sent, IsOk());
  }

  Message ReceiveWith(std::vector<std::string> names) {
    auto got = sim_->ReceiveMessage(
        {.queue_url = url_, .message_attribute_names = std::move(names), .visibility_timeout = 0});
    EXPECT_THAT(got, IsOk());
    EXPECT_EQ(got->messages.size(), 1u);
    return got->messages.empty() ? Message{} : got->messages[0];
  }
};

TEST_F(MessageAttributeSelectionTest, NoNamesReturnNoAttributesAndNoMd5) {
  Message m = ReceiveWith({});
  EXPECT_THAT(m.message_attributes, IsEmpty());
  EXPECT_FALSE(m.md5_of_message_attributes.has_value());
}

TEST_F(MessageAttributeSelectionTest, AllReturnsEveryAttributeWithMd5OverAll) {
  for (const char* all : {"All", ".*", "*"}) {
    Message m = ReceiveWith({all});
    EXPECT_EQ(m.message_attributes.size(), 3u) << all;
    EXPECT_EQ(m.md5_of_message_attributes, "4c360f3fdafd970e05fae2f149d997f5") << all;
  }
}

TEST_F(MessageAttributeSelectionTest, PrefixSelectsMatchingNamesAndMd5CoversOnlyThem) {
  Message m = ReceiveWith({"Hel.*"});
  EXPECT_THAT(m.message_attributes, ElementsAre(Key("Hello"), Key("Help.Me")));
  Message exact = ReceiveWith({"General", "Hello"});
  EXPECT_EQ(exact.md5_of_message_attributes, "fca026605781cb4126a1e9044df24232");
}

TEST_F(MessageAttributeSelectionTest, NamesThatMatchNothingReturnNoAttributesAndNoMd5) {
  Message m = ReceiveWith({"Nope", "AWS."});
  EXPECT_THAT(m.message_attributes, IsEmpty());
  EXPECT_FALSE(m.md5_of_message_attributes.has_value());
}

TEST(ReceiveInFlightLimit, ShortPollAtLimitFailsWithOverLimit) {
  SimulatorOptions options = SimulatorOptions::Exact();
  options.limits.max_inflight_standard = 3;
  auto sim = Simulator::Create(options).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "m"}), IsOk());
  }
  auto first = sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->messages.size(), 3u);
  auto over = sim->ReceiveMessage({.queue_url = url});
  ASSERT_THAT(over, StatusIs(ErrorCode::kOverLimit));
  EXPECT_EQ(over.status().http_status(), 403);
}

TEST(ReceiveInFlightLimit, LongPollAtLimitReturnsNothingWithoutError) {
  SimulatorOptions options = SimulatorOptions::Exact();
  options.limits.max_inflight_standard = 1;
  auto sim = Simulator::Create(options).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "a"}), IsOk());
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "b"}), IsOk());
  ASSERT_THAT(sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 600}), IsOk());
  auto waited = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 2});
  ASSERT_THAT(waited, IsOk());
  EXPECT_THAT(waited->messages, IsEmpty());
}

}  // namespace
}  // namespace sqsim
