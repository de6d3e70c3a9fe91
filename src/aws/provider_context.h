// ProviderContext: what the credential providers that talk to the network
// share with the client that owns them.
//
// Thread safety: a plain value; `now` must be callable from any thread.

#ifndef SQSIM_AWS_PROVIDER_CONTEXT_H_
#define SQSIM_AWS_PROVIDER_CONTEXT_H_

#include <chrono>
#include <functional>

#include "aws/http_transport.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// The system clock, as a Timestamp.
inline Timestamp SystemNow() {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

struct ProviderContext {
  // The time for SigV4 dates (STS requests), role session names and the
  // expiry checks of source credentials. AwsClient passes its Env's clock.
  std::function<Timestamp()> now = SystemNow;
  // Connect timeout, extra CA file and TLS verification for STS and https
  // container endpoints (AwsClient passes its own options).
  TransportOptions transport{};
  // Bound on one STS request.
  Duration sts_timeout = std::chrono::seconds(30);
};

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_PROVIDER_CONTEXT_H_
