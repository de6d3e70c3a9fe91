#include "sns/sns_text.h"

#include <array>
#include <charconv>
#include <cstring>

#include "core/digest.h"

namespace sqsim::sns::internal {

std::optional<ArnParts> ParseArn(std::string_view arn) {
  std::array<std::string_view, 5> head;
  size_t start = 0;
  for (std::string_view& part : head) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    part = arn.substr(start, colon - start);
    start = colon + 1;
  }
  return ArnParts{std::string(head[1]), std::string(head[2]), std::string(head[3]),
                  std::string(head[4]), std::string(arn.substr(start))};
}

size_t ArnElementCount(std::string_view arn) {
  size_t count = 1;
  for (char c : arn) count += c == ':';
  return count;
}

Status ArnTooShort(std::string_view parameter, std::string_view arn) {
  return InvalidParameter(std::string(parameter) +
                          " Reason: An ARN must have at least 6 elements, not " +
                          std::to_string(ArnElementCount(arn)));
}

Status InvalidParameter(std::string_view detail) {
  return Status(ErrorCode::kInvalidParameter, "Invalid parameter: " + std::string(detail));
}

std::string NewUuid(Rng& rng) {
  std::array<uint8_t, 16> bytes;
  const uint64_t high = rng.Next();
  const uint64_t low = rng.Next();
  std::memcpy(bytes.data(), &high, 8);
  std::memcpy(bytes.data() + 8, &low, 8);
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = sqsim::internal::HexEncode(bytes.data(), bytes.size());
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string RandomHex(Rng& rng, size_t bytes) {
  std::string raw;
  raw.reserve(bytes);
  while (raw.size() < bytes) {
    const uint64_t word = rng.Next();
    for (int i = 0; i < 8 && raw.size() < bytes; ++i) {
      raw.push_back(static_cast<char>((word >> (8 * i)) & 0xFF));
    }
  }
  return sqsim::internal::HexEncode(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
}

bool ParseBoolean(std::string_view text, bool& value) {
  auto equals_ignore_case = [text](std::string_view word) {
    if (text.size() != word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      const char c = text[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != word[i]) return false;
    }
    return true;
  };
  if (equals_ignore_case("true")) {
    value = true;
    return true;
  }
  if (equals_ignore_case("false")) {
    value = false;
    return true;
  }
  return false;
}

std::string EncodePageToken(std::string_view kind, uint64_t sequence) {
  return sqsim::internal::Base64Encode(std::string(kind) + ":" + std::to_string(sequence));
}

std::optional<uint64_t> DecodePageToken(std::string_view kind, std::string_view token) {
  const std::optional<std::string> text = sqsim::internal::Base64Decode(token);
  if (!text || text->size() <= kind.size() + 1 || text->compare(0, kind.size(), kind) != 0 ||
      (*text)[kind.size()] != ':') {
    return std::nullopt;
  }
  const char* first = text->data() + kind.size() + 1;
  const char* last = text->data() + text->size();
  uint64_t sequence = 0;
  const auto [end, error] = std::from_chars(first, last, sequence);
  if (error != std::errc() || end != last) return std::nullopt;
  return sequence;
}

}  // namespace sqsim::sns::internal
