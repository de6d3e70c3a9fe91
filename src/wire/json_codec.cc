// The SQS JSON codec: two visitors (JsonEncoder, JsonDecoder) over the shape
// descriptions in shapes.h, instantiated once per action. The query traits
// (`Flattened`) do not apply to JSON and are ignored.
//
// Decisions about bodies the model does not pin down:
// - Request decoders (server side) answer SQS's JSON front end's error for a
//   body it cannot deserialize: kSerializationException (HTTP 400, see
//   src/core/status.cc) for a body that is not a JSON object, a member of the
//   wrong JSON type, a base64 member that is not canonical base64, and an
//   integer that does not fit the member's type. The model's `integer` is a
//   32-bit Java Integer behind the Coral/Jackson deserializer, which refuses
//   an overflowing value rather than truncating it; in-range values that
//   break an action's own limits are left to the engine (InvalidParameterValue).
//   Non-integral numbers (`5.0`) are wrong-typed. Missing required members are
//   not a decode error: the struct keeps an empty value and the engine answers
//   MissingParameter, as SQS does.
// - Response decoders (client side) give kMalformedResponse for the same
//   problems, ignore unknown members and accept missing ones.
// - Both treat a JSON `null` member as absent and an empty body as `{}`.
// - Encoders never fail: text that is not valid UTF-8 (only possible in a
//   struct built by hand; SQS itself only carries XML-safe Unicode) is sent
//   with U+FFFD in place of each maximal invalid subsequence.
// - Members are written in the order the shape describes them; a member a
//   body names twice keeps its last value (json_text.h).

#include "wire/json_codec.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/digest.h"
#include "wire/json_text.h"
#include "wire/shapes.h"

namespace sqsim::wire {
namespace {

using internal::DescribeShape;
using internal::Flattened;
using Value = JsonDocument::Value;

// ---- Encoding ---------------------------------------------------------------

// Requests send a required list even when it is empty (the server answers
// EmptyBatchRequest, say, rather than MissingParameter); responses leave out
// every empty list and map, required or not, as SQS's JSON front end does: a
// batch whose entries all succeeded has no "Failed" member, an empty receive
// no "Messages" (responses recorded from AWS, for example in LocalStack's
// AWS-validated snapshots). Nested structures always send theirs.
enum class EmptyRequired { kSend, kOmit };

template <typename S>
void WriteObject(JsonWriter& out, const S& value, EmptyRequired empty_required);

// Declared first so that the templates find each other.
void WriteValue(JsonWriter& out, const std::string& value);
template <typename T>
void WriteValue(JsonWriter& out, const std::vector<T>& list);
template <typename T>
void WriteValue(JsonWriter& out, const std::map<std::string, T>& map);
template <typename S>
requires std::is_class_v<S>
void WriteValue(JsonWriter& out, const S& value);

void WriteValue(JsonWriter& out, const std::string& value) { out.String(value); }
template <typename T>
void WriteValue(JsonWriter& out, const std::vector<T>& list) {
  out.BeginArray();
  for (const T& item : list) WriteValue(out, item);
  out.EndArray();
}
template <typename T>
void WriteValue(JsonWriter& out, const std::map<std::string, T>& map) {
  out.BeginObject();
  for (const auto& [key, item] : map) {
    out.Key(key);
    WriteValue(out, item);
  }
  out.EndObject();
}
template <typename S>
requires std::is_class_v<S>
void WriteValue(JsonWriter& out, const S& value) { WriteObject(out, value, EmptyRequired::kSend); }

// Members in the order the shape describes them.
class JsonEncoder {
 public:
  JsonEncoder(JsonWriter& out, EmptyRequired empty_required)
      : out_(out), empty_required_(empty_required) {}

