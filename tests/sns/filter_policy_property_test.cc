// Properties of filter policies: policies built from a message match it,
// both scopes agree on flat policies, and no input, however malformed, makes
// parsing or matching fail other than with SNS's InvalidParameter.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sqsim/sns/filter_policy.h"

namespace sqsim::sns {
namespace filter_policy_property_test {

using Json = nlohmann::json;

// Printable ASCII, quotes and backslashes included, so escaping is exercised.
rc::Gen<std::string> TextGen() {
  return rc::gen::container<std::string>(rc::gen::inRange<char>(' ', '~' + 1));
}

rc::Gen<std::string> NameGen() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange<char>('a', 'e')));
}

FilterPolicy MustParse(const Json& policy, FilterPolicyScope scope) {
  Result<FilterPolicy> parsed = ParseFilterPolicy(policy.dump(), scope);
  RC_ASSERT(parsed.ok());
  return std::move(parsed).value();
}

bool MatchesString(const Json& policy, const std::string& name, const std::string& value) {
  const std::vector<MessageAttributeView> attributes = {{name, "String", value}};
  return Matches(MustParse(policy, FilterPolicyScope::kMessageAttributes),
                 MessageView{attributes, ""});
}

RC_GTEST_PROP(FilterPolicyProperty, ExactValuePolicyMatchesItsAttribute, ()) {
  const std::string name = *NameGen();
  const std::string value = *TextGen();
  RC_ASSERT(MatchesString({{name, {value}}}, name, value));
}

RC_GTEST_PROP(FilterPolicyProperty, StringOperatorsBuiltFromTheValueMatchIt, ()) {
  const std::string name = *NameGen();
  const std::string value = *TextGen();
  const size_t cut = *rc::gen::inRange<size_t>(0, value.size() + 1);
  std::string upper = value;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  RC_ASSERT(MatchesString({{name, {{{"prefix", value.substr(0, cut)}}}}}, name, value));
  RC_ASSERT(MatchesString({{name, {{{"suffix", value.substr(cut)}}}}}, name, value));
  RC_ASSERT(MatchesString({{name, {{{"equals-ignore-case", upper}}}}}, name, value));
  RC_ASSERT(MatchesString({{name, {{{"exists", true}}}}}, name, value));
  RC_ASSERT(!MatchesString({{name, {{{"anything-but", value}}}}}, name, value));
  RC_ASSERT(MatchesString({{name, {{{"anything-but", value + "x"}}}}}, name, value));
}

RC_GTEST_PROP(FilterPolicyProperty, NumbersWithFiveDecimalsMatchTheirOwnValue, ()) {
  // Documented precision: -1e9..1e9 with five digits after the decimal point.
  const int64_t hundred_thousandths = *rc::gen::inRange<int64_t>(-100000000000000, 100000000000001);
  char text[64];
  std::snprintf(text, sizeof(text), "%.5f", static_cast<double>(hundred_thousandths) / 1e5);
  const Json policy = {{"n", {{{"numeric", {"=", std::stod(text)}}}}}};
  const std::vector<MessageAttributeView> equal = {{"n", "Number", text}};
  RC_ASSERT(
      Matches(MustParse(policy, FilterPolicyScope::kMessageAttributes), MessageView{equal, ""}));
  std::snprintf(text, sizeof(text), "%.5f", static_cast<double>(hundred_thousandths + 1) / 1e5);
  const std::vector<MessageAttributeView> next = {{"n", "Number", text}};
  RC_ASSERT(
      !Matches(MustParse(policy, FilterPolicyScope::kMessageAttributes), MessageView{next, ""}));
}

// A flat policy of string operators decides the same on a String attribute
// and on a body holding the same key and value.
RC_GTEST_PROP(FilterPolicyProperty, FlatPoliciesAgreeAcrossScopes, ()) {
  const std::string name = *NameGen();
  const std::string value = *rc::gen::element<std::string>("a", "ab", "b", "ba", "10.0.0.1", "");
  const std::string operand = *rc::gen::element<std::string>("a", "b", "ab", "10.0.0.0/8");
  const std::string op =
      *rc::gen::element<std::string>("exact", "prefix", "suffix", "anything-but", "cidr");
  const Json condition = op == "exact" ? Json(operand) : Json{{op, operand}};
  const Json policy = {{name, {condition}}};
  if (op == "cidr" && operand.find('/') == std::string::npos) return;
  if (op != "cidr" && operand.find('/') != std::string::npos) return;
  const std::vector<MessageAttributeView> attributes = {{name, "String", value}};
  const bool by_attribute = Matches(MustParse(policy, FilterPolicyScope::kMessageAttributes),
                                    MessageView{attributes, ""});
  const bool by_body = Matches(MustParse(policy, FilterPolicyScope::kMessageBody),
                               MessageView{{}, Json{{name, value}}.dump()});
  RC_ASSERT(by_attribute == by_body);
}

