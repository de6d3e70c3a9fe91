// SNS query protocol, client side: request bodies (SnsFormEncoder, a visitor
// over sns_shapes.h), response decoding (SnsXmlDecoder over the tree of
// xml_reader.h, likewise) and error decoding.
//
// Request bodies are what botocore sends: `Action=...&Version=2010-03-31`,
// then the members in model order, each `key=value` percent-encoded as
// Python's urlencode does (space as `+`; every byte but A-Z a-z 0-9 `_.-~`
// as upper-case `%XX`). An empty plain string at the top level is a missing
// required member (sqsim/sns/types.h) and is left out, so SNS reports it as
// it reports any missing parameter; inside a list item (a Tag, a batch
// entry) it is sent as `Key=`, because some are legitimately empty (a tag's
// value). Required lists are sent as `Name=` when empty, as botocore does;
// empty optional lists and empty maps are left out.
//
// Response decoding looks members up by name, so order, unknown elements and
// whitespace do not matter; absent members stay empty. A body that is not
// XML, has another root than `<NameResponse>`, a boolean other than
// true/false, bad base64 or a map entry without a key is MalformedResponse.

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/digest.h"
#include "wire/sns_query_codec.h"
#include "wire/sns_shapes.h"
#include "wire/xml_reader.h"

namespace sqsim::wire {
namespace sns_query_client_internal {

// How much of an error body that is not an SNS error becomes the message.
constexpr size_t kMaxRawMessage = 256;

void AppendFormEscaped(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
        c == '.' || c == '-' || c == '~') {
      out->push_back(c);
    } else if (c == ' ') {
      out->push_back('+');
    } else {
      out->push_back('%');
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 0xF]);
    }
  }
}

// Appends `&key=value` for the members of one struct whose keys start with
// `prefix`.
class SnsFormEncoder {
 public:
  SnsFormEncoder(std::string* body, std::string prefix) : body_(body), prefix_(std::move(prefix)) {}

  void Member(std::string_view name, const std::string& text) {
    if (!text.empty() || !prefix_.empty()) Add(Key(name), text);
  }
  void Member(std::string_view name, bool value) { Add(Key(name), value ? "true" : "false"); }
  template <typename T>
  void Member(std::string_view name, const std::optional<T>& value) {
    // Set optionals are sent even when empty (`Subject=`).
    if (value.has_value()) Add(Key(name), Text(*value));
  }
  void Blob(std::string_view name, const std::optional<std::string>& bytes) {
    if (bytes.has_value()) Add(Key(name), internal::Base64Encode(*bytes));
  }
  template <typename T>
  void List(std::string_view name, const std::vector<T>& list, sns_shapes::Presence presence) {
    if (list.empty() && presence == sns_shapes::Presence::kRequired) Add(Key(name), "");
    const std::string element = Key(name) + ".member.";
    for (size_t i = 0; i < list.size(); ++i) Item(element + std::to_string(i + 1), list[i]);
  }
  template <typename T>
  void Map(std::string_view name, const std::map<std::string, T>& map, sns_shapes::MapNames names) {
    const std::string element = Key(name) + ".entry.";
    int index = 0;
    for (const auto& [key, value] : map) {
      const std::string entry = element + std::to_string(++index) + ".";
      Add(entry + std::string(names.key), key);
      Item(entry + std::string(names.value), value);
    }
  }

 private:
  std::string Key(std::string_view name) const { return prefix_ + std::string(name); }
  static std::string_view Text(const std::string& text) { return text; }
  static std::string_view Text(bool value) { return value ? "true" : "false"; }

  void Item(const std::string& key, const std::string& text) { Add(key, text); }
  template <typename S>
  void Item(const std::string& key, const S& value) {
    SnsFormEncoder members(body_, key + ".");
    sns_shapes::Describe(members, value);
  }

  void Add(std::string_view key, std::string_view value) {
    body_->push_back('&');
    AppendFormEscaped(key, body_);
    body_->push_back('=');
    AppendFormEscaped(value, body_);
  }

