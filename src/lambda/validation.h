// The checks Lambda makes when a mapping is created, and the warnings sqsim
// adds (see sqsim/lambda/event_source_mapping.h for the messages and the
// AWS pages they follow).

#ifndef SQSIM_SRC_LAMBDA_VALIDATION_H_
#define SQSIM_SRC_LAMBDA_VALIDATION_H_

#include <string>
#include <vector>

#include "sqsim/lambda/event_source_mapping.h"
#include "sqsim/status.h"

namespace sqsim::lambda::internal {

// CreateEventSourceMapping's check against the queue: InvalidParameterValue
// when the queue's visibility timeout is shorter than the function timeout.
Status CheckVisibilityTimeout(int visibility_timeout_seconds, int function_timeout_seconds);

// What AWS recommends and does not enforce: a visibility timeout of at least
// six times the function timeout; MaximumConcurrency no larger than the
// function's reserved concurrency. And sqsim's own: a visibility timeout at
// least the batching window plus the function timeout.
std::vector<std::string> Warnings(const EventSourceMappingOptions& options,
                                  int visibility_timeout_seconds);

}  // namespace sqsim::lambda::internal

#endif  // SQSIM_SRC_LAMBDA_VALIDATION_H_
