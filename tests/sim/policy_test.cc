// Tests for src/sim/policy.h: queue ARNs, RedrivePolicy, RedriveAllowPolicy,
// Policy documents and the statements AddPermission and RemovePermission
// edit, with the error codes and messages the header promises.

#include "sim/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/sim_test_util.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::internal {
namespace {

// ordered_json keeps members in document order, as the library does.
using Json = nlohmann::ordered_json;

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr char kDlqArn[] = "arn:aws:sqs:us-east-1:123456789012:orders-dlq";

std::string RedriveError(const std::string& json_text) {
  return "Value " + json_text + " for parameter RedrivePolicy is invalid. Reason: ";
}

std::string AllowError(const std::string& json_text) {
  return "Value " + json_text + " for parameter RedriveAllowPolicy is invalid. Reason: ";
}

constexpr char kPolicyError[] = "Invalid value for the parameter Policy. Reason: ";

Json Parse(const std::string& text) {
  Json v = Json::parse(text, nullptr, false);
  EXPECT_FALSE(v.is_discarded()) << "not JSON: " << text;
  if (v.is_discarded()) return nullptr;
  return v;
}

std::vector<std::string> Sids(const std::string& policy) {
  std::vector<std::string> sids;
  const Json document = Parse(policy);
  for (const Json& s : document.at("Statement").get_ref<const Json::array_t&>()) {
    sids.emplace_back(s.at("Sid").get_ref<const Json::string_t&>());
  }
  return sids;
}

// A Policy document with `n` statements whose Sids are S0, S1, ...
std::string DocumentWithStatements(int n) {
  Json statements = Json::array();
  for (int i = 0; i < n; ++i) {
    statements.push_back(Json::object({{"Sid", "S" + std::to_string(i)},
                                       {"Effect", "Allow"},
                                       {"Principal", "*"},
                                       {"Action", "sqs:SendMessage"},
                                       {"Resource", kOrdersArn}}));
  }
  return Json::object({{"Version", "2012-10-17"}, {"Statement", statements}}).dump();
}

std::string AllowByQueue(int n) {
  Json arns = Json::array();
  for (int i = 0; i < n; ++i) {
    arns.push_back("arn:aws:sqs:us-east-1:123456789012:source" + std::to_string(i));
  }
  return Json::object({{"redrivePermission", "byQueue"}, {"sourceQueueArns", arns}}).dump();
}

// ---- ParseQueueArn / FormatQueueArn ---------------------------------------------

TEST(PolicyQueueArn, ParsesPartitionRegionAccountAndName) {
  std::optional<QueueArn> arn = ParseQueueArn(kOrdersArn);
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->name, "orders");
}

TEST(PolicyQueueArn, AcceptsOtherPartitionsAndFifoNames) {
  std::optional<QueueArn> arn = ParseQueueArn("arn:aws-cn:sqs:cn-north-1:123456789012:jobs.fifo");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws-cn");
  EXPECT_EQ(arn->region, "cn-north-1");
  EXPECT_EQ(arn->name, "jobs.fifo");
}

TEST(PolicyQueueArn, RejectsMalformedArns) {
  const std::vector<std::string> bad = {
      "",
      "orders",
      "arn:aws:sqs:us-east-1:123456789012",                          // five parts
      "arn:aws:sqs:us-east-1:123456789012:orders:x",                 // seven parts
      "urn:aws:sqs:us-east-1:123456789012:orders",                   // not an ARN
      "arn:aws:sns:us-east-1:123456789012:orders",                   // not SQS
      "arn::sqs:us-east-1:123456789012:orders",                      // no partition
      "arn:aws:sqs::123456789012:orders",                            // no region
      "arn:aws:sqs:us-east-1:12345678901:orders",                    // 11-digit account
      "arn:aws:sqs:us-east-1:12345678901a:orders",                   // non-digit account
      "arn:aws:sqs:us-east-1:123456789012:",                         // no name
      "arn:aws:sqs:us-east-1:123456789012:bad name",                 // invalid name
      "arn:aws:sqs:us-east-1:123456789012:" + std::string(81, 'a'),  // name too long
  };
  for (const std::string& arn : bad) {
    EXPECT_FALSE(ParseQueueArn(arn).has_value()) << arn;
  }
  EXPECT_TRUE(ParseQueueArn("arn:aws:sqs:us-east-1:123456789012:" + std::string(80, 'a')));
}