  void Member(std::string_view name, const std::string& value) {
    if (value.empty()) return;
    out_.Key(name);
    out_.String(value);
  }
  void Member(std::string_view name, bool value) {
    out_.Key(name);
    out_.Bool(value);
  }
  void Member(std::string_view name, int value) {
    out_.Key(name);
    out_.Int(value);
  }
  void Member(std::string_view name, int64_t value) {
    out_.Key(name);
    out_.Int(value);
  }
  template <typename T>
  void Member(std::string_view name, const std::optional<T>& value) {
    if (value.has_value()) Member(name, *value, Present{});
  }
  template <typename C>
  void Member(std::string_view name, const C& container, Flattened) {
    if (container.empty()) return;
    out_.Key(name);
    WriteValue(out_, container);
  }
  template <typename C>
  void Required(std::string_view name, const C& container, Flattened) {
    if (container.empty() && empty_required_ == EmptyRequired::kOmit) return;
    out_.Key(name);
    WriteValue(out_, container);
  }
  void Blob(std::string_view name, const std::optional<std::string>& bytes) {
    if (!bytes.has_value()) return;
    out_.Key(name);
    out_.String(internal::Base64Encode(*bytes));
  }
  void BlobList(std::string_view name, const std::vector<std::string>& list, Flattened) {
    if (list.empty()) return;
    out_.Key(name);
    out_.BeginArray();
    for (const std::string& bytes : list) out_.String(internal::Base64Encode(bytes));
    out_.EndArray();
  }

 private:
  // An optional's value is written even when it is an empty string.
  struct Present {};
  void Member(std::string_view name, const std::string& value, Present) {
    out_.Key(name);
    out_.String(value);
  }
  template <typename T>
  void Member(std::string_view name, const T& value, Present) {
    Member(name, value);
  }

  JsonWriter& out_;
  EmptyRequired empty_required_;
};

template <typename S>
void WriteObject(JsonWriter& out, const S& value, EmptyRequired empty_required) {
  out.BeginObject();
  JsonEncoder encoder(out, empty_required);
  DescribeShape(encoder, value);
  out.EndObject();
}

// ---- Decoding ---------------------------------------------------------------

// Where a value sits in the body, for error messages: a chain of member
// names and list indexes, rendered only when something fails.
struct Path {
  const Path* parent = nullptr;   // null: the body itself
  std::string_view name{};        // a member name or map key
  std::optional<size_t> index{};  // set: a list element

  std::string Render() const {
    if (parent == nullptr) return std::string();
    std::string out = parent->Render();
    if (index) return out + "[" + std::to_string(*index) + "]";
    return out.empty() ? std::string(name) : out + "." + std::string(name);
  }
};

Path MemberPath(const Path& parent, std::string_view name) {
  return {.parent = &parent, .name = name};
}
Path ElementPath(const Path& parent, size_t index) { return {.parent = &parent, .index = index}; }

// The error code a decode failure gets, and the first failure seen.
struct DecodeContext {
  const JsonDocument& doc;
  ErrorCode error_code;
  Status status{};

  bool Fail(const Path& path, std::string_view what) {
    if (status.ok()) status = Status(error_code, path.Render() + ": " + std::string(what));
    return false;
  }
  bool FailBody(const Path& path, std::string_view what) {
    if (path.parent == nullptr) {
      if (status.ok()) status = Status(error_code, "body: " + std::string(what));
      return false;
    }
    return Fail(path, what);
  }
};

// Each Read converts one JSON value into `out`, or records why it cannot and
// returns false. Declared first so that the templates find each other.
bool Read(Value v, const Path& path, DecodeContext& ctx, std::string* out);
bool Read(Value v, const Path& path, DecodeContext& ctx, bool* out);
bool Read(Value v, const Path& path, DecodeContext& ctx, int* out);
bool Read(Value v, const Path& path, DecodeContext& ctx, int64_t* out);
template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::optional<T>* out);
template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::vector<T>* out);
template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::map<std::string, T>* out);
template <typename S>
requires std::is_class_v<S>
bool Read(Value v, const Path& path, DecodeContext& ctx, S* out);

