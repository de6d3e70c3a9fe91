#include "sns/rule_compiler.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

namespace sqsim::sns::internal {

namespace {

using Kind = JsonToken::Kind;

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// Jackson's parser over the compact tokens: where it stands decides the column
// of an error. It reads a token when asked for it, with two habits that show
// in columns: a string value is read only up to its opening quote until its
// text is asked for (or the parser moves on), and reading a field name also
// reads the first part of the value after it.
class TokenCursor {
 public:
  explicit TokenCursor(const std::vector<JsonToken>& tokens) : tokens_(tokens) {}

  // nextToken(); nullopt past the end.
  std::optional<Kind> Next() {
    if (unfinished_string_ != kNone && unfinished_string_ == index_) Finish();
    index_ = index_ == kNone ? 0 : index_ + 1;
    if (index_ >= tokens_.size()) return std::nullopt;
    if (index_ != prefetched_) Read(index_);
    if (tokens_[index_].kind == Kind::kFieldName && index_ + 1 < tokens_.size()) {
      Read(index_ + 1);
      prefetched_ = index_ + 1;
    }
    return tokens_[index_].kind;
  }

  // getText() (and getCurrentName() on a field name).
  const std::string& Text() {
    if (unfinished_string_ != kNone && unfinished_string_ == index_) Finish();
    return tokens_[index_].text;
  }

  double Number() const { return tokens_[index_].number; }

  // Jackson's 1-based column of where the parser stands.
  size_t Column() const { return position_ + 1; }

 private:
  void Read(size_t index) {
    const JsonToken& token = tokens_[index];
    if (token.kind == Kind::kString) {
      position_ = token.begin + 1;
      unfinished_string_ = index;
    } else {
      position_ = token.end;
    }
  }

  void Finish() {
    position_ = tokens_[unfinished_string_].end;
    unfinished_string_ = kNone;
  }

  const std::vector<JsonToken>& tokens_;
  size_t index_ = kNone;
  size_t prefetched_ = kNone;
  size_t unfinished_string_ = kNone;
  size_t position_ = 0;
};

bool IsNumber(std::optional<Kind> kind) { return kind == Kind::kInteger || kind == Kind::kFloat; }

// Names Ruler keeps for itself inside $or alternatives.
bool IsReservedInsideOr(std::string_view name) {
  static constexpr std::array<std::string_view, 24> kReserved = {"exactly",
                                                                 "equals-ignore-case",
                                                                 "prefix",
                                                                 "suffix",
                                                                 "anything-but",
                                                                 "exists",
                                                                 "wildcard",
                                                                 "numeric",
                                                                 "cidr",
                                                                 "=",
                                                                 "<",
                                                                 "<=",
                                                                 ">",
                                                                 ">=",
                                                                 "regex",
                                                                 "not-wildcard",
                                                                 "not-equals-ignore-case",
                                                                 "date-after",
                                                                 "date-on-or-after",
                                                                 "date-before",
                                                                 "date-on-or-before",
                                                                 "in-date-range",
                                                                 "ip-address-in-range",
                                                                 "ip-address-not-in-range"};
  return std::find(kReserved.begin(), kReserved.end(), name) != kReserved.end();
}

class Compiler {
 public:
  Compiler(const CompactJson& policy, bool build) : cursor_(policy.tokens), build_(build) {}

  std::optional<RuleError> Run(std::vector<Rule>& rules) {
    std::vector<std::string> path;
    if (cursor_.Next() != Kind::kStartObject) {
      Fail("Filter is not an object");
    } else {
      ParseObject(rules, path, false);
    }
    return error_;
  }

 private:
  // Each step returns false once an error is recorded; the walk stops there.
  bool Fail(std::string message) {
    error_ = RuleError{std::move(message), cursor_.Column(), false};
    return false;
  }
  bool FailWithoutLocation(std::string message) {
    error_ = RuleError{std::move(message), std::nullopt, false};
    return false;
  }
  bool FailLocatedTwice(std::string message) {
    error_ = RuleError{std::move(message), cursor_.Column(), true};
    return false;
  }

