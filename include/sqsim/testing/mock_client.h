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
// Coroutine code under test can run on a Simulator's executor with a
// MockClient as its Client and the simulator's Env: retries and backoff then
// run in virtual time, exactly, with no real sleeping:
//
//   auto sim = sqsim::Simulator::Create(sqsim::SimulatorOptions::Exact(1)).value();
//   sim->Spawn(SendWithRetries(mock, sim->env()));  // the code under test
//   sim->RunUntilIdle();                              // sim->Now() tells how long it backed off
//
// Unexpected calls return the action's default: a `Result` holding an
// internal-failure Status (GoogleMock cannot default-construct Result, so the
// mock supplies one), which makes a forgotten expectation visible.
//
// Link `sqsim::gmock` (built when GoogleTest is found): the constructor,
// destructor and coroutine forms are compiled there once, because they
// instantiate GoogleMock's machinery for all 23 actions, which costs every
// test file that includes this header seconds and hundreds of megabytes of
// compiler memory when it is inline (GoogleMock's cookbook gives the same
// advice for large mocks).
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
  ~MockClient() override;

#define SQSIM_MOCK_ACTION(Name)                                                          \
  MOCK_METHOD(Result<Name##Response>, Name, (const Name##Request& request), (override)); \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_MOCK_ACTION)
#undef SQSIM_MOCK_ACTION
};

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_MOCK_CLIENT_H_
