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
// Indexes are 1-based decimal numbers without leading zeros, as every SDK
// writes them. Gaps are allowed (`Tag.1`, `Tag.3` gives two tags, in index
// order): SQS documents only the `param.n` convention, not what a gap means,
// and dropping the later entries would lose data silently. Keys whose index
// is not such a number (`Tag.0.Key`, `Tag.01.Key`, `Tag.x.Key`) are ignored
// like any other unknown parameter.
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
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/digest.h"
#include "wire/query_codec.h"
#include "wire/shapes.h"

namespace sqsim::wire {
namespace {

using internal::DescribeShape;
using internal::Flattened;

// The index that `text` spells, or 0 when it is not a canonical positive
// decimal that fits an int (so `0`, `01`, `+1` and `1x` are not indexes).
int ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return 0;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "prefix.N", the form name of the N-th item of a flattened list or map.
std::string IndexedKey(std::string_view prefix, int index) {
  return std::string(prefix) + "." + std::to_string(index);
}

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

// Reads the members of one struct, whose keys start with `prefix` ("" for
// the request, "SendMessageBatchRequestEntry.1." for a batch entry). The
// first error is recorded in `status`; later reads are skipped.
class FormDecoder {
 public:
  FormDecoder(const FormFields& form, std::string prefix, Status& status)
      : form_(form), prefix_(std::move(prefix)), status_(status) {}

  template <typename T>
  void Member(std::string_view name, T& out) {
    Read(Key(name), out);
  }
  template <typename T>
  void Member(std::string_view /*name*/, std::vector<T>& out, Flattened list) {
    const std::string element = Key(list.element);
    for (int index : Indexes(element)) {
      T item{};
      if (Read(IndexedKey(element, index), item)) out.push_back(std::move(item));
    }
  }
  template <typename T>
  void Member(std::string_view /*name*/, std::map<std::string, T>& out, Flattened map) {
    const std::string element = Key(map.element);
    for (int index : Indexes(element)) {
      const std::string entry = IndexedKey(element, index) + ".";
      std::string key;
      T value{};
      Read(entry + std::string(map.key), key);
      Read(entry + std::string(map.value), value);
      out[std::move(key)] = std::move(value);
    }
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
  std::string Key(std::string_view name) const { return prefix_ + std::string(name); }

  // The value of `key`, or nullptr when it is absent or an error was recorded.
  const std::string* Find(const std::string& key) const {
    if (!status_.ok()) return nullptr;
    auto it = form_.find(key);
    return it == form_.end() ? nullptr : &it->second;
  }

  // The distinct indexes N for which a key `prefix.N` or `prefix.N.<rest>`
  // exists, ascending.
  std::vector<int> Indexes(const std::string& prefix) const {
    const std::string start = prefix + ".";
    std::set<int> indexes;
    // Keys sharing the prefix are contiguous in the ordered map.
    for (auto it = form_.lower_bound(start);
         it != form_.end() && it->first.compare(0, start.size(), start) == 0; ++it) {
      std::string_view rest = std::string_view(it->first).substr(start.size());
      const int index = ParseIndex(rest.substr(0, rest.find('.')));
      if (index > 0) indexes.insert(index);
    }
    return {indexes.begin(), indexes.end()};
  }

  // Each Read fills `out` from the value at `key` and returns whether there
  // was one; a struct reads its members under `key.` and is always there.
  bool Read(const std::string& key, std::string& out) {
    const std::string* text = Find(key);
    if (text != nullptr) out = *text;
    return text != nullptr;
  }
  bool Read(const std::string& key, int& out) {
    const std::string* text = Find(key);
    if (text == nullptr) return false;
    const std::optional<int> value = ParseInt(*text);
    if (!value.has_value()) return Fail(key, *text, "must be an integer.");
    out = *value;
    return true;
  }
  template <typename T>
  bool Read(const std::string& key, std::optional<T>& out) {
    T value{};
    if (!Read(key, value)) return false;
    out = std::move(value);
    return true;
  }
  template <typename S>
  requires std::is_class_v<S>
  bool Read(const std::string& key, S& out) {
    FormDecoder members(form_, key + ".", status_);
    DescribeShape(members, out);
    return true;
  }
  void ReadBlob(const std::string& key, std::optional<std::string>& out) {
    const std::string* text = Find(key);
    if (text == nullptr) return;
    out = internal::Base64Decode(*text);
    if (!out.has_value()) Fail(key, *text, "must be base64-encoded.");
  }

  // InvalidParameterValue "Value <value> for parameter <key> is invalid.
  // Reason: <reason>", SQS's wording for a parameter it cannot accept.
  bool Fail(const std::string& key, const std::string& value, std::string_view reason) {
    status_ = Status(
        ErrorCode::kInvalidParameterValue,
        "Value " + value + " for parameter " + key + " is invalid. Reason: " + std::string(reason));
    return false;
  }

  const FormFields& form_;
  const std::string prefix_;
  Status& status_;
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
