// CloudWatch alarms over sqsim's CloudWatch-shaped queue metrics
// (sqsim/metrics.h), in virtual time: a metric, a statistic, a period, a
// threshold and a comparison, evaluation periods and datapoints to alarm
// ("M out of N"), and the treatment of missing data, evaluated as CloudWatch
// documents it ("Alarm evaluation" and "Configuring how CloudWatch alarms
// treat missing data" in the CloudWatch User Guide). Every state change is an
// AlarmTransition with its virtual time and a StateReason worded as
// CloudWatch words it; the harness checkers at the end ask "did alarm X ever
// go off" and "did it go off within T of the fault".
//
//   AlarmEvaluator depth(QueueDepthAlarm("orders-depth", "orders", 1000));
//   std::vector<AlarmTransition> transitions;
//   // At the end of every virtual minute (CloudWatch evaluates every
//   // minute); a queue that never reported has no datapoints:
//   auto points = sim.GetQueueMetric(depth.RangeQuery(sim.Now()));
//   std::vector<MetricDatapoint> none;
//   if (auto t = depth.EvaluateDatapoints(sim.Now(), points.ok() ? *points : none)) {
//     transitions.push_back(*t);
//   }
//   ...
//   EXPECT_TRUE(CheckAlarmEnteredWithin(transitions, "orders-depth", fault_start,
//                                       std::chrono::minutes(5)).ok);
//
// How an evaluation decides (CloudWatch's rules; N = evaluation periods,
// M = datapoints to alarm, and a datapoint "breaches" when
// `value <op> threshold` holds):
//
//  - The alarm reads more periods than N, the evaluation range
//    (periods_needed()): N + 2, which gives the range of 5 that every
//    example in CloudWatch's documentation has for N = 3. CloudWatch says the
//    range depends on the period and on the metric's resolution but does not
//    say how; N + 2 is sqsim's choice.
//  - No period of the range missing: the latest N datapoints are evaluated.
//  - Some missing, but at least N datapoints in the range: the latest N
//    datapoints present are evaluated, however far back they are; how
//    missing data is treated does not matter.
//  - Fewer than N present (but some): every datapoint present is evaluated,
//    with as many missing ones as it takes to make N filled in by the
//    treatment: `breaching` counts them as breaching, `notBreaching` as not.
//    `missing` and `ignore` evaluate the datapoints present only: ALARM
//    when M of them breach, OK when one of them does not, and otherwise
//    (only breaching ones, fewer than M) the state stays, except that
//    `missing` goes to ALARM when the oldest of them is at least M periods
//    old ("avoiding premature transitions to alarm state": - - X - - is
//    ALARM for 3 out of 3, - - - - X is not yet).
//  - Nothing present in the range: `missing` goes to INSUFFICIENT_DATA,
//    `ignore` keeps the state, `breaching` goes to ALARM, `notBreaching`
//    to OK.
//  - Then: ALARM when at least M evaluated datapoints breach, else OK.
//
// This reproduces every row of the two tables in "How alarm state is
// evaluated when data is missing" (tests/loadtest/alarm_test.cc has one test
// per row). Where the documentation is silent, the choice is written at the
// rule above; the older revision of those tables put - - - - X (3 out of 3,
// `missing`) in INSUFFICIENT_DATA, the current text sends an alarm to
// INSUFFICIENT_DATA only when all of its evaluation range is missing, and
// sqsim follows the current text (the state stays).
//
// Alarm actions that notify SNS topics are in sqsim/loadtest/alarm_actions.h.
//
// Not modelled: anomaly detection and metric math alarms, actions other than
// SNS notifications (Auto Scaling, EC2, Systems Manager), SetAlarmState,
// EvaluateLowSampleCountPercentile (CloudWatch's default, `evaluate`, is
// what sqsim does), and the delay with which SQS's metrics reach CloudWatch
// (sqsim's minutes are there the moment they end).
//
// Determinism: no wall clock, no unordered containers; the same calls give
// the same transitions and the same text.
//
// Thread safety: an AlarmEvaluator is not thread-safe; everything else is a
// value or a pure function.

#ifndef SQSIM_LOADTEST_ALARM_H_
#define SQSIM_LOADTEST_ALARM_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/loadtest/report.h"
#include "sqsim/metrics.h"
#include "sqsim/status.h"
#include "sqsim/testing/history.h"
#include "sqsim/types.h"

