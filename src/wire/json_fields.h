// The wire description of every SQS request and response struct: which JSON
// member (botocore model name) holds which struct member. Each struct is
// described once, by a `DescribeJson(visitor, value)` overload, and the
// encoder and the decoder in json_codec.cc are two visitors over the same
// description, so the two directions cannot drift apart.
//
// A visitor provides:
//   v.Member(name, m)    an ordinary member. Strings, optionals and
//                        containers are omitted on encode when empty/unset;
//                        plain numbers and booleans are always written.
//   v.Required(name, m)  a list or map the model marks required: always
//                        written, even empty (`Successful`, `Failed`, ...).
//   v.Blob(name, m)      a `blob` member: raw bytes in the struct, base64 on
//                        the wire (std::optional<std::string>).
//   v.BlobList(name, m)  a list of blobs (std::vector<std::string>).
//
// `S` is deduced const for encoding and non-const for decoding.
//
// Thread safety: stateless functions.

#ifndef SQSIM_WIRE_JSON_FIELDS_H_
#define SQSIM_WIRE_JSON_FIELDS_H_

#include <type_traits>

#include "sqsim/requests.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// True when `S` is `T` or `const T`.
template <typename S, typename T>
concept JsonStruct = std::is_same_v<std::remove_const_t<S>, T>;

// ---- Shared value types (types.h) -----------------------------------------

// MessageAttributeValue and MessageSystemAttributeValue share one C++ type and
// one wire shape.
template <typename V, JsonStruct<MessageAttributeValue> S>
void DescribeJson(V& v, S& s) {
  v.Member("StringValue", s.string_value);
  v.Blob("BinaryValue", s.binary_value);
  v.Member("StringListValues", s.string_list_values);
  v.BlobList("BinaryListValues", s.binary_list_values);
  v.Member("DataType", s.data_type);
}

template <typename V, JsonStruct<Message> S>
void DescribeJson(V& v, S& s) {
  v.Member("MessageId", s.message_id);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("MD5OfBody", s.md5_of_body);
  v.Member("Body", s.body);
  v.Member("Attributes", s.attributes);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MessageAttributes", s.message_attributes);
}

template <typename V, JsonStruct<BatchResultErrorEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("SenderFault", s.sender_fault);
  v.Member("Code", s.code);
  v.Member("Message", s.message);
}

// ---- Queue management -------------------------------------------------------

template <typename V, JsonStruct<CreateQueueRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueName", s.queue_name);
  v.Member("Attributes", s.attributes);
  v.Member("tags", s.tags);  // lower case in the model
}
template <typename V, JsonStruct<CreateQueueResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, JsonStruct<GetQueueUrlRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueName", s.queue_name);
  v.Member("QueueOwnerAWSAccountId", s.queue_owner_aws_account_id);
}
template <typename V, JsonStruct<GetQueueUrlResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, JsonStruct<ListQueuesRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueNamePrefix", s.queue_name_prefix);
  v.Member("NextToken", s.next_token);
  v.Member("MaxResults", s.max_results);
}
template <typename V, JsonStruct<ListQueuesResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrls", s.queue_urls);
  v.Member("NextToken", s.next_token);
}

template <typename V, JsonStruct<DeleteQueueRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, JsonStruct<GetQueueAttributesRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("AttributeNames", s.attribute_names);
}
template <typename V, JsonStruct<GetQueueAttributesResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("Attributes", s.attributes);
}

template <typename V, JsonStruct<SetQueueAttributesRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Attributes", s.attributes);
}

template <typename V, JsonStruct<PurgeQueueRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}

template <typename V, JsonStruct<TagQueueRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Tags", s.tags);
}

template <typename V, JsonStruct<UntagQueueRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("TagKeys", s.tag_keys);
}

template <typename V, JsonStruct<ListQueueTagsRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
}
template <typename V, JsonStruct<ListQueueTagsResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("Tags", s.tags);  // SQS omits it for an untagged queue
}

template <typename V, JsonStruct<AddPermissionRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("Label", s.label);
  v.Required("AWSAccountIds", s.aws_account_ids);
  v.Required("Actions", s.actions);
}

template <typename V, JsonStruct<RemovePermissionRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("Label", s.label);
}

template <typename V, JsonStruct<ListDeadLetterSourceQueuesRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("NextToken", s.next_token);
  v.Member("MaxResults", s.max_results);
}
template <typename V, JsonStruct<ListDeadLetterSourceQueuesResponse> S>
void DescribeJson(V& v, S& s) {
  v.Required("queueUrls", s.queue_urls);  // lower case in the model
  v.Member("NextToken", s.next_token);
}

// ---- Messages ---------------------------------------------------------------

template <typename V, JsonStruct<SendMessageRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("MessageBody", s.message_body);
  v.Member("DelaySeconds", s.delay_seconds);
  v.Member("MessageAttributes", s.message_attributes);
  v.Member("MessageSystemAttributes", s.message_system_attributes);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}
template <typename V, JsonStruct<SendMessageResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("MD5OfMessageBody", s.md5_of_message_body);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MD5OfMessageSystemAttributes", s.md5_of_message_system_attributes);
  v.Member("MessageId", s.message_id);
  v.Member("SequenceNumber", s.sequence_number);
}

