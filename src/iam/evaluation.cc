// Explain: AWS's policy evaluation logic over identity policies and a queue
// policy. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

#include <algorithm>
#include <array>
#include <utility>

#include "iam/conditions.h"
#include "iam/wildcard.h"
#include "sqsim/iam.h"

namespace sqsim::iam {

namespace {

using internal::ArnMatch;
using internal::AsciiLower;
using internal::WildcardMatch;

// The fifth colon-separated field of an ARN (the account), or "".
std::string ArnAccount(std::string_view arn) {
  size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return "";
    start = colon + 1;
  }
  size_t end = arn.find(':', start);
  if (end == std::string_view::npos) return "";
  return std::string(arn.substr(start, end - start));
}

bool IsAccountId(std::string_view s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRootArn(std::string_view arn) {
  return arn.starts_with("arn:") && arn.ends_with(":root") &&
         arn.find(":iam::") != std::string_view::npos && IsAccountId(ArnAccount(arn));
}

// How a queue-policy statement's principals cover the caller: not at all, by
// naming it (or "*"), or by naming its account, which delegates the decision
// to the account's identity policies.
enum class PrincipalMatch { kNone, kDirect, kAccount };

PrincipalMatch MatchEntry(const PrincipalEntry& entry, const Principal& caller) {
  if (entry.type == "AWS") {
    // "*" is everyone, AWS services included, as in {"Principal": "*"}.
    if (entry.value == "*") return PrincipalMatch::kDirect;
    if (caller.is_service()) return PrincipalMatch::kNone;
    std::string account = caller.account();
    if (IsAccountId(entry.value) || IsRootArn(entry.value)) {
      std::string named = IsAccountId(entry.value) ? entry.value : ArnAccount(entry.value);
      return !account.empty() && named == account ? PrincipalMatch::kAccount
                                                  : PrincipalMatch::kNone;
    }
    // A role's ARN also names every session of the role (the IAM user
    // guide's "role session principals").
    const bool named = !caller.arn.empty() &&
                       (entry.value == caller.arn || entry.value == RoleOfSession(caller.arn));
    return named ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
  }
  if (entry.type == "Service") {
    return caller.is_service() && entry.value == caller.service ? PrincipalMatch::kDirect
                                                                : PrincipalMatch::kNone;
  }
  return PrincipalMatch::kNone;  // Federated, CanonicalUser: never an SQS caller here
}

PrincipalMatch MatchPrincipals(const Statement& statement, const Principal& caller) {
  PrincipalMatch best = PrincipalMatch::kNone;
  for (const PrincipalEntry& entry : statement.principals) {
    PrincipalMatch match = MatchEntry(entry, caller);
    if (match == PrincipalMatch::kDirect) {
      best = match;
      break;
    }
    if (match == PrincipalMatch::kAccount) best = match;
  }
  if (!statement.not_principal) return best;
  // NotPrincipal applies to everyone it does not name.
  return best == PrincipalMatch::kNone ? PrincipalMatch::kDirect : PrincipalMatch::kNone;
}

bool MatchActions(const Statement& statement, std::string_view iam_action) {
  const std::string action = AsciiLower(iam_action);
  bool any =
      std::any_of(statement.actions.begin(), statement.actions.end(),
                  [&](const std::string& p) { return WildcardMatch(AsciiLower(p), action); });
  return any != statement.not_action;
}

bool MatchResources(const Statement& statement, std::string_view resource) {
  if (!statement.has_resource) return true;
  bool any = std::any_of(statement.resources.begin(), statement.resources.end(),
                         [&](const std::string& p) { return ArnMatch(p, resource); });
  return any != statement.not_resource;
}

bool MatchConditions(const Statement& statement, const Request& request) {
  return std::all_of(statement.conditions.begin(), statement.conditions.end(),
                     [&](const Condition& c) { return internal::ConditionHolds(c, request); });
}

// Everything but the principal: action, resource and conditions.
bool Applies(const Statement& statement, const Request& request, std::string_view iam_action) {
  return MatchActions(statement, iam_action) && MatchResources(statement, request.resource_arn) &&
         MatchConditions(statement, request);
}

// The action as an AccessDenied message names it: SQS writes its own in lower
// case ("... is not authorized to perform: sqs:receivemessage on resource:
// ... because no identity-based policy allows the sqs:receivemessage
// action"); other services (KMS) keep the action's spelling.
std::string MessageAction(std::string_view action) {
  std::string authorized = AuthorizationAction(action);
  return authorized.starts_with("sqs:") ? AsciiLower(authorized) : authorized;
}

std::string Denied(const Request& request, std::string_view why) {
  const Principal& p = request.principal;
  const std::string action = MessageAction(request.action);
  return "User: " + (p.is_service() ? p.service : p.arn) +
         " is not authorized to perform: " + action + " on resource: " + request.resource_arn +
         " " + std::string(why);
}

}  // namespace

std::string Principal::account() const {
  if (is_service()) return "";
  return ArnAccount(arn);
}

bool Principal::is_root() const { return !is_service() && IsRootArn(arn); }

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kAllowed:
      return "Allowed";
    case Decision::kExplicitDeny:
      return "ExplicitDeny";
    case Decision::kImplicitDeny:
      return "ImplicitDeny";
  }
  return "ImplicitDeny";
}

