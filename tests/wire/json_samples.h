// Sample requests and responses for the JSON codec tests: one per action and
// direction, with every member set (binary attributes included).
//
// Every string that fills a struct member begins with that member's wire name
// (`queue_url` = "QueueUrl-..."), so the botocore oracle can prove that each
// value landed under the right JSON member, not merely under some member.
// Numbers are distinct for the same reason.

#ifndef SQSIM_TESTS_WIRE_JSON_SAMPLES_H_
#define SQSIM_TESTS_WIRE_JSON_SAMPLES_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/requests.h"
#include "wire/json_codec.h"

namespace sqsim::wire::testing {

// Bytes that are not UTF-8 and include NUL, so base64 is really needed.
inline std::string BinaryBytes(char tag) { return std::string("\x00\xff\xfe\x80", 4) + tag; }

// One value with every member of MessageAttributeValue set: the codec does
// not validate, and the oracle wants every model member on the wire.
inline MessageAttributeValue FullAttributeValue() {
  return {.string_value = "StringValue-hello",
          .binary_value = BinaryBytes('b'),
          .string_list_values = {"StringListValues-1", "StringListValues-2"},
          .binary_list_values = {BinaryBytes('1'), BinaryBytes('2')},
          .data_type = "DataType-Binary.raw"};
}

inline MessageAttributeMap FullAttributes() {
  return {{"full", FullAttributeValue()},
          {"plain", {.string_value = "StringValue-plain", .data_type = "DataType-String"}}};
}

inline BatchResultErrorEntry FailedEntry() {
  return {.id = "Id-f",
          .sender_fault = true,
          .code = "Code-InvalidParameterValue",
          .message = "Message-too long"};
}

template <typename T>
T Sample();

template <>
inline AddPermissionRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .label = "Label-l",
          .aws_account_ids = {"AWSAccountIds-1", "AWSAccountIds-2"},
          .actions = {"Actions-SendMessage", "Actions-ReceiveMessage"}};
}
template <>
inline AddPermissionResponse Sample() {
  return {};
}
template <>
inline CancelMessageMoveTaskRequest Sample() {
  return {.task_handle = "TaskHandle-t"};
}
template <>
inline CancelMessageMoveTaskResponse Sample() {
  return {.approximate_number_of_messages_moved = 5000000000};
}
template <>
inline ChangeMessageVisibilityRequest Sample() {
  return {.queue_url = "QueueUrl-q", .receipt_handle = "ReceiptHandle-r", .visibility_timeout = 43};
}
template <>
inline ChangeMessageVisibilityResponse Sample() {
  return {};
}
template <>
inline ChangeMessageVisibilityBatchRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .entries = {{.id = "Id-1", .receipt_handle = "ReceiptHandle-1", .visibility_timeout = 7},
                      {.id = "Id-2", .receipt_handle = "ReceiptHandle-2"}}};
}
template <>
inline ChangeMessageVisibilityBatchResponse Sample() {
  return {.successful = {{.id = "Id-1"}}, .failed = {FailedEntry()}};
}
template <>
inline CreateQueueRequest Sample() {
  return {.queue_name = "QueueName-orders",
          .attributes = {{"DelaySeconds", "5"}, {"FifoQueue", "true"}},
          .tags = {{"team", "payments"}, {"env", "prod"}}};
}
template <>
inline CreateQueueResponse Sample() {
  return {.queue_url = "QueueUrl-https://sqs.us-east-1.amazonaws.com/123456789012/orders"};
}
template <>
inline DeleteMessageRequest Sample() {
  return {.queue_url = "QueueUrl-q", .receipt_handle = "ReceiptHandle-r"};
}
template <>
inline DeleteMessageResponse Sample() {
  return {};
}
template <>
inline DeleteMessageBatchRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .entries = {{.id = "Id-1", .receipt_handle = "ReceiptHandle-1"},
                      {.id = "Id-2", .receipt_handle = "ReceiptHandle-2"}}};
}
template <>
inline DeleteMessageBatchResponse Sample() {
  return {.successful = {{.id = "Id-1"}}, .failed = {FailedEntry()}};
}
template <>
inline DeleteQueueRequest Sample() {
  return {.queue_url = "QueueUrl-q"};
}
template <>
inline DeleteQueueResponse Sample() {
  return {};
}
template <>
inline GetQueueAttributesRequest Sample() {
  return {.queue_url = "QueueUrl-q", .attribute_names = {"AttributeNames-All", "AttributeNames-x"}};
}
template <>
inline GetQueueAttributesResponse Sample() {
  return {.attributes = {{"VisibilityTimeout", "30"}, {"Policy", "{\"Version\":\"2012-10-17\"}"}}};
}
template <>
inline GetQueueUrlRequest Sample() {
  return {.queue_name = "QueueName-orders",
          .queue_owner_aws_account_id = "QueueOwnerAWSAccountId-1"};
}
template <>
inline GetQueueUrlResponse Sample() {
  return {.queue_url = "QueueUrl-u"};
}
template <>
inline ListDeadLetterSourceQueuesRequest Sample() {
  return {.queue_url = "QueueUrl-dlq", .next_token = "NextToken-n", .max_results = 44};
}
template <>
inline ListDeadLetterSourceQueuesResponse Sample() {
  return {.queue_urls = {"queueUrls-1", "queueUrls-2"}, .next_token = "NextToken-n"};
}
template <>
inline ListMessageMoveTasksRequest Sample() {
  return {.source_arn = "SourceArn-a", .max_results = 9};
}
template <>
inline ListMessageMoveTasksResponse Sample() {
  return {.results = {{.task_handle = "TaskHandle-t",
                       .status = "Status-RUNNING",
                       .source_arn = "SourceArn-a",
                       .destination_arn = "DestinationArn-d",
                       .max_number_of_messages_per_second = 45,
                       .approximate_number_of_messages_moved = 46,
                       .approximate_number_of_messages_to_move = 4000000000,
                       .failure_reason = "FailureReason-f",
                       .started_timestamp = 1700000000123}}};
}
template <>
inline ListQueueTagsRequest Sample() {
  return {.queue_url = "QueueUrl-q"};
}
template <>
inline ListQueueTagsResponse Sample() {
  return {.tags = {{"team", "payments"}}};
}
template <>
inline ListQueuesRequest Sample() {
  return {.queue_name_prefix = "QueueNamePrefix-p", .next_token = "NextToken-n", .max_results = 47};
}
template <>
inline ListQueuesResponse Sample() {
  return {.queue_urls = {"QueueUrls-1", "QueueUrls-2"}, .next_token = "NextToken-n"};
}
template <>
inline PurgeQueueRequest Sample() {
  return {.queue_url = "QueueUrl-q"};
}
template <>
inline PurgeQueueResponse Sample() {
  return {};
}
template <>
inline ReceiveMessageRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .attribute_names = {"AttributeNames-All"},
          .message_system_attribute_names = {"MessageSystemAttributeNames-SentTimestamp"},
          .message_attribute_names = {"MessageAttributeNames-.*"},
          .max_number_of_messages = 10,
          .visibility_timeout = 48,
          .wait_time_seconds = 20,
          .receive_request_attempt_id = "ReceiveRequestAttemptId-a"};
}
template <>
inline ReceiveMessageResponse Sample() {
  return {.messages = {{.message_id = "MessageId-m",
                        .receipt_handle = "ReceiptHandle-r",
                        .md5_of_body = "MD5OfBody-x",
                        .body = "Body-hello \xc3\xa9 \"quoted\"",
                        .attributes = {{"SentTimestamp", "1700000000123"}},
                        .md5_of_message_attributes = "MD5OfMessageAttributes-y",
                        .message_attributes = FullAttributes()},
                       {.message_id = "MessageId-2",
                        .receipt_handle = "ReceiptHandle-2",
                        .md5_of_body = "MD5OfBody-2",
                        .body = "Body-2"}}};
}
template <>
inline RemovePermissionRequest Sample() {
  return {.queue_url = "QueueUrl-q", .label = "Label-l"};
}
template <>
inline RemovePermissionResponse Sample() {
  return {};
}
template <>
inline SendMessageRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .message_body = "MessageBody-hello",
          .delay_seconds = 49,
          .message_attributes = FullAttributes(),
          .message_system_attributes = {{"AWSTraceHeader", FullAttributeValue()}},
          .message_deduplication_id = "MessageDeduplicationId-d",
          .message_group_id = "MessageGroupId-g"};
}
template <>
inline SendMessageResponse Sample() {
  return {.md5_of_message_body = "MD5OfMessageBody-a",
          .md5_of_message_attributes = "MD5OfMessageAttributes-b",
          .md5_of_message_system_attributes = "MD5OfMessageSystemAttributes-c",
          .message_id = "MessageId-m",
          .sequence_number = "SequenceNumber-1"};
}
template <>
inline SendMessageBatchRequest Sample() {
  return {.queue_url = "QueueUrl-q",
          .entries = {{.id = "Id-1",
                       .message_body = "MessageBody-1",
                       .delay_seconds = 50,
                       .message_attributes = FullAttributes(),
                       .message_system_attributes = {{"AWSTraceHeader", FullAttributeValue()}},
                       .message_deduplication_id = "MessageDeduplicationId-d",
                       .message_group_id = "MessageGroupId-g"},
                      {.id = "Id-2", .message_body = "MessageBody-2"}}};
}
template <>
inline SendMessageBatchResponse Sample() {
  return {.successful = {{.id = "Id-1",
                          .message_id = "MessageId-m",
                          .md5_of_message_body = "MD5OfMessageBody-a",
                          .md5_of_message_attributes = "MD5OfMessageAttributes-b",
                          .md5_of_message_system_attributes = "MD5OfMessageSystemAttributes-c",
                          .sequence_number = "SequenceNumber-1"}},
          .failed = {FailedEntry()}};
}
template <>
inline SetQueueAttributesRequest Sample() {
  return {.queue_url = "QueueUrl-q", .attributes = {{"VisibilityTimeout", "31"}}};
}
template <>
inline SetQueueAttributesResponse Sample() {
  return {};
}
template <>
inline StartMessageMoveTaskRequest Sample() {
  return {.source_arn = "SourceArn-a",
          .destination_arn = "DestinationArn-d",
          .max_number_of_messages_per_second = 51};
}
template <>
inline StartMessageMoveTaskResponse Sample() {
  return {.task_handle = "TaskHandle-t"};
}
template <>
inline TagQueueRequest Sample() {
  return {.queue_url = "QueueUrl-q", .tags = {{"team", "payments"}}};
}
template <>
inline TagQueueResponse Sample() {
  return {};
}
template <>
inline UntagQueueRequest Sample() {
  return {.queue_url = "QueueUrl-q", .tag_keys = {"TagKeys-team"}};
}
template <>
inline UntagQueueResponse Sample() {
  return {};
}

