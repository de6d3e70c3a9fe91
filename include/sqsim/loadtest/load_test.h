// LoadTest: a stretch of production traffic through a queue and a fleet of
// consumers, in virtual time, with CloudWatch-shaped metrics, alarms and a
// cost report: the capacity questions ("how many consumers keep up with
// 1,000 enrollments a minute and the Monday burst?", "when does the
// oldest-message alarm fire?", "what does this cost a month?") answered in
// seconds, deterministically, with the team's own handler or a
// service-time model.
//
//   sqsim::loadtest::LoadTestOptions options;
//   options.duration = std::chrono::hours(1);
//   options.producers = {{.arrivals = ArrivalProcess::Poisson(1000.0 / 60)}};
//   options.consumers.count = 4;
//   options.consumers.service_time = ServiceTime::LogNormal(150ms, 0.5);
//   // ... or the team's own: consumers.handler, or consumers.make_handler
//   // for a handler that calls other queues of the run.
//   options.alarms = {OldestMessageAgeAlarm("age", "load", std::chrono::minutes(5))};
//   auto result = sqsim::loadtest::RunLoadTest(options).value();
//   WriteFile("report.html", ToHtml(result.ToReport()));
//
// What runs: one Simulator (exact mode unless `simulator` says otherwise);
// the queue (and its dead-letter queue); one actor per producer sending
// each arrival with SendMessage (or the runtime's batching Producer); N
// runtime::Consumer instances with the given options, each running the
// user's handler or the model; at the end of every period, the metrics
// series, the alarms and the autoscaler. After `duration` the producers
// stop; consumers run on for `drain` and are then stopped gracefully.
//
// Latency: each message's body begins with its send time (the default
// bodies; see MessageShape), so wait (send to handler start) and end-to-end
// latency (send to handler end) are exact. With a `body` factory of the
// user's own, the time comes from the SentTimestamp attribute (milliseconds).
//
// Threads: a run is single-threaded and deterministic: the same options
// give the same result, byte for byte, and the same trace hash. RunSweep
// runs independent points on several threads; each point's result is the
// one a run on its own gives.

#ifndef SQSIM_LOADTEST_LOAD_TEST_H_
#define SQSIM_LOADTEST_LOAD_TEST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/loadtest/alarm.h"
#include "sqsim/loadtest/alarm_actions.h"
#include "sqsim/loadtest/cost.h"
#include "sqsim/loadtest/report.h"
#include "sqsim/loadtest/service_time.h"
#include "sqsim/loadtest/workload.h"
#include "sqsim/options.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"

namespace sqsim {
class Simulator;
}  // namespace sqsim

namespace sqsim::loadtest {

struct QueueSetup {
  // A name ending in ".fifo" makes a FIFO queue.
  std::string name = "load";
  // CreateQueue attributes (VisibilityTimeout, ContentBasedDeduplication,
  // KmsMasterKeyId, ...); FifoQueue is set from the name.
  std::map<std::string, std::string> attributes{};
  // > 0: a dead-letter queue named `name` + "-dlq" (before ".fifo"), and a
  // redrive policy with this maxReceiveCount.
  int max_receive_count = 0;
};

struct ProducerSetup {
  ArrivalProcess arrivals = ArrivalProcess::Poisson(10);
  MessageShape messages{};
  // FIFO queues: the group of each message, and its deduplication id (a
  // unique one per message unless the queue deduplicates by content).
  GroupKeys groups = GroupKeys::Single();
  // Bodies of the user's own (sequence number within this producer, rng).
  // Empty: "<send time in microseconds>;" padded to the drawn size.
  std::function<std::string(int64_t, Rng&)> body{};
  // Send through the runtime's batching Producer (SendMessageBatch, linger)
  // instead of one SendMessage per arrival. queue_url is filled in.
  bool batch = false;
  runtime::ProducerOptions batching{};
};

// Target tracking on backlog per consumer, the scaling metric AWS
// recommends for SQS workers: at the end of every period, desired =
// ceil(ApproximateNumberOfMessagesVisible / target_backlog_per_consumer),
// within [min, max]. Scale-out happens when desired exceeds the current
// count and the last scaling is `scale_out_cooldown` past; scale-in
// likewise with `scale_in_cooldown` (one consumer stopped gracefully per
// step down, the newest first). A new consumer starts after `warm_up`.
struct Autoscaling {
  int min = 1;
  int max = 10;
  double target_backlog_per_consumer = 100;
  Duration scale_out_cooldown = std::chrono::minutes(1);
  Duration scale_in_cooldown = std::chrono::minutes(5);
  Duration warm_up{};
};

// What a handler factory gets when the run's simulator exists: the run's
// simulator (to create the queues the handler calls, before the run starts)
// and the client the consumers use (faults of the plan applied; its calls
// are metered, at the price of the queue under test's type).
struct LoadTestContext {
  Simulator& simulator;
  Client& client;
  std::string queue_url;  // the queue under test
};

struct ConsumerSetup {
  int count = 1;  // at the start (autoscaling: clamped to [min, max])
  // Every consumer's options; queue_url is filled in. Without a handler,
  // the attribute names are narrowed to what the run reads (the model reads
  // none): a map of every attribute per message would cost more than the
  // model itself.
  runtime::ConsumerOptions options{};
  // The team's handler. Empty: `service_time`'s model (sleep, then Done, or
  // on a modelled failure Leave: the visibility timeout returns it).
  runtime::MessageHandler handler{};
  // Builds the team's handler once the run's simulator exists, for a
  // handler that calls other queues (sends downstream, as services do).
  // When set, it is used instead of `handler`.
  std::function<runtime::MessageHandler(LoadTestContext&)> make_handler{};
  ServiceTime service_time = ServiceTime::Fixed(std::chrono::milliseconds(100));
  std::optional<Autoscaling> autoscaling{};
};

// Where a run is, for progress lines on long runs.
struct Progress {
  Duration elapsed{};  // virtual time since the start
  Duration total{};    // duration + drain
  int64_t sent = 0, completed = 0;
  int64_t visible = 0;
  int consumers = 0;
};

struct LoadTestOptions {
  std::string title = "sqsim load test";
  uint64_t seed = 1;
  Duration duration = std::chrono::hours(1);
  // How long consumers run on after the producers stop.
  Duration drain{};
  // The series' resolution: a positive multiple of one minute.
  Duration period = std::chrono::minutes(1);
  QueueSetup queue{};
  std::vector<ProducerSetup> producers{ProducerSetup{}};
  ConsumerSetup consumers{};
  // Alarms on the queue's (or the DLQ's) metrics, evaluated at the end of
  // every multiple of their period. Their SNS actions notify topics of the
  // run's simulator (create them in `prepare`); LoadTestResult::alarm_actions
  // lists every notification.
  std::vector<AlarmDefinition> alarms{};
  // Called once the run's simulator and queue exist, before producers and
  // consumers start: create what the run needs beyond its queue (the SNS
  // topics alarm actions notify, their subscriptions, other queues). An
  // error ends the run with it.
  std::function<Status(LoadTestContext&)> prepare{};
  PriceTable prices = PriceTable::UsEast1();
  // The simulator (seed and trace capacity are set by the run; faults
  // apply). Default: exact mode, so that the numbers are the model's own.
  SimulatorOptions simulator = SimulatorOptions::Exact(1);
  // Called at the end of every period.
  std::function<void(const Progress&)> on_progress{};
};

// Percentiles of a set of latencies, in seconds (nearest rank).
struct LatencySummary {
  int64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// One period of the run.
struct PeriodSample {
  Duration start{};  // offset from the start of the run
  // The queue's CloudWatch metrics for the period (sums over its minutes;
  // the state metrics at the period's last minute; nullopt: no datapoint).
  std::optional<double> sent, received, deleted, empty_receives;
  std::optional<double> visible, not_visible, delayed, age_of_oldest_seconds;
  std::optional<double> dlq_visible;
  // The run's own view.
  int64_t arrivals = 0;   // messages producers sent in the period
  int64_t completed = 0;  // handlers that finished with Done in the period
  int64_t failed = 0;     // handlers that failed (model) or threw
  int consumers = 0;      // running at the period's end
  std::optional<double> latency_p50, latency_p90, latency_p99;  // end-to-end, seconds
  // Waits (send to first handler start) of the handlers that started in
  // the period: how many, and their mean in seconds (batch means for
  // confidence intervals).
  int64_t waits = 0;
  std::optional<double> wait_mean{};
};

struct LoadTestResult {
  std::string title{};
  uint64_t seed = 0;
  Timestamp start{};  // the virtual time the run started at
  Duration duration{}, drain{}, period{};
  std::string queue_name{};
  std::vector<PeriodSample> periods{};

