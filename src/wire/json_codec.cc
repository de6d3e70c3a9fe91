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
// - Encoders never throw: text that is not valid UTF-8 (only possible in a
//   struct built by hand; SQS itself only carries XML-safe Unicode) is sent
//   with U+FFFD in place of the invalid bytes.

#include "wire/json_codec.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/digest.h"
#include "wire/shapes.h"

namespace sqsim::wire {
namespace {

using Json = nlohmann::json;
using internal::DescribeShape;
using internal::Flattened;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ---- Encoding ---------------------------------------------------------------

// Requests send a required list even when it is empty (the server answers
// EmptyBatchRequest, say, rather than MissingParameter); responses leave out
// every empty list and map, required or not, as SQS's JSON front end does: a
// batch whose entries all succeeded has no "Failed" member, an empty receive
// no "Messages" (responses recorded from AWS, for example in LocalStack's
// AWS-validated snapshots).
enum class EmptyRequired { kSend, kOmit };

template <typename S>
Json EncodeObject(const S& value, EmptyRequired empty_required = EmptyRequired::kSend);

// Declared first so that the templates find each other.
Json ToJson(const std::string& value);
template <typename T>
Json ToJson(const std::vector<T>& list);
template <typename T>
Json ToJson(const std::map<std::string, T>& map);
template <typename S>
requires std::is_class_v<S> Json ToJson(const S& value);

Json ToJson(const std::string& value) { return Json(value); }
template <typename T>
Json ToJson(const std::vector<T>& list) {
  Json array = Json::array();
  for (const T& item : list) array.push_back(ToJson(item));
  return array;
}
template <typename T>
Json ToJson(const std::map<std::string, T>& map) {
  Json object = Json::object();
  for (const auto& [key, item] : map) object[key] = ToJson(item);
  return object;
}
template <typename S>
requires std::is_class_v<S> Json ToJson(const S& value) { return EncodeObject(value); }

class JsonEncoder {
 public:
  explicit JsonEncoder(EmptyRequired empty_required) : empty_required_(empty_required) {}
  Json Take() { return std::move(object_); }

  void Member(std::string_view name, const std::string& value) {
    if (!value.empty()) Set(name, Json(value));
  }
  void Member(std::string_view name, bool value) { Set(name, Json(value)); }
  void Member(std::string_view name, int value) { Set(name, Json(value)); }
  void Member(std::string_view name, int64_t value) { Set(name, Json(value)); }
  template <typename T>
  void Member(std::string_view name, const std::optional<T>& value) {
    if (value.has_value()) Set(name, Json(*value));
  }
  template <typename C>
  void Member(std::string_view name, const C& container, Flattened) {
    if (!container.empty()) Set(name, ToJson(container));
  }
  template <typename C>
  void Required(std::string_view name, const C& container, Flattened) {
    if (container.empty() && empty_required_ == EmptyRequired::kOmit) return;
    Set(name, ToJson(container));
  }
  void Blob(std::string_view name, const std::optional<std::string>& bytes) {
    if (bytes.has_value()) Set(name, Json(internal::Base64Encode(*bytes)));
  }
  void BlobList(std::string_view name, const std::vector<std::string>& list, Flattened) {
    if (list.empty()) return;
    Json array = Json::array();
    for (const std::string& bytes : list) array.push_back(internal::Base64Encode(bytes));
    Set(name, std::move(array));
  }

 private:
  void Set(std::string_view name, Json value) { object_[std::string(name)] = std::move(value); }

  EmptyRequired empty_required_;
  Json object_ = Json::object();
};

template <typename S>
Json EncodeObject(const S& value, EmptyRequired empty_required) {
  JsonEncoder encoder(empty_required);
  DescribeShape(encoder, value);
  return encoder.Take();
}

// ---- Decoding ---------------------------------------------------------------

// The error code a decode failure gets, and the first failure seen.
struct DecodeContext {
  ErrorCode error_code;
  Status status{};

  bool Fail(const std::string& path, std::string_view what) {
    if (status.ok()) status = Status(error_code, path + ": " + std::string(what));
    return false;
  }
};

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// Each Read converts one JSON value into `out`, or records why it cannot and
// returns false. Declared first so that the templates find each other.
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::string* out);
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, bool* out);
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, int* out);
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, int64_t* out);
template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::optional<T>* out);
template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::vector<T>* out);
template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx,
          std::map<std::string, T>* out);
template <typename S>
requires std::is_class_v<S>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, S* out);

bool ReadBlob(const Json& json, const std::string& path, DecodeContext& ctx, std::string* out) {
  if (!json.is_string()) return ctx.Fail(path, "expected a base64 string");
  std::optional<std::string> bytes = internal::Base64Decode(json.get_ref<const std::string&>());
  if (!bytes.has_value()) return ctx.Fail(path, "invalid base64");
  *out = std::move(*bytes);
  return true;
}

class JsonDecoder {
 public:
  JsonDecoder(const Json& object, const std::string& path, DecodeContext& ctx)
      : object_(object), path_(path), ctx_(ctx) {}

