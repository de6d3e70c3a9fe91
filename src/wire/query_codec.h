// The SQS query protocol (API 2012-11-05), server side: form-encoded
// requests (`Action=SendMessage&QueueUrl=...&MessageBody=...`, in a POST body
// or a GET query string) and XML responses. Older SDKs and tools still speak
// it; sqsim-server accepts it next to the JSON protocol.
//
// Member names follow the botocore model's query serialization
// (`Attribute.1.Name`, `MessageAttribute.1.Value.StringValue`,
// `SendMessageBatchRequestEntry.1.Id`, ...); responses are
// `<NameResponse><NameResult>...</NameResult><ResponseMetadata>...`.

#ifndef SQSIM_WIRE_QUERY_CODEC_H_
#define SQSIM_WIRE_QUERY_CODEC_H_

#include <map>
#include <string>
#include <string_view>

#include "sqsim/actions.h"
#include "sqsim/requests.h"
#include "sqsim/status.h"

namespace sqsim::wire {

inline constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

// Decoded form fields. A repeated key keeps its last value.
using FormFields = std::map<std::string, std::string>;

// Parses `a=1&b=x%20y` (also `+` for space); a key without `=` gets "".
// A `%` not followed by two hex digits gives InvalidParameterValue (the
// closest code sqsim has to SQS's MalformedQueryString; see form.cc).
Result<FormFields> ParseForm(std::string_view body);

// For every action `Name`:
//
//   Status DecodeQueryRequest(const FormFields& form, NameRequest* request);
//   std::string EncodeQueryResponse(const NameResponse& response,
//                                   std::string_view request_id);
#define SQSIM_DECLARE_QUERY_CODEC(Name)                                      \
  Status DecodeQueryRequest(const FormFields& form, Name##Request* request); \
  std::string EncodeQueryResponse(const Name##Response& response, std::string_view request_id);
SQSIM_FOR_EACH_ACTION(SQSIM_DECLARE_QUERY_CODEC)
#undef SQSIM_DECLARE_QUERY_CODEC

struct QueryErrorResponse {
  int http_status = 400;
  // <ErrorResponse><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>
  // <Message>...</Message><Detail/></Error><RequestId>...</RequestId></ErrorResponse>
  std::string body{};
};
// REQUIRES: !status.ok().
QueryErrorResponse EncodeQueryError(const Status& status, std::string_view request_id);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_QUERY_CODEC_H_
