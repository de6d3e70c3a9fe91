// SnsEngine: topics, topic attributes, tags, and their errors. Messages
// marked "recorded" match AWS's answers in localstack's AWS-validated
// snapshots (tests/aws/services/sns/test_sns.snapshot.json).

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sns/topic_engine.h"
#include "sqsim/random.h"

namespace sqsim::sns::internal {
namespace topic_engine_topics_test {

constexpr char kArnPrefix[] = "arn:aws:sns:us-east-1:111111111111:";

SnsEngine NewEngine(uint64_t seed = 7) {
  return SnsEngine(SnsEngineOptions{.account_id = "111111111111", .region = "us-east-1"},
                   std::make_unique<SeededRng>(seed));
}

void ExpectError(const Status& status, ErrorCode code, const std::string& message) {
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(status.message(), message);
}

std::string Arn(const std::string& name) { return kArnPrefix + name; }

TEST(SnsTopics, CreateTopicReturnsArnInAccountAndRegion) {
  SnsEngine engine = NewEngine();
  auto created = engine.CreateTopic({.name = "orders"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->topic_arn, Arn("orders"));
}

TEST(SnsTopics, NameOf256CharactersIsValid) {
  SnsEngine engine = NewEngine();
  EXPECT_TRUE(engine.CreateTopic({.name = std::string(256, 'a')}).ok());
}

TEST(SnsTopics, InvalidNamesAreRefused) {  // recorded
  SnsEngine engine = NewEngine();
  const std::vector<std::string> names = {
      "", std::string(257, 'a'), "test.fifo", "bad:name", "bad name", "bad@name"};
  for (const std::string& name : names) {
    ExpectError(engine.CreateTopic({.name = name}).status(), ErrorCode::kInvalidParameter,
                "Invalid parameter: Topic Name");
  }
}

TEST(SnsTopics, FifoTopicNeedsFifoSuffix) {  // recorded
  SnsEngine engine = NewEngine();
  ExpectError(engine.CreateTopic({.name = "test", .attributes = {{"FifoTopic", "true"}}}).status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: Topic Name");
  EXPECT_TRUE(
      engine.CreateTopic({.name = "test.fifo", .attributes = {{"FifoTopic", "true"}}}).ok());
}

TEST(SnsTopics, CreateTopicIsIdempotentWithSameAttributes) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t", .attributes = {{"DisplayName", "Value1"}}}).ok());
  EXPECT_EQ(engine.CreateTopic({.name = "t"})->topic_arn, Arn("t"));
  EXPECT_EQ(engine.CreateTopic({.name = "t", .attributes = {{"DisplayName", "Value1"}}})->topic_arn,
            Arn("t"));
  EXPECT_EQ(engine.CreateTopic({.name = "t", .attributes = {{"FifoTopic", "false"}}})->topic_arn,
            Arn("t"));
}

TEST(SnsTopics, CreateTopicWithDifferentAttributesFails) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t", .attributes = {{"DisplayName", "Value1"}}}).ok());
  const std::string message =
      "Invalid parameter: Attributes Reason: Topic already exists with different attributes";
  ExpectError(engine.CreateTopic({.name = "t", .attributes = {{"DisplayName", "Value2"}}}).status(),
              ErrorCode::kInvalidParameter, message);
  ExpectError(engine.CreateTopic({.name = "t", .attributes = {{"SignatureVersion", "2"}}}).status(),
              ErrorCode::kInvalidParameter, message);
  ExpectError(engine.CreateTopic({.name = "t", .attributes = {{"FifoTopic", "true"}}}).status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: Topic Name");
}

TEST(SnsTopics, CreateTopicWithDifferentTagsFails) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  ExpectError(engine.CreateTopic({.name = "t", .tags = {{"key1", "value1"}}}).status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: Tags Reason: Topic already exists with different tags");
}

TEST(SnsTopics, UnknownAttributeOnCreateIsRefused) {
  SnsEngine engine = NewEngine();
  EXPECT_EQ(engine.CreateTopic({.name = "t", .attributes = {{"Bogus", "1"}}}).status().code(),
            ErrorCode::kInvalidParameter);
}

TEST(SnsTopics, DefaultAttributesOfStandardTopic) {  // recorded shape
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  auto got = engine.GetTopicAttributes({.topic_arn = Arn("t")});
  ASSERT_TRUE(got.ok());
  const TopicAttributeMap& a = got->attributes;
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a.at("DisplayName"), "");
  EXPECT_EQ(a.at("Owner"), "111111111111");
  EXPECT_EQ(a.at("SubscriptionsConfirmed"), "0");
  EXPECT_EQ(a.at("SubscriptionsPending"), "0");
  EXPECT_EQ(a.at("SubscriptionsDeleted"), "0");
  EXPECT_EQ(a.at("TopicArn"), Arn("t"));
  EXPECT_EQ(
      a.at("EffectiveDeliveryPolicy"),
      R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})");
  EXPECT_EQ(
      a.at("Policy"),
      R"({"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"arn:aws:sns:us-east-1:111111111111:t","Condition":{"StringEquals":{"AWS:SourceOwner":"111111111111"}}}]})");
}