  int64_t sent = 0;           // messages accepted by SQS
  int64_t send_failures = 0;  // sends that failed (faults)
  int64_t completed = 0;      // handled with Done
  int64_t failed = 0;
  int64_t dead_lettered = 0;  // in the DLQ at the end
  int64_t left_in_queue = 0;  // stored in the queue at the end
  // Messages per second over `duration`: sent, and completed.
  double throughput_in = 0, throughput_out = 0;
  LatencySummary wait{};        // send -> handler start (first start for redeliveries)
  LatencySummary end_to_end{};  // send -> handler end (Done)
  // Little's law over the whole run: L, the time-average number of
  // messages sent and not yet completed; lambda, completions per second;
  // W, the mean time in system (send -> completion) of completed messages.
  double mean_in_system = 0, completion_rate = 0, mean_time_in_system = 0;
  int peak_consumers = 0;
  runtime::ConsumerStats consumer_stats{};  // summed over the fleet
  std::vector<AlarmTransition> alarm_transitions{};
  // Every SNS notification the alarms' actions published (or failed to).
  std::vector<AlarmActionResult> alarm_actions{};
  CostReport cost{};
  uint64_t trace_hash = 0;
  std::map<Action, int64_t> call_counts{};

  // The charts: queue depth and age of the oldest message, throughput in
  // and out, latency percentiles, consumers, alarm states; tables: summary
  // and cost.
  Report ToReport() const;
};

// OK, or kInvalidParameterValue naming the first problem of `options`
// (durations, period, fleet, consumer and batching options, alarms). The
// queue's attributes are checked by CreateQueue when the run starts.
Status ValidateLoadTest(const LoadTestOptions& options);

// Runs one load test. kInvalidParameterValue for invalid options (periods,
// consumer or producer options, alarms); otherwise the result.
Result<LoadTestResult> RunLoadTest(const LoadTestOptions& options);

// ---- Sweeps -------------------------------------------------------------------

struct SweepPoint {
  double x = 0;  // the swept parameter's value
  LoadTestOptions options{};
};

struct SweepResult {
  std::string parameter{};  // "consumers", "batch size", ...
  std::vector<double> x{};
  std::vector<LoadTestResult> runs{};
  // Throughput, p99 end-to-end latency, oldest age and monthly cost against
  // the parameter; a table with one row per point.
  Report ToReport() const;
};

// Runs the points on `threads` threads (0: the machine's cores), each point
// on its own simulator; results in the points' order. The first invalid
// point's error, if any, before anything runs.
Result<SweepResult> RunSweep(std::string parameter, std::vector<SweepPoint> points,
                             int threads = 0);

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_LOAD_TEST_H_