namespace sqsim::loadtest {

// A new alarm starts in INSUFFICIENT_DATA, as PutMetricAlarm leaves it.
enum class AlarmState : uint8_t { kInsufficientData, kOk, kAlarm };

// "INSUFFICIENT_DATA", "OK", "ALARM" (CloudWatch's StateValue).
std::string_view AlarmStateName(AlarmState state);
std::optional<AlarmState> AlarmStateFromName(std::string_view name);

// The metric value is the left operand: kGreaterThanThreshold breaches when
// value > threshold.
enum class ComparisonOperator : uint8_t {
  kGreaterThanOrEqualToThreshold,
  kGreaterThanThreshold,
  kLessThanThreshold,
  kLessThanOrEqualToThreshold,
};

// CloudWatch's names: "GreaterThanOrEqualToThreshold", ...
std::string_view ComparisonOperatorName(ComparisonOperator op);
std::optional<ComparisonOperator> ComparisonOperatorFromName(std::string_view name);
// Whether `value` breaches `threshold` under `op`.
bool Breaches(ComparisonOperator op, double value, double threshold);

enum class TreatMissingData : uint8_t { kMissing, kIgnore, kBreaching, kNotBreaching };

// CloudWatch's names: "missing", "ignore", "breaching", "notBreaching".
std::string_view TreatMissingDataName(TreatMissingData treatment);
std::optional<TreatMissingData> TreatMissingDataFromName(std::string_view name);

// An alarm's statistic: one of CloudWatch's Statistic values (SampleCount,
// Average, Sum, Minimum, Maximum) or the extended statistic pNN.NN, a
// percentile (0 < NN.NN <= 100, at most two decimals).
struct Statistic {
  enum class Kind : uint8_t { kSampleCount, kAverage, kSum, kMinimum, kMaximum, kPercentile };

  Kind kind = Kind::kMaximum;
  // For kPercentile: the percentile in hundredths (9990 is p99.9); 0 otherwise.
  int32_t percentile_hundredths = 0;

  static Statistic SampleCount() { return {Kind::kSampleCount}; }
  static Statistic Average() { return {Kind::kAverage}; }
  static Statistic Sum() { return {Kind::kSum}; }
  static Statistic Minimum() { return {Kind::kMinimum}; }
  static Statistic Maximum() { return {Kind::kMaximum}; }
  // pNN.NN, `p` rounded to hundredths. REQUIRES: 0 < p <= 100 (after rounding).
  static Statistic Percentile(double p);
  // "SampleCount", "Average", "Sum", "Minimum", "Maximum", "p99", "p99.9",
  // "p99.99", "p100". An unknown statistic is a ValidationError and a bad
  // percentile an InvalidParameterValue, worded as CloudWatch words them.
  static Result<Statistic> Parse(std::string_view name);

  bool is_percentile() const { return kind == Kind::kPercentile; }
  // The percentile as a number (99.9 for p99.9). REQUIRES: is_percentile().
  double percentile() const;
  // The name Parse reads ("Maximum", "p99.9"; no trailing zeros).
  std::string Name() const;

  friend bool operator==(const Statistic&, const Statistic&) = default;
};

// The statistic's value for one period's datapoint: SampleCount, Sum,
// Minimum and Maximum as the datapoint has them, Average = Sum / SampleCount,
// a percentile over the datapoint's one-minute values (nearest rank, as
// MetricDatapoint::Percentile). nullopt for a percentile when the datapoint
// has no values (SentMessageSize is a statistic set: CloudWatch has no
// percentiles for it either) and for any statistic of a datapoint without
// samples.
std::optional<double> StatisticValue(const MetricDatapoint& datapoint, const Statistic& statistic);

// What PutMetricAlarm takes, for one queue metric (namespace AWS/SQS,
// dimension QueueName = queue_name).
struct AlarmDefinition {
  std::string name{};
  std::string queue_name{};
  QueueMetric metric = QueueMetric::kApproximateNumberOfMessagesVisible;
  Statistic statistic = Statistic::Maximum();
  // A positive multiple of 60 s: SQS metrics have one-minute resolution
  // (CloudWatch's 10, 20 and 30 s periods are for high-resolution metrics).
  Duration period = std::chrono::minutes(1);
  // N: how many of the latest periods are compared with the threshold.
  int evaluation_periods = 1;
  // M: how many of those must breach for ALARM. 0 leaves it unset, which
  // means N (as when PutMetricAlarm is called without DatapointsToAlarm; the
  // StateReason is then worded "3 datapoints [...] were ..." instead of
  // "3 out of the last 3 datapoints [...] were ... (minimum 3 datapoints for
  // OK -> ALARM transition)", as CloudWatch words it).
  int datapoints_to_alarm = 0;
  ComparisonOperator comparison = ComparisonOperator::kGreaterThanThreshold;
  double threshold = 0;
  TreatMissingData treat_missing_data = TreatMissingData::kMissing;
  // AlarmDescription (at most 1,024 characters), carried in notifications.
  std::string description{};
  // The SNS topics notified when the alarm enters ALARM, OK or
  // INSUFFICIENT_DATA: PutMetricAlarm's AlarmActions, OKActions and
  // InsufficientDataActions, at most 5 ARNs each. Only SNS topic actions are
  // modelled (sqsim/loadtest/alarm_actions.h runs them); an Auto Scaling,
  // EC2 or Systems Manager action is refused by ValidateAlarm.
  std::vector<std::string> alarm_actions{};
  std::vector<std::string> ok_actions{};
  std::vector<std::string> insufficient_data_actions{};

