// Digests and encodings SQS defines: MD5 of bodies, MD5 of message
// attributes in SQS's exact byte layout, SHA-256 (content-based
// deduplication), hex and base64.

#ifndef SQSIM_CORE_DIGEST_H_
#define SQSIM_CORE_DIGEST_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "sqsim/types.h"

namespace sqsim::internal {

// MD5 of `bytes`.
std::array<uint8_t, 16> Md5(std::string_view bytes);
// Lower-case hex MD5 of `bytes` (`MD5OfMessageBody`). "foobar" ->
// "3858f62230ac3c915f300c664312c63f".
std::string Md5Hex(std::string_view bytes);
// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);
// Lower-case hex of `size` bytes.
std::string HexEncode(const uint8_t* data, size_t size);

// Each byte's two lower-case hex digits, so that encoding is one 2-byte copy
// per byte (ids and digests are hex-encoded on every send and receive).
inline constexpr std::array<char, 512> kHexPairs = [] {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<char, 512> pairs{};
  for (size_t b = 0; b < 256; ++b) {
    pairs[2 * b] = kDigits[b >> 4];
    pairs[2 * b + 1] = kDigits[b & 0x0F];
  }
  return pairs;
}();

// HexEncode written to out[0, 2 * size); inline for the fixed-size callers
// (UUIDs), which then need no loop.
inline void HexEncodeTo(const uint8_t* data, size_t size, char* out) {
  for (size_t i = 0; i < size; ++i) std::memcpy(out + 2 * i, &kHexPairs[2 * data[i]], 2);
}

// `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`): names sorted
// ascending; per attribute the 4-byte big-endian length and bytes of the
// name, of the full DataType, a transport byte (1 = StringValue, 2 =
// BinaryValue), and the 4-byte BE length and bytes of the value. Returns
// nullopt for an empty map. The DataType prefix picks the member hashed
// (Binary -> binary_value, else string_value); the other member is ignored.
// REQUIRES: each value passed validation (it has the member its DataType
// calls for); a missing member asserts.
std::optional<std::string> Md5OfMessageAttributes(const MessageAttributeMap& attributes);

// Standard base64 (RFC 4648, with padding).
std::string Base64Encode(std::string_view bytes);
// Decodes standard base64 (padding required, no whitespace). Returns nullopt
// on any malformed input: a length that is not a multiple of 4, characters
// outside the alphabet, '=' anywhere but the end of the last quantum, more
// than two '=', or non-zero bits under the padding ("Zh==" rather than
// "Zg=="), so every accepted text is the canonical encoding of its result.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace sqsim::internal

#endif  // SQSIM_CORE_DIGEST_H_
