// Query-protocol request decoding: FormDecoder, a visitor over the shape
// descriptions of shapes.h, instantiated once per action.
//
// Form names are botocore's query serialization of those shapes:
//   scalars  `QueueUrl=...`; inside a list item or map value, the item's key
//            and `.Member` (`SendMessageBatchRequestEntry.1.MessageBody`)
//   lists    `<element>.N`, one per item
//   maps     `<element>.N.<key>` -> `<element>.N.<value>`
// with the element, key and value names of shapes.h's `Flattened` traits.
// `MessageSystemAttributeNames` postdates the query model; clients that still
// speak query (kombu, for one) send it as `MessageSystemAttributeName.N`,
// following the model's naming rule, and so does sqsim.
//
// Indexes are read as FormReader (form_reader.h) reads them, gaps allowed:
// SQS documents only the `param.n` convention, not what a gap means, and
// dropping the later entries would lose data silently.
//
// Decoding is liberal where SQS is: unknown parameters are ignored, missing
// members stay empty (the engine reports MissingParameter), a map entry
// without a key or value reads it as "" (the engine rejects the empty name),
// and a repeated map key keeps the value with the highest index. The only
// error is InvalidParameterValue, for the first integer or base64 value that
// does not parse, with SQS's wording and the value's full key.

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/digest.h"
#include "wire/form_reader.h"
#include "wire/query_codec.h"
#include "wire/shapes.h"

namespace sqsim::wire {
namespace {

using internal::DescribeShape;
using internal::Flattened;

// A 32-bit decimal integer: optional sign, then digits only. Java's
// Integer.parseInt, which SQS's query front end behaves like, accepts a
// leading '+'; std::from_chars does not.
std::optional<int> ParseInt(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  if (digits.empty() || (text[0] == '+' && digits[0] == '-')) return std::nullopt;
  int value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// InvalidParameterValue "Value <value> for parameter <key> is invalid.
// Reason: <reason>", SQS's wording for a parameter it cannot accept.
Status InvalidValue(const std::string& key, const std::string& value, std::string_view reason) {
  return Status(
      ErrorCode::kInvalidParameterValue,
      "Value " + value + " for parameter " + key + " is invalid. Reason: " + std::string(reason));
}

// Reads the members of one struct, whose keys start with `prefix` ("" for
// the request, "SendMessageBatchRequestEntry.1." for a batch entry), adding
// to FormReader SQS's flattened names, integers and base64 blobs.
class FormDecoder : public FormReader<FormDecoder> {
 public:
  using FormReader::FormReader;

  template <typename T>
  void Member(std::string_view name, T& out) {
    Read(Key(name), out);
  }
  template <typename T>
  void Member(std::string_view /*name*/, std::vector<T>& out, Flattened list) {
    ReadList(Key(list.element), out);
  }
  template <typename T>
  void Member(std::string_view /*name*/, std::map<std::string, T>& out, Flattened map) {
    ReadMap(Key(map.element), map.key, map.value, out);
  }
  template <typename C>
  void Required(std::string_view name, C& out, Flattened flattened) {
    Member(name, out, flattened);
  }
  void Blob(std::string_view name, std::optional<std::string>& out) { ReadBlob(Key(name), out); }
  void BlobList(std::string_view /*name*/, std::vector<std::string>& out, Flattened list) {
    const std::string element = Key(list.element);
    for (int index : Indexes(element)) {
      std::optional<std::string> bytes;
      ReadBlob(IndexedKey(element, index), bytes);
      if (bytes.has_value()) out.push_back(std::move(*bytes));
    }
  }

 private:
  friend FormReader;  // its optional, list and map readers call the Reads here
  using FormReader::Read;

  bool Read(const std::string& key, int& out) {
    const std::string* text = Find(key);
    if (text == nullptr) return false;
    const std::optional<int> value = ParseInt(*text);
    if (!value.has_value()) return Fail(InvalidValue(key, *text, "must be an integer."));
    out = *value;
    return true;
  }
  template <typename S>
  requires std::is_class_v<S>
  bool Read(const std::string& key, S& out) {
    FormDecoder members = Nested(key);
    DescribeShape(members, out);
    return true;
  }
  void ReadBlob(const std::string& key, std::optional<std::string>& out) {
    const std::string* text = Find(key);
    if (text == nullptr) return;
    out = internal::Base64Decode(*text);
    if (!out.has_value()) Fail(InvalidValue(key, *text, "must be base64-encoded."));
  }
};

template <typename Request>
Status DecodeForm(const FormFields& form, Request* request) {
  Status status;
  FormDecoder decoder(form, "", status);
  DescribeShape(decoder, *request);
  return status;
}

}  // namespace

#define SQSIM_DEFINE_QUERY_DECODER(Name)                                      \
  Status DecodeQueryRequest(const FormFields& form, Name##Request* request) { \
    return DecodeForm(form, request);                                         \
  }
SQSIM_FOR_EACH_ACTION(SQSIM_DEFINE_QUERY_DECODER)
#undef SQSIM_DEFINE_QUERY_DECODER

}  // namespace sqsim::wire
