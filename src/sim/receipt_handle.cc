#include "sim/receipt_handle.h"

#include <algorithm>
#include <cstring>

namespace sqsim::internal {
namespace {

// Base64url without padding: receipt handles travel in JSON, form bodies and
// URLs, and this alphabet needs no escaping in any of them.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kRawSize = 4 + 4 + 4 + 4 + 8 + 8 + 8;   // fields + nonce + check
constexpr size_t kEncodedSize = (kRawSize * 4 + 2) / 3;  // 54 characters
constexpr std::string_view kPrefix = "AQEB";             // the look of real SQS handles

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

  std::string out(kPrefix.size() + kEncodedSize, '\0');
  std::copy(kPrefix.begin(), kPrefix.end(), out.begin());
  size_t pos = kPrefix.size();
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : raw) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out[pos++] = kAlphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out[pos++] = kAlphabet[(buffer << (6 - bits)) & 63];
  return out;
}

std::optional<ReceiptHandleFields> DecodeReceiptHandle(std::string_view handle, uint64_t secret) {
  if (handle.size() != kPrefix.size() + kEncodedSize || !handle.starts_with(kPrefix)) {
    return std::nullopt;
  }
  handle.remove_prefix(kPrefix.size());
  unsigned char raw[kRawSize];
  size_t n = 0;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : handle) {
    const int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == kRawSize) return std::nullopt;
      raw[n++] = static_cast<unsigned char>(buffer >> bits);
    }
  }
  if (n != kRawSize) return std::nullopt;
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
