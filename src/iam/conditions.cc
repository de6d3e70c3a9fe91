#include "iam/conditions.h"

#include <algorithm>
#include <array>
#include <vector>

#include "iam/condition_values.h"
#include "iam/context_keys.h"
#include "iam/wildcard.h"

namespace sqsim::iam::internal {

namespace {

// What the values of an operator are, so that a policy is checked when parsed.
enum class ValueType { kString, kNumber, kDate, kBool, kCidr };

// Whether policy value `want` matches request value `have`.
using Matcher = bool (*)(std::string_view want, std::string_view have);

template <typename Compare>
bool CompareNumbers(std::string_view want, std::string_view have, Compare compare) {
  auto a = ParseIamNumber(have);
  auto b = ParseIamNumber(want);
  return a && b && compare(*a, *b);
}

template <typename Compare>
bool CompareDates(std::string_view want, std::string_view have, Compare compare) {
  auto a = ParseIamDate(have);
  auto b = ParseIamDate(want);
  return a && b && compare(*a, *b);
}

// One operator: its name, how a value matches, and whether it is the negation
// of that match (StringNotEquals is "not StringEquals").
struct OperatorInfo {
  std::string_view name;
  ValueType type;
  Matcher matcher;
  bool negated;
};

bool StringEq(std::string_view w, std::string_view h) { return w == h; }
bool StringEqIc(std::string_view w, std::string_view h) { return EqualsIgnoreCase(w, h); }
bool StringLike(std::string_view w, std::string_view h) { return WildcardMatch(w, h); }
bool Arn(std::string_view w, std::string_view h) { return ArnMatch(w, h); }
bool NumEq(std::string_view w, std::string_view h) {
  return CompareNumbers(w, h, [](double a, double b) { return a == b; });
}
bool NumLt(std::string_view w, std::string_view h) {
  return CompareNumbers(w, h, [](double a, double b) { return a < b; });
}
bool NumLe(std::string_view w, std::string_view h) {
  return CompareNumbers(w, h, [](double a, double b) { return a <= b; });
}
bool NumGt(std::string_view w, std::string_view h) {
  return CompareNumbers(w, h, [](double a, double b) { return a > b; });
}
bool NumGe(std::string_view w, std::string_view h) {
  return CompareNumbers(w, h, [](double a, double b) { return a >= b; });
}
bool DateEq(std::string_view w, std::string_view h) {
  return CompareDates(w, h, [](Timestamp a, Timestamp b) { return a == b; });
}
bool DateLt(std::string_view w, std::string_view h) {
  return CompareDates(w, h, [](Timestamp a, Timestamp b) { return a < b; });
}
bool DateLe(std::string_view w, std::string_view h) {
  return CompareDates(w, h, [](Timestamp a, Timestamp b) { return a <= b; });
}
bool DateGt(std::string_view w, std::string_view h) {
  return CompareDates(w, h, [](Timestamp a, Timestamp b) { return a > b; });
}
bool DateGe(std::string_view w, std::string_view h) {
  return CompareDates(w, h, [](Timestamp a, Timestamp b) { return a >= b; });
}
bool BoolEq(std::string_view w, std::string_view h) { return EqualsIgnoreCase(w, h); }
bool InNetwork(std::string_view w, std::string_view h) {
  auto network = ParseIpNetwork(w);
  auto address = ParseIpNetwork(h);
  return network && address && NetworkContains(*network, *address);
}

// Operator names are case-sensitive, as IAM's are. ArnEquals and ArnLike are
// the same test in IAM (both field-wise with wildcards).
constexpr std::array<OperatorInfo, 26> kOperators = {{
    {"StringEquals", ValueType::kString, StringEq, false},
    {"StringNotEquals", ValueType::kString, StringEq, true},
    {"StringEqualsIgnoreCase", ValueType::kString, StringEqIc, false},
    {"StringNotEqualsIgnoreCase", ValueType::kString, StringEqIc, true},
    {"StringLike", ValueType::kString, StringLike, false},
    {"StringNotLike", ValueType::kString, StringLike, true},
    {"ArnEquals", ValueType::kString, Arn, false},
    {"ArnLike", ValueType::kString, Arn, false},
    {"ArnNotEquals", ValueType::kString, Arn, true},
    {"ArnNotLike", ValueType::kString, Arn, true},
    {"NumericEquals", ValueType::kNumber, NumEq, false},
    {"NumericNotEquals", ValueType::kNumber, NumEq, true},
    {"NumericLessThan", ValueType::kNumber, NumLt, false},
    {"NumericLessThanEquals", ValueType::kNumber, NumLe, false},
    {"NumericGreaterThan", ValueType::kNumber, NumGt, false},
    {"NumericGreaterThanEquals", ValueType::kNumber, NumGe, false},
    {"DateEquals", ValueType::kDate, DateEq, false},
    {"DateNotEquals", ValueType::kDate, DateEq, true},
    {"DateLessThan", ValueType::kDate, DateLt, false},
    {"DateLessThanEquals", ValueType::kDate, DateLe, false},
    {"DateGreaterThan", ValueType::kDate, DateGt, false},
    {"DateGreaterThanEquals", ValueType::kDate, DateGe, false},
    {"Bool", ValueType::kBool, BoolEq, false},
    {"IpAddress", ValueType::kCidr, InNetwork, false},
    {"NotIpAddress", ValueType::kCidr, InNetwork, true},
    // Null is decided apart (it tests presence, not values); its entry gives
    // the value type for checking.
    {"Null", ValueType::kBool, BoolEq, false},
}};

enum class Qualifier { kNone, kForAnyValue, kForAllValues };

// An operator name taken apart: "ForAllValues:StringLikeIfExists".
struct ParsedOperator {
  Qualifier qualifier = Qualifier::kNone;
  const OperatorInfo* info = nullptr;
  bool if_exists = false;
  bool is_null = false;
};

std::optional<ParsedOperator> ParseOperator(std::string_view name) {
  ParsedOperator parsed;
  constexpr std::string_view kAny = "ForAnyValue:";
  constexpr std::string_view kAll = "ForAllValues:";
  if (name.starts_with(kAny)) {
    parsed.qualifier = Qualifier::kForAnyValue;
    name.remove_prefix(kAny.size());
  } else if (name.starts_with(kAll)) {
    parsed.qualifier = Qualifier::kForAllValues;
    name.remove_prefix(kAll.size());
  }
  constexpr std::string_view kIfExists = "IfExists";
  if (name.ends_with(kIfExists)) {
    parsed.if_exists = true;
    name.remove_suffix(kIfExists.size());
  }
  if (name.empty()) return std::nullopt;
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) parsed.info = &info;
  }
  if (parsed.info == nullptr) return std::nullopt;
  parsed.is_null = name == "Null";
  // Null tests presence itself, so IfExists and set qualifiers make no sense.
  if (parsed.is_null && (parsed.if_exists || parsed.qualifier != Qualifier::kNone)) {
    return std::nullopt;
  }
  return parsed;
}

