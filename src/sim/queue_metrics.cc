#include "sim/queue_metrics.h"

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
struct MinuteValue {
  double sample_count;
  double sum;
  double minimum;
  double maximum;
  bool single;  // a value of its own (kept for percentiles)
};

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
  const int64_t period_us = query.period.count();
  if (period_us <= 0 || period_us % 60'000'000 != 0) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "The period must be a positive multiple of 60 seconds.");
  }
  const Timestamp start =
      std::chrono::floor<std::chrono::minutes>(query.start.value_or(Timestamp()));
  const Timestamp end = query.end.value_or(now);
  if (end < start) {
    return Status(ErrorCode::kInvalidParameterValue, "The end time is before the start time.");
  }
  std::vector<MetricDatapoint> out;
  auto it = series_.find(query.queue_name);
  if (it == series_.end()) return out;
  const int64_t period_minutes = period_us / 60'000'000;
  const int64_t start_minute = MinuteOf(start);
  // The records are in minute order: skip to the first in range, so that
  // a query for the latest minutes (an alarm's, each minute of a long run)
  // does not walk the whole series.
  const auto first =
      std::lower_bound(it->second.begin(), it->second.end(), start_minute,
                       [](const MinuteRecord& r, int64_t minute) { return r.minute < minute; });
  for (auto r_it = first; r_it != it->second.end(); ++r_it) {
    const MinuteRecord& r = *r_it;
    if (Timestamp(std::chrono::minutes(r.minute)) >= end) break;
    // A minute counts when it lies wholly in [start, end).
    const Timestamp minute_start = Timestamp(std::chrono::minutes(r.minute));
    if (minute_start < start || minute_start + std::chrono::minutes(1) > end) continue;
    const std::optional<MinuteValue> v = ValueOf(r, query.metric);
    if (!v) continue;
    const int64_t index = (r.minute - start_minute) / period_minutes;
    const Timestamp period_start =
        start + std::chrono::duration_cast<Duration>(std::chrono::minutes(index * period_minutes));
    if (out.empty() || out.back().timestamp != period_start) {
      out.push_back({.timestamp = period_start,
                     .sample_count = 0,
                     .sum = 0,
                     .minimum = v->minimum,
                     .maximum = v->maximum});
    }
    MetricDatapoint& d = out.back();
    d.sample_count += v->sample_count;
    d.sum += v->sum;
    d.minimum = std::min(d.minimum, v->minimum);
    d.maximum = std::max(d.maximum, v->maximum);
    if (v->single) d.values.push_back(v->sum);
  }
  return out;
}

}  // namespace internal
}  // namespace sqsim
