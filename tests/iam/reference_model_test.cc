// A property test: Explain agrees with a deliberately simple reference
// evaluator of AWS's documented logic on random policies and requests.
//
// The reference shares no code with src/iam. It works over a restricted
// grammar (a few callers, actions, resources, principals and one optional
// aws:SourceArn condition per statement), renders each random policy as JSON
// for ParsePolicy, and decides from the grammar's values directly.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "sqsim/iam.h"

namespace sqsim::iam {
namespace reference_model_test {

struct Caller {
  std::string arn;     // empty for the service
  std::string service; // non-empty for the service
  std::string account; // empty for the service
  bool root = false;
};

const std::array<Caller, 5> kCallers = {{
    {"arn:aws:iam::111111111111:role/a", "", "111111111111", false},
    {"arn:aws:iam::111111111111:user/b", "", "111111111111", false},
    {"arn:aws:iam::222222222222:role/c", "", "222222222222", false},
    {"arn:aws:iam::222222222222:root", "", "222222222222", true},
    {"", "sns.amazonaws.com", "", false},
}};
const std::array<std::string, 5> kRequestActions = {
    "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage",
    "deletemessagebatch"};
const std::array<std::string, 6> kActionPatterns = {"sqs:*",
                                                    "sqs:SendMessage",
                                                    "sqs:Send*",
                                                    "SQS:receivemessage",
                                                    "sqs:DeleteMessage",
                                                    "*"};
const std::array<std::string, 2> kQueues = {
    "arn:aws:sqs:us-east-1:111111111111:q1",
    "arn:aws:sqs:us-east-1:111111111111:q2"};
const std::array<std::string, 4> kResourcePatterns = {
    "arn:aws:sqs:us-east-1:111111111111:q1",
    "arn:aws:sqs:us-east-1:111111111111:q2", "*",
    "arn:aws:sqs:*:111111111111:q?"};
// AWS principal values, then {"Service": ...} as the last.
const std::array<std::string, 6> kPrincipalValues = {
    "*",
    "111111111111",
    "arn:aws:iam::222222222222:root",
    "arn:aws:iam::111111111111:role/a",
    "arn:aws:iam::222222222222:role/c",
    "sns.amazonaws.com"};
const std::array<std::string, 2> kSourceArns = {
    "arn:aws:sns:us-east-1:111111111111:t1",
    "arn:aws:sns:us-east-1:111111111111:t2"};

struct ModelStatement {
  bool allow = false;
  bool not_action = false;
  std::vector<int> actions; // indexes into kActionPatterns
  bool not_resource = false;
  std::vector<int> resources; // indexes into kResourcePatterns
  bool not_principal = false;
  std::vector<int> principals; // indexes into kPrincipalValues
  int condition =
      0; // 0 none, 1 StringEquals SourceArn t1, 2 StringNotEquals t1
};

// --- The reference evaluator ------------------------------------------------

bool Glob(const std::string &p, const std::string &s, size_t i = 0,
          size_t j = 0) {
  if (i == p.size())
    return j == s.size();
  if (p[i] == '*')
    return Glob(p, s, i + 1, j) || (j < s.size() && Glob(p, s, i, j + 1));
  return j < s.size() && (p[i] == '?' || p[i] == s[j]) &&
         Glob(p, s, i + 1, j + 1);
}

std::string Lower(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string BaseAction(const std::string &action) {
  std::string lower = Lower(action);
  if (lower == "sendmessagebatch")
    return "sqs:sendmessage";
  if (lower == "deletemessagebatch")
    return "sqs:deletemessage";
  return "sqs:" + lower;
}

bool RefApplies(const ModelStatement &s, const std::string &action,
                const std::string &queue,
                const std::optional<std::string> &source_arn) {
  bool action_hit = false;
  for (int a : s.actions)
    action_hit |= Glob(Lower(kActionPatterns[a]), BaseAction(action));
  if (action_hit == s.not_action)
    return false;
  // The grammar's resource patterns never need field-wise ARN matching: the
  // wildcards in them cannot cross a colon of the queue ARNs.
  bool resource_hit = false;
  for (int r : s.resources)
    resource_hit |= Glob(kResourcePatterns[r], queue);
  if (resource_hit == s.not_resource)
    return false;
  if (s.condition == 1)
    return source_arn == kSourceArns[0];
  if (s.condition == 2)
    return source_arn != kSourceArns[0]; // absent key: holds
  return true;
}

// 0 no match, 1 names the caller (or "*"), 2 names the caller's account.
int RefPrincipal(const ModelStatement &s, const Caller &caller) {
  int best = 0;
  for (int p : s.principals) {
    const std::string &v = kPrincipalValues[p];
    int match = 0;
    if (p == 5) {
      match = caller.service == v ? 1 : 0;
    } else if (v == "*") {
      match = 1;
    } else if (v == "111111111111" || v == "arn:aws:iam::222222222222:root") {
      match =
          !caller.account.empty() && v.find(caller.account) != std::string::npos
              ? 2
              : 0;
    } else {
      match = caller.arn == v ? 1 : 0;
    }
    if (match == 1 || (match == 2 && best == 0))
      best = match;
  }
  if (s.not_principal)
    return best == 0 ? 1 : 0;
  return best;
}

Decision Reference(const Caller &caller, const std::string &action,
                   const std::string &queue,
                   const std::optional<std::string> &source_arn,
                   const std::vector<ModelStatement> &identity,
                   const std::vector<ModelStatement> &resource) {
  bool deny = false, id_allow = false, res_direct = false, res_account = false;
  if (caller.service.empty()) {
    for (const auto &s : identity) {
      if (!RefApplies(s, action, queue, source_arn))
        continue;
      (s.allow ? id_allow : deny) = true;
    }
  }
  for (const auto &s : resource) {
    int match = RefPrincipal(s, caller);
    if (match == 0 || !RefApplies(s, action, queue, source_arn))
      continue;
    if (!s.allow)
      deny = true;
    if (s.allow && match == 1)
      res_direct = true;
    if (s.allow && match == 2)
      res_account = true;
  }
  if (deny)
    return Decision::kExplicitDeny;
  bool allowed;
  if (!caller.service.empty()) {
    allowed = res_direct;
  } else if (caller.account == "111111111111") { // the queues' account
    allowed = id_allow || caller.root || res_direct;
  } else {
    allowed = (id_allow || caller.root) && (res_direct || res_account);
  }
  return allowed ? Decision::kAllowed : Decision::kImplicitDeny;
}

// --- Rendering the model as JSON --------------------------------------------

std::string List(const std::vector<int> &indexes, const auto &values) {
  std::string out = "[";
  for (size_t i = 0; i < indexes.size(); ++i) {
    out += (i ? ",\"" : "\"") + values[indexes[i]] + "\"";
  }
  return out + "]";
}

std::string Render(const std::vector<ModelStatement> &statements,
                   bool with_principal) {
  std::string out = R"({"Version":"2012-10-17","Statement":[)";
  for (size_t i = 0; i < statements.size(); ++i) {
    const ModelStatement &s = statements[i];
    out += i ? ",{" : "{";
    out += std::string("\"Effect\":\"") + (s.allow ? "Allow" : "Deny") + "\"";
    out += std::string(",\"") + (s.not_action ? "NotAction" : "Action") +
           "\":" + List(s.actions, kActionPatterns);
    out += std::string(",\"") + (s.not_resource ? "NotResource" : "Resource") +
           "\":" + List(s.resources, kResourcePatterns);
    if (with_principal) {
      std::vector<int> aws, service;
      for (int p : s.principals)
        (p == 5 ? service : aws).push_back(p);
      out += std::string(",\"") +
             (s.not_principal ? "NotPrincipal" : "Principal") + "\":{";
      if (!aws.empty())
        out += "\"AWS\":" + List(aws, kPrincipalValues);
      if (!service.empty()) {
        out += std::string(aws.empty() ? "" : ",") +
               "\"Service\":" + List(service, kPrincipalValues);
      }
      out += "}";
    }
    if (s.condition != 0) {
      out += std::string(",\"Condition\":{\"") +
             (s.condition == 1 ? "StringEquals" : "StringNotEquals") +
             "\":{\"aws:SourceArn\":\"" + kSourceArns[0] + "\"}}";
    }
    out += "}";
  }
  return out + "]}";
}

// --- Generating the model ---------------------------------------------------

std::vector<int> SomeIndexes(int size) {
  return *rc::gen::container<std::vector<int>>(
      static_cast<size_t>(*rc::gen::inRange(1, 3)), rc::gen::inRange(0, size));
}

ModelStatement GenStatement() {
  ModelStatement s;
  s.allow =
      *rc::gen::inRange(0, 4) != 0; // mostly Allow, so that allows are reached
  s.not_action = *rc::gen::inRange(0, 5) == 0;
  s.actions = SomeIndexes(static_cast<int>(kActionPatterns.size()));
  s.not_resource = *rc::gen::inRange(0, 5) == 0;
  s.resources = SomeIndexes(static_cast<int>(kResourcePatterns.size()));
  s.not_principal = *rc::gen::inRange(0, 6) == 0;
  s.principals = SomeIndexes(static_cast<int>(kPrincipalValues.size()));
  s.condition = *rc::gen::inRange(0, 3);
  return s;
}

std::vector<ModelStatement> GenStatements(int max) {
  std::vector<ModelStatement> out(
      static_cast<size_t>(*rc::gen::inRange(0, max + 1)));
  for (auto &s : out)
    s = GenStatement();
  return out;
}

RC_GTEST_PROP(ReferenceModelTest, ExplainAgreesWithTheReferenceEvaluator, ()) {
  const Caller &caller = kCallers[static_cast<size_t>(*rc::gen::inRange(0, 5))];
  const std::string &action =
      kRequestActions[static_cast<size_t>(*rc::gen::inRange(0, 5))];
  const std::string &queue =
      kQueues[static_cast<size_t>(*rc::gen::inRange(0, 2))];
  int source =
      *rc::gen::inRange(0, 3); // 0 absent, else kSourceArns[source - 1]
  std::optional<std::string> source_arn;
  if (source != 0)
    source_arn = kSourceArns[static_cast<size_t>(source - 1)];
  std::vector<ModelStatement> identity = GenStatements(3);
  std::vector<ModelStatement> resource = GenStatements(3);

  Request request{.principal = {.arn = caller.arn, .service = caller.service},
                  .action = action,
                  .resource_arn = queue,
                  .context = {.source_arn = source_arn}};
  std::vector<NamedPolicy> identity_policies;
  if (!identity.empty()) {
    Result<PolicyDocument> parsed =
        ParsePolicy(Render(identity, false), PolicyKind::kIdentity);
    RC_ASSERT(parsed.ok());
    identity_policies.push_back(
        {.name = "id", .document = std::move(parsed).value()});
  }
  std::optional<PolicyDocument> queue_policy;
  if (!resource.empty()) {
    Result<PolicyDocument> parsed =
        ParsePolicy(Render(resource, true), PolicyKind::kResource);
    RC_ASSERT(parsed.ok());
    queue_policy = std::move(parsed).value();
  }
  Explanation e = Explain(request, identity_policies,
                          queue_policy ? &*queue_policy : nullptr);
  Decision expected =
      Reference(caller, action, queue, source_arn, identity, resource);
  RC_TAG(DecisionName(expected));
  RC_ASSERT(e.decision == expected);
  RC_ASSERT(e.denying.empty() == (expected != Decision::kExplicitDeny));
  RC_ASSERT(e.message.empty() == (expected == Decision::kAllowed));
}

} // namespace reference_model_test
} // namespace sqsim::iam
