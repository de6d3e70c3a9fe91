// CloudWatch alarm semantics over sqsim's queue metrics (see
// sqsim/loadtest/alarm.h for the rules and where they come from).

#include "sqsim/loadtest/alarm.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace sqsim::loadtest {

namespace {

using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<std::string_view, 3> kStateNames = {"INSUFFICIENT_DATA", "OK", "ALARM"};
constexpr std::array<std::string_view, 4> kOperatorNames = {
    "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
    "LessThanOrEqualToThreshold"};
// How a StateReason says it: "was greater than or equal to the threshold".
constexpr std::array<std::string_view, 4> kOperatorPhrases = {
    "greater than or equal to", "greater than", "less than", "less than or equal to"};
constexpr std::array<std::string_view, 4> kTreatmentNames = {"missing", "ignore", "breaching",
                                                             "notBreaching"};
// How a StateReason names a treatment: "treated as [NonBreaching]".
constexpr std::array<std::string_view, 4> kTreatmentReasonNames = {"Missing", "Ignore", "Breaching",
                                                                   "NonBreaching"};
constexpr std::array<std::string_view, 5> kStatisticNames = {"SampleCount", "Average", "Sum",
                                                             "Minimum", "Maximum"};

// The evaluation range is N + this many periods (see alarm.h).
constexpr int kExtraRangePeriods = 2;

// `d` as Java's Double.toString prints it, which is how CloudWatch writes
// numbers in a StateReason: the shortest decimal that reads back as `d`,
// plain with at least one fractional digit for 1e-3 <= |d| < 1e7 ("1200.0",
// "0.001"), otherwise "d.dddE[-]n" ("1.0E7", "1.5E-4").
std::string JavaDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  std::array<char, 64> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), std::abs(d),
                                       std::chars_format::scientific);
  SQSIM_ASSERT(ec == std::errc(), "to_chars of a double cannot fail in 64 characters");
  const std::string_view text(buf.data(), static_cast<size_t>(end - buf.data()));
  const size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  const int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  std::string out = d < 0 ? "-" : "";
  const double magnitude = std::abs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const size_t int_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() < int_digits) digits.append(int_digits - digits.size(), '0');
      out += digits.substr(0, int_digits);
      out += '.';
      out += digits.size() > int_digits ? digits.substr(int_digits) : "0";
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
  } else {
    out += digits[0];
    out += '.';
    out += digits.size() > 1 ? digits.substr(1) : "0";
    out += 'E';
    out += std::to_string(exponent);
  }
  return out;
}

// A period's start as a StateReason shows it: "dd/MM/yy HH:mm:ss", UTC.
std::string ReasonTime(Timestamp t) {
  const auto day = floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(floor<seconds>(t - day));
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%02u/%02u/%02d %02d:%02d:%02d",
                static_cast<unsigned>(ymd.day()), static_cast<unsigned>(ymd.month()),
                ((static_cast<int>(ymd.year()) % 100) + 100) % 100,
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf.data();
}

// "1 datapoint", "3 datapoints".
std::string Count(int64_t n, std::string_view noun) {
  std::string out = std::to_string(n) + " " + std::string(noun);
  if (n != 1) out += 's';
  return out;
}
std::string_view WasWere(int64_t n) { return n == 1 ? "was" : "were"; }

// "1h 2m 3s", "5m", "0.250s".
std::string FormatDuration(Duration d) {
  if (d < Duration::zero()) return "-" + FormatDuration(-d);
  const int64_t us = d.count();
  const int64_t total_s = us / 1'000'000;
  const int64_t frac_ms = (us % 1'000'000) / 1000;
  const int64_t h = total_s / 3600;
  const int64_t m = (total_s % 3600) / 60;
  const int64_t s = total_s % 60;
  std::string out;
  const auto add = [&out](const std::string& part) {
    if (!out.empty()) out += ' ';
    out += part;
  };
  if (h > 0) add(std::to_string(h) + "h");
  if (m > 0) add(std::to_string(m) + "m");
  if (frac_ms > 0 || us % 1000 != 0) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%lld.%03llds", static_cast<long long>(s),
                  static_cast<long long>(frac_ms));
    add(buf.data());
  } else if (s > 0 || out.empty()) {
    add(std::to_string(s) + "s");
  }
  return out;
}

