// Explain: AWS's evaluation logic over identity policies and a queue policy,
// including the guide's three policies (producer, consumer, SNS topic).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "iam/iam_test_util.h"
#include "sqsim/iam.h"

namespace sqsim::iam {
namespace policy_evaluation_test {

using test_util::Identity;
using test_util::kOtherQueueArn;
using test_util::kOtherRoleArn;
using test_util::kQueueArn;
using test_util::kRoleArn;
using test_util::RequestBy;
using test_util::Resource;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The guide's policy (1): the enrollment service may only send to its queue.
constexpr std::string_view kEnrollmentArn = "arn:aws:iam::111122223333:role/enrollment";
constexpr std::string_view kEnrollmentQueue =
    "arn:aws:sqs:us-east-1:111122223333:enrollment-events";
constexpr std::string_view kEnrollmentPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "SendEnrollmentEvents",
    "Effect": "Allow",
    "Action": "sqs:SendMessage",
    "Resource": "arn:aws:sqs:us-east-1:111122223333:enrollment-events"
  }]
})";

// The guide's policy (2): the notification consumer works its own queue.
constexpr std::string_view kConsumerArn = "arn:aws:iam::111122223333:role/notifier";
constexpr std::string_view kNotificationQueue = "arn:aws:sqs:us-east-1:111122223333:notifications";
constexpr std::string_view kConsumerPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ConsumeNotifications",
    "Effect": "Allow",
    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
               "sqs:GetQueueAttributes"],
    "Resource": "arn:aws:sqs:us-east-1:111122223333:notifications"
  }]
})";

// The guide's policy (3): the queue accepts SendMessage from SNS, only on
// behalf of the notification topic.
constexpr std::string_view kTopicArn = "arn:aws:sns:us-east-1:111122223333:notification-topic";
constexpr std::string_view kTopicQueuePolicy = R"({
  "Version": "2012-10-17",
  "Id": "arn:aws:sqs:us-east-1:111122223333:notifications/SQSDefaultPolicy",
  "Statement": [{
    "Sid": "AllowNotificationTopic",
    "Effect": "Allow",
    "Principal": {"Service": "sns.amazonaws.com"},
    "Action": "sqs:SendMessage",
    "Resource": "arn:aws:sqs:us-east-1:111122223333:notifications",
    "Condition": {"ArnEquals": {"aws:SourceArn":
        "arn:aws:sns:us-east-1:111122223333:notification-topic"}}
  }]
})";

Explanation ExplainIdentity(const Request& request, std::string_view json) {
  std::vector<NamedPolicy> policies = {Identity("p", json)};
  return Explain(request, policies, nullptr);
}

Explanation ExplainResource(const Request& request, std::string_view json) {
  PolicyDocument policy = Resource(json);
  return Explain(request, {}, &policy);
}

Request SnsRequest(std::optional<std::string> source_arn) {
  return Request{.principal = {.service = "sns.amazonaws.com"},
                 .action = "SendMessage",
                 .resource_arn = std::string(kNotificationQueue),
                 .context = {.source_arn = std::move(source_arn)}};
}

TEST(EnrollmentPolicyTest, AllowsSendMessageOnItsQueue) {
  Explanation e = ExplainIdentity(
      RequestBy(std::string(kEnrollmentArn), "SendMessage", std::string(kEnrollmentQueue)),
      kEnrollmentPolicy);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  EXPECT_THAT(e.allowing, ElementsAre(StatementRef{"identity:p", "SendEnrollmentEvents", 0}));
  EXPECT_THAT(e.message, IsEmpty());
}

TEST(EnrollmentPolicyTest, AllowsSendMessageBatchThroughSendMessage) {
  Explanation e = ExplainIdentity(
      RequestBy(std::string(kEnrollmentArn), "SendMessageBatch", std::string(kEnrollmentQueue)),
      kEnrollmentPolicy);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  EXPECT_EQ(e.action, "sqs:SendMessage");
}

