#include "sim/receipt_handle.h"

#include <gtest/gtest.h>

namespace sqsim::internal {
namespace {

constexpr uint64_t kSecret = 0x1234;

ReceiptHandleFields Sample() {
  return {.queue_id = 7,
          .slot = 123456,
          .generation = 9,
          .receive_count = 3,
          .received_us = 1767225600123456,
          .nonce = 0xdeadbeefcafef00dull};
}

TEST(ReceiptHandle, RoundTripsEveryField) {
  const std::string handle = EncodeReceiptHandle(Sample(), kSecret);
  std::optional<ReceiptHandleFields> back = DecodeReceiptHandle(handle, kSecret);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->queue_id, 7u);
  EXPECT_EQ(back->slot, 123456u);
  EXPECT_EQ(back->generation, 9u);
  EXPECT_EQ(back->receive_count, 3u);
  EXPECT_EQ(back->received_us, 1767225600123456);
  EXPECT_EQ(back->nonce, 0xdeadbeefcafef00dull);
}

// The exact text, as the first (bit-at-a-time) encoder produced it: a
// faster encoder must not change a run's handles, and extreme field values
// exercise every bit of every group.
TEST(ReceiptHandle, EncodingIsStable) {
  EXPECT_EQ(EncodeReceiptHandle({.queue_id = 7,
                                 .slot = 123456,
                                 .generation = 9,
                                 .receive_count = 3,
                                 .received_us = 1767225600123456,
                                 .nonce = 0x0123456789abcdefull},
                                42),
            "AQEBBwAAAEDiAQAJAAAAAwAAAEAiIkZIRwYA782riWdFIwERu8yasYoqrA");
  const ReceiptHandleFields extreme{.queue_id = 0xffffffff,
                                    .slot = 0xfffffffe,
                                    .generation = 0x80000000,
                                    .receive_count = 1,
                                    .received_us = -1,
                                    .nonce = ~0ull};
  const std::string handle = EncodeReceiptHandle(extreme, 0xdeadbeefcafef00dull);
  EXPECT_EQ(handle, "AQEB______7___8AAACAAQAAAP_____________________RgaXvP6OLsA");
  std::optional<ReceiptHandleFields> back = DecodeReceiptHandle(handle, 0xdeadbeefcafef00dull);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->queue_id, extreme.queue_id);
  EXPECT_EQ(back->slot, extreme.slot);
  EXPECT_EQ(back->generation, extreme.generation);
  EXPECT_EQ(back->received_us, -1);
  EXPECT_EQ(back->nonce, ~0ull);
}

TEST(ReceiptHandle, IsUrlSafeAndWellUnderSqsLimit) {
  const std::string handle = EncodeReceiptHandle(Sample(), kSecret);
  EXPECT_LE(handle.size(), 1024u);
  EXPECT_EQ(
      handle.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
}

TEST(ReceiptHandle, RejectsGarbageTruncationEditsAndOtherSecrets) {
  const std::string handle = EncodeReceiptHandle(Sample(), kSecret);
  EXPECT_FALSE(DecodeReceiptHandle("garbage", kSecret));
  EXPECT_FALSE(DecodeReceiptHandle("", kSecret));
  EXPECT_FALSE(DecodeReceiptHandle(handle.substr(0, handle.size() - 1), kSecret));
  EXPECT_FALSE(DecodeReceiptHandle(handle + "A", kSecret));
  EXPECT_FALSE(DecodeReceiptHandle(handle, kSecret + 1));
  for (size_t i = 4; i < handle.size(); ++i) {
    std::string edited = handle;
    edited[i] = edited[i] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(DecodeReceiptHandle(edited, kSecret)) << "edit at " << i;
  }
}

}  // namespace
}  // namespace sqsim::internal