  // The actions run when the alarm enters `state`.
  const std::vector<std::string>& ActionsFor(AlarmState state) const;

  // M, with 0 read as N.
  int effective_datapoints_to_alarm() const {
    return datapoints_to_alarm > 0 ? datapoints_to_alarm : evaluation_periods;
  }
};

// The limits PutMetricAlarm enforces, as a ValidationError worded as
// CloudWatch words it:
//  - name: 1 to 255 characters, no ASCII control characters;
//  - queue_name (the QueueName dimension's value): 1 to 1024 characters;
//  - period: a positive multiple of 60 s (see AlarmDefinition::period);
//  - evaluation_periods >= 1; datapoints_to_alarm >= 1 when set, and at most
//    evaluation_periods;
//  - period * evaluation_periods at most one day for a period under an hour,
//    at most seven days otherwise;
//  - a finite threshold, a known metric, a percentile in (0, 100];
//  - description: at most 1,024 characters;
//  - each action list: at most 5 ARNs, each 1 to 1,024 characters and an
//    SNS topic's (arn:<partition>:sns:<region>:<account>:<name>).
Status ValidateAlarm(const AlarmDefinition& definition);

// How many periods an evaluation reads: the evaluation range, N + 2 (see the
// top of this file).
int EvaluationRange(const AlarmDefinition& definition);

// One state change.
struct AlarmTransition {
  std::string alarm{};  // AlarmDefinition::name
  Timestamp time{};     // when the evaluation that changed the state ran
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  // CloudWatch's StateReason, e.g. "Threshold Crossed: 3 out of the last 3
  // datapoints [1200.0 (12/06/26 07:05:00), 1100.0 (12/06/26 07:04:00),
  // 1050.0 (12/06/26 07:03:00)] were greater than the threshold (1000.0)
  // (minimum 3 datapoints for OK -> ALARM transition)." Datapoints are listed
  // newest first with their period's start (dd/MM/yy HH:mm:ss, UTC), numbers
  // as Java prints doubles ("1200.0", "1.0E7"). Missing datapoints filled in
  // are counted at the end ("... and 2 missing datapoints were treated as
  // [Breaching]"), and when they alone decide: "Threshold Crossed: 1
  // datapoint was received for 3 periods and 2 missing datapoints were
  // treated as [Breaching]." With no datapoint at all: "Threshold Crossed:
  // no datapoints were received for 3 periods and 3 missing datapoints were
  // treated as [NonBreaching].", "Insufficient Data: 3 datapoints were
  // unknown." Those are CloudWatch's words; for the cases where CloudWatch's
  // are not on record (fewer than N datapoints under `missing` or `ignore`)
  // sqsim says "... and 2 missing datapoints were treated as [Missing]".
  std::string reason{};

  friend bool operator==(const AlarmTransition&, const AlarmTransition&) = default;
};

// "orders-depth 2026-01-01T00:05:00.000Z OK -> ALARM: <reason>", one line.
std::string FormatTransition(const AlarmTransition& transition);

// One alarm's state over virtual time.
class AlarmEvaluator {
 public:
  // REQUIRES: ValidateAlarm(definition).ok().
  explicit AlarmEvaluator(AlarmDefinition definition);

  const AlarmDefinition& definition() const { return definition_; }
  // How many of the latest periods Evaluate reads: EvaluationRange().
  int periods_needed() const { return range_; }

  // The query that fetches the evaluation range ending at `now` (rounded
  // down to the minute): periods_needed() periods of definition().period,
  // the newest ending at that minute. For Simulator::GetQueueMetric.
  QueueMetricQuery RangeQuery(Timestamp now) const;
  // The statistic's value in each period of that range, oldest first
  // (nullopt: no datapoint in the period), from the datapoints
  // GetQueueMetric returned for RangeQuery(now). Datapoints outside the
  // range are ignored.
  std::vector<std::optional<double>> PeriodValues(std::span<const MetricDatapoint> datapoints,
                                                  Timestamp now) const;

