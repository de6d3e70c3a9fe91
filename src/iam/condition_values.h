// Reading the typed values condition operators compare: numbers, dates and
// IP addresses (CIDR blocks).

#ifndef SQSIM_IAM_CONDITION_VALUES_H_
#define SQSIM_IAM_CONDITION_VALUES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sqsim/types.h"

namespace sqsim::iam::internal {

// A decimal number (integer or fraction, optional sign and exponent).
std::optional<double> ParseIamNumber(std::string_view text);

// An IAM date: ISO 8601 (2026-01-02, 2026-01-02T03:04Z,
// 2026-01-02T03:04:05.123456+02:00; no zone means UTC) or whole seconds since
// the epoch (1767225600).
std::optional<Timestamp> ParseIamDate(std::string_view text);

// An IPv4 or IPv6 network: "203.0.113.0/24", "2001:db8::/32"; an address
// without a prefix length is a single-address network.
struct IpNetwork {
  bool v6 = false;
  std::array<uint8_t, 16> bytes = {};  // IPv4 uses the first 4
  int prefix_bits = 0;
};
std::optional<IpNetwork> ParseIpNetwork(std::string_view text);

// Whether every address of `inner` lies in `outer` (same family, and the
// first outer.prefix_bits bits agree, inner being at least as narrow).
bool NetworkContains(const IpNetwork& outer, const IpNetwork& inner);

}  // namespace sqsim::iam::internal

#endif  // SQSIM_IAM_CONDITION_VALUES_H_
