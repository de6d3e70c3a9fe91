// Records from received messages, and their JSON as Lambda writes it.

#include "sqsim/lambda/sqs_event.h"

#include "core/digest.h"
#include "core/json_quote.h"

namespace sqsim::lambda {

namespace {

std::string Attribute(const Message& m, const char* name) {
  auto it = m.attributes.find(name);
  return it == m.attributes.end() ? std::string() : it->second;
}

std::optional<std::string> OptionalAttribute(const Message& m, const char* name) {
  auto it = m.attributes.find(name);
  if (it == m.attributes.end()) return std::nullopt;
  return it->second;
}

// A JSON string literal, escaped as AWS's Java side escapes it.
void AppendString(std::string& out, std::string_view s) { out += internal::JsonQuote(s); }

void AppendMember(std::string& out, std::string_view key, std::string_view value) {
  AppendString(out, key);
  out.push_back(':');
  AppendString(out, value);
}

void AppendList(std::string& out, std::string_view key, const std::vector<std::string>& values,
                bool base64) {
  AppendString(out, key);
  out += ":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendString(out, base64 ? ::sqsim::internal::Base64Encode(values[i]) : values[i]);
  }
  out.push_back(']');
}

void AppendAttributes(std::string& out, const SqsRecordAttributes& a) {
  // The FIFO example's order: the FIFO attributes between the standard ones.
  out.push_back('{');
  AppendMember(out, "ApproximateReceiveCount", a.approximate_receive_count);
  out.push_back(',');
  AppendMember(out, "SentTimestamp", a.sent_timestamp);
  if (a.sequence_number) {
    out.push_back(',');
    AppendMember(out, "SequenceNumber", *a.sequence_number);
  }
  if (a.message_group_id) {
    out.push_back(',');
    AppendMember(out, "MessageGroupId", *a.message_group_id);
  }
  out.push_back(',');
  AppendMember(out, "SenderId", a.sender_id);
  if (a.message_deduplication_id) {
    out.push_back(',');
    AppendMember(out, "MessageDeduplicationId", *a.message_deduplication_id);
  }
  if (a.aws_trace_header) {
    out.push_back(',');
    AppendMember(out, "AWSTraceHeader", *a.aws_trace_header);
  }
  out.push_back(',');
  AppendMember(out, "ApproximateFirstReceiveTimestamp", a.approximate_first_receive_timestamp);
  out.push_back('}');
}

void AppendMessageAttributes(std::string& out, const MessageAttributeMap& attributes) {
  out.push_back('{');
  bool first = true;
  for (const auto& [name, value] : attributes) {
    if (!first) out.push_back(',');
    first = false;
    AppendString(out, name);
    out += ":{";
    if (value.binary_value) {
      AppendMember(out, "binaryValue", ::sqsim::internal::Base64Encode(*value.binary_value));
    } else {
      AppendMember(out, "stringValue", value.string_value.value_or(""));
    }
    out.push_back(',');
    AppendList(out, "stringListValues", value.string_list_values, /*base64=*/false);
    out.push_back(',');
    AppendList(out, "binaryListValues", value.binary_list_values, /*base64=*/true);
    out.push_back(',');
    AppendMember(out, "dataType", value.data_type);
    out.push_back('}');
  }
  out.push_back('}');
}

constexpr std::string_view kEventPrefix = "{\"Records\":[";
constexpr std::string_view kEventSuffix = "]}";

}  // namespace

SqsRecord RecordFromMessage(const Message& m, const std::string& queue_arn,
                            const std::string& region) {
  SqsRecord r{
      .message_id = m.message_id,
      .receipt_handle = m.receipt_handle,
      .body = m.body,
      .attributes = {.approximate_receive_count = Attribute(m, "ApproximateReceiveCount"),
                     .sent_timestamp = Attribute(m, "SentTimestamp"),
                     .sender_id = Attribute(m, "SenderId"),
                     .approximate_first_receive_timestamp =
                         Attribute(m, "ApproximateFirstReceiveTimestamp"),
                     .sequence_number = OptionalAttribute(m, "SequenceNumber"),
                     .message_group_id = OptionalAttribute(m, "MessageGroupId"),
                     .message_deduplication_id = OptionalAttribute(m, "MessageDeduplicationId"),
                     .aws_trace_header = OptionalAttribute(m, "AWSTraceHeader")},
      .message_attributes = m.message_attributes,
      .md5_of_message_attributes = m.md5_of_message_attributes,
      .md5_of_body = m.md5_of_body,
      .event_source_arn = queue_arn,
      .aws_region = region};
  return r;
}

std::string ToJson(const SqsRecord& r) {
  std::string out;
  out.reserve(r.body.size() + r.receipt_handle.size() + 512);
  out.push_back('{');
  AppendMember(out, "messageId", r.message_id);
  out.push_back(',');
  AppendMember(out, "receiptHandle", r.receipt_handle);
  out.push_back(',');
  AppendMember(out, "body", r.body);
  out += ",\"attributes\":";
  AppendAttributes(out, r.attributes);
  out += ",\"messageAttributes\":";
  AppendMessageAttributes(out, r.message_attributes);
  if (r.md5_of_message_attributes) {
    out.push_back(',');
    AppendMember(out, "md5OfMessageAttributes", *r.md5_of_message_attributes);
  }
  out.push_back(',');
  AppendMember(out, "md5OfBody", r.md5_of_body);
  out.push_back(',');
  AppendMember(out, "eventSource", r.event_source);
  out.push_back(',');
  AppendMember(out, "eventSourceARN", r.event_source_arn);
  out.push_back(',');
  AppendMember(out, "awsRegion", r.aws_region);
  out.push_back('}');
  return out;
}

std::string ToJson(const SqsEvent& event) {
  std::string out(kEventPrefix);
  for (size_t i = 0; i < event.records.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += ToJson(event.records[i]);
  }
  out += kEventSuffix;
  return out;
}

size_t EventJsonSize(size_t records, size_t record_bytes) {
  const size_t commas = records > 0 ? records - 1 : 0;
  return kEventPrefix.size() + record_bytes + commas + kEventSuffix.size();
}

BatchResponse BatchResponse::Failures(const std::vector<std::string>& message_ids) {
  BatchResponse response{.batch_item_failures = std::vector<BatchItemFailure>{}};
  for (const std::string& id : message_ids) {
    response.batch_item_failures->push_back({.item_identifier = id});
  }
  return response;
}

}  // namespace sqsim::lambda
