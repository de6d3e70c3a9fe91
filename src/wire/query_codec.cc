// Query-protocol request decoding: one DecodeQueryRequest per action.
//
// Form names are those of the botocore SQS query-protocol model (1.34 and
// earlier, before SQS moved to JSON); the current JSON model keeps the member
// names and `flattened` but dropped the `locationName` traits, which are
// restored here:
//   maps   Attribute.N.Name/Value, Tag.N.Key/Value,
//          MessageAttribute.N.Name/Value.{StringValue,BinaryValue,DataType,
//          StringListValue.M,BinaryListValue.M}, MessageSystemAttribute.N...
//   lists  AttributeName.N, MessageAttributeName.N, AWSAccountId.N,
//          ActionName.N, TagKey.N, <EntryShapeName>.N.<Member>
// `MessageSystemAttributeNames` postdates the query model; clients that still
// speak query (kombu, for one) send it as `MessageSystemAttributeName.N`,
// following the model's naming rule, and so does sqsim.
//
// Decoding is liberal where SQS is: unknown parameters are ignored, missing
// members stay empty (the engine reports MissingParameter). The errors are
// InvalidParameterValue for an integer or base64 value that does not parse.

#include "wire/query_codec.h"

#include <string>

#include "wire/form_reader.h"

namespace sqsim::wire {
namespace {

// Member names of MessageAttributeValue / MessageSystemAttributeValue.
Status ReadAttributeValue(const FormReader& form, const std::string& prefix,
                          MessageAttributeValue* value) {
  form.ReadString(prefix + ".StringValue", &value->string_value);
  if (Status s = form.ReadBinary(prefix + ".BinaryValue", &value->binary_value); !s.ok()) return s;
  form.ReadStringList(prefix + ".StringListValue", &value->string_list_values);
  if (Status s = form.ReadBinaryList(prefix + ".BinaryListValue", &value->binary_list_values);
      !s.ok()) {
    return s;
  }
  form.ReadString(prefix + ".DataType", &value->data_type);
  return Status::Ok();
}

// `prefix.N.Name` -> `prefix.N.Value.*`, as MessageBodyAttributeMap and
// MessageBodySystemAttributeMap serialize.
Status ReadMessageAttributes(const FormReader& form, const std::string& prefix,
                             MessageAttributeMap* out) {
  for (int index : form.Indexes(prefix)) {
    const std::string entry = IndexedKey(prefix, index);
    std::string name;
    form.ReadString(entry + ".Name", &name);
    MessageAttributeValue value;
    if (Status s = ReadAttributeValue(form, entry + ".Value", &value); !s.ok()) return s;
    (*out)[std::move(name)] = std::move(value);
  }
  return Status::Ok();
}

void ReadQueueAttributes(const FormReader& form, QueueAttributeMap* out) {
  form.ReadStringMap("Attribute", "Name", "Value", out);
}

void ReadTags(const FormReader& form, TagMap* out) {
  form.ReadStringMap("Tag", "Key", "Value", out);
}

// The members SendMessage and a SendMessageBatch entry share, under `prefix`
// ("" for SendMessage, "SendMessageBatchRequestEntry.N." for an entry).
template <typename T>
Status ReadSendMembers(const FormReader& form, const std::string& prefix, T* out) {
  form.ReadString(prefix + "MessageBody", &out->message_body);
  if (Status s = form.ReadInt(prefix + "DelaySeconds", &out->delay_seconds); !s.ok()) return s;
  if (Status s = ReadMessageAttributes(form, prefix + "MessageAttribute", &out->message_attributes);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadMessageAttributes(form, prefix + "MessageSystemAttribute",
                                       &out->message_system_attributes);
      !s.ok()) {
    return s;
  }
  form.ReadString(prefix + "MessageDeduplicationId", &out->message_deduplication_id);
  form.ReadString(prefix + "MessageGroupId", &out->message_group_id);
  return Status::Ok();
}

}  // namespace

// ---- Queue management -------------------------------------------------------

Status DecodeQueryRequest(const FormFields& fields, CreateQueueRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueName", &request->queue_name);
  ReadQueueAttributes(form, &request->attributes);
  ReadTags(form, &request->tags);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, GetQueueUrlRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueName", &request->queue_name);
  form.ReadString("QueueOwnerAWSAccountId", &request->queue_owner_aws_account_id);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ListQueuesRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueNamePrefix", &request->queue_name_prefix);
  form.ReadString("NextToken", &request->next_token);
  return form.ReadInt("MaxResults", &request->max_results);
}

Status DecodeQueryRequest(const FormFields& fields, DeleteQueueRequest* request) {
  FormReader(fields).ReadString("QueueUrl", &request->queue_url);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, GetQueueAttributesRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadStringList("AttributeName", &request->attribute_names);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, SetQueueAttributesRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  ReadQueueAttributes(form, &request->attributes);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, PurgeQueueRequest* request) {
  FormReader(fields).ReadString("QueueUrl", &request->queue_url);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, TagQueueRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  ReadTags(form, &request->tags);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, UntagQueueRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadStringList("TagKey", &request->tag_keys);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ListQueueTagsRequest* request) {
  FormReader(fields).ReadString("QueueUrl", &request->queue_url);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, AddPermissionRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadString("Label", &request->label);
  form.ReadStringList("AWSAccountId", &request->aws_account_ids);
  form.ReadStringList("ActionName", &request->actions);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, RemovePermissionRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadString("Label", &request->label);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ListDeadLetterSourceQueuesRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadString("NextToken", &request->next_token);
  return form.ReadInt("MaxResults", &request->max_results);
}

// ---- Messages ---------------------------------------------------------------

Status DecodeQueryRequest(const FormFields& fields, SendMessageRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  return ReadSendMembers(form, "", request);
}

Status DecodeQueryRequest(const FormFields& fields, SendMessageBatchRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  constexpr std::string_view kEntry = "SendMessageBatchRequestEntry";
  for (int index : form.Indexes(kEntry)) {
    const std::string prefix = IndexedKey(kEntry, index) + ".";
    SendMessageBatchRequestEntry entry;
    form.ReadString(prefix + "Id", &entry.id);
    if (Status s = ReadSendMembers(form, prefix, &entry); !s.ok()) return s;
    request->entries.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ReceiveMessageRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadStringList("AttributeName", &request->attribute_names);
  form.ReadStringList("MessageSystemAttributeName", &request->message_system_attribute_names);
  form.ReadStringList("MessageAttributeName", &request->message_attribute_names);
  if (Status s = form.ReadInt("MaxNumberOfMessages", &request->max_number_of_messages); !s.ok()) {
    return s;
  }
  if (Status s = form.ReadInt("VisibilityTimeout", &request->visibility_timeout); !s.ok()) {
    return s;
  }
  if (Status s = form.ReadInt("WaitTimeSeconds", &request->wait_time_seconds); !s.ok()) return s;
  form.ReadString("ReceiveRequestAttemptId", &request->receive_request_attempt_id);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, DeleteMessageRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadString("ReceiptHandle", &request->receipt_handle);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, DeleteMessageBatchRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  constexpr std::string_view kEntry = "DeleteMessageBatchRequestEntry";
  for (int index : form.Indexes(kEntry)) {
    const std::string prefix = IndexedKey(kEntry, index) + ".";
    DeleteMessageBatchRequestEntry entry;
    form.ReadString(prefix + "Id", &entry.id);
    form.ReadString(prefix + "ReceiptHandle", &entry.receipt_handle);
    request->entries.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ChangeMessageVisibilityRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  form.ReadString("ReceiptHandle", &request->receipt_handle);
  return form.ReadInt("VisibilityTimeout", &request->visibility_timeout);
}

Status DecodeQueryRequest(const FormFields& fields, ChangeMessageVisibilityBatchRequest* request) {
  FormReader form(fields);
  form.ReadString("QueueUrl", &request->queue_url);
  constexpr std::string_view kEntry = "ChangeMessageVisibilityBatchRequestEntry";
  for (int index : form.Indexes(kEntry)) {
    const std::string prefix = IndexedKey(kEntry, index) + ".";
    ChangeMessageVisibilityBatchRequestEntry entry;
    form.ReadString(prefix + "Id", &entry.id);
    form.ReadString(prefix + "ReceiptHandle", &entry.receipt_handle);
    if (Status s = form.ReadInt(prefix + "VisibilityTimeout", &entry.visibility_timeout); !s.ok()) {
      return s;
    }
    request->entries.push_back(std::move(entry));
  }
  return Status::Ok();
}

// ---- Dead-letter redrive ----------------------------------------------------

Status DecodeQueryRequest(const FormFields& fields, StartMessageMoveTaskRequest* request) {
  FormReader form(fields);
  form.ReadString("SourceArn", &request->source_arn);
  form.ReadString("DestinationArn", &request->destination_arn);
  return form.ReadInt("MaxNumberOfMessagesPerSecond", &request->max_number_of_messages_per_second);
}

Status DecodeQueryRequest(const FormFields& fields, CancelMessageMoveTaskRequest* request) {
  FormReader(fields).ReadString("TaskHandle", &request->task_handle);
  return Status::Ok();
}

Status DecodeQueryRequest(const FormFields& fields, ListMessageMoveTasksRequest* request) {
  FormReader form(fields);
  form.ReadString("SourceArn", &request->source_arn);
  return form.ReadInt("MaxResults", &request->max_results);
}

}  // namespace sqsim::wire
