// The engine's queue metrics: closing minutes, and queries (see
// sim/queue_metrics.h and sqsim/metrics.h).

#include "sim/engine.h"

#include <algorithm>

#include "sim/engine_errors.h"

namespace sqsim::internal {

void Engine::CloseMetricMinutes(Timestamp now) {
  const int64_t current = MinuteOf(now);
  metrics_minute_end_us_ =
      std::chrono::duration_cast<Duration>(std::chrono::minutes(current + 1)).count();
  if (!metrics_minute_) {
    metrics_minute_ = current;
    return;
  }
  while (*metrics_minute_ < current) {
    const int64_t minute = *metrics_minute_;
    const Timestamp end = Timestamp(std::chrono::minutes(minute + 1));
    // Moves due before the minute's end count in its state.
    AdvanceMoveTasks(end);
    bool any_active = false;
    for (auto& [name, q] : queues_) {
      Settle(*q, end);
      const bool active = q->store.size() > 0 || minute - q->last_active_minute < kActiveMinutes;
      if (active) {
        any_active = true;
        MinuteRecord record{.minute = minute,
                            .counts = q->metrics,
                            .visible = static_cast<int64_t>(q->store.visible()),
                            .not_visible = static_cast<int64_t>(q->store.in_flight()),
                            .delayed = static_cast<int64_t>(q->store.delayed())};
        if (const std::optional<int64_t> oldest = q->store.OldestSentUs()) {
          record.age_of_oldest_seconds =
              static_cast<double>(std::max<int64_t>(0, (Micros(end) - *oldest) / 1000000));
        }
        metrics_log_.Append(name, record);
      }
      q->metrics = MinuteCounts{};
    }
    ++*metrics_minute_;
    // No queue active: none holds a message, and none can report again
    // before a call sends, receives or deletes, so the idle minutes between
    // are skipped rather than walked.
    if (!any_active) metrics_minute_ = current;
  }
}

Result<std::vector<MetricDatapoint>> Engine::QueueMetrics(const QueueMetricQuery& query,
                                                          Timestamp now) {
  CatchUp(now);
  Result<std::vector<MetricDatapoint>> datapoints = metrics_log_.Query(query, now);
  if (datapoints.ok() && !metrics_log_.Reported(query.queue_name) &&
      !queues_.contains(query.queue_name)) {
    return Status(ErrorCode::kQueueDoesNotExist,
                  "No queue named " + query.queue_name + " exists or ever reported metrics.");
  }
  return datapoints;
}

std::vector<std::string> Engine::MetricQueueNames(Timestamp now) {
  CatchUp(now);
  std::vector<std::string> names = metrics_log_.ReportedQueues();
  for (const auto& [name, queue] : queues_) names.push_back(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

void Engine::CountEmptyReceive(uint32_t queue_id) {
  auto it = queues_by_id_.find(queue_id);
  if (it != queues_by_id_.end()) ++it->second->metrics.empty_receives;
}

}  // namespace sqsim::internal
