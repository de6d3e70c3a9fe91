// The SNS notifications of alarm actions. The message's fields and format
// follow the alarm notifications AWS delivers (see the header).

#include "sqsim/loadtest/alarm_actions.h"

#include <array>
#include <chrono>
#include <utility>

#include <nlohmann/json.hpp>

namespace sqsim::loadtest {
namespace {

using nlohmann::ordered_json;

// SNS's limit on Subject: "less than 100 characters".
constexpr size_t kMaxSubjectCharacters = 99;

// `text` cut to at most `characters` UTF-8 characters (code points).
std::string CutToCharacters(std::string text, size_t characters) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A byte that does not continue a character starts one.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && seen++ == characters) {
      text.resize(i);
      break;
    }
  }
  return text;
}

struct RegionName {
  std::string_view code;
  std::string_view name;
};

// The names AWS gives its regions (the Region column of "AWS Regions" in
// the AWS General Reference); notifications name the region so.
constexpr std::array<RegionName, 20> kRegionNames{{
    {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},
    {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
    {"ca-central-1", "Canada (Central)"},
    {"sa-east-1", "South America (S\u00e3o Paulo)"},
    {"eu-west-1", "Europe (Ireland)"},
    {"eu-west-2", "Europe (London)"},
    {"eu-west-3", "Europe (Paris)"},
    {"eu-central-1", "Europe (Frankfurt)"},
    {"eu-north-1", "Europe (Stockholm)"},
    {"eu-south-1", "Europe (Milan)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"},
    {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"},
    {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"},
    {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"me-south-1", "Middle East (Bahrain)"},
}};

// "2026-12-06T17:05:00.000+0000": CloudWatch's StateChangeTime.
std::string StateChangeTime(Timestamp t) {
  std::string text = FormatTimestamp(t);  // ...T17:05:00.000Z
  text.pop_back();
  return text + "+0000";
}

// The Trigger's statistic as notifications spell it: SUM, AVERAGE, ...
std::string_view TriggerStatistic(const Statistic& statistic) {
  switch (statistic.kind) {
    case Statistic::Kind::kSampleCount:
      return "SAMPLE_COUNT";
    case Statistic::Kind::kAverage:
      return "AVERAGE";
    case Statistic::Kind::kSum:
      return "SUM";
    case Statistic::Kind::kMinimum:
      return "MINIMUM";
    case Statistic::Kind::kMaximum:
    case Statistic::Kind::kPercentile:
      break;
  }
  return "MAXIMUM";
}

ordered_json Trigger(const AlarmDefinition& d) {
  ordered_json trigger;
  trigger["MetricName"] = QueueMetricName(d.metric);
  trigger["Namespace"] = "AWS/SQS";
  if (d.statistic.is_percentile()) {
    trigger["StatisticType"] = "ExtendedStatistic";
    trigger["ExtendedStatistic"] = d.statistic.Name();
  } else {
    trigger["StatisticType"] = "Statistic";
    trigger["Statistic"] = TriggerStatistic(d.statistic);
  }
  trigger["Unit"] = nullptr;
  trigger["Dimensions"] = ordered_json::array({{{"value", d.queue_name}, {"name", "QueueName"}}});
  trigger["Period"] = std::chrono::duration_cast<std::chrono::seconds>(d.period).count();
  trigger["EvaluationPeriods"] = d.evaluation_periods;
  if (d.datapoints_to_alarm > 0) trigger["DatapointsToAlarm"] = d.datapoints_to_alarm;
  trigger["ComparisonOperator"] = ComparisonOperatorName(d.comparison);
  trigger["Threshold"] = d.threshold;
  trigger["TreatMissingData"] = TreatMissingDataName(d.treat_missing_data);
  trigger["EvaluateLowSampleCountPercentile"] = "";
  return trigger;
}

}  // namespace

std::string RegionDisplayName(std::string_view region) {
  for (const RegionName& r : kRegionNames) {
    if (r.code == region) return std::string(r.name);
  }
  return std::string(region);
}

std::string AlarmNotificationSubject(const AlarmTransition& transition, std::string_view region) {
  std::string subject = std::string(AlarmStateName(transition.to)) + ": \"" + transition.alarm +
                        "\" in " + RegionDisplayName(region);
  return CutToCharacters(std::move(subject), kMaxSubjectCharacters);
}

std::string AlarmNotificationMessage(const AlarmDefinition& d, const AlarmTransition& t,
                                     std::string_view region, std::string_view account_id) {
  ordered_json message;
  message["AlarmName"] = d.name;
  message["AlarmDescription"] =
      d.description.empty() ? ordered_json(nullptr) : ordered_json(d.description);
  message["AWSAccountId"] = account_id;
  message["NewStateValue"] = AlarmStateName(t.to);
  message["NewStateReason"] = t.reason;
  message["StateChangeTime"] = StateChangeTime(t.time);
  message["Region"] = RegionDisplayName(region);
  message["AlarmArn"] = "arn:aws:cloudwatch:" + std::string(region) + ":" +
                        std::string(account_id) + ":alarm:" + d.name;
  message["OldStateValue"] = AlarmStateName(t.from);
  message["OKActions"] = d.ok_actions;
  message["AlarmActions"] = d.alarm_actions;
  message["InsufficientDataActions"] = d.insufficient_data_actions;
  message["Trigger"] = Trigger(d);
  return message.dump();
}

std::vector<AlarmActionResult> RunAlarmActions(sns::Client& sns, const AlarmDefinition& definition,
                                               const AlarmTransition& transition,
                                               std::string_view region,
                                               std::string_view account_id) {
  std::vector<AlarmActionResult> results;
  const std::vector<std::string>& topics = definition.ActionsFor(transition.to);
  if (topics.empty()) return results;
  const std::string subject = AlarmNotificationSubject(transition, region);
  const std::string message = AlarmNotificationMessage(definition, transition, region, account_id);
  for (const std::string& topic : topics) {
    AlarmActionResult result{.alarm = definition.name,
                             .time = transition.time,
                             .state = transition.to,
                             .topic_arn = topic};
    Result<sns::PublishResponse> published =
        sns.Publish({.topic_arn = topic, .message = message, .subject = subject});
    if (published.ok()) {
      result.message_id = std::move(published->message_id);
    } else {
      result.status = published.status();
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace sqsim::loadtest
