// The wire shape of every SQS request and response struct, described once
// per struct by a `DescribeShape(visitor, value)` overload: which member
// (botocore model name) holds which struct member, and the query protocol's
// names for its lists and maps. Every codec is a visitor over the same
// descriptions, as botocore derives each protocol from one shape model:
// json_codec.cc encodes and decodes JSON, query_codec.cc decodes query
// forms, query_response.cc encodes query XML. The directions and protocols
// cannot drift apart, and a new action's wire shape is added here only.
//
// A visitor provides:
//   v.Member(name, m)              a string, number or boolean, plain or
//                                  std::optional.
//   v.Member(name, m, flattened)   a list or a map (of strings or of
//                                  described structs).
//   v.Required(name, m, flattened) a list or map the model marks required
//                                  (`Successful`, `Failed`, `Entries`, ...);
//                                  JSON writes it even when empty.
//   v.Blob(name, m)                a `blob` member: raw bytes in the struct,
//                                  base64 on the wire (optional<string>).
//   v.BlobList(name, m, flattened) a list of blobs (vector<string>).
// What is omitted when empty is each codec's business (its file says).
//
// `S` is deduced const for encoding and non-const for decoding.
//
// Thread safety: stateless functions.

#ifndef SQSIM_WIRE_SHAPES_H_
#define SQSIM_WIRE_SHAPES_H_

#include <string_view>
#include <type_traits>

#include "sqsim/requests.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// True when `S` is `T` or `const T`.
template <typename S, typename T>
concept ShapeOf = std::is_same_v<std::remove_const_t<S>, T>;

// The query protocol's names for a list or map member: the `locationName`
// traits of botocore's query-protocol SQS model (1.34 and earlier, before SQS
// moved to JSON), which the JSON model dropped. Every SQS list and map member
// is `flattened`: each item or entry repeats `element` in the member's place,
//   list  `AttributeName.1=All`, `SendMessageBatchRequestEntry.2.Id=b`,
//         `<QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl>`;
//   map   `Attribute.1.Name=DelaySeconds&Attribute.1.Value=5`,
//         `MessageAttribute.1.Value.DataType=String`,
//         `<Tag><Key>team</Key><Value>a</Value></Tag>`.
// JSON has no use for them.
struct Flattened {
  std::string_view element;
  std::string_view key = "Name";  // maps only
  std::string_view value = "Value";
};

// The traits used by more than one member.
inline constexpr Flattened kAttributeMap{"Attribute"};
inline constexpr Flattened kTagMap{"Tag", "Key", "Value"};
inline constexpr Flattened kMessageAttributeMap{"MessageAttribute"};
inline constexpr Flattened kMessageSystemAttributeMap{"MessageSystemAttribute"};
inline constexpr Flattened kAttributeNameList{"AttributeName"};
inline constexpr Flattened kQueueUrlList{"QueueUrl"};
inline constexpr Flattened kBatchResultErrorEntryList{"BatchResultErrorEntry"};

// ---- Shared value types (types.h) -----------------------------------------

// MessageAttributeValue and MessageSystemAttributeValue share one C++ type and
// one wire shape.
template <typename V, ShapeOf<MessageAttributeValue> S>
void DescribeShape(V& v, S& s) {
  v.Member("StringValue", s.string_value);
  v.Blob("BinaryValue", s.binary_value);
  v.Member("StringListValues", s.string_list_values, {"StringListValue"});
  v.BlobList("BinaryListValues", s.binary_list_values, {"BinaryListValue"});
  v.Member("DataType", s.data_type);
}

template <typename V, ShapeOf<Message> S>
void DescribeShape(V& v, S& s) {
  v.Member("MessageId", s.message_id);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("MD5OfBody", s.md5_of_body);
  v.Member("Body", s.body);
  v.Member("Attributes", s.attributes, kAttributeMap);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MessageAttributes", s.message_attributes, kMessageAttributeMap);
}

template <typename V, ShapeOf<BatchResultErrorEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("SenderFault", s.sender_fault);
  v.Member("Code", s.code);
  v.Member("Message", s.message);
}

// ---- Queue management -------------------------------------------------------

