// Query-protocol responses and errors: XML as SQS's query API writes it.
// Responses come from XmlEncoder, a visitor over the shape descriptions of
// shapes.h, instantiated once per action.
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
// parsers look the wrapper up unconditionally. Members appear in the order
// of their description, which is the model's. Flattened lists and maps
// repeat their element (`<QueueUrl>`, `<Attribute><Name/><Value/></Attribute>`,
// `<SendMessageBatchResultEntry>`) as shapes.h's `Flattened` traits name it.
// Plain strings, numbers and booleans are always written; unset optionals
// and empty lists and maps are omitted; Binary values are base64.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/digest.h"
#include "wire/query_codec.h"
#include "wire/shapes.h"
#include "wire/xml_writer.h"

namespace sqsim::wire {
namespace {

using internal::DescribeShape;
using internal::Flattened;

constexpr std::string_view kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

// Writes the members of one struct into the open element of `xml`.
class XmlEncoder {
 public:
  explicit XmlEncoder(XmlWriter& xml) : xml_(xml) {}

  void Member(std::string_view name, const std::string& text) { xml_.Element(name, text); }
  void Member(std::string_view name, bool value) { xml_.BoolElement(name, value); }
  void Member(std::string_view name, int64_t value) { xml_.IntElement(name, value); }
  void Member(std::string_view name, int value) { xml_.IntElement(name, value); }
  template <typename T>
  void Member(std::string_view name, const std::optional<T>& value) {
    if (value.has_value()) Member(name, *value);
  }
  template <typename T>
  void Member(std::string_view /*name*/, const std::vector<T>& list, Flattened flattened) {
    for (const T& item : list) Item(flattened.element, item);
  }
  template <typename T>
  void Member(std::string_view /*name*/, const std::map<std::string, T>& map, Flattened flattened) {
    for (const auto& [key, value] : map) {
      xml_.Open(flattened.element);
      xml_.Element(flattened.key, key);
      Item(flattened.value, value);
      xml_.Close();
    }
  }
  template <typename C>
  void Required(std::string_view name, const C& container, Flattened flattened) {
    Member(name, container, flattened);
  }
  void Blob(std::string_view name, const std::optional<std::string>& bytes) {
    if (bytes.has_value()) xml_.Element(name, internal::Base64Encode(*bytes));
  }
  void BlobList(std::string_view /*name*/, const std::vector<std::string>& list,
                Flattened flattened) {
    for (const std::string& bytes : list) {
      xml_.Element(flattened.element, internal::Base64Encode(bytes));
    }
  }

 private:
  // One list item or map value: text, or a struct's members in an element.
  void Item(std::string_view name, const std::string& text) { xml_.Element(name, text); }
  template <typename S>
  void Item(std::string_view name, const S& value) {
    xml_.Open(name);
    DescribeShape(*this, value);
    xml_.Close();
  }

  XmlWriter& xml_;
};

template <typename Response>
std::string EncodeResponse(std::string_view action, const Response& response,
                           std::string_view request_id) {
  XmlWriter xml;
  xml.Open(std::string(action) + "Response", kXmlns);
  if constexpr (!std::is_empty_v<Response>) {  // an action with output
    xml.Open(std::string(action) + "Result");
    XmlEncoder encoder(xml);
    DescribeShape(encoder, response);
    xml.Close();
  }
  xml.Open("ResponseMetadata");
  xml.Element("RequestId", request_id);
  xml.Close();
  xml.Close();
  return std::move(xml).Finish();
}

}  // namespace

#define SQSIM_DEFINE_QUERY_ENCODER(Name)                                                         \
  std::string EncodeQueryResponse(const Name##Response& response, std::string_view request_id) { \
    return EncodeResponse(#Name, response, request_id);                                          \
  }
SQSIM_FOR_EACH_ACTION(SQSIM_DEFINE_QUERY_ENCODER)
#undef SQSIM_DEFINE_QUERY_ENCODER

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
