// The queue policy an SQS subscription needs.
//
// SNS delivers to a queue as the service principal `sns.amazonaws.com`, and
// the queue accepts only what its policy allows: a queue with no statement
// for the topic gets nothing (the simulator, sqsim-server and real SQS all
// evaluate it; moto and fauxqs do not). This is the policy the AWS
// documentation gives for an SQS subscription ("Subscribing an Amazon SQS
// queue to an Amazon SNS topic"): allow sqs:SendMessage on the queue to the
// SNS service, on condition that aws:SourceArn is the topic.
//
//   sim.CreateQueue({.queue_name = "orders",
//                    .attributes = {{"Policy", sns::QueuePolicyAllowingTopic(
//                                                   queue_arn, topic_arn)}}});
//
// Thread safety: a pure function.

#ifndef SQSIM_SNS_QUEUE_POLICY_H_
#define SQSIM_SNS_QUEUE_POLICY_H_

#include <string>
#include <string_view>

namespace sqsim::sns {

// The JSON policy document (for the queue's `Policy` attribute) that lets
// the topic `topic_arn`, and nothing else, send to the queue `queue_arn`.
std::string QueuePolicyAllowingTopic(std::string_view queue_arn, std::string_view topic_arn);

}  // namespace sqsim::sns

#endif  // SQSIM_SNS_QUEUE_POLICY_H_