template <typename V, JsonStruct<SendMessageBatchRequestEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("MessageBody", s.message_body);
  v.Member("DelaySeconds", s.delay_seconds);
  v.Member("MessageAttributes", s.message_attributes);
  v.Member("MessageSystemAttributes", s.message_system_attributes);
  v.Member("MessageDeduplicationId", s.message_deduplication_id);
  v.Member("MessageGroupId", s.message_group_id);
}
template <typename V, JsonStruct<SendMessageBatchRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries);
}
template <typename V, JsonStruct<SendMessageBatchResultEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("MessageId", s.message_id);
  v.Member("MD5OfMessageBody", s.md5_of_message_body);
  v.Member("MD5OfMessageAttributes", s.md5_of_message_attributes);
  v.Member("MD5OfMessageSystemAttributes", s.md5_of_message_system_attributes);
  v.Member("SequenceNumber", s.sequence_number);
}
template <typename V, JsonStruct<SendMessageBatchResponse> S>
void DescribeJson(V& v, S& s) {
  v.Required("Successful", s.successful);
  v.Required("Failed", s.failed);
}

template <typename V, JsonStruct<ReceiveMessageRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("AttributeNames", s.attribute_names);
  v.Member("MessageSystemAttributeNames", s.message_system_attribute_names);
  v.Member("MessageAttributeNames", s.message_attribute_names);
  v.Member("MaxNumberOfMessages", s.max_number_of_messages);
  v.Member("VisibilityTimeout", s.visibility_timeout);
  v.Member("WaitTimeSeconds", s.wait_time_seconds);
  v.Member("ReceiveRequestAttemptId", s.receive_request_attempt_id);
}
template <typename V, JsonStruct<ReceiveMessageResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("Messages", s.messages);  // SQS omits it when nothing was received
}

template <typename V, JsonStruct<DeleteMessageRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("ReceiptHandle", s.receipt_handle);
}

template <typename V, JsonStruct<DeleteMessageBatchRequestEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("ReceiptHandle", s.receipt_handle);
}
template <typename V, JsonStruct<DeleteMessageBatchRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries);
}
template <typename V, JsonStruct<DeleteMessageBatchResultEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
}
template <typename V, JsonStruct<DeleteMessageBatchResponse> S>
void DescribeJson(V& v, S& s) {
  v.Required("Successful", s.successful);
  v.Required("Failed", s.failed);
}

template <typename V, JsonStruct<ChangeMessageVisibilityRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("VisibilityTimeout", s.visibility_timeout);
}

template <typename V, JsonStruct<ChangeMessageVisibilityBatchRequestEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
  v.Member("ReceiptHandle", s.receipt_handle);
  v.Member("VisibilityTimeout", s.visibility_timeout);
}
template <typename V, JsonStruct<ChangeMessageVisibilityBatchRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("QueueUrl", s.queue_url);
  v.Required("Entries", s.entries);
}
template <typename V, JsonStruct<ChangeMessageVisibilityBatchResultEntry> S>
void DescribeJson(V& v, S& s) {
  v.Member("Id", s.id);
}
template <typename V, JsonStruct<ChangeMessageVisibilityBatchResponse> S>
void DescribeJson(V& v, S& s) {
  v.Required("Successful", s.successful);
  v.Required("Failed", s.failed);
}

// ---- Dead-letter redrive (message move tasks) -------------------------------

template <typename V, JsonStruct<StartMessageMoveTaskRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("SourceArn", s.source_arn);
  v.Member("DestinationArn", s.destination_arn);
  v.Member("MaxNumberOfMessagesPerSecond", s.max_number_of_messages_per_second);
}
template <typename V, JsonStruct<StartMessageMoveTaskResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("TaskHandle", s.task_handle);
}

template <typename V, JsonStruct<CancelMessageMoveTaskRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("TaskHandle", s.task_handle);
}
template <typename V, JsonStruct<CancelMessageMoveTaskResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("ApproximateNumberOfMessagesMoved", s.approximate_number_of_messages_moved);
}

template <typename V, JsonStruct<ListMessageMoveTasksRequest> S>
void DescribeJson(V& v, S& s) {
  v.Member("SourceArn", s.source_arn);
  v.Member("MaxResults", s.max_results);
}
template <typename V, JsonStruct<ListMessageMoveTasksResultEntry> S>
void DescribeJson(V& v, S& s) {
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
template <typename V, JsonStruct<ListMessageMoveTasksResponse> S>
void DescribeJson(V& v, S& s) {
  v.Member("Results", s.results);
}

// ---- Actions without members on one side ------------------------------------

// Responses of actions that SQS answers with `{}`.
template <typename V, typename S>
requires JsonStruct<S, AddPermissionResponse> || JsonStruct<S, ChangeMessageVisibilityResponse> ||
    JsonStruct<S, DeleteMessageResponse> || JsonStruct<S, DeleteQueueResponse> ||
    JsonStruct<S, PurgeQueueResponse> || JsonStruct<S, RemovePermissionResponse> ||
    JsonStruct<S, SetQueueAttributesResponse> || JsonStruct<S, TagQueueResponse> ||
    JsonStruct<S, UntagQueueResponse>
void DescribeJson(V& /*v*/, S& /*s*/) {}

}  // namespace sqsim::internal

#endif  // SQSIM_WIRE_JSON_FIELDS_H_