std::string ValueAtMessage(std::string_view value, std::string_view member,
                           std::string_view constraint) {
  return "1 validation error detected: Value '" + std::string(value) + "' at '" +
         std::string(member) + "' failed to satisfy constraint: " + std::string(constraint);
}

// One action list of PutMetricAlarm (`member` names it as CloudWatch's
// validation messages do): the model's limits (at most 5 ARNs of 1 to 1,024
// characters), then what sqsim can run, SNS topics. CloudWatch's own words
// for an ARN it cannot parse are not on record; sqsim's say what it wanted.
Status ValidateActions(const std::vector<std::string>& actions, std::string_view member) {
  const auto invalid = [](std::string message) {
    return Status(ErrorCode::kValidationError, std::move(message));
  };
  if (actions.size() > 5) {
    std::string listed = "[";
    for (size_t i = 0; i < actions.size(); ++i) listed += (i > 0 ? ", " : "") + actions[i];
    listed += "]";
    return invalid(
        ValueAtMessage(listed, member, "Member must have length less than or equal to 5"));
  }
  for (size_t i = 0; i < actions.size(); ++i) {
    const std::string& arn = actions[i];
    const std::string at = std::string(member) + "." + std::to_string(i + 1) + ".member";
    if (arn.empty() || arn.size() > 1024) {
      return invalid(ValueAtMessage(arn, at,
                                    arn.empty()
                                        ? "Member must have length greater than or equal to 1"
                                        : "Member must have length less than or equal to 1024"));
    }
    // arn:<partition>:<service>:<region>:<account>:<resource>
    std::vector<std::string_view> fields;
    std::string_view rest = arn;
    for (int f = 0; f < 5; ++f) {
      const size_t colon = rest.find(':');
      if (colon == std::string_view::npos) break;
      fields.push_back(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
    }
    if (fields.size() < 5 || fields[0] != "arn" || rest.empty()) {
      return invalid("Invalid arn syntax: " + arn);
    }
    if (fields[2] != "sns") {
      return invalid("The action " + arn +
                     " is not an SNS topic: sqsim runs only the SNS notification actions of "
                     "alarms (Auto Scaling, EC2 and Systems Manager actions are not modelled).");
    }
  }
  return Status::Ok();
}

// One datapoint of the evaluation range.
struct RangePoint {
  Timestamp start;  // the period's start
  double value;
  bool breaching;
  int age;  // 1 for the newest period of the range, 2 for the one before, ...
};

// The decision of one evaluation: the new state (nullopt: keep the
// current one) and its reason.
struct Decision {
  std::optional<AlarmState> state{};
  std::string reason{};
};

// The transitions of `alarm` in `transitions`, by time (stable).
std::vector<AlarmTransition> TransitionsOf(std::span<const AlarmTransition> transitions,
                                           std::string_view alarm) {
  std::vector<AlarmTransition> out;
  for (const AlarmTransition& t : transitions) {
    if (t.alarm == alarm) out.push_back(t);
  }
  std::stable_sort(out.begin(), out.end(), [](const AlarmTransition& a, const AlarmTransition& b) {
    return a.time < b.time;
  });
  return out;
}

}  // namespace

// ---- Names ------------------------------------------------------------------

std::string_view AlarmStateName(AlarmState state) {
  return kStateNames[static_cast<size_t>(state)];
}

std::optional<AlarmState> AlarmStateFromName(std::string_view name) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<AlarmState>(i);
  }
  return std::nullopt;
}

std::string_view ComparisonOperatorName(ComparisonOperator op) {
  return kOperatorNames[static_cast<size_t>(op)];
}

std::optional<ComparisonOperator> ComparisonOperatorFromName(std::string_view name) {
  for (size_t i = 0; i < kOperatorNames.size(); ++i) {
    if (kOperatorNames[i] == name) return static_cast<ComparisonOperator>(i);
  }
  return std::nullopt;
}

