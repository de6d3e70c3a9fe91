// Filter policy errors against AWS's recorded answers.
//
// Every expected message here is AWS's own, recorded by localstack's
// AWS-validated tests (tests/aws/services/sns/test_sns_filter_policy.py and
// its .snapshot.json, recorded 2024). Those tests sent the policy as Python's
// json.dumps writes it ({"key": [...]}, with spaces), and AWS quoted it back
// compactly, as these tests expect. Subscribe's errors carry "Attributes
// Reason: "; SetSubscriptionAttributes' do not.

#include <gtest/gtest.h>

#include <string>

#include "sqsim/sns/filter_policy.h"

namespace sqsim::sns {
namespace filter_policy_recorded_test {

void ExpectRecorded(const std::string& policy, FilterPolicyScope scope, FilterPolicyCall call,
                    const std::string& message) {
  const Result<FilterPolicy> parsed = ParseFilterPolicy(policy, scope, call);
  ASSERT_FALSE(parsed.ok()) << policy;
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(parsed.status().http_status(), 400);
  EXPECT_EQ(parsed.status().query_code(), "InvalidParameter");
  EXPECT_EQ(parsed.status().message(), message);
}

// {"key": ["value0", ..., "value<count - 1>"]}
std::string ManyValues(const std::string& key, int count) {
  std::string values;
  for (int i = 0; i < count; ++i)
    values += (i > 0 ? ", \"value" : "\"value") + std::to_string(i) + "\"";
  return "\"" + key + "\": [" + values + "]";
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyErrorConditionList) {
  ExpectRecorded("{\"key\": [[\"value\"]]}", FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Match value must be String, "
                 "number, true, false, or null\n at [Source: (String)\"{\"key\":[[\"value\"]]}\"; "
                 "line: 1, column: 10]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyErrorConditionOperator) {
  ExpectRecorded("{\"key\": [{\"wrong-operator\": true}]}", FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type "
                 "wrong-operator\n at [Source: (String)\"{\"key\":[{\"wrong-operator\":true}]}\"; "
                 "line: 1, column: 31]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyErrorConditionTwoOperators) {
  ExpectRecorded(
      "{\"key\": [{\"suffix\": \"value\", \"prefix\": \"value2\"}]}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Only one key allowed in match "
      "expression\n at [Source: "
      "(String)\"{\"key\":[{\"suffix\":\"value\",\"prefix\":\"value2\"}]}\"; line: 1, column: 37]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionEmptyArray) {
  ExpectRecorded("{\"key\": []}", FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not "
                 "allowed\n at [Source: (String)\"{\"key\":[]}\"; line: 1, column: 10]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionIsNumeric) {
  ExpectRecorded(
      "{\"key\": [{\"suffix\": 100}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n "
      "at [Source: (String)\"{\"key\":[{\"suffix\":100}]}\"; line: 1, column: 22]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionIsNone) {
  ExpectRecorded(
      "{\"key\": [{\"suffix\": null}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n "
      "at [Source: (String)\"{\"key\":[{\"suffix\":null}]}\"; line: 1, column: 23]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionIsNotListAndOperator) {
  ExpectRecorded(
      "{\"key\": {\"suffix\": \"value\"}}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: \"suffix\" must be an object or an "
      "array\n at [Source: (String)\"{\"key\":{\"suffix\":\"value\"}}\"; line: 1, column: 19]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionEmptyList) {
  ExpectRecorded(
      "{\"key\": [{\"suffix\": []}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n "
      "at [Source: (String)\"{\"key\":[{\"suffix\":[]}]}\"; line: 1, column: 20]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionListWrongType) {
  ExpectRecorded("{\"key\": [{\"suffix\": [\"test\", \"test2\"]}]}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be "
                 "a string\n at [Source: "
                 "(String)\"{\"key\":[{\"suffix\":[\"test\",\"test2\"]}]}\"; line: 1, column: 20]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionIsNotListTwoOps) {
  ExpectRecorded(
      "{\"key\": {\"suffix\": \"value\", \"prefix\": \"value\"}}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: \"suffix\" must be an object or an "
      "array\n at [Source: (String)\"{\"key\":{\"suffix\":\"value\",\"prefix\":\"value\"}}\"; "
      "line: 1, column: 19]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyStringOperatorsErrorConditionIsNotListAndNoOperator) {
  ExpectRecorded("{\"key\": {\"not-an-operator\": \"value\"}}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: \"not-an-operator\" must be "
                 "an object or an array\n at [Source: "
                 "(String)\"{\"key\":{\"not-an-operator\":\"value\"}}\"; line: 1, column: 28]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyStringOperatorsErrorConditionBadType) {
  ExpectRecorded(
      "{\"key\": [{\"cidr\": [\"bad-filter\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string\n "
      "at [Source: (String)\"{\"key\":[{\"cidr\":[\"bad-filter\"]}]}\"; line: 1, column: 18]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericEmpty) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": []}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: ]\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[]}]}\"; line: 1, column: 22]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongOperator) {
  ExpectRecorded("{\"key\": [{\"numeric\": [\"operator\"]}]}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized numeric range "
                 "operator: operator\n at [Source: "
                 "(String)\"{\"key\":[{\"numeric\":[\"operator\"]}]}\"; line: 1, column: 32]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericOperatorOrder) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [1, \"<=\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: 1\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[1,\"<=\"]}]}\"; line: 1, column: 22]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericType) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\"=\", \"000\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Value of equals must be numeric\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\"=\",\"000\"]}]}\"; line: 1, column: 26]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericMissingValue) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">=\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Value of >= must be numeric\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">=\"]}]}\"; line: 1, column: 26]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongRangeOrder) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\"<\", 100, \">\", 10]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Too many elements in numeric "
      "expression\n at [Source: (String)\"{\"key\":[{\"numeric\":[\"<\",100,\">\",10]}]}\"; line: "
      "1, column: 30]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongRangeOperators) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">=\", 1, \">\", 2]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: >\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">=\",1,\">\",2]}]}\"; line: 1, column: 31]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongValueOrder) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">\", 3, \"<\", 1]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">\",3,\"<\",1]}]}\"; line: 1, column: 33]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericMissingRangeValue) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">\", 20, \"<=\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Value of <= must be numeric\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"<=\"]}]}\"; line: 1, column: 33]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericMissingRangeOperator) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">\", 20, 30]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Bad value in numeric range: 30\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,30]}]}\"; line: 1, column: 30]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyNumericOperatorErrorNumericWrongSecondRangeOperator) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">\", 20, \"test\"]}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: test\n at "
      "[Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"test\"]}]}\"; line: 1, column: 34]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongRangeValue1Type) {
  ExpectRecorded("{\"key\": [{\"numeric\": [\">\", \"20\", \"<\", \"30\"]}]}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric\n "
                 "at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",\"20\",\"<\",\"30\"]}]}\"; "
                 "line: 1, column: 26]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericWrongRangeValue2Type) {
  ExpectRecorded("{\"key\": [{\"numeric\": [\">\", 20, \"<\", \"30\"]}]}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric\n "
                 "at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,\"<\",\"30\"]}]}\"; line: "
                 "1, column: 33]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyNumericOperatorErrorNumericTooManyRange) {
  ExpectRecorded(
      "{\"key\": [{\"numeric\": [\">\", 20, \"<\", 30, \"<\", 50]}]}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Too many terms in numeric range "
      "expression\n at [Source: "
      "(String)\"{\"key\":[{\"numeric\":[\">\",20,\"<\",30,\"<\",50]}]}\"; line: 1, column: 36]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyExistsOperatorErrorConditionNone) {
  ExpectRecorded("{\"key\": [{\"exists\": null}]}", FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be "
                 "either true or false.\n at [Source: (String)\"{\"key\":[{\"exists\":null}]}\"; "
                 "line: 1, column: 23]");
}

TEST(FilterPolicyRecordedAnswer, ValidatePolicyExistsOperatorErrorConditionString) {
  ExpectRecorded("{\"key\": [{\"exists\": \"no\"}]}", FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be "
                 "either true or false.\n at [Source: (String)\"{\"key\":[{\"exists\":\"no\"}]}\"; "
                 "line: 1, column: 20]");
}

TEST(FilterPolicyRecordedAnswer,
     SubFilterPolicyNestedPropertyConstraintsSubFilterPolicyRuleNoList) {
  ExpectRecorded("{\"key_a\": \"value_one\"}", FilterPolicyScope::kMessageBody,
                 FilterPolicyCall::kSetSubscriptionAttributes,
                 "Invalid parameter: FilterPolicy: \"key_a\" must be an object or an array\n at "
                 "[Source: (String)\"{\"key_a\":\"value_one\"}\"; line: 1, column: 11]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyNestedAnythingButOperatorErrorConditionWrongOperator) {
  ExpectRecorded(
      "{\"key\": [{\"anything-but\": {\"wrong-operator\": null}}]}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: "
      "wrong-operator\n at [Source: "
      "(String)\"{\"key\":[{\"anything-but\":{\"wrong-operator\":null}}]}\"; line: 1, column: 47]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyNestedAnythingButOperatorErrorConditionAnythingButSuffix) {
  ExpectRecorded(
      "{\"key\": [{\"anything-but\": {\"suffix\": \"test\"}}]}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: "
      "suffix\n at [Source: (String)\"{\"key\":[{\"anything-but\":{\"suffix\":\"test\"}}]}\"; "
      "line: 1, column: 36]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyNestedAnythingButOperatorErrorConditionAnythingButExists) {
  ExpectRecorded(
      "{\"key\": [{\"anything-but\": {\"exists\": false}}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: "
      "exists\n at [Source: (String)\"{\"key\":[{\"anything-but\":{\"exists\":false}}]}\"; line: "
      "1, column: 40]");
}

TEST(FilterPolicyRecordedAnswer,
     ValidatePolicyNestedAnythingButOperatorErrorConditionAnythingButPrefixWrongType) {
  ExpectRecorded(
      "{\"key\": [{\"anything-but\": {\"prefix\": false}}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string\n "
      "at [Source: (String)\"{\"key\":[{\"anything-but\":{\"prefix\":false}}]}\"; line: 1, column: "
      "40]");
}

TEST(FilterPolicyRecordedAnswer, BadCidrWithoutSlash) {
  ExpectRecorded(
      "{\"key\": [{\"cidr\": \"bad-filter\"}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Malformed CIDR, one '/' required");
}

TEST(FilterPolicyRecordedAnswer, BadCidrAddress) {
  ExpectRecorded(
      "{\"key\": [{\"cidr\": \"bad-filter/64\"}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: bad-filter");
}

TEST(FilterPolicyRecordedAnswer, BadCidrMask) {
  ExpectRecorded(
      "{\"key\": [{\"cidr\": \"bad-/64filter\"}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Malformed CIDR, mask bits must be an "
      "integer");
}

TEST(FilterPolicyRecordedAnswer, BadCidrIpv4) {
  ExpectRecorded(
      "{\"key\": [{\"cidr\": \"xx.11.xx/8\"}]}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: xx.11.xx");
}

TEST(FilterPolicyRecordedAnswer, BadCidrIpv6) {
  ExpectRecorded("{\"key\": [{\"cidr\": \"xxxx:db8:1234:1a00::/64\"}]}",
                 FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
                 "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: "
                 "xxxx:db8:1234:1a00::");
}

TEST(FilterPolicyRecordedAnswer, TooComplexInOneKey) {
  ExpectRecorded(
      "{" + ManyValues("key", 151) + "}", FilterPolicyScope::kMessageAttributes,
      FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyRecordedAnswer, TooComplexInTwoKeys) {
  ExpectRecorded(
      "{" + ManyValues("key1", 100) + ", " + ManyValues("key2", 51) + "}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyRecordedAnswer, SixKeysAreTooMany) {
  ExpectRecorded(
      "{\"key1\": [\"value1\"], \"key2\": [\"value2\"], \"key3\": [\"value3\"], "
      "\"key4\": [\"value4\"], \"key5\": [\"value5\"], \"key6\": [\"value6\"]}",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 "
      "keys");
}

TEST(FilterPolicyRecordedAnswer, SixKeysAreTooManyInBodyScope) {
  ExpectRecorded(
      "{\"key_a\": [\"value_one\"], \"key_b\": [\"value_two\"], \"key_c\": [\"value_three\"], "
      "\"key_d\": [\"value_four\"], \"key_e\": [\"value_five\"], \"key_f\": [\"value_six\"]}",
      FilterPolicyScope::kMessageBody, FilterPolicyCall::kSetSubscriptionAttributes,
      "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
}

TEST(FilterPolicyRecordedAnswer, NestedPolicyInAttributesScope) {
  ExpectRecorded("{\"object\": {\"key\": [{\"prefix\": \"auto-\"}]}}",
                 FilterPolicyScope::kMessageAttributes,
                 FilterPolicyCall::kSetSubscriptionAttributes,
                 "Invalid parameter: Filter policy scope MessageAttributes does not support nested "
                 "filter policy");
}

TEST(FilterPolicyRecordedAnswer, NestedKeysMultiplyByDepth) {
  // 3 x 4 x 2 x 3 x 1 x 3 = 216
  ExpectRecorded(
      "{\"key_a\": {\"key_b\": {\"key_c\": [\"value_one\", \"value_two\", \"value_three\", "
      "\"value_four\"]}}, \"key_d\": {\"key_e\": [\"value_one\", \"value_two\", \"value_three\"]}, "
      "\"key_f\": [\"value_one\", \"value_two\", \"value_three\"]}",
      FilterPolicyScope::kMessageBody, FilterPolicyCall::kSetSubscriptionAttributes,
      "Invalid parameter: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyRecordedAnswer, OrAlternativesAddUpTo152) {
  // (4 x 6) + (4 x 4 x 4) + (4 x 4 x 4) = 152
  ExpectRecorded(
      R"({"source": ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"], "$or": [)"
      R"({"metricName": ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"]}, )"
      R"({"metricType": ["MetricType", "TestType", "TestType2", "TestType3"], )"
      R"("$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4]}]}]})",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyRecordedAnswer, NestedOrAlternativesAddUpTo160) {
  // (3 x 4 x 2) + (3 x 4 x 6) + (2 x 4 x 2) + (2 x 4 x 6) = 160
  ExpectRecorded(
      R"({"$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestValue"]}, )"
      R"({"namespace": ["AWS/EC2", "AWS/ES"]}], "detail": {"scope": ["Service", "Test"], )"
      R"("$or": [{"source": ["aws.cloudwatch"]}, )"
      R"({"type": ["CloudWatch Alarm State Change", "TestValue", "TestValue2"]}]}})",
      FilterPolicyScope::kMessageBody, FilterPolicyCall::kSubscribe,
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex");
}

TEST(FilterPolicyRecordedAnswer, OrAlternativesAddingUpTo150AreAccepted) {
  // (3 x 6) + (3 x 4 x 4) + (3 x 4 x 7) = 150
  const Result<FilterPolicy> parsed = ParseFilterPolicy(
      R"({"source": ["aws.cloudwatch", "aws.events", "aws.test"], "$or": [)"
      R"({"metricName": ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3", "TestVal4"]}, )"
      R"({"metricType": ["MetricType", "TestType", "TestType2", "TestType3"], )"
      R"("$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4, 5, 6, 7]}]}]})",
      FilterPolicyScope::kMessageAttributes, FilterPolicyCall::kSubscribe);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
}

TEST(FilterPolicyRecordedAnswer, NestedPolicyAcceptedInBodyScope) {
  EXPECT_TRUE(ParseFilterPolicy(R"({"object": {"key": [{"prefix": "auto-"}]}})",
                                FilterPolicyScope::kMessageBody)
                  .ok());
}

TEST(FilterPolicyRecordedAnswer, AnythingButPrefixListAndValueAreAccepted) {
  for (const char* policy : {R"({"key": [{"anything-but": {"prefix": "test-"}}]})",
                             R"({"key": [{"anything-but": ["test", "test2"]}]})",
                             R"({"key": [{"anything-but": "test"}]})"}) {
    EXPECT_TRUE(ParseFilterPolicy(policy, FilterPolicyScope::kMessageAttributes).ok()) << policy;
  }
}

TEST(FilterPolicyRecordedAnswer, UnknownScopeName) {
  const Result<FilterPolicyScope> scope = ParseFilterPolicyScope("RandomValue");
  ASSERT_FALSE(scope.ok());
  EXPECT_EQ(scope.status().code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(scope.status().message(),
            "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either "
            "MessageBody or MessageAttributes");
}

}  // namespace filter_policy_recorded_test
}  // namespace sqsim::sns
