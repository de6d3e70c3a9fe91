// SnsEngine: Publish and PublishBatch, their validation and the deliveries
// they produce. "recorded": the message matches AWS's answer in localstack's
// AWS-validated snapshots.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sns/topic_engine.h"
#include "sqsim/random.h"

namespace sqsim::sns::internal {
namespace topic_engine_publish_test {

constexpr char kTopic[] = "arn:aws:sns:us-east-1:111111111111:t";
constexpr char kFifoTopic[] = "arn:aws:sns:us-east-1:111111111111:t.fifo";
constexpr char kQueue[] = "arn:aws:sqs:us-east-1:111111111111:q";
constexpr char kFifoQueue[] = "arn:aws:sqs:us-east-1:111111111111:q.fifo";

// 2012-05-02T00:54:06.655Z
const Timestamp kNow{std::chrono::seconds(1335920046) + std::chrono::milliseconds(655)};

class SnsPublish : public ::testing::Test {
 protected:
  SnsPublish()
      : engine_(SnsEngineOptions{.account_id = "111111111111", .region = "us-east-1"},
                std::make_unique<SeededRng>(11)) {
    SQSIM_ASSERT(engine_.CreateTopic({.name = "t"}).ok(), "topic");
    SQSIM_ASSERT(engine_
                     .CreateTopic({.name = "t.fifo",
                                   .attributes = {{"FifoTopic", "true"},
                                                  {"ContentBasedDeduplication", "true"}}})
                     .ok(),
                 "fifo topic");
    SQSIM_ASSERT(
        engine_.CreateTopic({.name = "plain.fifo", .attributes = {{"FifoTopic", "true"}}}).ok(),
        "fifo topic without content-based deduplication");
  }

  std::string Subscribe(const std::string& topic, const std::string& endpoint,
                        SubscriptionAttributeMap attributes = {}) {
    auto result = engine_.Subscribe(
        {.topic_arn = topic, .protocol = "sqs", .endpoint = endpoint, .attributes = attributes});
    SQSIM_ASSERT(result.ok(), "subscribe");
    return result->subscription_arn;
  }

  std::vector<Delivery> PublishPlain(PublishRequest request) {
    auto result = engine_.Publish(request, kNow);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->deliveries : std::vector<Delivery>{};
  }

  Status PublishError(PublishRequest request) { return engine_.Publish(request, kNow).status(); }

  static void ExpectError(const Status& status, ErrorCode code, const std::string& message) {
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_EQ(status.message(), message);
  }

  SnsEngine engine_;
};

TEST_F(SnsPublish, DeliversEnvelopeToSqsSubscription) {
  const std::string sub = Subscribe(kTopic, kQueue);
  auto result = engine_.Publish({.topic_arn = kTopic, .message = "Test msg"}, kNow);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->deliveries.size(), 1u);
  const Delivery& d = result->deliveries[0];
  EXPECT_EQ(d.subscription_arn, sub);
  EXPECT_EQ(d.endpoint, kQueue);
  EXPECT_EQ(d.message_id, result->response.message_id);
  EXPECT_FALSE(result->response.sequence_number);
  EXPECT_TRUE(
      d.body.starts_with("{\n  \"Type\" : \"Notification\",\n  \"MessageId\" : \"" +
                         result->response.message_id + "\",\n  \"TopicArn\" : \"" + kTopic +
                         "\",\n  \"Message\" : \"Test msg\",\n  \"Timestamp\" : "
                         "\"2012-05-02T00:54:06.655Z\",\n  \"SignatureVersion\" : \"1\",\n"))
      << d.body;
  EXPECT_TRUE(
      d.body.ends_with("\"UnsubscribeURL\" : \"https://sns.us-east-1.amazonaws.com/"
                       "?Action=Unsubscribe&SubscriptionArn=" +
                       sub + "\"\n}"));
  EXPECT_TRUE(d.sqs_message_attributes.empty());
  EXPECT_FALSE(d.message_group_id);
}

TEST_F(SnsPublish, EnvelopeUsesTopicSignatureVersionAndGivenEndpoint) {
  SnsEngine engine(SnsEngineOptions{.region = "eu-west-1", .endpoint = "http://localhost:4566"},
                   std::make_unique<SeededRng>(1));
  const std::string topic =
      engine.CreateTopic({.name = "t", .attributes = {{"SignatureVersion", "2"}}})->topic_arn;
  ASSERT_TRUE(engine
                  .Subscribe({.topic_arn = topic,
                              .protocol = "sqs",
                              .endpoint = "arn:aws:sqs:eu-west-1:000000000000:q"})
                  .ok());
  const std::string body =
      engine.Publish({.topic_arn = topic, .message = "m"}, kNow)->deliveries[0].body;
  EXPECT_NE(body.find("\"SignatureVersion\" : \"2\""), std::string::npos);
  EXPECT_NE(body.find("\"SigningCertURL\" : \"http://localhost:4566/SimpleNotificationService-"),
            std::string::npos);
  EXPECT_NE(body.find("\"UnsubscribeURL\" : \"http://localhost:4566/?Action=Unsubscribe"),
            std::string::npos);
}

TEST_F(SnsPublish, EnvelopeCarriesSubjectAndAttributes) {
  Subscribe(kTopic, kQueue);
  const std::vector<Delivery> d = PublishPlain(
      {.topic_arn = kTopic,
       .message = "m",
       .subject = "Hi",
       .message_attributes = {{"attr1", {.data_type = "Number", .string_value = "100.12"}}}});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].body.find("\"TopicArn\" : \"" + std::string(kTopic) +
                           "\",\n  \"Subject\" : \"Hi\",\n  \"Message\" : \"m\""),
            std::string::npos);
  EXPECT_NE(d[0].body.find("\"MessageAttributes\" : {\n    \"attr1\" : "
                           "{\"Type\":\"Number\",\"Value\":\"100.12\"}\n  }\n}"),
            std::string::npos);
  EXPECT_TRUE(d[0].sqs_message_attributes.empty());
}