TEST(PolicyQueueArn, FormatBuildsAwsPartitionArnThatParsesBack) {
  const std::string arn = FormatQueueArn("eu-west-1", "123456789012", "orders");
  EXPECT_EQ(arn, "arn:aws:sqs:eu-west-1:123456789012:orders");
  std::optional<QueueArn> parsed = ParseQueueArn(arn);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->region, "eu-west-1");
  EXPECT_EQ(parsed->name, "orders");
}

// ---- ParseRedrivePolicy ------------------------------------------------------------

TEST(PolicyRedrivePolicy, RendersNormalisedJsonWithMaxReceiveCountAsNumber) {
  const std::string input =
      std::string(R"({ "maxReceiveCount" : 5, "deadLetterTargetArn" : ")") + kDlqArn + "\" }";
  Result<RedrivePolicy> policy = ParseRedrivePolicy(input);
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->dead_letter_target_arn, kDlqArn);
  EXPECT_EQ(policy->max_receive_count, 5);
  EXPECT_EQ(policy->rendered,
            std::string(R"({"deadLetterTargetArn":")") + kDlqArn + R"(","maxReceiveCount":5})");
}

TEST(PolicyRedrivePolicy, NumericStringMaxReceiveCountIsRenderedAsNumber) {
  Result<RedrivePolicy> policy = ParseRedrivePolicy(std::string(R"({"deadLetterTargetArn":")") +
                                                    kDlqArn + R"(","maxReceiveCount":"7"})");
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->max_receive_count, 7);
  EXPECT_EQ(policy->rendered,
            std::string(R"({"deadLetterTargetArn":")") + kDlqArn + R"(","maxReceiveCount":7})");
}

TEST(PolicyRedrivePolicy, AcceptsMaxReceiveCountOneThroughOneThousand) {
  for (int n : {1, 1000}) {
    Result<RedrivePolicy> policy =
        ParseRedrivePolicy(std::string(R"({"deadLetterTargetArn":")") + kDlqArn +
                           R"(","maxReceiveCount":)" + std::to_string(n) + "}");
    ASSERT_THAT(policy, IsOk()) << n;
    EXPECT_EQ(policy->max_receive_count, n);
  }
}

TEST(PolicyRedrivePolicy, RejectsMaxReceiveCountOutsideOneThroughOneThousand) {
  for (const std::string count : {"0", "1001", "-1", "\"0\"", "\"1001\"", "18446744073709551615"}) {
    const std::string text = std::string(R"({"deadLetterTargetArn":")") + kDlqArn +
                             R"(","maxReceiveCount":)" + count + "}";
    EXPECT_THAT(ParseRedrivePolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(text))))
        << count;
  }
}

TEST(PolicyRedrivePolicy, RejectsNonIntegerMaxReceiveCount) {
  for (const std::string count : {"\"five\"", "5.5", "true", "null", "[5]", "\"\""}) {
    const std::string text = std::string(R"({"deadLetterTargetArn":")") + kDlqArn +
                             R"(","maxReceiveCount":)" + count + "}";
    EXPECT_THAT(ParseRedrivePolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(text))))
        << count;
  }
}

TEST(PolicyRedrivePolicy, RequiresBothKeys) {
  const std::string no_target = R"({"maxReceiveCount":5})";
  const std::string no_count = std::string(R"({"deadLetterTargetArn":")") + kDlqArn + "\"}";
  EXPECT_THAT(ParseRedrivePolicy(no_target),
              StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(no_target))));
  EXPECT_THAT(ParseRedrivePolicy(no_count),
              StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(no_count))));
  EXPECT_THAT(ParseRedrivePolicy("{}"), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(PolicyRedrivePolicy, RejectsTargetThatIsNoQueueArn) {
  for (const std::string target :
       {R"("orders-dlq")", R"("arn:aws:sns:us-east-1:123456789012:t")", "42", R"("")"}) {
    const std::string text = R"({"deadLetterTargetArn":)" + target + R"(,"maxReceiveCount":5})";
    EXPECT_THAT(ParseRedrivePolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(text))))
        << target;
  }
}

TEST(PolicyRedrivePolicy, RejectsTextThatIsNoJsonObject) {
  for (const std::string text : {"", "{", "not json", "[]", "5", R"("text")"}) {
    EXPECT_THAT(ParseRedrivePolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(RedriveError(text))))
        << text;
  }
}

// ---- ParseRedriveAllowPolicy ---------------------------------------------------------

