// ParsePolicy: the accepted shapes of a policy document and the rejected ones.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/iam.h"

namespace sqsim::iam {
namespace policy_document_test {

using ::testing::HasSubstr;

void ExpectRejected(std::string_view json, std::string_view reason,
                    PolicyKind kind = PolicyKind::kResource) {
  Result<PolicyDocument> parsed = ParsePolicy(json, kind);
  ASSERT_FALSE(parsed.ok()) << json;
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidAttributeValue);
  EXPECT_THAT(parsed.status().message(),
              ::testing::StartsWith(
                  "Invalid value for the parameter Policy. Reason: "));
  EXPECT_THAT(parsed.status().message(), HasSubstr(reason));
}

TEST(ParsePolicyTest, ReadsEveryElementOfAStatement) {
  Result<PolicyDocument> parsed =
      ParsePolicy(R"({"Version": "2012-10-17", "Id": "q-policy",
      "Statement": [{"Sid": "S1", "Effect": "Allow", "Principal": {"AWS": ["111122223333",
      "arn:aws:iam::444455556666:root"], "Service": "sns.amazonaws.com"},
      "Action": ["sqs:SendMessage", "sqs:Get*"], "Resource": "arn:aws:sqs:*:111122223333:q",
      "Condition": {"NumericLessThan": {"sqs:MaxCount": [3, "4.5"]}}}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->version, "2012-10-17");
  EXPECT_EQ(parsed->id, "q-policy");
  ASSERT_EQ(parsed->statements.size(), 1u);
  const Statement &s = parsed->statements[0];
  EXPECT_EQ(s.sid, "S1");
  EXPECT_TRUE(s.allow);
  EXPECT_EQ(s.actions,
            (std::vector<std::string>{"sqs:SendMessage", "sqs:Get*"}));
  EXPECT_EQ(s.resources,
            (std::vector<std::string>{"arn:aws:sqs:*:111122223333:q"}));
  ASSERT_EQ(s.principals.size(), 3u);
  EXPECT_EQ(s.principals[2].type, "Service");
  EXPECT_EQ(s.principals[2].value, "sns.amazonaws.com");
  ASSERT_EQ(s.conditions.size(), 1u);
  EXPECT_EQ(s.conditions[0].values, (std::vector<std::string>{"3", "4.5"}));
}

TEST(ParsePolicyTest, AcceptsTheOlderPolicyLanguageVersion) {
  Result<PolicyDocument> parsed =
      ParsePolicy(R"({"Version": "2008-10-17", "Statement":
      {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->version, "2008-10-17");
}

TEST(ParsePolicyTest, AcceptsAStatementObject) {
  Result<PolicyDocument> parsed = ParsePolicy(
      R"({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "sqs:*"}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->statements.size(), 1u);
  EXPECT_FALSE(parsed->statements[0].allow);
  EXPECT_FALSE(parsed->statements[0].has_resource);
}

TEST(ParsePolicyTest, ReadsTheNegatedElements) {
  Result<PolicyDocument> parsed =
      ParsePolicy(R"({"Statement": {"Effect": "Deny",
      "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/admin"},
      "NotAction": "sqs:Get*", "NotResource": ["arn:aws:sqs:us-east-1:111122223333:q"]}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const Statement &s = parsed->statements[0];
  EXPECT_TRUE(s.not_principal);
  EXPECT_TRUE(s.not_action);
  EXPECT_TRUE(s.not_resource);
}

TEST(ParsePolicyTest, KeepsBooleanConditionValuesAsText) {
  Result<PolicyDocument> parsed =
      ParsePolicy(R"({"Statement": {"Effect": "Deny",
      "Principal": "*", "Action": "sqs:*", "Condition": {"Bool": {"aws:SecureTransport": false}}}})");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->statements[0].conditions[0].values,
            (std::vector<std::string>{"false"}));
}

TEST(ParsePolicyTest, RejectsText) {
  ExpectRejected("not json", "not a valid JSON object");
}

TEST(ParsePolicyTest, RejectsAMissingStatement) {
  ExpectRejected(R"({"Version": "2012-10-17"})", "no Statement");
}

TEST(ParsePolicyTest, RejectsAnUnknownVersion) {
  ExpectRejected(R"({"Version": "2020-01-01", "Statement": []})", "Version");
}

TEST(ParsePolicyTest, RejectsAnUnknownEffect) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Maybe", "Principal": "*", "Action": "sqs:*"}})",
      "Effect");
}

TEST(ParsePolicyTest, RejectsActionWithNotAction) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "NotAction": "sqs:SendMessage"}})",
      "both Action and NotAction");
}

TEST(ParsePolicyTest, RejectsAStatementWithoutAction) {
  ExpectRejected(R"({"Statement": {"Effect": "Allow", "Principal": "*"}})",
                 "neither Action");
}

TEST(ParsePolicyTest, RejectsAnActionWithoutService) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "Send"}})",
      "service:action");
}

TEST(ParsePolicyTest, RejectsAResourceStatementWithoutPrincipal) {
  ExpectRejected(R"({"Statement": {"Effect": "Allow", "Action": "sqs:*"}})",
                 "neither Principal");
}

TEST(ParsePolicyTest, RejectsAnIdentityStatementWithPrincipal) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*"}})",
      "must not specify a Principal", PolicyKind::kIdentity);
}

TEST(ParsePolicyTest, RejectsAnUnknownStatementElement) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "Actions": "sqs:*"}})",
      "Unknown statement element Actions");
}

TEST(ParsePolicyTest, RejectsAnUnknownConditionOperator) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "Condition": {"StringSortOf": {"aws:SourceArn": "x"}}}})",
      "Unknown condition operator StringSortOf");
}

TEST(ParsePolicyTest, RejectsANumericConditionOnText) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "Condition": {"NumericEquals": {"sqs:Count": "three"}}}})",
      "Invalid value three");
}

TEST(ParsePolicyTest, RejectsNullIfExists) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "Condition": {"NullIfExists": {"aws:SourceArn": "true"}}}})",
      "Unknown condition operator NullIfExists");
}

TEST(ParsePolicyTest, RejectsABadCidr) {
  ExpectRejected(
      R"({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}}})",
      "Invalid value 10.0.0.0/33");
}

} // namespace policy_document_test
} // namespace sqsim::iam
