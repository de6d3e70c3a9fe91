#include "wire/json_text.h"

#include <algorithm>
#include <charconv>

namespace sqsim::wire {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at `p` as a code unit, or -1.
int32_t Hex4(std::string_view text, size_t p) {
  if (p + 4 > text.size()) return -1;
  int32_t unit = 0;
  for (size_t k = 0; k < 4; ++k) {
    const int digit = HexValue(text[p + k]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

// The length of the well-formed UTF-8 sequence starting at text[p] (Unicode
// table 3-7), or, when it is ill-formed, 0 with `*maximal` set to the length
// of its maximal subpart (at least 1): what one U+FFFD replaces.
size_t Utf8Sequence(std::string_view text, size_t p, size_t* maximal) {
  const auto byte = [&](size_t k) -> unsigned {
    return p + k < text.size() ? static_cast<unsigned char>(text[p + k]) : 0x100;
  };
  const unsigned lead = byte(0);
  size_t length = 0;
  unsigned low = 0x80, high = 0xbf;  // the second byte's range
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
  } else {
    *maximal = 1;
    return 0;
  }
  size_t k = 1;
  for (; k < length; ++k) {
    const unsigned b = byte(k);
    const bool fits = k == 1 ? b >= low && b <= high : b >= 0x80 && b <= 0xbf;
    if (!fits) break;
  }
  if (k == length) return length;
  *maximal = k;
  return 0;
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | cp >> 6));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | cp >> 12));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | cp >> 18));
    out->push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Scans the string whose opening quote is at text[*p - 1]; on success `*p`
// is just past the closing quote and `*contents` the bytes between.
bool ScanString(std::string_view text, size_t* p, std::string_view* contents, bool* escaped) {
  const size_t start = *p;
  size_t i = start;
  *escaped = false;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      *contents = text.substr(start, i - start);
      *p = i + 1;
      return true;
    }
    if (c < 0x20) return false;
    if (c < 0x80) {
      if (c == '\\') {
        *escaped = true;
        if (i + 1 >= text.size()) return false;
        const char e = text[i + 1];
        if (e == 'u') {
          const int32_t unit = Hex4(text, i + 2);
          if (unit < 0) return false;
          i += 6;
          if (unit >= 0xdc00 && unit <= 0xdfff) return false;  // a lone low surrogate
          if (unit >= 0xd800 && unit <= 0xdbff) {
            // A high surrogate must be followed by an escaped low one.
            if (i + 1 >= text.size() || text[i] != '\\' || text[i + 1] != 'u') return false;
            const int32_t low = Hex4(text, i + 2);
            if (low < 0xdc00 || low > 0xdfff) return false;
            i += 6;
          }
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
            e != 't') {
          return false;
        }
        i += 2;
        continue;
      }
      ++i;
      continue;
    }
    size_t maximal = 0;
    const size_t length = Utf8Sequence(text, i, &maximal);
    if (length == 0) return false;
    i += length;
  }
  return false;  // no closing quote
}

// Unescapes the contents of a string that ScanString accepted.
std::string Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        uint32_t cp = static_cast<uint32_t>(Hex4(raw, i + 1));
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          const uint32_t low = static_cast<uint32_t>(Hex4(raw, i + 3));
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          i += 6;
        }
        AppendUtf8(&out, cp);
        break;
      }
      default:
        out.push_back(e);
        break;  // " \ /
    }
  }
  return out;
}

// Scans a number starting at text[*p]; on success `*p` is just past it.
bool ScanNumber(std::string_view text, size_t* p, bool* integer) {
  size_t i = *p;
  const auto digits = [&] {
    const size_t from = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    return i > from;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  *integer = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
    *integer = false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
    *integer = false;
  }
  *p = i;
  return true;
}

// Whether a number's value is finite as a double, as a parser that reads
// numbers beyond the 64-bit integers as doubles requires (1e400 is refused,
// 1e-400 reads as 0). Only called for numbers that are not 64-bit integers.
bool FiniteAsDouble(std::string_view number) {
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc::result_out_of_range) return true;
  // Out of range: overflow when the value's decimal magnitude is positive.
  // The magnitude is the count of integer digits after leading zeros (or,
  // below 1, minus the zeros after the point), plus the exponent.
  size_t i = number.front() == '-' ? 1 : 0;
  int64_t magnitude = 0;
  while (i < number.size() && number[i] == '0') ++i;
  const size_t first_int = i;
  while (i < number.size() && IsDigit(number[i])) ++i;
  magnitude = static_cast<int64_t>(i - first_int);
  if (i < number.size() && number[i] == '.') {
    ++i;
    if (magnitude == 0) {
      while (i < number.size() && number[i] == '0') {
        --magnitude;
        ++i;
      }
    }
    while (i < number.size() && IsDigit(number[i])) ++i;
  }
  if (i < number.size() && (number[i] == 'e' || number[i] == 'E')) {
    ++i;
    const bool negative = number[i] == '-';
    if (number[i] == '+' || number[i] == '-') ++i;
    int64_t exponent = 0;
    for (; i < number.size(); ++i) {
      exponent = std::min<int64_t>(exponent * 10 + (number[i] - '0'), int64_t{1} << 40);
    }
    magnitude += negative ? -exponent : exponent;
  }
  return magnitude <= 0;
}

bool FitsInteger(std::string_view number) {
  const char* end = number.data() + number.size();
  int64_t signed_value = 0;
  uint64_t unsigned_value = 0;
  return std::from_chars(number.data(), end, signed_value).ec == std::errc() ||
         std::from_chars(number.data(), end, unsigned_value).ec == std::errc();
}

}  // namespace

