// MetricPeriods: CloudWatch's period arithmetic over per-minute values, for
// every metrics log in sqsim (the queues' and the Lambda trigger's).
//
// A query names a period (a positive multiple of 60 s) and a range [start,
// end) (start rounded down to its minute; end defaults to now). A minute
// counts when it lies wholly in the range; consecutive minutes fold into the
// datapoint of the period they fall in, summed, with minimum and maximum, and
// minutes that are values of their own are kept for percentiles.
//
// Thread safety: a plain value.

#ifndef SQSIM_CORE_METRIC_PERIODS_H_
#define SQSIM_CORE_METRIC_PERIODS_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "sqsim/metrics.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// One minute's statistics of one metric.
struct MinuteValue {
  double sample_count;
  double sum;
  double minimum;
  double maximum;
  bool single;  // a value of its own (kept for percentiles)
};

class MetricPeriods {
 public:
  // Errors: InvalidParameterValue for a period that is not a positive
  // multiple of 60 s, or an end before the start.
  static Result<MetricPeriods> Create(Duration period, std::optional<Timestamp> start,
                                      std::optional<Timestamp> end, Timestamp now);

  // The range's first minute (minutes since the epoch).
  int64_t start_minute() const { return start_minute_; }
  // Whether minute `minute` ends after the range does (the minutes after it
  // do too).
  bool PastEnd(int64_t minute) const;
  // Whether minute `minute` lies wholly in the range.
  bool Contains(int64_t minute) const;
  // Folds minute `minute` (in the range, and not before the last one added)
  // into its period's datapoint.
  void Add(int64_t minute, const MinuteValue& value);
  std::vector<MetricDatapoint> Take() { return std::move(datapoints_); }

 private:
  MetricPeriods(int64_t period_minutes, Timestamp start, Timestamp end)
      : period_minutes_(period_minutes), start_(start), end_(end) {}

  int64_t period_minutes_;
  Timestamp start_;
  Timestamp end_;
  int64_t start_minute_ = 0;
  std::vector<MetricDatapoint> datapoints_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_CORE_METRIC_PERIODS_H_
