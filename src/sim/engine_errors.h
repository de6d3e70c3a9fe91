// Small helpers every engine_*.cc file shares: SQS's wording of its two most
// common errors, and timestamps as the message store's microseconds.

#ifndef SQSIM_SIM_ENGINE_ERRORS_H_
#define SQSIM_SIM_ENGINE_ERRORS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// MissingParameter, as SQS words it.
inline Status Missing(std::string_view parameter) {
  return Status(ErrorCode::kMissingParameter,
                "The request must contain the parameter " + std::string(parameter) + ".");
}

// InvalidParameterValue, as SQS words it: "Value <value> for parameter
// <parameter> is invalid. Reason: <reason>".
inline Status InvalidValue(std::string_view value, std::string_view parameter,
                           std::string_view reason) {
  return Status(ErrorCode::kInvalidParameterValue,
                "Value " + std::string(value) + " for parameter " + std::string(parameter) +
                    " is invalid. Reason: " + std::string(reason));
}

// Microseconds since the Unix epoch, the message store's unit of time.
inline int64_t Micros(Timestamp t) { return t.time_since_epoch().count(); }

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_ENGINE_ERRORS_H_
