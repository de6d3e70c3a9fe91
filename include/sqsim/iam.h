// IAM policy evaluation for SQS requests: parsing policy documents and
// answering "may principal P perform action A on queue Q under context C?"
// the way the IAM policy simulator does, with the decision and the
// statements that decided it.
//
// The evaluation follows AWS's documented logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
//   1. An explicit Deny in any applicable statement (identity or resource
//      policy) wins.
//   2. Within one account, an Allow in an identity policy or in the queue
//      (resource) policy suffices.
//   3. Across accounts (the caller's account is not the queue's), the queue
//      policy must allow the caller and the caller's identity policies must
//      allow the request
//      (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
//   4. A queue policy that names an account (`"123456789012"` or
//      `arn:aws:iam::123456789012:root`) delegates to that account: it matches
//      every principal of the account, who still needs an identity Allow.
//   5. A service principal (`sns.amazonaws.com`) has no identity policies: the
//      queue policy alone authorises it.
//   6. The account root user (`arn:aws:iam::ACCOUNT:root` as the caller) is
//      allowed by its identity without any identity policy; queue policies
//      still apply to it (their Deny wins, and across accounts one must allow).
//   Anything not allowed is implicitly denied.
//
// Only identity policies and the queue policy are modelled: no SCPs, RCPs,
// permissions boundaries or session policies.
//
// Everything here is a pure function of its arguments; containers are ordered,
// so results (including the order of statements in an Explanation) are
// deterministic.
//
// Thread safety: plain values and pure functions.

