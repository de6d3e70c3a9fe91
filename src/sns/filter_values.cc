#include "sns/filter_values.h"

#include <algorithm>
#include <charconv>

namespace sqsim::sns::internal {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

// Ruler's pre-checks, [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ and
// [0-9a-fA-F:]*:[0-9a-fA-F:]*, keep hostnames away from Java's resolver.
bool LooksLikeIpv4(std::string_view text) {
  const std::vector<std::string_view> parts = Split(text, '.');
  return parts.size() == 4 && std::all_of(parts.begin(), parts.end(), [](std::string_view part) {
           return !part.empty() && std::all_of(part.begin(), part.end(), IsDigit);
         });
}
bool LooksLikeIpv6(std::string_view text) {
  return text.find(':') != std::string_view::npos &&
         std::all_of(text.begin(), text.end(), [](char c) { return IsHexDigit(c) || c == ':'; });
}

std::optional<IpBytes> ParseIpv4(std::string_view text) {
  IpBytes bytes;
  for (std::string_view part : Split(text, '.')) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size() || value > 255)
      return std::nullopt;
    bytes.push_back(static_cast<uint8_t>(value));
  }
  return bytes;
}

// Groups of one to four hex digits, at most one "::" standing for one or more
// zero groups, eight groups in all.
std::optional<std::vector<uint16_t>> ParseIpv6Groups(std::string_view text) {
  auto parse_groups = [](std::string_view part) -> std::optional<std::vector<uint16_t>> {
    std::vector<uint16_t> groups;
    if (part.empty()) return groups;
    for (std::string_view group : Split(part, ':')) {
      if (group.empty() || group.size() > 4) return std::nullopt;
      unsigned value = 0;
      std::from_chars(group.data(), group.data() + group.size(), value, 16);
      groups.push_back(static_cast<uint16_t>(value));
    }
    return groups;
  };
  const size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    auto groups = parse_groups(text);
    if (!groups || groups->size() != 8) return std::nullopt;
    return groups;
  }
  if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
  auto head = parse_groups(text.substr(0, gap));
  auto tail = parse_groups(text.substr(gap + 2));
  if (!head || !tail || head->size() + tail->size() > 7) return std::nullopt;
  std::vector<uint16_t> groups = *head;
  groups.resize(8 - tail->size(), 0);
  groups.insert(groups.end(), tail->begin(), tail->end());
  return groups;
}

std::optional<IpBytes> ParseIpv6(std::string_view text) {
  const auto groups = ParseIpv6Groups(text);
  if (!groups) return std::nullopt;
  IpBytes bytes;
  for (const uint16_t group : *groups) {
    bytes.push_back(static_cast<uint8_t>(group >> 8));
    bytes.push_back(static_cast<uint8_t>(group & 0xFF));
  }
  // Java's InetAddress turns an IPv4-mapped address into the IPv4 one.
  const bool mapped =
      std::all_of(bytes.begin(), bytes.begin() + 10, [](uint8_t b) { return b == 0; }) &&
      bytes[10] == 0xFF && bytes[11] == 0xFF;
  if (mapped) return IpBytes(bytes.begin() + 12, bytes.end());
  return bytes;
}

// Java's Integer.parseInt: an optional sign and decimal digits that fit an int.
std::optional<int> ParseJavaInt(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<int64_t> ComparableKey(double value) {
  if (!(value >= -kNumberLimit && value <= kNumberLimit)) return std::nullopt;
  // Ruler computes this in double arithmetic and truncates; so does C++.
  return static_cast<int64_t>(1e6 * (kNumberLimit + value));
}

std::string NumberRangeMessage() { return "Value must be between -5.0E9 and 5.0E9, inclusive"; }

std::optional<double> ParseNumberText(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || !(IsDigit(text.front()) || text.front() == '-' || text.front() == '.')) {
    return std::nullopt;
  }
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<IpBytes> ParseIpAddress(std::string_view text, bool* looked_like_ip) {
  const bool v4 = LooksLikeIpv4(text);
  const bool v6 = !v4 && LooksLikeIpv6(text);
  if (looked_like_ip != nullptr) *looked_like_ip = v4 || v6;
  if (v4) return ParseIpv4(text);
  if (v6) return ParseIpv6(text);
  return std::nullopt;
}

bool IpRange::Contains(const IpBytes& address) const {
  return address.size() == low.size() && low <= address && address <= high;
}

CidrParse ParseCidr(std::string_view text) {
  // Java's String.split drops trailing empty parts: "a/8/" splits in two.
  std::vector<std::string_view> parts = Split(text, '/');
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() != 2) return {std::nullopt, "Malformed CIDR, one '/' required"};
  const std::optional<int> mask_bits = ParseJavaInt(parts[1]);
  if (!mask_bits) return {std::nullopt, "Malformed CIDR, mask bits must be an integer"};
  if (*mask_bits < 0) return {std::nullopt, "Malformed CIDR, mask bits must not be negative"};
  bool looked_like_ip = false;
  const std::optional<IpBytes> address = ParseIpAddress(parts[0], &looked_like_ip);
  if (!address) {
    // A literal that looks like an address but does not parse sends Java to
    // DNS, which fails: "Invalid". Anything else is "Nonstandard".
    const std::string kind = looked_like_ip ? "Invalid" : "Nonstandard";
    return {std::nullopt, kind + " IP address: " + std::string(parts[0])};
  }
  // Ruler refuses a full-length mask (/32, /128).
  if (address->size() == 4 && *mask_bits > 31) return {std::nullopt, "IPv4 mask bits must be < 32"};
  if (address->size() == 16 && *mask_bits > 127) {
    return {std::nullopt, "IPv6 mask bits must be < 128"};
  }
  // Like Ruler, the low end is the address as written (host bits kept).
  IpRange range{*address, *address};
  int host_bits = static_cast<int>(address->size()) * 8 - *mask_bits;
  for (size_t i = address->size(); i-- > 0 && host_bits > 0; host_bits -= 8) {
    const int bits = std::min(host_bits, 8);
    range.high[i] = static_cast<uint8_t>(range.high[i] | ((1 << bits) - 1));
  }
  return {std::move(range), ""};
}

}  // namespace sqsim::sns::internal