TEST_F(SnsPublish, RawDeliverySendsMessageAndSqsAttributes) {  // recorded shape
  Subscribe(kTopic, kQueue, {{"RawMessageDelivery", "true"}});
  const std::vector<Delivery> d = PublishPlain(
      {.topic_arn = kTopic,
       .message = "Test msg",
       .message_attributes = {{"attr1", {.data_type = "Number", .string_value = "99.12"}}}});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].body, "Test msg");
  ASSERT_EQ(d[0].sqs_message_attributes.size(), 1u);
  EXPECT_EQ(d[0].sqs_message_attributes.at("attr1"),
            (sqsim::MessageAttributeValue{.string_value = "99.12", .data_type = "Number"}));
  EXPECT_FALSE(d[0].client_error);
}

TEST_F(SnsPublish, RawDeliveryOfMoreThanTenAttributesIsAClientError) {
  Subscribe(kTopic, kQueue, {{"RawMessageDelivery", "true"}});
  MessageAttributeMap attributes;
  for (int i = 0; i < 11; ++i) {
    attributes["a" + std::to_string(i)] = {.data_type = "String", .string_value = "v"};
  }
  const std::vector<Delivery> d =
      PublishPlain({.topic_arn = kTopic, .message = "m", .message_attributes = attributes});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].client_error);
}

TEST_F(SnsPublish, PendingSubscriptionsGetNothing) {
  ASSERT_TRUE(
      engine_.Subscribe({.topic_arn = kTopic, .protocol = "http", .endpoint = "http://x/"}).ok());
  EXPECT_TRUE(PublishPlain({.topic_arn = kTopic, .message = "m"}).empty());
}

TEST_F(SnsPublish, FilterPolicyOnAttributesSelectsSubscriptions) {
  const std::string paid =
      Subscribe(kTopic, kQueue + std::string("paid"), {{"FilterPolicy", R"({"kind":["paid"]})"}});
  const std::string all = Subscribe(kTopic, kQueue + std::string("all"));
  const std::vector<Delivery> free_course = PublishPlain(
      {.topic_arn = kTopic,
       .message = "m",
       .message_attributes = {{"kind", {.data_type = "String", .string_value = "free"}}}});
  ASSERT_EQ(free_course.size(), 1u);
  EXPECT_EQ(free_course[0].subscription_arn, all);
  const std::vector<Delivery> paid_course = PublishPlain(
      {.topic_arn = kTopic,
       .message = "m",
       .message_attributes = {{"kind", {.data_type = "String", .string_value = "paid"}}}});
  ASSERT_EQ(paid_course.size(), 2u);
  EXPECT_EQ(paid_course[0].subscription_arn, paid);  // creation order
  EXPECT_EQ(paid_course[1].subscription_arn, all);
}