// Fragments that make near-miss policies: operators, wrong types, broken
// syntax.
const std::array<std::string, 30> kFragments = {"{",           "}",
                                                "[",           "]",
                                                ",",           ":",
                                                "\"a\"",       "\"b.c\"",
                                                "\"$or\"",     "\"prefix\"",
                                                "\"suffix\"",  "\"anything-but\"",
                                                "\"numeric\"", "\"exists\"",
                                                "\"cidr\"",    "\"equals-ignore-case\"",
                                                "\"=\"",       "\"<\"",
                                                "\">=\"",      "1",
                                                "-2.5e3",      "6e9",
                                                "true",        "false",
                                                "null",        "\"10.0.0.0/8\"",
                                                "\"::1/64\"",  "\"\"",
                                                " ",           "\"\\u00e9\""};

std::string RandomText() {
  const std::vector<size_t> picks =
      *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, kFragments.size()));
  std::string text;
  for (size_t pick : picks) text += kFragments[pick];
  return text;
}

// A random JSON value over the policy vocabulary, `depth` levels at most.
Json RandomJson(int depth) {
  const int kind = *rc::gen::inRange(0, depth > 0 ? 7 : 4);
  switch (kind) {
    case 0:
      return *rc::gen::element<std::string>("a", "10.0.0.1", "=", ">", "<=", "x/8", "");
    case 1:
      return *rc::gen::element<double>(0, 1.5, -3, 6e9, 100);
    case 2:
      return *rc::gen::element<Json>(true, false, nullptr);
    case 3:
      return Json::array();
    case 4:
    case 5: {
      Json array = Json::array();
      const int size = *rc::gen::inRange(0, 4);
      for (int i = 0; i < size; ++i) array.push_back(RandomJson(depth - 1));
      return array;
    }
    default: {
      Json object = Json::object();
      const int size = *rc::gen::inRange(0, 3);
      for (int i = 0; i < size; ++i) {
        const std::string key =
            *rc::gen::element<std::string>("a", "b", "$or", "prefix", "suffix", "anything-but",
                                           "numeric", "exists", "cidr", "equals-ignore-case");
        object[key] = RandomJson(depth - 1);
      }
      return object;
    }
  }
}

void CheckNeverFails(const std::string& policy_text, const std::string& body,
                     const std::string& attribute_value) {
  for (FilterPolicyScope scope :
       {FilterPolicyScope::kMessageAttributes, FilterPolicyScope::kMessageBody}) {
    const Result<FilterPolicy> parsed = ParseFilterPolicy(policy_text, scope);
    if (!parsed.ok()) {
      RC_ASSERT(parsed.status().code() == ErrorCode::kInvalidParameter);
      RC_ASSERT(parsed.status().message().rfind("Invalid parameter: ", 0) == 0);
      continue;
    }
    const std::vector<MessageAttributeView> attributes = {{"a", "String", attribute_value},
                                                          {"b", "String.Array", attribute_value},
                                                          {"b.c", "Number", attribute_value}};
    const MessageView message{attributes, body};
    const bool first = Matches(*parsed, message);
    RC_ASSERT(first == Matches(*parsed, message));  // deterministic
  }
}

RC_GTEST_PROP(FilterPolicyProperty, GarbageTextIsValidOrInvalidParameter, ()) {
  CheckNeverFails(RandomText(), RandomText(), RandomText());
}

RC_GTEST_PROP(FilterPolicyProperty, RandomPolicyTreesAreValidOrInvalidParameter, ()) {
  const Json policy = RandomJson(4);
  const Json body = RandomJson(4);
  CheckNeverFails(policy.dump(), body.dump(), RandomJson(2).dump());
  // The same tree nested once more, as an object under a key.
  CheckNeverFails(Json{{"a", policy}}.dump(), Json{{"a", body}}.dump(), body.dump());
}

RC_GTEST_PROP(FilterPolicyProperty, ArbitraryBytesAreValidOrInvalidParameter, ()) {
  CheckNeverFails(*rc::gen::arbitrary<std::string>(), *rc::gen::arbitrary<std::string>(),
                  *rc::gen::arbitrary<std::string>());
}

}  // namespace filter_policy_property_test
}  // namespace sqsim::sns