TEST(EnrollmentPolicyTest, ImplicitlyDeniesReceiveMessageWithAwsMessage) {
  Explanation e = ExplainIdentity(
      RequestBy(std::string(kEnrollmentArn), "ReceiveMessage", std::string(kEnrollmentQueue)),
      kEnrollmentPolicy);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::111122223333:role/enrollment is not authorized to "
            "perform: "
            "sqs:receivemessage on resource: "
            "arn:aws:sqs:us-east-1:111122223333:enrollment-events "
            "because no identity-based policy allows the sqs:receivemessage action");
}

TEST(EnrollmentPolicyTest, ImplicitlyDeniesSendMessageToAnotherQueue) {
  Explanation e = ExplainIdentity(
      RequestBy(std::string(kEnrollmentArn), "SendMessage", std::string(kNotificationQueue)),
      kEnrollmentPolicy);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
}

TEST(ConsumerPolicyTest, AllowsEachConsumerAction) {
  for (const char* action :
       {"ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes"}) {
    Explanation e = ExplainIdentity(
        RequestBy(std::string(kConsumerArn), action, std::string(kNotificationQueue)),
        kConsumerPolicy);
    EXPECT_EQ(e.decision, Decision::kAllowed) << action;
  }
}

TEST(ConsumerPolicyTest, AllowsBatchDeleteAndChangeVisibilityThroughBaseActions) {
  for (const char* action : {"DeleteMessageBatch", "ChangeMessageVisibilityBatch"}) {
    Explanation e = ExplainIdentity(
        RequestBy(std::string(kConsumerArn), action, std::string(kNotificationQueue)),
        kConsumerPolicy);
    EXPECT_EQ(e.decision, Decision::kAllowed) << action;
  }
}

TEST(ConsumerPolicyTest, ImplicitlyDeniesSendMessage) {
  Explanation e = ExplainIdentity(
      RequestBy(std::string(kConsumerArn), "SendMessage", std::string(kNotificationQueue)),
      kConsumerPolicy);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
}

TEST(TopicQueuePolicyTest, AllowsSnsOnBehalfOfTheTopic) {
  Explanation e = ExplainResource(SnsRequest(std::string(kTopicArn)), kTopicQueuePolicy);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  EXPECT_THAT(e.allowing, ElementsAre(StatementRef{"resource", "AllowNotificationTopic", 0}));
}

TEST(TopicQueuePolicyTest, DeniesSnsOnBehalfOfAnotherTopic) {
  Explanation e = ExplainResource(
      SnsRequest("arn:aws:sns:us-east-1:444455556666:notification-topic"), kTopicQueuePolicy);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
  EXPECT_THAT(e.message, ::testing::HasSubstr("because no resource-based policy allows"));
}

TEST(TopicQueuePolicyTest, DeniesSnsWithoutSourceArn) {
  Explanation e = ExplainResource(SnsRequest(std::nullopt), kTopicQueuePolicy);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
}

TEST(TopicQueuePolicyTest, DeniesAnotherService) {
  Request request = SnsRequest(std::string(kTopicArn));
  request.principal.service = "events.amazonaws.com";
  EXPECT_EQ(ExplainResource(request, kTopicQueuePolicy).decision, Decision::kImplicitDeny);
}

TEST(TopicQueuePolicyTest, DeniesAnIamRoleOfTheSameAccount) {
  Request request = SnsRequest(std::string(kTopicArn));
  request.principal = {.arn = kRoleArn};
  EXPECT_EQ(ExplainResource(request, kTopicQueuePolicy).decision, Decision::kImplicitDeny);
}

TEST(ServicePrincipalTest, IgnoresIdentityPolicies) {
  std::vector<NamedPolicy> identity = {
      Identity("deny-all", R"({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}})")};
  PolicyDocument queue = Resource(kTopicQueuePolicy);
  Explanation e = Explain(SnsRequest(std::string(kTopicArn)), identity, &queue);
  EXPECT_EQ(e.decision, Decision::kAllowed);
}

