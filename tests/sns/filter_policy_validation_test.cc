// ParseFilterPolicy beyond AWS's recorded answers: Ruler's other checks (the
// messages come from AWS Event Ruler's JsonRuleCompiler as of SNS's version;
// the columns follow the same Jackson model the recorded answers confirm),
// the documented limits, and what a valid policy keeps.

#include <gtest/gtest.h>

#include <string>

#include "sqsim/sns/filter_policy.h"

namespace sqsim::sns {
namespace filter_policy_validation_test {

std::string ErrorOf(const std::string& policy,
                    FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes) {
  const Result<FilterPolicy> parsed = ParseFilterPolicy(policy, scope);
  if (parsed.ok()) return "OK";
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidParameter);
  return parsed.status().message();
}

// SetSubscriptionAttributes' wording of a located Ruler error.
std::string Located(const std::string& message, const std::string& compact, int column) {
  return "Invalid parameter: FilterPolicy: " + message + "\n at [Source: (String)\"" + compact +
         "\"; line: 1, column: " + std::to_string(column) + "]";
}

TEST(FilterPolicyValidation, KeepsTheJsonAsSetAndTheScope) {
  const std::string json = "{ \"a\" : [ \"x\" ] }";
  const Result<FilterPolicy> policy = ParseFilterPolicy(json, FilterPolicyScope::kMessageBody);
  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->json(), json);
  EXPECT_EQ(policy->scope(), FilterPolicyScope::kMessageBody);
  EXPECT_FALSE(policy->matches_everything());
}

TEST(FilterPolicyValidation, ScopeNamesRoundTrip) {
  for (FilterPolicyScope scope :
       {FilterPolicyScope::kMessageAttributes, FilterPolicyScope::kMessageBody}) {
    const Result<FilterPolicyScope> parsed = ParseFilterPolicyScope(FilterPolicyScopeName(scope));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, scope);
  }
}

TEST(FilterPolicyValidation, ScopeErrorFromSubscribeNamesAttributes) {
  EXPECT_EQ(ParseFilterPolicyScope("body", FilterPolicyCall::kSubscribe).status().message(),
            "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [body]. Please "
            "use either MessageBody or MessageAttributes");
}

TEST(FilterPolicyValidation, EmptyObjectIsTheDocumentedWayToStopFiltering) {
  EXPECT_EQ(ErrorOf("{}"), "OK");
  EXPECT_EQ(ErrorOf(" { } ", FilterPolicyScope::kMessageBody), "OK");
}

TEST(FilterPolicyValidation, EmptyStringIsNotAPolicy) {
  EXPECT_EQ(ErrorOf(""),
            "Invalid parameter: FilterPolicy: Filter policy is not valid JSON (error near byte 1)");
}

TEST(FilterPolicyValidation, SyntaxErrorNamesTheByte) {
  EXPECT_EQ(
      ErrorOf(R"({"a": ["x"])"),
      "Invalid parameter: FilterPolicy: Filter policy is not valid JSON (error near byte 12)");
}

TEST(FilterPolicyValidation, InvalidUtf8IsASyntaxError) {
  EXPECT_NE(ErrorOf("{\"a\": [\"\xff\"]}").find("is not valid JSON"), std::string::npos);
}

TEST(FilterPolicyValidation, SizeLimitIs256KiB) {
  // Many small keys would hit the key limit first; one long value does not.
  const std::string head = R"({"a": [")";
  const std::string tail = R"("]})";
  const std::string at_limit =
      head + std::string(kMaxFilterPolicyBytes - head.size() - tail.size(), 'x') + tail;
  EXPECT_EQ(ErrorOf(at_limit), "OK");
  EXPECT_EQ(ErrorOf(head + std::string(kMaxFilterPolicyBytes - head.size() - tail.size() + 1, 'x') +
                    tail),
            "Invalid parameter: FilterPolicy: Filter policy can not be larger than 256 KB");
}