TEST_F(SnsPublish, FilterPolicyOnBodySelectsSubscriptions) {
  Subscribe(kTopic, kQueue,
            {{"FilterPolicyScope", "MessageBody"},
             {"FilterPolicy", R"({"order":{"total":[{"numeric":[">",100]}]}})"}});
  EXPECT_TRUE(PublishPlain({.topic_arn = kTopic, .message = R"({"order":{"total":50}})"}).empty());
  EXPECT_EQ(PublishPlain({.topic_arn = kTopic, .message = R"({"order":{"total":150}})"}).size(),
            1u);
  EXPECT_TRUE(PublishPlain({.topic_arn = kTopic, .message = "not json"}).empty());
}

TEST_F(SnsPublish, DeliveryCarriesDeadLetterTarget) {
  Subscribe(
      kTopic, kQueue,
      {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111111111111:dlq"})"}});
  const std::vector<Delivery> d = PublishPlain({.topic_arn = kTopic, .message = "m"});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].dead_letter_target_arn, "arn:aws:sqs:us-east-1:111111111111:dlq");
}

TEST_F(SnsPublish, FunctionAndLambdaSubscriptionsGetTheEnvelope) {
  ASSERT_TRUE(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = std::string(kFunctionProtocol),
                              .endpoint = "analytics"})
                  .ok());
  ASSERT_TRUE(engine_
                  .Subscribe({.topic_arn = kTopic,
                              .protocol = "lambda",
                              .endpoint = "arn:aws:lambda:us-east-1:111111111111:function:f"})
                  .ok());
  const std::vector<Delivery> d = PublishPlain({.topic_arn = kTopic, .message = "m"});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].protocol, kFunctionProtocol);
  EXPECT_EQ(d[0].endpoint, "analytics");
  EXPECT_TRUE(d[0].body.starts_with("{\n  \"Type\" : \"Notification\""));
  EXPECT_EQ(d[1].protocol, "lambda");
}

TEST_F(SnsPublish, MessageStructureJsonPicksProtocolContent) {
  Subscribe(kTopic, kQueue, {{"RawMessageDelivery", "true"}});
  ASSERT_TRUE(
      engine_.Subscribe({.topic_arn = kTopic, .protocol = "sms", .endpoint = "+15551234567"}).ok());
  const std::vector<Delivery> d =
      PublishPlain({.topic_arn = kTopic,
                    .message = R"({"default":"d","sqs":"for sqs","x":1})",
                    .message_structure = "json"});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].body, "for sqs");
  EXPECT_EQ(d[1].body, "d");
}

TEST_F(SnsPublish, MessageStructureJsonNeedsDefault) {  // recorded
  ExpectError(
      PublishError(
          {.topic_arn = kTopic, .message = R"({"sqs":"test sqs"})", .message_structure = "json"}),
      ErrorCode::kInvalidParameter,
      "Invalid parameter: Message Structure - No default entry in JSON message body");
}

