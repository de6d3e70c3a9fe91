// The JSON parser and writer under the SQS JSON codec: strict RFC 8259,
// checked case by case and against nlohmann/json as an oracle on mutated
// texts (both must accept and reject the same texts, and read the same
// values from what they accept).

#include "wire/json_text.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace sqsim::wire {
namespace json_text_test {
namespace {

bool Parses(std::string_view text) {
  JsonDocument doc;
  return doc.Parse(text);
}

std::string Written(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

TEST(JsonText, AcceptsWhatRfc8259Allows) {
  for (const char* text :
       {"{}", "[]", " { } ", "0", "-0", "1.5e-3", "-12E+4", "\"\"", "true", "false", "null",
        R"({"a":[1,{"b":null}],"c":"\u00e9\ud83d\ude00\n\"\\\/"})", "[[[[]]]]", "\t[\r\n1 ]\n"}) {
    EXPECT_TRUE(Parses(text)) << text;
  }
}

TEST(JsonText, RejectsEverythingElse) {
  for (const char* text : {"",
                           " ",
                           "{",
                           "}",
                           "[1,]",
                           "{\"a\":1,}",
                           "01",
                           "1.",
                           ".5",
                           "-",
                           "+1",
                           "1e",
                           "0x1",
                           "NaN",
                           "Infinity",
                           "'a'",
                           "{a:1}",
                           "{\"a\" 1}",
                           "[1 2]",
                           "\"a",
                           "\"\t\"",
                           "\"\\x\"",
                           "\"\\u12\"",
                           "\"\\udc00\"",
                           "\"\\ud800\"",
                           "\"\\ud800\\u0041\"",
                           "\"\xff\"",
                           "\"\xc0\xaf\"",
                           "\"\xed\xa0\x80\"",
                           "\"\xf4\x90\x80\x80\"",
                           "\"\xe2\x82\"",
                           "[] []",
                           "{} x",
                           "/* c */ {}",
                           "tru",
                           "nul"}) {
    EXPECT_FALSE(Parses(text)) << text;
  }
}

TEST(JsonText, ReadsMembersStringsAndNumbers) {
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(R"({"s":"a\u00e9\ud83d\ude00\n","n":-42,"f":1.5,"l":[1,2,3],"s":"last"})"));
  EXPECT_EQ(doc.type(JsonDocument::kRoot), JsonType::kObject);
  EXPECT_EQ(doc.size(JsonDocument::kRoot), 5u);
  // A repeated member keeps its last value.
  EXPECT_EQ(doc.String(doc.Find(JsonDocument::kRoot, "s")), "last");
  const auto n = doc.Find(JsonDocument::kRoot, "n");
  EXPECT_TRUE(doc.IsInteger(n));
  EXPECT_EQ(doc.NumberText(n), "-42");
  EXPECT_FALSE(doc.IsInteger(doc.Find(JsonDocument::kRoot, "f")));
  const auto list = doc.Find(JsonDocument::kRoot, "l");
  std::vector<std::string> items;
  for (auto v = doc.First(list); v != JsonDocument::kNone; v = doc.Next(v)) {
    items.emplace_back(doc.NumberText(v));
  }
  EXPECT_EQ(items, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(doc.Find(JsonDocument::kRoot, "missing"), JsonDocument::kNone);

  ASSERT_TRUE(doc.Parse(R"({"k\u0041":"a\u00e9\ud83d\ude00\n"})"));
  const auto member = doc.Find(JsonDocument::kRoot, "kA");
  ASSERT_NE(member, JsonDocument::kNone);
  EXPECT_EQ(doc.Key(member), "kA");
  EXPECT_EQ(doc.String(member), "a\xc3\xa9\xf0\x9f\x98\x80\n");
}

TEST(JsonText, NestingDepthIsNotLimitedByTheStack) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  JsonDocument doc;
  ASSERT_TRUE(doc.Parse(deep));
  EXPECT_EQ(doc.size(JsonDocument::kRoot), 1u);
  EXPECT_FALSE(doc.Parse(std::string(200000, '[')));
}

TEST(JsonText, WriterEscapesWhatJsonRequires) {
  EXPECT_EQ(Written("a\"b\\c\b\f\n\r\t\x01\x1f\x7f/é"),
            "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/é\"");
}

TEST(JsonText, WriterReplacesEachMaximalInvalidSubsequenceByOneReplacementCharacter) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(Written("a\xff"), "\"a" + fffd + "\"");
  EXPECT_EQ(Written("\xc0\xaf"), "\"" + fffd + fffd + "\"");             // overlong
  EXPECT_EQ(Written("\xed\xa0\x80"), "\"" + fffd + fffd + fffd + "\"");  // a surrogate
  EXPECT_EQ(Written("\xe2\x82"), "\"" + fffd + "\"");                    // truncated
  EXPECT_EQ(Written("\xe2\x82z"), "\"" + fffd + "z\"");
  EXPECT_EQ(Written("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  EXPECT_EQ(Written("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");  // valid: kept
}

TEST(JsonText, WriterNestsAndSeparates) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("a");
  w.BeginArray();
  w.Int(-1);
  w.Bool(true);
  w.BeginObject();
  w.EndObject();
  w.String("x");
  w.EndArray();
  w.Key("b");
  w.Int(INT64_MIN);
  w.EndObject();
  EXPECT_EQ(out, R"({"a":[-1,true,{},"x"],"b":-9223372036854775808})");
  JsonDocument doc;
  EXPECT_TRUE(doc.Parse(out));
}

// Walks a document and renders it the way nlohmann/json dumps the same
// value (members in name order, last duplicate winning), so that the two
// parsers' readings can be compared.
nlohmann::json ToNlohmann(const JsonDocument& doc, JsonDocument::Value v) {
  switch (doc.type(v)) {
    case JsonType::kNull:
      return nullptr;
    case JsonType::kTrue:
      return true;
    case JsonType::kFalse:
      return false;
    case JsonType::kString:
      return doc.String(v);
    case JsonType::kNumber:
      return nlohmann::json::parse(doc.NumberText(v));
    case JsonType::kArray: {
      nlohmann::json array = nlohmann::json::array();
      for (auto c = doc.First(v); c != JsonDocument::kNone; c = doc.Next(c)) {
        array.push_back(ToNlohmann(doc, c));
      }
      return array;
    }
    case JsonType::kObject: {
      nlohmann::json object = nlohmann::json::object();
      for (auto c = doc.First(v); c != JsonDocument::kNone; c = doc.Next(c)) {
        object[doc.Key(c)] = ToNlohmann(doc, c);
      }
      return object;
    }
  }
  return nullptr;
}

TEST(JsonText, AgreesWithNlohmannOnMutatedTexts) {
  const std::vector<std::string> seeds = {
      R"({"QueueUrl":"http://h/1/q","MessageBody":"h\u00e9llo \ud83d\ude00","DelaySeconds":5})",
      R"({"Entries":[{"Id":"1","MessageBody":"x"},{"Id":"2","MessageBody":"y\n"}]})",
      R"({"MessageAttributes":{"a":{"DataType":"Number","StringValue":"-1.5e3"}},"x":[true,false,null]})",
      "[0,-0,12.5,1e9,\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]"};
  const std::string alphabet =
      "{}[]\":,\\u0123456789abcdefABCDEF.eE+- \t\nxtrunl\xc3\xa9\xed\xff\x01";
  std::mt19937 rng(20261206);
  int accepted = 0, rejected = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
      }
    }
    JsonDocument doc;
    const bool ours = doc.Parse(text);
    const bool theirs = nlohmann::json::accept(text);
    ASSERT_EQ(ours, theirs) << text;
    if (!ours) {
      ++rejected;
      continue;
    }
    ++accepted;
    EXPECT_EQ(ToNlohmann(doc, JsonDocument::kRoot), nlohmann::json::parse(text)) << text;
  }
  // Both kinds were exercised.
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(rejected, 1000);
}

}  // namespace
}  // namespace json_text_test
}  // namespace sqsim::wire
