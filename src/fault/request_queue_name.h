// The queue a request names, for matching fault rules by queue: the last path
// segment of a QueueUrl (or the bare name SQS also accepts), a QueueName, or
// the name in a SourceArn. Shared by FaultInjectingClient and sqsim-server.

#ifndef SQSIM_FAULT_REQUEST_QUEUE_NAME_H_
#define SQSIM_FAULT_REQUEST_QUEUE_NAME_H_

#include <string_view>

namespace sqsim::internal {

inline std::string_view LastSegment(std::string_view s, char separator) {
  const size_t pos = s.rfind(separator);
  return pos == std::string_view::npos ? s : s.substr(pos + 1);
}

template <typename Request>
std::string_view QueueNameOf(const Request& request) {
  if constexpr (requires { request.queue_url; }) {
    return LastSegment(request.queue_url, '/');
  } else if constexpr (requires { request.queue_name; }) {
    return request.queue_name;
  } else if constexpr (requires { request.source_arn; }) {
    return LastSegment(request.source_arn, ':');
  } else {
    return {};
  }
}

}  // namespace sqsim::internal

#endif  // SQSIM_FAULT_REQUEST_QUEUE_NAME_H_
