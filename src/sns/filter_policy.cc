// ParseFilterPolicy: SNS's checks, in SNS's order, with SNS's messages.
//
// Order: size; JSON syntax; Ruler's structural and operator checks (first
// error in document order); the number of top-level keys; nesting in the
// MessageAttributes scope; the total combination of values. AWS's recorded
// answers fix the messages of the last three and show that Ruler's checks
// come before the nesting check ({"key": {"suffix": "value"}} in the
// attributes scope gets Ruler's answer). The relative order of the last three
// and Ruler's checks otherwise is not recorded; this order is localstack's.

#include "sqsim/sns/filter_policy.h"

#include <utility>

#include "sns/filter_rules.h"
#include "sns/policy_json.h"
#include "sns/policy_limits.h"
#include "sns/rule_compiler.h"

namespace sqsim::sns {

namespace {

using internal::CompactJson;
using internal::JsonNode;

// Java's exceptions quote at most this many characters of the source.
constexpr size_t kMaxSourceSnippet = 500;

// Jackson's location: `[Source: (String)"<text>"; line: 1, column: N]`, the
// text cut to 500 UTF-16 units and followed by `[truncated N chars]` when cut.
std::string Location(const CompactJson& policy, size_t column) {
  std::string snippet;
  size_t units = 0;
  size_t i = 0;
  while (i < policy.text.size() && units < kMaxSourceSnippet) {
    const auto lead = static_cast<unsigned char>(policy.text[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (length == 4 && units + 2 > kMaxSourceSnippet) {
      snippet += '?';  // Java would cut the surrogate pair; UTF-8 cannot carry half of one
      ++units;
      break;
    }
    snippet.append(policy.text, i, length);
    units += length == 4 ? 2 : 1;
    i += length;
  }
  std::string out = "[Source: (String)\"" + snippet + "\"";
  if (policy.utf16_length > units) {
    out += "[truncated " + std::to_string(policy.utf16_length - units) + " chars]";
  }
  return out + "; line: 1, column: " + std::to_string(column) + "]";
}

class ErrorWriter {
 public:
  explicit ErrorWriter(FilterPolicyCall call)
      : prefix_(call == FilterPolicyCall::kSubscribe ? "Invalid parameter: Attributes Reason: "
                                                     : "Invalid parameter: ") {}

  // "Invalid parameter: <detail>"
  Status Parameter(std::string_view detail) const {
    return Status(ErrorCode::kInvalidParameter, prefix_ + std::string(detail));
  }

  // "Invalid parameter: FilterPolicy: <detail>"
  Status FilterPolicy(std::string_view detail) const {
    return Parameter("FilterPolicy: " + std::string(detail));
  }

  Status Ruler(const internal::RuleError& error, const CompactJson& policy) const {
    std::string detail = error.message;
    if (error.column) {
      const std::string location = "\n at " + Location(policy, *error.column);
      detail += location;
      if (error.location_twice) detail += location;
    }
    return FilterPolicy(detail);
  }

  // Recorded without the "FilterPolicy: " part.
  Status NestedInAttributesScope() const {
    return Parameter("Filter policy scope MessageAttributes does not support nested filter policy");
  }

 private:
  std::string prefix_;
};

std::shared_ptr<internal::CompiledPolicy> NewPolicy(std::string_view json,
                                                    FilterPolicyScope scope) {
  auto compiled = std::make_shared<internal::CompiledPolicy>();
  compiled->scope = scope;
  compiled->json = std::string(json);
  return compiled;
}

}  // namespace

std::string_view FilterPolicyScopeName(FilterPolicyScope scope) {
  return scope == FilterPolicyScope::kMessageBody ? "MessageBody" : "MessageAttributes";
}

Result<FilterPolicyScope> ParseFilterPolicyScope(std::string_view name, FilterPolicyCall call) {
  if (name == "MessageAttributes") return FilterPolicyScope::kMessageAttributes;
  if (name == "MessageBody") return FilterPolicyScope::kMessageBody;
  return ErrorWriter(call).Parameter("FilterPolicyScope: Invalid value [" + std::string(name) +
                                     "]. Please use either MessageBody or MessageAttributes");
}

FilterPolicy::FilterPolicy(std::shared_ptr<const internal::CompiledPolicy> compiled)
    : compiled_(std::move(compiled)) {
  SQSIM_ASSERT(compiled_ != nullptr, "FilterPolicy needs a compiled policy");
}

FilterPolicyScope FilterPolicy::scope() const { return compiled_->scope; }
const std::string& FilterPolicy::json() const { return compiled_->json; }
bool FilterPolicy::matches_everything() const { return compiled_->rules.empty(); }

Result<FilterPolicy> ParseFilterPolicy(std::string_view json, FilterPolicyScope scope,
                                       FilterPolicyCall call) {
  const ErrorWriter errors(call);
  // Not recorded: the documented limit, worded like SNS's other limits.
  if (json.size() > kMaxFilterPolicyBytes) {
    return errors.FilterPolicy("Filter policy can not be larger than 256 KB");
  }
  internal::JsonParseFailure failure;
  const std::optional<JsonNode> root = internal::ParsePolicyJson(json, failure);
  if (!root) {
    // Not recorded: SNS passes on its JSON parser's message, which sqsim does
    // not reproduce.
    if (failure.too_deep) {
      return errors.FilterPolicy("Filter policy is nested more than " +
                                 std::to_string(internal::kMaxPolicyNestingDepth) + " levels deep");
    }
    return errors.FilterPolicy("Filter policy is not valid JSON (error near byte " +
                               std::to_string(failure.byte_offset) + ")");
  }
  std::shared_ptr<internal::CompiledPolicy> compiled = NewPolicy(json, scope);
  // "{}" is how SNS documents removing filtering: valid, and matches everything.
  if (root->type == JsonNode::Type::kObject && root->keys.empty()) {
    return FilterPolicy(std::move(compiled));
  }
  const CompactJson compact = internal::WriteCompact(*root);
  if (std::optional<internal::RuleError> error = internal::CompileRules(compact, nullptr)) {
    return errors.Ruler(*error, compact);
  }
  if (internal::TopLevelKeyCount(*root) > kMaxFilterPolicyKeys) {
    return errors.FilterPolicy("Filter policy can not have more than 5 keys");
  }
  if (scope == FilterPolicyScope::kMessageAttributes && internal::HasNestedKey(*root)) {
    return errors.NestedInAttributesScope();
  }
  if (internal::Combinations(*root) > kMaxFilterPolicyCombinations) {
    return errors.FilterPolicy("Filter policy is too complex");
  }
  const std::optional<internal::RuleError> error =
      internal::CompileRules(compact, &compiled->rules);
  SQSIM_ASSERT(!error, "a policy that validated must compile");
  return FilterPolicy(std::move(compiled));
}

}  // namespace sqsim::sns
