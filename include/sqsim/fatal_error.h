// FatalError: an exception that means the process must die.
//
// Code that handles exceptions on behalf of the application (the consumer
// runtime turns a handler's exception into an outcome) never swallows one of
// these: it ends what it runs and rethrows. The test harness's simulated
// crash (sqsim::testing::Crash) is one.

#ifndef SQSIM_FATAL_ERROR_H_
#define SQSIM_FATAL_ERROR_H_

#include <exception>

namespace sqsim {

class FatalError : public std::exception {};

}  // namespace sqsim

#endif  // SQSIM_FATAL_ERROR_H_