TEST(FilterPolicyValidation, NestingDepthIsBounded) {
  std::string deep;
  for (int i = 0; i < 1001; ++i) deep += "{\"a\":";
  deep += "[1]" + std::string(1001, '}');
  EXPECT_EQ(ErrorOf(deep, FilterPolicyScope::kMessageBody),
            "Invalid parameter: FilterPolicy: Filter policy is nested more than 1000 levels deep");
}

TEST(FilterPolicyValidation, DeepButValidNestingIsTooComplex) {
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "{\"a\":";
  deep += "[1]" + std::string(200, '}');
  EXPECT_EQ(ErrorOf(deep, FilterPolicyScope::kMessageBody),
            "Invalid parameter: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyValidation, TopLevelMustBeAnObject) {
  EXPECT_EQ(ErrorOf(R"(["a"])"), Located("Filter is not an object", "[\"a\"]", 2));
  EXPECT_EQ(ErrorOf("null"), Located("Filter is not an object", "null", 5));
}

TEST(FilterPolicyValidation, NestedEmptyObjectIsRefused) {
  EXPECT_EQ(ErrorOf(R"({"a": {}})", FilterPolicyScope::kMessageBody),
            Located("Empty objects are not allowed", "{\"a\":{}}", 8));
}

TEST(FilterPolicyValidation, MatchExpressionNeedsAName) {
  EXPECT_EQ(ErrorOf(R"({"a": [{}]})"),
            Located("Match expression name not found", "{\"a\":[{}]}", 9));
}

TEST(FilterPolicyValidation, RulerOperatorsSnsDoesNotDocumentAreUnrecognized) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"wildcard": "x*"}]})"),
            Located("Unrecognized match type wildcard", "{\"a\":[{\"wildcard\":\"x*\"}]}", 20));
  EXPECT_EQ(ErrorOf(R"({"a": [{"exactly": "x"}]})"),
            Located("Unrecognized match type exactly", "{\"a\":[{\"exactly\":\"x\"}]}", 19));
}

TEST(FilterPolicyValidation, PrefixAndEqualsIgnoreCaseNeedStrings) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"prefix": 1}]})"),
            Located("prefix match pattern must be a string", "{\"a\":[{\"prefix\":1}]}", 18));
  EXPECT_EQ(ErrorOf(R"({"a": [{"equals-ignore-case": true}]})"),
            Located("equals-ignore-case match pattern must be a string",
                    "{\"a\":[{\"equals-ignore-case\":true}]}", 33));
}

TEST(FilterPolicyValidation, ExistsWithASecondKey) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"exists": true, "prefix": "x"}]})"),
            Located("Only one key allowed in match expression",
                    "{\"a\":[{\"exists\":true,\"prefix\":\"x\"}]}", 32));
}

TEST(FilterPolicyValidation, NumericNeedsAnArray) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": 5}]})"),
            Located("Value of numeric must be an array.", "{\"a\":[{\"numeric\":5}]}", 19));
}

TEST(FilterPolicyValidation, NumericBoundsBeyondFiveBillion) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": [">", -6e9]}]})"),
            Located("Value must be between -5.0E9 and 5.0E9, inclusive",
                    "{\"a\":[{\"numeric\":[\">\",-6.0E9]}]}", 30));
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": ["<", -6e9]}]})"),
            Located("Bottom must be less than top", "{\"a\":[{\"numeric\":[\"<\",-6.0E9]}]}", 30));
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": ["=", 6000000000]}]})"),
            Located("Value must be between -5.0E9 and 5.0E9, inclusive",
                    "{\"a\":[{\"numeric\":[\"=\",6000000000]}]}", 34));
}

TEST(FilterPolicyValidation, NumericEqualsWithExtraTerms) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": ["=", 1, "<", 2]}]})"),
            Located("Too many elements in numeric expression",
                    "{\"a\":[{\"numeric\":[\"=\",1,\"<\",2]}]}", 26));
}

