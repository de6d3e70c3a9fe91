// Queue metrics in virtual time, with CloudWatch's names and meaning (the
// AWS/SQS namespace, dimension QueueName).
//
// SQS pushes one datapoint per queue and metric to CloudWatch every minute;
// the simulator keeps the same one-minute datapoints, as the virtual clock
// passes each minute, and answers GetMetricStatistics-like queries over
// them (Simulator::GetQueueMetric, sqsim-server's /_sqsim/metrics):
//
//   NumberOfMessagesSent, NumberOfMessagesReceived, NumberOfMessagesDeleted,
//   NumberOfEmptyReceives, NumberOfDeduplicatedSentMessages
//     what happened during the minute: one datapoint whose value is the
//     count. Sent counts messages added by SendMessage(Batch) (not
//     deduplicated FIFO sends, which count as deduplicated, and not
//     messages moved to a dead-letter queue or by a move task); Received,
//     every message a ReceiveMessage returned; Deleted, every deletion with
//     a valid receipt handle, repeated deletions included; EmptyReceives,
//     every ReceiveMessage that returned nothing (a long poll once).
//   SentMessageSize
//     the sizes (bytes, as counted against MaximumMessageSize) of the
//     messages sent in the minute, as a statistic set: SampleCount messages,
//     their Sum, Minimum and Maximum. Only minutes with a send have one.
//   ApproximateNumberOfMessagesVisible, ...NotVisible, ...Delayed,
//   ApproximateAgeOfOldestMessage
//     the queue's state at the end of the minute (age in seconds of the
//     oldest message still stored; no datapoint when the queue is empty).
//
// As on SQS, a queue reports only while it is active: in a minute that
// ends with messages stored, or within 6 hours after it was created or a
// message was last sent to, received from or deleted from it. Datapoints are kept by queue
// name, so they outlive DeleteQueue (CloudWatch keeps them too) and a queue
// created again under the name continues the series.
//
// Differences from SQS, by design: the values are exact, not approximate;
// SQS's ApproximateAgeOfOldestMessage skips a message received three times
// or more, and on a standard dead-letter queue counts from the move, where
// the simulator counts every stored message from its (first) send.

#ifndef SQSIM_METRICS_H_
#define SQSIM_METRICS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/types.h"

namespace sqsim {

enum class QueueMetric : uint8_t {
  kNumberOfMessagesSent,
  kNumberOfMessagesReceived,
  kNumberOfMessagesDeleted,
  kNumberOfEmptyReceives,
  kNumberOfDeduplicatedSentMessages,
  kSentMessageSize,
  kApproximateNumberOfMessagesVisible,
  kApproximateNumberOfMessagesNotVisible,
  kApproximateNumberOfMessagesDelayed,
  kApproximateAgeOfOldestMessage,
};
inline constexpr int kQueueMetricCount = 10;

// CloudWatch's name ("NumberOfMessagesSent") and unit ("Count", "Bytes",
// "Seconds").
std::string_view QueueMetricName(QueueMetric metric);
std::string_view QueueMetricUnit(QueueMetric metric);
std::optional<QueueMetric> QueueMetricFromName(std::string_view name);

// The statistics of one metric over one period, as GetMetricStatistics
// gives them.
struct MetricDatapoint {
  Timestamp timestamp;  // the period's start
  double sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
  // The one-minute values the period holds, in time order (empty for
  // SentMessageSize, whose minutes are statistic sets, as in CloudWatch,
  // which has no percentiles for those).
  std::vector<double> values{};

  double average() const { return sample_count > 0 ? sum / sample_count : 0; }
  // The p-th percentile (0 < p <= 100) of `values`, nearest rank; nullopt
  // when there are none.
  std::optional<double> Percentile(double p) const;
};

struct QueueMetricQuery {
  std::string queue_name{};
  QueueMetric metric = QueueMetric::kNumberOfMessagesSent;
  // A positive multiple of one minute.
  Duration period = std::chrono::minutes(1);
  // The periods are [start + k * period, start + (k + 1) * period) up to
  // `end`; only periods holding datapoints are returned. Default start: the
  // epoch; default end: now.
  std::optional<Timestamp> start{};
  std::optional<Timestamp> end{};
};

}  // namespace sqsim

#endif  // SQSIM_METRICS_H_
