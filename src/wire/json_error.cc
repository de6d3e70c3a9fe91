// Error responses of the SQS JSON protocol: EncodeJsonError (server) and
// DecodeJsonError (client). See json_codec.h for the contract and AWS
// "Interpreting Amazon SQS JSON API responses" (sqs-json-api-responses.html)
// for the wire shape:
//
//   HTTP/1.1 400 Bad Request
//   x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender
//   {"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"..."}

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "wire/json_codec.h"

namespace sqsim::wire {
namespace {

using Json = nlohmann::json;

// SQS's modeled errors live in the `com.amazonaws.sqs` Smithy namespace
// (documented). AWS's docs do not show the namespace of the un-modeled and
// common errors (AccessDenied, ThrottlingException, ...); SDKs strip it, so
// they use the service's namespace too. SerializationException is raised by
// the Coral framework itself and carries Coral's namespace.
constexpr std::string_view kSqsNamespace = "com.amazonaws.sqs#";
constexpr std::string_view kCoralNamespace = "com.amazon.coral.service#";

// How long a non-JSON error body may be when it becomes the message.
constexpr size_t kMaxRawMessage = 256;

std::string TypeName(const Status& status) {
  if (status.code() == ErrorCode::kSerializationException) {
    return std::string(kCoralNamespace) + std::string(status.json_type());
  }
  // An unknown error relayed from elsewhere keeps its own namespace.
  if (status.json_type().find('#') != std::string_view::npos)
    return std::string(status.json_type());
  return std::string(kSqsNamespace) + std::string(status.json_type());
}

// The short error name in `__type`: "prefix#Name" and "Name:http://..." both
// give "Name" (botocore's rule).
std::string ShortTypeName(std::string_view type) {
  if (size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  if (size_t hash = type.rfind('#'); hash != std::string_view::npos) type = type.substr(hash + 1);
  return std::string(type);
}

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// The code for a response that names none: from the HTTP status alone.
ErrorCode CodeFromHttpStatus(int http_status) {
  if (http_status == 503) return ErrorCode::kServiceUnavailable;
  if (http_status >= 500 && http_status <= 599) return ErrorCode::kInternalFailure;
  if (http_status == 429) return ErrorCode::kThrottlingException;
  return ErrorCode::kUnknownError;
}

}  // namespace

JsonErrorResponse EncodeJsonError(const Status& status) {
  SQSIM_ASSERT(!status.ok(), "EncodeJsonError needs an error Status");
  // Transport and client-side codes (kNetworkError, kTimeout,
  // kMalformedResponse) have no wire form; a server relaying one reports an
  // internal failure, as SQS does for anything that went wrong on its side.
  Status wire = status;
  if (status.json_type().empty()) {
    wire = status.code() == ErrorCode::kUnknownError
               ? Status(ErrorCode::kUnknownError, status.message())
                     .set_wire_names("UnknownError", "UnknownError")
               : Status(ErrorCode::kInternalFailure, status.message());
  }
  JsonErrorResponse response;
  response.http_status = wire.http_status() != 0 ? wire.http_status()
                         : wire.sender_fault()   ? 400
                                                 : 500;
  Json body = Json::object();
  body["__type"] = TypeName(wire);
  body["message"] = wire.message();
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  const std::string_view query_code =
      wire.query_code().empty() ? wire.json_type() : wire.query_code();
  response.query_error_header =
      std::string(ShortTypeName(query_code)) + ";" + (wire.sender_fault() ? "Sender" : "Receiver");
  return response;
}

Status DecodeJsonError(int http_status, std::string_view body,
                       std::string_view query_error_header) {
  std::string message;
  std::string type;
  bool body_is_json = false;
  try {
    Json json = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
      body_is_json = true;
      auto type_it = json.find("__type");
      if (type_it != json.end() && type_it->is_string()) {
        type = ShortTypeName(type_it->get_ref<const std::string&>());
      }
      for (const char* key : {"message", "Message"}) {
        auto it = json.find(key);
        if (it != json.end() && it->is_string()) {
          message = it->get_ref<const std::string&>();
          break;
        }
      }
    }
  } catch (const Json::exception&) {
    body_is_json = false;  // treated like any other non-JSON body
  }
  if (!body_is_json && !body.empty()) message = std::string(body.substr(0, kMaxRawMessage));
  if (message.empty()) message = "HTTP " + std::to_string(http_status);

  const std::string query_code(Trim(query_error_header.substr(0, query_error_header.find(';'))));
  if (!query_code.empty()) {
    if (std::optional<ErrorCode> code = ErrorCodeFromWireName(query_code)) {
      return Status(*code, std::move(message));
    }
  }
  if (!type.empty()) {
    if (std::optional<ErrorCode> code = ErrorCodeFromWireName(type)) {
      return Status(*code, std::move(message));
    }
  }
  if (!type.empty() || !query_code.empty()) {
    Status status(ErrorCode::kUnknownError, std::move(message));
    status.set_wire_names(type, query_code);
    return status;
  }
  return Status(CodeFromHttpStatus(http_status), std::move(message));
}

}  // namespace sqsim::wire