  std::string* body_;
  const std::string prefix_;
};

template <typename Request>
std::string EncodeRequest(std::string_view action, const Request& request) {
  std::string body = "Action=";
  AppendFormEscaped(action, &body);
  body += "&Version=";
  body += kSnsApiVersion;
  SnsFormEncoder encoder(&body, "");
  sns_shapes::Describe(encoder, request);
  return body;
}

Status Malformed(std::string message) {
  return Status(ErrorCode::kMalformedResponse, std::move(message));
}

// Reads the members of one struct from the children of `node`. The first
// error is recorded in `status`; later reads are skipped.
class SnsXmlDecoder {
 public:
  SnsXmlDecoder(const XmlElement& node, Status& status) : node_(node), status_(status) {}

  void Member(std::string_view name, std::string& out) {
    if (const XmlElement* child = Find(name)) out = child->text;
  }
  void Member(std::string_view name, bool& out) {
    const XmlElement* child = Find(name);
    if (child == nullptr) return;
    if (child->text == "true") {
      out = true;
    } else if (child->text == "false") {
      out = false;
    } else {
      // Built by appending: GCC 12 at -O3 misreads `"<" + std::string(...)`
      // as an overlapping memcpy (-Wrestrict, GCC bug 105329).
      std::string message = "<";
      message.append(name).append("> is \"").append(child->text).append("\", not true or false");
      status_ = Malformed(message);
    }
  }
  template <typename T>
  void Member(std::string_view name, std::optional<T>& out) {
    if (Find(name) == nullptr) return;
    T value{};
    Member(name, value);
    if (status_.ok()) out = std::move(value);
  }
  void Blob(std::string_view name, std::optional<std::string>& out) {
    const XmlElement* child = Find(name);
    if (child == nullptr) return;
    out = internal::Base64Decode(child->text);
    if (!out.has_value())
      status_ = Malformed(std::string("<").append(name).append("> is not base64"));
  }
  template <typename T>
  void List(std::string_view name, std::vector<T>& out, sns_shapes::Presence /*presence*/) {
    const XmlElement* list = Find(name);
    if (list == nullptr) return;
    for (const XmlElement& member : list->children) {
      if (member.name != "member" || !status_.ok()) continue;
      T item{};
      Item(member, item);
      out.push_back(std::move(item));
    }
  }
  template <typename T>
  void Map(std::string_view name, std::map<std::string, T>& out, sns_shapes::MapNames names) {
    const XmlElement* map = Find(name);
    if (map == nullptr) return;
    for (const XmlElement& entry : map->children) {
      if (entry.name != "entry" || !status_.ok()) continue;
      const XmlElement* key = entry.Child(names.key);
      if (key == nullptr) {
        status_ = Malformed("an <entry> of <" + std::string(name) + "> has no <" +
                            std::string(names.key) + ">");
        return;
      }
      T value{};
      if (const XmlElement* value_element = entry.Child(names.value)) Item(*value_element, value);
      out[key->text] = std::move(value);
    }
  }

 private:
  // The child element `name`, or nullptr when absent or an error was recorded.
  const XmlElement* Find(std::string_view name) const {
    return status_.ok() ? node_.Child(name) : nullptr;
  }

  void Item(const XmlElement& element, std::string& out) { out = element.text; }
  template <typename S>
  void Item(const XmlElement& element, S& out) {
    SnsXmlDecoder members(element, status_);
    sns_shapes::Describe(members, out);
  }

  const XmlElement& node_;
  Status& status_;
};

