// Per-minute metrics of an SQS event source mapping and its function, in
// virtual time, in the shape of the queue metrics (sqsim/metrics.h's
// MetricDatapoint), so that the same reports can chart both.
//
// The CloudWatch AWS/Lambda metrics by their names ("Types of metrics for
// Lambda functions", monitoring-metrics-types.html):
//   Invocations           invocations started in the minute (throttled
//                         attempts are not invocations)
//   Errors                invocations that ended in a function error: the
//                         handler threw, returned an error, or timed out
//   Throttles             invocation attempts refused because the function's
//                         reserved concurrency was in use
//   ConcurrentExecutions  the most invocations running at once, sampled at
//                         each invocation's start and end (one value per
//                         minute)
//   Duration              milliseconds per invocation: a statistic set
//                         (SampleCount, Sum, Minimum, Maximum) per minute
// The event source mapping metrics of the same page, for SQS:
//   PolledEventCount      messages received by the mapping's pollers
//   DeletedEventCount     messages deleted after processing
// And two of sqsim's own, statistic sets per minute like Duration:
//   BatchSize             records per invocation
//   MessageAge            milliseconds from the oldest record's SentTimestamp
//                         to the invocation's start (what Kinesis calls
//                         IteratorAge; SQS mappings have no such metric)
//
// As for queues, a minute has datapoints only if something was recorded in
// it, and only minutes that ended by the query's end count. Count metrics
// have one value per minute (kept in MetricDatapoint::values, for
// percentiles); statistic sets have none.

#ifndef SQSIM_LAMBDA_FUNCTION_METRICS_H_
#define SQSIM_LAMBDA_FUNCTION_METRICS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sqsim/metrics.h"
#include "sqsim/types.h"

namespace sqsim::lambda {

enum class FunctionMetric : uint8_t {
  kInvocations,
  kErrors,
  kThrottles,
  kConcurrentExecutions,
  kDuration,
  kPolledEventCount,
  kDeletedEventCount,
  kBatchSize,
  kMessageAge,
};
inline constexpr int kFunctionMetricCount = 9;

// The name ("Invocations") and unit ("Count", "Milliseconds").
std::string_view FunctionMetricName(FunctionMetric metric);
std::string_view FunctionMetricUnit(FunctionMetric metric);
std::optional<FunctionMetric> FunctionMetricFromName(std::string_view name);

struct FunctionMetricQuery {
  FunctionMetric metric = FunctionMetric::kInvocations;
  // A positive multiple of one minute (else kInvalidParameterValue).
  Duration period = std::chrono::minutes(1);
  // Periods [start + k * period, start + (k + 1) * period) up to `end`; only
  // periods holding datapoints are returned. Default start: the epoch;
  // default end: now. An end before the start is kInvalidParameterValue.
  std::optional<Timestamp> start{};
  std::optional<Timestamp> end{};
};

}  // namespace sqsim::lambda

#endif  // SQSIM_LAMBDA_FUNCTION_METRICS_H_
