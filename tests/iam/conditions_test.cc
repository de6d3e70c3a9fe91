// Condition operators and keys, one behaviour per test.

#include <gtest/gtest.h>

#include <chrono>

#include "iam/conditions.h"
#include "sqsim/iam.h"

namespace sqsim::iam {
namespace conditions_test {

using namespace std::chrono_literals;

Request BaseRequest() {
  return Request{.principal = {.arn = "arn:aws:iam::111122223333:role/worker"},
                 .action = "SendMessage",
                 .resource_arn = "arn:aws:sqs:us-east-1:111122223333:orders"};
}

bool Holds(std::string op, std::string key, std::vector<std::string> values,
           const Request &request = BaseRequest()) {
  Condition condition{
      .op = std::move(op), .key = std::move(key), .values = std::move(values)};
  EXPECT_EQ(internal::CheckCondition(condition), std::nullopt);
  return internal::ConditionHolds(condition, request);
}

Request WithSourceArn(std::string arn) {
  Request request = BaseRequest();
  request.context.source_arn = std::move(arn);
  return request;
}

Request WithOtherKey(std::string key, std::vector<std::string> values) {
  Request request = BaseRequest();
  request.context.other_keys[std::move(key)] = std::move(values);
  return request;
}

constexpr const char *kTopic = "arn:aws:sns:us-east-1:111122223333:topic";

TEST(StringConditionTest, EqualsIsCaseSensitive) {
  EXPECT_TRUE(
      Holds("StringEquals", "aws:SourceArn", {kTopic}, WithSourceArn(kTopic)));
  EXPECT_FALSE(Holds("StringEquals", "aws:SourceArn",
                     {"ARN:aws:sns:us-east-1:111122223333:topic"},
                     WithSourceArn(kTopic)));
}

TEST(StringConditionTest, MultipleValuesAreOred) {
  EXPECT_TRUE(Holds("StringEquals", "aws:SourceArn", {"x", kTopic},
                    WithSourceArn(kTopic)));
}

TEST(StringConditionTest, NotEqualsNeedsEveryValueToDiffer) {
  EXPECT_FALSE(Holds("StringNotEquals", "aws:SourceArn", {"x", kTopic},
                     WithSourceArn(kTopic)));
  EXPECT_TRUE(Holds("StringNotEquals", "aws:SourceArn", {"x", "y"},
                    WithSourceArn(kTopic)));
}

TEST(StringConditionTest, EqualsIgnoreCaseFoldsCase) {
  EXPECT_TRUE(
      Holds("StringEqualsIgnoreCase", "aws:RequestedRegion", {"US-EAST-1"}));
  EXPECT_FALSE(
      Holds("StringNotEqualsIgnoreCase", "aws:RequestedRegion", {"US-EAST-1"}));
}

TEST(StringConditionTest, LikeMatchesWildcards) {
  EXPECT_TRUE(Holds("StringLike", "aws:SourceArn",
                    {"arn:aws:sns:*:111122223333:t?pic"},
                    WithSourceArn(kTopic)));
  EXPECT_FALSE(Holds("StringNotLike", "aws:SourceArn", {"arn:aws:sns:*"},
                     WithSourceArn(kTopic)));
}

TEST(StringConditionTest, KeyNamesAreCaseInsensitive) {
  EXPECT_TRUE(
      Holds("StringEquals", "AWS:SOURCEARN", {kTopic}, WithSourceArn(kTopic)));
}

TEST(StringConditionTest, OtherKeysAreMatchedCaseInsensitively) {
  EXPECT_TRUE(Holds("StringEquals", "sqs:queuetag", {"blue"},
                    WithOtherKey("sqs:QueueTag", {"blue"})));
}

TEST(ArnConditionTest, LikeMatchesFieldByField) {
  EXPECT_TRUE(Holds("ArnLike", "aws:SourceArn",
                    {"arn:aws:sns:*:111122223333:*"}, WithSourceArn(kTopic)));
  EXPECT_FALSE(Holds("ArnLike", "aws:SourceArn",
                     {"arn:aws:sns:*:444455556666:*"}, WithSourceArn(kTopic)));
}

TEST(ArnConditionTest, NotLikeHoldsForOtherArns) {
  EXPECT_TRUE(Holds("ArnNotLike", "aws:SourceArn",
                    {"arn:aws:sns:*:444455556666:*"}, WithSourceArn(kTopic)));
  EXPECT_FALSE(
      Holds("ArnNotEquals", "aws:SourceArn", {kTopic}, WithSourceArn(kTopic)));
}

TEST(MissingKeyTest, PositiveOperatorFails) {
  EXPECT_FALSE(Holds("StringEquals", "aws:SourceArn", {kTopic}));
}

TEST(MissingKeyTest, NegatedOperatorHolds) {
  EXPECT_TRUE(Holds("ArnNotEquals", "aws:SourceArn", {kTopic}));
}

TEST(MissingKeyTest, IfExistsHolds) {
  EXPECT_TRUE(Holds("StringEqualsIfExists", "aws:SourceArn", {kTopic}));
}

TEST(MissingKeyTest, IfExistsStillTestsAPresentKey) {
  EXPECT_FALSE(Holds("StringEqualsIfExists", "aws:SourceArn", {"x"},
                     WithSourceArn(kTopic)));
}

TEST(NullConditionTest, TrueMeansAbsent) {
  EXPECT_TRUE(Holds("Null", "aws:SourceVpce", {"true"}));
  EXPECT_FALSE(Holds("Null", "aws:SourceArn", {"true"}, WithSourceArn(kTopic)));
}

TEST(NullConditionTest, FalseMeansPresent) {
  EXPECT_TRUE(Holds("Null", "aws:SourceArn", {"false"}, WithSourceArn(kTopic)));
}

TEST(NumericConditionTest, ComparesAsNumbers) {
  Request request = WithOtherKey("sqs:Count", {"10"});
  EXPECT_TRUE(Holds("NumericEquals", "sqs:Count", {"10.0"}, request));
  EXPECT_TRUE(Holds("NumericNotEquals", "sqs:Count", {"9"}, request));
  EXPECT_TRUE(Holds("NumericLessThan", "sqs:Count", {"11"}, request));
  EXPECT_FALSE(Holds("NumericLessThan", "sqs:Count", {"10"}, request));
  EXPECT_TRUE(Holds("NumericLessThanEquals", "sqs:Count", {"10"}, request));
  EXPECT_TRUE(Holds("NumericGreaterThan", "sqs:Count", {"9.5"}, request));
  EXPECT_TRUE(Holds("NumericGreaterThanEquals", "sqs:Count", {"10"}, request));
}

TEST(NumericConditionTest, UnreadableRequestValueMatchesNothing) {
  EXPECT_FALSE(Holds("NumericEquals", "sqs:Count", {"10"},
                     WithOtherKey("sqs:Count", {"ten"})));
}

TEST(DateConditionTest, ComparesCurrentTime) {
  Request request = BaseRequest();
  request.context.current_time =
      Timestamp{std::chrono::sys_days{std::chrono::year{2026} /
                                      std::chrono::January / 2}} +
      3h;
  EXPECT_TRUE(Holds("DateEquals", "aws:CurrentTime", {"2026-01-02T03:00:00Z"},
                    request));
  EXPECT_TRUE(
      Holds("DateNotEquals", "aws:CurrentTime", {"2026-01-02"}, request));
  EXPECT_TRUE(Holds("DateLessThan", "aws:CurrentTime",
                    {"2026-01-02T05:00:00+01:00"}, request));
  EXPECT_TRUE(Holds("DateLessThanEquals", "aws:CurrentTime",
                    {"2026-01-02T03:00Z"}, request));
  EXPECT_TRUE(
      Holds("DateGreaterThan", "aws:CurrentTime", {"1767322799"}, request));
  EXPECT_FALSE(Holds("DateGreaterThanEquals", "aws:CurrentTime",
                     {"2026-01-02T03:00:00.000001Z"}, request));
}

TEST(BoolConditionTest, MatchesSecureTransport) {
  Request request = BaseRequest();
  request.context.secure_transport = false;
  EXPECT_TRUE(Holds("Bool", "aws:SecureTransport", {"false"}, request));
  EXPECT_FALSE(Holds("Bool", "aws:SecureTransport", {"true"}, request));
}

TEST(IpConditionTest, MatchesIpv4Cidr) {
  Request request = BaseRequest();
  request.context.source_ip = "203.0.113.77";
  EXPECT_TRUE(Holds("IpAddress", "aws:SourceIp", {"203.0.113.0/24"}, request));
  EXPECT_FALSE(Holds("IpAddress", "aws:SourceIp", {"203.0.112.0/24"}, request));
  EXPECT_TRUE(Holds("NotIpAddress", "aws:SourceIp", {"10.0.0.0/8"}, request));
}

TEST(IpConditionTest, MatchesIpv6Cidr) {
  Request request = BaseRequest();
  request.context.source_ip = "2001:db8:1234::1";
  EXPECT_TRUE(Holds("IpAddress", "aws:SourceIp", {"2001:db8::/32"}, request));
  EXPECT_FALSE(Holds("IpAddress", "aws:SourceIp", {"2001:db9::/32"}, request));
  EXPECT_FALSE(Holds("IpAddress", "aws:SourceIp", {"0.0.0.0/0"}, request));
}

TEST(IpConditionTest, AddressWithoutPrefixIsOneHost) {
  Request request = BaseRequest();
  request.context.source_ip = "192.0.2.1";
  EXPECT_TRUE(Holds("IpAddress", "aws:SourceIp", {"192.0.2.1"}, request));
  EXPECT_FALSE(Holds("IpAddress", "aws:SourceIp", {"192.0.2.2"}, request));
}

TEST(PrincipalKeyTest, PrincipalArnAndAccount) {
  EXPECT_TRUE(Holds("ArnLike", "aws:PrincipalArn",
                    {"arn:aws:iam::111122223333:role/*"}));
  EXPECT_TRUE(Holds("StringEquals", "aws:PrincipalAccount", {"111122223333"}));
}

TEST(PrincipalKeyTest, AbsentForServicePrincipals) {
  Request request = BaseRequest();
  request.principal = {.service = "sns.amazonaws.com"};
  EXPECT_TRUE(Holds("Null", "aws:PrincipalArn", {"true"}, request));
}

TEST(ContextKeyTest, SourceAccountAndVpce) {
  Request request = BaseRequest();
  request.context.source_account = "111122223333";
  request.context.source_vpce = "vpce-1a2b3c4d";
  EXPECT_TRUE(
      Holds("StringEquals", "aws:SourceAccount", {"111122223333"}, request));
  EXPECT_TRUE(
      Holds("StringEquals", "aws:SourceVpce", {"vpce-1a2b3c4d"}, request));
}

TEST(SetQualifierTest, ForAllValuesNeedsEveryRequestValueToMatch) {
  Request request = WithOtherKey("sqs:Tags", {"a", "b"});
  EXPECT_TRUE(
      Holds("ForAllValues:StringEquals", "sqs:Tags", {"a", "b", "c"}, request));
  EXPECT_FALSE(Holds("ForAllValues:StringEquals", "sqs:Tags", {"a"}, request));
}

TEST(SetQualifierTest, ForAllValuesHoldsForAnAbsentKey) {
  EXPECT_TRUE(Holds("ForAllValues:StringEquals", "sqs:Tags", {"a"}));
}

TEST(SetQualifierTest, ForAnyValueNeedsOneRequestValueToMatch) {
  Request request = WithOtherKey("sqs:Tags", {"a", "b"});
  EXPECT_TRUE(Holds("ForAnyValue:StringEquals", "sqs:Tags", {"b"}, request));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", "sqs:Tags", {"c"}, request));
  EXPECT_FALSE(Holds("ForAnyValue:StringEquals", "sqs:Tags", {"c"}));
}

TEST(SetQualifierTest, ForAnyValueNegatedNeedsOneRequestValueOutside) {
  Request request = WithOtherKey("sqs:Tags", {"a", "b"});
  EXPECT_TRUE(Holds("ForAnyValue:StringNotEquals", "sqs:Tags", {"a"}, request));
  EXPECT_FALSE(
      Holds("ForAnyValue:StringNotEquals", "sqs:Tags", {"a", "b"}, request));
}

} // namespace conditions_test
} // namespace sqsim::iam