template <typename Response>
Status DecodeResponse(std::string_view action, std::string_view xml, Response* response) {
  *response = Response{};
  Result<XmlElement> document = ParseXml(xml);
  if (!document.ok()) return document.status();
  const std::string root = std::string(action) + "Response";
  if (document->name != root) {
    return Malformed("expected <" + root + ">, got <" + document->name + ">");
  }
  if constexpr (sns_shapes::kHasResult<Response>) {
    // A response without its Result element has no members to read.
    const XmlElement* result = document->Child(std::string(action) + "Result");
    if (result == nullptr) return Status::Ok();
    Status status;
    SnsXmlDecoder decoder(*result, status);
    sns_shapes::Describe(decoder, *response);
    if (!status.ok()) *response = Response{};
    return status;
  }
  return Status::Ok();
}

// The code SNS spells `name`: sns::SnsErrorCode inverted, plus the botocore
// model's spellings of two errors sqsim names otherwise.
std::optional<ErrorCode> SnsErrorCodeFromName(std::string_view name) {
  if (name.empty()) return std::nullopt;
  for (int i = 1; i <= static_cast<int>(ErrorCode::kUnknownError); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (sns::SnsErrorCode(code) == name) return code;
  }
  // The model's ValidationException (SNS's ValidationError in practice), and
  // its ThrottledException, whose code is "Throttled" (HTTP 429).
  if (name == "ValidationException") return ErrorCode::kValidationError;
  if (name == "Throttled") return ErrorCode::kThrottlingException;
  return std::nullopt;
}

// The code for a response that names none: from the HTTP status alone.
ErrorCode CodeFromHttpStatus(int http_status) {
  if (http_status == 503) return ErrorCode::kServiceUnavailable;
  if (http_status >= 500 && http_status <= 599) return ErrorCode::kInternalError;
  if (http_status == 429) return ErrorCode::kThrottlingException;
  return ErrorCode::kUnknownError;
}

// `<Error>` of `<ErrorResponse><Error>` (what SNS sends) or of
// `<Response><Errors><Error>` (the other query error shape botocore reads).
const XmlElement* FindError(const XmlElement& root) {
  if (root.name == "ErrorResponse") return root.Child("Error");
  if (root.name == "Response") {
    if (const XmlElement* errors = root.Child("Errors")) return errors->Child("Error");
  }
  return nullptr;
}

}  // namespace sns_query_client_internal

#define SQSIM_DEFINE_SNS_QUERY_CLIENT_CODEC(Name)                                      \
  std::string EncodeSnsQueryRequest(const sns::Name##Request& request) {               \
    return sns_query_client_internal::EncodeRequest(#Name, request);                   \
  }                                                                                    \
  Status DecodeSnsQueryResponse(std::string_view xml, sns::Name##Response* response) { \
    return sns_query_client_internal::DecodeResponse(#Name, xml, response);            \
  }
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_DEFINE_SNS_QUERY_CLIENT_CODEC)
#undef SQSIM_DEFINE_SNS_QUERY_CLIENT_CODEC

Status DecodeSnsQueryError(int http_status, std::string_view xml) {
  namespace detail = sns_query_client_internal;
  std::string code;
  std::string message;
  Result<XmlElement> document = ParseXml(xml);
  if (document.ok()) {
    if (const XmlElement* error = detail::FindError(*document)) {
      if (const XmlElement* element = error->Child("Code")) code = element->text;
      if (const XmlElement* element = error->Child("Message")) message = element->text;
    }
  }
  const std::string http = "HTTP " + std::to_string(http_status);
  if (code.empty()) {
    // Not an SNS error (a proxy's page, an empty body): keep what there is.
    std::string raw = http;
    if (!xml.empty()) raw += ": " + std::string(xml.substr(0, detail::kMaxRawMessage));
    return Status(detail::CodeFromHttpStatus(http_status), std::move(raw));
  }
  if (message.empty()) message = http;
  if (std::optional<ErrorCode> known = detail::SnsErrorCodeFromName(code)) {
    return Status(*known, std::move(message));
  }
  Status unknown(ErrorCode::kUnknownError, code + ": " + message);
  unknown.set_wire_names(code, code);
  return unknown;
}

}  // namespace sqsim::wire
