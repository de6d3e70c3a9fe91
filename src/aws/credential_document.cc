#include "aws/credential_document.h"

#include <charconv>
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace sqsim::internal {
namespace {

// Reads exactly `width` digits at `pos`, advancing it.
bool ReadDigits(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::from_chars(text.data() + pos, text.data() + pos + width, out);
  pos += width;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

Status Malformed(std::string_view source, const std::string& why) {
  return Status(ErrorCode::kMalformedResponse, std::string(source) + ": " + why);
}

// The string member `key`: nullopt when absent or null, an error when it has
// another type or is empty and `required`.
Result<std::optional<std::string>> StringMember(const nlohmann::json& document,
                                                std::string_view key, bool required,
                                                std::string_view source) {
  auto it = document.find(key);
  if (it == document.end() || it->is_null()) {
    if (required) return Malformed(source, "the answer has no " + std::string(key));
    return std::optional<std::string>();
  }
  if (!it->is_string() || (required && it->get<std::string>().empty())) {
    return Malformed(source, std::string(key) + " is not a non-empty string");
  }
  return std::optional<std::string>(it->get<std::string>());
}

}  // namespace

std::optional<Timestamp> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, second)) {
    return std::nullopt;
  }
  Duration fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int64_t scale = 100000;  // the first digit counts tenths of a second
    const size_t start = pos;
    for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos) {
      fraction += Duration(scale * (text[pos] - '0'));
      scale /= 10;
    }
    if (pos == start) return std::nullopt;
  }
  Duration offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, pos, 2, offset_hours) || !Expect(text, pos, ':') ||
        !ReadDigits(text, pos, 2, offset_minutes)) {
      return std::nullopt;
    }
    offset = sign * (hours(offset_hours) + minutes(offset_minutes));
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const year_month_day date{std::chrono::year(year),
                            std::chrono::month(static_cast<unsigned>(month)),
                            std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const Timestamp midnight = time_point_cast<Duration>(sys_days(date));
  return midnight + hours(hour) + minutes(minute) + seconds(second) + fraction - offset;
}

Result<aws::AwsCredentials> ParseCredentialDocument(std::string_view body,
                                                    const CredentialDocumentFormat& format,
                                                    std::string_view source) {
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Malformed(source, "the answer is not a JSON object");
  }
  if (format.version_1) {
    auto version = document.find("Version");
    if (version == document.end() || !version->is_number_integer() ||
        version->get<int64_t>() != 1) {
      return Malformed(
          source, "unsupported Version " +
                      (version == document.end() ? std::string("(missing)") : version->dump()) +
                      ", only 1 is supported");
    }
  }
  if (auto code = document.find("Code");
      code != document.end() && code->is_string() && code->get<std::string>() != "Success") {
    return Malformed(source, "the answer's Code is " + code->get<std::string>());
  }
  aws::AwsCredentials out;
  Result<std::optional<std::string>> key_id = StringMember(document, "AccessKeyId", true, source);
  if (!key_id.ok()) return key_id.status();
  out.access_key_id = **key_id;
  Result<std::optional<std::string>> secret =
      StringMember(document, "SecretAccessKey", true, source);
  if (!secret.ok()) return secret.status();
  out.secret_access_key = **secret;
  Result<std::optional<std::string>> token =
      StringMember(document, format.token_key, format.temporary, source);
  if (!token.ok()) return token.status();
  out.session_token = *token;
  Result<std::optional<std::string>> expiration =
      StringMember(document, "Expiration", format.temporary, source);
  if (!expiration.ok()) return expiration.status();
  if (*expiration) {
    out.expiration = ParseIso8601(**expiration);
    if (!out.expiration) return Malformed(source, "unparsable Expiration '" + **expiration + "'");
  }
  return out;
}

}  // namespace sqsim::internal
