// Option checks in Lambda's order: the API model's constraints first (all of
// them, in one ValidationException, as AWS's request validation reports
// them), then the service's own rules (InvalidParameterValueException).

#include "lambda/validation.h"

#include <string_view>

namespace sqsim::lambda {

namespace {

constexpr std::string_view kReportBatchItemFailures = "ReportBatchItemFailures";

// Collects the model's constraint violations, worded as AWS words them.
class ModelViolations {
 public:
  void AtLeast(std::string_view member, int64_t value, int64_t minimum) {
    if (value < minimum) {
      Add("Value '" + std::to_string(value) + "' at '" + std::string(member) +
          "' failed to satisfy constraint: Member must have value greater than or equal to " +
          std::to_string(minimum));
    }
  }
  void AtMost(std::string_view member, int64_t value, int64_t maximum) {
    if (value > maximum) {
      Add("Value '" + std::to_string(value) + "' at '" + std::string(member) +
          "' failed to satisfy constraint: Member must have value less than or equal to " +
          std::to_string(maximum));
    }
  }
  void Add(std::string clause) { clauses_.push_back(std::move(clause)); }

  Status ToStatus() const {
    if (clauses_.empty()) return Status::Ok();
    std::string message = std::to_string(clauses_.size()) +
                          (clauses_.size() == 1 ? " validation error" : " validation errors") +
                          " detected: ";
    for (size_t i = 0; i < clauses_.size(); ++i) {
      if (i > 0) message += "; ";
      message += clauses_[i];
    }
    return Status(ErrorCode::kValidationError, std::move(message));
  }

 private:
  std::vector<std::string> clauses_;
};

Status InvalidParameterValue(std::string message) {
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

std::string ListText(const std::vector<std::string>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += values[i];
  }
  return text + "]";
}

}  // namespace

Status EventSourceMapping::Validate(const EventSourceMappingOptions& o) {
  ModelViolations model;
  if (o.queue_url.empty()) {
    model.Add(
        "Value null at 'eventSourceArn' failed to satisfy constraint: Member must not be null");
  }
  model.AtLeast("batchSize", o.batch_size, 1);
  model.AtMost("batchSize", o.batch_size, 10000);
  model.AtLeast("maximumBatchingWindowInSeconds", o.maximum_batching_window_in_seconds, 0);
  model.AtMost("maximumBatchingWindowInSeconds", o.maximum_batching_window_in_seconds, 300);
  if (o.function_response_types.size() > 1) {
    model.Add("Value '" + ListText(o.function_response_types) +
              "' at 'functionResponseTypes' failed to satisfy constraint: Member must have length "
              "less than or equal to 1");
  } else if (!o.function_response_types.empty() &&
             o.function_response_types[0] != kReportBatchItemFailures) {
    model.Add("Value '" + ListText(o.function_response_types) +
              "' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy "
              "constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]");
  }
  if (o.maximum_concurrency) {
    model.AtLeast("scalingConfig.maximumConcurrency", *o.maximum_concurrency, 2);
    model.AtMost("scalingConfig.maximumConcurrency", *o.maximum_concurrency, 1000);
  }
  // The function's Timeout: the model says at least 1; Lambda's quota caps
  // it at 900 seconds (15 minutes).
  model.AtLeast("timeout", o.function_timeout_seconds, 1);
  model.AtMost("timeout", o.function_timeout_seconds, 900);
  if (o.reserved_concurrent_executions) {
    model.AtLeast("reservedConcurrentExecutions", *o.reserved_concurrent_executions, 0);
  }
  if (Status s = model.ToStatus(); !s.ok()) return s;

  // FIFO first: a FIFO mapping with BatchSize 100 and a 5-second window is
  // refused for its window (as reported from CloudFormation deployments).
  if (o.queue_url.ends_with(".fifo")) {
    if (o.maximum_batching_window_in_seconds > 0) {
      return InvalidParameterValue("Batching window is not supported for FIFO queues");
    }
    if (o.batch_size > 10) {
      return InvalidParameterValue("Maximum batch size must be between 1 and 10 inclusive");
    }
  }
  if (o.batch_size > 10 && o.maximum_batching_window_in_seconds == 0) {
    return InvalidParameterValue(
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater "
        "than 10");
  }
  return Status::Ok();
}

namespace internal {

Status CheckVisibilityTimeout(int visibility_timeout_seconds, int function_timeout_seconds) {
  if (visibility_timeout_seconds < function_timeout_seconds) {
    return InvalidParameterValue(
        "Queue visibility timeout: " + std::to_string(visibility_timeout_seconds) +
        " seconds is less than Function timeout: " + std::to_string(function_timeout_seconds) +
        " seconds");
  }
  return Status::Ok();
}

std::vector<std::string> Warnings(const EventSourceMappingOptions& o,
                                  int visibility_timeout_seconds) {
  std::vector<std::string> warnings;
  const int64_t recommended = int64_t{6} * o.function_timeout_seconds;
  if (visibility_timeout_seconds < recommended) {
    warnings.push_back(
        "Queue visibility timeout: " + std::to_string(visibility_timeout_seconds) +
        " seconds is less than six times Function timeout: " +
        std::to_string(o.function_timeout_seconds) + " seconds (" + std::to_string(recommended) +
        " seconds): AWS recommends at least six times, so that Lambda can retry a throttled "
        "batch before its messages become visible again");
  }
  // Records wait in the poller up to the window, then the function may run
  // up to its timeout: a shorter visibility timeout lets them be received
  // again while still being processed.
  const int64_t in_poller =
      int64_t{o.maximum_batching_window_in_seconds} + o.function_timeout_seconds;
  if (o.maximum_batching_window_in_seconds > 0 && visibility_timeout_seconds < in_poller) {
    warnings.push_back("Queue visibility timeout: " + std::to_string(visibility_timeout_seconds) +
                       " seconds is less than MaximumBatchingWindowInSeconds plus Function "
                       "timeout (" +
                       std::to_string(in_poller) +
                       " seconds): messages may become visible again before their batch is done");
  }
  if (o.maximum_concurrency && o.reserved_concurrent_executions &&
      *o.maximum_concurrency > *o.reserved_concurrent_executions) {
    warnings.push_back("Maximum concurrency " + std::to_string(*o.maximum_concurrency) +
                       " is larger than the function's reserved concurrency " +
                       std::to_string(*o.reserved_concurrent_executions) +
                       ": Lambda may throttle the mapping's invocations");
  }
  return warnings;
}

}  // namespace internal
}  // namespace sqsim::lambda
