#include "iam/condition_values.h"

#include <arpa/inet.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

namespace sqsim::iam::internal {

std::optional<double> ParseIamNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  // from_chars refuses a leading '+', which JSON-style numbers may not carry
  // but a policy string might.
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

namespace {

// Reads exactly `digits` decimal digits at `pos`, advancing it.
std::optional<int> Digits(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool Consume(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Timestamp> ParseEpochSeconds(std::string_view text) {
  int64_t seconds = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  // Keep far from the limits of microsecond arithmetic.
  constexpr int64_t kLimit = int64_t{1} << 40;
  if (seconds > kLimit || seconds < -kLimit) return std::nullopt;
  return Timestamp{std::chrono::seconds(seconds)};
}

}  // namespace

std::optional<Timestamp> ParseIamDate(std::string_view text) {
  if (text.find('-', 1) == std::string_view::npos) return ParseEpochSeconds(text);
  using namespace std::chrono;
  size_t pos = 0;
  auto year = Digits(text, pos, 4);
  if (!year || !Consume(text, pos, '-')) return std::nullopt;
  auto month = Digits(text, pos, 2);
  if (!month || !Consume(text, pos, '-')) return std::nullopt;
  auto day = Digits(text, pos, 2);
  if (!day) return std::nullopt;
  year_month_day date{std::chrono::year(*year), std::chrono::month(static_cast<unsigned>(*month)),
                      std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  Timestamp t{sys_days(date)};
  if (pos == text.size()) return t;
  if (!Consume(text, pos, 'T')) return std::nullopt;
  auto hour = Digits(text, pos, 2);
  if (!hour || *hour > 23 || !Consume(text, pos, ':')) return std::nullopt;
  auto minute = Digits(text, pos, 2);
  if (!minute || *minute > 59) return std::nullopt;
  t += hours(*hour) + minutes(*minute);
  if (Consume(text, pos, ':')) {
    auto second = Digits(text, pos, 2);
    if (!second || *second > 60) return std::nullopt;
    t += seconds(*second);
    if (Consume(text, pos, '.')) {
      // Up to microseconds count; further digits are read and dropped.
      int64_t scale = 100000;
      size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        t += microseconds((text[pos] - '0') * scale);
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (Consume(text, pos, 'Z')) return pos == text.size() ? std::optional(t) : std::nullopt;
  if (pos == text.size()) return t;
  bool east = text[pos] == '+';
  if (!Consume(text, pos, '+') && !Consume(text, pos, '-')) return std::nullopt;
  auto offset_hours = Digits(text, pos, 2);
  if (!offset_hours || *offset_hours > 23 || !Consume(text, pos, ':')) return std::nullopt;
  auto offset_minutes = Digits(text, pos, 2);
  if (!offset_minutes || *offset_minutes > 59 || pos != text.size()) return std::nullopt;
  minutes offset = hours(*offset_hours) + minutes(*offset_minutes);
  return east ? t - offset : t + offset;
}

std::optional<IpNetwork> ParseIpNetwork(std::string_view text) {
  IpNetwork network;
  std::string address(text);
  size_t slash = address.find('/');
  std::optional<int> prefix;
  if (slash != std::string::npos) {
    std::string_view digits = std::string_view(address).substr(slash + 1);
    int bits = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
      return std::nullopt;
    }
    prefix = bits;
    address.resize(slash);
  }
  network.v6 = address.find(':') != std::string::npos;
  int max_bits = network.v6 ? 128 : 32;
  if (inet_pton(network.v6 ? AF_INET6 : AF_INET, address.c_str(), network.bytes.data()) != 1) {
    return std::nullopt;
  }
  network.prefix_bits = prefix.value_or(max_bits);
  if (network.prefix_bits < 0 || network.prefix_bits > max_bits) return std::nullopt;
  return network;
}

bool NetworkContains(const IpNetwork& outer, const IpNetwork& inner) {
  if (outer.v6 != inner.v6 || inner.prefix_bits < outer.prefix_bits) return false;
  for (int bit = 0; bit < outer.prefix_bits; ++bit) {
    int mask = 0x80 >> (bit % 8);
    if ((outer.bytes[bit / 8] & mask) != (inner.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace sqsim::iam::internal
