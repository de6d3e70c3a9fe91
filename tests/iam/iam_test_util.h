// Shared fixtures for the IAM tests: accounts, ARNs and helpers that parse a
// policy or fail the test.

#ifndef SQSIM_TESTS_IAM_IAM_TEST_UTIL_H_
#define SQSIM_TESTS_IAM_IAM_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "sqsim/iam.h"

namespace sqsim::iam::test_util {

inline constexpr std::string_view kAccount = "111122223333";
inline constexpr std::string_view kOtherAccount = "444455556666";
inline const std::string kQueueArn =
    "arn:aws:sqs:us-east-1:111122223333:orders";
inline const std::string kOtherQueueArn =
    "arn:aws:sqs:us-east-1:111122223333:invoices";
inline const std::string kRoleArn = "arn:aws:iam::111122223333:role/worker";
inline const std::string kOtherRoleArn =
    "arn:aws:iam::444455556666:role/partner";

// Parses `json` as a policy of `kind`; a parse error fails the calling test
// and yields an empty document.
inline PolicyDocument MustParse(std::string_view json, PolicyKind kind) {
  Result<PolicyDocument> parsed = ParsePolicy(json, kind);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << "\n" << json;
  if (!parsed.ok())
    return PolicyDocument{.kind = kind};
  return std::move(parsed).value();
}

inline NamedPolicy Identity(std::string name, std::string_view json) {
  return NamedPolicy{.name = std::move(name),
                     .document = MustParse(json, PolicyKind::kIdentity)};
}

inline PolicyDocument Resource(std::string_view json) {
  return MustParse(json, PolicyKind::kResource);
}

inline Request RequestBy(std::string principal_arn, std::string action,
                         std::string resource = kQueueArn) {
  return Request{.principal = {.arn = std::move(principal_arn)},
                 .action = std::move(action),
                 .resource_arn = std::move(resource)};
}

} // namespace sqsim::iam::test_util

#endif // SQSIM_TESTS_IAM_IAM_TEST_UTIL_H_
