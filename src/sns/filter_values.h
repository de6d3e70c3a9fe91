// The value forms SNS filtering compares: numbers as comparable keys, and IP
// addresses and CIDR blocks.
//
// SNS filters with (a version of) AWS's open-source Event Ruler, whose rules
// the recorded AWS answers match word for word. Ruler compares numbers by a
// key: 10^6 * (5 * 10^9 + value), truncated to an integer, so numbers within
// +/-5e9 compare with six decimal digits (SNS documents +/-1e9 and five
// digits, which this covers). Numbers outside that range have no key and match
// no numeric condition. An IP address is a 4- or 16-byte value; a CIDR block
// is the inclusive range of addresses it covers.

#ifndef SQSIM_SRC_SNS_FILTER_VALUES_H_
#define SQSIM_SRC_SNS_FILTER_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqsim::sns::internal {

inline constexpr double kNumberLimit = 5e9;

// Ruler's key of `value`, or nullopt outside [-5e9, 5e9].
std::optional<int64_t> ComparableKey(double value);

// "Value must be between -5.0E9 and 5.0E9, inclusive": Ruler's words for a
// policy number without a key.
std::string NumberRangeMessage();

// Reads a message's number as Java's Double.parseDouble would for the forms a
// JSON number or an SNS Number attribute takes: optional sign, digits with an
// optional fraction, optional exponent, surrounding spaces.
std::optional<double> ParseNumberText(std::string_view text);

// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
using IpBytes = std::vector<uint8_t>;

// Parses an address literal as Ruler does: it must look like one (digits and
// dots in four parts, or hex digits and colons with at least one colon) and
// then parse; an IPv4-mapped IPv6 address (::ffff:a:b) becomes IPv4.
// `looked_like_ip` tells the two failures apart.
std::optional<IpBytes> ParseIpAddress(std::string_view text, bool* looked_like_ip = nullptr);

struct IpRange {
  IpBytes low;
  IpBytes high;  // same length as low
  bool Contains(const IpBytes& address) const;
};

// A CIDR block, or Ruler's message for why `text` is not one ("Malformed
// CIDR, one '/' required", "Nonstandard IP address: x", ...).
struct CidrParse {
  std::optional<IpRange> range;
  std::string error;
};
CidrParse ParseCidr(std::string_view text);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_FILTER_VALUES_H_
