#include "sim/policy.h"

// Boost.JSON compiled into this one translation unit (header-only mode), so
// sqsim::core needs no Boost library to link. A program that also compiles
// boost/json/src.hpp itself should link Boost.JSON's library instead.
#include <boost/json/src.hpp>

#include <algorithm>

#include "sim/validation.h"

namespace sqsim::internal {
namespace json = boost::json;

namespace {

constexpr size_t kMaxPolicyBytes = 8192;
constexpr size_t kMaxStatements = 20;
constexpr size_t kMaxActionsPerStatement = 7;
constexpr size_t kMaxRedriveSources = 10;

std::optional<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return std::nullopt;
  return v;
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

std::string_view View(const json::string& s) { return std::string_view(s.data(), s.size()); }

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
  std::optional<json::value> v = ParseJson(text);
  if (!v || !v->is_object()) return RedriveError(text, "Invalid JSON.");
  const json::object& o = v->as_object();
  for (const auto& [key, value] : o) {
    if (key != "deadLetterTargetArn" && key != "maxReceiveCount") {
      return RedriveError(text,
                          "Only following attributes are supported: "
                          "[deadLetterTargetArn, maxReceiveCount].");
    }
  }
  const json::value* target = o.if_contains("deadLetterTargetArn");
  const json::value* count = o.if_contains("maxReceiveCount");
  if (target == nullptr) return RedriveError(text, "Missing deadLetterTargetArn.");
  if (count == nullptr) return RedriveError(text, "Missing maxReceiveCount.");
  if (!target->is_string() || !ParseQueueArn(View(target->as_string()))) {
    return RedriveError(text, "Invalid deadLetterTargetArn.");
  }
  std::optional<int64_t> n;
  if (count->is_int64()) {
    n = count->as_int64();
  } else if (count->is_uint64()) {
    n = count->as_uint64() > 1000000 ? 1000001 : static_cast<int64_t>(count->as_uint64());
  } else if (count->is_string()) {
    n = ParseInteger(View(count->as_string()));
  }
  if (!n) return RedriveError(text, "Invalid value for maxReceiveCount.");
  if (*n < 1 || *n > 1000) {
    return RedriveError(text, "Invalid value for maxReceiveCount: " + std::to_string(*n) +
                                  ", valid values are from 1 to 1000 both inclusive.");
  }
  RedrivePolicy policy;
  policy.dead_letter_target_arn = std::string(View(target->as_string()));
  policy.max_receive_count = static_cast<int>(*n);
  json::object rendered;
  rendered["deadLetterTargetArn"] = policy.dead_letter_target_arn;
  rendered["maxReceiveCount"] = policy.max_receive_count;
  policy.rendered = json::serialize(rendered);
  return policy;
}

bool RedriveAllowPolicy::Allows(std::string_view source_arn) const {
  switch (permission) {
    case Permission::kAllowAll:
      return true;
    case Permission::kDenyAll:
      return false;
    case Permission::kByQueue:
      for (const std::string& arn : source_queue_arns) {
        if (arn == source_arn) return true;
      }
      return false;
  }
  return false;
}

Result<RedriveAllowPolicy> ParseRedriveAllowPolicy(std::string_view text) {
  std::optional<json::value> v = ParseJson(text);
  if (!v || !v->is_object()) return AllowError(text, "Invalid JSON.");
  const json::object& o = v->as_object();
  const json::value* permission = o.if_contains("redrivePermission");
  if (permission == nullptr || !permission->is_string()) {
    return AllowError(text, "Amazon SQS can't find the required redrivePermission parameter.");
  }
  RedriveAllowPolicy policy;
  const std::string_view p = View(permission->as_string());
  if (p == "allowAll") {
    policy.permission = RedriveAllowPolicy::Permission::kAllowAll;
  } else if (p == "denyAll") {
    policy.permission = RedriveAllowPolicy::Permission::kDenyAll;
  } else if (p == "byQueue") {
    policy.permission = RedriveAllowPolicy::Permission::kByQueue;
  } else {
    return AllowError(text, "Invalid value for redrivePermission: " + std::string(p) +
                                ". Valid values are allowAll, denyAll and byQueue.");
  }
  const json::value* sources = o.if_contains("sourceQueueArns");
  if (policy.permission != RedriveAllowPolicy::Permission::kByQueue) {
    if (sources != nullptr) {
      return AllowError(text, "sourceQueueArns is allowed only when redrivePermission is byQueue.");
    }
  } else {
    if (sources == nullptr || !sources->is_array() || sources->as_array().empty()) {
      return AllowError(text, "sourceQueueArns must list 1 to 10 queue ARNs for byQueue.");
    }
    if (sources->as_array().size() > kMaxRedriveSources) {
      return AllowError(text, "Maximum number of source queue ARNs is 10. Use allowAll instead.");
    }
    for (const json::value& arn : sources->as_array()) {
      if (!arn.is_string() || !ParseQueueArn(View(arn.as_string()))) {
        return AllowError(text, "Invalid source queue ARN.");
      }
      policy.source_queue_arns.emplace_back(View(arn.as_string()));
    }
  }
  json::object rendered;
  rendered["redrivePermission"] = json::string(p.data(), p.size());
  if (!policy.source_queue_arns.empty()) {
    json::array arns;
    for (const std::string& arn : policy.source_queue_arns) arns.emplace_back(arn);
    rendered["sourceQueueArns"] = std::move(arns);
  }
  policy.rendered = json::serialize(rendered);
  return policy;
}

Status ValidatePolicyDocument(std::string_view text) {
  auto invalid = [](std::string_view reason) {
    return Status(ErrorCode::kInvalidAttributeValue,
                  "Invalid value for the parameter Policy. Reason: " + std::string(reason));
  };
  if (text.size() > kMaxPolicyBytes) return invalid("Policy exceeds 8192 bytes.");
  std::optional<json::value> v = ParseJson(text);
  if (!v || !v->is_object()) return invalid("Policy is not a valid JSON object.");
  const json::value* statement = v->as_object().if_contains("Statement");
  if (statement == nullptr) return invalid("Policy has no Statement.");
  if (statement->is_array()) {
    if (statement->as_array().size() > kMaxStatements) {
      return invalid("Policy has more than 20 statements.");
    }
    for (const json::value& s : statement->as_array()) {
      if (!s.is_object()) return invalid("Each Statement must be an object.");
    }
  } else if (!statement->is_object()) {
    return invalid("Statement must be an object or an array.");
  }
  return Status::Ok();
}

Result<std::string> AddPermissionStatement(const std::optional<std::string>& policy,
                                           std::string_view queue_arn, std::string_view label,
                                           const std::vector<std::string>& account_ids,
                                           const std::vector<std::string>& actions) {
  json::object document;
  if (policy) {
    std::optional<json::value> v = ParseJson(*policy);
    // A stored Policy was validated when it was set, so it parses.
    SQSIM_ASSERT(v && v->is_object(), "stored Policy is not a JSON object");
    document = std::move(v->as_object());
  } else {
    document["Version"] = "2008-10-17";
    document["Id"] = std::string(queue_arn) + "/SQSDefaultPolicy";
  }
  json::array statements;
  if (json::value* existing = document.if_contains("Statement")) {
    if (existing->is_array()) {
      statements = std::move(existing->as_array());
    } else {
      statements.push_back(std::move(*existing));
    }
  }
  for (const json::value& s : statements) {
    const json::value* sid = s.is_object() ? s.as_object().if_contains("Sid") : nullptr;
    if (sid != nullptr && sid->is_string() && View(sid->as_string()) == label) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "Value " + std::string(label) +
                        " for parameter Label is invalid. Reason: Already exists.");
    }
  }
  if (statements.size() >= kMaxStatements) {
    return Status(ErrorCode::kOverLimit,
                  "Too many permissions: a queue policy holds at most 20 statements.");
  }
  if (actions.size() > kMaxActionsPerStatement) {
    return Status(ErrorCode::kOverLimit, "A statement may grant at most 7 actions.");
  }
  json::object statement;
  statement["Sid"] = json::string(label.data(), label.size());
  statement["Effect"] = "Allow";
  json::value principal;
  if (account_ids.size() == 1) {
    principal = "arn:aws:iam::" + account_ids[0] + ":root";
  } else {
    json::array principals;
    for (const std::string& id : account_ids)
      principals.emplace_back("arn:aws:iam::" + id + ":root");
    principal = std::move(principals);
  }
  statement["Principal"] = json::object{{"AWS", principal}};
  if (actions.size() == 1) {
    statement["Action"] = "SQS:" + actions[0];
  } else {
    json::array list;
    for (const std::string& a : actions) list.emplace_back("SQS:" + a);
    statement["Action"] = std::move(list);
  }
  statement["Resource"] = json::string(queue_arn.data(), queue_arn.size());
  statements.push_back(std::move(statement));
  document["Statement"] = std::move(statements);
  return json::serialize(document);
}

