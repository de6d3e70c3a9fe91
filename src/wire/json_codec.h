// The SQS JSON protocol (awsJson1_0 with query compatibility), both ways.
//
// Requests travel as `POST /` with `X-Amz-Target: AmazonSQS.<Action>` and
// `Content-Type: application/x-amz-json-1.0`; the body is a JSON object
// whose members are the botocore model's member names (`QueueUrl`,
// `MessageBody`, ...). Binary attribute values are base64 on the wire and raw
// bytes in sqsim's structs.
//
// The client (AwsClient) encodes requests and decodes responses and errors;
// the server (sqsim-server) decodes requests and encodes responses and
// errors. One description of each struct serves both directions.
//
// Every function is total: any byte string given to a Decode function gives
// either a value or a Status, never a crash.

#ifndef SQSIM_WIRE_JSON_CODEC_H_
#define SQSIM_WIRE_JSON_CODEC_H_

#include <string>
#include <string_view>

#include "sqsim/actions.h"
#include "sqsim/requests.h"
#include "sqsim/status.h"

namespace sqsim::wire {

inline constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";
// "AmazonSQS." + action name is the X-Amz-Target header value.
inline constexpr std::string_view kTargetPrefix = "AmazonSQS.";

// For every action `Name`:
//
//   std::string EncodeJsonRequest(const NameRequest&);            client
//   Status DecodeJsonResponse(std::string_view body, NameResponse*); client
//   Status DecodeJsonRequest(std::string_view body, NameRequest*);   server
//   std::string EncodeJsonResponse(const NameResponse&);           server
//
// Encoders omit unset optionals and empty lists and maps, except the lists
// and maps the model marks required (`Successful`, `Failed`, `queueUrls`,
// `Entries`, ...), which are always written; empty required strings mean
// "missing" (requests.h) and are omitted. Response decoders
// accept missing optional members and ignore unknown ones; a body that is not
// JSON, or a member of the wrong type, gives kMalformedResponse. Request
// decoders give the error SQS gives for the same body (see json_codec.cc).
#define SQSIM_DECLARE_JSON_CODEC(Name)                                        \
  std::string EncodeJsonRequest(const Name##Request& request);                \
  Status DecodeJsonResponse(std::string_view body, Name##Response* response); \
  Status DecodeJsonRequest(std::string_view body, Name##Request* request);    \
  std::string EncodeJsonResponse(const Name##Response& response);
SQSIM_FOR_EACH_ACTION(SQSIM_DECLARE_JSON_CODEC)
#undef SQSIM_DECLARE_JSON_CODEC

// An error response as the server sends it.
struct JsonErrorResponse {
  int http_status = 400;
  // {"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"..."}
  std::string body{};
  // `x-amzn-query-error` header: "<query code>;Sender" or ";Receiver".
  std::string query_error_header{};
};
// REQUIRES: !status.ok().
JsonErrorResponse EncodeJsonError(const Status& status);

// Decodes an error response (any non-2xx status). The code comes from the
// `x-amzn-query-error` header when it names a known code, else from
// `__type` (namespaced `prefix#Name` and `Name:detail` forms accepted), else
// from the HTTP status; `message` or `Message` gives the message. Unknown
// names give kUnknownError with the names kept (Status::set_wire_names).
// `query_error_header` is empty when the response had none.
Status DecodeJsonError(int http_status, std::string_view body, std::string_view query_error_header);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_JSON_CODEC_H_
