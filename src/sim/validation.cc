// Validation of request parameters against SQS's documented rules. See
// validation.h for each function's contract and the AWS pages it cites for
// the evidence behind the rules.

#include "sim/validation.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace sqsim::internal {

namespace {

constexpr size_t kMaxQueueNameLength = 80;
constexpr size_t kMaxBatchEntryIdLength = 80;
constexpr size_t kMaxPermissionLabelLength = 80;
constexpr size_t kMaxGroupOrDedupIdLength = 128;
constexpr size_t kMaxMessageAttributes = 10;
constexpr size_t kMaxAttributeNameBytes = 256;
constexpr size_t kMaxAttributeTypeBytes = 256;
constexpr size_t kMaxNumberSignificantDigits = 38;
constexpr size_t kMaxTagKeyCodePoints = 128;
constexpr size_t kMaxTagValueCodePoints = 256;
constexpr size_t kMaxIntegerDigits = 18;  // 10^18 - 1 fits in int64_t: no overflow check needed
constexpr size_t kAccountIdDigits = 12;
constexpr std::string_view kFifoSuffix = ".fifo";
constexpr std::string_view kTraceHeaderName = "AWSTraceHeader";

Status InvalidParameter(std::string message) {
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsAsciiAlnum(char32_t c) { return IsAsciiLetter(c) || IsAsciiDigit(c); }

// [A-Za-z0-9_-]: the alphabet of queue names, batch entry ids and labels.
bool IsNameChar(char c) {
  return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

bool IsNameOfLength(std::string_view text, size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (char c : text) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// True when `text` starts with `lower_prefix` ignoring ASCII case; SQS's
// reserved prefixes ("aws.", "amazon.", "aws:") are matched in any casing.
bool StartsWithIgnoreCase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (AsciiLower(text[i]) != lower_prefix[i]) return false;
  }
  return true;
}

// Decodes the code point at `text[*pos]` and advances `*pos` past it. Returns
// false for anything that is not well-formed UTF-8 (RFC 3629): a stray
// continuation byte, a truncated sequence, an overlong encoding, a surrogate
// or a value above U+10FFFF. Accepting those would let two byte strings that
// differ only in encoding pass as the same text, and the MD5 SQS clients
// verify is computed over the bytes.
bool DecodeUtf8(std::string_view text, size_t* pos, char32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  size_t length = 0;
  char32_t value = 0;
  char32_t min_value = 0;
  if (lead < 0x80) {
    *code_point = lead;
    ++*pos;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    min_value = 0x10000;
  } else {
    return false;  // a continuation byte or 0xF8..0xFF as a lead byte
  }
  if (text.size() - *pos < length) return false;
  for (size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[*pos + i]);
    if ((byte & 0xC0) != 0x80) return false;
    value = (value << 6) | (byte & 0x3F);
  }
  if (value < min_value) return false;                   // overlong
  if (value >= 0xD800 && value <= 0xDFFF) return false;  // surrogate
  if (value > 0x10FFFF) return false;
  *code_point = value;
  *pos += length;
  return true;
}

// The XML 1.0 `Char` production, which is what SQS allows in message text.
bool IsAllowedCodePoint(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// Printable ASCII (0x20..0x7F), tab, LF and CR: allowed as they are, and
// most message bodies are nothing else.
bool IsPlainTextByte(unsigned char c) {
  return c < 0x80 && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
}

// The length of the longest prefix of `text` made of IsPlainTextByte bytes,
// so that only the rest needs UTF-8 decoding. Eight bytes at a time: a word
// whose bytes are all 0x20..0x7F has no high bit set in itself nor in itself
// minus 0x20 in every byte (the lowest byte below 0x20 borrows and sets its
// own high bit); other words are checked byte by byte. Runs of four plain
// words are skipped with one test, so that a plain body costs few branches.
size_t PlainTextPrefix(std::string_view text) {
  constexpr uint64_t kEveryByte = 0x0101010101010101ull;
  auto not_plain = [&](size_t at) {
    uint64_t word;
    std::memcpy(&word, text.data() + at, sizeof word);
    return (word | (word - 0x20 * kEveryByte)) & (0x80 * kEveryByte);
  };
  size_t i = 0;
  while (i + 32 <= text.size() &&
         (not_plain(i) | not_plain(i + 8) | not_plain(i + 16) | not_plain(i + 24)) == 0) {
    i += 32;
  }
  while (i < text.size()) {
    if (i + 8 <= text.size() && not_plain(i) == 0) {
      i += 8;
      continue;
    }
    for (const size_t end = std::min(i + 8, text.size()); i < end; ++i) {
      if (!IsPlainTextByte(static_cast<unsigned char>(text[i]))) return i;
    }
  }
  return i;
}

struct CodePointRange {
  char32_t first;
  char32_t last;
};
#include "sim/unicode_letters.inc"

template <size_t N>
bool InRanges(const CodePointRange (&ranges)[N], char32_t c) {
  const CodePointRange* it = std::upper_bound(
      ranges, ranges + N, c, [](char32_t v, const CodePointRange& r) { return v < r.first; });
  return it != ranges && c <= (it - 1)->last;
}

// A Unicode letter or decimal digit: what SQS accepts in attribute names
// besides `_ - .` (AWS accepts "attr.1øßä" and rejects "§").
bool IsLetterOrDigit(char32_t c) {
  if (c < 0x80) return IsAsciiLetter(c) || IsAsciiDigit(c);
  return InRanges(kLetterOrDigitRanges, c);
}

// Calls `fn(code_point)` for each code point of `text` until `fn` returns
// false. Returns false when `text` is not valid UTF-8 or `fn` returned false,
// and stores the number of code points visited in `*count` when non-null.
template <typename Fn>
bool ForEachCodePoint(std::string_view text, Fn fn, size_t* count = nullptr) {
  size_t pos = 0;
  size_t visited = 0;
  while (pos < text.size()) {
    char32_t c = 0;
    if (!DecodeUtf8(text, &pos, &c) || !fn(c)) return false;
    ++visited;
  }
  if (count != nullptr) *count = visited;
  return true;
}

// --- Message attributes -----------------------------------------------------

enum class AttributeKind { kString, kNumber, kBinary };

// The kind named by a DataType ("Number.int" -> kNumber), or nullopt when the
// DataType is empty, longer than 256 bytes, has an unknown prefix or an empty
// custom label. The label's characters are not restricted: SQS documents none
// beyond the length of the whole DataType.
std::optional<AttributeKind> ParseDataType(std::string_view data_type) {
  if (data_type.empty() || data_type.size() > kMaxAttributeTypeBytes) return std::nullopt;
  static constexpr std::pair<std::string_view, AttributeKind> kPrefixes[] = {
      {"String", AttributeKind::kString},
      {"Number", AttributeKind::kNumber},
      {"Binary", AttributeKind::kBinary},
  };
  for (const auto& [prefix, kind] : kPrefixes) {
    if (!data_type.starts_with(prefix)) continue;
    const std::string_view rest = data_type.substr(prefix.size());
    if (rest.empty() || (rest.size() > 1 && rest.front() == '.')) return kind;
    return std::nullopt;
  }
  return std::nullopt;
}

// Counts the digits of `digits` that are significant: leading and trailing
// zeros are not, because SQS stores numbers normalised ("strips leading and
// trailing zeroes") with 38 digits of precision, the same model as DynamoDB's
// Number. So "1" followed by 50 zeros has one significant digit.
size_t SignificantDigits(std::string_view digits) {
  const size_t first = digits.find_first_not_of('0');
  if (first == std::string_view::npos) return 0;
  const size_t last = digits.find_last_not_of('0');
  return last - first + 1;
}

// A decimal number: [+-]? digits ('.' digits)? ([eE] [+-]? digits)?. The
// integer part is required and a '.' must be followed by a digit (".5" and
// "5." are rejected), matching the contract's "digits, optional fraction".
// The 10^-128..10^126 magnitude range is not enforced (not in the contract).
bool IsValidNumber(std::string_view text) {
  size_t i = 0;
  auto skip_digits = [&] {
    const size_t start = i;
    while (i < text.size() && IsAsciiDigit(static_cast<unsigned char>(text[i]))) ++i;
    return text.substr(start, i - start);
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::string digits(skip_digits());
  if (digits.empty()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::string_view fraction = skip_digits();
    if (fraction.empty()) return false;
    digits.append(fraction);
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (skip_digits().empty()) return false;
  }
  return i == text.size() && SignificantDigits(digits) <= kMaxNumberSignificantDigits;
}

Status ValidateAttributeName(const std::string& name) {
  const std::string prefix = "Message (user) attribute name '" + name + "' is invalid. ";
  if (name.empty() || name.size() > kMaxAttributeNameBytes) {
    return InvalidParameter(prefix + "The name must be 1 to 256 bytes long.");
  }
  const bool chars_ok = ForEachCodePoint(
      name, [](char32_t c) { return IsLetterOrDigit(c) || c == '_' || c == '-' || c == '.'; });
  if (!chars_ok) {
    return InvalidParameter(prefix +
                            "The name can contain only letters, digits, underscores (_), hyphens "
                            "(-) and periods (.).");
  }
  if (StartsWithIgnoreCase(name, "aws.") || StartsWithIgnoreCase(name, "amazon.")) {
    return InvalidParameter(prefix +
                            "The name must not start with 'AWS.' or 'Amazon.' (in any casing).");
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
    return InvalidParameter(prefix +
                            "The name must not start or end with a period (.) or contain two "
                            "successive periods.");
  }
  return Status::Ok();
}

// Checks that the member the DataType calls for is present, non-empty and,
// for strings and numbers, well-formed.
Status ValidateAttributeValue(const std::string& name, const MessageAttributeValue& value,
                              AttributeKind kind) {
  const std::string subject = "Message (user) attribute '" + name + "'";
  if (kind == AttributeKind::kBinary) {
    if (!value.binary_value.has_value() || value.binary_value->empty()) {
      return InvalidParameter(subject + " must contain a non-empty value of type 'Binary'.");
    }
    return Status::Ok();
  }
  const char* type_name = kind == AttributeKind::kString ? "String" : "Number";
  if (!value.string_value.has_value() || value.string_value->empty()) {
    return InvalidParameter(subject + " must contain a non-empty value of type '" + type_name +
                            "'.");
  }
  if (kind == AttributeKind::kString && !IsAllowedMessageText(*value.string_value)) {
    return InvalidParameter(subject + " contains invalid characters.");
  }
  if (kind == AttributeKind::kNumber && !IsValidNumber(*value.string_value)) {
    return InvalidParameter("Could not parse message (user) attribute '" + name + "' as a number.");
  }
  return Status::Ok();
}

// --- Tags -------------------------------------------------------------------

// \p{L}, \p{N}, \p{Z} and `_ . : / = + - @`, the tag pattern's characters.
// In ASCII that is letters, digits and the space: tabs and line breaks are
// not separators (\p{Z}).
bool IsTagChar(char32_t c) {
  if (c >= 0x80) return InRanges(kTagLetterRanges, c);
  if (IsAsciiLetter(c) || IsAsciiDigit(c)) return true;
  switch (c) {
    case ' ':
    case '_':
    case '.':
    case ':':
    case '/':
    case '=':
    case '+':
    case '-':
    case '@':
      return true;
    default:
      return false;
  }
}

// True when `text` is valid UTF-8 of tag characters with at most `max_length`
// code points (tags are measured in characters, not bytes).
bool IsTagText(std::string_view text, size_t min_length, size_t max_length) {
  size_t length = 0;
  return ForEachCodePoint(text, IsTagChar, &length) && length >= min_length && length <= max_length;
}

Status ValidateTagKey(const std::string& key) {
  if (!IsTagText(key, 1, kMaxTagKeyCodePoints)) {
    return InvalidParameter("Tag key '" + key + "' is invalid.");
  }
  if (StartsWithIgnoreCase(key, "aws:")) {
    return InvalidParameter("Tag keys starting with 'aws:' are reserved.");
  }
  return Status::Ok();
}

}  // namespace

bool IsValidQueueName(std::string_view name) {
  if (name.size() > kMaxQueueNameLength) return false;
  std::string_view base = name;
  if (base.ends_with(kFifoSuffix)) base.remove_suffix(kFifoSuffix.size());
  return IsNameOfLength(base, kMaxQueueNameLength);
}

bool IsAllowedMessageText(std::string_view text) {
  const size_t plain = PlainTextPrefix(text);
  if (plain == text.size()) return true;
  return ForEachCodePoint(text.substr(plain), IsAllowedCodePoint);
}

size_t MessageSize(std::string_view body, const MessageAttributeMap& attributes) {
  size_t size = body.size();
  for (const auto& [name, value] : attributes) {
    size += name.size() + value.data_type.size();
    // Count the member the DataType calls for, as the digest does; a member
    // the DataType does not use is never stored or returned.
    const std::optional<std::string>& member =
        value.data_type.starts_with("Binary") ? value.binary_value : value.string_value;
    if (member.has_value()) size += member->size();
  }
  return size;
}

Status ValidateMessageAttributes(const MessageAttributeMap& attributes) {
  if (attributes.size() > kMaxMessageAttributes) {
    return InvalidParameter("Number of message attributes [" + std::to_string(attributes.size()) +
                            "] exceeds the allowed maximum [10].");
  }
  for (const auto& [name, value] : attributes) {
    if (Status status = ValidateAttributeName(name); !status.ok()) return status;
    const std::optional<AttributeKind> kind = ParseDataType(value.data_type);
    if (!kind.has_value()) {
      return InvalidParameter("The type of message (user) attribute '" + name +
                              "' is invalid. You must use only the following supported type "
                              "prefixes: Binary, Number, String.");
    }
    // Lists are checked before the scalar value: an attribute carrying them is
    // unsupported whatever else it holds, and that is the more useful message.
    if (!value.string_list_values.empty() || !value.binary_list_values.empty()) {
      return InvalidParameter("Message (user) attribute '" + name +
                              "': list values are not supported.");
    }
    if (Status status = ValidateAttributeValue(name, value, *kind); !status.ok()) return status;
  }
  return Status::Ok();
}

Status ValidateMessageSystemAttributes(const MessageAttributeMap& attributes) {
  for (const auto& [name, value] : attributes) {
    if (name != kTraceHeaderName) {
      return InvalidParameter("Message system attribute name '" + name + "' is invalid.");
    }
    const std::string subject = "Message system attribute '" + name + "'";
    if (value.data_type != "String") {
      return InvalidParameter(subject + " must have DataType String.");
    }
    if (!value.string_list_values.empty() || !value.binary_list_values.empty()) {
      return InvalidParameter(subject + ": list values are not supported.");
    }
    if (!value.string_value.has_value() || value.string_value->empty()) {
      return InvalidParameter(subject + " must contain a non-empty value of type 'String'.");
    }
    // The trace header is stored and returned like any string attribute, so
    // it obeys the same character rules.
    if (!IsAllowedMessageText(*value.string_value)) {
      return InvalidParameter(subject + " contains invalid characters.");
    }
  }
  return Status::Ok();
}

bool IsValidBatchEntryId(std::string_view id) { return IsNameOfLength(id, kMaxBatchEntryIdLength); }

bool IsValidGroupOrDedupId(std::string_view id) {
  if (id.empty() || id.size() > kMaxGroupOrDedupIdLength) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

bool IsValidPermissionLabel(std::string_view label) {
  return IsNameOfLength(label, kMaxPermissionLabelLength);
}

bool IsValidAccountId(std::string_view id) {
  if (id.size() != kAccountIdDigits) return false;
  for (char c : id) {
    if (!IsAsciiDigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Status ValidateTags(const TagMap& tags) {
  for (const auto& [key, value] : tags) {
    if (Status status = ValidateTagKey(key); !status.ok()) return status;
    if (!IsTagText(value, 0, kMaxTagValueCodePoints)) {
      return InvalidParameter("Tag value for key '" + key + "' is invalid.");
    }
  }
  return Status::Ok();
}

Status ValidateTagKeys(const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (Status status = ValidateTagKey(key); !status.ok()) return status;
  }
  return Status::Ok();
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  const bool negative = text.starts_with('-');
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > kMaxIntegerDigits) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (!IsAsciiDigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

}  // namespace sqsim::internal
