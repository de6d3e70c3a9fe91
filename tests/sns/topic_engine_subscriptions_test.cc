// SnsEngine: Subscribe, Unsubscribe, ConfirmSubscription, the subscription
// listings and attributes. "recorded": the message matches AWS's answer in
// localstack's AWS-validated snapshots.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "sns/topic_engine.h"
#include "sqsim/random.h"

namespace sqsim::sns::internal {
namespace topic_engine_subscriptions_test {

constexpr char kTopic[] = "arn:aws:sns:us-east-1:111111111111:t";
constexpr char kFifoTopic[] = "arn:aws:sns:us-east-1:111111111111:t.fifo";
constexpr char kQueue[] = "arn:aws:sqs:us-east-1:111111111111:q";

class SnsSubscriptions : public ::testing::Test {
 protected:
  SnsSubscriptions()
      : engine_(SnsEngineOptions{.account_id = "111111111111", .region = "us-east-1"},
                std::make_unique<SeededRng>(3)) {
    SQSIM_ASSERT(engine_.CreateTopic({.name = "t"}).ok(), "topic");
    SQSIM_ASSERT(
        engine_.CreateTopic({.name = "t.fifo", .attributes = {{"FifoTopic", "true"}}}).ok(),
        "fifo topic");
  }

  std::string SubscribeQueue(SubscriptionAttributeMap attributes = {}) {
    auto result = engine_.Subscribe(
        {.topic_arn = kTopic, .protocol = "sqs", .endpoint = kQueue, .attributes = attributes});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->subscription_arn : "";
  }

  Status SetAttribute(const std::string& arn, const std::string& name, const std::string& value) {
    return engine_
        .SetSubscriptionAttributes(
            {.subscription_arn = arn, .attribute_name = name, .attribute_value = value})
        .status();
  }

  SubscriptionAttributeMap Attributes(const std::string& arn) {
    return engine_.GetSubscriptionAttributes({.subscription_arn = arn})->attributes;
  }

  static void ExpectError(const Status& status, ErrorCode code, const std::string& message) {
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(status.message(), message);
  }

