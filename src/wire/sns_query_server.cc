// SNS query protocol, server side: action lookup, request decoding
// (SnsFormDecoder, a visitor over sns_shapes.h), response encoding
// (SnsXmlEncoder, likewise) and error responses.
//
// Decoding shares FormReader (form_reader.h) with query_codec.cc, and with it
// the SQS conventions where SNS leaves them open:
//   - list and map indexes are read as FormReader reads them;
//   - unknown parameters are ignored, missing members stay empty (the
//     engine reports them as SNS does);
//   - a map entry without a key reads it as "" (the engine rejects the name);
//     a repeated map key keeps the value with the highest index;
//   - `Tags=` (botocore's empty list) is an empty list.
// The only error is InvalidParameter, SNS's general 400, for a BinaryValue
// that is not base64 or a boolean that is neither "true" nor "false"
// (either case, as Java's Boolean parsing accepts). SNS's wording for these
// was not recorded; the message follows its "Invalid parameter: <name>
// Reason: <why>" pattern and names the full key.
//
// Responses: members in model order; unset optionals are omitted, plain
// strings and booleans always written; lists and maps are always written,
// as an empty element when empty, because SNS does so and SDK users read
// `response['Topics']` without a default.

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/digest.h"
#include "wire/form_reader.h"
#include "wire/sns_query_codec.h"
#include "wire/sns_shapes.h"
#include "wire/xml_writer.h"

namespace sqsim::wire {
namespace sns_query_server_internal {

constexpr std::string_view kActionNames[] = {
#define SQSIM_SNS_ACTION_NAME(Name) #Name,
    SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_ACTION_NAME)
#undef SQSIM_SNS_ACTION_NAME
};

std::optional<bool> ParseBool(std::string_view text) {
  const auto equals_ignoring_case = [&](std::string_view word) {
    return std::equal(text.begin(), text.end(), word.begin(), word.end(),
                      [](char a, char b) { return (a | 0x20) == b; });
  };
  if (equals_ignoring_case("true")) return true;
  if (equals_ignoring_case("false")) return false;
  return std::nullopt;
}

// InvalidParameter "Invalid parameter: <key> Reason: <reason>", SNS's
// pattern for a value it cannot accept.
Status InvalidParameter(const std::string& key, std::string_view reason) {
  return Status(ErrorCode::kInvalidParameter,
                "Invalid parameter: " + key + " Reason: " + std::string(reason));
}

// Reads the members of one struct whose keys start with `prefix` ("" for
// the request, "PublishBatchRequestEntries.member.1." for a batch entry),
// adding to FormReader SNS's wrapped names, booleans and base64 blobs.
class SnsFormDecoder : public FormReader<SnsFormDecoder> {
 public:
  using FormReader::FormReader;

  template <typename T>
  void Member(std::string_view name, T& out) {
    Read(Key(name), out);
  }
  void Blob(std::string_view name, std::optional<std::string>& out) {
    const std::string key = Key(name);
    const std::string* text = Find(key);
    if (text == nullptr) return;
    out = internal::Base64Decode(*text);
    if (!out.has_value()) Fail(InvalidParameter(key, "must be base64-encoded"));
  }
  template <typename T>
  void List(std::string_view name, std::vector<T>& out, sns_shapes::Presence /*presence*/) {
    ReadList(Key(name) + ".member", out);
  }
  template <typename T>
  void Map(std::string_view name, std::map<std::string, T>& out, sns_shapes::MapNames names) {
    ReadMap(Key(name) + ".entry", names.key, names.value, out);
  }

 private:
  friend FormReader;  // its optional, list and map readers call the Reads here
  using FormReader::Read;

  bool Read(const std::string& key, bool& out) {
    const std::string* text = Find(key);
    if (text == nullptr) return false;
    const std::optional<bool> value = ParseBool(*text);
    if (!value.has_value()) return Fail(InvalidParameter(key, "must be true or false"));
    out = *value;
    return true;
  }
  template <typename S>
  requires std::is_class_v<S>
  bool Read(const std::string& key, S& out) {
    SnsFormDecoder members = Nested(key);
    sns_shapes::Describe(members, out);
    return true;
  }
};

template <typename Request>
Status DecodeForm(const FormFields& form, Request* request) {
  Status status;
  SnsFormDecoder decoder(form, "", status);
  sns_shapes::Describe(decoder, *request);
  return status;
}

// Writes the members of one struct into the open element of `xml`.
class SnsXmlEncoder {
 public:
  explicit SnsXmlEncoder(XmlWriter& xml) : xml_(xml) {}