constexpr std::string_view kAllowRoleOnQueue =
    R"({"Statement": {"Sid": "QueueAllows",
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/worker"},
    "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders"}})";
constexpr std::string_view kAllowAllSqs =
    R"({"Statement": {"Sid": "IdentityAllows", "Effect": "Allow", "Action": "sqs:*",
        "Resource": "*"}})";

TEST(ExplicitDenyTest, IdentityDenyOverridesQueueAllow) {
  std::vector<NamedPolicy> identity = {
      Identity("guard",
               R"({"Statement": {"Sid": "NoSend", "Effect": "Deny", "Action": "sqs:SendMessage",
                   "Resource": "*"}})")};
  PolicyDocument queue = Resource(kAllowRoleOnQueue);
  Explanation e = Explain(RequestBy(kRoleArn, "SendMessage"), identity, &queue);
  EXPECT_EQ(e.decision, Decision::kExplicitDeny);
  EXPECT_THAT(e.denying, ElementsAre(StatementRef{"identity:guard", "NoSend", 0}));
  EXPECT_THAT(e.message, ::testing::EndsWith("with an explicit deny in an identity-based policy"));
}

TEST(ExplicitDenyTest, QueueDenyOverridesIdentityAllow) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  PolicyDocument queue = Resource(R"({"Statement": [
      {"Sid": "A", "Effect": "Allow", "Principal": "*", "Action": "sqs:*", "Resource": "*"},
      {"Sid": "B", "Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage",
       "Resource": "*"}]})");
  Explanation e = Explain(RequestBy(kRoleArn, "SendMessage"), identity, &queue);
  EXPECT_EQ(e.decision, Decision::kExplicitDeny);
  EXPECT_THAT(e.denying, ElementsAre(StatementRef{"resource", "B", 1}));
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::111122223333:role/worker is not "
            "authorized to perform: "
            "sqs:sendmessage on resource: "
            "arn:aws:sqs:us-east-1:111122223333:orders with an "
            "explicit deny in a resource-based policy");
}

TEST(ExplicitDenyTest, QueueDenyBindsTheServicePrincipal) {
  PolicyDocument queue = Resource(R"({"Statement": [
      {"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:*"},
      {"Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage"}]})");
  EXPECT_EQ(Explain(SnsRequest(std::nullopt), {}, &queue).decision, Decision::kExplicitDeny);
}

TEST(SameAccountTest, QueuePolicyAloneAllows) {
  PolicyDocument queue = Resource(kAllowRoleOnQueue);
  Explanation e = Explain(RequestBy(kRoleArn, "SendMessage"), {}, &queue);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  EXPECT_THAT(e.allowing, ElementsAre(StatementRef{"resource", "QueueAllows", 0}));
}

TEST(SameAccountTest, IdentityPolicyAloneAllows) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  EXPECT_EQ(Explain(RequestBy(kRoleArn, "SendMessage"), identity, nullptr).decision,
            Decision::kAllowed);
}

TEST(SameAccountTest, NoPoliciesImplicitlyDeny) {
  EXPECT_EQ(Explain(RequestBy(kRoleArn, "SendMessage"), {}, nullptr).decision,
            Decision::kImplicitDeny);
}

TEST(SameAccountTest, AccountPrincipalInQueuePolicyDefersToIdentityPolicies) {
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sqs:*"}})");
  EXPECT_EQ(Explain(RequestBy(kRoleArn, "SendMessage"), {}, &queue).decision,
            Decision::kImplicitDeny);
}

TEST(SameAccountTest, RootUserNeedsNoPolicy) {
  Explanation e = Explain(RequestBy("arn:aws:iam::111122223333:root", "PurgeQueue"), {}, nullptr);
  EXPECT_EQ(e.decision, Decision::kAllowed);
}

