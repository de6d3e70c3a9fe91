// A minimal XML writer for the SQS query protocol's responses: nested
// elements with text content, no attributes except the root's namespace.
//
// Text is escaped so that any byte string yields well-formed XML 1.0 whose
// parsed text equals the input wherever XML can represent it: `&`, `<` and
// `>` become entities; `\r` becomes `&#xD;` (a parser would otherwise turn
// `\r\n` into `\n`); bytes that are not UTF-8, and characters XML 1.0 forbids
// (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF), become U+FFFD.
// SQS refuses such characters in message bodies and attribute values, so the
// replacement only guards against data that never came from a valid request.
//
// Thread safety: distinct objects are independent; one object is not safe to
// share.

#ifndef SQSIM_WIRE_XML_WRITER_H_
#define SQSIM_WIRE_XML_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::wire {

// Appends the escaped form of `text` (see above) to `*out`.
void AppendXmlText(std::string_view text, std::string* out);

class XmlWriter {
 public:
  // Starts a document with the `<?xml version="1.0"?>` declaration.
  XmlWriter();

  // Opens `<name>` (with ` xmlns="<xmlns>"` when given). REQUIRES: `name` is
  // a valid XML name (all callers pass literals).
  void Open(std::string_view name, std::string_view xmlns = {});
  // Closes the innermost open element. REQUIRES: one is open.
  void Close();
  // `<name>text</name>`, `<name>42</name>`, `<name>true</name>`.
  void Element(std::string_view name, std::string_view text);
  void IntElement(std::string_view name, int64_t value);
  void BoolElement(std::string_view name, bool value);
  // `<name/>`.
  void EmptyElement(std::string_view name);

  // The document. REQUIRES: every opened element was closed.
  std::string Finish() &&;

 private:
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_XML_WRITER_H_
