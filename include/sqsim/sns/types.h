// One request and one response aggregate per SNS action (API 2010-03-31),
// for the topic, subscription, publish and tag actions sqsim simulates.
//
// Members carry the fields of the botocore SNS model, named after it in
// snake_case (`MessageDeduplicationId` -> `message_deduplication_id`).
// Required members are plain values (an empty string is "missing"); optional
// ones are `std::optional` or empty containers. Maps are ordered, so anything
// derived from them is deterministic. Binary values are raw bytes in
// `std::string`, never base64. Build requests with designated initializers:
//
//   engine.Publish({.topic_arn = arn, .message = "hello",
//                   .message_attributes = {{"kind", {.data_type = "String",
//                                                    .string_value = "a"}}}},
//                  now);
//
// Actions without output in SNS have an empty response struct so that every
// action returns `Result<...Response>` uniformly.
//
// Thread safety: plain values.

#ifndef SQSIM_SNS_TYPES_H_
#define SQSIM_SNS_TYPES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"

namespace sqsim::sns {

// Topic and subscription attributes: name -> value as SNS carries them
// (booleans and numbers as text, policies as JSON text).
using TopicAttributeMap = std::map<std::string, std::string>;
using SubscriptionAttributeMap = std::map<std::string, std::string>;

// SNS's `MessageAttributeValue`. `data_type` is `String`, `Number`, `Binary`
// or `String.Array`, optionally followed by `.label` (`Number.int`). String,
// Number and String.Array values travel in `string_value` (a String.Array as
// its JSON array text), Binary values in `binary_value` (raw bytes).
struct MessageAttributeValue {
  std::string data_type{};
  std::optional<std::string> string_value{};
  std::optional<std::string> binary_value{};

  friend bool operator==(const MessageAttributeValue&, const MessageAttributeValue&) = default;
};
using MessageAttributeMap = std::map<std::string, MessageAttributeValue>;

// A resource tag (`Tag`). SNS carries tags as a list; a key may appear once.
struct Tag {
  std::string key{};
  std::string value{};

  friend bool operator==(const Tag&, const Tag&) = default;
};

// ---- Topics ----------------------------------------------------------------

struct CreateTopicRequest {
  std::string name{};
  TopicAttributeMap attributes{};
  std::vector<Tag> tags{};
  std::optional<std::string> data_protection_policy{};
};
struct CreateTopicResponse {
  std::string topic_arn{};
};

struct DeleteTopicRequest {
  std::string topic_arn{};
};
struct DeleteTopicResponse {};

struct ListTopicsRequest {
  std::optional<std::string> next_token{};
};
struct Topic {
  std::string topic_arn{};

  friend bool operator==(const Topic&, const Topic&) = default;
};
struct ListTopicsResponse {
  std::vector<Topic> topics{};
  std::optional<std::string> next_token{};
};

struct GetTopicAttributesRequest {
  std::string topic_arn{};
};
struct GetTopicAttributesResponse {
  TopicAttributeMap attributes{};
};

struct SetTopicAttributesRequest {
  std::string topic_arn{};
  std::string attribute_name{};
  std::optional<std::string> attribute_value{};
};
struct SetTopicAttributesResponse {};

// ---- Subscriptions ---------------------------------------------------------

struct SubscribeRequest {
  std::string topic_arn{};
  std::string protocol{};
  std::optional<std::string> endpoint{};
  SubscriptionAttributeMap attributes{};
  std::optional<bool> return_subscription_arn{};
};
struct SubscribeResponse {
  // The subscription's ARN, or "pending confirmation" for a subscription that
  // awaits confirmation when ReturnSubscriptionArn was not true.
  std::string subscription_arn{};
};

struct UnsubscribeRequest {
  std::string subscription_arn{};
};
struct UnsubscribeResponse {};

struct ConfirmSubscriptionRequest {
  std::string topic_arn{};
  std::string token{};
  std::optional<std::string> authenticate_on_unsubscribe{};
};
struct ConfirmSubscriptionResponse {
  std::string subscription_arn{};
};

// One entry of ListSubscriptions(ByTopic) (`Subscription`). A subscription
// pending confirmation lists "PendingConfirmation" as its ARN, as SNS does.
struct Subscription {
  std::string subscription_arn{};
  std::string owner{};
  std::string protocol{};
  std::string endpoint{};
  std::string topic_arn{};