TEST(PolicyRedriveAllowPolicy, AllowAllAdmitsAnySource) {
  Result<RedriveAllowPolicy> policy =
      ParseRedriveAllowPolicy(R"({"redrivePermission":"allowAll"})");
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->permission, RedriveAllowPolicy::Permission::kAllowAll);
  EXPECT_TRUE(policy->Allows(kOrdersArn));
  EXPECT_EQ(policy->rendered, R"({"redrivePermission":"allowAll"})");
}

TEST(PolicyRedriveAllowPolicy, DenyAllAdmitsNoSource) {
  Result<RedriveAllowPolicy> policy = ParseRedriveAllowPolicy(R"({"redrivePermission":"denyAll"})");
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->permission, RedriveAllowPolicy::Permission::kDenyAll);
  EXPECT_FALSE(policy->Allows(kOrdersArn));
}

TEST(PolicyRedriveAllowPolicy, ByQueueAdmitsOnlyListedSources) {
  Result<RedriveAllowPolicy> policy = ParseRedriveAllowPolicy(
      std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":[")") + kOrdersArn + "\"]}");
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->permission, RedriveAllowPolicy::Permission::kByQueue);
  EXPECT_THAT(policy->source_queue_arns, ElementsAre(kOrdersArn));
  EXPECT_TRUE(policy->Allows(kOrdersArn));
  EXPECT_FALSE(policy->Allows("arn:aws:sqs:us-east-1:123456789012:other"));
}

TEST(PolicyRedriveAllowPolicy, ByQueueIsRenderedNormalised) {
  Result<RedriveAllowPolicy> policy =
      ParseRedriveAllowPolicy(std::string(R"({ "sourceQueueArns" : [ ")") + kOrdersArn +
                              R"(" ], "redrivePermission" : "byQueue" })");
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(
      policy->rendered,
      std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":[")") + kOrdersArn + "\"]}");
}

TEST(PolicyRedriveAllowPolicy, ByQueueAcceptsTenSourceArns) {
  Result<RedriveAllowPolicy> policy = ParseRedriveAllowPolicy(AllowByQueue(10));
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(policy->source_queue_arns.size(), 10u);
}

TEST(PolicyRedriveAllowPolicy, ByQueueWithMoreThanTenSourceArnsIsRejected) {
  const std::string text = AllowByQueue(11);
  EXPECT_THAT(ParseRedriveAllowPolicy(text),
              StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))));
}

TEST(PolicyRedriveAllowPolicy, ByQueueWithoutSourceArnsIsRejected) {
  for (const std::string& text :
       {std::string(R"({"redrivePermission":"byQueue"})"), AllowByQueue(0),
        std::string(R"({"redrivePermission":"byQueue","sourceQueueArns":"x"})")}) {
    EXPECT_THAT(ParseRedriveAllowPolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))))
        << text;
  }
}

TEST(PolicyRedriveAllowPolicy, SourceArnsWithoutByQueueAreRejected) {
  for (const char* permission : {"allowAll", "denyAll"}) {
    const std::string text = std::string(R"({"redrivePermission":")") + permission +
                             R"(","sourceQueueArns":[")" + kOrdersArn + "\"]}";
    EXPECT_THAT(ParseRedriveAllowPolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))))
        << permission;
  }
}

TEST(PolicyRedriveAllowPolicy, RejectsMissingOrUnknownPermission) {
  for (const std::string text :
       {"{}", R"({"redrivePermission":"maybe"})", R"({"redrivePermission":"AllowAll"})",
        R"({"redrivePermission":1})"}) {
    EXPECT_THAT(ParseRedriveAllowPolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))))
        << text;
  }
}

TEST(PolicyRedriveAllowPolicy, RejectsSourceThatIsNoQueueArn) {
  const std::string text = R"({"redrivePermission":"byQueue","sourceQueueArns":["orders"]})";
  EXPECT_THAT(ParseRedriveAllowPolicy(text),
              StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))));
}

TEST(PolicyRedriveAllowPolicy, RejectsTextThatIsNoJsonObject) {
  for (const std::string text : {"", "not json", "[]"}) {
    EXPECT_THAT(ParseRedriveAllowPolicy(text),
                StatusIs(ErrorCode::kInvalidParameterValue, StartsWith(AllowError(text))))
        << text;
  }
}

// ---- ValidatePolicyDocument ------------------------------------------------------------

TEST(PolicyDocument, AcceptsStatementArrayOrSingleObject) {
  EXPECT_THAT(ValidatePolicyDocument(DocumentWithStatements(1)), IsOk());
  EXPECT_THAT(ValidatePolicyDocument(R"({"Statement":{"Effect":"Allow"}})"), IsOk());
  EXPECT_THAT(ValidatePolicyDocument(R"({"Statement":[]})"), IsOk());
}

