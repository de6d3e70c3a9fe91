#include "sim/receipt_handle.h"

#include <algorithm>
#include <array>
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

void Put(unsigned char*& p, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) *p++ = static_cast<unsigned char>(value >> (8 * i));
}

uint64_t Get(const unsigned char*& p, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(*p++) << (8 * i);
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

}  // namespace

std::string EncodeReceiptHandle(const ReceiptHandleFields& f, uint64_t secret) {
  unsigned char raw[kRawSize];
  unsigned char* p = raw;
  Put(p, f.queue_id, 4);
  Put(p, f.slot, 4);
  Put(p, f.generation, 4);
  Put(p, f.receive_count, 4);
  Put(p, static_cast<uint64_t>(f.received_us), 8);
  Put(p, f.nonce, 8);
  Put(p, CheckValue(raw, kRawSize - 8, secret), 8);

  // Base64url of the 40 raw bytes, three bytes to four characters; the last
  // byte (40 = 13 * 3 + 1) makes two characters, its low 2 bits padded with
  // zeros.
  std::string out(kPrefix.size() + kEncodedSize, '\0');
  std::copy(kPrefix.begin(), kPrefix.end(), out.begin());
  char* o = out.data() + kPrefix.size();
  size_t i = 0;
  for (; i + 3 <= kRawSize; i += 3, o += 4) {
    const uint32_t group = uint32_t{raw[i]} << 16 | uint32_t{raw[i + 1]} << 8 | raw[i + 2];
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
  // (the bytes decoded from such a character are garbage, never used).
  unsigned char raw[kRawSize];
  const char* c = handle.data();
  int all = 0;
  size_t i = 0;
  for (; i + 3 <= kRawSize; i += 3, c += 4) {
    const int a = DecodeChar(c[0]), b = DecodeChar(c[1]), d = DecodeChar(c[2]),
              e = DecodeChar(c[3]);
    all |= a | b | d | e;
    const uint32_t group = static_cast<uint32_t>(a) << 18 | static_cast<uint32_t>(b) << 12 |
                           static_cast<uint32_t>(d) << 6 | static_cast<uint32_t>(e);
    raw[i] = static_cast<unsigned char>(group >> 16);
    raw[i + 1] = static_cast<unsigned char>(group >> 8);
    raw[i + 2] = static_cast<unsigned char>(group);
  }
  const int a = DecodeChar(c[0]), b = DecodeChar(c[1]);
  if ((all | a | b) < 0) return std::nullopt;
  raw[i] = static_cast<unsigned char>(a << 2 | b >> 4);
  const unsigned char* p = raw;
  ReceiptHandleFields f;
  f.queue_id = static_cast<uint32_t>(Get(p, 4));
  f.slot = static_cast<uint32_t>(Get(p, 4));
  f.generation = static_cast<uint32_t>(Get(p, 4));
  f.receive_count = static_cast<uint32_t>(Get(p, 4));
  f.received_us = static_cast<int64_t>(Get(p, 8));
  f.nonce = Get(p, 8);
  const uint64_t check = Get(p, 8);
  if (check != CheckValue(raw, kRawSize - 8, secret)) return std::nullopt;
  return f;
}

}  // namespace sqsim::internal