template <typename V, ShapeOf<CreateQueueRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueName", s.queue_name);
  v.Member("Attributes", s.attributes, kAttributeMap);
  v.Member("tags", s.tags, kTagMap);  // lower case in the model
}
template <typename V, ShapeOf<CreateQueueResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, ShapeOf<GetQueueUrlRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueName", s.queue_name);
  v.Member("QueueOwnerAWSAccountId", s.queue_owner_aws_account_id);
}
template <typename V, ShapeOf<GetQueueUrlResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, ShapeOf<ListQueuesRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueNamePrefix", s.queue_name_prefix);
  v.Member("NextToken", s.next_token);
  v.Member("MaxResults", s.max_results);
}
template <typename V, ShapeOf<ListQueuesResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrls", s.queue_urls, kQueueUrlList);
  v.Member("NextToken", s.next_token);
}

template <typename V, ShapeOf<DeleteQueueRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, ShapeOf<GetQueueAttributesRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("AttributeNames", s.attribute_names, kAttributeNameList);
}
template <typename V, ShapeOf<GetQueueAttributesResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("Attributes", s.attributes, kAttributeMap);
}

template <typename V, ShapeOf<SetQueueAttributesRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Attributes", s.attributes, kAttributeMap);
}

template <typename V, ShapeOf<PurgeQueueRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, ShapeOf<TagQueueRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Tags", s.tags, kTagMap);
}

template <typename V, ShapeOf<UntagQueueRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("TagKeys", s.tag_keys, {"TagKey"});
}

template <typename V, ShapeOf<ListQueueTagsRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}
template <typename V, ShapeOf<ListQueueTagsResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("Tags", s.tags, kTagMap);  // SQS omits it for an untagged queue
}

template <typename V, ShapeOf<AddPermissionRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("Label", s.label);
  v.Required("AWSAccountIds", s.aws_account_ids, {"AWSAccountId"});
  v.Required("Actions", s.actions, {"ActionName"});
}

template <typename V, ShapeOf<RemovePermissionRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("Label", s.label);
}

template <typename V, ShapeOf<ListDeadLetterSourceQueuesRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("NextToken", s.next_token);
  v.Member("MaxResults", s.max_results);
}
template <typename V, ShapeOf<ListDeadLetterSourceQueuesResponse> S>
void DescribeShape(V& v, S& s) {
  v.Required("queueUrls", s.queue_urls, kQueueUrlList);  // lower case in the model
  v.Member("NextToken", s.next_token);
}

// ---- Messages ---------------------------------------------------------------

template <typename V, ShapeOf<SendMessageRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("MessageBody", s.message_body);
  v.Member("DelaySeconds", s.delay_seconds);
  v.Member("MessageAttributes", s.message_attributes, kMessageAttributeMap);
  v.Member("MessageSystemAttributes", s.message_system_attributes, kMessageSystemAttributeMap);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}
template <typename V, ShapeOf<SendMessageResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("MD5OfMessageBody", s.md5_of_message_body);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MD5OfMessageSystemAttributes", s.md5_of_message_system_attributes);
  v.Member("MessageId", s.message_id);
  v.Member("SequenceNumber", s.sequence_number);
}

template <typename V, ShapeOf<SendMessageBatchRequestEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("MessageBody", s.message_body);
  v.Member("DelaySeconds", s.delay_seconds);
  v.Member("MessageAttributes", s.message_attributes, kMessageAttributeMap);
  v.Member("MessageSystemAttributes", s.message_system_attributes, kMessageSystemAttributeMap);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}
template <typename V, ShapeOf<SendMessageBatchRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries, {"SendMessageBatchRequestEntry"});
}
template <typename V, ShapeOf<SendMessageBatchResultEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("MessageId", s.message_id);
  v.Member("MD5OfMessageBody", s.md5_of_message_body);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MD5OfMessageSystemAttributes", s.md5_of_message_system_attributes);
  v.Member("SequenceNumber", s.sequence_number);
}
template <typename V, ShapeOf<SendMessageBatchResponse> S>
void DescribeShape(V& v, S& s) {
  v.Required("Successful", s.successful, {"SendMessageBatchResultEntry"});
  v.Required("Failed", s.failed, kBatchResultErrorEntryList);
}