  static std::string Join(const std::vector<std::string>& path, const std::string& step) {
    std::string name;
    for (const std::string& part : path) name += part + ".";
    return name + step;
  }

  bool ParseObject(std::vector<Rule>& rules, std::vector<std::string>& path, bool inside_or) {
    bool fields_present = false;
    for (std::optional<Kind> kind = cursor_.Next(); kind && *kind != Kind::kEndObject;
         kind = cursor_.Next()) {
      fields_present = true;
      const std::string step = cursor_.Text();
      if (step == "$or") {
        if (!ParseOr(rules, path)) return false;
        continue;
      }
      if (inside_or && IsReservedInsideOr(step)) {
        return Fail(step + " is Ruler reserved fieldName which cannot be used inside $or.");
      }
      const std::optional<Kind> value = cursor_.Next();
      if (value == Kind::kStartObject) {
        path.push_back(step);
        if (!ParseObject(rules, path, inside_or)) return false;
        path.pop_back();
      } else if (value == Kind::kStartArray) {
        if (!WriteRules(rules, Join(path, step))) return false;
      } else {
        return Fail("\"" + step + "\" must be an object or an array");
      }
    }
    if (!fields_present) return Fail("Empty objects are not allowed");
    return true;
  }

  // Each alternative starts from a copy of the rules built so far; keys after
  // the $or then apply to every alternative.
  bool ParseOr(std::vector<Rule>& rules, std::vector<std::string>& path) {
    std::vector<Rule> before;
    if (build_) {
      before = std::move(rules);
      rules.clear();
    }
    if (cursor_.Next() != Kind::kStartArray) return Fail("It must be an Array followed with $or.");
    int alternatives = 0;
    for (std::optional<Kind> kind = cursor_.Next(); kind && *kind != Kind::kEndArray;
         kind = cursor_.Next()) {
      ++alternatives;
      if (*kind != Kind::kStartObject) {
        return Fail("Only JSON object is allowed in array of $or relationship.");
      }
      std::vector<Rule> alternative;
      if (build_) {
        alternative = before;
        if (alternative.empty()) alternative.emplace_back();
      }
      if (!ParseObject(alternative, path, true)) return false;
      rules.insert(rules.end(), alternative.begin(), alternative.end());
    }
    if (alternatives < 2) return Fail("There must have at least 2 Objects in $or relationship.");
    return true;
  }

  bool WriteRules(std::vector<Rule>& rules, const std::string& name) {
    std::vector<Condition> conditions;
    for (std::optional<Kind> kind = cursor_.Next(); kind && *kind != Kind::kEndArray;
         kind = cursor_.Next()) {
      Condition condition;
      switch (*kind) {
        case Kind::kStartObject:
          if (!MatchExpression(condition)) return false;
          break;
        case Kind::kString: {
          condition.text = cursor_.Text();
          // Ruler compares a string that is an IP address as an address.
          if (std::optional<IpBytes> address = ParseIpAddress(condition.text)) {
            condition.kind = Condition::Kind::kIpRange;
            condition.ip = IpRange{*address, *address};
          }
          break;
        }
        case Kind::kInteger:
        case Kind::kFloat:
          condition.kind = Condition::Kind::kExactNumber;
          condition.text = cursor_.Text();
          condition.key = ComparableKey(cursor_.Number());
          break;
        case Kind::kTrue:
        case Kind::kFalse:
        case Kind::kNull:
          condition.kind = Condition::Kind::kLiteral;
          condition.text = cursor_.Text();
          break;
        default:
          return Fail("Match value must be String, number, true, false, or null");
      }
      conditions.push_back(std::move(condition));
    }
    if (conditions.empty()) return Fail("Empty arrays are not allowed");
    if (build_) {
      if (rules.empty()) rules.emplace_back();
      for (Rule& rule : rules) rule[name] = conditions;
    }
    return true;
  }

  bool ExpectObjectEnd(std::string message) {
    if (cursor_.Next() != Kind::kEndObject) return Fail(std::move(message));
    return true;
  }