TEST(SnsTopics, FifoTopicAttributes) {  // recorded shape
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t.fifo", .attributes = {{"FifoTopic", "true"}}}).ok());
  const TopicAttributeMap a = engine.GetTopicAttributes({.topic_arn = Arn("t.fifo")})->attributes;
  EXPECT_EQ(a.at("FifoTopic"), "true");
  EXPECT_EQ(a.at("ContentBasedDeduplication"), "false");
}

TEST(SnsTopics, GetAttributesOfMissingTopicIsNotFound) {  // recorded
  SnsEngine engine = NewEngine();
  const Status status = engine.GetTopicAttributes({.topic_arn = Arn("missing")}).status();
  ExpectError(status, ErrorCode::kNotFound, "Topic does not exist");
  EXPECT_EQ(status.http_status(), 404);
}

TEST(SnsTopics, MalformedTopicArnCountsElements) {  // recorded
  SnsEngine engine = NewEngine();
  ExpectError(engine.GetTopicAttributes({.topic_arn = "randomstring"}).status(),
              ErrorCode::kInvalidParameter,
              "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1");
}

TEST(SnsTopics, TopicOfAnotherRegionIsInvalidParameter) {  // recorded
  SnsEngine engine = NewEngine();
  ExpectError(
      engine.GetTopicAttributes({.topic_arn = "arn:aws:sns:eu-west-1:111111111111:t"}).status(),
      ErrorCode::kInvalidParameter, "Invalid parameter: TopicArn");
}

TEST(SnsTopics, SetTopicAttributesStoresValue) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  ASSERT_TRUE(
      engine
          .SetTopicAttributes(
              {.topic_arn = Arn("t"), .attribute_name = "DisplayName", .attribute_value = "Shown"})
          .ok());
  EXPECT_EQ(engine.GetTopicAttributes({.topic_arn = Arn("t")})->attributes.at("DisplayName"),
            "Shown");
}

TEST(SnsTopics, SetFifoTopicIsRefused) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  ExpectError(
      engine
          .SetTopicAttributes(
              {.topic_arn = Arn("t"), .attribute_name = "FifoTopic", .attribute_value = "true"})
          .status(),
      ErrorCode::kInvalidParameter, "Invalid parameter: AttributeName");
}

TEST(SnsTopics, ContentBasedDeduplicationOnlyOnFifoTopics) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  EXPECT_EQ(engine
                .SetTopicAttributes({.topic_arn = Arn("t"),
                                     .attribute_name = "ContentBasedDeduplication",
                                     .attribute_value = "true"})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
}