template <typename V, ShapeOf<ReceiveMessageRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("AttributeNames", s.attribute_names, kAttributeNameList);
  v.Member("MessageSystemAttributeNames", s.message_system_attribute_names,
           {"MessageSystemAttributeName"});
  v.Member("MessageAttributeNames", s.message_attribute_names, {"MessageAttributeName"});
  v.Member("MaxNumberOfMessages", s.max_number_of_messages);
  v.Member("VisibilityTimeout", s.visibility_timeout);
  v.Member("WaitTimeSeconds", s.wait_time_seconds);
  v.Member("ReceiveRequestAttemptId", s.receive_request_attempt_id);
}
template <typename V, ShapeOf<ReceiveMessageResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("Messages", s.messages, {"Message"});  // SQS omits it when nothing was received
}

template <typename V, ShapeOf<DeleteMessageRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("ReceiptHandle", s.receipt_handle);
}

template <typename V, ShapeOf<DeleteMessageBatchRequestEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("ReceiptHandle", s.receipt_handle);
}
template <typename V, ShapeOf<DeleteMessageBatchRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries, {"DeleteMessageBatchRequestEntry"});
}
template <typename V, ShapeOf<DeleteMessageBatchResultEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
}
template <typename V, ShapeOf<DeleteMessageBatchResponse> S>
void DescribeShape(V& v, S& s) {
  v.Required("Successful", s.successful, {"DeleteMessageBatchResultEntry"});
  v.Required("Failed", s.failed, kBatchResultErrorEntryList);
}

template <typename V, ShapeOf<ChangeMessageVisibilityRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("VisibilityTimeout", s.visibility_timeout);
}

template <typename V, ShapeOf<ChangeMessageVisibilityBatchRequestEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("VisibilityTimeout", s.visibility_timeout);
}
template <typename V, ShapeOf<ChangeMessageVisibilityBatchRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries, {"ChangeMessageVisibilityBatchRequestEntry"});
}
template <typename V, ShapeOf<ChangeMessageVisibilityBatchResultEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("Id", s.id);
}
template <typename V, ShapeOf<ChangeMessageVisibilityBatchResponse> S>
void DescribeShape(V& v, S& s) {
  v.Required("Successful", s.successful, {"ChangeMessageVisibilityBatchResultEntry"});
  v.Required("Failed", s.failed, kBatchResultErrorEntryList);
}

// ---- Dead-letter redrive (message move tasks) -------------------------------

template <typename V, ShapeOf<StartMessageMoveTaskRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("SourceArn", s.source_arn);
  v.Member("DestinationArn", s.destination_arn);
  v.Member("MaxNumberOfMessagesPerSecond", s.max_number_of_messages_per_second);
}
template <typename V, ShapeOf<StartMessageMoveTaskResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("TaskHandle", s.task_handle);
}

template <typename V, ShapeOf<CancelMessageMoveTaskRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("TaskHandle", s.task_handle);
}
template <typename V, ShapeOf<CancelMessageMoveTaskResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("ApproximateNumberOfMessagesMoved", s.approximate_number_of_messages_moved);
}

template <typename V, ShapeOf<ListMessageMoveTasksRequest> S>
void DescribeShape(V& v, S& s) {
  v.Member("SourceArn", s.source_arn);
  v.Member("MaxResults", s.max_results);
}
template <typename V, ShapeOf<ListMessageMoveTasksResultEntry> S>
void DescribeShape(V& v, S& s) {
  v.Member("TaskHandle", s.task_handle);
  v.Member("Status", s.status);
  v.Member("SourceArn", s.source_arn);
  v.Member("DestinationArn", s.destination_arn);
  v.Member("MaxNumberOfMessagesPerSecond", s.max_number_of_messages_per_second);
  v.Member("ApproximateNumberOfMessagesMoved", s.approximate_number_of_messages_moved);
  v.Member("ApproximateNumberOfMessagesToMove", s.approximate_number_of_messages_to_move);
  v.Member("FailureReason", s.failure_reason);
  v.Member("StartedTimestamp", s.started_timestamp);
}
template <typename V, ShapeOf<ListMessageMoveTasksResponse> S>
void DescribeShape(V& v, S& s) {
  v.Member("Results", s.results, {"ListMessageMoveTasksResultEntry"});
}

// ---- Actions without output ----------------------------------------------------

// Their responses are empty structs (requests.h); SQS answers them with `{}`
// in JSON and with no Result element in query XML.
template <typename V, typename S>
requires std::is_empty_v<S>
void DescribeShape(V& /*v*/, S& /*s*/) {}

}  // namespace sqsim::internal

#endif  // SQSIM_WIRE_SHAPES_H_
