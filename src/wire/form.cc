// ParseForm: application/x-www-form-urlencoded, as SDKs send query-protocol
// requests (botocore: urllib's urlencode, `+` for space, `%XX` otherwise).
//
// A `%` not followed by two hex digits is an error. SQS's query front end
// answers such bodies with an error rather than guessing; sqsim's ErrorCode
// table has no MalformedQueryString, so the closest code, InvalidParameterValue
// (HTTP 400, Sender), is used, with a message that names the bad escape and
// its byte offset.

#include <string>
#include <string_view>

#include "wire/query_codec.h"

namespace sqsim::wire {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one key or value that starts at byte `offset` of the body (the
// offset only makes the error message precise).
Status Unescape(std::string_view text, size_t offset, std::string* out) {
  out->clear();
  out->reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c != '%') {
      out->push_back(c);
    } else {
      const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        const std::string_view escape = text.substr(i, 3);
        return Status(ErrorCode::kInvalidParameterValue,
                      "The request has a malformed query string: invalid percent-escape \"" +
                          std::string(escape) + "\" at byte " + std::to_string(offset + i) + ".");
      }
      out->push_back(static_cast<char>(high * 16 + low));
      i += 2;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<FormFields> ParseForm(std::string_view body) {
  FormFields fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    // Empty pairs (`a=1&&b=2`, a trailing `&`) carry nothing; browsers and
    // servlet containers skip them too.
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view raw_key = pair.substr(0, eq);
      const std::string_view raw_value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      std::string key;
      std::string value;
      if (Status s = Unescape(raw_key, start, &key); !s.ok()) return s;
      if (Status s = Unescape(raw_value, start + raw_key.size() + 1, &value); !s.ok()) return s;
      if (!key.empty()) fields[std::move(key)] = std::move(value);
    }
    start = end + 1;
  }
  return fields;
}

}  // namespace sqsim::wire
