// Query-protocol responses and errors: XML as SQS's query API writes it.
//
//   <?xml version="1.0"?>
//   <SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
//     <SendMessageResult>...</SendMessageResult>
//     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
//   </SendMessageResponse>
//
// Actions without output have no Result element (SQS's documented
// DeleteMessage response); actions with output always have one, even when
// empty (`<ReceiveMessageResult></ReceiveMessageResult>`), because SDK
// parsers look the wrapper up unconditionally. Element names and nesting
// follow the botocore query-protocol model: flattened lists and maps repeat
// their member element (`<QueueUrl>`, `<Attribute><Name/><Value/></Attribute>`,
// `<SendMessageBatchResultEntry>`, `<ListMessageMoveTasksResultEntry>`).
// Unset optionals and empty lists are omitted; Binary values are base64.

#include <string>
#include <string_view>

#include "sim/digest.h"
#include "wire/query_codec.h"
#include "wire/xml_writer.h"

namespace sqsim::wire {
namespace {

constexpr std::string_view kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

// Writes `<ActionResponse>` (and `<ActionResult>` when `has_result`) on
// construction; Finish() closes the result, adds the metadata and returns
// the document.
class ResponseWriter {
 public:
  ResponseWriter(std::string_view action, bool has_result) : has_result_(has_result) {
    xml_.Open(std::string(action) + "Response", kXmlns);
    if (has_result_) xml_.Open(std::string(action) + "Result");
  }

  XmlWriter& xml() { return xml_; }

  std::string Finish(std::string_view request_id) && {
    if (has_result_) xml_.Close();
    xml_.Open("ResponseMetadata");
    xml_.Element("RequestId", request_id);
    xml_.Close();
    xml_.Close();
    return std::move(xml_).Finish();
  }

