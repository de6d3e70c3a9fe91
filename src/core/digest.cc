// Digests and encodings SQS defines. See digest.h and AWS "Message metadata
// for Amazon SQS" (sqs-message-metadata.html, "Calculating the MD5 message
// digest for message attributes") for the MD5OfMessageAttributes byte layout
// this file reproduces.

#include "core/digest.h"

#include <openssl/evp.h>

#include <limits>
#include <memory>

#include "sqsim/status.h"

namespace sqsim::internal {

namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Transport bytes of the attribute digest: they tell the digest whether the
// value travelled in StringValue or BinaryValue, so that "String" "A" and
// "Binary" "A" hash differently.
constexpr uint8_t kStringTransport = 1;
constexpr uint8_t kBinaryTransport = 2;

// Runs one EVP digest. Failure means libcrypto refused the algorithm (e.g. MD5
// in a FIPS-only build): sqsim cannot answer SQS's digests without it, so this
// is treated as a broken environment, not a request error.
template <size_t N>
std::array<uint8_t, N> EvpDigest(const EVP_MD* md, std::string_view bytes) {
  std::array<uint8_t, N> out{};
  unsigned int size = 0;
  const int ok = EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, md, nullptr);
  SQSIM_ASSERT(ok == 1 && size == N, "libcrypto EVP_Digest failed");
  return out;
}

// Appends the 4-byte big-endian length and then the bytes, as the SQS
// attribute digest frames every name, type and value. Lengths are byte
// counts: counting characters instead is the classic bug with non-ASCII text.
void AppendLengthPrefixed(std::string& buffer, std::string_view bytes) {
  SQSIM_ASSERT(bytes.size() <= std::numeric_limits<uint32_t>::max(),
               "message attribute part longer than 4 GiB");
  const auto size = static_cast<uint32_t>(bytes.size());
  buffer.push_back(static_cast<char>((size >> 24) & 0xFF));
  buffer.push_back(static_cast<char>((size >> 16) & 0xFF));
  buffer.push_back(static_cast<char>((size >> 8) & 0xFF));
  buffer.push_back(static_cast<char>(size & 0xFF));
  buffer.append(bytes);
}

// The 6-bit value of a base64 alphabet character, or -1 for anything else
// (including '=', which the decoder handles separately).
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

// MD5 runs on every send, so it must not pay for an algorithm lookup (which
// takes a global lock in OpenSSL 3) or a context allocation each time: the
// algorithm is fetched once and each thread keeps one context.
std::array<uint8_t, 16> Md5(std::string_view bytes) {
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  struct ContextDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  SQSIM_ASSERT(md5 != nullptr && ctx != nullptr, "libcrypto has no MD5");
  std::array<uint8_t, 16> out{};
  unsigned int size = 0;
  const bool ok = EVP_DigestInit_ex2(ctx.get(), md5, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), out.data(), &size) == 1;
  SQSIM_ASSERT(ok && size == 16, "libcrypto MD5 failed");
  return out;
}

std::string Md5Hex(std::string_view bytes) {
  const std::array<uint8_t, 16> digest = Md5(bytes);
  return HexEncode(digest.data(), digest.size());
}

std::string Sha256Hex(std::string_view bytes) {
  const std::array<uint8_t, 32> digest = EvpDigest<32>(EVP_sha256(), bytes);
  return HexEncode(digest.data(), digest.size());
}

std::string HexEncode(const uint8_t* data, size_t size) {
  if (size == 16) {
    // An MD5 digest, twice per message cycle: unrolled, and copied into the
    // string whole rather than written over a filled one.
    char digits[32];
    HexEncodeTo(data, 16, digits);
    return std::string(digits, sizeof digits);
  }
  std::string out(size * 2, '0');
  HexEncodeTo(data, size, out.data());
  return out;
}

std::optional<std::string> Md5OfMessageAttributes(const MessageAttributeMap& attributes) {
  // SQS omits the digest entirely when no attribute was sent or selected;
  // returning the MD5 of an empty buffer would make sqsim emit a member AWS
  // never sends.
  if (attributes.empty()) return std::nullopt;
  std::string buffer;
  // std::map<std::string, ...> iterates in byte order, which is the order SQS
  // sorts names in (Java String order equals byte order for the names SQS
  // accepts in practice; AWS says only that names are sorted ascending).
  for (const auto& [name, value] : attributes) {
    AppendLengthPrefixed(buffer, name);
    AppendLengthPrefixed(buffer, value.data_type);
    // The DataType prefix, not whichever member happens to be set, decides the
    // transport: that is what SQS and the SDKs' checksum interceptors do.
    if (value.data_type.starts_with("Binary")) {
      SQSIM_ASSERT(value.binary_value.has_value(), "Binary attribute without binary_value");
      buffer.push_back(static_cast<char>(kBinaryTransport));
      AppendLengthPrefixed(buffer, *value.binary_value);
    } else {
      SQSIM_ASSERT(value.string_value.has_value(), "String/Number attribute without string_value");
      buffer.push_back(static_cast<char>(kStringTransport));
      AppendLengthPrefixed(buffer, *value.string_value);
    }
  }
  return Md5Hex(buffer);
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = (static_cast<uint8_t>(bytes[i]) << 16) |
                           (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                           static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[(group >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(group >> 12) & 0x3F]);
    out.push_back(kBase64Alphabet[(group >> 6) & 0x3F]);
    out.push_back(kBase64Alphabet[group & 0x3F]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t group = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(kBase64Alphabet[(group >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(group >> 12) & 0x3F]);
    out.append("==");
  } else if (rest == 2) {
    const uint32_t group =
        (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(kBase64Alphabet[(group >> 18) & 0x3F]);
    out.push_back(kBase64Alphabet[(group >> 12) & 0x3F]);
    out.push_back(kBase64Alphabet[(group >> 6) & 0x3F]);
    out.push_back('=');
  }
  return out;
}

// Hand-written rather than EVP_DecodeBlock, which ignores padding when it
// reports the length and tolerates whitespace. Strictness here also rejects
// non-canonical encodings whose unused low bits are not zero ("QR==" for
// "A"), so that every accepted text re-encodes to itself and a BinaryValue
// round-trips byte for byte.
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    // Padding may appear only in the final quantum, as "xx==" or "xxx=".
    size_t padding = 0;
    if (last && text[i + 3] == '=') padding = text[i + 2] == '=' ? 2 : 1;
    uint32_t group = 0;
    for (size_t j = 0; j < 4; ++j) {
      int v = 0;
      if (j < 4 - padding) {
        v = Base64Value(text[i + j]);
        if (v < 0) return std::nullopt;
      }
      group = (group << 6) | static_cast<uint32_t>(v);
    }
    out.push_back(static_cast<char>((group >> 16) & 0xFF));
    if (padding == 2) {
      if ((group & 0xFFFF) != 0) return std::nullopt;
    } else {
      out.push_back(static_cast<char>((group >> 8) & 0xFF));
      if (padding == 1) {
        if ((group & 0xFF) != 0) return std::nullopt;
      } else {
        out.push_back(static_cast<char>(group & 0xFF));
      }
    }
  }
  return out;
}

}  // namespace sqsim::internal
