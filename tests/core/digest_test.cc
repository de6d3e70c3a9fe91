// Tests for src/core/digest.h: the body and attribute MD5s against the values
// SQS returns (recorded by LocalStack's AWS-validated tests), SHA-256, hex
// and strict base64.

#include "core/digest.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sqsim::internal {
namespace {

MessageAttributeValue StringAttribute(std::string value, std::string data_type = "String") {
  MessageAttributeValue attribute;
  attribute.string_value = std::move(value);
  attribute.data_type = std::move(data_type);
  return attribute;
}

MessageAttributeValue BinaryAttribute(std::string value, std::string data_type = "Binary") {
  MessageAttributeValue attribute;
  attribute.binary_value = std::move(value);
  attribute.data_type = std::move(data_type);
  return attribute;
}

// Bytes from a hex string, for comparing against documented byte layouts.
std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(Digest, Md5HexOfFoobarMatchesSqsBodyDigest) {
  EXPECT_EQ(Md5Hex("foobar"), "3858f62230ac3c915f300c664312c63f");
}

TEST(Digest, Md5HexOfEmptyInputIsTheWellKnownEmptyDigest) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Digest, Md5HexHashesEmbeddedNulBytes) {
  EXPECT_NE(Md5Hex(std::string_view("a\0b", 3)), Md5Hex("ab"));
}

TEST(Digest, Md5ReturnsTheRawBytesOfTheHexDigest) {
  const std::array<uint8_t, 16> digest = Md5("foobar");
  EXPECT_EQ(digest[0], 0x38);
  EXPECT_EQ(digest[15], 0x3f);
  EXPECT_EQ(HexEncode(digest.data(), digest.size()), Md5Hex("foobar"));
}

TEST(Digest, Sha256HexOfEmptyInputIsTheWellKnownEmptyDigest) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, Sha256HexOfAbcMatchesFips180Vector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, HexEncodeWritesTwoLowerCaseDigitsPerByte) {
  const uint8_t bytes[] = {0x00, 0x0a, 0xab, 0xff};
  EXPECT_EQ(HexEncode(bytes, sizeof(bytes)), "000aabff");
}

TEST(Digest, HexEncodeOfNoBytesIsEmpty) { EXPECT_EQ(HexEncode(nullptr, 0), ""); }

TEST(Digest, AttributesDigestOfSingleStringAttributeMatchesSqs) {
  EXPECT_EQ(Md5OfMessageAttributes({{"Hello", StringAttribute("There")}}),
            "a311262e065454b75da111d535b8dacd");
}

TEST(Digest, AttributesDigestIsMd5OfTheDocumentedByteLayout) {
  const std::string buffer = FromHex("0000000548656c6c6f00000006537472696e6701000000055468657265");
  EXPECT_EQ(Md5OfMessageAttributes({{"Hello", StringAttribute("There")}}), Md5Hex(buffer));
}

TEST(Digest, AttributesDigestOfMyAttributeMatchesSqs) {
  EXPECT_EQ(Md5OfMessageAttributes({{"MyAttribute", StringAttribute("foobar")}}),
            "adb59cd4678ea5a855436b949cd07ab6");
}

TEST(Digest, AttributesDigestOfThreeAttributesMatchesSqs) {
  const MessageAttributeMap attributes = {
      {"General", StringAttribute("Kenobi")},
      {"Hello", StringAttribute("There")},
      {"Help.Me", StringAttribute("Me")},
  };
  EXPECT_EQ(Md5OfMessageAttributes(attributes), "4c360f3fdafd970e05fae2f149d997f5");
}

TEST(Digest, AttributesDigestOfTwoAttributesMatchesSqs) {
  const MessageAttributeMap attributes = {
      {"General", StringAttribute("Kenobi")},
      {"Hello", StringAttribute("There")},
  };
  EXPECT_EQ(Md5OfMessageAttributes(attributes), "fca026605781cb4126a1e9044df24232");
}

TEST(Digest, AttributesDigestOfTraceHeaderSystemAttributeMatchesSqs) {
  const MessageAttributeMap system_attributes = {
      {"AWSTraceHeader",
       StringAttribute(
           "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")},
  };
  EXPECT_EQ(Md5OfMessageAttributes(system_attributes), "5ae4d5d7636402d80f4eb6d213245a88");
}

TEST(Digest, AttributesDigestHashesRawBinaryBytesWithBinaryTransport) {
  const MessageAttributeMap attributes = {
      {"b", BinaryAttribute(std::string("\x00\x01\x02", 3))},
  };
  EXPECT_EQ(Md5OfMessageAttributes(attributes), "0911ac989fa4a4b3440f074ba9941547");
}

