// Test data for the SNS query codec tests (sns_query_codec_test.cc and
// sns_query_oracle_test.cc): one full sample request and response per
// action, `Sample<sns::NameRequest>()` / `Sample<sns::NameResponse>()`, and
// their botocore shapes:
//   ToParams(request)   the parameters a boto3 caller passes, in model member
//                       order (botocore serialises in the caller's order);
//   ToParsed(response)  the dictionary botocore's QueryParser reads from our
//                       XML (without ResponseMetadata).
// Binary values are {"$base64": "..."}, as the oracle script expects.
// Comparing these JSON forms is also how the tests compare structs, which
// have no operator==.

#ifndef SQSIM_TESTS_WIRE_SNS_QUERY_SAMPLES_H_
#define SQSIM_TESTS_WIRE_SNS_QUERY_SAMPLES_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "sqsim/sns/types.h"

namespace sqsim::wire::sns_query_samples {

using OrderedJson = nlohmann::ordered_json;

inline constexpr std::string_view kRequestId = "f4e3d2c1-5678-90ab-cdef-EXAMPLE22222";
inline const std::string kTopicArn = "arn:aws:sns:us-east-1:123456789012:orders";
inline const std::string kFifoTopicArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo";
inline const std::string kSubscriptionArn = kTopicArn + ":6b0e71bd-7e97-4d97-80ce-4a0994e55286";
inline const std::string kQueueArn = "arn:aws:sqs:us-east-1:123456789012:inbox";
// Everything the form and XML encodings must carry: separators, escapes,
// markup, CR LF, quotes, non-ASCII (2- and 4-byte UTF-8), tab, trailing space.
inline const std::string kTricky =
    "a <b> & c\r\nd \"q\" 'x' +%=&;/?#[] \xc3\xbc\xf0\x9f\x98\x80\tend ";
inline const std::string kBytes("\x00\x01\xff\xfe+/=", 7);
inline const std::string kPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sns:Publish"}]})";

// ---- botocore shapes of shared types ------------------------------------------------

inline OrderedJson Bytes(std::string_view raw) {
  return {{"$base64", internal::Base64Encode(raw)}};
}

inline OrderedJson StringMap(const std::map<std::string, std::string>& map) {
  OrderedJson out = OrderedJson::object();
  for (const auto& [key, value] : map) out[key] = value;
  return out;
}

inline OrderedJson MessageAttributes(const sns::MessageAttributeMap& map) {
  OrderedJson out = OrderedJson::object();
  for (const auto& [name, value] : map) {
    OrderedJson item = {{"DataType", value.data_type}};
    if (value.string_value) item["StringValue"] = *value.string_value;
    if (value.binary_value) item["BinaryValue"] = Bytes(*value.binary_value);
    out[name] = item;
  }
  return out;
}

inline OrderedJson Tags(const std::vector<sns::Tag>& tags) {
  OrderedJson out = OrderedJson::array();
  for (const sns::Tag& tag : tags) out.push_back({{"Key", tag.key}, {"Value", tag.value}});
  return out;
}

inline OrderedJson Subscriptions(const std::vector<sns::Subscription>& list) {
  OrderedJson out = OrderedJson::array();
  for (const sns::Subscription& s : list) {
    out.push_back({{"SubscriptionArn", s.subscription_arn},
                   {"Owner", s.owner},
                   {"Protocol", s.protocol},
                   {"Endpoint", s.endpoint},
                   {"TopicArn", s.topic_arn}});
  }
  return out;
}

// Adds `name` when set, as boto3 callers omit unset members.
template <typename T>
void Put(OrderedJson& out, const char* name, const std::optional<T>& value) {
  if (value) out[name] = *value;
}
inline void PutMap(OrderedJson& out, const char* name,
                   const std::map<std::string, std::string>& m) {
  if (!m.empty()) out[name] = StringMap(m);
}
inline void PutAttributes(OrderedJson& out, const sns::MessageAttributeMap& map) {
  if (!map.empty()) out["MessageAttributes"] = MessageAttributes(map);
}

// ---- Requests: botocore parameters ------------------------------------------------------

inline OrderedJson ToParams(const sns::ConfirmSubscriptionRequest& r) {
  OrderedJson out = {{"TopicArn", r.topic_arn}, {"Token", r.token}};
  Put(out, "AuthenticateOnUnsubscribe", r.authenticate_on_unsubscribe);
  return out;
}
inline OrderedJson ToParams(const sns::CreateTopicRequest& r) {
  OrderedJson out = {{"Name", r.name}};
  PutMap(out, "Attributes", r.attributes);
  if (!r.tags.empty()) out["Tags"] = Tags(r.tags);
  Put(out, "DataProtectionPolicy", r.data_protection_policy);
  return out;
}
inline OrderedJson ToParams(const sns::DeleteTopicRequest& r) {
  return {{"TopicArn", r.topic_arn}};
}
inline OrderedJson ToParams(const sns::GetSubscriptionAttributesRequest& r) {
  return {{"SubscriptionArn", r.subscription_arn}};
}
inline OrderedJson ToParams(const sns::GetTopicAttributesRequest& r) {
  return {{"TopicArn", r.topic_arn}};
}
inline OrderedJson ToParams(const sns::ListSubscriptionsRequest& r) {
  OrderedJson out = OrderedJson::object();
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParams(const sns::ListSubscriptionsByTopicRequest& r) {
  OrderedJson out = {{"TopicArn", r.topic_arn}};
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParams(const sns::ListTagsForResourceRequest& r) {
  return {{"ResourceArn", r.resource_arn}};
}
inline OrderedJson ToParams(const sns::ListTopicsRequest& r) {
  OrderedJson out = OrderedJson::object();
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParams(const sns::PublishRequest& r) {
  OrderedJson out = OrderedJson::object();
  Put(out, "TopicArn", r.topic_arn);
  Put(out, "TargetArn", r.target_arn);
  Put(out, "PhoneNumber", r.phone_number);
  out["Message"] = r.message;
  Put(out, "Subject", r.subject);
  Put(out, "MessageStructure", r.message_structure);
  PutAttributes(out, r.message_attributes);
  Put(out, "MessageDeduplicationId", r.message_deduplication_id);
  Put(out, "MessageGroupId", r.message_group_id);
  return out;
}
inline OrderedJson ToParams(const sns::PublishBatchRequest& r) {
  OrderedJson entries = OrderedJson::array();
  for (const sns::PublishBatchRequestEntry& e : r.publish_batch_request_entries) {
    OrderedJson entry = {{"Id", e.id}, {"Message", e.message}};
    Put(entry, "Subject", e.subject);
    Put(entry, "MessageStructure", e.message_structure);
    PutAttributes(entry, e.message_attributes);
    Put(entry, "MessageDeduplicationId", e.message_deduplication_id);
    Put(entry, "MessageGroupId", e.message_group_id);
    entries.push_back(entry);
  }
  return {{"TopicArn", r.topic_arn}, {"PublishBatchRequestEntries", entries}};
}
inline OrderedJson ToParams(const sns::SetSubscriptionAttributesRequest& r) {
  OrderedJson out = {{"SubscriptionArn", r.subscription_arn}, {"AttributeName", r.attribute_name}};
  Put(out, "AttributeValue", r.attribute_value);
  return out;
}
inline OrderedJson ToParams(const sns::SetTopicAttributesRequest& r) {
  OrderedJson out = {{"TopicArn", r.topic_arn}, {"AttributeName", r.attribute_name}};
  Put(out, "AttributeValue", r.attribute_value);
  return out;
}
inline OrderedJson ToParams(const sns::SubscribeRequest& r) {
  OrderedJson out = {{"TopicArn", r.topic_arn}, {"Protocol", r.protocol}};
  Put(out, "Endpoint", r.endpoint);
  PutMap(out, "Attributes", r.attributes);
  Put(out, "ReturnSubscriptionArn", r.return_subscription_arn);
  return out;
}
inline OrderedJson ToParams(const sns::TagResourceRequest& r) {
  return {{"ResourceArn", r.resource_arn}, {"Tags", Tags(r.tags)}};
}
inline OrderedJson ToParams(const sns::UnsubscribeRequest& r) {
  return {{"SubscriptionArn", r.subscription_arn}};
}
inline OrderedJson ToParams(const sns::UntagResourceRequest& r) {
  OrderedJson keys = OrderedJson::array();
  for (const std::string& key : r.tag_keys) keys.push_back(key);
  return {{"ResourceArn", r.resource_arn}, {"TagKeys", keys}};
}

// ---- Responses: what botocore parses --------------------------------------------------
// Plain strings, lists and maps are always in our XML; optionals when set.

inline OrderedJson ToParsed(const sns::ConfirmSubscriptionResponse& r) {
  return {{"SubscriptionArn", r.subscription_arn}};
}
inline OrderedJson ToParsed(const sns::CreateTopicResponse& r) {
  return {{"TopicArn", r.topic_arn}};
}
inline OrderedJson ToParsed(const sns::DeleteTopicResponse&) { return OrderedJson::object(); }
inline OrderedJson ToParsed(const sns::GetSubscriptionAttributesResponse& r) {
  return {{"Attributes", StringMap(r.attributes)}};
}
inline OrderedJson ToParsed(const sns::GetTopicAttributesResponse& r) {
  return {{"Attributes", StringMap(r.attributes)}};
}
inline OrderedJson ToParsed(const sns::ListSubscriptionsResponse& r) {
  OrderedJson out = {{"Subscriptions", Subscriptions(r.subscriptions)}};
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParsed(const sns::ListSubscriptionsByTopicResponse& r) {
  OrderedJson out = {{"Subscriptions", Subscriptions(r.subscriptions)}};
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParsed(const sns::ListTagsForResourceResponse& r) {
  return {{"Tags", Tags(r.tags)}};
}
inline OrderedJson ToParsed(const sns::ListTopicsResponse& r) {
  OrderedJson topics = OrderedJson::array();
  for (const sns::Topic& topic : r.topics) topics.push_back({{"TopicArn", topic.topic_arn}});
  OrderedJson out = {{"Topics", topics}};
  Put(out, "NextToken", r.next_token);
  return out;
}
inline OrderedJson ToParsed(const sns::PublishResponse& r) {
  OrderedJson out = {{"MessageId", r.message_id}};
  Put(out, "SequenceNumber", r.sequence_number);
  return out;
}
inline OrderedJson ToParsed(const sns::PublishBatchResponse& r) {
  OrderedJson successful = OrderedJson::array();
  for (const sns::PublishBatchResultEntry& e : r.successful) {
    OrderedJson entry = {{"Id", e.id}, {"MessageId", e.message_id}};
    Put(entry, "SequenceNumber", e.sequence_number);
    successful.push_back(entry);
  }
  OrderedJson failed = OrderedJson::array();
  for (const sns::BatchResultErrorEntry& e : r.failed) {
    OrderedJson entry = {{"Id", e.id}, {"Code", e.code}};
    Put(entry, "Message", e.message);
    entry["SenderFault"] = e.sender_fault;
    failed.push_back(entry);
  }
  return {{"Successful", successful}, {"Failed", failed}};
}
inline OrderedJson ToParsed(const sns::SetSubscriptionAttributesResponse&) {
  return OrderedJson::object();
}
inline OrderedJson ToParsed(const sns::SetTopicAttributesResponse&) {
  return OrderedJson::object();
}
inline OrderedJson ToParsed(const sns::SubscribeResponse& r) {
  return {{"SubscriptionArn", r.subscription_arn}};
}
inline OrderedJson ToParsed(const sns::TagResourceResponse&) { return OrderedJson::object(); }
inline OrderedJson ToParsed(const sns::UnsubscribeResponse&) { return OrderedJson::object(); }
inline OrderedJson ToParsed(const sns::UntagResourceResponse&) { return OrderedJson::object(); }

// ---- Samples ------------------------------------------------------------------------------

inline sns::MessageAttributeMap SampleAttributes() {
  return {{"str", {.data_type = "String", .string_value = kTricky}},
          {"num", {.data_type = "Number.int", .string_value = "-12.5e3"}},
          {"bin", {.data_type = "Binary", .binary_value = kBytes}},
          {"arr", {.data_type = "String.Array", .string_value = R"(["a",1,true,null])"}}};
}

inline std::vector<sns::Tag> SampleTags() {
  return {{"team", "payments"}, {"cost center", kTricky}, {"empty", ""}};
}

template <typename T>
T Sample();

template <>
inline sns::ConfirmSubscriptionRequest Sample() {
  return {.topic_arn = kTopicArn,
          .token = "2336412f37fb687f5d51e6e2425f004aed1f63e5c2b7bd42f0e2a8d1b3c4d5e6",
          .authenticate_on_unsubscribe = "true"};
}
template <>
inline sns::CreateTopicRequest Sample() {
  return {.name = "orders.fifo",
          .attributes = {{"FifoTopic", "true"},
                         {"ContentBasedDeduplication", "false"},
                         {"DisplayName", kTricky},
                         {"Policy", kPolicy}},
          .tags = SampleTags(),
          .data_protection_policy = R"({"Name":"p","Version":"2021-06-01"})"};
}
template <>
inline sns::DeleteTopicRequest Sample() {
  return {.topic_arn = kTopicArn};
}
template <>
inline sns::GetSubscriptionAttributesRequest Sample() {
  return {.subscription_arn = kSubscriptionArn};
}
template <>
inline sns::GetTopicAttributesRequest Sample() {
  return {.topic_arn = kTopicArn};
}
template <>
inline sns::ListSubscriptionsRequest Sample() {
  return {.next_token = "tok+/=="};
}
template <>
inline sns::ListSubscriptionsByTopicRequest Sample() {
  return {.topic_arn = kTopicArn, .next_token = "tok+/=="};
}
template <>
inline sns::ListTagsForResourceRequest Sample() {
  return {.resource_arn = kTopicArn};
}
template <>
inline sns::ListTopicsRequest Sample() {
  return {.next_token = "tok+/=="};
}
template <>
inline sns::PublishRequest Sample() {
  return {.topic_arn = kFifoTopicArn,
          .target_arn = kFifoTopicArn,
          .phone_number = "+15555550100",
          .message = kTricky,
          .subject = "Hello & <bye>",
          .message_structure = "json",
          .message_attributes = SampleAttributes(),
          .message_deduplication_id = "dedup-1!",
          .message_group_id = "group/1"};
}
template <>
inline sns::PublishBatchRequest Sample() {
  // Twelve entries: indexes 10-12 sort before 2 as text, not as numbers.
  sns::PublishBatchRequest request{.topic_arn = kFifoTopicArn};
  request.publish_batch_request_entries.push_back({.id = "full",
                                                   .message = kTricky,
                                                   .subject = "s",
                                                   .message_structure = "json",
                                                   .message_attributes = SampleAttributes(),
                                                   .message_deduplication_id = "d1",
                                                   .message_group_id = "g1"});
  for (int i = 2; i <= 12; ++i) {
    request.publish_batch_request_entries.push_back(
        {.id = "e" + std::to_string(i), .message = "m" + std::to_string(i)});
  }
  return request;
}
template <>
inline sns::SetSubscriptionAttributesRequest Sample() {
  return {.subscription_arn = kSubscriptionArn,
          .attribute_name = "FilterPolicy",
          .attribute_value = R"({"kind":["a","b"],"n":[{"numeric":[">",5]}]})"};
}
template <>
inline sns::SetTopicAttributesRequest Sample() {
  return {.topic_arn = kTopicArn, .attribute_name = "DisplayName", .attribute_value = kTricky};
}
template <>
inline sns::SubscribeRequest Sample() {
  return {.topic_arn = kTopicArn,
          .protocol = "sqs",
          .endpoint = kQueueArn,
          .attributes = {{"RawMessageDelivery", "true"},
                         {"FilterPolicy", R"({"kind":["a"]})"},
                         {"FilterPolicyScope", "MessageBody"}},
          .return_subscription_arn = true};
}
template <>
inline sns::TagResourceRequest Sample() {
  return {.resource_arn = kTopicArn, .tags = SampleTags()};
}
template <>
inline sns::UnsubscribeRequest Sample() {
  return {.subscription_arn = kSubscriptionArn};
}
template <>
inline sns::UntagResourceRequest Sample() {
  return {.resource_arn = kTopicArn, .tag_keys = {"team", "k&=", "cost center"}};
}

inline std::vector<sns::Subscription> SampleSubscriptions() {
  return {{.subscription_arn = kSubscriptionArn,
           .owner = "123456789012",
           .protocol = "sqs",
           .endpoint = kQueueArn,
           .topic_arn = kTopicArn},
          {.subscription_arn = "PendingConfirmation",
           .owner = "123456789012",
           .protocol = "email",
           .endpoint = "a+b@example.com",
           .topic_arn = kTopicArn}};
}

template <>
inline sns::ConfirmSubscriptionResponse Sample() {
  return {.subscription_arn = kSubscriptionArn};
}
template <>
inline sns::CreateTopicResponse Sample() {
  return {.topic_arn = kFifoTopicArn};
}
template <>
inline sns::DeleteTopicResponse Sample() {
  return {};
}
template <>
inline sns::GetSubscriptionAttributesResponse Sample() {
  return {.attributes = {{"SubscriptionArn", kSubscriptionArn},
                         {"RawMessageDelivery", "true"},
                         {"FilterPolicy", R"({"kind":["a"]})"},
                         {"PendingConfirmation", "false"}}};
}
template <>
inline sns::GetTopicAttributesResponse Sample() {
  return {.attributes = {{"TopicArn", kTopicArn},
                         {"Policy", kPolicy},
                         {"DisplayName", kTricky},
                         {"SubscriptionsConfirmed", "2"},
                         {"Empty", ""}}};
}
template <>
inline sns::ListSubscriptionsResponse Sample() {
  return {.subscriptions = SampleSubscriptions(), .next_token = "next+/="};
}
template <>
inline sns::ListSubscriptionsByTopicResponse Sample() {
  return {.subscriptions = SampleSubscriptions(), .next_token = "next+/="};
}
template <>
inline sns::ListTagsForResourceResponse Sample() {
  return {.tags = SampleTags()};
}
template <>
inline sns::ListTopicsResponse Sample() {
  return {.topics = {{kTopicArn}, {kFifoTopicArn}}, .next_token = "next+/="};
}
template <>
inline sns::PublishResponse Sample() {
  return {.message_id = "5fea7756-0ea4-451a-a703-a558b933e274",
          .sequence_number = "10000000000000000001"};
}
template <>
inline sns::PublishBatchResponse Sample() {
  return {
      .successful = {{.id = "full", .message_id = "m1", .sequence_number = "1"},
                     {.id = "e2", .message_id = "m2"}},
      .failed = {{.id = "e3", .code = "InvalidParameter", .message = kTricky, .sender_fault = true},
                 {.id = "e4", .code = "InternalError", .sender_fault = false}}};
}
template <>
inline sns::SetSubscriptionAttributesResponse Sample() {
  return {};
}
template <>
inline sns::SetTopicAttributesResponse Sample() {
  return {};
}
template <>
inline sns::SubscribeResponse Sample() {
  return {.subscription_arn = "pending confirmation"};
}
template <>
inline sns::TagResourceResponse Sample() {
  return {};
}
template <>
inline sns::UnsubscribeResponse Sample() {
  return {};
}
template <>
inline sns::UntagResourceResponse Sample() {
  return {};
}

}  // namespace sqsim::wire::sns_query_samples

#endif  // SQSIM_TESTS_WIRE_SNS_QUERY_SAMPLES_H_
