#include "core/metric_periods.h"

#include <algorithm>
#include <chrono>

namespace sqsim::internal {

Result<MetricPeriods> MetricPeriods::Create(Duration period, std::optional<Timestamp> start,
                                            std::optional<Timestamp> end, Timestamp now) {
  const int64_t period_us = period.count();
  if (period_us <= 0 || period_us % 60'000'000 != 0) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "The period must be a positive multiple of 60 seconds.");
  }
  const Timestamp first = std::chrono::floor<std::chrono::minutes>(start.value_or(Timestamp()));
  const Timestamp last = end.value_or(now);
  if (last < first) {
    return Status(ErrorCode::kInvalidParameterValue, "The end time is before the start time.");
  }
  MetricPeriods periods(period_us / 60'000'000, first, last);
  periods.start_minute_ =
      std::chrono::duration_cast<std::chrono::minutes>(first.time_since_epoch()).count();
  return periods;
}

bool MetricPeriods::PastEnd(int64_t minute) const {
  return Timestamp(std::chrono::minutes(minute + 1)) > end_;
}

bool MetricPeriods::Contains(int64_t minute) const {
  return minute >= start_minute_ && !PastEnd(minute);
}

void MetricPeriods::Add(int64_t minute, const MinuteValue& v) {
  const int64_t index = (minute - start_minute_) / period_minutes_;
  const Timestamp period_start =
      start_ + std::chrono::duration_cast<Duration>(std::chrono::minutes(index * period_minutes_));
  if (datapoints_.empty() || datapoints_.back().timestamp != period_start) {
    datapoints_.push_back({.timestamp = period_start,
                           .sample_count = 0,
                           .sum = 0,
                           .minimum = v.minimum,
                           .maximum = v.maximum});
  }
  MetricDatapoint& d = datapoints_.back();
  d.sample_count += v.sample_count;
  d.sum += v.sum;
  d.minimum = std::min(d.minimum, v.minimum);
  d.maximum = std::max(d.maximum, v.maximum);
  if (v.single) d.values.push_back(v.sum);
}

}  // namespace sqsim::internal