bool Breaches(ComparisonOperator op, double value, double threshold) {
  switch (op) {
    case ComparisonOperator::kGreaterThanOrEqualToThreshold:
      return value >= threshold;
    case ComparisonOperator::kGreaterThanThreshold:
      return value > threshold;
    case ComparisonOperator::kLessThanThreshold:
      return value < threshold;
    case ComparisonOperator::kLessThanOrEqualToThreshold:
      return value <= threshold;
  }
  return false;
}

std::string_view TreatMissingDataName(TreatMissingData treatment) {
  return kTreatmentNames[static_cast<size_t>(treatment)];
}

std::optional<TreatMissingData> TreatMissingDataFromName(std::string_view name) {
  for (size_t i = 0; i < kTreatmentNames.size(); ++i) {
    if (kTreatmentNames[i] == name) return static_cast<TreatMissingData>(i);
  }
  return std::nullopt;
}

// ---- Statistic --------------------------------------------------------------

Statistic Statistic::Percentile(double p) {
  const double hundredths = std::round(p * 100);
  SQSIM_ASSERT(hundredths > 0 && hundredths <= 10000, "a percentile is in (0, 100]");
  return {Kind::kPercentile, static_cast<int32_t>(hundredths)};
}

Result<Statistic> Statistic::Parse(std::string_view name) {
  for (size_t i = 0; i < kStatisticNames.size(); ++i) {
    if (kStatisticNames[i] == name) return Statistic{static_cast<Kind>(i)};
  }
  if (!name.empty() && name[0] == 'p') {
    // CloudWatch's pattern: p(\d{1,2}(\.\d{0,2})?|100), with the value in
    // (0, 100] (p100.0 is p100).
    const Status unsupported(
        ErrorCode::kInvalidParameterValue,
        "The value " + std::string(name) + " for parameter ExtendedStatistic is not supported.");
    const std::string_view number = name.substr(1);
    const size_t dot = number.find('.');
    const std::string_view whole = number.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
    const auto all_digits = [](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || whole.size() > 3 || fraction.size() > 2 || !all_digits(whole) ||
        !all_digits(fraction)) {
      return unsupported;
    }
    int32_t hundredths = 0;
    for (char c : whole) hundredths = hundredths * 10 + (c - '0');
    hundredths *= 100;
    if (!fraction.empty()) hundredths += (fraction[0] - '0') * 10;
    if (fraction.size() == 2) hundredths += fraction[1] - '0';
    if (hundredths <= 0 || hundredths > 10000) return unsupported;
    return Statistic{Kind::kPercentile, hundredths};
  }
  return Status(ErrorCode::kValidationError,
                ValueAtMessage(name, "statistic",
                               "Member must satisfy enum value set: [SampleCount, Average, Sum, "
                               "Minimum, Maximum]"));
}

double Statistic::percentile() const {
  SQSIM_ASSERT(is_percentile(), "percentile() of a statistic that is no percentile");
  return percentile_hundredths / 100.0;
}

std::string Statistic::Name() const {
  if (!is_percentile()) return std::string(kStatisticNames[static_cast<size_t>(kind)]);
  std::string out = "p" + std::to_string(percentile_hundredths / 100);
  const int32_t fraction = percentile_hundredths % 100;
  if (fraction != 0) {
    out += '.';
    out += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) out += static_cast<char>('0' + fraction % 10);
  }
  return out;
}

std::optional<double> StatisticValue(const MetricDatapoint& datapoint, const Statistic& statistic) {
  if (!(datapoint.sample_count > 0)) return std::nullopt;
  switch (statistic.kind) {
    case Statistic::Kind::kSampleCount:
      return datapoint.sample_count;
    case Statistic::Kind::kAverage:
      return datapoint.average();
    case Statistic::Kind::kSum:
      return datapoint.sum;
    case Statistic::Kind::kMinimum:
      return datapoint.minimum;
    case Statistic::Kind::kMaximum:
      return datapoint.maximum;
    case Statistic::Kind::kPercentile:
      return datapoint.Percentile(statistic.percentile());
  }
  return std::nullopt;
}

// ---- Definition -------------------------------------------------------------

