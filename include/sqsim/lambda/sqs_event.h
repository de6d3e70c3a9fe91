// The event a Lambda function gets from an SQS event source mapping, and the
// response it may give back, with Lambda's names and JSON.
//
// Shapes follow the AWS Lambda Developer Guide, "Using Lambda with Amazon
// SQS" (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html): the "Example
// standard queue message event" and "Example FIFO queue message event", and
// "Handling errors for an SQS event source in Lambda"
// (services-sqs-errorhandling.html) for partial batch responses.
//
//   {"Records": [{"messageId": "...", "receiptHandle": "...", "body": "...",
//     "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "...",
//                    "SenderId": "...", "ApproximateFirstReceiveTimestamp": "..."},
//     "messageAttributes": {"a": {"stringValue": "v", "stringListValues": [],
//                                 "binaryListValues": [], "dataType": "String"}},
//     "md5OfBody": "...", "eventSource": "aws:sqs",
//     "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1"}]}
//
// Thread safety: plain values.

#ifndef SQSIM_LAMBDA_SQS_EVENT_H_
#define SQSIM_LAMBDA_SQS_EVENT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/types.h"

namespace sqsim::lambda {

// Lambda's quota on a synchronous invocation's payload: 6 MB (Lambda quotas
// page, "Invocation payload (request and response)": 6 MB each for
// synchronous invocations), counted on the event's JSON.
inline constexpr size_t kMaxInvocationPayloadBytes = 6 * 1024 * 1024;

// A record's `attributes`: the message's system attributes, as SQS sends
// them (text). The FIFO ones are present only for messages that have them.
struct SqsRecordAttributes {
  std::string approximate_receive_count{};
  std::string sent_timestamp{};
  std::string sender_id{};
  std::string approximate_first_receive_timestamp{};
  std::optional<std::string> sequence_number{};
  std::optional<std::string> message_group_id{};
  std::optional<std::string> message_deduplication_id{};
  std::optional<std::string> aws_trace_header{};  // AWSTraceHeader, when the sender set one

  friend bool operator==(const SqsRecordAttributes&, const SqsRecordAttributes&) = default;
};

// One message of the batch.
struct SqsRecord {
  std::string message_id{};
  std::string receipt_handle{};
  std::string body{};
  SqsRecordAttributes attributes{};
  // The message's user attributes; binary values are raw bytes here and
  // base64 in the JSON.
  MessageAttributeMap message_attributes{};
  std::optional<std::string> md5_of_message_attributes{};  // only when it has attributes
  std::string md5_of_body{};
  std::string event_source = "aws:sqs";
  std::string event_source_arn{};
  std::string aws_region{};

  friend bool operator==(const SqsRecord&, const SqsRecord&) = default;
};

struct SqsEvent {
  std::vector<SqsRecord> records{};
};

// The record Lambda makes of a received message (received with all system
// and message attributes) of the queue `queue_arn` in `region`.
SqsRecord RecordFromMessage(const Message& message, const std::string& queue_arn,
                            const std::string& region);

// The JSON Lambda passes to the function, keys in the documented examples'
// order. ToJson(event).size() is what the 6 MB quota counts.
std::string ToJson(const SqsRecord& record);
std::string ToJson(const SqsEvent& event);
// ToJson(event).size() for an event whose records' JSON sizes are
// `record_bytes` (their sum) and that has `records` records.
size_t EventJsonSize(size_t records, size_t record_bytes);

// One entry of `batchItemFailures`. `item_identifier` is the messageId of a
// record that failed; nullopt stands for JSON null.
struct BatchItemFailure {
  std::optional<std::string> item_identifier{};
};

// What the function returns. With FunctionResponseTypes
// [ReportBatchItemFailures], `batch_item_failures` lists the records that
// failed (nullopt or empty: the whole batch succeeded); without it the
// response is ignored.
struct BatchResponse {
  std::optional<std::vector<BatchItemFailure>> batch_item_failures{};

  // Every record succeeded.
  static BatchResponse Success() { return {}; }
  // The records with these message ids failed.
  static BatchResponse Failures(const std::vector<std::string>& message_ids);
};

}  // namespace sqsim::lambda

#endif  // SQSIM_LAMBDA_SQS_EVENT_H_
