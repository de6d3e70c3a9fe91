// MockClient: a GoogleMock Client, for unit tests of code that calls SQS
// where a scripted answer is all a test needs (the Simulator is the better
// double whenever SQS's behaviour matters).
//
// The 23 blocking actions are mocked. Each coroutine form forwards to its
// blocking mock, so one expectation covers both forms:
//
//   sqsim::testing::MockClient client;
//   EXPECT_CALL(client, SendMessage(::testing::Field(
//                   &sqsim::SendMessageRequest::message_body, "hello")))
//       .WillOnce(::testing::Return(sqsim::SendMessageResponse{.message_id = "m-1"}));
//
// Unexpected calls return the action's default: a `Result` holding an
// internal-failure Status (GoogleMock cannot default-construct Result, so the
// mock supplies one), which makes a forgotten expectation visible.
//
// Thread safety: as GoogleMock mocks (expectations set before use).

#ifndef SQSIM_TESTING_MOCK_CLIENT_H_
#define SQSIM_TESTING_MOCK_CLIENT_H_

#include <gmock/gmock.h>

#include "sqsim/client.h"

namespace sqsim::testing {

class MockClient : public Client {
 public:
  MockClient();

#define SQSIM_MOCK_ACTION(Name)                                                                \
  MOCK_METHOD(Result<Name##Response>, Name, (const Name##Request& request), (override));       \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override { \
    co_return Name(request);                                                                   \
  }
  SQSIM_FOR_EACH_ACTION(SQSIM_MOCK_ACTION)
#undef SQSIM_MOCK_ACTION
};

inline MockClient::MockClient() {
  // Default answers for calls without an expectation.
#define SQSIM_MOCK_DEFAULT(Name)                                                           \
  ON_CALL(*this, Name(::testing::_))                                                       \
      .WillByDefault(::testing::Return(Result<Name##Response>(                             \
          Status(ErrorCode::kInternalFailure, "MockClient: no expectation for " #Name)))); \
  ::testing::DefaultValue<Result<Name##Response>>::Set(Result<Name##Response>(             \
      Status(ErrorCode::kInternalFailure, "MockClient: no expectation for " #Name)));
  SQSIM_FOR_EACH_ACTION(SQSIM_MOCK_DEFAULT)
#undef SQSIM_MOCK_DEFAULT
}

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_MOCK_CLIENT_H_