bool ValueValid(ValueType type, std::string_view value) {
  switch (type) {
    case ValueType::kString:
      return true;
    case ValueType::kNumber:
      return ParseIamNumber(value).has_value();
    case ValueType::kDate:
      return ParseIamDate(value).has_value();
    case ValueType::kBool:
      return EqualsIgnoreCase(value, "true") || EqualsIgnoreCase(value, "false");
    case ValueType::kCidr:
      return ParseIpNetwork(value).has_value();
  }
  return false;
}

}  // namespace

std::optional<std::string> CheckCondition(const Condition& condition) {
  std::optional<ParsedOperator> parsed = ParseOperator(condition.op);
  if (!parsed) return "Unknown condition operator " + condition.op + ".";
  if (condition.key.empty()) return "Condition key is empty.";
  if (condition.values.empty()) return "Condition " + condition.key + " has no values.";
  for (const std::string& value : condition.values) {
    if (!ValueValid(parsed->info->type, value)) {
      return "Invalid value " + value + " for condition operator " + condition.op + ".";
    }
  }
  return std::nullopt;
}

bool ConditionHolds(const Condition& condition, const Request& request) {
  std::optional<ParsedOperator> parsed = ParseOperator(condition.op);
  SQSIM_ASSERT(parsed.has_value(), "condition was not checked when its policy was parsed");
  const std::vector<std::string> have = ContextValues(condition.key, request);
  if (parsed->is_null) {
    // Null: "true" means "the key is absent". Several values are OR'ed.
    return std::any_of(condition.values.begin(), condition.values.end(), [&](const std::string& v) {
      return EqualsIgnoreCase(v, "true") == have.empty();
    });
  }
  const OperatorInfo& info = *parsed->info;
  if (have.empty()) {
    if (parsed->if_exists) return true;
    if (parsed->qualifier == Qualifier::kForAllValues) return true;
    if (parsed->qualifier == Qualifier::kForAnyValue) return false;
    return info.negated;
  }
  // Whether request value r is matched by some policy value (values are OR'ed).
  auto matches = [&](const std::string& r) {
    return std::any_of(condition.values.begin(), condition.values.end(),
                       [&](const std::string& v) { return info.matcher(v, r); });
  };
  // The per-request-value outcome: a negated operator holds for r when no
  // policy value matches it.
  auto holds = [&](const std::string& r) { return matches(r) != info.negated; };
  bool all = std::all_of(have.begin(), have.end(), holds);
  bool any = std::any_of(have.begin(), have.end(), holds);
  switch (parsed->qualifier) {
    case Qualifier::kForAllValues:
      return all;
    case Qualifier::kForAnyValue:
      return any;
    case Qualifier::kNone:
      // A positive operator needs one matching value; a negated one needs
      // every value to avoid all policy values.
      return info.negated ? all : any;
  }
  return false;
}

}  // namespace sqsim::iam::internal
