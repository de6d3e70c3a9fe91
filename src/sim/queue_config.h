// QueueConfig: a queue's settable attributes, typed, and the rules for
// changing them (CreateQueue and SetQueueAttributes) and reading them back
// (GetQueueAttributes). Rules: AWS API Reference CreateQueue and
// SetQueueAttributes (ranges and defaults). Which attributes `All` lists and
// the errors for misplaced ones are undocumented; they follow AWS answers
// recorded by LocalStack's AWS-validated tests.
//
// Checks that need other queues (a RedrivePolicy's target exists and has the
// same type, its RedriveAllowPolicy admits the source) are the engine's.

#ifndef SQSIM_SIM_QUEUE_CONFIG_H_
#define SQSIM_SIM_QUEUE_CONFIG_H_

#include <optional>
#include <string>
#include <string_view>

#include "sim/policy.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

struct QueueConfig {
  bool fifo = false;
  int delay_seconds = 0;
  int maximum_message_size = 1048576;
  int message_retention_period = 345600;
  int receive_message_wait_time_seconds = 0;
  int visibility_timeout = 30;
  std::optional<std::string> policy;
  std::optional<RedrivePolicy> redrive_policy;
  std::optional<RedriveAllowPolicy> redrive_allow_policy;
  bool content_based_deduplication = false;
  std::string deduplication_scope = "queue";
  std::string fifo_throughput_limit = "perQueue";
  std::optional<std::string> kms_master_key_id;
  int kms_data_key_reuse_period_seconds = 300;
  bool sqs_managed_sse_enabled = true;
};

// What is being done with an attribute map.
enum class AttributeUse { kCreate, kSet };

// Applies `attributes` to `config`, all or nothing. For kCreate, `config`
// must be the defaults with `fifo` already decided from the request. Errors:
// InvalidAttributeName for unknown, read-only or queue-type-inappropriate
// names; InvalidAttributeValue for values out of range or malformed;
// InvalidParameterValue for malformed redrive policies (as SQS reports them).
Status ApplyQueueAttributes(const QueueAttributeMap& attributes, AttributeUse use,
                            QueueConfig* config);

// The settable attributes the queue currently has, as GetQueueAttributes
// reports them (no counters, timestamps or ARN; the engine adds those).
QueueAttributeMap RenderConfigAttributes(const QueueConfig& config);

// The rendered value of one attribute, for CreateQueue's idempotency check
// ("A queue already exists with the same name and a different value for
// attribute X"). nullopt when the queue does not have the attribute.
std::optional<std::string> RenderConfigAttribute(const QueueConfig& config, std::string_view name);

// True for every name in the QueueAttributeName enum except `All`.
bool IsQueueAttributeName(std::string_view name);

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_QUEUE_CONFIG_H_
