// The engine's side of the queue metrics (sqsim/metrics.h): what one queue
// counts during the current minute, the closed one-minute records of every
// queue name, and the queries over them.
//
// Counting costs a few increments per call; the minute is closed by the
// engine when the clock passes its end (Engine::CatchUp), which samples the
// queue's state there and appends one record per active queue.

#ifndef SQSIM_SIM_QUEUE_METRICS_H_
#define SQSIM_SIM_QUEUE_METRICS_H_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/metrics.h"
#include "sqsim/status.h"

namespace sqsim::internal {

// What happened to one queue during the current minute.
struct MinuteCounts {
  int64_t sent = 0;
  int64_t received = 0;
  int64_t deleted = 0;
  int64_t empty_receives = 0;
  int64_t deduplicated = 0;
  // SentMessageSize's statistic set.
  int64_t size_count = 0;
  double size_sum = 0;
  double size_min = 0;
  double size_max = 0;

  void AddSentSize(double bytes) {
    size_min = size_count == 0 ? bytes : std::min(size_min, bytes);
    size_max = size_count == 0 ? bytes : std::max(size_max, bytes);
    size_sum += bytes;
    ++size_count;
  }
};

// One closed minute of one queue: its counts and its state at the end.
struct MinuteRecord {
  int64_t minute = 0;  // minutes since the epoch: the minute [minute, minute + 1)
  MinuteCounts counts{};
  int64_t visible = 0;
  int64_t not_visible = 0;
  int64_t delayed = 0;
  std::optional<double> age_of_oldest_seconds{};  // nullopt: the queue was empty
};

// A queue reports while it holds messages, and for this long after its
// creation or last send, receive or delete (SQS: "active for up to 6 hours"
// after any action; the other actions are not counted here).
inline constexpr int64_t kActiveMinutes = 6 * 60;
// One-minute datapoints are kept this long, as CloudWatch keeps them.
inline constexpr int64_t kKeptMinutes = 15 * 24 * 60;

inline int64_t MinuteOf(Timestamp t) {
  return std::chrono::floor<std::chrono::minutes>(t.time_since_epoch()).count();
}

class QueueMetricsLog {
 public:
  void Append(const std::string& queue_name, const MinuteRecord& record) {
    std::deque<MinuteRecord>& series = series_[queue_name];
    series.push_back(record);
    while (series.front().minute <= record.minute - kKeptMinutes) series.pop_front();
  }
  // The datapoints of `query` as of `now` (the minutes closed so far; the
  // start is rounded down to a whole minute).
  // InvalidParameterValue for a period that is not a positive multiple of a
  // minute, or an end before the start.
  Result<std::vector<MetricDatapoint>> Query(const QueueMetricQuery& query, Timestamp now) const;
  bool Reported(const std::string& queue_name) const { return series_.contains(queue_name); }
  // The names of the queues with datapoints, in name order.
  std::vector<std::string> ReportedQueues() const {
    std::vector<std::string> names;
    for (const auto& [name, series] : series_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, std::deque<MinuteRecord>> series_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_QUEUE_METRICS_H_
