#include "sns/policy_json.h"

#include <charconv>
#include <cmath>
#include <unordered_map>
#include <utility>

#include <nlohmann/json.hpp>

namespace sqsim::sns::internal {

namespace {

// Builds the tree from nlohmann's SAX events. The parser itself is iterative,
// so a hostile document cannot exhaust the stack before the depth check.
class TreeBuilder {
 public:
  using Json = nlohmann::json;

  explicit TreeBuilder(JsonParseFailure& failure) : failure_(failure) {}

  std::optional<JsonNode> TakeRoot() { return std::move(root_); }

  bool null() { return Add(Scalar(JsonNode::Type::kNull, "null")); }
  bool boolean(bool value) {
    return Add(value ? Scalar(JsonNode::Type::kTrue, "true")
                     : Scalar(JsonNode::Type::kFalse, "false"));
  }
  bool number_integer(Json::number_integer_t value) {
    return Add(Number(JsonNode::Type::kInteger, std::to_string(value), static_cast<double>(value)));
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return Add(Number(JsonNode::Type::kInteger, std::to_string(value), static_cast<double>(value)));
  }
  bool number_float(Json::number_float_t value, const std::string& literal) {
    // nlohmann reads an integer too long for 64 bits as a double; Jackson
    // keeps it as a BigInteger and writes its digits back.
    if (literal.find_first_of(".eE") == std::string::npos) {
      return Add(Number(JsonNode::Type::kInteger, literal, value));
    }
    // Jackson writes a double that overflowed to infinity as a quoted string
    // (JsonWriteFeature.WRITE_NAN_AS_STRINGS), so the validator sees a string.
    if (!std::isfinite(value)) {
      return Add(Scalar(JsonNode::Type::kString, value > 0 ? "Infinity" : "-Infinity"));
    }
    return Add(Number(JsonNode::Type::kFloat, JavaDoubleToString(value), value));
  }
  bool string(std::string& value) { return Add(Scalar(JsonNode::Type::kString, std::move(value))); }
  bool binary(Json::binary_t& /*value*/) { return false; }  // not produced by the JSON reader
  bool start_object(std::size_t /*elements*/) { return Open(JsonNode::Type::kObject); }
  bool key(std::string& name) {
    frames_.back().pending_key = std::move(name);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t /*elements*/) { return Open(JsonNode::Type::kArray); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*error*/) {
    failure_.byte_offset = position;
    return false;
  }

 private:
  struct Frame {
    JsonNode node;
    std::unordered_map<std::string, size_t> key_index;  // objects only
    std::string pending_key;
  };

  static JsonNode Scalar(JsonNode::Type type, std::string text) {
    JsonNode node;
    node.type = type;
    node.text = std::move(text);
    return node;
  }
  static JsonNode Number(JsonNode::Type type, std::string text, double value) {
    JsonNode node = Scalar(type, std::move(text));
    node.number = value;
    return node;
  }

  bool Open(JsonNode::Type type) {
    if (static_cast<int>(frames_.size()) >= kMaxPolicyNestingDepth) {
      failure_.too_deep = true;
      return false;
    }
    frames_.emplace_back();
    frames_.back().node.type = type;
    return true;
  }

  bool Close() {
    JsonNode node = std::move(frames_.back().node);
    frames_.pop_back();
    return Add(std::move(node));
  }

  bool Add(JsonNode node) {
    if (frames_.empty()) {
      root_ = std::move(node);
      return true;
    }
    Frame& parent = frames_.back();
    if (parent.node.type == JsonNode::Type::kArray) {
      parent.node.values.push_back(std::move(node));
      return true;
    }
    auto [it, inserted] = parent.key_index.emplace(parent.pending_key, parent.node.values.size());
    if (inserted) {
      parent.node.keys.push_back(std::move(parent.pending_key));
      parent.node.values.push_back(std::move(node));
    } else {
      parent.node.values[it->second] = std::move(node);
    }
    return true;
  }

  JsonParseFailure& failure_;
  std::vector<Frame> frames_;
  std::optional<JsonNode> root_;
};

// Appends JSON text while counting its UTF-16 units.
class CompactWriter {
 public:
  explicit CompactWriter(CompactJson& out) : out_(out) {}