TEST(Digest, AttributesDigestFramesUtf8ByteLengthsAndCustomTypes) {
  const MessageAttributeMap attributes = {
      {"n", StringAttribute("42", "Number.int")},
      {"\xc3\xa9", StringAttribute("\xc3\xbc")},  // "é": String "ü"
  };
  EXPECT_EQ(Md5OfMessageAttributes(attributes), "80c4ab5756d3e8cbf355ef6e3e976a31");
}

TEST(Digest, AttributesDigestOfEmptyMapIsAbsent) {
  EXPECT_EQ(Md5OfMessageAttributes({}), std::nullopt);
}

TEST(Digest, AttributesDigestIncludesTheCustomTypeLabel) {
  EXPECT_NE(Md5OfMessageAttributes({{"a", StringAttribute("1", "Number")}}),
            Md5OfMessageAttributes({{"a", StringAttribute("1", "Number.int")}}));
}

TEST(Digest, AttributesDigestWritesTransportByteTwoForBinaryTypes) {
  // "a", "Binary.png", transport 0x02, "x".
  const std::string buffer = FromHex(
      "0000000161"
      "0000000a42696e6172792e706e67"
      "02"
      "0000000178");
  EXPECT_EQ(Md5OfMessageAttributes({{"a", BinaryAttribute("x", "Binary.png")}}), Md5Hex(buffer));
}

TEST(Digest, AttributesDigestIgnoresTheMemberTheTypeDoesNotUse) {
  MessageAttributeValue with_extra = StringAttribute("There");
  with_extra.binary_value = "ignored";
  EXPECT_EQ(Md5OfMessageAttributes({{"Hello", with_extra}}), "a311262e065454b75da111d535b8dacd");
}

TEST(Digest, Base64EncodeMatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Digest, Base64EncodeUsesPlusAndSlashForHighValues) {
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(Digest, Base64DecodeMatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Decode(""), "");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("Zm9v"), "foo");
  EXPECT_EQ(Base64Decode("Zm9vYg=="), "foob");
  EXPECT_EQ(Base64Decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), "foobar");
}

TEST(Digest, Base64DecodeReturnsRawBytes) {
  EXPECT_EQ(Base64Decode("AAEC"), std::string("\x00\x01\x02", 3));
  EXPECT_EQ(Base64Decode("+/8="), "\xfb\xff");
}

TEST(Digest, Base64RoundTripsEveryByteValue) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length <= bytes.size(); ++length) {
    const std::string input = bytes.substr(0, length);
    EXPECT_EQ(Base64Decode(Base64Encode(input)), input) << "length " << length;
  }
}

TEST(Digest, Base64DecodeRejectsLengthNotMultipleOfFour) {
  EXPECT_EQ(Base64Decode("Zm9"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9vY"), std::nullopt);
  EXPECT_EQ(Base64Decode("Z"), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsMissingPadding) {
  EXPECT_EQ(Base64Decode("Zg"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm8"), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base64Decode("Zm9-"), std::nullopt);  // base64url
  EXPECT_EQ(Base64Decode("Zm9_"), std::nullopt);  // base64url
  EXPECT_EQ(Base64Decode("Zm*v"), std::nullopt);
  EXPECT_EQ(Base64Decode(std::string_view("Zm\0v", 4)), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9\xc3"), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsWhitespace) {
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm 9"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm9vYmF\n"), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsPaddingBeforeTheLastQuantum) {
  EXPECT_EQ(Base64Decode("Zg==Zm9v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm8=Zm9v"), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsPaddingInsideAQuantum) {
  EXPECT_EQ(Base64Decode("Z=9v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Zm=v"), std::nullopt);
  EXPECT_EQ(Base64Decode("Z=m="), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsMoreThanTwoPaddingCharacters) {
  EXPECT_EQ(Base64Decode("Z==="), std::nullopt);
  EXPECT_EQ(Base64Decode("===="), std::nullopt);
}

TEST(Digest, Base64DecodeRejectsNonZeroBitsUnderThePadding) {
  EXPECT_EQ(Base64Decode("Zh=="), std::nullopt);  // canonical "f" is "Zg=="
  EXPECT_EQ(Base64Decode("Zm9="), std::nullopt);  // canonical "fo" is "Zm8="
}

}  // namespace
}  // namespace sqsim::internal
