#include "sim/queue_metrics.h"

#include "core/metric_periods.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace sqsim {

namespace {

struct MetricInfo {
  QueueMetric metric;
  std::string_view name;
  std::string_view unit;
};

constexpr std::array<MetricInfo, kQueueMetricCount> kMetrics = {{
    {QueueMetric::kNumberOfMessagesSent, "NumberOfMessagesSent", "Count"},
    {QueueMetric::kNumberOfMessagesReceived, "NumberOfMessagesReceived", "Count"},
    {QueueMetric::kNumberOfMessagesDeleted, "NumberOfMessagesDeleted", "Count"},
    {QueueMetric::kNumberOfEmptyReceives, "NumberOfEmptyReceives", "Count"},
    {QueueMetric::kNumberOfDeduplicatedSentMessages, "NumberOfDeduplicatedSentMessages", "Count"},
    {QueueMetric::kSentMessageSize, "SentMessageSize", "Bytes"},
    {QueueMetric::kApproximateNumberOfMessagesVisible, "ApproximateNumberOfMessagesVisible",
     "Count"},
    {QueueMetric::kApproximateNumberOfMessagesNotVisible, "ApproximateNumberOfMessagesNotVisible",
     "Count"},
    {QueueMetric::kApproximateNumberOfMessagesDelayed, "ApproximateNumberOfMessagesDelayed",
     "Count"},
    {QueueMetric::kApproximateAgeOfOldestMessage, "ApproximateAgeOfOldestMessage", "Seconds"},
}};

}  // namespace

std::string_view QueueMetricName(QueueMetric metric) {
  return kMetrics[static_cast<size_t>(metric)].name;
}

std::string_view QueueMetricUnit(QueueMetric metric) {
  return kMetrics[static_cast<size_t>(metric)].unit;
}

std::optional<QueueMetric> QueueMetricFromName(std::string_view name) {
  for (const MetricInfo& info : kMetrics) {
    if (info.name == name) return info.metric;
  }
  return std::nullopt;
}

std::optional<double> MetricDatapoint::Percentile(double p) const {
  if (values.empty() || !(p > 0) || p > 100) return std::nullopt;
  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  // Nearest rank: the smallest value with at least p% of them at or below.
  const auto rank = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

namespace internal {
namespace {

// One minute's value of `metric`, if the minute has one: a single value, or
// (SentMessageSize) a statistic set.
std::optional<MinuteValue> ValueOf(const MinuteRecord& r, QueueMetric metric) {
  const auto one = [](double v) { return MinuteValue{1, v, v, v, true}; };
  switch (metric) {
    case QueueMetric::kNumberOfMessagesSent:
      return one(static_cast<double>(r.counts.sent));
    case QueueMetric::kNumberOfMessagesReceived:
      return one(static_cast<double>(r.counts.received));
    case QueueMetric::kNumberOfMessagesDeleted:
      return one(static_cast<double>(r.counts.deleted));
    case QueueMetric::kNumberOfEmptyReceives:
      return one(static_cast<double>(r.counts.empty_receives));
    case QueueMetric::kNumberOfDeduplicatedSentMessages:
      return one(static_cast<double>(r.counts.deduplicated));
    case QueueMetric::kSentMessageSize:
      if (r.counts.size_count == 0) return std::nullopt;
      return MinuteValue{static_cast<double>(r.counts.size_count), r.counts.size_sum,
                         r.counts.size_min, r.counts.size_max, false};
    case QueueMetric::kApproximateNumberOfMessagesVisible:
      return one(static_cast<double>(r.visible));
    case QueueMetric::kApproximateNumberOfMessagesNotVisible:
      return one(static_cast<double>(r.not_visible));
    case QueueMetric::kApproximateNumberOfMessagesDelayed:
      return one(static_cast<double>(r.delayed));
    case QueueMetric::kApproximateAgeOfOldestMessage:
      if (!r.age_of_oldest_seconds) return std::nullopt;
      return one(*r.age_of_oldest_seconds);
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<MetricDatapoint>> QueueMetricsLog::Query(const QueueMetricQuery& query,
                                                            Timestamp now) const {
  Result<MetricPeriods> periods = MetricPeriods::Create(query.period, query.start, query.end, now);
  if (!periods.ok()) return periods.status();
  auto it = series_.find(query.queue_name);
  if (it == series_.end()) return std::vector<MetricDatapoint>();
  // The records are in minute order: skip to the first in range, so that
  // a query for the latest minutes (an alarm's, each minute of a long run)
  // does not walk the whole series.
  const auto first =
      std::lower_bound(it->second.begin(), it->second.end(), periods->start_minute(),
                       [](const MinuteRecord& r, int64_t minute) { return r.minute < minute; });
  for (auto r_it = first; r_it != it->second.end() && !periods->PastEnd(r_it->minute); ++r_it) {
    if (const std::optional<MinuteValue> v = ValueOf(*r_it, query.metric)) {
      periods->Add(r_it->minute, *v);
    }
  }
  return periods->Take();
}

}  // namespace internal
}  // namespace sqsim