  bool MatchExpression(Condition& out) {
    if (cursor_.Next() != Kind::kFieldName) return Fail("Match expression name not found");
    const std::string name = cursor_.Text();
    if (name == "prefix" || name == "suffix" || name == "equals-ignore-case") {
      if (cursor_.Next() != Kind::kString) return Fail(name + " match pattern must be a string");
      out.kind = name == "prefix"   ? Condition::Kind::kPrefix
                 : name == "suffix" ? Condition::Kind::kSuffix
                                    : Condition::Kind::kEqualsIgnoreCase;
      out.text = cursor_.Text();
      return ExpectObjectEnd("Only one key allowed in match expression");
    }
    if (name == "numeric") {
      if (cursor_.Next() != Kind::kStartArray) return Fail("Value of numeric must be an array.");
      if (!NumericExpression(out)) return false;
      return ExpectObjectEnd("Too many elements in numeric expression");
    }
    if (name == "anything-but") return AnythingBut(out);
    if (name == "exists") return Exists(out);
    if (name == "cidr") {
      // Ruler's message for a non-string CIDR names "prefix".
      if (cursor_.Next() != Kind::kString) return Fail("prefix match pattern must be a string");
      CidrParse cidr = ParseCidr(cursor_.Text());
      if (!cidr.range) return FailWithoutLocation(cidr.error);
      out.kind = Condition::Kind::kIpRange;
      out.ip = std::move(*cidr.range);
      return ExpectObjectEnd("Only one key allowed in match expression");
    }
    return Fail("Unrecognized match type " + name);
  }

  bool AnythingBut(Condition& out) {
    std::optional<Kind> kind = cursor_.Next();
    if (kind == Kind::kStartObject) {
      if (cursor_.Next() != Kind::kFieldName) return Fail("Anything-But expression name not found");
      const std::string op = cursor_.Text();
      if (op != "prefix") return Fail("Unsupported anything-but pattern: " + op);
      if (cursor_.Next() != Kind::kString) return Fail("prefix match pattern must be a string");
      out.kind = Condition::Kind::kAnythingButPrefix;
      out.text = cursor_.Text();
      if (out.text.empty()) return Fail("Null prefix not allowed");
      if (!ExpectObjectEnd("Only one key allowed in match expression")) return false;
      return ExpectObjectEnd("Only one key allowed in match expression");
    }
    if (kind != Kind::kStartArray && kind != Kind::kString && !IsNumber(kind)) {
      return Fail("Value of anything-but must be an array or single string/number value.");
    }
    const bool ok = kind == Kind::kStartArray ? AnythingButList(out) : AnythingButValue(*kind, out);
    if (!ok) return false;
    // Ruler's message here speaks of numeric expressions whatever the operand.
    return ExpectObjectEnd("Too many elements in numeric expression");
  }

  bool AnythingButList(Condition& out) {
    bool has_number = false;
    bool has_string = false;
    for (std::optional<Kind> kind = cursor_.Next(); kind && *kind != Kind::kEndArray;
         kind = cursor_.Next()) {
      if (*kind == Kind::kString) {
        out.strings.push_back(cursor_.Text());
        has_string = true;
      } else if (IsNumber(kind)) {
        const std::optional<int64_t> key = ComparableKey(cursor_.Number());
        if (!key) return Fail(NumberRangeMessage());
        out.keys.push_back(*key);
        has_number = true;
      } else {
        // Ruler catches its own error here and throws it again with its
        // message, so the location is appended twice.
        return FailLocatedTwice("Inside anything but list, start|null|boolean is not supported.");
      }
    }
    if (has_number == has_string) {
      return Fail(
          "Inside anything but list, either all values are number or string, mixed type is not "
          "supported");
    }
    out.kind =
        has_number ? Condition::Kind::kAnythingButNumbers : Condition::Kind::kAnythingButStrings;
    return true;
  }

