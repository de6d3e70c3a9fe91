#include "sim/policy.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/validation.h"

namespace sqsim::internal {

// nlohmann's ordered_json keeps members in document order, so a policy SQS
// builds reads "Version", "Id", "Statement" as AWS writes it. The library is
// header-only and private to this file: it never appears in sqsim's headers.
using Json = nlohmann::ordered_json;

namespace {

constexpr size_t kMaxPolicyBytes = 8192;
constexpr size_t kMaxStatements = 20;
constexpr size_t kMaxActionsPerStatement = 7;
constexpr size_t kMaxPrincipals = 50;
constexpr size_t kMaxConditions = 10;
constexpr size_t kMaxRedriveSources = 10;

// Parses without exceptions; nullopt for malformed text.
std::optional<Json> ParseJson(std::string_view text) {
  Json v = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (v.is_discarded()) return std::nullopt;
  return v;
}

std::string Serialize(const Json& v) {
  // Replace invalid UTF-8 rather than throw: input strings were parsed from
  // valid JSON or validated already, so this never changes a real document.
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status RedriveError(std::string_view json, std::string_view reason) {
  return Status(ErrorCode::kInvalidParameterValue, "Value " + std::string(json) +
                                                       " for parameter RedrivePolicy is invalid. "
                                                       "Reason: " +
                                                       std::string(reason));
}

Status AllowError(std::string_view json, std::string_view reason) {
  return Status(ErrorCode::kInvalidParameterValue,
                "Value " + std::string(json) +
                    " for parameter RedriveAllowPolicy is invalid. Reason: " + std::string(reason));
}

// The statements of a policy document as an array ("Statement" may be one
// object or an array of them).
Json StatementsOf(const Json& document) {
  auto it = document.find("Statement");
  if (it == document.end()) return Json::array();
  if (it->is_array()) return *it;
  return Json::array({*it});
}

bool HasSid(const Json& statement, std::string_view label) {
  if (!statement.is_object()) return false;
  auto sid = statement.find("Sid");
  return sid != statement.end() && sid->is_string() && sid->get_ref<const std::string&>() == label;
}

// Counts the principals a statement names: "*", a string, a list, or an
// object of such per principal type ({"AWS": [...]}).
size_t CountPrincipals(const Json& principal) {
  if (principal.is_string()) return 1;
  if (principal.is_array()) return principal.size();
  if (principal.is_object()) {
    size_t n = 0;
    for (const auto& [type, value] : principal.items()) n += CountPrincipals(value);
    return n;
  }
  return 0;
}

// Counts condition keys: {"StringEquals": {"aws:SourceArn": ..., ...}, ...}.
size_t CountConditions(const Json& condition) {
  if (!condition.is_object()) return 0;
  size_t n = 0;
  for (const auto& [op, keys] : condition.items()) n += keys.is_object() ? keys.size() : 1;
  return n;
}

}  // namespace

std::optional<QueueArn> ParseQueueArn(std::string_view arn) {
  // arn:partition:sqs:region:account:name, exactly six colon-separated parts.
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t colon = arn.find(':', start);
    parts.push_back(arn.substr(start, colon == std::string_view::npos ? arn.npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sqs" || parts[1].empty() ||
      parts[3].empty() || !IsValidAccountId(parts[4]) || !IsValidQueueName(parts[5])) {
    return std::nullopt;
  }
  return QueueArn{std::string(parts[1]), std::string(parts[3]), std::string(parts[4]),
                  std::string(parts[5])};
}

std::string FormatQueueArn(std::string_view region, std::string_view account,
                           std::string_view name) {
  std::string arn = "arn:aws:sqs:";
  arn += region;
  arn += ':';
  arn += account;
  arn += ':';
  arn += name;
  return arn;
}

Result<RedrivePolicy> ParseRedrivePolicy(std::string_view text) {
  std::optional<Json> v = ParseJson(text);
  if (!v || !v->is_object()) return RedriveError(text, "Invalid JSON.");
  for (const auto& [key, value] : v->items()) {
    if (key != "deadLetterTargetArn" && key != "maxReceiveCount") {
      return RedriveError(text,
                          "Only following attributes are supported: "
                          "[deadLetterTargetArn, maxReceiveCount].");
    }
  }
  auto target = v->find("deadLetterTargetArn");
  auto count = v->find("maxReceiveCount");
  if (target == v->end()) return RedriveError(text, "Missing deadLetterTargetArn.");
  if (count == v->end()) return RedriveError(text, "Missing maxReceiveCount.");
  if (!target->is_string() || !ParseQueueArn(target->get_ref<const std::string&>())) {
    return RedriveError(text, "Invalid deadLetterTargetArn.");
  }
  std::optional<int64_t> n;
  if (count->is_number_integer()) {
    n = count->is_number_unsigned() && count->get<uint64_t>() > 1000000 ? int64_t{1000001}
                                                                        : count->get<int64_t>();
  } else if (count->is_string()) {
    n = ParseInteger(count->get_ref<const std::string&>());
  }
  if (!n) return RedriveError(text, "Invalid value for maxReceiveCount.");
  if (*n < 1 || *n > 1000) {
    return RedriveError(text, "Invalid value for maxReceiveCount: " + std::to_string(*n) +
                                  ", valid values are from 1 to 1000 both inclusive.");
  }
  RedrivePolicy policy;
  policy.dead_letter_target_arn = target->get<std::string>();
  policy.max_receive_count = static_cast<int>(*n);
  Json rendered = Json::object();
  rendered["deadLetterTargetArn"] = policy.dead_letter_target_arn;
  rendered["maxReceiveCount"] = policy.max_receive_count;
  policy.rendered = Serialize(rendered);
  return policy;
}

bool RedriveAllowPolicy::Allows(std::string_view source_arn) const {
  switch (permission) {
    case Permission::kAllowAll:
      return true;
    case Permission::kDenyAll:
      return false;
    case Permission::kByQueue:
      return std::find(source_queue_arns.begin(), source_queue_arns.end(), source_arn) !=
             source_queue_arns.end();
  }
  return false;
}

Result<RedriveAllowPolicy> ParseRedriveAllowPolicy(std::string_view text) {
  std::optional<Json> v = ParseJson(text);
  if (!v || !v->is_object()) return AllowError(text, "Invalid JSON.");
  auto permission = v->find("redrivePermission");
  if (permission == v->end() || !permission->is_string()) {
    return AllowError(text, "Amazon SQS can't find the required redrivePermission parameter.");
  }
  RedriveAllowPolicy policy;
  const std::string p = permission->get<std::string>();
  if (p == "allowAll") {
    policy.permission = RedriveAllowPolicy::Permission::kAllowAll;
  } else if (p == "denyAll") {
    policy.permission = RedriveAllowPolicy::Permission::kDenyAll;
  } else if (p == "byQueue") {
    policy.permission = RedriveAllowPolicy::Permission::kByQueue;
  } else {
    return AllowError(text, "Invalid value for redrivePermission: " + p +
                                ". Valid values are allowAll, denyAll and byQueue.");
  }
  auto sources = v->find("sourceQueueArns");
  if (policy.permission != RedriveAllowPolicy::Permission::kByQueue) {
    if (sources != v->end()) {
      return AllowError(text, "sourceQueueArns is allowed only when redrivePermission is byQueue.");
    }
  } else {
    if (sources == v->end() || !sources->is_array() || sources->empty()) {
      return AllowError(text, "sourceQueueArns must list 1 to 10 queue ARNs for byQueue.");
    }
    if (sources->size() > kMaxRedriveSources) {
      return AllowError(text, "Maximum number of source queue ARNs is 10. Use allowAll instead.");
    }
    for (const Json& arn : *sources) {
      if (!arn.is_string() || !ParseQueueArn(arn.get_ref<const std::string&>())) {
        return AllowError(text, "Invalid source queue ARN.");
      }
      policy.source_queue_arns.push_back(arn.get<std::string>());
    }
  }
  Json rendered = Json::object();
  rendered["redrivePermission"] = p;
  if (!policy.source_queue_arns.empty()) rendered["sourceQueueArns"] = policy.source_queue_arns;
  policy.rendered = Serialize(rendered);
  return policy;
}

Status ValidatePolicyDocument(std::string_view text) {
  auto invalid = [](std::string_view reason) {
    return Status(ErrorCode::kInvalidAttributeValue,
                  "Invalid value for the parameter Policy. Reason: " + std::string(reason));
  };
  if (text.size() > kMaxPolicyBytes) return invalid("Policy exceeds 8192 bytes.");
  std::optional<Json> v = ParseJson(text);
  if (!v || !v->is_object()) return invalid("Policy is not a valid JSON object.");
  auto statement = v->find("Statement");
  if (statement == v->end()) return invalid("Policy has no Statement.");
  if (!statement->is_array() && !statement->is_object()) {
    return invalid("Statement must be an object or an array.");
  }
  const Json statements = StatementsOf(*v);
  if (statements.size() > kMaxStatements) return invalid("Policy has more than 20 statements.");
  size_t principals = 0;
  size_t conditions = 0;
  for (const Json& s : statements) {
    if (!s.is_object()) return invalid("Each Statement must be an object.");
    if (auto action = s.find("Action");
        action != s.end() && action->is_array() && action->size() > kMaxActionsPerStatement) {
      return invalid("A statement has more than 7 actions.");
    }
    if (auto principal = s.find("Principal"); principal != s.end()) {
      principals += CountPrincipals(*principal);
    }
    if (auto condition = s.find("Condition"); condition != s.end()) {
      conditions += CountConditions(*condition);
    }
  }
  if (principals > kMaxPrincipals) return invalid("Policy has more than 50 principals.");
  if (conditions > kMaxConditions) return invalid("Policy has more than 10 conditions.");
  return Status::Ok();
}

Result<std::string> AddPermissionStatement(const std::optional<std::string>& policy,
                                           std::string_view queue_arn, std::string_view label,
                                           const std::vector<std::string>& account_ids,
                                           const std::vector<std::string>& actions) {
  Json document = Json::object();
  if (policy) {
    std::optional<Json> v = ParseJson(*policy);
    // A stored Policy was validated when it was set, so it parses.
    SQSIM_ASSERT(v && v->is_object(), "stored Policy is not a JSON object");
    document = std::move(*v);
  } else {
    document["Version"] = "2008-10-17";
    document["Id"] = std::string(queue_arn) + "/SQSDefaultPolicy";
  }
  Json statements = StatementsOf(document);
  size_t principals = 0;
  for (const Json& s : statements) {
    if (HasSid(s, label)) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "Value " + std::string(label) +
                        " for parameter Label is invalid. Reason: Already exists.");
    }
    if (s.is_object() && s.contains("Principal")) principals += CountPrincipals(s["Principal"]);
  }
  if (statements.size() >= kMaxStatements) {
    return Status(ErrorCode::kOverLimit,
                  "Too many permissions: a queue policy holds at most 20 statements.");
  }
  if (actions.size() > kMaxActionsPerStatement) {
    return Status(ErrorCode::kOverLimit, "A statement may grant at most 7 actions.");
  }
  if (principals + account_ids.size() > kMaxPrincipals) {
    return Status(ErrorCode::kOverLimit,
                  "Too many permissions: a queue policy names at most 50 principals.");
  }
  Json statement = Json::object();
  statement["Sid"] = std::string(label);
  statement["Effect"] = "Allow";
  Json principal;
  if (account_ids.size() == 1) {
    principal = "arn:aws:iam::" + account_ids[0] + ":root";
  } else {
    principal = Json::array();
    for (const std::string& id : account_ids) principal.push_back("arn:aws:iam::" + id + ":root");
  }
  statement["Principal"] = Json::object({{"AWS", principal}});
  if (actions.size() == 1) {
    statement["Action"] = "SQS:" + actions[0];
  } else {
    Json list = Json::array();
    for (const std::string& a : actions) list.push_back("SQS:" + a);
    statement["Action"] = std::move(list);
  }
  statement["Resource"] = std::string(queue_arn);
  statements.push_back(std::move(statement));
  document["Statement"] = std::move(statements);
  return Serialize(document);
}

Result<std::optional<std::string>> RemovePermissionStatement(
    const std::optional<std::string>& policy, std::string_view label) {
  Status not_found(
      ErrorCode::kInvalidParameterValue,
      "Value " + std::string(label) + " for parameter Label is invalid. Reason: can't find label.");
  if (!policy) return not_found;
  std::optional<Json> v = ParseJson(*policy);
  SQSIM_ASSERT(v && v->is_object(), "stored Policy is not a JSON object");
  if (!v->contains("Statement")) return not_found;
  Json statements = StatementsOf(*v);
  Json kept = Json::array();
  for (Json& s : statements) {
    if (!HasSid(s, label)) kept.push_back(std::move(s));
  }
  if (kept.size() == statements.size()) return not_found;
  if (kept.empty()) return std::optional<std::string>();
  (*v)["Statement"] = std::move(kept);
  return std::optional<std::string>(Serialize(*v));
}

}  // namespace sqsim::internal
