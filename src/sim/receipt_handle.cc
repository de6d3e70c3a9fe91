#include "sim/receipt_handle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

namespace sqsim::internal {
namespace {

// Base64url without padding: receipt handles travel in JSON, form bodies and
// URLs, and this alphabet needs no escaping in any of them.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kRawSize = 4 + 4 + 4 + 4 + 8 + 8 + 8;   // fields + nonce + check
constexpr size_t kEncodedSize = (kRawSize * 4 + 2) / 3;  // 54 characters
static_assert(kRawSize % 3 == 1, "the encoding below ends with one lone byte");
constexpr std::string_view kPrefix = "AQEB";  // the look of real SQS handles

// The two characters of every 12-bit value, so that encoding is two 2-byte
// copies per three bytes rather than four lookups (a handle is made on every
// delivery).
constexpr std::array<char, 2 * 4096> kPairs = [] {
  std::array<char, 2 * 4096> pairs{};
  for (size_t v = 0; v < 4096; ++v) {
    pairs[2 * v] = kAlphabet[v >> 6];
    pairs[2 * v + 1] = kAlphabet[v & 63];
  }
  return pairs;
}();

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

uint64_t CheckValue(const unsigned char* raw, size_t size, uint64_t secret) {
  uint64_t h = Mix(secret ^ 0x5153534953494d31ull);
  for (size_t i = 0; i < size; i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, raw + i, 8);
    h = Mix(h ^ word);
  }
  return h;
}

// Fixed-width little-endian fields, whatever the host's byte order: one
// move each (GCC 12 does not merge byte-at-a-time loops into one).
template <typename T>
T ToLittleEndian(T value) {
  if constexpr (std::endian::native == std::endian::big) {
    if constexpr (sizeof(T) == 8) return __builtin_bswap64(value);
    if constexpr (sizeof(T) == 4) return __builtin_bswap32(value);
  }
  return value;
}

template <typename T>
void Put(unsigned char*& p, T value) {
  value = ToLittleEndian(value);
  std::memcpy(p, &value, sizeof value);
  p += sizeof value;
}

template <typename T>
T Get(const unsigned char*& p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  p += sizeof value;
  return ToLittleEndian(value);
}

// Reads p[0..3] as a big-endian number.
uint32_t LoadBigEndian32(const unsigned char* p) {
  uint32_t value;
  std::memcpy(&value, p, sizeof value);
  if constexpr (std::endian::native == std::endian::little) value = __builtin_bswap32(value);
  return value;
}

// Decoding table: the 6-bit value of each alphabet byte, -1 for all others.
struct DecodeTable {
  int8_t value[256];
  constexpr DecodeTable() : value() {
    for (int i = 0; i < 256; ++i) value[i] = -1;
    for (int i = 0; i < 64; ++i)
      value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
};
constexpr DecodeTable kDecode;

int DecodeChar(char c) { return kDecode.value[static_cast<unsigned char>(c)]; }

// Writes `value` to p[0..3], most significant byte first, whatever the
// host's byte order.
void StoreBigEndian32(unsigned char* p, uint32_t value) {
  if constexpr (std::endian::native == std::endian::little) value = __builtin_bswap32(value);
  std::memcpy(p, &value, sizeof value);
}

}  // namespace

std::string EncodeReceiptHandle(const ReceiptHandleFields& f, uint64_t secret) {
  unsigned char raw[kRawSize];
  unsigned char* p = raw;
  Put<uint32_t>(p, f.queue_id);
  Put<uint32_t>(p, f.slot);
  Put<uint32_t>(p, f.generation);
  Put<uint32_t>(p, f.receive_count);
  Put<uint64_t>(p, static_cast<uint64_t>(f.received_us));
  Put<uint64_t>(p, f.nonce);
  Put<uint64_t>(p, CheckValue(raw, kRawSize - 8, secret));

  // Base64url of the 40 raw bytes, three bytes to four characters; the last
  // byte (40 = 13 * 3 + 1) makes two characters, its low 2 bits padded with
  // zeros.
  std::string out(kPrefix.size() + kEncodedSize, '\0');
  std::copy(kPrefix.begin(), kPrefix.end(), out.begin());
  char* o = out.data() + kPrefix.size();
  size_t i = 0;
  for (; i + 3 <= kRawSize; i += 3, o += 4) {
    const uint32_t group = LoadBigEndian32(raw + i) >> 8;  // raw[i..i+2]; i + 3 < kRawSize
    std::memcpy(o, &kPairs[2 * (group >> 12)], 2);
    std::memcpy(o + 2, &kPairs[2 * (group & 4095)], 2);
  }
  o[0] = kAlphabet[raw[i] >> 2];
  o[1] = kAlphabet[(raw[i] & 3) << 4];
  return out;
}

std::optional<ReceiptHandleFields> DecodeReceiptHandle(std::string_view handle, uint64_t secret) {
  if (handle.size() != kPrefix.size() + kEncodedSize || !handle.starts_with(kPrefix)) {
    return std::nullopt;
  }
  handle.remove_prefix(kPrefix.size());
  // The inverse of the encoding: four characters to three bytes, then the
  // last two characters to the last byte (their 4 spare bits are ignored).
  // A character outside the alphabet decodes to -1, which the OR of all the
  // values keeps negative: one test at the end rather than one per group
  // (the bytes decoded from such a character are garbage, never used). Each
  // group's three bytes go out as one 4-byte big-endian store whose fourth
  // byte the next group overwrites (hence the spare byte in `raw`): one
  // store per group rather than three, on every delete.
  unsigned char raw[kRawSize + 1];
  const char* c = handle.data();
  int all = 0;
  size_t i = 0;
  for (; i + 3 <= kRawSize; i += 3, c += 4) {
    const int a = DecodeChar(c[0]), b = DecodeChar(c[1]), d = DecodeChar(c[2]),
              e = DecodeChar(c[3]);
    all |= a | b | d | e;
    const uint32_t group = static_cast<uint32_t>(a) << 26 | static_cast<uint32_t>(b) << 20 |
                           static_cast<uint32_t>(d) << 14 | static_cast<uint32_t>(e) << 8;
    StoreBigEndian32(raw + i, group);
  }
  const int a = DecodeChar(c[0]), b = DecodeChar(c[1]);
  if ((all | a | b) < 0) return std::nullopt;
  raw[i] = static_cast<unsigned char>(a << 2 | b >> 4);
  const unsigned char* p = raw;
  ReceiptHandleFields f;
  f.queue_id = Get<uint32_t>(p);
  f.slot = Get<uint32_t>(p);
  f.generation = Get<uint32_t>(p);
  f.receive_count = Get<uint32_t>(p);
  f.received_us = static_cast<int64_t>(Get<uint64_t>(p));
  f.nonce = Get<uint64_t>(p);
  const uint64_t check = Get<uint64_t>(p);
  if (check != CheckValue(raw, kRawSize - 8, secret)) return std::nullopt;
  return f;
}

}  // namespace sqsim::internal
