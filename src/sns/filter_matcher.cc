// Matches: whether a message passes a compiled filter policy.

#include <algorithm>
#include <unordered_set>

#include "sns/filter_rules.h"
#include "sns/message_values.h"
#include "sqsim/sns/filter_policy.h"

namespace sqsim::sns {

namespace {

using internal::Condition;
using internal::Leaf;
using internal::Rule;
using internal::Value;

bool IsString(const Value& value) { return value.type == Value::Type::kString; }
bool IsKeyedNumber(const Value& value) {
  return value.type == Value::Type::kNumber && value.key.has_value();
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

bool InRange(const Condition& c, int64_t key) {
  const bool above = c.low_open ? key > c.low : key >= c.low;
  const bool below = c.high_open ? key < c.high : key <= c.high;
  return above && below;
}

// One value against one condition (existence is decided by the caller).
// anything-but is the negation of its positive form, so it also passes values
// of the other types, as in Ruler.
bool ValueMatches(const Condition& c, const Value& value) {
  using Kind = Condition::Kind;
  switch (c.kind) {
    case Kind::kExactString:
      return IsString(value) && value.text == c.text;
    case Kind::kExactNumber:
      if (value.type != Value::Type::kNumber) return false;
      if (c.key && value.key) return *c.key == *value.key;
      return c.text == value.text;  // a number beyond Ruler's range matches by its text
    case Kind::kLiteral:
      return !IsString(value) && value.type != Value::Type::kNumber && value.text == c.text;
    case Kind::kPrefix:
      return IsString(value) && value.text.starts_with(c.text);
    case Kind::kSuffix:
      return IsString(value) && value.text.ends_with(c.text);
    case Kind::kEqualsIgnoreCase:
      return IsString(value) && EqualsIgnoreAsciiCase(value.text, c.text);
    case Kind::kAnythingButStrings:
      return !(IsString(value) &&
               std::find(c.strings.begin(), c.strings.end(), value.text) != c.strings.end());
    case Kind::kAnythingButNumbers:
      return !(IsKeyedNumber(value) &&
               std::find(c.keys.begin(), c.keys.end(), *value.key) != c.keys.end());
    case Kind::kAnythingButPrefix:
      return !(IsString(value) && value.text.starts_with(c.text));
    case Kind::kNumericRange:
      return IsKeyedNumber(value) && InRange(c, *value.key);
    case Kind::kIpRange: {
      if (!IsString(value)) return false;
      const std::optional<internal::IpBytes> address = internal::ParseIpAddress(value.text);
      return address && c.ip.Contains(*address);
    }
    case Kind::kExists:
    case Kind::kAbsent:
      return false;
  }
  return false;
}

// ---- MessageAttributes scope ----

struct AttributeValues {
  bool present = false;
  bool is_array = false;  // String.Array
  std::vector<Value> values;
};

AttributeValues ReadAttribute(const MessageView& message, const std::string& name) {
  AttributeValues out;
  const auto it = std::find_if(message.attributes.begin(), message.attributes.end(),
                               [&](const MessageAttributeView& a) { return a.name == name; });
  if (it == message.attributes.end()) return out;
  const std::string_view type = it->data_type.substr(0, it->data_type.find('.'));
  // SNS documents that filtering ignores Binary attributes.
  if (type == "Binary") return out;
  out.present = true;
  if (it->data_type == "String.Array") {
    out.is_array = true;
    static const std::unordered_set<std::string> kElements = {""};
    if (auto leaves = internal::CollectLeaves(it->value, true, kElements)) {
      for (Leaf& leaf : (*leaves)[""]) out.values.push_back(std::move(leaf.value));
    }
  } else if (type == "Number") {
    out.values.push_back(internal::NumberValue(std::string(it->value)));
  } else {
    out.values.push_back({Value::Type::kString, std::string(it->value), std::nullopt});
  }
  return out;
}

bool AttributeMatches(const std::vector<Condition>& conditions, const AttributeValues& attribute) {
  auto passes = [&](const Condition& c) {
    return [&](const Value& value) { return ValueMatches(c, value); };
  };
  for (const Condition& c : conditions) {
    if (c.kind == Condition::Kind::kExists || c.kind == Condition::Kind::kAbsent) {
      if (attribute.present == (c.kind == Condition::Kind::kExists)) return true;
      continue;
    }
    const std::vector<Value>& values = attribute.values;
    // SNS documents anything-but on a String.Array as "none of the array
    // elements are listed".
    if (attribute.is_array && c.IsAnythingBut()) {
      if (!values.empty() && std::all_of(values.begin(), values.end(), passes(c))) return true;
      continue;
    }
    if (std::any_of(values.begin(), values.end(), passes(c))) return true;
  }
  return false;
}

bool AttributesMatch(const Rule& rule, const MessageView& message) {
  for (const auto& [name, conditions] : rule) {
    if (!AttributeMatches(conditions, ReadAttribute(message, name))) return false;
  }
  return true;
}

// ---- MessageBody scope ----

// Two leaves can be matched together unless they come from different
// elements of the same array.
bool Compatible(const Leaf& a, const Leaf& b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.elements.size() && j < b.elements.size()) {
    if (a.elements[i].first == b.elements[j].first) {
      if (a.elements[i].second != b.elements[j].second) return false;
      ++i;
      ++j;
    } else if (a.elements[i].first < b.elements[j].first) {
      ++i;
    } else {
      ++j;
    }
  }
  return true;
}

// Picks one candidate per key, all compatible with each other.
bool Assign(const std::vector<std::vector<const Leaf*>>& candidates, size_t next,
            std::vector<const Leaf*>& chosen) {
  if (next == candidates.size()) return true;
  for (const Leaf* leaf : candidates[next]) {
    const bool fits = std::all_of(chosen.begin(), chosen.end(),
                                  [&](const Leaf* other) { return Compatible(*leaf, *other); });
    if (!fits) continue;
    chosen.push_back(leaf);
    if (Assign(candidates, next + 1, chosen)) return true;
    chosen.pop_back();
  }
  return false;
}

bool BodyRuleMatches(const Rule& rule, const internal::LeavesByPath& leaves) {
  std::vector<std::vector<const Leaf*>> candidates;
  for (const auto& [path, conditions] : rule) {
    const auto at = leaves.find(path);
    if (at == leaves.end() || at->second.empty()) {
      const bool absent_ok =
          std::any_of(conditions.begin(), conditions.end(),
                      [](const Condition& c) { return c.kind == Condition::Kind::kAbsent; });
      if (!absent_ok) return false;
      continue;
    }
    std::vector<const Leaf*> matching;
    for (const Leaf& leaf : at->second) {
      const bool passes =
          std::any_of(conditions.begin(), conditions.end(), [&](const Condition& c) {
            return c.kind == Condition::Kind::kExists || ValueMatches(c, leaf.value);
          });
      if (passes) matching.push_back(&leaf);
    }
    if (matching.empty()) return false;
    candidates.push_back(std::move(matching));
  }
  // Fewest candidates first: the search then fails or fixes elements early.
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<const Leaf*> chosen;
  return Assign(candidates, 0, chosen);
}

bool BodyMatches(const internal::CompiledPolicy& policy, std::string_view body) {
  std::unordered_set<std::string> paths;
  for (const Rule& rule : policy.rules) {
    for (const auto& entry : rule) paths.insert(entry.first);
  }
  const std::optional<internal::LeavesByPath> leaves = internal::CollectLeaves(body, false, paths);
  if (!leaves) return false;  // SNS requires a JSON object body for body filtering
  return std::any_of(policy.rules.begin(), policy.rules.end(),
                     [&](const Rule& rule) { return BodyRuleMatches(rule, *leaves); });
}

}  // namespace

bool Matches(const FilterPolicy& policy, const MessageView& message) {
  const internal::CompiledPolicy& compiled = policy.compiled();
  if (compiled.rules.empty()) return true;
  if (compiled.scope == FilterPolicyScope::kMessageBody) return BodyMatches(compiled, message.body);
  return std::any_of(compiled.rules.begin(), compiled.rules.end(),
                     [&](const Rule& rule) { return AttributesMatch(rule, message); });
}

}  // namespace sqsim::sns