TEST(SnsTopics, InvalidAttributeValuesAreRefused) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"SignatureVersion", "3"},
                                          {"Policy", "{not json"},
                                          {"TracingConfig", "Sometimes"},
                                          {"SQSSuccessFeedbackSampleRate", "101"}}) {
    EXPECT_EQ(engine
                  .SetTopicAttributes(
                      {.topic_arn = Arn("t"), .attribute_name = name, .attribute_value = value})
                  .status()
                  .code(),
              ErrorCode::kInvalidParameter)
        << name;
  }
}

TEST(SnsTopics, DeleteTopicIsIdempotent) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  EXPECT_TRUE(engine.DeleteTopic({.topic_arn = Arn("t")}).ok());
  EXPECT_TRUE(engine.DeleteTopic({.topic_arn = Arn("t")}).ok());
  EXPECT_EQ(engine.GetTopicAttributes({.topic_arn = Arn("t")}).status().code(),
            ErrorCode::kNotFound);
}

TEST(SnsTopics, DeleteTopicDeletesItsSubscriptions) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  auto sub = engine.Subscribe({.topic_arn = Arn("t"),
                               .protocol = "sqs",
                               .endpoint = "arn:aws:sqs:us-east-1:111111111111:q"});
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE(engine.DeleteTopic({.topic_arn = Arn("t")}).ok());
  EXPECT_TRUE(engine.ListSubscriptions({})->subscriptions.empty());
  EXPECT_EQ(
      engine.GetSubscriptionAttributes({.subscription_arn = sub->subscription_arn}).status().code(),
      ErrorCode::kNotFound);
}

TEST(SnsTopics, ListTopicsPagesByHundredInCreationOrder) {
  SnsEngine engine = NewEngine();
  for (int i = 0; i < 250; ++i)
    ASSERT_TRUE(engine.CreateTopic({.name = "t" + std::to_string(i)}).ok());
  auto first = engine.ListTopics({});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->topics.size(), 100u);
  EXPECT_EQ(first->topics.front().topic_arn, Arn("t0"));
  ASSERT_TRUE(first->next_token);
  auto second = engine.ListTopics({.next_token = first->next_token});
  ASSERT_EQ(second->topics.size(), 100u);
  EXPECT_EQ(second->topics.front().topic_arn, Arn("t100"));
  auto third = engine.ListTopics({.next_token = second->next_token});
  ASSERT_EQ(third->topics.size(), 50u);
  EXPECT_EQ(third->topics.back().topic_arn, Arn("t249"));
  EXPECT_FALSE(third->next_token);
}

TEST(SnsTopics, ListTopicsWithExactlyOnePageHasNoToken) {
  SnsEngine engine = NewEngine();
  for (int i = 0; i < 100; ++i)
    ASSERT_TRUE(engine.CreateTopic({.name = "t" + std::to_string(i)}).ok());
  EXPECT_FALSE(engine.ListTopics({})->next_token);
}

TEST(SnsTopics, ListTopicsRefusesForeignToken) {
  SnsEngine engine = NewEngine();
  ExpectError(engine.ListTopics({.next_token = "bogus"}).status(), ErrorCode::kInvalidParameter,
              "Invalid parameter: NextToken");
}

TEST(SnsTags, TagListAndUntag) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  ASSERT_TRUE(
      engine.TagResource({.resource_arn = Arn("t"), .tags = {{"k2", "v2"}, {"k1", "v1"}}}).ok());
  EXPECT_EQ(engine.ListTagsForResource({.resource_arn = Arn("t")})->tags,
            (std::vector<Tag>{{"k1", "v1"}, {"k2", "v2"}}));
  ASSERT_TRUE(engine.UntagResource({.resource_arn = Arn("t"), .tag_keys = {"k1"}}).ok());
  ASSERT_TRUE(engine.TagResource({.resource_arn = Arn("t"), .tags = {{"k2", "v2b"}}}).ok());
  EXPECT_EQ(engine.ListTagsForResource({.resource_arn = Arn("t")})->tags,
            (std::vector<Tag>{{"k2", "v2b"}}));
}

