// Minute records and queries over them, mirroring src/sim/queue_metrics.cc.

#include "lambda/metrics_log.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>

#include "core/metric_periods.h"

namespace sqsim::lambda {

namespace {

struct MetricInfo {
  FunctionMetric metric;
  std::string_view name;
  std::string_view unit;
};

constexpr std::array<MetricInfo, kFunctionMetricCount> kMetrics = {{
    {FunctionMetric::kInvocations, "Invocations", "Count"},
    {FunctionMetric::kErrors, "Errors", "Count"},
    {FunctionMetric::kThrottles, "Throttles", "Count"},
    {FunctionMetric::kConcurrentExecutions, "ConcurrentExecutions", "Count"},
    {FunctionMetric::kDuration, "Duration", "Milliseconds"},
    {FunctionMetric::kPolledEventCount, "PolledEventCount", "Count"},
    {FunctionMetric::kDeletedEventCount, "DeletedEventCount", "Count"},
    {FunctionMetric::kBatchSize, "BatchSize", "Count"},
    {FunctionMetric::kMessageAge, "MessageAge", "Milliseconds"},
}};

double Milliseconds(Duration d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

std::string_view FunctionMetricName(FunctionMetric metric) {
  return kMetrics[static_cast<size_t>(metric)].name;
}

std::string_view FunctionMetricUnit(FunctionMetric metric) {
  return kMetrics[static_cast<size_t>(metric)].unit;
}

std::optional<FunctionMetric> FunctionMetricFromName(std::string_view name) {
  for (const MetricInfo& info : kMetrics) {
    if (info.name == name) return info.metric;
  }
  return std::nullopt;
}

namespace internal {

using ::sqsim::internal::MetricPeriods;
using ::sqsim::internal::MinuteValue;

void StatisticSet::Add(double value) {
  minimum = count == 0 ? value : std::min(minimum, value);
  maximum = count == 0 ? value : std::max(maximum, value);
  sum += value;
  ++count;
}

MetricsLog::Minute& MetricsLog::At(Timestamp now) {
  const int64_t minute = std::chrono::floor<std::chrono::minutes>(now).time_since_epoch().count();
  // Virtual time only moves forward: a new minute goes at the end.
  if (minutes_.empty() || minutes_.back().minute < minute) minutes_.push_back({.minute = minute});
  return minutes_.back();
}

void MetricsLog::Invoked(Timestamp now, size_t records, Duration age, int concurrency) {
  Minute& m = At(now);
  ++m.invocations;
  m.max_concurrency = std::max(m.max_concurrency, concurrency);
  m.batch_size.Add(static_cast<double>(records));
  m.age_ms.Add(Milliseconds(std::max(age, Duration::zero())));
}

void MetricsLog::Ended(Timestamp now, Duration duration, bool error, int concurrency) {
  Minute& m = At(now);
  if (error) ++m.errors;
  m.max_concurrency = std::max(m.max_concurrency, concurrency);
  m.duration_ms.Add(Milliseconds(duration));
}

void MetricsLog::Throttled(Timestamp now) { ++At(now).throttles; }
void MetricsLog::Polled(Timestamp now, int64_t messages) { At(now).polled += messages; }
void MetricsLog::Deleted(Timestamp now, int64_t messages) { At(now).deleted += messages; }

namespace {

// One minute's value: a count (single) or a statistic set; nullopt when the
// minute has none (a statistic set without samples).
template <typename Minute>
std::optional<MinuteValue> ValueOf(const Minute& m, FunctionMetric metric) {
  const auto one = [](int64_t v) {
    const auto d = static_cast<double>(v);
    return MinuteValue{1, d, d, d, true};
  };
  const auto set = [](const StatisticSet& s) -> std::optional<MinuteValue> {
    if (s.count == 0) return std::nullopt;
    return MinuteValue{static_cast<double>(s.count), s.sum, s.minimum, s.maximum, false};
  };
  switch (metric) {
    case FunctionMetric::kInvocations:
      return one(m.invocations);
    case FunctionMetric::kErrors:
      return one(m.errors);
    case FunctionMetric::kThrottles:
      return one(m.throttles);
    case FunctionMetric::kConcurrentExecutions:
      return one(m.max_concurrency);
    case FunctionMetric::kDuration:
      return set(m.duration_ms);
    case FunctionMetric::kPolledEventCount:
      return one(m.polled);
    case FunctionMetric::kDeletedEventCount:
      return one(m.deleted);
    case FunctionMetric::kBatchSize:
      return set(m.batch_size);
    case FunctionMetric::kMessageAge:
      return set(m.age_ms);
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<MetricDatapoint>> MetricsLog::Query(const FunctionMetricQuery& query,
                                                       Timestamp now) const {
  Result<MetricPeriods> periods = MetricPeriods::Create(query.period, query.start, query.end, now);
  if (!periods.ok()) return periods.status();
  for (const Minute& m : minutes_) {
    if (periods->PastEnd(m.minute)) break;
    if (!periods->Contains(m.minute)) continue;
    if (const std::optional<MinuteValue> v = ValueOf(m, query.metric)) {
      periods->Add(m.minute, *v);
    }
  }
  return periods->Take();
}

}  // namespace internal
}  // namespace sqsim::lambda
