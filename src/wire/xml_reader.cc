// ParseXml: a single forward pass over the document with an explicit stack
// of open elements (see xml_reader.h for what is accepted). Every error
// names the byte offset where parsing stopped.

#include "wire/xml_reader.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqsim::wire {
namespace xml_reader_internal {

bool IsNameStart(char c) {
  const auto u = static_cast<unsigned char>(c);
  // Bytes >= 0x80 belong to non-ASCII name characters; XML allows most of
  // them and AWS never sends any, so they are accepted without decoding.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || u >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Characters XML 1.0 allows in a document (its `Char` production).
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void AppendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsAllWhitespace(std::string_view text) {
  for (char c : text) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

class XmlParser {
 public:
  explicit XmlParser(std::string_view doc) : doc_(doc) {}

  Result<XmlElement> Parse() {
    if (StartsWith("\xEF\xBB\xBF")) pos_ += 3;
    if (Status s = SkipMisc(); !s.ok()) return s;
    if (AtEnd()) return Fail("no root element");
    XmlElement root;
    if (Status s = ParseContent(&root); !s.ok()) return s;
    if (Status s = SkipMisc(); !s.ok()) return s;
    if (!AtEnd()) return Fail("content after the root element");
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= doc_.size(); }
  bool StartsWith(std::string_view prefix) const {
    return pos_ <= doc_.size() && doc_.substr(pos_).substr(0, prefix.size()) == prefix;
  }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(doc_[pos_])) ++pos_;
  }

  Status Fail(std::string_view what) const {
    return Status(ErrorCode::kMalformedResponse,
                  "Malformed XML at byte " + std::to_string(pos_) + ": " + std::string(what));
  }

  // Whitespace, comments and processing instructions, as allowed before
  // and after the root element.
  Status SkipMisc() {
    while (true) {
      SkipSpaces();
      if (StartsWith("<!--")) {
        if (Status s = SkipComment(); !s.ok()) return s;
      } else if (StartsWith("<?")) {
        if (Status s = SkipProcessingInstruction(); !s.ok()) return s;
      } else if (StartsWith("<!")) {
        return Fail("DOCTYPE and other declarations are not supported");
      } else {
        return Status::Ok();
      }
    }
  }

  Status SkipComment() {
    const size_t end = doc_.find("-->", pos_ + 4);
    if (end == std::string_view::npos) return Fail("unterminated comment");
    pos_ = end + 3;
    return Status::Ok();
  }

  Status SkipProcessingInstruction() {
    pos_ += 2;
    std::string target;
    if (Status s = ParseName(&target); !s.ok()) return s;
    const size_t end = doc_.find("?>", pos_);
    if (end == std::string_view::npos) return Fail("unterminated processing instruction");
    pos_ = end + 2;
    return Status::Ok();
  }

  Status ParseName(std::string* name) {
    if (AtEnd() || !IsNameStart(doc_[pos_])) return Fail("expected a name");
    const size_t start = pos_;
    while (!AtEnd() && IsNameChar(doc_[pos_])) ++pos_;
    *name = std::string(doc_.substr(start, pos_ - start));
    return Status::Ok();
  }

  // The root element and everything inside it. `stack` holds the open
  // elements, innermost last; a closed element moves into its parent.
  Status ParseContent(XmlElement* root) {
    std::vector<XmlElement> stack;
    while (true) {
      if (AtEnd()) {
        return Fail(stack.empty() ? "expected the root element"
                                  : "unexpected end inside <" + stack.back().name + ">");
      }
      // Outside any element only the root's start tag may follow.
      if (stack.empty() &&
          (doc_[pos_] != '<' || pos_ + 1 >= doc_.size() || !IsNameStart(doc_[pos_ + 1]))) {
        return Fail("expected the root element");
      }
      Status status;
      bool closed = false;  // whether an element was completed
      XmlElement element;
      if (doc_[pos_] != '<') {
        status = ParseText(&stack.back().text);
      } else if (StartsWith("</")) {
        status = ParseEndTag(stack.back().name);
        if (status.ok()) {
          element = std::move(stack.back());
          stack.pop_back();
          if (!element.children.empty() && IsAllWhitespace(element.text)) element.text.clear();
          closed = true;
        }
      } else if (StartsWith("<!--")) {
        status = SkipComment();
      } else if (StartsWith("<![CDATA[")) {
        status = ParseCData(&stack.back().text);
      } else if (StartsWith("<?")) {
        status = SkipProcessingInstruction();
      } else if (StartsWith("<!")) {
        status = Fail("declarations are not allowed inside elements");
      } else {
        if (stack.size() >= kMaxXmlDepth) {
          return Fail("elements nest deeper than " + std::to_string(kMaxXmlDepth));
        }
        bool self_closing = false;
        status = ParseStartTag(&element.name, &self_closing);
        if (status.ok() && !self_closing) {
          stack.push_back(std::move(element));
          continue;
        }
        closed = status.ok();
      }
      if (!status.ok()) return status;
      if (closed) {
        if (stack.empty()) {
          *root = std::move(element);
          return Status::Ok();
        }
        stack.back().children.push_back(std::move(element));
      }
    }
  }

  // At '<': the name, attributes (checked, then dropped) and '>' or '/>'.
  Status ParseStartTag(std::string* name, bool* self_closing) {
    ++pos_;
    if (Status s = ParseName(name); !s.ok()) return s;
    while (true) {
      const size_t before_space = pos_;
      SkipSpaces();
      if (StartsWith("/>")) {
        pos_ += 2;
        *self_closing = true;
        return Status::Ok();
      }
      if (StartsWith(">")) {
        ++pos_;
        *self_closing = false;
        return Status::Ok();
      }
      if (AtEnd()) return Fail("unterminated start tag <" + *name + ">");
      if (pos_ == before_space) return Fail("expected whitespace before an attribute");
      if (Status s = SkipAttribute(); !s.ok()) return s;
    }
  }

  Status SkipAttribute() {
    std::string name;
    if (Status s = ParseName(&name); !s.ok()) return s;
    SkipSpaces();
    if (!StartsWith("=")) return Fail("expected '=' after attribute " + name);
    ++pos_;
    SkipSpaces();
    if (AtEnd() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
      return Fail("expected a quoted value for attribute " + name);
    }
    const char quote = doc_[pos_++];
    std::string ignored;
    while (true) {
      if (AtEnd()) return Fail("unterminated value of attribute " + name);
      const char c = doc_[pos_];
      if (c == quote) break;
      if (c == '<') return Fail("'<' in the value of attribute " + name);
      if (c == '&') {
        if (Status s = ParseReference(&ignored); !s.ok()) return s;
      } else {
        if (Status s = CheckChar(c); !s.ok()) return s;
        ++pos_;
      }
    }
    ++pos_;
    return Status::Ok();
  }

  Status ParseEndTag(std::string_view open_name) {
    pos_ += 2;
    std::string name;
    if (Status s = ParseName(&name); !s.ok()) return s;
    SkipSpaces();
    if (!StartsWith(">")) return Fail("unterminated end tag </" + name + ">");
    ++pos_;
    if (name != open_name) {
      return Fail("</" + name + "> does not close <" + std::string(open_name) + ">");
    }
    return Status::Ok();
  }

  // Character data up to the next '<' (or the end, which the caller reports).
  Status ParseText(std::string* out) {
    while (!AtEnd() && doc_[pos_] != '<') {
      const char c = doc_[pos_];
      if (c == '&') {
        if (Status s = ParseReference(out); !s.ok()) return s;
        continue;
      }
      if (Status s = CheckChar(c); !s.ok()) return s;
      AppendNormalized(out);
    }
    return Status::Ok();
  }

  Status ParseCData(std::string* out) {
    pos_ += 9;  // "<![CDATA["
    const size_t end = doc_.find("]]>", pos_);
    if (end == std::string_view::npos) return Fail("unterminated CDATA section");
    while (pos_ < end) {
      if (Status s = CheckChar(doc_[pos_]); !s.ok()) return s;
      AppendNormalized(out);
    }
    pos_ = end + 3;
    return Status::Ok();
  }

  // Appends the byte at pos_, turning a literal CR LF or lone CR into LF.
  void AppendNormalized(std::string* out) {
    const char c = doc_[pos_++];
    if (c != '\r') {
      out->push_back(c);
      return;
    }
    if (!AtEnd() && doc_[pos_] == '\n') ++pos_;
    out->push_back('\n');
  }

  // Control characters XML forbids; bytes >= 0x80 are not decoded here.
  Status CheckChar(char c) const {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && !IsSpace(c)) return Fail("control character " + std::to_string(u));
    return Status::Ok();
  }