Result<std::optional<std::string>> RemovePermissionStatement(
    const std::optional<std::string>& policy, std::string_view label) {
  auto not_found = Status(
      ErrorCode::kInvalidParameterValue,
      "Value " + std::string(label) + " for parameter Label is invalid. Reason: can't find label.");
  if (!policy) return not_found;
  std::optional<json::value> v = ParseJson(*policy);
  SQSIM_ASSERT(v && v->is_object(), "stored Policy is not a JSON object");
  json::object& document = v->as_object();
  json::value* existing = document.if_contains("Statement");
  if (existing == nullptr) return not_found;
  json::array statements;
  if (existing->is_array()) {
    statements = std::move(existing->as_array());
  } else {
    statements.push_back(std::move(*existing));
  }
  const size_t before = statements.size();
  statements.erase(std::remove_if(statements.begin(), statements.end(),
                                  [&](const json::value& s) {
                                    const json::value* sid =
                                        s.is_object() ? s.as_object().if_contains("Sid") : nullptr;
                                    return sid != nullptr && sid->is_string() &&
                                           View(sid->as_string()) == label;
                                  }),
                   statements.end());
  if (statements.size() == before) return not_found;
  if (statements.empty()) return std::optional<std::string>();
  document["Statement"] = std::move(statements);
  return std::optional<std::string>(json::serialize(document));
}

}  // namespace sqsim::internal