  friend bool operator==(const Subscription&, const Subscription&) = default;
};

struct ListSubscriptionsRequest {
  std::optional<std::string> next_token{};
};
struct ListSubscriptionsResponse {
  std::vector<Subscription> subscriptions{};
  std::optional<std::string> next_token{};
};

struct ListSubscriptionsByTopicRequest {
  std::string topic_arn{};
  std::optional<std::string> next_token{};
};
struct ListSubscriptionsByTopicResponse {
  std::vector<Subscription> subscriptions{};
  std::optional<std::string> next_token{};
};

struct GetSubscriptionAttributesRequest {
  std::string subscription_arn{};
};
struct GetSubscriptionAttributesResponse {
  SubscriptionAttributeMap attributes{};
};

struct SetSubscriptionAttributesRequest {
  std::string subscription_arn{};
  std::string attribute_name{};
  std::optional<std::string> attribute_value{};
};
struct SetSubscriptionAttributesResponse {};

// ---- Publishing ------------------------------------------------------------

struct PublishRequest {
  std::optional<std::string> topic_arn{};
  std::optional<std::string> target_arn{};
  std::optional<std::string> phone_number{};
  std::string message{};
  std::optional<std::string> subject{};
  std::optional<std::string> message_structure{};
  MessageAttributeMap message_attributes{};
  std::optional<std::string> message_deduplication_id{};
  std::optional<std::string> message_group_id{};
};
struct PublishResponse {
  std::string message_id{};
  std::optional<std::string> sequence_number{};  // FIFO topics only
};

struct PublishBatchRequestEntry {
  std::string id{};
  std::string message{};
  std::optional<std::string> subject{};
  std::optional<std::string> message_structure{};
  MessageAttributeMap message_attributes{};
  std::optional<std::string> message_deduplication_id{};
  std::optional<std::string> message_group_id{};
};
struct PublishBatchRequest {
  std::string topic_arn{};
  std::vector<PublishBatchRequestEntry> publish_batch_request_entries{};
};
struct PublishBatchResultEntry {
  std::string id{};
  std::string message_id{};
  std::optional<std::string> sequence_number{};

  friend bool operator==(const PublishBatchResultEntry&, const PublishBatchResultEntry&) = default;
};
// One failed entry (`BatchResultErrorEntry`); `code` is SNS's error code.
struct BatchResultErrorEntry {
  std::string id{};
  std::string code{};
  std::optional<std::string> message{};
  bool sender_fault = true;

  friend bool operator==(const BatchResultErrorEntry&, const BatchResultErrorEntry&) = default;
};
struct PublishBatchResponse {
  std::vector<PublishBatchResultEntry> successful{};
  std::vector<BatchResultErrorEntry> failed{};
};

// ---- Tags ------------------------------------------------------------------

struct TagResourceRequest {
  std::string resource_arn{};
  std::vector<Tag> tags{};
};
struct TagResourceResponse {};

struct UntagResourceRequest {
  std::string resource_arn{};
  std::vector<std::string> tag_keys{};
};
struct UntagResourceResponse {};

struct ListTagsForResourceRequest {
  std::string resource_arn{};
};
struct ListTagsForResourceResponse {
  std::vector<Tag> tags{};  // by key
};

// SNS's wire name of an error, as its query protocol writes it in
// <Error><Code>: "NotFound", "InvalidParameter", "ParameterValueInvalid",
// and for the codes SNS shares with SQS SNS's own spelling
// ("TooManyEntriesInBatchRequest", not SQS's
// "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"; "ValidationError").
std::string_view SnsErrorCode(ErrorCode code);

}  // namespace sqsim::sns

#endif  // SQSIM_SNS_TYPES_H_
