// Crash: thrown by actor code to simulate the death of its process.

#ifndef SQSIM_TESTING_CRASH_H_
#define SQSIM_TESTING_CRASH_H_

#include <string>

#include "sqsim/fatal_error.h"

namespace sqsim::testing {

// Thrown by actor code (ActorContext::MaybeCrash, or a RecordingClient at the
// fault points "call:<Action>" and "response:<Action>") to simulate a crash of
// the process. The scenario harness records it in the history
// (OpType::kCrash, detail = `point`) and restarts the actor. A FatalError:
// the consumer runtime never handles it as a handler failure.
class Crash : public FatalError {
 public:
  // `point`: the fault point that fired, if one did.
  explicit Crash(std::string point = "") : point_(std::move(point)) {}
  const char* what() const noexcept override { return "simulated crash"; }
  const std::string& point() const { return point_; }

 private:
  std::string point_;
};

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_CRASH_H_
