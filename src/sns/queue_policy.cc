#include "sqsim/sns/queue_policy.h"

#include <nlohmann/json.hpp>

namespace sqsim::sns {

std::string QueuePolicyAllowingTopic(std::string_view queue_arn, std::string_view topic_arn) {
  // Built as JSON rather than pasted text, so that any ARN comes out escaped.
  const nlohmann::json statement = {{"Effect", "Allow"},
                                    {"Principal", {{"Service", "sns.amazonaws.com"}}},
                                    {"Action", "sqs:SendMessage"},
                                    {"Resource", queue_arn},
                                    {"Condition", {{"ArnEquals", {{"aws:SourceArn", topic_arn}}}}}};
  return nlohmann::json{{"Version", "2012-10-17"},
                        {"Statement", nlohmann::json::array({statement})}}
      .dump();
}

}  // namespace sqsim::sns
