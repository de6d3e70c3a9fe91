// ParsePolicy: a policy document's JSON into statements.
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html

#include <algorithm>

#include <nlohmann/json.hpp>

#include "iam/conditions.h"
#include "sqsim/iam.h"

namespace sqsim::iam {

namespace {

// ordered_json keeps members in document order, so conditions (and therefore
// anything reported about them) come out in the order the policy wrote them.
using Json = nlohmann::ordered_json;

Status Invalid(std::string_view reason) {
  return Status(ErrorCode::kInvalidAttributeValue,
                "Invalid value for the parameter Policy. Reason: " + std::string(reason));
}

// A string or a non-empty array of strings, as a list; nullopt otherwise.
std::optional<std::vector<std::string>> StringList(const Json& value) {
  if (value.is_string()) return std::vector<std::string>{value.get<std::string>()};
  if (!value.is_array() || value.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const Json& item : value) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

// A condition value: IAM accepts JSON strings, numbers and booleans and
// compares them as text.
std::optional<std::string> ConditionValue(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number()) return value.dump();
  return std::nullopt;
}

std::optional<std::string> ParsePrincipal(const Json& value, Statement& statement) {
  if (value.is_string()) {
    if (value.get<std::string>() != "*") return "Principal must be \"*\" or an object.";
    statement.principals.push_back({.type = "AWS", .value = "*"});
    return std::nullopt;
  }
  if (!value.is_object() || value.empty()) return "Principal must be \"*\" or an object.";
  for (const auto& [type, names] : value.items()) {
    auto list = StringList(names);
    if (!list) return "Principal " + type + " must be a string or a list of strings.";
    for (std::string& name : *list) {
      statement.principals.push_back({.type = type, .value = std::move(name)});
    }
  }
  return std::nullopt;
}

std::optional<std::string> ParseConditions(const Json& value, Statement& statement) {
  if (!value.is_object()) return "Condition must be an object.";
  for (const auto& [op, keys] : value.items()) {
    if (!keys.is_object() || keys.empty()) return "Condition " + op + " must be an object of keys.";
    for (const auto& [key, values] : keys.items()) {
      Condition condition{.op = op, .key = key};
      std::vector<Json> items =
          values.is_array() ? values.get<std::vector<Json>>() : std::vector<Json>{values};
      for (const Json& item : items) {
        auto text = ConditionValue(item);
        if (!text) return "Condition " + key + " has a value that is not a string.";
        condition.values.push_back(std::move(*text));
      }
      if (auto reason = internal::CheckCondition(condition)) return reason;
      statement.conditions.push_back(std::move(condition));
    }
  }
  return std::nullopt;
}

// Reads one of a pair of mutually exclusive list elements (Action/NotAction,
// Resource/NotResource) into `list`; `negated` tells which one was given.
std::optional<std::string> ParsePair(const Json& object, const std::string& name,
                                     std::vector<std::string>& list, bool& negated, bool& present) {
  const std::string not_name = "Not" + name;
  auto plain = object.find(name);
  auto inverse = object.find(not_name);
  if (plain != object.end() && inverse != object.end()) {
    return "Statement has both " + name + " and " + not_name + ".";
  }
  present = plain != object.end() || inverse != object.end();
  if (!present) return std::nullopt;
  negated = inverse != object.end();
  auto values = StringList(negated ? *inverse : *plain);
  if (!values) return (negated ? not_name : name) + " must be a string or a list of strings.";
  list = std::move(*values);
  return std::nullopt;
}

std::optional<std::string> ParseStatement(const Json& object, PolicyKind kind,
                                          Statement& statement) {
  if (!object.is_object()) return "Statement must be an object.";
  for (const auto& [name, value] : object.items()) {
    static constexpr std::string_view kKnown[] = {"Sid",       "Effect",       "Action",
                                                  "NotAction", "Resource",     "NotResource",
                                                  "Principal", "NotPrincipal", "Condition"};
    if (std::find(std::begin(kKnown), std::end(kKnown), name) == std::end(kKnown)) {
      return "Unknown statement element " + name + ".";
    }
  }
  if (auto sid = object.find("Sid"); sid != object.end()) {
    if (!sid->is_string()) return "Sid must be a string.";
    statement.sid = sid->get<std::string>();
  }
  auto effect = object.find("Effect");
  if (effect == object.end() || !effect->is_string() || (*effect != "Allow" && *effect != "Deny")) {
    return "Effect must be \"Allow\" or \"Deny\".";
  }
  statement.allow = *effect == "Allow";

  bool has_action = false;
  if (auto reason =
          ParsePair(object, "Action", statement.actions, statement.not_action, has_action)) {
    return reason;
  }
  if (!has_action) return "Statement has neither Action nor NotAction.";
  for (const std::string& action : statement.actions) {
    if (action != "*" && action.find(':') == std::string::npos) {
      return "Action " + action + " is not of the form service:action.";
    }
  }
  if (auto reason = ParsePair(object, "Resource", statement.resources, statement.not_resource,
                              statement.has_resource)) {
    return reason;
  }

  auto principal = object.find("Principal");
  auto not_principal = object.find("NotPrincipal");
  bool has_principal = principal != object.end() || not_principal != object.end();
  if (kind == PolicyKind::kIdentity && has_principal) {
    return "Identity policies must not specify a Principal.";
  }
  if (kind == PolicyKind::kResource) {
    if (principal != object.end() && not_principal != object.end()) {
      return "Statement has both Principal and NotPrincipal.";
    }
    if (!has_principal) return "Statement has neither Principal nor NotPrincipal.";
    statement.not_principal = not_principal != object.end();
    if (auto reason =
            ParsePrincipal(statement.not_principal ? *not_principal : *principal, statement)) {
      return reason;
    }
  }
  if (auto condition = object.find("Condition"); condition != object.end()) {
    return ParseConditions(*condition, statement);
  }
  return std::nullopt;
}

}  // namespace

Result<PolicyDocument> ParsePolicy(std::string_view json, PolicyKind kind) {
  Json root = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Invalid("Policy is not a valid JSON object.");
  }
  PolicyDocument document;
  document.kind = kind;
  for (const auto& [name, value] : root.items()) {
    if (name != "Version" && name != "Id" && name != "Statement") {
      return Invalid("Unknown policy element " + name + ".");
    }
  }
  if (auto version = root.find("Version"); version != root.end()) {
    // The two versions of the policy language; 2012-10-17 added policy
    // variables, which sqsim does not expand.
    if (!version->is_string() || (*version != "2012-10-17" && *version != "2008-10-17")) {
      return Invalid("Version must be \"2012-10-17\" or \"2008-10-17\".");
    }
    document.version = version->get<std::string>();
  }
  if (auto id = root.find("Id"); id != root.end()) {
    if (!id->is_string()) return Invalid("Id must be a string.");
    document.id = id->get<std::string>();
  }
  auto statements = root.find("Statement");
  if (statements == root.end()) return Invalid("Policy has no Statement.");
  std::vector<Json> list = statements->is_array() ? statements->get<std::vector<Json>>()
                                                  : std::vector<Json>{*statements};
  if (list.empty()) return Invalid("Policy has no Statement.");
  for (const Json& object : list) {
    Statement statement;
    if (auto reason = ParseStatement(object, kind, statement)) return Invalid(*reason);
    document.statements.push_back(std::move(statement));
  }
  return document;
}

}  // namespace sqsim::iam