bool ReadBlob(Value v, const Path& path, DecodeContext& ctx, std::string* out) {
  if (ctx.doc.type(v) != JsonType::kString) return ctx.Fail(path, "expected a base64 string");
  std::optional<std::string> bytes = internal::Base64Decode(ctx.doc.String(v));
  if (!bytes.has_value()) return ctx.Fail(path, "invalid base64");
  *out = std::move(*bytes);
  return true;
}

class JsonDecoder {
 public:
  JsonDecoder(Value object, const Path& path, DecodeContext& ctx)
      : object_(object), path_(path), ctx_(ctx) {}

  template <typename T>
  void Member(std::string_view name, T& out, Flattened = {}) {
    if (const Value v = Find(name); v != JsonDocument::kNone) {
      Read(v, MemberPath(path_, name), ctx_, &out);
    }
  }
  template <typename T>
  void Required(std::string_view name, T& out, Flattened) {
    Member(name, out);
  }
  void Blob(std::string_view name, std::optional<std::string>& out) {
    const Value v = Find(name);
    if (v == JsonDocument::kNone) return;
    std::string bytes;
    if (ReadBlob(v, MemberPath(path_, name), ctx_, &bytes)) out = std::move(bytes);
  }
  void BlobList(std::string_view name, std::vector<std::string>& out, Flattened) {
    const Value v = Find(name);
    if (v == JsonDocument::kNone) return;
    const Path path = MemberPath(path_, name);
    if (ctx_.doc.type(v) != JsonType::kArray) {
      ctx_.Fail(path, "expected an array");
      return;
    }
    size_t i = 0;
    for (Value item = ctx_.doc.First(v); item != JsonDocument::kNone && ctx_.status.ok();
         item = ctx_.doc.Next(item), ++i) {
      std::string bytes;
      if (ReadBlob(item, ElementPath(path, i), ctx_, &bytes)) out.push_back(std::move(bytes));
    }
  }

 private:
  // The member named `name`, or kNone when it is absent or null. Stops
  // every later member once a failure is recorded.
  Value Find(std::string_view name) const {
    if (!ctx_.status.ok()) return JsonDocument::kNone;
    const Value v = ctx_.doc.Find(object_, name);
    if (v == JsonDocument::kNone || ctx_.doc.type(v) == JsonType::kNull) return JsonDocument::kNone;
    return v;
  }

  Value object_;
  const Path& path_;
  DecodeContext& ctx_;
};

bool Read(Value v, const Path& path, DecodeContext& ctx, std::string* out) {
  if (ctx.doc.type(v) != JsonType::kString) return ctx.Fail(path, "expected a string");
  *out = ctx.doc.String(v);
  return true;
}

bool Read(Value v, const Path& path, DecodeContext& ctx, bool* out) {
  const JsonType type = ctx.doc.type(v);
  if (type != JsonType::kTrue && type != JsonType::kFalse) {
    return ctx.Fail(path, "expected a boolean");
  }
  *out = type == JsonType::kTrue;
  return true;
}

// An integer member as int64. Integers beyond the 64-bit range count as
// non-integers ("expected an integer"), and unsigned values above INT64_MAX
// as out of range, as a JSON library that keeps 64-bit signed and unsigned
// integers and doubles classifies them.
bool ReadInteger(Value v, const Path& path, DecodeContext& ctx, int64_t* out) {
  if (ctx.doc.type(v) != JsonType::kNumber || !ctx.doc.IsInteger(v)) {
    return ctx.Fail(path, "expected an integer");
  }
  const std::string_view text = ctx.doc.NumberText(v);
  const char* end = text.data() + text.size();
  if (std::from_chars(text.data(), end, *out).ec == std::errc()) return true;
  uint64_t unsigned_value = 0;
  if (text.front() != '-' && std::from_chars(text.data(), end, unsigned_value).ec == std::errc()) {
    return ctx.Fail(path, "integer out of range: " + std::string(text));
  }
  return ctx.Fail(path, "expected an integer");
}

