// Fuzz-style tests: every decoder (request and response, all 23 actions) is
// total. Whatever the bytes, it returns OK or its own error code (request:
// kSerializationException, response: kMalformedResponse), never anything
// else and never a crash. CI also runs this suite under ASan and UBSan.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqsim/random.h"
#include "wire/json_codec.h"
#include "wire/json_samples.h"

namespace sqsim::wire {
namespace {

using ::nlohmann::json;
using testing::AllSampleCodecs;
using testing::SampleCodec;

constexpr uint64_t kSeed = 20240607;

// Both decoders of one action, each with the only error code it may give.
struct Decoder {
  std::string name;
  std::string valid_body;
  std::function<Status(std::string_view)> decode;
  ErrorCode error_code;
};

std::vector<Decoder> AllDecoders() {
  std::vector<Decoder> decoders;
  for (const SampleCodec& codec : AllSampleCodecs()) {
    decoders.push_back({codec.action + "Request", codec.request_body, codec.decode_request,
                        ErrorCode::kSerializationException});
    decoders.push_back({codec.action + "Response", codec.response_body, codec.decode_response,
                        ErrorCode::kMalformedResponse});
  }
  return decoders;
}

// OK, or the decoder's own error code.
::testing::AssertionResult IsOkOrOwnError(const Decoder& decoder, std::string_view body) {
  const Status status = decoder.decode(body);
  if (status.ok() || status.code() == decoder.error_code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << decoder.name << " gave " << status << " for " << body;
}

::testing::AssertionResult IsOwnError(const Decoder& decoder, std::string_view body) {
  const Status status = decoder.decode(body);
  if (status.code() == decoder.error_code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << decoder.name << " gave " << status << " for " << body;
}

TEST(JsonCodecFuzz, RandomBytesGiveOkOrTheDecodersError) {
  SeededRng rng(kSeed);
  for (const Decoder& decoder : AllDecoders()) {
    for (int i = 0; i < 200; ++i) {
      std::string body(rng.Uniform(64), '\0');
      for (char& c : body) c = static_cast<char>(rng.Uniform(256));
      ASSERT_TRUE(IsOkOrOwnError(decoder, body)) << "seed " << kSeed;
    }
  }
}

TEST(JsonCodecFuzz, RandomJsonTokenSoupGivesOkOrTheDecodersError) {
  // Bytes from JSON's own alphabet plus member names reach far deeper into
  // the decoders than uniform bytes do.
  const std::vector<std::string> tokens = {"{",
                                           "}",
                                           "[",
                                           "]",
                                           ",",
                                           ":",
                                           "\"",
                                           "0",
                                           "-1",
                                           "1.5",
                                           "1e400",
                                           "true",
                                           "null",
                                           " ",
                                           "\"QueueUrl\"",
                                           "\"Entries\"",
                                           "\"Messages\"",
                                           "\"MessageAttributes\"",
                                           "\"BinaryValue\"",
                                           "\"MaxResults\"",
                                           "\"Id\"",
                                           "\"x\"",
                                           "\"AAAA\"",
                                           "\"\\u00e9\"",
                                           "\xff"};
  SeededRng rng(kSeed + 1);
  for (const Decoder& decoder : AllDecoders()) {
    for (int i = 0; i < 200; ++i) {
      std::string body;
      const uint64_t count = rng.Uniform(40);
      for (uint64_t t = 0; t < count; ++t) body += tokens[rng.Uniform(tokens.size())];
      ASSERT_TRUE(IsOkOrOwnError(decoder, body)) << "seed " << kSeed + 1;
    }
  }
}

TEST(JsonCodecFuzz, EveryTruncationOfAValidBodyIsRejected) {
  for (const Decoder& decoder : AllDecoders()) {
    ASSERT_TRUE(decoder.decode(decoder.valid_body).ok()) << decoder.name;
    // Length 0 is the empty body, which decoders read as `{}`.
    for (size_t n = 1; n < decoder.valid_body.size(); ++n) {
      ASSERT_TRUE(IsOwnError(decoder, std::string_view(decoder.valid_body).substr(0, n)));
    }
  }
}

// JSON pointers to every value below the root of `value`.
void CollectPointers(const json& value, const json::json_pointer& at,
                     std::vector<json::json_pointer>* out) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out->push_back(at / key);
      CollectPointers(item, at / key, out);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      out->push_back(at / i);
      CollectPointers(value[i], at / i, out);
    }
  }
}

// Integers and floats are distinct kinds here: a float is never an integer.
std::string Kind(const json& value) {
  if (value.is_number_integer()) return "integer";
  if (value.is_number_float()) return "float";
  return value.type_name();
}

TEST(JsonCodecFuzz, TypeSwappedMembersAreRejected) {
  const std::vector<json> replacements = {"text",         12,     -3, 1.5, true, json::array(),
                                          json::object(), nullptr};
  for (const Decoder& decoder : AllDecoders()) {
    const json original = json::parse(decoder.valid_body);
    std::vector<json::json_pointer> pointers;
    CollectPointers(original, json::json_pointer(), &pointers);
    for (const json::json_pointer& pointer : pointers) {
      for (const json& replacement : replacements) {
        json mutated = original;
        mutated[pointer] = replacement;
        const std::string body = mutated.dump();
        if (replacement.is_null() || Kind(replacement) == Kind(original[pointer])) {
          ASSERT_TRUE(IsOkOrOwnError(decoder, body));
        } else {
          ASSERT_TRUE(IsOwnError(decoder, body)) << pointer.to_string();
        }
      }
    }
  }
}

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonCodecFuzz, DeeplyNestedJsonIsRejectedByEveryDecoder) {
  const std::string deep = Nested(2000);
  for (const Decoder& decoder : AllDecoders()) {
    ASSERT_TRUE(IsOwnError(decoder, deep));
    ASSERT_TRUE(IsOkOrOwnError(decoder, R"({"QueueUrl":)" + deep + "}"));
    ASSERT_TRUE(IsOwnError(decoder, std::string(2000, '{')));
  }
}