  // At '&': one entity or character reference, appended decoded.
  Status ParseReference(std::string* out) {
    const size_t semicolon = doc_.find(';', pos_);
    // Longer than any reference can be ("&#x10FFFF;" with leading zeros
    // aside), so a stray '&' fails here instead of scanning far ahead.
    constexpr size_t kMaxReference = 16;
    if (semicolon == std::string_view::npos || semicolon - pos_ > kMaxReference) {
      return Fail("'&' that starts no reference");
    }
    const std::string_view body = doc_.substr(pos_ + 1, semicolon - pos_ - 1);
    if (body.size() >= 2 && body[0] == '#') {
      const bool hex = body[1] == 'x';
      const std::string_view digits = body.substr(hex ? 2 : 1);
      if (digits.empty()) return Fail("empty character reference");
      uint32_t value = 0;
      for (char c : digits) {
        int digit = -1;
        if (c >= '0' && c <= '9') digit = c - '0';
        if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
        if (digit < 0) return Fail("bad character reference");
        value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
        if (value > 0x10FFFF) return Fail("character reference beyond U+10FFFF");
      }
      if (!IsXmlChar(value)) return Fail("character reference to a character XML forbids");
      AppendUtf8(value, out);
    } else if (body == "amp") {
      out->push_back('&');
    } else if (body == "lt") {
      out->push_back('<');
    } else if (body == "gt") {
      out->push_back('>');
    } else if (body == "quot") {
      out->push_back('"');
    } else if (body == "apos") {
      out->push_back('\'');
    } else {
      return Fail("unknown entity &" + std::string(body) + ";");
    }
    pos_ = semicolon + 1;
    return Status::Ok();
  }

  std::string_view doc_;
  size_t pos_ = 0;
};

}  // namespace xml_reader_internal

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

Result<XmlElement> ParseXml(std::string_view document) {
  return xml_reader_internal::XmlParser(document).Parse();
}

}  // namespace sqsim::wire