std::optional<std::string> RoleOfSession(std::string_view arn) {
  // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION -> arn:aws:iam::ACCOUNT:role/ROLE
  constexpr std::string_view kMarker = ":assumed-role/";
  const size_t marker = arn.find(kMarker);
  if (!arn.starts_with("arn:") || marker == std::string_view::npos) return std::nullopt;
  const std::string_view head = arn.substr(0, marker);  // arn:PARTITION:sts::ACCOUNT
  const size_t sts = head.find(":sts::");
  if (sts == std::string_view::npos) return std::nullopt;
  const std::string_view rest = arn.substr(marker + kMarker.size());  // ROLE/SESSION
  const size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == rest.size()) {
    return std::nullopt;
  }
  return std::string(head.substr(0, sts)) + ":iam::" + std::string(head.substr(sts + 6)) +
         ":role/" + std::string(rest.substr(0, slash));
}

std::string AuthorizationAction(std::string_view action) {
  // Another service's action (kms:Decrypt for an SSE-KMS queue) stays as it is.
  if (const size_t colon = action.find(':');
      colon != std::string_view::npos && AsciiLower(action.substr(0, colon)) != "sqs") {
    return std::string(action);
  }
  if (action.size() >= 4 && AsciiLower(action.substr(0, 4)) == "sqs:") action.remove_prefix(4);
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kBatch = {{
      {"sendmessagebatch", "SendMessage"},
      {"deletemessagebatch", "DeleteMessage"},
      {"changemessagevisibilitybatch", "ChangeMessageVisibility"},
  }};
  const std::string lower = AsciiLower(action);
  for (const auto& [batch, base] : kBatch) {
    if (lower == batch) return "sqs:" + std::string(base);
  }
  return "sqs:" + std::string(action);
}

Explanation Explain(const Request& request, std::span<const NamedPolicy> identity_policies,
                    const PolicyDocument* resource_policy) {
  Explanation out;
  out.action = AuthorizationAction(request.action);
  const Principal& caller = request.principal;

  bool identity_allow = false;
  bool identity_deny = false;
  if (!caller.is_service()) {
    for (const NamedPolicy& policy : identity_policies) {
      SQSIM_ASSERT(policy.document.kind == PolicyKind::kIdentity,
                   "Explain: an identity policy was parsed as a resource policy");
      for (size_t i = 0; i < policy.document.statements.size(); ++i) {
        const Statement& statement = policy.document.statements[i];
        if (!Applies(statement, request, out.action)) continue;
        StatementRef ref{.policy = "identity:" + policy.name, .sid = statement.sid, .index = i};
        (statement.allow ? out.allowing : out.denying).push_back(std::move(ref));
        (statement.allow ? identity_allow : identity_deny) = true;
      }
    }
  }

  bool resource_direct = false;   // a queue statement names the caller (or "*")
  bool resource_account = false;  // a queue statement names the caller's account
  if (resource_policy != nullptr) {
    SQSIM_ASSERT(resource_policy->kind == PolicyKind::kResource,
                 "Explain: the queue policy was parsed as an identity policy");
    for (size_t i = 0; i < resource_policy->statements.size(); ++i) {
      const Statement& statement = resource_policy->statements[i];
      PrincipalMatch match = MatchPrincipals(statement, caller);
      if (match == PrincipalMatch::kNone || !Applies(statement, request, out.action)) continue;
      StatementRef ref{.policy = "resource", .sid = statement.sid, .index = i};
      if (!statement.allow) {
        out.denying.push_back(std::move(ref));
        continue;
      }
      out.allowing.push_back(std::move(ref));
      (match == PrincipalMatch::kDirect ? resource_direct : resource_account) = true;
    }
  }

  if (!out.denying.empty()) {
    out.decision = Decision::kExplicitDeny;
    out.message =
        Denied(request, identity_deny ? "with an explicit deny in an identity-based policy"
                                      : "with an explicit deny in a resource-based policy");
    return out;
  }
  const std::string message_action = MessageAction(out.action);
  const std::string no_identity =
      "because no identity-based policy allows the " + message_action + " action";
  const std::string no_resource =
      "because no resource-based policy allows the " + message_action + " action";
  if (caller.is_service()) {
    // Services have no identity policies: the queue policy decides alone.
    out.decision = resource_direct ? Decision::kAllowed : Decision::kImplicitDeny;
    if (!resource_direct) out.message = Denied(request, no_resource);
    return out;
  }
  // The root user holds every permission of its own account without a policy.
  const bool identity_ok = identity_allow || caller.is_root();
  const std::string account = caller.account();
  // "*" is the resource of an action on no particular queue (ListQueues):
  // the caller's own account answers it.
  const bool same_account = !account.empty() && (request.resource_arn == "*" ||
                                                 account == ArnAccount(request.resource_arn));
  if (same_account) {
    // Either side suffices; a statement naming the account only defers to
    // the identity policies.
    out.decision = identity_ok || resource_direct ? Decision::kAllowed : Decision::kImplicitDeny;
    if (!out.allowed()) out.message = Denied(request, no_identity);
    return out;
  }
  // Across accounts the queue's account must trust the caller and the
  // caller's account must allow the request.
  const bool resource_ok = resource_direct || resource_account;
  out.decision = identity_ok && resource_ok ? Decision::kAllowed : Decision::kImplicitDeny;
  if (!resource_ok) {
    out.message = Denied(request, no_resource);
  } else if (!identity_ok) {
    out.message = Denied(request, no_identity);
  }
  return out;
}

}  // namespace sqsim::iam
