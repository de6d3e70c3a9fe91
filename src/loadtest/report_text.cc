#include "loadtest/report_text.h"

#include <charconv>
#include <cmath>

namespace sqsim::loadtest::report_internal {

size_t Utf8SequenceLength(std::string_view text, size_t i, size_t* invalid_length) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  *invalid_length = 1;
  if (lead < 0x80) return 1;
  size_t length = 0;
  // The second byte's range depends on the lead byte: this is what rules out
  // overlong forms (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and values
  // above U+10FFFF (F4 90..BF) in one table (Unicode 15, table 3-7).
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k < length; ++k) {
    if (i + k >= text.size()) return 0;
    const unsigned char c = byte(i + k);
    const unsigned char lo = k == 1 ? low : 0x80;
    const unsigned char hi = k == 1 ? high : 0xBF;
    if (c < lo || c > hi) return 0;
    // The bytes so far are a valid prefix: skip them as one invalid subpart.
    *invalid_length = k + 1;
  }
  *invalid_length = 1;
  return length;
}

size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t invalid = 0;
    const size_t length = Utf8SequenceLength(text, i, &invalid);
    i += length > 0 ? length : invalid;
    ++count;
  }
  return count;
}

void AppendXmlEscaped(std::string* out, std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t invalid = 0;
    const size_t length = Utf8SequenceLength(text, i, &invalid);
    if (length == 0) {
      out->append(kReplacementCharacter);
      i += invalid;
      continue;
    }
    const std::string_view sequence = text.substr(i, length);
    i += length;
    if (length == 3 && (sequence == "\xEF\xBF\xBE" || sequence == "\xEF\xBF\xBF")) {
      out->append(kReplacementCharacter);
      continue;
    }
    if (length > 1) {
      out->append(sequence);
      continue;
    }
    const char c = sequence[0];
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        out->append("&quot;");
        break;
      case '\'':
        out->append("&#39;");  // &apos; is not an HTML 4 entity; this works in both.
        break;
      case '\t':
      case '\n':
      case '\r':
        out->push_back(c);
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append(kReplacementCharacter);
        } else {
          out->push_back(c);
        }
    }
  }
}

std::string XmlEscaped(std::string_view text) {
  std::string out;
  AppendXmlEscaped(&out, text);
  return out;
}

std::string FormatFixed(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  if (std::round(std::fabs(value) * scale) == 0) value = 0;  // no "-0.0"
  char digits[64];
  const auto result =
      std::to_chars(digits, digits + sizeof digits, value, std::chars_format::fixed, decimals);
  return std::string(digits, result.ptr);
}

std::string FormatShortest(double value) {
  char digits[32];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  return std::string(digits, result.ptr);
}

}  // namespace sqsim::loadtest::report_internal
