// The server's queues config: JSON naming the queues to create at start.
//
//   {"queues":[{"name":"orders-dlq"},
//              {"name":"orders","attributes":{"VisibilityTimeout":"30"},
//               "dead_letter_queue":"orders-dlq","max_receive_count":5,
//               "tags":{"team":"billing"}}]}
//
// `dead_letter_queue` names another queue of the same file and becomes the
// RedrivePolicy attribute ({"deadLetterTargetArn":...,"maxReceiveCount":N};
// max_receive_count defaults to 10). The attributes themselves are checked
// by the engine when the queues are created.

#ifndef SQSIM_SERVER_QUEUES_CONFIG_H_
#define SQSIM_SERVER_QUEUES_CONFIG_H_

#include <string_view>
#include <vector>

#include "sqsim/requests.h"
#include "sqsim/status.h"

namespace sqsim::internal {

// The CreateQueue requests the config asks for, every dead-letter queue
// before the queues that name it. Fails with kInvalidParameterValue naming
// the queue and member at fault: not JSON, unknown or mistyped members, a
// missing or duplicate name, a dead_letter_queue not in the file, a cycle,
// or both dead_letter_queue and a RedrivePolicy attribute.
Result<std::vector<CreateQueueRequest>> ParseQueuesConfig(std::string_view json,
                                                          std::string_view region,
                                                          std::string_view account_id);

}  // namespace sqsim::internal

#endif  // SQSIM_SERVER_QUEUES_CONFIG_H_