TEST(CrossAccountTest, QueuePolicyAloneIsNotEnough) {
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:role/partner"}, "Action": "sqs:*"}})");
  Explanation e = Explain(RequestBy(kOtherRoleArn, "SendMessage"), {}, &queue);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
  EXPECT_THAT(e.message, ::testing::EndsWith("because no identity-based policy allows the "
                                             "sqs:sendmessage action"));
  EXPECT_EQ(e.allowing.size(), 1u);
}

TEST(CrossAccountTest, IdentityPolicyAloneIsNotEnough) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  Explanation e = Explain(RequestBy(kOtherRoleArn, "SendMessage"), identity, nullptr);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
  EXPECT_THAT(e.message, ::testing::EndsWith("because no resource-based policy allows the "
                                             "sqs:sendmessage action"));
}

TEST(CrossAccountTest, BothSidesAllowing) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  PolicyDocument queue = Resource(R"({"Statement": {"Sid": "Partner", "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::444455556666:role/partner"]},
      "Action": "sqs:SendMessage"}})");
  Explanation e = Explain(RequestBy(kOtherRoleArn, "SendMessage"), identity, &queue);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  EXPECT_THAT(e.allowing, ElementsAre(StatementRef{"identity:all", "IdentityAllows", 0},
                                      StatementRef{"resource", "Partner", 0}));
}

TEST(CrossAccountTest, AccountIdPrincipalTrustsEveryPrincipalOfThatAccount) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "444455556666"}, "Action": "sqs:SendMessage"}})");
  EXPECT_EQ(Explain(RequestBy(kOtherRoleArn, "SendMessage"), identity, &queue).decision,
            Decision::kAllowed);
}

TEST(CrossAccountTest, AccountRootArnPrincipalDoesNotTrustOtherAccounts) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::777788889999:root"}, "Action": "sqs:SendMessage"}})");
  EXPECT_EQ(Explain(RequestBy(kOtherRoleArn, "SendMessage"), identity, &queue).decision,
            Decision::kImplicitDeny);
}

TEST(CrossAccountTest, RootUserOfTheOtherAccountNeedsOnlyTheQueuePolicy) {
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "444455556666"}, "Action": "sqs:SendMessage"}})");
  EXPECT_EQ(
      Explain(RequestBy("arn:aws:iam::444455556666:root", "SendMessage"), {}, &queue).decision,
      Decision::kAllowed);
}

TEST(ActionMatchTest, ServiceWildcardMatchesEveryAction) {
  Explanation e = ExplainIdentity(RequestBy(kRoleArn, "PurgeQueue"),
                                  R"({"Statement": {"Effect": "Allow", "Action": "sqs:*",
                                      "Resource": "*"}})");
  EXPECT_EQ(e.decision, Decision::kAllowed);
}

TEST(ActionMatchTest, PrefixWildcardMatchesOnlyItsPrefix) {
  constexpr std::string_view kSendStar =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:Send*", "Resource": "*"}})";
  EXPECT_TRUE(ExplainIdentity(RequestBy(kRoleArn, "SendMessage"), kSendStar).allowed());
  EXPECT_FALSE(ExplainIdentity(RequestBy(kRoleArn, "ReceiveMessage"), kSendStar).allowed());
}

TEST(ActionMatchTest, ActionNamesAreCaseInsensitive) {
  Explanation e = ExplainIdentity(RequestBy(kRoleArn, "SQS:sendmessage"),
                                  R"({"Statement": {"Effect": "Allow",
                                      "Action": "sqs:SENDMESSAGE", "Resource": "*"}})");
  EXPECT_TRUE(e.allowed());
}

TEST(ActionMatchTest, QuestionMarkMatchesOneCharacter) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:?etQueueUrl", "Resource": "*"}})";
  EXPECT_TRUE(ExplainIdentity(RequestBy(kRoleArn, "GetQueueUrl"), kPolicy).allowed());
  EXPECT_FALSE(ExplainIdentity(RequestBy(kRoleArn, "xGetQueueUrl"), kPolicy).allowed());
}