TEST(FilterPolicyValidation, NumericWithASecondKey) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"numeric": [">", 1], "exists": true}]})"),
            Located("Too many elements in numeric expression",
                    "{\"a\":[{\"numeric\":[\">\",1],\"exists\":true}]}", 39));
}

TEST(FilterPolicyValidation, AnythingButValueKinds) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": true}]})"),
            Located("Value of anything-but must be an array or single string/number value.",
                    "{\"a\":[{\"anything-but\":true}]}", 27));
}

TEST(FilterPolicyValidation, AnythingButListOfLiteralsReportsItsLocationTwice) {
  const std::string compact = "{\"a\":[{\"anything-but\":[null]}]}";
  const std::string location = "\n at [Source: (String)\"" + compact + "\"; line: 1, column: 28]";
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": [null]}]})"),
            "Invalid parameter: FilterPolicy: Inside anything but list, start|null|boolean is not "
            "supported." +
                location + location);
}

TEST(FilterPolicyValidation, AnythingButListMustNotMixTypes) {
  const std::string message =
      "Inside anything but list, either all values are number or string, mixed type is not "
      "supported";
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": ["x", 1]}]})"),
            Located(message, "{\"a\":[{\"anything-but\":[\"x\",1]}]}", 30));
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": []}]})"),
            Located(message, "{\"a\":[{\"anything-but\":[]}]}", 25));
}

TEST(FilterPolicyValidation, AnythingButSingleNumberBeyondRangeHasNoLocation) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": 6e9}]})"),
            "Invalid parameter: FilterPolicy: Value must be between -5.0E9 and 5.0E9, inclusive");
}

TEST(FilterPolicyValidation, AnythingButPrefixMustNotBeEmpty) {
  EXPECT_EQ(
      ErrorOf(R"({"a": [{"anything-but": {"prefix": ""}}]})"),
      Located("Null prefix not allowed", "{\"a\":[{\"anything-but\":{\"prefix\":\"\"}}]}", 35));
}

TEST(FilterPolicyValidation, AnythingButWithASecondKey) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"anything-but": "x", "prefix": "y"}]})"),
            Located("Too many elements in numeric expression",
                    "{\"a\":[{\"anything-but\":\"x\",\"prefix\":\"y\"}]}", 37));
}

TEST(FilterPolicyValidation, CidrMaskLimits) {
  EXPECT_EQ(ErrorOf(R"({"a": [{"cidr": "10.0.0.1/32"}]})"),
            "Invalid parameter: FilterPolicy: IPv4 mask bits must be < 32");
  EXPECT_EQ(ErrorOf(R"({"a": [{"cidr": "::1/128"}]})"),
            "Invalid parameter: FilterPolicy: IPv6 mask bits must be < 128");
  EXPECT_EQ(ErrorOf(R"({"a": [{"cidr": "10.0.0.0/-1"}]})"),
            "Invalid parameter: FilterPolicy: Malformed CIDR, mask bits must not be negative");
  EXPECT_EQ(ErrorOf(R"({"a": [{"cidr": "300.0.0.0/8"}]})"),
            "Invalid parameter: FilterPolicy: Invalid IP address: 300.0.0.0");
}

TEST(FilterPolicyValidation, OrNeedsAnArrayOfAtLeastTwoObjects) {
  EXPECT_EQ(ErrorOf(R"({"$or": {"a": ["x"]}})"),
            Located("It must be an Array followed with $or.", "{\"$or\":{\"a\":[\"x\"]}}", 9));
  EXPECT_EQ(ErrorOf(R"({"$or": [{"a": ["x"]}]})"),
            Located("There must have at least 2 Objects in $or relationship.",
                    "{\"$or\":[{\"a\":[\"x\"]}]}", 21));
  EXPECT_EQ(ErrorOf(R"({"$or": [{"a": ["x"]}, "b"]})"),
            Located("Only JSON object is allowed in array of $or relationship.",
                    "{\"$or\":[{\"a\":[\"x\"]},\"b\"]}", 22));
}

