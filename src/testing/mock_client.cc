// MockClient's out-of-line members: compiled once in sqsim::gmock instead of
// in every test that includes the header.

#include "sqsim/testing/mock_client.h"

namespace sqsim::testing {

MockClient::MockClient() {
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

MockClient::~MockClient() = default;

// Each coroutine form answers as its blocking mock, so one expectation covers
// both forms.
#define SQSIM_MOCK_FORWARD(Name)                                                                  \
  boost::asio::awaitable<Result<Name##Response>> MockClient::Async##Name(Name##Request request) { \
    co_return Name(request);                                                                      \
  }
SQSIM_FOR_EACH_ACTION(SQSIM_MOCK_FORWARD)
#undef SQSIM_MOCK_FORWARD

}  // namespace sqsim::testing