  // Evaluates the alarm at `now`, CloudWatch's evaluation at the end of a
  // minute (CloudWatch evaluates every minute for periods of a minute or
  // more, each time over the periods that end at that minute, so a
  // five-minute period slides by a minute at a time). `periods_oldest_first`
  // holds the statistic's value in each of the latest periods, the last one
  // ending at `now` rounded down to the minute; nullopt where the period had
  // no datapoint. Fewer than periods_needed() entries (the start of a run)
  // means the older periods had none; more are allowed, and only the latest
  // periods_needed() are read.
  // Returns the transition when the state changed, nullopt otherwise.
  // REQUIRES: `now` is not before the previous evaluation's.
  std::optional<AlarmTransition> Evaluate(
      Timestamp now, std::span<const std::optional<double>> periods_oldest_first);
  // Evaluate(now, PeriodValues(datapoints, now)).
  std::optional<AlarmTransition> EvaluateDatapoints(Timestamp now,
                                                    std::span<const MetricDatapoint> datapoints);

  AlarmState state() const { return state_; }
  // The reason of the latest transition; "Unchecked: Initial alarm creation"
  // before the first one, as for a new CloudWatch alarm.
  const std::string& state_reason() const { return reason_; }

 private:
  AlarmDefinition definition_;
  int range_ = 0;
  AlarmState state_ = AlarmState::kInsufficientData;
  std::string reason_;
  std::optional<Timestamp> last_evaluation_{};
};

// The three alarms of the guide, on one-minute periods of a queue's metrics.
// Each treats missing data as notBreaching: SQS reports a queue's metrics
// every minute while it holds messages (and for six hours after any
// activity), so a minute without a datapoint is a minute in which the
// queue was empty and idle (or did not exist), which is within each of these
// thresholds; `missing` would instead take a quiet queue's alarm to
// INSUFFICIENT_DATA, and `breaching` would page on every idle queue.
// datapoints_to_alarm is set to evaluation_periods, as the CloudWatch console
// sets it.
//
// ApproximateNumberOfMessagesVisible, Maximum > max_visible, for
// `evaluation_periods` one-minute periods in a row: 1 (the default) catches a
// backlog the minute it passes the threshold; a larger N ignores bursts that
// consumers drain within N - 1 minutes.
AlarmDefinition QueueDepthAlarm(std::string name, std::string queue, double max_visible,
                                int evaluation_periods = 1);
// ApproximateNumberOfMessagesVisible of the dead-letter queue `dlq`,
// Maximum > 0, one period: any message there is a message that failed, and
// should be known about the minute it arrives.
AlarmDefinition DeadLetterQueueNotEmptyAlarm(std::string name, std::string dlq);
// ApproximateAgeOfOldestMessage, Maximum > max_age (in seconds), one period:
// the age is itself the duration of the backlog (a message that is six
// minutes old has been waiting six minutes), so requiring more periods
// would only delay the alarm by whole minutes. The queue has no datapoint
// for this metric while it is empty, so once a backlog is gone the alarm
// still reads the last ages in its evaluation range (real datapoints come
// before the treatment of missing data) and returns to OK two minutes after
// the queue emptied, as CloudWatch's would.
AlarmDefinition OldestMessageAgeAlarm(std::string name, std::string queue, Duration max_age);

// ---- Harness checkers ----------------------------------------------------
//
// Over the transitions of a run, of any number of alarms (the others are
// skipped), in the order they were recorded (by time).

// Whether alarm `alarm` never entered `state`. The initial INSUFFICIENT_DATA
// is not an entry: only transitions count. One violation per entry, in
// order. Returns a result named "alarm-never-entered"; the summary also says
// when no transition of `alarm` was recorded at all (a misspelled name passes
// vacuously).
testing::CheckResult CheckAlarmNeverEntered(std::span<const AlarmTransition> transitions,
                                            std::string_view alarm,
                                            AlarmState state = AlarmState::kAlarm);

// Whether alarm `alarm` entered `state` at a time in [since, since + within]
// (e.g. since = when the fault started). An alarm that was already in
// `state` at `since` did not enter it then: that fails, with a violation
// saying since when it was in the state (start the check earlier, or check
// that it left the state first). Returns a result named
// "alarm-entered-within". REQUIRES: within >= 0.
testing::CheckResult CheckAlarmEnteredWithin(std::span<const AlarmTransition> transitions,
                                             std::string_view alarm, Timestamp since,
                                             Duration within,
                                             AlarmState state = AlarmState::kAlarm);

// Alarm `alarm`'s states between `origin` and `end` as a band for a report
// chart (sqsim/loadtest/report.h): x in seconds since `origin`; the alarm is
// in INSUFFICIENT_DATA until its first transition (transitions before
// `origin` set the state it starts in). The band's name is the alarm's.
// REQUIRES: origin <= end.
StateBand AlarmStateBand(std::span<const AlarmTransition> transitions, std::string_view alarm,
                         Timestamp origin, Timestamp end);

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_ALARM_H_