TEST(PolicyDocument, AcceptsExactly8192Bytes) {
  const std::string head = R"({"Statement":[],"Id":")";
  const std::string document = head + std::string(8192 - head.size() - 2, 'x') + "\"}";
  ASSERT_EQ(document.size(), 8192u);
  EXPECT_THAT(ValidatePolicyDocument(document), IsOk());
}

TEST(PolicyDocument, RejectsMoreThan8192Bytes) {
  const std::string head = R"({"Statement":[],"Id":")";
  const std::string document = head + std::string(8193 - head.size() - 2, 'x') + "\"}";
  ASSERT_EQ(document.size(), 8193u);
  EXPECT_THAT(ValidatePolicyDocument(document),
              StatusIs(ErrorCode::kInvalidAttributeValue, StartsWith(kPolicyError)));
}

TEST(PolicyDocument, AcceptsTwentyStatements) {
  EXPECT_THAT(ValidatePolicyDocument(DocumentWithStatements(20)), IsOk());
}

TEST(PolicyDocument, RejectsMoreThanTwentyStatements) {
  EXPECT_THAT(ValidatePolicyDocument(DocumentWithStatements(21)),
              StatusIs(ErrorCode::kInvalidAttributeValue, StartsWith(kPolicyError)));
}

TEST(PolicyDocument, RejectsDocumentsWithoutStatementObjects) {
  for (const char* text : {"", "not json", "[]", "{}", R"({"Version":"2012-10-17"})",
                           R"({"Statement":"Allow"})", R"({"Statement":[1]})"}) {
    EXPECT_THAT(ValidatePolicyDocument(text),
                StatusIs(ErrorCode::kInvalidAttributeValue, StartsWith(kPolicyError)))
        << text;
  }
}

// ---- AddPermissionStatement -------------------------------------------------------------

TEST(PolicyPermissionStatement, AddToAbsentPolicyCreatesDefaultDocument) {
  Result<std::string> policy = AddPermissionStatement(std::nullopt, kOrdersArn, "AllowSend",
                                                      {"111122223333"}, {"SendMessage"});
  ASSERT_THAT(policy, IsOk());
  const Json document = Parse(*policy);
  EXPECT_EQ(document.at("Version"), "2008-10-17");
  EXPECT_EQ(document.at("Id"), Json(std::string(kOrdersArn) + "/SQSDefaultPolicy"));
  const Json::array_t& statements = document.at("Statement").get_ref<const Json::array_t&>();
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0],
            Json::object({{"Sid", "AllowSend"},
                          {"Effect", "Allow"},
                          {"Principal", Json::object({{"AWS", "arn:aws:iam::111122223333:root"}})},
                          {"Action", "SQS:SendMessage"},
                          {"Resource", kOrdersArn}}));
}

TEST(PolicyPermissionStatement, SeveralAccountsAndActionsBecomeArrays) {
  Result<std::string> policy =
      AddPermissionStatement(std::nullopt, kOrdersArn, "Both", {"111122223333", "444455556666"},
                             {"ReceiveMessage", "DeleteMessage"});
  ASSERT_THAT(policy, IsOk());
  const Json document = Parse(*policy);
  const Json& statement = document.at("Statement").get_ref<const Json::array_t&>().at(0);
  EXPECT_EQ(statement.at("Principal"),
            (Json::object({{"AWS", Json::array({"arn:aws:iam::111122223333:root",
                                                "arn:aws:iam::444455556666:root"})}})));
  EXPECT_EQ(statement.at("Action"), (Json::array({"SQS:ReceiveMessage", "SQS:DeleteMessage"})));
}

TEST(PolicyPermissionStatement, AddExtendsExistingDocumentAndKeepsItsMembers) {
  const std::string existing = DocumentWithStatements(2);
  Result<std::string> policy =
      AddPermissionStatement(existing, kOrdersArn, "Added", {"111122223333"}, {"SendMessage"});
  ASSERT_THAT(policy, IsOk());
  EXPECT_EQ(Parse(*policy).at("Version"), "2012-10-17");
  EXPECT_FALSE(Parse(*policy).get_ref<const Json::object_t&>().count("Id"));
  EXPECT_THAT(Sids(*policy), ElementsAre("S0", "S1", "Added"));
}

