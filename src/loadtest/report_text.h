// Text helpers shared by the report writers (report_json.cc, report_svg.cc,
// report_html.cc): UTF-8 repair, XML escaping and locale-independent number
// formatting. Private to the load-test library.
//
// Every writer must produce valid UTF-8 whatever bytes the caller put in a
// title or a series name, so a byte sequence that is not UTF-8 becomes
// U+FFFD (one replacement per maximal invalid subpart, as Unicode advises).

#ifndef SQSIM_LOADTEST_REPORT_TEXT_H_
#define SQSIM_LOADTEST_REPORT_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace sqsim::loadtest::report_internal {

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the well-formed UTF-8 sequence starting at text[i] (1 to 4),
// or 0 when the bytes there are not one (overlong forms, surrogates and
// values above U+10FFFF are not). Sets *invalid_length to how many bytes to
// skip in that case (at least 1). REQUIRES: i < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t i, size_t* invalid_length);

// How many characters (code points; a replaced invalid subpart counts as
// one) `text` shows. The SVG writer estimates text widths from it.
size_t CharacterCount(std::string_view text);

// Appends `text` escaped for XML 1.0 and HTML5 character data and quoted
// attribute values: & < > " ' become references; C0 controls other than
// tab, LF and CR, U+FFFE, U+FFFF (which XML 1.0 forbids even as references)
// and invalid UTF-8 become U+FFFD.
void AppendXmlEscaped(std::string* out, std::string_view text);
std::string XmlEscaped(std::string_view text);

// `value` with exactly `decimals` digits after the point ("12.5", "-3.0"),
// never "-0.0": a value that rounds to zero prints as zero. REQUIRES: value
// is finite and |value| < 1e15, 0 <= decimals <= 17.
std::string FormatFixed(double value, int decimals);

// The shortest text that reads back as exactly `value` (std::to_chars), for
// example "0.1", "250", "1e+21". REQUIRES: value is finite.
std::string FormatShortest(double value);

}  // namespace sqsim::loadtest::report_internal

#endif  // SQSIM_LOADTEST_REPORT_TEXT_H_
