// One request and one response aggregate per SQS action (API 2012-11-05).
//
// Members carry every field of the botocore SQS model, in the model's order,
// named after it in snake_case. Required members are plain values (an empty
// string is "missing" and gets SQS's MissingParameter error); optional ones
// are `std::optional` or empty containers. Build them with designated
// initializers:
//
//   client.SendMessage({.queue_url = url, .message_body = "hello",
//                       .delay_seconds = 5});
//
// Actions without output in SQS have an empty response struct so that every
// action returns `Result<...Response>` uniformly.
//
// Thread safety: plain values.

#ifndef SQSIM_REQUESTS_H_
#define SQSIM_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/types.h"

namespace sqsim {

// ---- Queue management -------------------------------------------------------

struct CreateQueueRequest {
  std::string queue_name{};
  QueueAttributeMap attributes{};
  TagMap tags{};  // `tags` (lower case) on the wire
};
struct CreateQueueResponse {
  std::string queue_url{};
};

struct GetQueueUrlRequest {
  std::string queue_name{};
  std::optional<std::string> queue_owner_aws_account_id{};
};
struct GetQueueUrlResponse {
  std::string queue_url{};
};

struct ListQueuesRequest {
  std::optional<std::string> queue_name_prefix{};
  std::optional<std::string> next_token{};
  std::optional<int> max_results{};
};
struct ListQueuesResponse {
  std::vector<std::string> queue_urls{};
  std::optional<std::string> next_token{};
};

struct DeleteQueueRequest {
  std::string queue_url{};
};
struct DeleteQueueResponse {};

struct GetQueueAttributesRequest {
  std::string queue_url{};
  std::vector<std::string> attribute_names{};
};
struct GetQueueAttributesResponse {
  QueueAttributeMap attributes{};
};

struct SetQueueAttributesRequest {
  std::string queue_url{};
  QueueAttributeMap attributes{};
};
struct SetQueueAttributesResponse {};

struct PurgeQueueRequest {
  std::string queue_url{};
};
struct PurgeQueueResponse {};

struct TagQueueRequest {
  std::string queue_url{};
  TagMap tags{};
};
struct TagQueueResponse {};

struct UntagQueueRequest {
  std::string queue_url{};
  std::vector<std::string> tag_keys{};
};
struct UntagQueueResponse {};

struct ListQueueTagsRequest {
  std::string queue_url{};
};
struct ListQueueTagsResponse {
  TagMap tags{};  // omitted on the wire when empty
};

struct AddPermissionRequest {
  std::string queue_url{};
  std::string label{};
  std::vector<std::string> aws_account_ids{};
  std::vector<std::string> actions{};
};
struct AddPermissionResponse {};

struct RemovePermissionRequest {
  std::string queue_url{};
  std::string label{};
};
struct RemovePermissionResponse {};

struct ListDeadLetterSourceQueuesRequest {
  std::string queue_url{};
  std::optional<std::string> next_token{};
  std::optional<int> max_results{};
};
struct ListDeadLetterSourceQueuesResponse {
  std::vector<std::string> queue_urls{};  // `queueUrls` (lower case) on the wire
  std::optional<std::string> next_token{};
};

// ---- Messages ---------------------------------------------------------------

struct SendMessageRequest {
  std::string queue_url{};
  std::string message_body{};
  std::optional<int> delay_seconds{};
  MessageAttributeMap message_attributes{};
  MessageAttributeMap message_system_attributes{};
  std::optional<std::string> message_deduplication_id{};
  std::optional<std::string> message_group_id{};
};
struct SendMessageResponse {
  std::string md5_of_message_body{};
  std::optional<std::string> md5_of_message_attributes{};
  std::optional<std::string> md5_of_message_system_attributes{};
  std::string message_id{};
  std::optional<std::string> sequence_number{};
};

struct SendMessageBatchRequestEntry {
  std::string id{};
  std::string message_body{};
  std::optional<int> delay_seconds{};
  MessageAttributeMap message_attributes{};
  MessageAttributeMap message_system_attributes{};
  std::optional<std::string> message_deduplication_id{};
  std::optional<std::string> message_group_id{};
};
struct SendMessageBatchRequest {
  std::string queue_url{};
  std::vector<SendMessageBatchRequestEntry> entries{};
};
struct SendMessageBatchResultEntry {
  std::string id{};
  std::string message_id{};
  std::string md5_of_message_body{};
  std::optional<std::string> md5_of_message_attributes{};
  std::optional<std::string> md5_of_message_system_attributes{};
  std::optional<std::string> sequence_number{};
};
struct SendMessageBatchResponse {
  std::vector<SendMessageBatchResultEntry> successful{};
  std::vector<BatchResultErrorEntry> failed{};
};

struct ReceiveMessageRequest {
  std::string queue_url{};
  // Deprecated synonym of message_system_attribute_names; SQS still honours
  // it, and message_system_attribute_names wins when both are given.
  std::vector<std::string> attribute_names{};
  std::vector<std::string> message_system_attribute_names{};
  std::vector<std::string> message_attribute_names{};
  std::optional<int> max_number_of_messages{};
  std::optional<int> visibility_timeout{};
  std::optional<int> wait_time_seconds{};
  std::optional<std::string> receive_request_attempt_id{};
};
struct ReceiveMessageResponse {
  std::vector<Message> messages{};  // omitted on the wire when empty
};

struct DeleteMessageRequest {
  std::string queue_url{};
  std::string receipt_handle{};
};
struct DeleteMessageResponse {};

struct DeleteMessageBatchRequestEntry {
  std::string id{};
  std::string receipt_handle{};
};
struct DeleteMessageBatchRequest {
  std::string queue_url{};
  std::vector<DeleteMessageBatchRequestEntry> entries{};
};
struct DeleteMessageBatchResultEntry {
  std::string id{};
};
struct DeleteMessageBatchResponse {
  std::vector<DeleteMessageBatchResultEntry> successful{};
  std::vector<BatchResultErrorEntry> failed{};
};

struct ChangeMessageVisibilityRequest {
  std::string queue_url{};
  std::string receipt_handle{};
  int visibility_timeout = 0;
};
struct ChangeMessageVisibilityResponse {};

struct ChangeMessageVisibilityBatchRequestEntry {
  std::string id{};
  std::string receipt_handle{};
  std::optional<int> visibility_timeout{};
};
struct ChangeMessageVisibilityBatchRequest {
  std::string queue_url{};
  std::vector<ChangeMessageVisibilityBatchRequestEntry> entries{};
};
struct ChangeMessageVisibilityBatchResultEntry {
  std::string id{};
};
struct ChangeMessageVisibilityBatchResponse {
  std::vector<ChangeMessageVisibilityBatchResultEntry> successful{};
  std::vector<BatchResultErrorEntry> failed{};
};

// ---- Dead-letter redrive (message move tasks) -------------------------------

struct StartMessageMoveTaskRequest {
  std::string source_arn{};
  std::optional<std::string> destination_arn{};
  std::optional<int> max_number_of_messages_per_second{};
};
struct StartMessageMoveTaskResponse {
  std::string task_handle{};
};

struct CancelMessageMoveTaskRequest {
  std::string task_handle{};
};
struct CancelMessageMoveTaskResponse {
  int64_t approximate_number_of_messages_moved = 0;
};

struct ListMessageMoveTasksRequest {
  std::string source_arn{};
  std::optional<int> max_results{};
};
struct ListMessageMoveTasksResultEntry {
  std::optional<std::string> task_handle{};  // only while RUNNING
  std::string status{};  // RUNNING | COMPLETED | CANCELLING | CANCELLED | FAILED
  std::string source_arn{};
  std::optional<std::string> destination_arn{};
  std::optional<int> max_number_of_messages_per_second{};
  int64_t approximate_number_of_messages_moved = 0;
  int64_t approximate_number_of_messages_to_move = 0;
  std::optional<std::string> failure_reason{};
  int64_t started_timestamp = 0;  // epoch milliseconds
};
struct ListMessageMoveTasksResponse {
  std::vector<ListMessageMoveTasksResultEntry> results{};
};

}  // namespace sqsim

#endif  // SQSIM_REQUESTS_H_