#ifndef SQSIM_IAM_H_
#define SQSIM_IAM_H_

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::iam {

// Who makes a request: an IAM identity (by ARN) or an AWS service.
struct Principal {
  // arn:aws:iam::123456789012:role/enrollment, ...:user/alice, ...:root, or an
  // STS session arn:aws:sts::123456789012:assumed-role/role/session. Empty for
  // a service principal.
  std::string arn = {};
  // The service's principal name, e.g. "sns.amazonaws.com", when the caller is
  // a service; empty otherwise.
  std::string service = {};

  // The 12-digit account of `arn` (its fifth colon-separated field); empty for
  // a service principal or an ARN without an account.
  std::string account() const;
  // True when `arn` is an account's root user (arn:<partition>:iam::<acct>:root).
  bool is_root() const;
  // True when the caller is a service principal.
  bool is_service() const { return !service.empty(); }
};

// The request context: the values of the global condition keys. A key whose
// optional is empty is absent from the context (which matters to `Null`,
// `...IfExists` and the negated operators).
struct RequestContext {
  std::optional<std::string> source_arn = std::nullopt;      // aws:SourceArn
  std::optional<std::string> source_account = std::nullopt;  // aws:SourceAccount
  std::optional<std::string> source_ip = std::nullopt;       // aws:SourceIp
  std::optional<std::string> source_vpce = std::nullopt;     // aws:SourceVpce
  bool secure_transport = true;                              // aws:SecureTransport
  Timestamp current_time = {};                               // aws:CurrentTime
  std::string region = "us-east-1";                          // aws:RequestedRegion
  // Any other keys ("sqs:..." or "aws:..."), by name; names are matched
  // case-insensitively. A key listed here with no values is absent. When a
  // name here is also one of the keys above, the member above wins.
  std::map<std::string, std::vector<std::string>> other_keys = {};
};

// One authorisation question.
struct Request {
  Principal principal = {};
  // The SQS action: "SendMessage" or "sqs:SendMessage" (case-insensitive). The
  // batch actions are authorised as their base action: SendMessageBatch as
  // sqs:SendMessage, DeleteMessageBatch as sqs:DeleteMessage and
  // ChangeMessageVisibilityBatch as sqs:ChangeMessageVisibility (IAM has no
  // separate batch actions:
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
  // Another service's action ("kms:Decrypt", the key policy question of an
  // SSE-KMS queue) is asked as it is.
  std::string action = {};
  // The queue's ARN: arn:aws:sqs:us-east-1:123456789012:orders. "*" for an
  // action on no particular queue (ListQueues), which the caller's own account
  // answers: only statements whose Resource is "*" (or absent) apply to it.
  std::string resource_arn = {};
  RequestContext context = {};
};

// Who calls, and from where: what a principal-bound client (Simulator::
// ClientFor, sqsim-server's access keys) attaches to each of its calls.
// `context.current_time` is set to the call's time by the simulator.
struct Caller {
  Principal principal = {};
  RequestContext context = {};
};

// Which kind of policy a document is. Resource (queue) policies must name a
// Principal or NotPrincipal in every statement; identity policies must not.
enum class PolicyKind { kIdentity, kResource };

// A principal named in a Principal or NotPrincipal element: the type ("AWS",
// "Service", or any other type IAM knows, such as "Federated", which never
// matches an SQS caller here) and the value ("*", an account id, an ARN or a
// service name).
struct PrincipalEntry {
  std::string type = {};
  std::string value = {};
};

// One condition: operator, key and the values it compares against, e.g.
// {"StringEquals": {"aws:SourceArn": ["arn:...", "arn:..."]}} is one
// Condition per key. Values are OR'ed; the Conditions of a statement are AND'ed.
struct Condition {
  // The operator as written, e.g. "ForAnyValue:StringLikeIfExists".
  std::string op = {};
  // The condition key as written; keys are compared case-insensitively.
  std::string key = {};
  // The values as strings (JSON numbers and booleans in their JSON spelling).
  std::vector<std::string> values = {};
};

// One policy statement. Exactly one of Action/NotAction is given; at most one
// of Resource/NotResource (neither means "the resource the policy is attached
// to", so any resource); in resource policies exactly one of
// Principal/NotPrincipal.
struct Statement {
  std::string sid = {};  // empty when the statement has no Sid
  bool allow = false;    // Effect: true for "Allow", false for "Deny"
  std::vector<std::string> actions = {};
  bool not_action = false;  // `actions` came from NotAction
  std::vector<std::string> resources = {};
  bool not_resource = false;  // `resources` came from NotResource
  bool has_resource = false;  // a Resource or NotResource element was given
  // Principal "*" is {type "AWS", value "*"}.
  std::vector<PrincipalEntry> principals = {};
  bool not_principal = false;  // `principals` came from NotPrincipal
  std::vector<Condition> conditions = {};
};

// A parsed policy document.
struct PolicyDocument {
  std::string version = {};  // "2012-10-17" or "2008-10-17"; empty when omitted
  std::string id = {};       // the Id element, empty when omitted
  PolicyKind kind = PolicyKind::kResource;
  std::vector<Statement> statements = {};
};

// Parses a policy document. Accepts Version 2012-10-17 or 2008-10-17 (or none),
// Statement as an object or an array, and Action, Resource and principal values
// as a string or an array of strings. Rejects unknown elements, operators and
// effects and condition values the operator cannot read (a number for Numeric*,
// a date for Date*, true/false for Bool and Null, a CIDR for IpAddress).
// Errors are ErrorCode::kInvalidAttributeValue with message
// "Invalid value for the parameter Policy. Reason: <why>".
// Size limits (8 KiB, 20 statements) are the queue attribute's business, not
// checked here.
Result<PolicyDocument> ParsePolicy(std::string_view json, PolicyKind kind = PolicyKind::kResource);

// An identity policy attached to the caller, with the name Explain reports.
struct NamedPolicy {
  std::string name = {};
  PolicyDocument document = {};
};

// The outcome of an evaluation.
enum class Decision { kAllowed, kExplicitDeny, kImplicitDeny };

// "Allowed", "ExplicitDeny" or "ImplicitDeny".
std::string_view DecisionName(Decision decision);

// A statement that took part in a decision.
struct StatementRef {
  // "identity:<policy name>" or "resource".
  std::string policy = {};
  std::string sid = {};  // the statement's Sid, empty when it has none
  size_t index = 0;      // the statement's position in its policy, from 0
  friend bool operator==(const StatementRef&, const StatementRef&) = default;
};

// The answer of Explain.
struct Explanation {
  Decision decision = Decision::kImplicitDeny;
  // The IAM action evaluated, e.g. "sqs:SendMessage" for SendMessageBatch.
  std::string action = {};
  // Every Allow statement that matched the request: identity policies first (in
  // the order given), then the queue policy, each in statement order. With an
  // implicit deny these were not enough (across accounts both sides must allow;
  // an account-delegating queue statement needs an identity Allow).
  std::vector<StatementRef> allowing = {};
  // Every Deny statement that matched, in the same order. Non-empty exactly
  // when decision is kExplicitDeny.
  std::vector<StatementRef> denying = {};
  // Empty when allowed; otherwise SQS's AccessDenied message, the action in
  // lower case as SQS writes it, e.g.
  // "User: arn:aws:iam::111122223333:user/alice is not authorized to perform:
  // sqs:sendmessage on resource: arn:aws:sqs:us-east-1:111122223333:q because
  // no identity-based policy allows the sqs:sendmessage action" or "... with an
  // explicit deny in a resource-based policy"
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
  std::string message = {};

  bool allowed() const { return decision == Decision::kAllowed; }
};

// Decides `request` against the caller's identity policies and the queue's
// policy (`resource_policy`, null when the queue has none). Identity policies
// are ignored for a service principal (services have none). Documents of the
// wrong kind are a programmer error (asserted).
Explanation Explain(const Request& request, std::span<const NamedPolicy> identity_policies,
                    const PolicyDocument* resource_policy);

// The IAM action a request's action is authorised as: "sqs:" prefixed (an
// "sqs:" prefix of any case is replaced), keeping the caller's spelling
// ("sendmessage" -> "sqs:sendmessage"), except that the batch actions, in any
// case, become their base action's canonical name ("sendmessagebatch" ->
// "sqs:SendMessage").
std::string AuthorizationAction(std::string_view action);

// The role of an STS role session: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION
// gives arn:aws:iam::ACCOUNT:role/ROLE; nullopt for any other ARN. A session
// acts with its role's identity policies, and a policy naming the role's ARN
// as principal names all of its sessions
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session).
std::optional<std::string> RoleOfSession(std::string_view arn);

}  // namespace sqsim::iam

#endif  // SQSIM_IAM_H_