TEST_F(SnsPublish, MessageStructureJsonMustParse) {  // recorded
  ExpectError(PublishError({.topic_arn = kTopic, .message = "{oops", .message_structure = "json"}),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Message Structure - JSON message body failed to parse");
}

TEST_F(SnsPublish, EmptySubjectIsRefused) {  // recorded
  ExpectError(PublishError({.topic_arn = kTopic, .message = "m", .subject = ""}),
              ErrorCode::kInvalidParameter, "Invalid parameter: Subject");
}

TEST_F(SnsPublish, SubjectWithLineBreakOrOver99CharactersIsRefused) {
  EXPECT_EQ(PublishError({.topic_arn = kTopic, .message = "m", .subject = "a\nb"}).code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(
      PublishError({.topic_arn = kTopic, .message = "m", .subject = std::string(100, 's')}).code(),
      ErrorCode::kInvalidParameter);
  EXPECT_TRUE(
      engine_.Publish({.topic_arn = kTopic, .message = "m", .subject = std::string(99, 's')}, kNow)
          .ok());
}

TEST_F(SnsPublish, EmptyMessageIsRefused) {  // recorded
  ExpectError(PublishError({.topic_arn = kTopic, .message = ""}), ErrorCode::kInvalidParameter,
              "Invalid parameter: Empty message");
}

TEST_F(SnsPublish, MessageOver256KiBWithAttributesIsTooLong) {  // recorded
  const MessageAttributeMap attributes = {{"attr1", {.data_type = "Number", .string_value = "1"}}};
  const size_t attribute_bytes = 5 + 6 + 1;
  ExpectError(PublishError({.topic_arn = kTopic,
                            .message = std::string(262144 - attribute_bytes + 1, 'a'),
                            .message_attributes = attributes}),
              ErrorCode::kInvalidParameter, "Invalid parameter: Message too long");
  EXPECT_TRUE(engine_
                  .Publish({.topic_arn = kTopic,
                            .message = std::string(262144 - attribute_bytes, 'a'),
                            .message_attributes = attributes},
                           kNow)
                  .ok());
}

TEST_F(SnsPublish, AttributeValueErrors) {  // recorded
  auto error = [this](MessageAttributeValue value) {
    return PublishError(
        {.topic_arn = kTopic, .message = "m", .message_attributes = {{"attr1", value}}});
  };
  ExpectError(error({.data_type = "String"}), ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' must contain non-empty message attribute value for "
              "message attribute type 'String'.");
  ExpectError(error({.data_type = "Binary"}), ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' must contain non-empty message attribute value for "
              "message attribute type 'Binary'.");
  ExpectError(error({.data_type = "String", .binary_value = "x"}),
              ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' with type 'String' must use field 'String'.");
  ExpectError(error({.data_type = "Number", .binary_value = "x"}),
              ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' with type 'Number' must use field 'String'.");
  ExpectError(error({.data_type = "Binary", .string_value = "x"}),
              ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' with type 'Binary' must use field 'Binary'.");
  ExpectError(error({.data_type = "Other", .string_value = "x"}), ErrorCode::kParameterValueInvalid,
              "The message attribute 'attr1' has an invalid message attribute type, the set of "
              "supported type prefixes is Binary, Number, and String.");
  ExpectError(
      error({.data_type = "", .string_value = "x"}), ErrorCode::kValidationError,
      "1 validation error detected: Value null at 'messageAttributes.attr1.member.dataType' "
      "failed to satisfy constraint: Member must not be null");
  EXPECT_EQ(PublishError({.topic_arn = kTopic,
                          .message = "m",
                          .message_attributes = {{"attr1", {.data_type = "String"}}}})
                .http_status(),
            400);
}

TEST_F(SnsPublish, AttributeNameErrors) {  // recorded
  auto error = [this](const std::string& name) {
    return PublishError(
        {.topic_arn = kTopic,
         .message = "m",
         .message_attributes = {{name, {.data_type = "String", .string_value = "v"}}}});
  };
  ExpectError(error(std::string(257, 'a')), ErrorCode::kParameterValueInvalid,
              "Length of message attribute name must be less than 256 bytes.");
  ExpectError(error("a^b"), ErrorCode::kParameterValueInvalid,
              "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. "
              "Can only include alphanumeric characters, hyphens, underscores, or dots.");
  ExpectError(error(".ab"), ErrorCode::kParameterValueInvalid,
              "Invalid message attribute name starting with character '.' was found.");
  ExpectError(error("ab."), ErrorCode::kParameterValueInvalid,
              "Invalid message attribute name ending with character '.' was found.");
  ExpectError(error("a..b"), ErrorCode::kParameterValueInvalid,
              "Message attribute name can not have successive '.' character.");
}

TEST_F(SnsPublish, MissingTopicIsNotFound) {
  ExpectError(PublishError({.topic_arn = std::string(kTopic) + "x", .message = "m"}),
              ErrorCode::kNotFound, "Topic does not exist");
}

TEST_F(SnsPublish, MalformedTopicArnCountsElements) {  // recorded
  ExpectError(PublishError({.topic_arn = "arn:aws:sns", .message = "m"}),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 3");
}

TEST_F(SnsPublish, TargetArnOfUnknownEndpointIsRefused) {  // recorded
  ExpectError(
      PublishError(
          {.target_arn = "arn:aws:sns:us-east-1:111111111111:endpoint/GCM/app/x", .message = "m"}),
      ErrorCode::kInvalidParameter,
      "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified");
}

TEST_F(SnsPublish, TargetArnMayNameTheTopic) {
  Subscribe(kTopic, kQueue);
  EXPECT_EQ(PublishPlain({.target_arn = kTopic, .message = "m"}).size(), 1u);
}

TEST_F(SnsPublish, InvalidPhoneNumberIsRefused) {  // recorded
  ExpectError(PublishError({.phone_number = "+1a234", .message = "m"}),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: PhoneNumber Reason: +1a234 is not valid to publish to");
}

TEST_F(SnsPublish, FifoTopicNeedsGroupId) {  // recorded
  ExpectError(PublishError({.topic_arn = kFifoTopic, .message = "m"}), ErrorCode::kInvalidParameter,
              "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
}

TEST_F(SnsPublish, FifoTopicWithoutContentDedupNeedsDedupId) {  // recorded
  ExpectError(PublishError({.topic_arn = "arn:aws:sns:us-east-1:111111111111:plain.fifo",
                            .message = "m",
                            .message_group_id = "g"}),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: The topic should either have ContentBasedDeduplication enabled "
              "or MessageDeduplicationId provided explicitly");
}

TEST_F(SnsPublish, StandardTopicRefusesDedupId) {  // recorded
  ExpectError(PublishError({.topic_arn = kTopic, .message = "m", .message_deduplication_id = "d"}),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: MessageDeduplicationId Reason: The request includes "
              "MessageDeduplicationId parameter that is not valid for this topic type");
}

TEST_F(SnsPublish, StandardTopicPassesGroupIdToQueues) {
  Subscribe(kTopic, kQueue);
  const std::vector<Delivery> d =
      PublishPlain({.topic_arn = kTopic, .message = "m", .message_group_id = "tenant-1"});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message_group_id, "tenant-1");
  EXPECT_FALSE(d[0].message_deduplication_id);
}

TEST_F(SnsPublish, FifoIdsGoToFifoQueuesWithContentBasedDedup) {  // recorded hash
  Subscribe(kFifoTopic, kFifoQueue, {{"RawMessageDelivery", "true"}});
  Subscribe(kFifoTopic, kQueue);
  auto result = engine_.Publish({.topic_arn = kFifoTopic,
                                 .message = "Test Message with two attributes",
                                 .message_group_id = "complexMessageGroupId"},
                                kNow);
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->response.sequence_number);
  EXPECT_EQ(result->response.sequence_number->size(), 20u);
  ASSERT_EQ(result->deliveries.size(), 2u);
  EXPECT_EQ(result->deliveries[0].message_group_id, "complexMessageGroupId");
  EXPECT_EQ(result->deliveries[0].message_deduplication_id,
            "47f6d7e2c477469ad670ae3bfee60ed3e79080bb0105fc01a2805a50f8b21358");
  // A standard queue subscribed to a FIFO topic gets neither id.
  EXPECT_FALSE(result->deliveries[1].message_group_id);
  EXPECT_FALSE(result->deliveries[1].message_deduplication_id);
  EXPECT_NE(result->deliveries[1].body.find("\"SequenceNumber\" : \"" +
                                            *result->response.sequence_number + "\""),
            std::string::npos);
}

TEST_F(SnsPublish, ExplicitDedupIdIsPassedOn) {
  Subscribe(kFifoTopic, kFifoQueue);
  const std::vector<Delivery> d = PublishPlain({.topic_arn = kFifoTopic,
                                                .message = "m",
                                                .message_deduplication_id = "dedup-1",
                                                .message_group_id = "g"});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message_deduplication_id, "dedup-1");
}

TEST_F(SnsPublish, FifoDuplicateWithinFiveMinutesIsNotDeliveredAgain) {  // recorded
  Subscribe(kFifoTopic, kFifoQueue);
  const PublishRequest request = {.topic_arn = kFifoTopic, .message = "m", .message_group_id = "g"};
  auto first = engine_.Publish(request, kNow);
  auto again = engine_.Publish(request, kNow + std::chrono::minutes(4));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->response.message_id, first->response.message_id);
  EXPECT_EQ(again->response.sequence_number, first->response.sequence_number);
  EXPECT_TRUE(again->deliveries.empty());
  auto later = engine_.Publish(request, kNow + std::chrono::minutes(5));
  EXPECT_NE(later->response.message_id, first->response.message_id);
  EXPECT_EQ(later->deliveries.size(), 1u);
}

TEST_F(SnsPublish, FifoSequenceNumbersGrow) {
  auto a =
      engine_.Publish({.topic_arn = kFifoTopic, .message = "a", .message_group_id = "g"}, kNow);
  auto b =
      engine_.Publish({.topic_arn = kFifoTopic, .message = "b", .message_group_id = "g"}, kNow);
  EXPECT_LT(*a->response.sequence_number, *b->response.sequence_number);
}

TEST_F(SnsPublish, BatchPublishesEachEntry) {
  Subscribe(kTopic, kQueue);
  auto result = engine_.PublishBatch(
      {.topic_arn = kTopic,
       .publish_batch_request_entries = {{.id = "1", .message = "a"}, {.id = "2", .message = "b"}}},
      kNow);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->response.successful.size(), 2u);
  EXPECT_TRUE(result->response.failed.empty());
  EXPECT_EQ(result->response.successful[0].id, "1");
  ASSERT_EQ(result->deliveries.size(), 2u);
  EXPECT_EQ(result->deliveries[1].message_id, result->response.successful[1].message_id);
}

TEST_F(SnsPublish, BatchOfElevenIsTooMany) {  // recorded
  std::vector<PublishBatchRequestEntry> entries;
  for (int i = 0; i < 11; ++i) entries.push_back({.id = "Id_" + std::to_string(i), .message = "m"});
  const Status status =
      engine_.PublishBatch({.topic_arn = kTopic, .publish_batch_request_entries = entries}, kNow)
          .status();
  ExpectError(status, ErrorCode::kTooManyEntriesInBatchRequest,
              "The batch request contains more entries than permissible.");
  EXPECT_EQ(SnsErrorCode(status.code()), "TooManyEntriesInBatchRequest");
}

TEST_F(SnsPublish, EmptyBatchIsRefused) {
  EXPECT_EQ(engine_.PublishBatch({.topic_arn = kTopic}, kNow).status().code(),
            ErrorCode::kEmptyBatchRequest);
}

TEST_F(SnsPublish, BatchIdsMustBeDistinct) {  // recorded
  ExpectError(engine_
                  .PublishBatch({.topic_arn = kTopic,
                                 .publish_batch_request_entries = {{.id = "1", .message = "m"},
                                                                   {.id = "1", .message = "m"}}},
                                kNow)
                  .status(),
              ErrorCode::kBatchEntryIdsNotDistinct,
              "Two or more batch entries in the request have the same Id.");
}

TEST_F(SnsPublish, BatchIdsMustBeShortAndPlain) {  // recorded
  auto error = [this](const std::string& id) {
    return engine_
        .PublishBatch(
            {.topic_arn = kTopic, .publish_batch_request_entries = {{.id = id, .message = "m"}}},
            kNow)
        .status();
  };
  ExpectError(error("message.id"), ErrorCode::kInvalidBatchEntryId,
              "The Id of a batch entry in the batch request contains an impermissible character: "
              "message.id");
  ExpectError(error(std::string(81, 'a')), ErrorCode::kInvalidBatchEntryId,
              "The Id of a batch entry in the batch request is too long: " + std::string(81, 'a'));
  EXPECT_TRUE(engine_
                  .PublishBatch({.topic_arn = kTopic,
                                 .publish_batch_request_entries = {{.id = std::string(80, 'a'),
                                                                    .message = "m"}}},
                                kNow)
                  .ok());
}

TEST_F(SnsPublish, BatchOver256KiBIsTooLong) {  // recorded
  ExpectError(
      engine_
          .PublishBatch(
              {.topic_arn = kTopic,
               .publish_batch_request_entries = {{.id = "1", .message = std::string(131072, 'a')},
                                                 {.id = "2", .message = std::string(131073, 'b')}}},
              kNow)
          .status(),
      ErrorCode::kBatchRequestTooLong,
      "The length of all the messages put together is more than the limit.");
}

TEST_F(SnsPublish, BatchEntryWithoutDataTypeNamesItsPosition) {  // recorded
  ExpectError(
      engine_
          .PublishBatch({.topic_arn = kTopic,
                         .publish_batch_request_entries =
                             {{.id = "1",
                               .message = "m",
                               .message_attributes = {{"attr1", {.string_value = "v"}}}}}},
                        kNow)
          .status(),
      ErrorCode::kValidationError,
      "1 validation error detected: Value null at "
      "'publishBatchRequestEntries.1.member.messageAttributes.attr1.member.dataType' failed "
      "to satisfy constraint: Member must not be null");
}

TEST_F(SnsPublish, FifoBatchNeedsGroupIds) {  // recorded
  ExpectError(engine_
                  .PublishBatch({.topic_arn = kFifoTopic,
                                 .publish_batch_request_entries = {{.id = "1", .message = "m"}}},
                                kNow)
                  .status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
}

TEST_F(SnsPublish, FifoBatchRepublishReturnsTheSameIds) {  // recorded
  const PublishBatchRequest request = {
      .topic_arn = kFifoTopic,
      .publish_batch_request_entries = {{.id = "1", .message = "a", .message_group_id = "g"},
                                        {.id = "2", .message = "b", .message_group_id = "g"}}};
  auto first = engine_.PublishBatch(request, kNow);
  auto again = engine_.PublishBatch(request, kNow);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(again->response.successful, first->response.successful);
}

}  // namespace topic_engine_publish_test
}  // namespace sqsim::sns::internal