TEST(JsonCodecFuzz, VeryDeepJsonDoesNotExhaustTheStack) {
  // Deep enough to overflow the stack of a recursive parser or destructor;
  // parsing does not depend on the action, so two decoders suffice.
  const std::string deep = Nested(50000);
  SendMessageRequest request;
  EXPECT_EQ(DecodeJsonRequest(deep, &request).code(), ErrorCode::kSerializationException);
  EXPECT_EQ(DecodeJsonRequest(R"({"QueueUrl":)" + deep + "}", &request).code(),
            ErrorCode::kSerializationException);
  ReceiveMessageResponse response;
  EXPECT_EQ(DecodeJsonResponse(deep, &response).code(), ErrorCode::kMalformedResponse);
  // Response decoders ignore unknown members, however deep.
  EXPECT_TRUE(DecodeJsonResponse(R"({"Unknown":)" + deep + "}", &response).ok());
}

TEST(JsonCodecFuzz, DeeplyNestedUnknownMemberIsIgnoredByResponseDecoders) {
  const std::string body = R"({"Unknown":)" + Nested(2000) + "}";
  for (const Decoder& decoder : AllDecoders()) {
    if (decoder.error_code == ErrorCode::kMalformedResponse) {
      EXPECT_TRUE(decoder.decode(body).ok()) << decoder.name;
    }
  }
}

TEST(JsonCodecFuzz, HugeNumbersAreRejectedForIntegerMembers) {
  for (const char* number : {"1e400", "-1e400", "99999999999999999999999", "18446744073709551616",
                             "9223372036854775808", "2147483648"}) {
    ListQueuesRequest request;
    EXPECT_EQ(DecodeJsonRequest(std::string(R"({"MaxResults":)") + number + "}", &request).code(),
              ErrorCode::kSerializationException)
        << number;
    CancelMessageMoveTaskResponse response;
    const Status status = DecodeJsonResponse(
        std::string(R"({"ApproximateNumberOfMessagesMoved":)") + number + "}", &response);
    // 2^31 fits a long; everything else is out of range or not an integer.
    EXPECT_EQ(status.ok(), std::string(number) == "2147483648") << number;
  }
}

TEST(JsonCodecFuzz, InvalidBase64IsRejected) {
  for (const char* text : {"Zh==", "@@@@", "abc", "A===", "====", "Zg=\n", " Zg=="}) {
    const json body = {
        {"MessageAttributes", {{"a", {{"DataType", "Binary"}, {"BinaryValue", text}}}}}};
    SendMessageRequest request;
    EXPECT_EQ(DecodeJsonRequest(body.dump(), &request).code(), ErrorCode::kSerializationException)
        << text;
    const json list_body = {
        {"MessageAttributes", {{"a", {{"DataType", "Binary"}, {"BinaryListValues", {text}}}}}}};
    EXPECT_EQ(DecodeJsonRequest(list_body.dump(), &request).code(),
              ErrorCode::kSerializationException)
        << text;
  }
}

TEST(JsonCodecFuzz, NonUtf8StringsAreRejected) {
  for (const char* bytes : {"\xff", "\xc3", "\xed\xa0\x80", "\xc0\xaf"}) {
    const std::string body = std::string(R"({"QueueUrl":"a)") + bytes + "\"}";
    for (const Decoder& decoder : AllDecoders()) {
      ASSERT_TRUE(IsOwnError(decoder, body)) << decoder.name;
    }
  }
}

}  // namespace
}  // namespace sqsim::wire