bool Read(Value v, const Path& path, DecodeContext& ctx, int64_t* out) {
  return ReadInteger(v, path, ctx, out);
}

bool Read(Value v, const Path& path, DecodeContext& ctx, int* out) {
  int64_t value = 0;
  if (!ReadInteger(v, path, ctx, &value)) return false;
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    return ctx.Fail(path, "integer out of range: " + std::string(ctx.doc.NumberText(v)));
  }
  *out = static_cast<int>(value);
  return true;
}

template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::optional<T>* out) {
  T value{};
  if (!Read(v, path, ctx, &value)) return false;
  *out = std::move(value);
  return true;
}

template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::vector<T>* out) {
  if (ctx.doc.type(v) != JsonType::kArray) return ctx.Fail(path, "expected an array");
  out->reserve(ctx.doc.size(v));
  size_t i = 0;
  for (Value item = ctx.doc.First(v); item != JsonDocument::kNone; item = ctx.doc.Next(item), ++i) {
    T value{};
    if (!Read(item, ElementPath(path, i), ctx, &value)) return false;
    out->push_back(std::move(value));
  }
  return true;
}

template <typename T>
bool Read(Value v, const Path& path, DecodeContext& ctx, std::map<std::string, T>* out) {
  if (ctx.doc.type(v) != JsonType::kObject) return ctx.Fail(path, "expected an object");
  for (Value member = ctx.doc.First(v); member != JsonDocument::kNone;
       member = ctx.doc.Next(member)) {
    std::string key = ctx.doc.Key(member);
    T value{};
    if (!Read(member, MemberPath(path, key), ctx, &value)) return false;
    (*out)[std::move(key)] = std::move(value);  // a repeated key keeps its last value
  }
  return true;
}

template <typename S>
requires std::is_class_v<S>
bool Read(Value v, const Path& path, DecodeContext& ctx, S* out) {
  if (ctx.doc.type(v) != JsonType::kObject) return ctx.FailBody(path, "expected an object");
  JsonDecoder decoder(v, path, ctx);
  DescribeShape(decoder, *out);
  return ctx.status.ok();
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Parses `body` (a blank body counts as `{}`) into a fresh S. On failure
// `*out` is left as it was.
template <typename S>
Status DecodeBody(std::string_view body, ErrorCode error_code, S* out) {
  JsonDocument doc;
  if (!doc.Parse(IsBlank(body) ? std::string_view("{}") : body)) {
    return Status(error_code, "body is not valid JSON");
  }
  DecodeContext ctx{.doc = doc, .error_code = error_code};
  S value{};
  if (!Read(JsonDocument::kRoot, Path{}, ctx, &value)) return ctx.status;
  *out = std::move(value);
  return Status::Ok();
}

template <typename S>
std::string EncodeBody(const S& value, EmptyRequired empty_required) {
  std::string body;
  body.reserve(256);
  JsonWriter out(&body);
  WriteObject(out, value, empty_required);
  return body;
}

}  // namespace

#define SQSIM_DEFINE_JSON_CODEC(Name)                                          \
  std::string EncodeJsonRequest(const Name##Request& request) {                \
    return EncodeBody(request, EmptyRequired::kSend);                          \
  }                                                                            \
  Status DecodeJsonResponse(std::string_view body, Name##Response* response) { \
    return DecodeBody(body, ErrorCode::kMalformedResponse, response);          \
  }                                                                            \
  Status DecodeJsonRequest(std::string_view body, Name##Request* request) {    \
    return DecodeBody(body, ErrorCode::kSerializationException, request);      \
  }                                                                            \
  std::string EncodeJsonResponse(const Name##Response& response) {             \
    return EncodeBody(response, EmptyRequired::kOmit);                         \
  }
SQSIM_FOR_EACH_ACTION(SQSIM_DEFINE_JSON_CODEC)
#undef SQSIM_DEFINE_JSON_CODEC

}  // namespace sqsim::wire
