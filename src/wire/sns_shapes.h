// The wire shape of every SNS request and response struct (sqsim/sns/types.h),
// described once per struct by a `Describe(visitor, value)` overload, after
// the botocore SNS model (API 2010-03-31, query protocol). The four SNS
// query codecs are visitors over these descriptions: form decoding and XML
// encoding on the server (sns_query_server.cc), form encoding and XML
// decoding on the client (sns_query_client.cc), so no direction can drift
// from another.
//
// A visitor provides:
//   v.Member(name, m)             a string or boolean, plain or std::optional.
//   v.Blob(name, m)               a `blob`: raw bytes in the struct, base64 on
//                                 the wire (std::optional<std::string>).
//   v.List(name, m, presence)     a list of strings or described structs.
//   v.Map(name, m, names)         a map of strings or described structs.
// `name` is the member's name in the model, which is also its wire name:
// the SNS model has no `locationName` on structure members.
//
// Unlike SQS's, SNS's lists and maps are not `flattened`: a list wraps its
// items in `member` elements, a map its entries in `entry` elements
//   form  `Tags.member.1.Key=k`, `TagKeys.member.2=k`,
//         `Attributes.entry.1.key=DisplayName&Attributes.entry.1.value=x`,
//         `MessageAttributes.entry.1.Name=a&...entry.1.Value.DataType=String`;
//   XML   `<Topics><member><TopicArn>..</TopicArn></member></Topics>`,
//         `<Attributes><entry><key>..</key><value>..</value></entry></Attributes>`.
// Map keys and values are named `key` and `value`, except in
// MessageAttributeMap, whose model names them `Name` and `Value`.
//
// `S` is deduced const for encoding and non-const for decoding.
//
// Thread safety: stateless functions.

#ifndef SQSIM_WIRE_SNS_SHAPES_H_
#define SQSIM_WIRE_SNS_SHAPES_H_

#include <string_view>
#include <type_traits>

#include "sqsim/sns/types.h"

namespace sqsim::wire::sns_shapes {

// True when `S` is `T` or `const T`.
template <typename S, typename T>
concept ShapeOf = std::is_same_v<std::remove_const_t<S>, T>;

// Whether the model marks a list member required. botocore serialises an
// empty list as `Name=` (no items), so a client that sends a required list
// even when it is empty lets SNS report the emptiness its own way
// (EmptyBatchRequest, ...); an empty optional list is left out.
enum class Presence { kOptional, kRequired };

// The element names of a map's key and value.
struct MapNames {
  std::string_view key = "key";
  std::string_view value = "value";
};
inline constexpr MapNames kAttributeMap{};
inline constexpr MapNames kMessageAttributeMap{"Name", "Value"};

// Whether an action's response has a `<NameResult>` element. The model gives
// an output shape (and so a resultWrapper) to every action but DeleteTopic,
// SetSubscriptionAttributes, SetTopicAttributes and Unsubscribe; TagResource
// and UntagResource have one although it has no members.
template <typename Response>
inline constexpr bool kHasResult = true;
template <>
inline constexpr bool kHasResult<sns::DeleteTopicResponse> = false;
template <>
inline constexpr bool kHasResult<sns::SetSubscriptionAttributesResponse> = false;
template <>
inline constexpr bool kHasResult<sns::SetTopicAttributesResponse> = false;
template <>
inline constexpr bool kHasResult<sns::UnsubscribeResponse> = false;

// Responses without members.
template <typename V, typename S>
requires std::is_empty_v<std::remove_const_t<S>>
void Describe(V& /*v*/, S& /*s*/) {}

// ---- Shared value types --------------------------------------------------------

template <typename V, ShapeOf<sns::MessageAttributeValue> S>
void Describe(V& v, S& s) {
  v.Member("DataType", s.data_type);
  v.Member("StringValue", s.string_value);
  v.Blob("BinaryValue", s.binary_value);
}

template <typename V, ShapeOf<sns::Tag> S>
void Describe(V& v, S& s) {
  v.Member("Key", s.key);
  v.Member("Value", s.value);
}

template <typename V, ShapeOf<sns::Topic> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
}

template <typename V, ShapeOf<sns::Subscription> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
  v.Member("Owner", s.owner);
  v.Member("Protocol", s.protocol);
  v.Member("Endpoint", s.endpoint);
  v.Member("TopicArn", s.topic_arn);
}

template <typename V, ShapeOf<sns::PublishBatchRequestEntry> S>
void Describe(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("Message", s.message);
  v.Member("Subject", s.subject);
  v.Member("MessageStructure", s.message_structure);
  v.Map("MessageAttributes", s.message_attributes, kMessageAttributeMap);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}

template <typename V, ShapeOf<sns::PublishBatchResultEntry> S>
void Describe(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("MessageId", s.message_id);
  v.Member("SequenceNumber", s.sequence_number);
}

template <typename V, ShapeOf<sns::BatchResultErrorEntry> S>
void Describe(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("Code", s.code);
  v.Member("Message", s.message);
  v.Member("SenderFault", s.sender_fault);
}

// ---- Topics ----------------------------------------------------------------------

template <typename V, ShapeOf<sns::CreateTopicRequest> S>
void Describe(V& v, S& s) {
  v.Member("Name", s.name);
  v.Map("Attributes", s.attributes, kAttributeMap);
  v.List("Tags", s.tags, Presence::kOptional);
  v.Member("DataProtectionPolicy", s.data_protection_policy);
}
template <typename V, ShapeOf<sns::CreateTopicResponse> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
}

