// The per-minute records behind EventSourceMapping::GetMetric.

#ifndef SQSIM_SRC_LAMBDA_METRICS_LOG_H_
#define SQSIM_SRC_LAMBDA_METRICS_LOG_H_

#include <cstdint>
#include <vector>

#include "sqsim/lambda/function_metrics.h"
#include "sqsim/metrics.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::lambda::internal {

// Count, sum, minimum and maximum of the samples of one minute.
struct StatisticSet {
  int64_t count = 0;
  double sum = 0, minimum = 0, maximum = 0;
  void Add(double value);
};

class MetricsLog {
 public:
  // An invocation started with `records` records, the oldest sent `age`
  // ago, `concurrency` invocations running (itself included).
  void Invoked(Timestamp now, size_t records, Duration age, int concurrency);
  // An invocation ended after `duration`, with a function error or not;
  // `concurrency` invocations were running, itself included.
  void Ended(Timestamp now, Duration duration, bool error, int concurrency);
  void Throttled(Timestamp now);
  void Polled(Timestamp now, int64_t messages);
  void Deleted(Timestamp now, int64_t messages);

  // The query's datapoints as of `now`, as Simulator::GetQueueMetric
  // answers for queues.
  Result<std::vector<MetricDatapoint>> Query(const FunctionMetricQuery& query, Timestamp now) const;

 private:
  struct Minute {
    int64_t minute = 0;  // minutes since the epoch
    int64_t invocations = 0, errors = 0, throttles = 0, polled = 0, deleted = 0;
    int max_concurrency = 0;
    StatisticSet duration_ms{}, batch_size{}, age_ms{};
  };
  Minute& At(Timestamp now);

  std::vector<Minute> minutes_;  // in time order
};

}  // namespace sqsim::lambda::internal

#endif  // SQSIM_SRC_LAMBDA_METRICS_LOG_H_
