// SNS's query protocol (API 2010-03-31), both directions: SNS speaks no
// other. Requests are form-encoded
// (`Action=Publish&Version=2010-03-31&TopicArn=...&Message=...`), responses
// and errors are XML:
//
//   <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
//     <PublishResult><MessageId>...</MessageId></PublishResult>
//     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
//   </PublishResponse>
//
//   <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
//     <Error><Type>Sender</Type><Code>NotFound</Code><Message>...</Message></Error>
//     <RequestId>...</RequestId>
//   </ErrorResponse>
//
// Member names, list (`member`) and map (`entry`, `key`/`value` or
// `Name`/`Value`) names follow the botocore SNS model; sns_shapes.h
// describes every struct once for all four directions.
//
// The functions live in sqsim::wire next to the SQS query codec
// (query_codec.h), whose ParseForm and FormFields they share; every name
// says "Sns", and the SQS and SNS action names do not overlap.
//
// Server side: a server that speaks both services parses the form, asks
// SnsQueryAction() whether it names an SNS action (nullopt: fall through to
// SQS), decodes the request with DecodeSnsQueryRequest, and answers with
// EncodeSnsQueryResponse or EncodeSnsQueryError. Decoding only rejects what
// cannot be decoded (a BinaryValue that is not base64, a boolean that is
// neither true nor false); missing members stay empty and the engine
// reports them as SNS does.
//
// Client side (an adapter talking to real SNS or moto): EncodeSnsQueryRequest
// gives the form body, DecodeSnsQueryResponse reads a 2xx body and
// DecodeSnsQueryError any other.
//
// Thread safety: stateless functions.

#ifndef SQSIM_WIRE_SNS_QUERY_CODEC_H_
#define SQSIM_WIRE_SNS_QUERY_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sqsim/sns/client.h"
#include "sqsim/sns/types.h"
#include "sqsim/status.h"
#include "wire/query_codec.h"

namespace sqsim::wire {

inline constexpr std::string_view kSnsApiVersion = "2010-03-31";
inline constexpr std::string_view kSnsXmlNamespace = "http://sns.amazonaws.com/doc/2010-03-31/";

// The SNS actions sqsim implements, as SQSIM_SNS_FOR_EACH_ACTION lists them.
enum class SnsAction : uint8_t {
#define SQSIM_SNS_ACTION_ENUMERATOR(Name) k##Name,
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_ACTION_ENUMERATOR)
#undef SQSIM_SNS_ACTION_ENUMERATOR
};

// "Publish" for SnsAction::kPublish.
std::string_view SnsActionName(SnsAction action);
// The action named `name` exactly (case-sensitively, as SNS matches it), or
// nullopt.
std::optional<SnsAction> SnsActionFromName(std::string_view name);
// The SNS action of a parsed request form (its `Action` field), or nullopt
// when the form has no Action or names a non-SNS action. `Version` is not
// consulted: the action name alone tells SNS from SQS.
std::optional<SnsAction> SnsQueryAction(const FormFields& form);

// For every action `Name`:
//
//   server:
//   Status DecodeSnsQueryRequest(const FormFields& form, sns::NameRequest* request);
//   std::string EncodeSnsQueryResponse(const sns::NameResponse& response,
//                                      std::string_view request_id);
//   client:
//   std::string EncodeSnsQueryRequest(const sns::NameRequest& request);
//   Status DecodeSnsQueryResponse(std::string_view xml, sns::NameResponse* response);
//
// DecodeSnsQueryRequest fails only with InvalidParameter (HTTP 400), for the
// first value it cannot decode. DecodeSnsQueryResponse fails with
// MalformedResponse when the body is not the action's XML response.
#define SQSIM_DECLARE_SNS_QUERY_CODEC(Name)                                          \
  Status DecodeSnsQueryRequest(const FormFields& form, sns::Name##Request* request); \
  std::string EncodeSnsQueryResponse(const sns::Name##Response& response,            \
                                     std::string_view request_id);                   \
  std::string EncodeSnsQueryRequest(const sns::Name##Request& request);              \
  Status DecodeSnsQueryResponse(std::string_view xml, sns::Name##Response* response);
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_DECLARE_SNS_QUERY_CODEC)
#undef SQSIM_DECLARE_SNS_QUERY_CODEC

// The error response for `status`: `<Code>` is sns::SnsErrorCode(code), the
// Type is Sender for 4xx and Receiver for 5xx. Codes with no SNS name (the
// transport-only ones) are sent as InternalError, HTTP 500; an unknown error
// relayed from elsewhere keeps its recorded wire name.
// REQUIRES: !status.ok().
QueryErrorResponse EncodeSnsQueryError(const Status& status, std::string_view request_id);

// The error an SNS error response (any non-2xx) reports. `<Code>` is mapped
// back through sns::SnsErrorCode (plus "ValidationException" and "Throttled",
// the botocore model's spellings of ValidationError and of throttling); an
// unknown code gives kUnknownError whose message starts with the code text
// and whose wire names record it. A body without a code gives a code from
// the HTTP status alone (503 ServiceUnavailable, other 5xx InternalError,
// 429 ThrottlingException, else UnknownError) with the start of the body as
// message. Never returns OK.
Status DecodeSnsQueryError(int http_status, std::string_view xml);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_SNS_QUERY_CODEC_H_