  bool AnythingButValue(Kind kind, Condition& out) {
    if (kind == Kind::kString) {
      out.kind = Condition::Kind::kAnythingButStrings;
      out.strings.push_back(cursor_.Text());
      return true;
    }
    const std::optional<int64_t> key = ComparableKey(cursor_.Number());
    // Ruler does not catch this one: SNS reports it without a location.
    if (!key) return FailWithoutLocation(NumberRangeMessage());
    out.kind = Condition::Kind::kAnythingButNumbers;
    out.keys.push_back(*key);
    return true;
  }

  bool NumericExpression(Condition& out) {
    if (cursor_.Next() != Kind::kString) {
      return Fail("Invalid member in numeric match: " + cursor_.Text());
    }
    const std::string op = cursor_.Text();
    const std::optional<Kind> kind = cursor_.Next();
    if (op == "=") {
      if (!IsNumber(kind)) return Fail("Value of equals must be numeric");
      const double value = cursor_.Number();
      if (cursor_.Next() != Kind::kEndArray) return Fail("Too many elements in numeric expression");
      const std::optional<int64_t> key = ComparableKey(value);
      if (!key) return Fail(NumberRangeMessage());
      SetRange(out, *key, false, *key, false);
      return true;
    }
    if (op == ">=" || op == ">") {
      if (!IsNumber(kind)) return Fail("Value of " + op + " must be numeric");
      const double bottom = cursor_.Number();
      const std::optional<Kind> next = cursor_.Next();
      if (next == Kind::kEndArray) return MakeRange(out, bottom, op == ">", kNumberLimit, false);
      return CompleteRange(out, next, bottom, op == ">");
    }
    if (op == "<=" || op == "<") {
      if (!IsNumber(kind)) return Fail("Value of " + op + " must be numeric");
      const double top = cursor_.Number();
      if (cursor_.Next() != Kind::kEndArray) return Fail("Too many elements in numeric expression");
      return MakeRange(out, -kNumberLimit, false, top, op == "<");
    }
    return Fail("Unrecognized numeric range operator: " + op);
  }

  bool CompleteRange(Condition& out, std::optional<Kind> kind, double bottom, bool bottom_open) {
    if (kind != Kind::kString) return Fail("Bad value in numeric range: " + cursor_.Text());
    const std::string op = cursor_.Text();
    if (op != "<" && op != "<=") return Fail("Bad numeric range operator: " + op);
    if (!IsNumber(cursor_.Next())) return Fail("Value of " + op + " must be numeric");
    const double top = cursor_.Number();
    if (cursor_.Next() != Kind::kEndArray) {
      return Fail("Too many terms in numeric range expression");
    }
    return MakeRange(out, bottom, bottom_open, top, op == "<");
  }

  // Ruler's Range: checks the order first, then that both ends have keys.
  bool MakeRange(Condition& out, double bottom, bool bottom_open, double top, bool top_open) {
    if (bottom >= top) return Fail("Bottom must be less than top");
    const std::optional<int64_t> low = ComparableKey(bottom);
    const std::optional<int64_t> high = ComparableKey(top);
    if (!low || !high) return Fail(NumberRangeMessage());
    SetRange(out, *low, bottom_open, *high, top_open);
    return true;
  }

  static void SetRange(Condition& out, int64_t low, bool low_open, int64_t high, bool high_open) {
    out.kind = Condition::Kind::kNumericRange;
    out.low = low;
    out.low_open = low_open;
    out.high = high;
    out.high_open = high_open;
  }

  bool Exists(Condition& out) {
    const std::optional<Kind> kind = cursor_.Next();
    if (kind == Kind::kTrue) {
      out.kind = Condition::Kind::kExists;
    } else if (kind == Kind::kFalse) {
      out.kind = Condition::Kind::kAbsent;
    } else {
      return Fail("exists match pattern must be either true or false.");
    }
    return ExpectObjectEnd("Only one key allowed in match expression");
  }

  TokenCursor cursor_;
  bool build_;
  std::optional<RuleError> error_;
};

}  // namespace

std::optional<RuleError> CompileRules(const CompactJson& policy, std::vector<Rule>* rules) {
  std::vector<Rule> scratch;
  return Compiler(policy, rules != nullptr).Run(rules != nullptr ? *rules : scratch);
}

}  // namespace sqsim::sns::internal