Status ValidateAlarm(const AlarmDefinition& d) {
  const auto invalid = [](std::string message) {
    return Status(ErrorCode::kValidationError, std::move(message));
  };
  if (d.name.empty()) {
    return invalid(
        ValueAtMessage(d.name, "alarmName", "Member must have length greater than or equal to 1"));
  }
  if (d.name.size() > 255) {
    return invalid(
        ValueAtMessage(d.name, "alarmName", "Member must have length less than or equal to 255"));
  }
  if (std::any_of(d.name.begin(), d.name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return invalid(
        "The alarm name must contain only UTF-8 characters and no ASCII control "
        "characters.");
  }
  if (d.queue_name.empty()) {
    return invalid(ValueAtMessage(d.queue_name, "dimensions.1.member.value",
                                  "Member must have length greater than or equal to 1"));
  }
  if (d.queue_name.size() > 1024) {
    return invalid(ValueAtMessage(d.queue_name, "dimensions.1.member.value",
                                  "Member must have length less than or equal to 1024"));
  }
  if (static_cast<int>(d.metric) >= kQueueMetricCount) {
    return invalid("The metric is not one of the AWS/SQS metrics.");
  }
  if (d.statistic.is_percentile() &&
      (d.statistic.percentile_hundredths <= 0 || d.statistic.percentile_hundredths > 10000)) {
    return invalid("The value " + d.statistic.Name() +
                   " for parameter ExtendedStatistic is not supported.");
  }
  if (d.period < seconds(1)) {
    return invalid(ValueAtMessage(std::to_string(duration_cast<seconds>(d.period).count()),
                                  "period", "Member must have value greater than or equal to 1"));
  }
  if (d.period % seconds(60) != Duration::zero()) {
    if (d.period == seconds(10) || d.period == seconds(20) || d.period == seconds(30)) {
      return invalid("Period must be a multiple of 60 for the AWS/SQS metric " +
                     std::string(QueueMetricName(d.metric)) +
                     ": SQS metrics have a resolution of one minute (10, 20 and 30 are for "
                     "high-resolution metrics).");
    }
    return invalid("Period must be 10, 20, 30 or a multiple of 60");
  }
  if (d.evaluation_periods < 1) {
    return invalid(ValueAtMessage(std::to_string(d.evaluation_periods), "evaluationPeriods",
                                  "Member must have value greater than or equal to 1"));
  }
  if (d.datapoints_to_alarm < 0) {
    return invalid(ValueAtMessage(std::to_string(d.datapoints_to_alarm), "datapointsToAlarm",
                                  "Member must have value greater than or equal to 1"));
  }
  if (d.datapoints_to_alarm > d.evaluation_periods) {
    return invalid("DatapointsToAlarm must be less than or equal to EvaluationPeriods");
  }
  const int64_t period_s = duration_cast<seconds>(d.period).count();
  const int64_t total_s = period_s * d.evaluation_periods;
  if (period_s < 3600 && total_s > 86400) {
    return invalid(
        "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= "
        "86400) for alarms using period < 3600");
  }
  if (total_s > 604800) {
    return invalid(
        "Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= "
        "604800) for alarms using period >= 3600");
  }
  if (!std::isfinite(d.threshold)) {
    return invalid("The value " + JavaDouble(d.threshold) +
                   " for parameter Threshold is not a finite number.");
  }
  if (d.description.size() > 1024) {
    return invalid(ValueAtMessage(d.description, "alarmDescription",
                                  "Member must have length less than or equal to 1024"));
  }
  const std::pair<const std::vector<std::string>*, std::string_view> lists[] = {
      {&d.alarm_actions, "alarmActions"},
      {&d.ok_actions, "oKActions"},
      {&d.insufficient_data_actions, "insufficientDataActions"}};
  for (const auto& [actions, member] : lists) {
    if (Status s = ValidateActions(*actions, member); !s.ok()) return s;
  }
  return Status::Ok();
}

const std::vector<std::string>& AlarmDefinition::ActionsFor(AlarmState state) const {
  switch (state) {
    case AlarmState::kAlarm:
      return alarm_actions;
    case AlarmState::kOk:
      return ok_actions;
    case AlarmState::kInsufficientData:
      break;
  }
  return insufficient_data_actions;
}

int EvaluationRange(const AlarmDefinition& definition) {
  return definition.evaluation_periods + kExtraRangePeriods;
}

std::string FormatTransition(const AlarmTransition& t) {
  return t.alarm + " " + FormatTimestamp(t.time) + " " + std::string(AlarmStateName(t.from)) +
         " -> " + std::string(AlarmStateName(t.to)) + ": " + t.reason;
}

// ---- Evaluator --------------------------------------------------------------

AlarmEvaluator::AlarmEvaluator(AlarmDefinition definition)
    : definition_(std::move(definition)),
      range_(EvaluationRange(definition_)),
      reason_("Unchecked: Initial alarm creation") {
  SQSIM_ASSERT(ValidateAlarm(definition_).ok(), "AlarmEvaluator needs a valid AlarmDefinition");
}

QueueMetricQuery AlarmEvaluator::RangeQuery(Timestamp now) const {
  const Timestamp end = floor<minutes>(now);
  return {.queue_name = definition_.queue_name,
          .metric = definition_.metric,
          .period = definition_.period,
          .start = end - definition_.period * range_,
          .end = end};
}

std::vector<std::optional<double>> AlarmEvaluator::PeriodValues(
    std::span<const MetricDatapoint> datapoints, Timestamp now) const {
  std::vector<std::optional<double>> values(static_cast<size_t>(range_));
  const Timestamp start = floor<minutes>(now) - definition_.period * range_;
  for (const MetricDatapoint& d : datapoints) {
    const Duration offset = d.timestamp - start;
    if (offset < Duration::zero() || offset % definition_.period != Duration::zero()) continue;
    const int64_t index = offset / definition_.period;
    if (index >= range_) continue;
    values[static_cast<size_t>(index)] = StatisticValue(d, definition_.statistic);
  }
  return values;
}

std::optional<AlarmTransition> AlarmEvaluator::EvaluateDatapoints(
    Timestamp now, std::span<const MetricDatapoint> datapoints) {
  const std::vector<std::optional<double>> values = PeriodValues(datapoints, now);
  return Evaluate(now, values);
}

std::optional<AlarmTransition> AlarmEvaluator::Evaluate(
    Timestamp now, std::span<const std::optional<double>> periods_oldest_first) {
  SQSIM_ASSERT(!last_evaluation_ || now >= *last_evaluation_,
               "AlarmEvaluator::Evaluate called with a time before the previous evaluation");
  last_evaluation_ = now;
  const AlarmDefinition& def = definition_;
  const int n = def.evaluation_periods;
  const int m = def.effective_datapoints_to_alarm();
  const bool m_set = def.datapoints_to_alarm > 0;
  const TreatMissingData treatment = def.treat_missing_data;

  // The datapoints present in the evaluation range, oldest first.
  const Timestamp end = floor<minutes>(now);
  const size_t given = periods_oldest_first.size();
  const size_t take = std::min(given, static_cast<size_t>(range_));
  std::vector<RangePoint> present;
  for (size_t k = 0; k < take; ++k) {
    const std::optional<double>& v = periods_oldest_first[given - take + k];
    if (!v) continue;
    const int age = static_cast<int>(take - k);
    present.push_back({.start = end - def.period * age,
                       .value = *v,
                       .breaching = Breaches(def.comparison, *v, def.threshold),
                       .age = age});
  }

  // "Threshold Crossed: 2 out of the last 3 datapoints [...] were greater
  // than the threshold (1.0) and 1 missing datapoint was treated as
  // [Breaching] (minimum 2 datapoints for OK -> ALARM transition)." over the
  // evaluated datapoints that back `to` (breaching ones for ALARM, the
  // others for OK), newest first.
  const auto threshold_reason = [&](AlarmState to, const std::vector<RangePoint>& evaluated,
                                    int fill) {
    const bool alarm = to == AlarmState::kAlarm;
    std::vector<const RangePoint*> listed;
    for (auto it = evaluated.rbegin(); it != evaluated.rend(); ++it) {
      if (it->breaching == alarm) listed.push_back(&*it);
    }
    const auto k = static_cast<int64_t>(listed.size());
    std::string r = "Threshold Crossed: ";
    if (m_set) {
      r += std::to_string(k) + " out of the last " + std::to_string(n) + " datapoints [";
    } else {
      r += Count(k, "datapoint") + " [";
    }
    for (size_t i = 0; i < listed.size(); ++i) {
      if (i > 0) r += ", ";
      r += JavaDouble(listed[i]->value) + " (" + ReasonTime(listed[i]->start) + ")";
    }
    r += "] ";
    r += WasWere(k);
    r += alarm ? " " : " not ";
    r += kOperatorPhrases[static_cast<size_t>(def.comparison)];
    r += " the threshold (" + JavaDouble(def.threshold) + ")";
    if (fill > 0) {
      r += " and " + Count(fill, "missing datapoint") + " " + std::string(WasWere(fill)) +
           " treated as [" + std::string(kTreatmentReasonNames[static_cast<size_t>(treatment)]) +
           "]";
    }
    if (m_set) {
      const int minimum = alarm ? m : n - m + 1;
      r += " (minimum " + Count(minimum, "datapoint") + " for " +
           (alarm ? "OK -> ALARM" : "ALARM -> OK") + " transition)";
    }
    r += ".";
    return r;
  };
  // When the state follows only from the missing datapoints filled in:
  // "Threshold Crossed: 1 datapoint was received for 3 periods and 2
  // missing datapoints were treated as [Breaching]." ("no datapoints were
  // received ..." when there were none).
  const auto filled_reason = [&](int64_t received, int fill) {
    std::string r = "Threshold Crossed: ";
    r += received == 0 ? std::string("no datapoints were")
                       : Count(received, "datapoint") + " " + std::string(WasWere(received));
    r += " received for " + Count(n, "period") + " and " + Count(fill, "missing datapoint") + " " +
         std::string(WasWere(fill)) + " treated as [" +
         std::string(kTreatmentReasonNames[static_cast<size_t>(treatment)]) + "].";
    return r;
  };

  Decision decision;
  if (present.empty()) {
    // Every period of the range is missing.
    switch (treatment) {
      case TreatMissingData::kMissing:
        decision = {AlarmState::kInsufficientData, "Insufficient Data: " + Count(n, "datapoint") +
                                                       " " + std::string(WasWere(n)) + " unknown."};
        break;
      case TreatMissingData::kIgnore:
        break;
      case TreatMissingData::kBreaching:
        decision = {AlarmState::kAlarm, filled_reason(0, n)};
        break;
      case TreatMissingData::kNotBreaching:
        decision = {AlarmState::kOk, filled_reason(0, n)};
        break;
    }
  } else if (std::ssize(present) >= n) {
    // Enough real datapoints: the latest N of them, however far back.
    const std::vector<RangePoint> evaluated(present.end() - n, present.end());
    const auto breaching = std::count_if(evaluated.begin(), evaluated.end(),
                                         [](const RangePoint& p) { return p.breaching; });
    const AlarmState to = breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
    decision = {to, threshold_reason(to, evaluated, 0)};
  } else {
    // Fewer than N: all of them, and N - present filled in by the treatment.
    const std::vector<RangePoint>& evaluated = present;
    const int fill = n - static_cast<int>(present.size());
    const auto breaching = std::count_if(evaluated.begin(), evaluated.end(),
                                         [](const RangePoint& p) { return p.breaching; });
    const auto not_breaching = static_cast<int64_t>(evaluated.size()) - breaching;
    switch (treatment) {
      case TreatMissingData::kBreaching:
      case TreatMissingData::kNotBreaching: {
        const bool fill_breaches = treatment == TreatMissingData::kBreaching;
        const int64_t total_breaching = breaching + (fill_breaches ? fill : 0);
        const AlarmState to = total_breaching >= m ? AlarmState::kAlarm : AlarmState::kOk;
        // Whether the real datapoints alone back the new state.
        const bool real_suffice =
            to == AlarmState::kAlarm ? breaching >= m : not_breaching >= n - m + 1;
        decision = {to, real_suffice ? threshold_reason(to, evaluated, fill)
                                     : filled_reason(std::ssize(evaluated), fill)};
        break;
      }
      case TreatMissingData::kMissing:
      case TreatMissingData::kIgnore: {
        // Only the datapoints present count. A breaching one alone at the
        // newest end may yet be followed by a good one, so it is not ALARM
        // before M of them breach, unless (`missing` only) all of them breach
        // and the oldest is at least M periods old.
        const bool premature_rule = treatment == TreatMissingData::kMissing && not_breaching == 0 &&
                                    evaluated.front().age >= m;
        if (breaching >= m || premature_rule) {
          decision = {AlarmState::kAlarm, threshold_reason(AlarmState::kAlarm, evaluated, fill)};
        } else if (not_breaching > 0) {
          decision = {AlarmState::kOk, threshold_reason(AlarmState::kOk, evaluated, fill)};
        }
        break;
      }
    }
  }

  if (!decision.state || *decision.state == state_) return std::nullopt;
  AlarmTransition transition{.alarm = def.name,
                             .time = now,
                             .from = state_,
                             .to = *decision.state,
                             .reason = std::move(decision.reason)};
  state_ = transition.to;
  reason_ = transition.reason;
  return transition;
}

// ---- The guide's alarms -----------------------------------------------------

AlarmDefinition QueueDepthAlarm(std::string name, std::string queue, double max_visible,
                                int evaluation_periods) {
  return {.name = std::move(name),
          .queue_name = std::move(queue),
          .metric = QueueMetric::kApproximateNumberOfMessagesVisible,
          .statistic = Statistic::Maximum(),
          .period = minutes(1),
          .evaluation_periods = evaluation_periods,
          .datapoints_to_alarm = evaluation_periods,
          .comparison = ComparisonOperator::kGreaterThanThreshold,
          .threshold = max_visible,
          .treat_missing_data = TreatMissingData::kNotBreaching};
}

AlarmDefinition DeadLetterQueueNotEmptyAlarm(std::string name, std::string dlq) {
  return {.name = std::move(name),
          .queue_name = std::move(dlq),
          .metric = QueueMetric::kApproximateNumberOfMessagesVisible,
          .statistic = Statistic::Maximum(),
          .period = minutes(1),
          .evaluation_periods = 1,
          .datapoints_to_alarm = 1,
          .comparison = ComparisonOperator::kGreaterThanThreshold,
          .threshold = 0,
          .treat_missing_data = TreatMissingData::kNotBreaching};
}

AlarmDefinition OldestMessageAgeAlarm(std::string name, std::string queue, Duration max_age) {
  return {.name = std::move(name),
          .queue_name = std::move(queue),
          .metric = QueueMetric::kApproximateAgeOfOldestMessage,
          .statistic = Statistic::Maximum(),
          .period = minutes(1),
          .evaluation_periods = 1,
          .datapoints_to_alarm = 1,
          .comparison = ComparisonOperator::kGreaterThanThreshold,
          .threshold = std::chrono::duration<double>(max_age).count(),
          .treat_missing_data = TreatMissingData::kNotBreaching};
}

// ---- Checkers ---------------------------------------------------------------

testing::CheckResult CheckAlarmNeverEntered(std::span<const AlarmTransition> transitions,
                                            std::string_view alarm, AlarmState state) {
  testing::CheckResult result;
  result.checker = "alarm-never-entered";
  const std::vector<AlarmTransition> own = TransitionsOf(transitions, alarm);
  const std::string name(alarm);
  const std::string state_name(AlarmStateName(state));
  for (const AlarmTransition& t : own) {
    if (t.to != state) continue;
    result.violations.push_back("alarm " + name + " entered " + state_name + " at " +
                                FormatTimestamp(t.time) + " (from " +
                                std::string(AlarmStateName(t.from)) + "): " + t.reason);
  }
  result.ok = result.violations.empty();
  if (result.ok) {
    result.summary = "alarm " + name + " never entered " + state_name + " (" +
                     (own.empty() ? std::string("no transitions recorded for it")
                                  : Count(std::ssize(own), "transition")) +
                     ")";
  } else {
    const auto entries = std::ssize(result.violations);
    result.summary =
        "alarm " + name + " entered " + state_name + " " +
        (entries == 1 ? std::string("once") : std::to_string(entries) + " times") + ", first at " +
        FormatTimestamp(std::find_if(own.begin(), own.end(), [state](const AlarmTransition& t) {
                          return t.to == state;
                        })->time);
  }
  return result;
}

testing::CheckResult CheckAlarmEnteredWithin(std::span<const AlarmTransition> transitions,
                                             std::string_view alarm, Timestamp since,
                                             Duration within, AlarmState state) {
  SQSIM_ASSERT(within >= Duration::zero(), "CheckAlarmEnteredWithin needs within >= 0");
  testing::CheckResult result;
  result.checker = "alarm-entered-within";
  const std::vector<AlarmTransition> own = TransitionsOf(transitions, alarm);
  const std::string name(alarm);
  const std::string state_name(AlarmStateName(state));
  const Timestamp deadline = ClampedAdd(since, within);
  const std::string window = "within " + FormatDuration(within) + " of " + FormatTimestamp(since);

  // The state just before `since`, and since when it held.
  AlarmState before = AlarmState::kInsufficientData;
  std::optional<Timestamp> before_since;
  for (const AlarmTransition& t : own) {
    if (t.time >= since) break;
    before = t.to;
    before_since = t.time;
  }
  for (const AlarmTransition& t : own) {
    if (t.time < since || t.time > deadline || t.to != state) continue;
    result.ok = true;
    result.summary = "alarm " + name + " entered " + state_name + " at " + FormatTimestamp(t.time) +
                     ", " + FormatDuration(t.time - since) + " after " + FormatTimestamp(since) +
                     " (limit " + FormatDuration(within) + ")";
    return result;
  }
  result.ok = false;
  result.summary = "alarm " + name + " did not enter " + state_name + " " + window;
  if (before == state) {
    result.violations.push_back(
        "alarm " + name + " was already in " + state_name + " at " + FormatTimestamp(since) +
        (before_since ? " (since " + FormatTimestamp(*before_since) + ")"
                      : std::string(" (its initial state)")) +
        " and did not leave and enter it again by " + FormatTimestamp(deadline));
  }
  const auto later = std::find_if(own.begin(), own.end(), [&](const AlarmTransition& t) {
    return t.time > deadline && t.to == state;
  });
  if (later != own.end()) {
    result.violations.push_back(
        "alarm " + name + " entered " + state_name + " at " + FormatTimestamp(later->time) + ", " +
        FormatDuration(later->time - since) + " after " + FormatTimestamp(since) +
        ", later than the limit of " + FormatDuration(within) + ": " + later->reason);
  } else if (before != state) {
    AlarmState at_deadline = before;
    for (const AlarmTransition& t : own) {
      if (t.time > deadline) break;
      at_deadline = t.to;
    }
    result.violations.push_back("alarm " + name + " never entered " + state_name + " after " +
                                FormatTimestamp(since) + "; at " + FormatTimestamp(deadline) +
                                " it was in " + std::string(AlarmStateName(at_deadline)) +
                                (own.empty() ? " (no transitions recorded for it)" : ""));
  }
  return result;
}

StateBand AlarmStateBand(std::span<const AlarmTransition> transitions, std::string_view alarm,
                         Timestamp origin, Timestamp end) {
  SQSIM_ASSERT(origin <= end, "AlarmStateBand needs origin <= end");
  StateBand band;
  band.name = std::string(alarm);
  const auto x = [origin](Timestamp t) {
    return std::chrono::duration<double>(t - origin).count();
  };
  AlarmState current = AlarmState::kInsufficientData;
  double begin = 0;
  for (const AlarmTransition& t : TransitionsOf(transitions, alarm)) {
    if (t.time > end) break;
    if (t.time <= origin) {
      current = t.to;
      continue;
    }
    if (t.to == current) continue;
    band.spans.push_back(
        {.x_begin = begin, .x_end = x(t.time), .state = std::string(AlarmStateName(current))});
    current = t.to;
    begin = x(t.time);
  }
  band.spans.push_back(
      {.x_begin = begin, .x_end = x(end), .state = std::string(AlarmStateName(current))});
  return band;
}

}  // namespace sqsim::loadtest