  SnsEngine engine_;
};

TEST_F(SnsSubscriptions, SqsInSameAccountIsConfirmedAtOnce) {  // recorded shape
  const std::string arn = SubscribeQueue();
  EXPECT_TRUE(arn.starts_with(std::string(kTopic) + ":"));
  const SubscriptionAttributeMap a = Attributes(arn);
  EXPECT_EQ(a.at("PendingConfirmation"), "false");
  EXPECT_EQ(a.at("ConfirmationWasAuthenticated"), "true");
  EXPECT_EQ(a.at("Protocol"), "sqs");
  EXPECT_EQ(a.at("Endpoint"), kQueue);
  EXPECT_EQ(a.at("RawMessageDelivery"), "false");
  EXPECT_EQ(a.at("Owner"), "111111111111");
  EXPECT_EQ(a.at("TopicArn"), kTopic);
  EXPECT_EQ(a.at("SubscriptionPrincipal"), "arn:aws:iam::111111111111:root");
  EXPECT_FALSE(a.contains("FilterPolicyScope"));
  EXPECT_EQ(
      engine_.GetTopicAttributes({.topic_arn = kTopic})->attributes.at("SubscriptionsConfirmed"),
      "1");
}

TEST_F(SnsSubscriptions, SqsOfAnotherAccountAwaitsConfirmation) {
  auto result = engine_.Subscribe(
      {.topic_arn = kTopic, .protocol = "sqs", .endpoint = "arn:aws:sqs:us-east-1:222222222222:q"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->subscription_arn, "pending confirmation");
}

TEST_F(SnsSubscriptions, HttpStaysPendingUntilConfirmedWithToken) {
  auto result = engine_.Subscribe({.topic_arn = kTopic,
                                   .protocol = "https",
                                   .endpoint = "https://example.com/hook",
                                   .return_subscription_arn = true});
  ASSERT_TRUE(result.ok());
  const std::string arn = result->subscription_arn;
  EXPECT_EQ(Attributes(arn).at("PendingConfirmation"), "true");
  EXPECT_EQ(
      engine_.ListSubscriptionsByTopic({.topic_arn = kTopic})->subscriptions[0].subscription_arn,
      "PendingConfirmation");
  const std::optional<std::string> token = engine_.PendingConfirmationToken(arn);
  ASSERT_TRUE(token);
  auto confirmed = engine_.ConfirmSubscription({.topic_arn = kTopic, .token = *token});
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->subscription_arn, arn);
  EXPECT_EQ(Attributes(arn).at("PendingConfirmation"), "false");
  EXPECT_FALSE(engine_.PendingConfirmationToken(arn));
}

TEST_F(SnsSubscriptions, PendingSubscribeHidesArnWithoutReturnSubscriptionArn) {
  auto result = engine_.Subscribe(
      {.topic_arn = kTopic, .protocol = "http", .endpoint = "http://example.com/"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->subscription_arn, "pending confirmation");
}

TEST_F(SnsSubscriptions, HttpEndpointMustMatchProtocol) {
  EXPECT_EQ(engine_.Subscribe({.topic_arn = kTopic, .protocol = "https", .endpoint = "http://x/"})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(SnsSubscriptions, ConfirmWithMalformedTokenIsInvalidToken) {  // recorded
  ExpectError(engine_.ConfirmSubscription({.topic_arn = kTopic, .token = "randomtoken"}).status(),
              ErrorCode::kInvalidParameter, "Invalid token");
}

TEST_F(SnsSubscriptions, ConfirmWithUnknownTokenIsInvalidParameterToken) {  // recorded
  ExpectError(
      engine_.ConfirmSubscription({.topic_arn = kTopic, .token = std::string(64, 'a')}).status(),
      ErrorCode::kInvalidParameter, "Invalid parameter: Token");
}

TEST_F(SnsSubscriptions, ConfirmWithMalformedTopicIsInvalidParameterTopic) {  // recorded
  ExpectError(engine_.ConfirmSubscription({.topic_arn = "nope", .token = "ab"}).status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: Topic");
}

TEST_F(SnsSubscriptions, UnsupportedProtocolIsRefused) {  // recorded
  ExpectError(engine_.Subscribe({.topic_arn = kTopic, .protocol = "test-protocol", .endpoint = "x"})
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Amazon SNS does not support this protocol string: test-protocol");
}

TEST_F(SnsSubscriptions, SqsEndpointMustBeAnArn) {  // recorded
  ExpectError(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = "sqs",
                              .endpoint = "https://sqs.us-east-1.amazonaws.com/111111111111/q"})
                  .status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: SQS endpoint ARN");
}

TEST_F(SnsSubscriptions, SmsEndpointMustBeE164) {  // recorded
  ExpectError(
      engine_.Subscribe({.topic_arn = kTopic, .protocol = "sms", .endpoint = "+15--551234567"})
          .status(),
      ErrorCode::kInvalidParameter, "Invalid SMS endpoint: +15--551234567");
  EXPECT_TRUE(
      engine_.Subscribe({.topic_arn = kTopic, .protocol = "sms", .endpoint = "+15551234567"}).ok());
}

TEST_F(SnsSubscriptions, SubscribeToMissingTopicIsNotFound) {  // recorded
  ExpectError(
      engine_
          .Subscribe(
              {.topic_arn = std::string(kTopic) + "aaa", .protocol = "sqs", .endpoint = kQueue})
          .status(),
      ErrorCode::kNotFound, "Topic does not exist");
  ExpectError(engine_
                  .Subscribe({.topic_arn = "arn:aws:sns:us-east-1:random",
                              .protocol = "email",
                              .endpoint = "a@example.com"})
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 5");
}

TEST_F(SnsSubscriptions, FifoQueueOnStandardTopicIsRefused) {  // recorded
  ExpectError(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = "sqs",
                              .endpoint = "arn:aws:sqs:us-east-1:111111111111:q.fifo"})
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
              "subscribed to standard SNS topics");
}

TEST_F(SnsSubscriptions, StandardQueueOnFifoTopicIsAccepted) {  // recorded
  EXPECT_TRUE(
      engine_.Subscribe({.topic_arn = kFifoTopic, .protocol = "sqs", .endpoint = kQueue}).ok());
}

TEST_F(SnsSubscriptions, FifoTopicTakesOnlySqs) {
  EXPECT_EQ(engine_
                .Subscribe({.topic_arn = kFifoTopic,
                            .protocol = "lambda",
                            .endpoint = "arn:aws:lambda:us-east-1:111111111111:function:f"})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(SnsSubscriptions, FunctionProtocolIsConfirmedAtOnce) {
  auto result = engine_.Subscribe(
      {.topic_arn = kTopic, .protocol = std::string(kFunctionProtocol), .endpoint = "analytics"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Attributes(result->subscription_arn).at("PendingConfirmation"), "false");
}

TEST_F(SnsSubscriptions, SubscribeIsIdempotent) {  // recorded
  const std::string arn = SubscribeQueue({{"RawMessageDelivery", "True"}});
  EXPECT_EQ(SubscribeQueue({{"RawMessageDelivery", "true"}}), arn);
  EXPECT_EQ(
      SubscribeQueue({{"RawMessageDelivery", "true"}, {"FilterPolicyScope", "MessageAttributes"}}),
      arn);
  EXPECT_EQ(SubscribeQueue(), arn);
  EXPECT_EQ(SubscribeQueue({{"FilterPolicyScope", "MessageAttributes"}}), arn);
  EXPECT_EQ(engine_.ListSubscriptions({})->subscriptions.size(), 1u);
}

TEST_F(SnsSubscriptions, SubscribeWithDifferentAttributesFails) {  // recorded
  SubscribeQueue({{"RawMessageDelivery", "true"}});
  ExpectError(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = "sqs",
                              .endpoint = kQueue,
                              .attributes = {{"RawMessageDelivery", "false"},
                                             {"FilterPolicyScope", "MessageBody"}}})
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Attributes Reason: Subscription already exists with different "
              "attributes");
}

TEST_F(SnsSubscriptions, SubscribeWithBadRawValueIsRefused) {  // recorded
  ExpectError(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = "sqs",
                              .endpoint = kQueue,
                              .attributes = {{"RawMessageDelivery", "wrongvalue"}}})
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value "
              "[wrongvalue]. Must be true or false.");
}

TEST_F(SnsSubscriptions, SetUnknownAttributeIsRefused) {  // recorded
  const std::string arn = SubscribeQueue();
  ExpectError(SetAttribute(arn, "FakeAttribute", "test-value"), ErrorCode::kInvalidParameter,
              "Invalid parameter: AttributeName");
}

TEST_F(SnsSubscriptions, SetRawMessageDeliveryValidatesValue) {  // recorded
  const std::string arn = SubscribeQueue();
  ExpectError(SetAttribute(arn, "RawMessageDelivery", "test-ValUe"), ErrorCode::kInvalidParameter,
              "Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or "
              "false.");
  ExpectError(SetAttribute(arn, "RawMessageDelivery", ""), ErrorCode::kInvalidParameter,
              "Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false.");
  ASSERT_TRUE(SetAttribute(arn, "RawMessageDelivery", "TRUE").ok());
  EXPECT_EQ(Attributes(arn).at("RawMessageDelivery"), "true");
}

TEST_F(SnsSubscriptions, RawDeliveryOnlyForProtocolsThatSupportIt) {
  auto result = engine_.Subscribe({.topic_arn = kTopic,
                                   .protocol = "lambda",
                                   .endpoint = "arn:aws:lambda:us-east-1:111111111111:function:f"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(SetAttribute(result->subscription_arn, "RawMessageDelivery", "true").code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(SnsSubscriptions, RedrivePolicyNeedsAnArn) {  // recorded
  const std::string arn = SubscribeQueue();
  ExpectError(SetAttribute(arn, "RedrivePolicy", R"({"deadLetterTargetArn": "fake-arn"})"),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn");
}

TEST_F(SnsSubscriptions, RedrivePolicyMustBeJson) {  // recorded prefix
  const std::string arn = SubscribeQueue();
  const Status status = SetAttribute(arn, "RedrivePolicy", "{invalidjson}");
  EXPECT_EQ(status.code(), ErrorCode::kInvalidParameter);
  EXPECT_TRUE(
      status.message().starts_with("Invalid parameter: RedrivePolicy: failed to parse JSON."));
}

TEST_F(SnsSubscriptions, RedrivePolicyIsStoredAsSet) {
  const std::string arn = SubscribeQueue();
  const std::string policy = R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111111111111:dlq"})";
  ASSERT_TRUE(SetAttribute(arn, "RedrivePolicy", policy).ok());
  EXPECT_EQ(Attributes(arn).at("RedrivePolicy"), policy);
}

TEST_F(SnsSubscriptions, FifoSubscriptionNeedsFifoDeadLetterQueue) {  // recorded
  auto sub = engine_.Subscribe({.topic_arn = kFifoTopic,
                                .protocol = "sqs",
                                .endpoint = "arn:aws:sqs:us-east-1:111111111111:q.fifo"});
  ASSERT_TRUE(sub.ok());
  ExpectError(SetAttribute(sub->subscription_arn, "RedrivePolicy",
                           R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111111111111:dlq"})"),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO "
              "Subscription to a FIFO Topic.");
  EXPECT_TRUE(
      SetAttribute(sub->subscription_arn, "RedrivePolicy",
                   R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111111111111:dlq.fifo"})")
          .ok());
}

TEST_F(SnsSubscriptions, FilterPolicyIsShownWithItsScope) {
  const std::string arn = SubscribeQueue({{"FilterPolicy", R"({"kind":["paid"]})"}});
  const SubscriptionAttributeMap a = Attributes(arn);
  EXPECT_EQ(a.at("FilterPolicy"), R"({"kind":["paid"]})");
  EXPECT_EQ(a.at("FilterPolicyScope"), "MessageAttributes");
  ASSERT_TRUE(SetAttribute(arn, "FilterPolicy", "").ok());
  EXPECT_FALSE(Attributes(arn).contains("FilterPolicy"));
}

TEST_F(SnsSubscriptions, InvalidFilterPolicyIsRefusedWithSubscribeWording) {
  const Status status =
      engine_
          .Subscribe({.topic_arn = kTopic,
                      .protocol = "sqs",
                      .endpoint = kQueue,
                      .attributes = {{"FilterPolicy",
                                      R"({"a":[1],"b":[2],"c":[3],"d":[4],"e":[5],"f":[6]})"}}})
          .status();
  ExpectError(status, ErrorCode::kInvalidParameter,
              "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more "
              "than 5 keys");
}

TEST_F(SnsSubscriptions, NestedPolicyNeedsBodyScope) {
  const std::string nested = R"({"order":{"kind":["paid"]}})";
  EXPECT_EQ(engine_
                .Subscribe({.topic_arn = kTopic,
                            .protocol = "sqs",
                            .endpoint = kQueue,
                            .attributes = {{"FilterPolicy", nested}}})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
  const std::string arn =
      SubscribeQueue({{"FilterPolicyScope", "MessageBody"}, {"FilterPolicy", nested}});
  // Switching back to the attributes scope would leave an invalid policy.
  EXPECT_EQ(SetAttribute(arn, "FilterPolicyScope", "MessageAttributes").code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(Attributes(arn).at("FilterPolicyScope"), "MessageBody");
}

TEST_F(SnsSubscriptions, GetAttributesOfMissingSubscriptionIsNotFound) {  // recorded
  ExpectError(
      engine_.GetSubscriptionAttributes({.subscription_arn = std::string(kTopic) + ":x"}).status(),
      ErrorCode::kNotFound, "Subscription does not exist");
}

TEST_F(SnsSubscriptions, UnsubscribeRemovesSubscription) {
  const std::string arn = SubscribeQueue();
  ASSERT_TRUE(engine_.Unsubscribe({.subscription_arn = arn}).ok());
  EXPECT_TRUE(engine_.ListSubscriptions({})->subscriptions.empty());
  EXPECT_EQ(
      engine_.GetTopicAttributes({.topic_arn = kTopic})->attributes.at("SubscriptionsDeleted"),
      "1");
  EXPECT_TRUE(engine_.Unsubscribe({.subscription_arn = arn}).ok());  // already gone
}

TEST_F(SnsSubscriptions, UnsubscribeValidatesArn) {  // recorded
  ExpectError(engine_.Unsubscribe({.subscription_arn = "randomstring"}).status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, "
              "not 1");
  ExpectError(engine_.Unsubscribe({.subscription_arn = "arn:aws:sns:us-east-1:random"}).status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, "
              "not 5");
  ExpectError(engine_.Unsubscribe({.subscription_arn = "arn:aws:sns:us-east-1:111111111111:random"})
                  .status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: SubscriptionId");
  ExpectError(engine_.Unsubscribe({.subscription_arn = ""}).status(), ErrorCode::kInvalidParameter,
              "Invalid parameter: SubscriptionArn Reason: no value for required parameter");
}

TEST_F(SnsSubscriptions, ListSubscriptionsPagesByHundred) {
  for (int i = 0; i < 150; ++i) {
    ASSERT_TRUE(engine_
                    .Subscribe({.topic_arn = kTopic,
                                .protocol = "sqs",
                                .endpoint = std::string(kQueue) + std::to_string(i)})
                    .ok());
  }
  auto first = engine_.ListSubscriptions({});
  ASSERT_EQ(first->subscriptions.size(), 100u);
  EXPECT_EQ(first->subscriptions[0].endpoint, std::string(kQueue) + "0");
  auto second = engine_.ListSubscriptions({.next_token = first->next_token});
  ASSERT_EQ(second->subscriptions.size(), 50u);
  EXPECT_EQ(second->subscriptions[0].endpoint, std::string(kQueue) + "100");
  EXPECT_FALSE(second->next_token);
  auto by_topic = engine_.ListSubscriptionsByTopic({.topic_arn = kTopic});
  ASSERT_EQ(by_topic->subscriptions.size(), 100u);
  EXPECT_EQ(
      engine_.ListSubscriptionsByTopic({.topic_arn = kTopic, .next_token = by_topic->next_token})
          ->subscriptions.size(),
      50u);
}

TEST_F(SnsSubscriptions, ListSubscriptionsByMissingTopicIsNotFound) {
  EXPECT_EQ(
      engine_.ListSubscriptionsByTopic({.topic_arn = std::string(kTopic) + "x"}).status().code(),
      ErrorCode::kNotFound);
}

TEST(SnsDeterminism, SameSeedGivesSameIds) {
  auto run = [](uint64_t seed) {
    SnsEngine engine(SnsEngineOptions{}, std::make_unique<SeededRng>(seed));
    const std::string topic = engine.CreateTopic({.name = "t"})->topic_arn;
    const std::string sub = engine
                                .Subscribe({.topic_arn = topic,
                                            .protocol = "sqs",
                                            .endpoint = "arn:aws:sqs:us-east-1:000000000000:q"})
                                ->subscription_arn;
    const std::string message =
        engine.Publish({.topic_arn = topic, .message = "m"}, Timestamp{})->response.message_id;
    return sub + " " + message;
  };
  EXPECT_EQ(run(1), run(1));
  EXPECT_NE(run(1), run(2));
}

}  // namespace topic_engine_subscriptions_test
}  // namespace sqsim::sns::internal