bool JsonDocument::Parse(std::string_view text) {
  nodes_.clear();
  // What the parser expects next. After a value it looks at the innermost
  // open container (`open`): a comma, or that container's closing bracket.
  enum class Expect { kValue, kKey, kAfterValue };
  // The innermost open container (kNone: none); closing one goes back to
  // its parent, so no stack is needed however deep the nesting.
  uint32_t open = kNone;
  // Most bodies are small objects: one allocation for their nodes.
  nodes_.reserve(std::min<size_t>(text.size() / 8 + 2, 64));
  std::string_view key;
  bool key_escaped = false;
  Expect expect = Expect::kValue;
  size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  while (true) {
    skip_space();
    if (expect == Expect::kKey) {
      if (i >= text.size() || text[i] != '"') return false;
      ++i;
      if (!ScanString(text, &i, &key, &key_escaped)) return false;
      skip_space();
      if (i >= text.size() || text[i] != ':') return false;
      ++i;
      expect = Expect::kValue;
      continue;
    }
    if (expect == Expect::kAfterValue) {
      if (open == kNone) return i == text.size();
      if (i >= text.size()) return false;
      Node& container = nodes_[open];
      const bool object = container.type == JsonType::kObject;
      if (text[i] == ',') {
        ++i;
        expect = object ? Expect::kKey : Expect::kValue;
        continue;
      }
      if (text[i] != (object ? '}' : ']')) return false;
      ++i;
      container.end = static_cast<uint32_t>(nodes_.size());
      open = container.parent;
      continue;
    }
    // A value.
    if (i >= text.size()) return false;
    if (nodes_.size() >= kNone - 1) return false;
    Node node;
    node.parent = open;
    if (node.parent != kNone && nodes_[node.parent].type == JsonType::kObject) {
      node.key = key;
      node.key_escaped = key_escaped;
    }
    const uint32_t index = static_cast<uint32_t>(nodes_.size());
    node.end = index + 1;
    const char c = text[i];
    bool container = false;
    if (c == '{' || c == '[') {
      node.type = c == '{' ? JsonType::kObject : JsonType::kArray;
      container = true;
      ++i;
    } else if (c == '"') {
      node.type = JsonType::kString;
      ++i;
      if (!ScanString(text, &i, &node.text, &node.escaped)) return false;
    } else if (text.substr(i, 4) == "true") {
      node.type = JsonType::kTrue;
      i += 4;
    } else if (text.substr(i, 5) == "false") {
      node.type = JsonType::kFalse;
      i += 5;
    } else if (text.substr(i, 4) == "null") {
      node.type = JsonType::kNull;
      i += 4;
    } else {
      node.type = JsonType::kNumber;
      const size_t start = i;
      if (!ScanNumber(text, &i, &node.integer)) return false;
      node.text = text.substr(start, i - start);
      if (!(node.integer && FitsInteger(node.text)) && !FiniteAsDouble(node.text)) return false;
    }
    if (node.parent != kNone) ++nodes_[node.parent].count;
    nodes_.push_back(node);
    if (!container) {
      expect = Expect::kAfterValue;
      continue;
    }
    skip_space();
    const char close = node.type == JsonType::kObject ? '}' : ']';
    if (i < text.size() && text[i] == close) {  // empty
      ++i;
      expect = Expect::kAfterValue;
    } else {
      open = index;
      expect = node.type == JsonType::kObject ? Expect::kKey : Expect::kValue;
    }
  }
}

JsonDocument::Value JsonDocument::First(Value container) const {
  return nodes_[container].count > 0 ? container + 1 : kNone;
}

std::string JsonDocument::Key(Value member) const {
  const Node& node = nodes_[member];
  return node.key_escaped ? Unescape(node.key) : std::string(node.key);
}

JsonDocument::Value JsonDocument::Find(Value object, std::string_view name) const {
  Value found = kNone;
  for (Value member = First(object); member != kNone; member = Next(member)) {
    const Node& node = nodes_[member];
    if (node.key_escaped ? Unescape(node.key) == name : node.key == name) found = member;
  }
  return found;
}

std::string JsonDocument::String(Value v) const {
  const Node& node = nodes_[v];
  return node.escaped ? Unescape(node.text) : std::string(node.text);
}

// ---- Writing ----------------------------------------------------------------

void AppendJsonString(std::string* out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    // Runs of bytes that need nothing are appended in one go.
    size_t run = i;
    while (run < text.size()) {
      const unsigned char c = static_cast<unsigned char>(text[run]);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
      ++run;
    }
    out->append(text.data() + i, run - i);
    i = run;
    if (i >= text.size()) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t maximal = 0;
      const size_t length = Utf8Sequence(text, i, &maximal);
      if (length > 0) {
        out->append(text.data() + i, length);
        i += length;
      } else {
        out->append("\xef\xbf\xbd");
        i += maximal;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default: {
        const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        out->append(escape, sizeof escape);
      }
    }
    ++i;
  }
  out->push_back('"');
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) out_->push_back(',');
  first_ = false;
}

void JsonWriter::Open(char bracket) {
  Separate();
  out_->push_back(bracket);
  first_ = true;
}

void JsonWriter::Close(char bracket) {
  out_->push_back(bracket);
  first_ = false;
}

void JsonWriter::Key(std::string_view name) {
  Separate();
  AppendJsonString(out_, name);
  out_->push_back(':');
  after_key_ = true;
}

void JsonWriter::String(std::string_view value) {
  Separate();
  AppendJsonString(out_, value);
}

void JsonWriter::Int(int64_t value) {
  Separate();
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out_->append(digits, end);
}

void JsonWriter::Bool(bool value) {
  Separate();
  out_->append(value ? "true" : "false");
}

}  // namespace sqsim::wire