  template <typename T>
  void Member(std::string_view name, T& out, Flattened = {}) {
    if (const Json* json = Find(name)) Read(*json, Child(path_, name), ctx_, &out);
  }
  template <typename T>
  void Required(std::string_view name, T& out, Flattened) {
    Member(name, out);
  }
  void Blob(std::string_view name, std::optional<std::string>& out) {
    const Json* json = Find(name);
    if (json == nullptr) return;
    std::string bytes;
    if (ReadBlob(*json, Child(path_, name), ctx_, &bytes)) out = std::move(bytes);
  }
  void BlobList(std::string_view name, std::vector<std::string>& out, Flattened) {
    const Json* json = Find(name);
    if (json == nullptr) return;
    const std::string path = Child(path_, name);
    if (!json->is_array()) {
      ctx_.Fail(path, "expected an array");
      return;
    }
    for (size_t i = 0; i < json->size() && ctx_.status.ok(); ++i) {
      std::string bytes;
      if (ReadBlob((*json)[i], path + "[" + std::to_string(i) + "]", ctx_, &bytes)) {
        out.push_back(std::move(bytes));
      }
    }
  }

 private:
  // The member named `name`, or nullptr when it is absent or null. Stops
  // every later member once a failure is recorded.
  const Json* Find(std::string_view name) const {
    if (!ctx_.status.ok()) return nullptr;
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  const Json& object_;
  const std::string& path_;
  DecodeContext& ctx_;
};

bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::string* out) {
  if (!json.is_string()) return ctx.Fail(path, "expected a string");
  *out = json.get_ref<const std::string&>();
  return true;
}

bool Read(const Json& json, const std::string& path, DecodeContext& ctx, bool* out) {
  if (!json.is_boolean()) return ctx.Fail(path, "expected a boolean");
  *out = json.get<bool>();
  return true;
}

// Any JSON integer, as int64; nullopt for non-integers and for unsigned
// values above INT64_MAX.
std::optional<int64_t> AsInt64(const Json& json) {
  if (json.is_number_unsigned()) {
    const uint64_t value = json.get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(value);
  }
  if (json.is_number_integer()) return json.get<int64_t>();
  return std::nullopt;
}

bool Read(const Json& json, const std::string& path, DecodeContext& ctx, int64_t* out) {
  if (!json.is_number_integer()) return ctx.Fail(path, "expected an integer");
  std::optional<int64_t> value = AsInt64(json);
  if (!value.has_value()) return ctx.Fail(path, "integer out of range: " + json.dump());
  *out = *value;
  return true;
}

bool Read(const Json& json, const std::string& path, DecodeContext& ctx, int* out) {
  if (!json.is_number_integer()) return ctx.Fail(path, "expected an integer");
  std::optional<int64_t> value = AsInt64(json);
  if (!value.has_value() || *value < std::numeric_limits<int>::min() ||
      *value > std::numeric_limits<int>::max()) {
    return ctx.Fail(path, "integer out of range: " + json.dump());
  }
  *out = static_cast<int>(*value);
  return true;
}

template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::optional<T>* out) {
  T value{};
  if (!Read(json, path, ctx, &value)) return false;
  *out = std::move(value);
  return true;
}

template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, std::vector<T>* out) {
  if (!json.is_array()) return ctx.Fail(path, "expected an array");
  out->reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    T item{};
    if (!Read(json[i], path + "[" + std::to_string(i) + "]", ctx, &item)) return false;
    out->push_back(std::move(item));
  }
  return true;
}

template <typename T>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx,
          std::map<std::string, T>* out) {
  if (!json.is_object()) return ctx.Fail(path, "expected an object");
  for (const auto& [key, value] : json.items()) {
    T item{};
    if (!Read(value, Child(path, key), ctx, &item)) return false;
    (*out)[key] = std::move(item);
  }
  return true;
}

template <typename S>
requires std::is_class_v<S>
bool Read(const Json& json, const std::string& path, DecodeContext& ctx, S* out) {
  if (!json.is_object()) return ctx.Fail(path.empty() ? "body" : path, "expected an object");
  JsonDecoder decoder(json, path, ctx);
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
  try {
    Json json = IsBlank(body) ? Json::object()
                              : Json::parse(body.begin(), body.end(), nullptr,
                                            /*allow_exceptions=*/false);
    if (json.is_discarded()) return Status(error_code, "body is not valid JSON");
    DecodeContext ctx{error_code};
    S value{};
    if (!Read(json, "", ctx, &value)) return ctx.status;
    *out = std::move(value);
    return Status::Ok();
  } catch (const Json::exception& e) {
    // Not expected with allow_exceptions=false and checked accessors, but a
    // JSON library exception must never cross the codec's boundary.
    return Status(error_code, std::string("JSON error: ") + e.what());
  }
}

template <typename S>
std::string EncodeBody(const S& value, EmptyRequired empty_required) {
  return Dump(EncodeObject(value, empty_required));
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