  void Member(std::string_view name, const std::string& text) { xml_.Element(name, text); }
  void Member(std::string_view name, bool value) { xml_.BoolElement(name, value); }
  template <typename T>
  void Member(std::string_view name, const std::optional<T>& value) {
    if (value.has_value()) Member(name, *value);
  }
  void Blob(std::string_view name, const std::optional<std::string>& bytes) {
    if (bytes.has_value()) xml_.Element(name, internal::Base64Encode(*bytes));
  }
  template <typename T>
  void List(std::string_view name, const std::vector<T>& list, sns_shapes::Presence /*presence*/) {
    xml_.Open(name);
    for (const T& item : list) Item("member", item);
    xml_.Close();
  }
  template <typename T>
  void Map(std::string_view name, const std::map<std::string, T>& map, sns_shapes::MapNames names) {
    xml_.Open(name);
    for (const auto& [key, value] : map) {
      xml_.Open("entry");
      xml_.Element(names.key, key);
      Item(names.value, value);
      xml_.Close();
    }
    xml_.Close();
  }

 private:
  // One list item or map value: text, or a struct's members in an element.
  void Item(std::string_view name, const std::string& text) { xml_.Element(name, text); }
  template <typename S>
  void Item(std::string_view name, const S& value) {
    xml_.Open(name);
    sns_shapes::Describe(*this, value);
    xml_.Close();
  }

  XmlWriter& xml_;
};

template <typename Response>
std::string EncodeResponse(std::string_view action, const Response& response,
                           std::string_view request_id) {
  XmlWriter xml;
  xml.Open(std::string(action) + "Response", kSnsXmlNamespace);
  if constexpr (sns_shapes::kHasResult<Response>) {
    xml.Open(std::string(action) + "Result");
    SnsXmlEncoder encoder(xml);
    sns_shapes::Describe(encoder, response);
    xml.Close();
  }
  xml.Open("ResponseMetadata");
  xml.Element("RequestId", request_id);
  xml.Close();
  xml.Close();
  return std::move(xml).Finish();
}

}  // namespace sns_query_server_internal

std::string_view SnsActionName(SnsAction action) {
  const size_t index = static_cast<size_t>(action);
  SQSIM_ASSERT(index < std::size(sns_query_server_internal::kActionNames), "not an SnsAction");
  return sns_query_server_internal::kActionNames[index];
}

std::optional<SnsAction> SnsActionFromName(std::string_view name) {
  const auto& names = sns_query_server_internal::kActionNames;
  for (size_t i = 0; i < std::size(names); ++i) {
    if (names[i] == name) return static_cast<SnsAction>(i);
  }
  return std::nullopt;
}

std::optional<SnsAction> SnsQueryAction(const FormFields& form) {
  auto it = form.find("Action");
  if (it == form.end()) return std::nullopt;
  return SnsActionFromName(it->second);
}

#define SQSIM_DEFINE_SNS_QUERY_SERVER_CODEC(Name)                                     \
  Status DecodeSnsQueryRequest(const FormFields& form, sns::Name##Request* request) { \
    return sns_query_server_internal::DecodeForm(form, request);                      \
  }                                                                                   \
  std::string EncodeSnsQueryResponse(const sns::Name##Response& response,             \
                                     std::string_view request_id) {                   \
    return sns_query_server_internal::EncodeResponse(#Name, response, request_id);    \
  }
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_DEFINE_SNS_QUERY_SERVER_CODEC)
#undef SQSIM_DEFINE_SNS_QUERY_SERVER_CODEC

// ---- Errors -------------------------------------------------------------------

QueryErrorResponse EncodeSnsQueryError(const Status& status, std::string_view request_id) {
  SQSIM_ASSERT(!status.ok(), "EncodeSnsQueryError needs an error status");
  std::string code(sns::SnsErrorCode(status.code()));
  int http_status = status.http_status();
  if (code.empty() && status.code() == ErrorCode::kUnknownError) {
    // An error relayed from an upstream service keeps the name it came with.
    code = std::string(status.query_code());
  }
  if (code.empty()) {
    // Transport-only codes never come from SNS; a server relaying one had
    // something go wrong on its side, which SNS calls InternalError.
    code = sns::SnsErrorCode(ErrorCode::kInternalError);
    http_status = GetErrorInfo(ErrorCode::kInternalError).http_status;
  }
  if (http_status <= 0) http_status = status.sender_fault() ? 400 : 500;
  XmlWriter xml;
  xml.Open("ErrorResponse", kSnsXmlNamespace);
  xml.Open("Error");
  xml.Element("Type", http_status < 500 ? "Sender" : "Receiver");
  xml.Element("Code", code);
  xml.Element("Message", status.message());
  xml.Close();
  xml.Element("RequestId", request_id);
  xml.Close();
  return QueryErrorResponse{.http_status = http_status, .body = std::move(xml).Finish()};
}

}  // namespace sqsim::wire