// One action's codec entry points with its encoded samples, so that a test
// can loop over all 23 actions.
struct SampleCodec {
  std::string action;
  std::string request_body;   // EncodeJsonRequest(Sample<...Request>())
  std::string response_body;  // EncodeJsonResponse(Sample<...Response>())
  std::function<Status(std::string_view)> decode_request;
  std::function<Status(std::string_view)> decode_response;
};

inline std::vector<SampleCodec> AllSampleCodecs() {
  std::vector<SampleCodec> codecs;
#define SQSIM_SAMPLE_CODEC(Name)                                       \
  codecs.push_back({#Name, EncodeJsonRequest(Sample<Name##Request>()), \
                    EncodeJsonResponse(Sample<Name##Response>()),      \
                    [](std::string_view body) {                        \
                      Name##Request request;                           \
                      return DecodeJsonRequest(body, &request);        \
                    },                                                 \
                    [](std::string_view body) {                        \
                      Name##Response response;                         \
                      return DecodeJsonResponse(body, &response);      \
                    }});
  SQSIM_FOR_EACH_ACTION(SQSIM_SAMPLE_CODEC)
#undef SQSIM_SAMPLE_CODEC
  return codecs;
}

}  // namespace sqsim::wire::testing

#endif  // SQSIM_TESTS_WIRE_JSON_SAMPLES_H_