TEST(FilterPolicyValidation, OperatorNamesAreReservedInsideOr) {
  EXPECT_EQ(ErrorOf(R"({"$or": [{"prefix": ["x"]}, {"b": ["y"]}]})"),
            Located("prefix is Ruler reserved fieldName which cannot be used inside $or.",
                    "{\"$or\":[{\"prefix\":[\"x\"]},{\"b\":[\"y\"]}]}", 20));
}

TEST(FilterPolicyValidation, FiveKeysAreAllowed) {
  EXPECT_EQ(ErrorOf(R"({"a": [1], "b": [1], "c": [1], "d": [1], "e": [1]})"), "OK");
}

TEST(FilterPolicyValidation, OnlyTopLevelKeysCountInBodyScope) {
  EXPECT_EQ(ErrorOf(R"({"p": {"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]}})",
                    FilterPolicyScope::kMessageBody),
            "OK");
}

TEST(FilterPolicyValidation, ExactlyOneHundredFiftyCombinationsAreAllowed) {
  std::string values;
  for (int i = 0; i < 150; ++i) values += (i > 0 ? "," : "") + std::to_string(i);
  EXPECT_EQ(ErrorOf("{\"a\": [" + values + "]}"), "OK");
}

TEST(FilterPolicyValidation, DocumentedNestedExampleIs72Combinations) {
  // 3 x 4 x 2 x 3 = 72; adding a third top-level key with 3 values gives 216.
  const std::string nested =
      R"("key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}}, )"
      R"("key_d": {"key_e": ["value_one", "value_two", "value_three"]})";
  EXPECT_EQ(ErrorOf("{" + nested + "}", FilterPolicyScope::kMessageBody), "OK");
  EXPECT_EQ(ErrorOf("{" + nested + R"(, "key_f": ["a", "b"]})", FilterPolicyScope::kMessageBody),
            "OK");
  EXPECT_EQ(
      ErrorOf("{" + nested + R"(, "key_f": ["a", "b", "c"]})", FilterPolicyScope::kMessageBody),
      "Invalid parameter: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyValidation, NestedOrInAttributesScopeIsRefused) {
  EXPECT_EQ(ErrorOf(R"({"$or": [{"a": {"b": ["x"]}}, {"c": ["y"]}]})"),
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested "
            "filter policy");
}

TEST(FilterPolicyValidation, SourceQuoteIsCutAt500Characters) {
  const std::string value(600, 'v');
  const std::string compact = "{\"a\":[\"" + value + "\",[]]}";
  const std::string expected =
      "Invalid parameter: FilterPolicy: Match value must be String, number, "
      "true, false, or null\n at [Source: (String)\"" +
      compact.substr(0, 500) + "\"[truncated " + std::to_string(compact.size() - 500) +
      " chars]; line: 1, column: 611]";
  EXPECT_EQ(ErrorOf("{\"a\": [\"" + value + "\", []]}"), expected);
}

TEST(FilterPolicyValidation, ColumnsCountUtf16Units) {
  // "😀" is one code point but two UTF-16 units; "é" is one unit.
  EXPECT_EQ(ErrorOf("{\"\xF0\x9F\x98\x80\xC3\xA9\": 1}"),
            Located("\"\xF0\x9F\x98\x80\xC3\xA9\" must be an object or an array",
                    "{\"\xF0\x9F\x98\x80\xC3\xA9\":1}", 9));
}

TEST(FilterPolicyValidation, SnsRewritesNumbersAndEscapesAsJackson) {
  EXPECT_EQ(ErrorOf(R"({"a\u0001\/": 1e2})"),
            Located("\"a\x01/\" must be an object or an array", "{\"a\\u0001/\":100.0}", 18));
}

}  // namespace filter_policy_validation_test
}  // namespace sqsim::sns