template <typename V, ShapeOf<sns::DeleteTopicRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
}

template <typename V, ShapeOf<sns::ListTopicsRequest> S>
void Describe(V& v, S& s) {
  v.Member("NextToken", s.next_token);
}
template <typename V, ShapeOf<sns::ListTopicsResponse> S>
void Describe(V& v, S& s) {
  v.List("Topics", s.topics, Presence::kOptional);
  v.Member("NextToken", s.next_token);
}

template <typename V, ShapeOf<sns::GetTopicAttributesRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
}
template <typename V, ShapeOf<sns::GetTopicAttributesResponse> S>
void Describe(V& v, S& s) {
  v.Map("Attributes", s.attributes, kAttributeMap);
}

template <typename V, ShapeOf<sns::SetTopicAttributesRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.Member("AttributeName", s.attribute_name);
  v.Member("AttributeValue", s.attribute_value);
}

// ---- Subscriptions -----------------------------------------------------------------

template <typename V, ShapeOf<sns::SubscribeRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.Member("Protocol", s.protocol);
  v.Member("Endpoint", s.endpoint);
  v.Map("Attributes", s.attributes, kAttributeMap);
  v.Member("ReturnSubscriptionArn", s.return_subscription_arn);
}
template <typename V, ShapeOf<sns::SubscribeResponse> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
}

template <typename V, ShapeOf<sns::UnsubscribeRequest> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
}

template <typename V, ShapeOf<sns::ConfirmSubscriptionRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.Member("Token", s.token);
  v.Member("AuthenticateOnUnsubscribe", s.authenticate_on_unsubscribe);
}
template <typename V, ShapeOf<sns::ConfirmSubscriptionResponse> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
}

template <typename V, ShapeOf<sns::ListSubscriptionsRequest> S>
void Describe(V& v, S& s) {
  v.Member("NextToken", s.next_token);
}
template <typename V, ShapeOf<sns::ListSubscriptionsResponse> S>
void Describe(V& v, S& s) {
  v.List("Subscriptions", s.subscriptions, Presence::kOptional);
  v.Member("NextToken", s.next_token);
}

template <typename V, ShapeOf<sns::ListSubscriptionsByTopicRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.Member("NextToken", s.next_token);
}
template <typename V, ShapeOf<sns::ListSubscriptionsByTopicResponse> S>
void Describe(V& v, S& s) {
  v.List("Subscriptions", s.subscriptions, Presence::kOptional);
  v.Member("NextToken", s.next_token);
}

template <typename V, ShapeOf<sns::GetSubscriptionAttributesRequest> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
}
template <typename V, ShapeOf<sns::GetSubscriptionAttributesResponse> S>
void Describe(V& v, S& s) {
  v.Map("Attributes", s.attributes, kAttributeMap);
}

template <typename V, ShapeOf<sns::SetSubscriptionAttributesRequest> S>
void Describe(V& v, S& s) {
  v.Member("SubscriptionArn", s.subscription_arn);
  v.Member("AttributeName", s.attribute_name);
  v.Member("AttributeValue", s.attribute_value);
}

// ---- Publishing ----------------------------------------------------------------------

template <typename V, ShapeOf<sns::PublishRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.Member("TargetArn", s.target_arn);
  v.Member("PhoneNumber", s.phone_number);
  v.Member("Message", s.message);
  v.Member("Subject", s.subject);
  v.Member("MessageStructure", s.message_structure);
  v.Map("MessageAttributes", s.message_attributes, kMessageAttributeMap);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}
template <typename V, ShapeOf<sns::PublishResponse> S>
void Describe(V& v, S& s) {
  v.Member("MessageId", s.message_id);
  v.Member("SequenceNumber", s.sequence_number);
}

template <typename V, ShapeOf<sns::PublishBatchRequest> S>
void Describe(V& v, S& s) {
  v.Member("TopicArn", s.topic_arn);
  v.List("PublishBatchRequestEntries", s.publish_batch_request_entries, Presence::kRequired);
}
template <typename V, ShapeOf<sns::PublishBatchResponse> S>
void Describe(V& v, S& s) {
  v.List("Successful", s.successful, Presence::kOptional);
  v.List("Failed", s.failed, Presence::kOptional);
}

// ---- Tags ------------------------------------------------------------------------------

template <typename V, ShapeOf<sns::TagResourceRequest> S>
void Describe(V& v, S& s) {
  v.Member("ResourceArn", s.resource_arn);
  v.List("Tags", s.tags, Presence::kRequired);
}

template <typename V, ShapeOf<sns::UntagResourceRequest> S>
void Describe(V& v, S& s) {
  v.Member("ResourceArn", s.resource_arn);
  v.List("TagKeys", s.tag_keys, Presence::kRequired);
}

template <typename V, ShapeOf<sns::ListTagsForResourceRequest> S>
void Describe(V& v, S& s) {
  v.Member("ResourceArn", s.resource_arn);
}
template <typename V, ShapeOf<sns::ListTagsForResourceResponse> S>
void Describe(V& v, S& s) {
  v.List("Tags", s.tags, Presence::kOptional);
}

}  // namespace sqsim::wire::sns_shapes

#endif  // SQSIM_WIRE_SNS_SHAPES_H_