TEST(SnsTags, DuplicateKeysAreRefused) {  // recorded
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  ExpectError(engine
                  .TagResource({.resource_arn = Arn("t"),
                                .tags = {{"k1", "v1"}, {"k2", "v2"}, {"k2", "v2"}}})
                  .status(),
              ErrorCode::kInvalidParameter, "Invalid parameter: Duplicated keys are not allowed.");
}

TEST(SnsTags, MoreThanFiftyTagsExceedTheLimit) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  std::vector<Tag> tags;
  for (int i = 0; i < 50; ++i) tags.push_back({"k" + std::to_string(i), "v"});
  ASSERT_TRUE(engine.TagResource({.resource_arn = Arn("t"), .tags = tags}).ok());
  const Status status =
      engine.TagResource({.resource_arn = Arn("t"), .tags = {{"one-more", "v"}}}).status();
  EXPECT_EQ(status.code(), ErrorCode::kTagLimitExceeded);
  EXPECT_EQ(engine.ListTagsForResource({.resource_arn = Arn("t")})->tags.size(), 50u);
}

TEST(SnsTags, KeyAndValueLengthsAreChecked) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t"}).ok());
  EXPECT_EQ(engine.TagResource({.resource_arn = Arn("t"), .tags = {{"", "v"}}}).status().code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(engine.TagResource({.resource_arn = Arn("t"), .tags = {{std::string(129, 'k'), "v"}}})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(engine.TagResource({.resource_arn = Arn("t"), .tags = {{"k", std::string(257, 'v')}}})
                .status()
                .code(),
            ErrorCode::kInvalidParameter);
  EXPECT_TRUE(engine
                  .TagResource({.resource_arn = Arn("t"),
                                .tags = {{std::string(128, 'k'), std::string(256, 'v')}}})
                  .ok());
}

TEST(SnsTags, UnknownResourceIsResourceNotFound) {
  SnsEngine engine = NewEngine();
  const Status status = engine.ListTagsForResource({.resource_arn = Arn("missing")}).status();
  EXPECT_EQ(status.code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(status.http_status(), 404);
}

TEST(SnsTags, CreateTopicWithTagsTagsIt) {
  SnsEngine engine = NewEngine();
  ASSERT_TRUE(engine.CreateTopic({.name = "t", .tags = {{"team", "a"}}}).ok());
  EXPECT_EQ(engine.ListTagsForResource({.resource_arn = Arn("t")})->tags,
            (std::vector<Tag>{{"team", "a"}}));
  EXPECT_TRUE(engine.CreateTopic({.name = "t", .tags = {{"team", "a"}}}).ok());
}

TEST(SnsErrors, SnsSpellsSharedCodesItsOwnWay) {
  EXPECT_EQ(SnsErrorCode(ErrorCode::kTooManyEntriesInBatchRequest), "TooManyEntriesInBatchRequest");
  EXPECT_EQ(SnsErrorCode(ErrorCode::kBatchRequestTooLong), "BatchRequestTooLong");
  EXPECT_EQ(SnsErrorCode(ErrorCode::kValidationError), "ValidationError");
  EXPECT_EQ(SnsErrorCode(ErrorCode::kNotFound), "NotFound");
  EXPECT_EQ(SnsErrorCode(ErrorCode::kParameterValueInvalid), "ParameterValueInvalid");
  EXPECT_EQ(SnsErrorCode(ErrorCode::kSnsKmsDisabled), "KMSDisabled");
  EXPECT_EQ(GetErrorInfo(ErrorCode::kAuthorizationError).http_status, 403);
  EXPECT_EQ(GetErrorInfo(ErrorCode::kInternalError).http_status, 500);
}

}  // namespace topic_engine_topics_test
}  // namespace sqsim::sns::internal