TEST(ActionMatchTest, NotActionAppliesToEveryOtherAction) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "NotAction": "sqs:DeleteQueue", "Resource": "*"}})";
  EXPECT_TRUE(ExplainIdentity(RequestBy(kRoleArn, "SendMessage"), kPolicy).allowed());
  EXPECT_FALSE(ExplainIdentity(RequestBy(kRoleArn, "DeleteQueue"), kPolicy).allowed());
}

TEST(ResourceMatchTest, WildcardsMatchWithinArnFields) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:*",
      "Resource": "arn:aws:sqs:*:111122223333:ord?rs*"}})";
  EXPECT_TRUE(ExplainIdentity(RequestBy(kRoleArn, "SendMessage"), kPolicy).allowed());
  EXPECT_FALSE(
      ExplainIdentity(RequestBy(kRoleArn, "SendMessage", kOtherQueueArn), kPolicy).allowed());
}

TEST(ResourceMatchTest, WildcardDoesNotSpanArnFields) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:*",
      "Resource": "arn:aws:sqs:us-east-1:*"}})";
  EXPECT_FALSE(ExplainIdentity(RequestBy(kRoleArn, "SendMessage"), kPolicy).allowed());
}

TEST(ResourceMatchTest, NotResourceAppliesToEveryOtherResource) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:*",
      "NotResource": "arn:aws:sqs:us-east-1:111122223333:invoices"}})";
  EXPECT_TRUE(ExplainIdentity(RequestBy(kRoleArn, "SendMessage"), kPolicy).allowed());
  EXPECT_FALSE(
      ExplainIdentity(RequestBy(kRoleArn, "SendMessage", kOtherQueueArn), kPolicy).allowed());
}

TEST(PrincipalMatchTest, NotPrincipalDenyExemptsTheNamedRole) {
  std::vector<NamedPolicy> identity = {Identity("all", kAllowAllSqs)};
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Deny",
      "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/worker"}, "Action": "sqs:*"}})");
  EXPECT_TRUE(Explain(RequestBy(kRoleArn, "SendMessage"), identity, &queue).allowed());
  EXPECT_EQ(
      Explain(RequestBy("arn:aws:iam::111122223333:role/other", "SendMessage"), identity, &queue)
          .decision,
      Decision::kExplicitDeny);
}

TEST(PrincipalMatchTest, StarPrincipalObjectMatchesAnyone) {
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage"}})");
  EXPECT_TRUE(Explain(RequestBy(kRoleArn, "SendMessage"), {}, &queue).allowed());
}

TEST(ConditionTest, StatementAppliesOnlyWhenEveryConditionHolds) {
  constexpr std::string_view kPolicy =
      R"({"Statement": {"Effect": "Allow", "Action": "sqs:*",
      "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"},
                                     "StringEquals": {"aws:RequestedRegion": "us-east-1"}}}})";
  Request request = RequestBy(kRoleArn, "SendMessage");
  EXPECT_TRUE(ExplainIdentity(request, kPolicy).allowed());
  request.context.secure_transport = false;
  EXPECT_FALSE(ExplainIdentity(request, kPolicy).allowed());
}

TEST(ExplanationTest, ListsEveryMatchingStatementInPolicyOrder) {
  std::vector<NamedPolicy> identity = {Identity("first", R"({"Statement": [
          {"Sid": "Other", "Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "*"},
          {"Effect": "Allow", "Action": "sqs:Send*", "Resource": "*"}]})"),
                                       Identity("second", kAllowAllSqs)};
  Explanation e = Explain(RequestBy(kRoleArn, "SendMessage"), identity, nullptr);
  EXPECT_THAT(e.allowing, ElementsAre(StatementRef{"identity:first", "", 1},
                                      StatementRef{"identity:second", "IdentityAllows", 0}));
  EXPECT_THAT(e.denying, IsEmpty());
}

