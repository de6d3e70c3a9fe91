// A small, strict XML reader for the responses of AWS query-protocol
// services (SNS, and SQS's query API): what a client needs to read
// `<PublishResponse><PublishResult><MessageId>..</MessageId>...` into a tree.
//
// Supported: the `<?xml ...?>` declaration and other processing
// instructions (skipped), comments (skipped), a UTF-8 byte order mark,
// elements, self-closing tags, attributes (checked for syntax, then dropped:
// AWS only sends `xmlns`), character data with the five predefined entities
// and numeric references (`&#233;`, `&#xD;`), CDATA sections, and
// whitespace between elements. Line ends are normalised as XML 1.0 requires
// (a literal CR LF or CR becomes LF; `&#xD;` stays CR), which is why
// XmlWriter escapes CR.
//
// Rejected with ErrorCode::kMalformedResponse: anything not well-formed
// (mismatched or unclosed tags, bad names, unknown entities, a second root,
// control characters other than tab, LF and CR), DOCTYPE declarations (so no
// entity expansion, hence no "billion laughs"), and nesting deeper than
// kMaxXmlDepth. The reader is iterative, so hostile input cannot exhaust the
// stack while parsing, and the depth cap bounds the recursion of destroying
// or walking the tree. Text bytes are passed through as they are; UTF-8
// validity is not checked. Namespace prefixes are kept as part of the name.
//
// Thread safety: stateless function; the tree is a plain value.

#ifndef SQSIM_WIRE_XML_READER_H_
#define SQSIM_WIRE_XML_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"

namespace sqsim::wire {

// The deepest element nesting ParseXml accepts (the root is at depth 1).
// AWS query responses nest about six deep.
inline constexpr size_t kMaxXmlDepth = 64;

struct XmlElement {
  std::string name{};
  // The character data directly inside this element, entities decoded, all
  // pieces concatenated. Whitespace-only text of an element with children
  // (indentation) is dropped.
  std::string text{};
  std::vector<XmlElement> children{};  // in document order

  // The first child named `child_name`, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
};

// Parses a whole document; returns its root element.
Result<XmlElement> ParseXml(std::string_view document);

}  // namespace sqsim::wire

#endif  // SQSIM_WIRE_XML_READER_H_