  void Write(const JsonNode& node) {
    switch (node.type) {
      case JsonNode::Type::kObject:
        Punctuation(JsonToken::Kind::kStartObject, "{");
        for (size_t i = 0; i < node.keys.size(); ++i) {
          if (i > 0) Raw(",");
          QuotedToken(JsonToken::Kind::kFieldName, node.keys[i]);
          Raw(":");
          Write(node.values[i]);
        }
        Punctuation(JsonToken::Kind::kEndObject, "}");
        return;
      case JsonNode::Type::kArray:
        Punctuation(JsonToken::Kind::kStartArray, "[");
        for (size_t i = 0; i < node.values.size(); ++i) {
          if (i > 0) Raw(",");
          Write(node.values[i]);
        }
        Punctuation(JsonToken::Kind::kEndArray, "]");
        return;
      case JsonNode::Type::kString:
        QuotedToken(JsonToken::Kind::kString, node.text);
        return;
      case JsonNode::Type::kInteger:
        Bare(JsonToken::Kind::kInteger, node.text, node.number);
        return;
      case JsonNode::Type::kFloat:
        Bare(JsonToken::Kind::kFloat, node.text, node.number);
        return;
      case JsonNode::Type::kTrue:
        Bare(JsonToken::Kind::kTrue, node.text, 0);
        return;
      case JsonNode::Type::kFalse:
        Bare(JsonToken::Kind::kFalse, node.text, 0);
        return;
      case JsonNode::Type::kNull:
        Bare(JsonToken::Kind::kNull, node.text, 0);
        return;
    }
  }

 private:
  void Raw(std::string_view text) {
    out_.text.append(text);
    out_.utf16_length += Utf16Length(text);
  }

  void Punctuation(JsonToken::Kind kind, std::string_view text) { Bare(kind, text, 0); }

  void Bare(JsonToken::Kind kind, std::string_view text, double number) {
    const size_t begin = out_.utf16_length;
    Raw(text);
    out_.tokens.push_back({kind, std::string(text), number, begin, out_.utf16_length});
  }

  // Jackson escapes only the quote, the backslash and control characters
  // (the usual short forms, else \u00XX in upper case).
  void QuotedToken(JsonToken::Kind kind, const std::string& value) {
    const size_t begin = out_.utf16_length;
    std::string escaped = "\"";
    for (const char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      switch (c) {
        case '"':
          escaped += "\\\"";
          break;
        case '\\':
          escaped += "\\\\";
          break;
        case '\b':
          escaped += "\\b";
          break;
        case '\t':
          escaped += "\\t";
          break;
        case '\n':
          escaped += "\\n";
          break;
        case '\f':
          escaped += "\\f";
          break;
        case '\r':
          escaped += "\\r";
          break;
        default:
          if (byte < 0x20) {
            constexpr char kHex[] = "0123456789ABCDEF";
            escaped += "\\u00";
            escaped += kHex[byte >> 4];
            escaped += kHex[byte & 0xF];
          } else {
            escaped += c;
          }
      }
    }
    escaped += '"';
    Raw(escaped);
    out_.tokens.push_back({kind, value, 0, begin, out_.utf16_length});
  }

  CompactJson& out_;
};

}  // namespace

std::optional<JsonNode> ParsePolicyJson(std::string_view json, JsonParseFailure& failure) {
  TreeBuilder builder(failure);
  const bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &builder,
                                            nlohmann::json::input_format_t::json, true, false);
  if (!ok) return std::nullopt;
  return builder.TakeRoot();
}

CompactJson WriteCompact(const JsonNode& root) {
  CompactJson out;
  CompactWriter(out).Write(root);
  return out;
}

std::string JavaDoubleToString(double value) {
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  // The shortest digits that read back as `value`, as d.dddde±x.
  char buffer[64];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  const std::string_view scientific(buffer, static_cast<size_t>(result.ptr - buffer));
  const size_t e = scientific.find('e');
  std::string_view mantissa = scientific.substr(0, e);
  int exponent = 0;
  std::from_chars(scientific.data() + e + (scientific[e + 1] == '+' ? 2 : 1),
                  scientific.data() + scientific.size(), exponent);
  std::string sign;
  if (mantissa.front() == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (const char c : mantissa) {
    if (c != '.') digits += c;
  }
  // Java writes 10^-3 <= |value| < 10^7 in plain notation, with at least one
  // fractional digit; anything else as d.dddE[-]x.
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0)
      return sign + "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    const size_t integer_digits = static_cast<size_t>(exponent) + 1;
    if (digits.size() <= integer_digits) {
      return sign + digits + std::string(integer_digits - digits.size(), '0') + ".0";
    }
    return sign + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
  }
  const std::string fraction = digits.size() > 1 ? digits.substr(1) : "0";
  return sign + digits.substr(0, 1) + "." + fraction + "E" + std::to_string(exponent);
}

size_t Utf16Length(std::string_view utf8) {
  size_t units = 0;
  for (const char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) != 0x80) ++units;  // a lead byte starts a code point
    if (byte >= 0xF0) ++units;           // four-byte sequences need a surrogate pair
  }
  return units;
}

}  // namespace sqsim::sns::internal
