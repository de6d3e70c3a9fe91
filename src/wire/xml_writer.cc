#include "wire/xml_writer.h"

#include "sqsim/status.h"

namespace sqsim::wire {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence at the start of `text` (1 to 4),
// or 0 when it is not one (stray continuation byte, overlong form, surrogate,
// beyond U+10FFFF, truncated). `*code_point` receives its value.
size_t Utf8Sequence(std::string_view text, uint32_t* code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  size_t length = 0;
  uint32_t value = 0;
  uint32_t min_value = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, min_value = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

bool AllowedInXml(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
}

}  // namespace

void AppendXmlText(std::string_view text, std::string* out) {
  out->reserve(out->size() + text.size());
  while (!text.empty()) {
    uint32_t c = 0;
    const size_t length = Utf8Sequence(text, &c);
    if (length == 0 || !AllowedInXml(c)) {
      out->append(kReplacement);
      text.remove_prefix(length == 0 ? 1 : length);
      continue;
    }
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
      case '\r':
        out->append("&#xD;");
        break;
      default:
        out->append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
}

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\"?>") {}

void XmlWriter::Open(std::string_view name, std::string_view xmlns) {
  out_ += '<';
  out_ += name;
  if (!xmlns.empty()) {
    out_ += " xmlns=\"";
    out_ += xmlns;
    out_ += '"';
  }
  out_ += '>';
  open_.emplace_back(name);
}

void XmlWriter::Close() {
  SQSIM_ASSERT(!open_.empty(), "XmlWriter::Close without an open element");
  out_ += "</";
  out_ += open_.back();
  out_ += '>';
  open_.pop_back();
}

void XmlWriter::Element(std::string_view name, std::string_view text) {
  out_ += '<';
  out_ += name;
  out_ += '>';
  AppendXmlText(text, &out_);
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void XmlWriter::IntElement(std::string_view name, int64_t value) {
  Element(name, std::string_view(std::to_string(value)));
}

void XmlWriter::BoolElement(std::string_view name, bool value) {
  Element(name, std::string_view(value ? "true" : "false"));
}

void XmlWriter::EmptyElement(std::string_view name) {
  out_ += '<';
  out_ += name;
  out_ += "/>";
}

std::string XmlWriter::Finish() && {
  SQSIM_ASSERT(open_.empty(), "XmlWriter::Finish with unclosed elements");
  return std::move(out_);
}

}  // namespace sqsim::wire
