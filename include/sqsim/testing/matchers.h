// GoogleTest matchers for Status and Result<T>, after absl's
// status_matchers.h:
//
//   EXPECT_THAT(sim->DeleteQueue({.queue_url = url}), IsOk());
//   EXPECT_THAT(sim->GetQueueUrl({.queue_name = "nope"}),
//               StatusIs(ErrorCode::kQueueDoesNotExist));
//   EXPECT_THAT(sim->GetQueueUrl({.queue_name = "q"}),
//               IsOkAndHolds(Field(&GetQueueUrlResponse::queue_url, EndsWith("/q"))));
//
// There is deliberately no NotOk(): a test should name the error it expects.
// HasBody, HasMessageAttribute and HasSystemAttribute match messages.
//
// Thread safety: matchers are values.

#ifndef SQSIM_TESTING_MATCHERS_H_
#define SQSIM_TESTING_MATCHERS_H_

#include <ostream>
#include <utility>

#include <gmock/gmock.h>

#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::testing {

namespace internal {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
Status GetStatus(const Result<T>& r) {
  return r.status();
}

}  // namespace internal

MATCHER(IsOk, "is OK") {
  const Status status = internal::GetStatus(arg);
  if (!status.ok()) *result_listener << "which is " << status.ToString();
  return status.ok();
}

MATCHER_P(StatusIs, code, "has error code " + std::string(GetErrorInfo(code).name)) {
  const Status status = internal::GetStatus(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has error code " + std::string(GetErrorInfo(code).name) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const Status status = internal::GetStatus(arg);
  *result_listener << "which is " << status.ToString();
  return status.code() == code && ::testing::Matches(message_matcher)(status.message());
}

MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "which is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, arg.value(), result_listener);
}

// Matches a Message whose body matches `body_matcher`:
//   EXPECT_THAT(got->messages, ElementsAre(HasBody("hello")));
MATCHER_P(HasBody, body_matcher,
          "has a body that " + ::testing::DescribeMatcher<std::string>(body_matcher)) {
  return ::testing::ExplainMatchResult(body_matcher, arg.body, result_listener);
}

// Matches a Message with user attribute `name` whose string value (String and
// Number types) matches `value_matcher`.
MATCHER_P2(HasMessageAttribute, name, value_matcher,
           "has message attribute " + std::string(name) + " with a value that " +
               ::testing::DescribeMatcher<std::string>(value_matcher)) {
  auto it = arg.message_attributes.find(name);
  if (it == arg.message_attributes.end()) {
    *result_listener << "which has no attribute " << name;
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, it->second.string_value.value_or(""),
                                       result_listener);
}

// Matches a Message whose system attribute `name` (e.g.
// "ApproximateReceiveCount") matches `value_matcher`.
MATCHER_P2(HasSystemAttribute, name, value_matcher,
           "has system attribute " + std::string(name) + " with a value that " +
               ::testing::DescribeMatcher<std::string>(value_matcher)) {
  auto it = arg.attributes.find(name);
  if (it == arg.attributes.end()) {
    *result_listener << "which has no system attribute " << name;
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, it->second, result_listener);
}

}  // namespace sqsim::testing

namespace sqsim {

// Lets GoogleTest print a Result in failure messages (found by ADL).
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* os) {
  *os << (result.ok() ? std::string("OK result") : result.status().ToString());
}

}  // namespace sqsim

#endif  // SQSIM_TESTING_MATCHERS_H_
