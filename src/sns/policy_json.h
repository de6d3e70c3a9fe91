// The filter policy's JSON as SNS sees it before validating it.
//
// SNS does not validate the text a caller sent. Its error messages quote the
// policy re-serialized compactly (AWS's recorded answer to `{"key": [["value"]]}`
// quotes `{"key":[["value"]]}` and counts columns in that text), so SNS reads
// the JSON into a tree (Jackson: duplicate keys keep their first position and
// their last value; numbers become Java ints or doubles) and validates the
// compact re-serialization. This file builds that tree and that text, with each
// token's position counted the way Java counts characters (UTF-16 units), so
// that errors can name the column AWS names.

#ifndef SQSIM_SRC_SNS_POLICY_JSON_H_
#define SQSIM_SRC_SNS_POLICY_JSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::sns::internal {

struct JsonNode {
  enum class Type : uint8_t { kObject, kArray, kString, kInteger, kFloat, kTrue, kFalse, kNull };
  Type type = Type::kNull;
  std::string text;   // kString: the value; numbers: Jackson's rendering ("100", "1.5", "1.0E10")
  double number = 0;  // numbers only
  // kObject: keys[i] names values[i], in first-appearance order. kArray: values.
  std::vector<std::string> keys;
  std::vector<JsonNode> values;
};

// Deeper documents are refused: every walk over the tree recurses.
inline constexpr int kMaxPolicyNestingDepth = 1000;

struct JsonParseFailure {
  bool too_deep = false;  // else a syntax error (including invalid UTF-8)
  size_t byte_offset = 0;
};

// Parses `json` strictly (RFC 8259, UTF-8). Duplicate object keys keep the
// first key's position and the last value, as Jackson's tree reader does.
std::optional<JsonNode> ParsePolicyJson(std::string_view json, JsonParseFailure& failure);

// One token of the compact text. Offsets count UTF-16 units from its start.
struct JsonToken {
  enum class Kind : uint8_t {
    kStartObject,
    kEndObject,
    kStartArray,
    kEndArray,
    kFieldName,
    kString,
    kInteger,
    kFloat,
    kTrue,
    kFalse,
    kNull,
  };
  Kind kind;
  std::string text;  // name, string value, number/literal rendering, or the bracket
  double number = 0;
  size_t begin = 0;
  size_t end = 0;  // one past the token's last unit
};

struct CompactJson {
  std::string text;  // UTF-8
  size_t utf16_length = 0;
  std::vector<JsonToken> tokens;
};

// Writes `root` compactly as Jackson's ObjectMapper does.
CompactJson WriteCompact(const JsonNode& root);

// Java's Double.toString: "100.0", "0.001", "1.0E7", "1.5E-4".
std::string JavaDoubleToString(double value);

// The number of UTF-16 units in valid UTF-8 text.
size_t Utf16Length(std::string_view utf8);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_POLICY_JSON_H_