TEST(ExplanationTest, DecisionNamesMatchTheSimulator) {
  EXPECT_EQ(DecisionName(Decision::kAllowed), "Allowed");
  EXPECT_EQ(DecisionName(Decision::kExplicitDeny), "ExplicitDeny");
  EXPECT_EQ(DecisionName(Decision::kImplicitDeny), "ImplicitDeny");
}

TEST(PrincipalTest, AccountComesFromIamAndStsArns) {
  EXPECT_EQ(Principal{.arn = kRoleArn}.account(), "111122223333");
  EXPECT_EQ(Principal{.arn = "arn:aws:sts::444455556666:assumed-role/partner/s1"}.account(),
            "444455556666");
  EXPECT_EQ(Principal{.service = "sns.amazonaws.com"}.account(), "");
}

TEST(AuthorizationActionTest, PrefixesAndMapsBatchActions) {
  EXPECT_EQ(AuthorizationAction("ReceiveMessage"), "sqs:ReceiveMessage");
  EXPECT_EQ(AuthorizationAction("sqs:ReceiveMessage"), "sqs:ReceiveMessage");
  EXPECT_EQ(AuthorizationAction("deletemessagebatch"), "sqs:DeleteMessage");
  EXPECT_EQ(AuthorizationAction("SQS:ChangeMessageVisibilityBatch"), "sqs:ChangeMessageVisibility");
}

TEST(AuthorizationActionTest, KeepsAnotherServicesAction) {
  EXPECT_EQ(AuthorizationAction("kms:GenerateDataKey"), "kms:GenerateDataKey");
}

TEST(RoleSessionTest, SessionArnGivesItsRole) {
  EXPECT_EQ(RoleOfSession("arn:aws:sts::444455556666:assumed-role/partner/s1"),
            "arn:aws:iam::444455556666:role/partner");
  EXPECT_EQ(RoleOfSession(kRoleArn), std::nullopt);
  EXPECT_EQ(RoleOfSession("arn:aws:sts::444455556666:assumed-role/partner"), std::nullopt);
}

TEST(RoleSessionTest, QueuePolicyNamingTheRoleCoversItsSessions) {
  PolicyDocument queue = Resource(R"({"Statement": {"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/worker"}, "Action": "sqs:SendMessage",
      "Resource": "*"}})");
  Explanation e =
      Explain(RequestBy("arn:aws:sts::111122223333:assumed-role/worker/session-1", "SendMessage"),
              {}, &queue);
  EXPECT_EQ(e.decision, Decision::kAllowed);
  Explanation other =
      Explain(RequestBy("arn:aws:sts::111122223333:assumed-role/auditor/session-1", "SendMessage"),
              {}, &queue);
  EXPECT_EQ(other.decision, Decision::kImplicitDeny);
}

TEST(ListQueuesResourceTest, StarResourceIsTheCallersOwnAccount) {
  std::vector<NamedPolicy> identity = {Identity("list", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:ListQueues", "Resource": "*"}})")};
  Explanation e = Explain(RequestBy(kRoleArn, "ListQueues", "*"), identity, nullptr);
  EXPECT_EQ(e.decision, Decision::kAllowed);
}

TEST(ListQueuesResourceTest, QueueArnPatternDoesNotCoverStar) {
  std::vector<NamedPolicy> identity = {Identity("list", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:ListQueues", "Resource": "arn:aws:sqs:*:111122223333:*"}})")};
  Explanation e = Explain(RequestBy(kRoleArn, "ListQueues", "*"), identity, nullptr);
  EXPECT_EQ(e.decision, Decision::kImplicitDeny);
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::111122223333:role/worker is not authorized to perform: "
            "sqs:listqueues on resource: * because no identity-based policy allows the "
            "sqs:listqueues action");
}

}  // namespace policy_evaluation_test
}  // namespace sqsim::iam