TEST(PolicyPermissionStatement, AddTurnsSingleStatementObjectIntoArray) {
  const std::string existing = R"({"Version":"2012-10-17","Statement":{"Sid":"Only"}})";
  Result<std::string> policy =
      AddPermissionStatement(existing, kOrdersArn, "Added", {"111122223333"}, {"SendMessage"});
  ASSERT_THAT(policy, IsOk());
  EXPECT_THAT(Sids(*policy), ElementsAre("Only", "Added"));
}

TEST(PolicyPermissionStatement, AddWithExistingLabelIsInvalidParameterValue) {
  EXPECT_THAT(AddPermissionStatement(DocumentWithStatements(2), kOrdersArn, "S1", {"111122223333"},
                                     {"SendMessage"}),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "Value S1 for parameter Label is invalid. Reason: Already exists."));
}

TEST(PolicyPermissionStatement, AddBeyondTwentyStatementsIsOverLimit) {
  EXPECT_THAT(AddPermissionStatement(DocumentWithStatements(19), kOrdersArn, "Twentieth",
                                     {"111122223333"}, {"SendMessage"}),
              IsOk());
  EXPECT_THAT(AddPermissionStatement(DocumentWithStatements(20), kOrdersArn, "TwentyFirst",
                                     {"111122223333"}, {"SendMessage"}),
              StatusIs(ErrorCode::kOverLimit));
}

TEST(PolicyPermissionStatement, AddWithMoreThanSevenActionsIsOverLimit) {
  const std::vector<std::string> seven = {
      "SendMessage",        "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
      "GetQueueAttributes", "GetQueueUrl",    "PurgeQueue"};
  EXPECT_THAT(AddPermissionStatement(std::nullopt, kOrdersArn, "Seven", {"111122223333"}, seven),
              IsOk());
  std::vector<std::string> eight = seven;
  eight.push_back("ListDeadLetterSourceQueues");
  EXPECT_THAT(AddPermissionStatement(std::nullopt, kOrdersArn, "Eight", {"111122223333"}, eight),
              StatusIs(ErrorCode::kOverLimit));
}

// ---- RemovePermissionStatement -----------------------------------------------------------

TEST(PolicyPermissionStatement, RemoveDropsOnlyTheStatementWithThatLabel) {
  Result<std::optional<std::string>> policy =
      RemovePermissionStatement(DocumentWithStatements(3), "S1");
  ASSERT_THAT(policy, IsOk());
  ASSERT_TRUE(policy->has_value());
  EXPECT_THAT(Sids(**policy), ElementsAre("S0", "S2"));
  EXPECT_EQ(Parse(**policy).at("Version"), "2012-10-17");
}

TEST(PolicyPermissionStatement, RemovingLastStatementLeavesNoPolicy) {
  Result<std::optional<std::string>> policy =
      RemovePermissionStatement(DocumentWithStatements(1), "S0");
  ASSERT_THAT(policy, IsOk());
  EXPECT_FALSE(policy->has_value());
}

TEST(PolicyPermissionStatement, RemovingSingleStatementObjectLeavesNoPolicy) {
  Result<std::optional<std::string>> policy =
      RemovePermissionStatement(std::string(R"({"Statement":{"Sid":"Only"}})"), "Only");
  ASSERT_THAT(policy, IsOk());
  EXPECT_FALSE(policy->has_value());
}

TEST(PolicyPermissionStatement, RemoveUnknownLabelIsInvalidParameterValue) {
  const std::string message =
      "Value Nope for parameter Label is invalid. Reason: can't find label.";
  EXPECT_THAT(RemovePermissionStatement(DocumentWithStatements(2), "Nope"),
              StatusIs(ErrorCode::kInvalidParameterValue, message));
  EXPECT_THAT(RemovePermissionStatement(std::nullopt, "Nope"),
              StatusIs(ErrorCode::kInvalidParameterValue, message));
  EXPECT_THAT(RemovePermissionStatement(std::string(R"({"Version":"2012-10-17"})"), "Nope"),
              StatusIs(ErrorCode::kInvalidParameterValue, message));
}

TEST(PolicyPermissionStatement, AddThenRemoveRoundTrips) {
  Result<std::string> added = AddPermissionStatement(DocumentWithStatements(1), kOrdersArn, "Temp",
                                                     {"111122223333"}, {"SendMessage"});
  ASSERT_THAT(added, IsOk());
  Result<std::optional<std::string>> removed = RemovePermissionStatement(*added, "Temp");
  ASSERT_THAT(removed, IsOk());
  ASSERT_TRUE(removed->has_value());
  EXPECT_EQ(Parse(**removed), Parse(DocumentWithStatements(1)));
}

}  // namespace
}  // namespace sqsim::internal
