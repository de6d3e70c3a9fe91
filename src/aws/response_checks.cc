#include "aws/response_checks.h"

#include <map>
#include <optional>
#include <string>

#include "core/digest.h"

namespace sqsim::internal {
namespace {

Status Mismatch(std::string_view what, std::string_view message_id, std::string_view expected,
                std::string_view reported) {
  return Status(ErrorCode::kMalformedResponse,
                std::string(what) + " mismatch for message " + std::string(message_id) +
                    ": computed " + std::string(expected) + ", the endpoint reported " +
                    (reported.empty() ? std::string("nothing") : std::string(reported)));
}

// Md5OfMessageAttributes asserts on a value without the member its DataType
// calls for; data from the network must not be able to trigger that.
bool Hashable(const MessageAttributeMap& attributes) {
  for (const auto& [name, value] : attributes) {
    const bool binary = value.data_type.starts_with("Binary");
    if (binary ? !value.binary_value.has_value() : !value.string_value.has_value()) return false;
  }
  return true;
}

Status CheckMessage(std::string_view message_id, std::string_view body,
                    std::string_view reported_body_md5, const MessageAttributeMap& attributes,
                    const std::optional<std::string>& reported_attributes_md5) {
  const std::string body_md5 = Md5Hex(body);
  if (body_md5 != reported_body_md5) {
    return Mismatch("MD5 of message body", message_id, body_md5, reported_body_md5);
  }
  if (attributes.empty()) return Status::Ok();
  if (!Hashable(attributes)) {
    return Status(ErrorCode::kMalformedResponse,
                  "message " + std::string(message_id) +
                      " has a message attribute without the value its DataType calls for");
  }
  const std::string attributes_md5 = Md5OfMessageAttributes(attributes).value_or("");
  const std::string reported = reported_attributes_md5.value_or("");
  if (attributes_md5 != reported) {
    return Mismatch("MD5 of message attributes", message_id, attributes_md5, reported);
  }
  return Status::Ok();
}

}  // namespace

Status CheckResponseDigests(const SendMessageRequest& request,
                            const SendMessageResponse& response) {
  return CheckMessage(response.message_id, request.message_body, response.md5_of_message_body,
                      request.message_attributes, response.md5_of_message_attributes);
}

Status CheckResponseDigests(const SendMessageBatchRequest& request,
                            const SendMessageBatchResponse& response) {
  std::map<std::string_view, const SendMessageBatchRequestEntry*> sent;
  for (const SendMessageBatchRequestEntry& entry : request.entries) sent[entry.id] = &entry;
  for (const SendMessageBatchResultEntry& result : response.successful) {
    auto it = sent.find(result.id);
    if (it == sent.end()) {
      return Status(ErrorCode::kMalformedResponse, "SendMessageBatch result names entry id '" +
                                                       result.id +
                                                       "', which the request did not have");
    }
    Status checked =
        CheckMessage(result.message_id, it->second->message_body, result.md5_of_message_body,
                     it->second->message_attributes, result.md5_of_message_attributes);
    if (!checked.ok()) return checked;
  }
  return Status::Ok();
}

Status CheckResponseDigests(const ReceiveMessageRequest&, const ReceiveMessageResponse& response) {
  for (const Message& message : response.messages) {
    Status checked = CheckMessage(message.message_id, message.body, message.md5_of_body,
                                  message.message_attributes, message.md5_of_message_attributes);
    if (!checked.ok()) return checked;
  }
  return Status::Ok();
}

}  // namespace sqsim::internal