 private:
  XmlWriter xml_;
  bool has_result_;
};

void OptionalElement(XmlWriter& xml, std::string_view name,
                     const std::optional<std::string>& value) {
  if (value.has_value()) xml.Element(name, *value);
}

// A flattened map of strings: `<element><key_name/><value_name/></element>`.
void StringMap(XmlWriter& xml, std::string_view element, std::string_view key_name,
               std::string_view value_name, const std::map<std::string, std::string>& map) {
  for (const auto& [key, value] : map) {
    xml.Open(element);
    xml.Element(key_name, key);
    xml.Element(value_name, value);
    xml.Close();
  }
}

void MessageAttributes(XmlWriter& xml, const MessageAttributeMap& attributes) {
  for (const auto& [name, value] : attributes) {
    xml.Open("MessageAttribute");
    xml.Element("Name", name);
    xml.Open("Value");
    OptionalElement(xml, "StringValue", value.string_value);
    if (value.binary_value.has_value()) {
      xml.Element("BinaryValue", internal::Base64Encode(*value.binary_value));
    }
    for (const std::string& item : value.string_list_values) xml.Element("StringListValue", item);
    for (const std::string& item : value.binary_list_values) {
      xml.Element("BinaryListValue", internal::Base64Encode(item));
    }
    xml.Element("DataType", value.data_type);
    xml.Close();
    xml.Close();
  }
}

void WriteMessage(XmlWriter& xml, const Message& message) {
  xml.Open("Message");
  xml.Element("MessageId", message.message_id);
  xml.Element("ReceiptHandle", message.receipt_handle);
  xml.Element("MD5OfBody", message.md5_of_body);
  xml.Element("Body", message.body);
  StringMap(xml, "Attribute", "Name", "Value", message.attributes);
  OptionalElement(xml, "MD5OfMessageAttributes", message.md5_of_message_attributes);
  MessageAttributes(xml, message.message_attributes);
  xml.Close();
}

void BatchErrors(XmlWriter& xml, const std::vector<BatchResultErrorEntry>& failed) {
  for (const BatchResultErrorEntry& entry : failed) {
    xml.Open("BatchResultErrorEntry");
    xml.Element("Id", entry.id);
    xml.BoolElement("SenderFault", entry.sender_fault);
    xml.Element("Code", entry.code);
    OptionalElement(xml, "Message", entry.message);
    xml.Close();
  }
}

// Successful entries that carry only their Id, then the failures.
template <typename Entry>
void IdOnlyBatchResult(XmlWriter& xml, std::string_view element,
                       const std::vector<Entry>& successful,
                       const std::vector<BatchResultErrorEntry>& failed) {
  for (const Entry& entry : successful) {
    xml.Open(element);
    xml.Element("Id", entry.id);
    xml.Close();
  }
  BatchErrors(xml, failed);
}

std::string NoResult(std::string_view action, std::string_view request_id) {
  return ResponseWriter(action, /*has_result=*/false).Finish(request_id);
}

}  // namespace

// ---- Queue management -------------------------------------------------------

std::string EncodeQueryResponse(const CreateQueueResponse& response, std::string_view request_id) {
  ResponseWriter out("CreateQueue", true);
  out.xml().Element("QueueUrl", response.queue_url);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const GetQueueUrlResponse& response, std::string_view request_id) {
  ResponseWriter out("GetQueueUrl", true);
  out.xml().Element("QueueUrl", response.queue_url);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const ListQueuesResponse& response, std::string_view request_id) {
  ResponseWriter out("ListQueues", true);
  for (const std::string& url : response.queue_urls) out.xml().Element("QueueUrl", url);
  OptionalElement(out.xml(), "NextToken", response.next_token);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const DeleteQueueResponse&, std::string_view request_id) {
  return NoResult("DeleteQueue", request_id);
}

std::string EncodeQueryResponse(const GetQueueAttributesResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("GetQueueAttributes", true);
  StringMap(out.xml(), "Attribute", "Name", "Value", response.attributes);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const SetQueueAttributesResponse&, std::string_view request_id) {
  return NoResult("SetQueueAttributes", request_id);
}

std::string EncodeQueryResponse(const PurgeQueueResponse&, std::string_view request_id) {
  return NoResult("PurgeQueue", request_id);
}

std::string EncodeQueryResponse(const TagQueueResponse&, std::string_view request_id) {
  return NoResult("TagQueue", request_id);
}

std::string EncodeQueryResponse(const UntagQueueResponse&, std::string_view request_id) {
  return NoResult("UntagQueue", request_id);
}

std::string EncodeQueryResponse(const ListQueueTagsResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("ListQueueTags", true);
  StringMap(out.xml(), "Tag", "Key", "Value", response.tags);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const AddPermissionResponse&, std::string_view request_id) {
  return NoResult("AddPermission", request_id);
}

std::string EncodeQueryResponse(const RemovePermissionResponse&, std::string_view request_id) {
  return NoResult("RemovePermission", request_id);
}

std::string EncodeQueryResponse(const ListDeadLetterSourceQueuesResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("ListDeadLetterSourceQueues", true);
  for (const std::string& url : response.queue_urls) out.xml().Element("QueueUrl", url);
  OptionalElement(out.xml(), "NextToken", response.next_token);
  return std::move(out).Finish(request_id);
}

// ---- Messages ---------------------------------------------------------------

std::string EncodeQueryResponse(const SendMessageResponse& response, std::string_view request_id) {
  ResponseWriter out("SendMessage", true);
  XmlWriter& xml = out.xml();
  xml.Element("MD5OfMessageBody", response.md5_of_message_body);
  OptionalElement(xml, "MD5OfMessageAttributes", response.md5_of_message_attributes);
  OptionalElement(xml, "MD5OfMessageSystemAttributes", response.md5_of_message_system_attributes);
  xml.Element("MessageId", response.message_id);
  OptionalElement(xml, "SequenceNumber", response.sequence_number);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const SendMessageBatchResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("SendMessageBatch", true);
  XmlWriter& xml = out.xml();
  for (const SendMessageBatchResultEntry& entry : response.successful) {
    xml.Open("SendMessageBatchResultEntry");
    xml.Element("Id", entry.id);
    xml.Element("MessageId", entry.message_id);
    xml.Element("MD5OfMessageBody", entry.md5_of_message_body);
    OptionalElement(xml, "MD5OfMessageAttributes", entry.md5_of_message_attributes);
    OptionalElement(xml, "MD5OfMessageSystemAttributes", entry.md5_of_message_system_attributes);
    OptionalElement(xml, "SequenceNumber", entry.sequence_number);
    xml.Close();
  }
  BatchErrors(xml, response.failed);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const ReceiveMessageResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("ReceiveMessage", true);
  for (const Message& message : response.messages) WriteMessage(out.xml(), message);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const DeleteMessageResponse&, std::string_view request_id) {
  return NoResult("DeleteMessage", request_id);
}

std::string EncodeQueryResponse(const DeleteMessageBatchResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("DeleteMessageBatch", true);
  IdOnlyBatchResult(out.xml(), "DeleteMessageBatchResultEntry", response.successful,
                    response.failed);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const ChangeMessageVisibilityResponse&,
                                std::string_view request_id) {
  return NoResult("ChangeMessageVisibility", request_id);
}

std::string EncodeQueryResponse(const ChangeMessageVisibilityBatchResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("ChangeMessageVisibilityBatch", true);
  IdOnlyBatchResult(out.xml(), "ChangeMessageVisibilityBatchResultEntry", response.successful,
                    response.failed);
  return std::move(out).Finish(request_id);
}

// ---- Dead-letter redrive ----------------------------------------------------

std::string EncodeQueryResponse(const StartMessageMoveTaskResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("StartMessageMoveTask", true);
  out.xml().Element("TaskHandle", response.task_handle);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const CancelMessageMoveTaskResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("CancelMessageMoveTask", true);
  out.xml().IntElement("ApproximateNumberOfMessagesMoved",
                       response.approximate_number_of_messages_moved);
  return std::move(out).Finish(request_id);
}

std::string EncodeQueryResponse(const ListMessageMoveTasksResponse& response,
                                std::string_view request_id) {
  ResponseWriter out("ListMessageMoveTasks", true);
  XmlWriter& xml = out.xml();
  for (const ListMessageMoveTasksResultEntry& entry : response.results) {
    xml.Open("ListMessageMoveTasksResultEntry");
    OptionalElement(xml, "TaskHandle", entry.task_handle);
    xml.Element("Status", entry.status);
    xml.Element("SourceArn", entry.source_arn);
    OptionalElement(xml, "DestinationArn", entry.destination_arn);
    if (entry.max_number_of_messages_per_second.has_value()) {
      xml.IntElement("MaxNumberOfMessagesPerSecond", *entry.max_number_of_messages_per_second);
    }
    xml.IntElement("ApproximateNumberOfMessagesMoved", entry.approximate_number_of_messages_moved);
    xml.IntElement("ApproximateNumberOfMessagesToMove",
                   entry.approximate_number_of_messages_to_move);
    OptionalElement(xml, "FailureReason", entry.failure_reason);
    xml.IntElement("StartedTimestamp", entry.started_timestamp);
    xml.Close();
  }
  return std::move(out).Finish(request_id);
}

// ---- Errors -------------------------------------------------------------------

QueryErrorResponse EncodeQueryError(const Status& status, std::string_view request_id) {
  SQSIM_ASSERT(!status.ok(), "EncodeQueryError needs an error status");
  XmlWriter xml;
  xml.Open("ErrorResponse", kXmlns);
  xml.Open("Error");
  xml.Element("Type", status.sender_fault() ? "Sender" : "Receiver");
  // Transport-only codes have no wire name; they never reach a server, but
  // the enumerator name is still more useful to a client than nothing.
  std::string_view code = status.query_code();
  if (code.empty()) code = GetErrorInfo(status.code()).name;
  xml.Element("Code", code);
  xml.Element("Message", status.message());
  xml.EmptyElement("Detail");
  xml.Close();
  xml.Element("RequestId", request_id);
  xml.Close();
  // Codes without an HTTP status (transport codes) are server faults here.
  const int http_status = status.http_status() > 0 ? status.http_status() : 500;
  return QueryErrorResponse{.http_status = http_status, .body = std::move(xml).Finish()};
}

}  // namespace sqsim::wire
