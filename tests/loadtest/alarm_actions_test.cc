// Alarm actions: PutMetricAlarm's limits on them, the notification
// CloudWatch publishes (subject and JSON message), and the publishing to
// the topics of the state entered, on the simulator's SNS.

#include "sqsim/loadtest/alarm_actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqsim/simulator.h"
#include "sqsim/sns/queue_policy.h"

namespace sqsim::loadtest {
namespace alarm_actions_test {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kAccount[] = "123456789012";
const std::string kTopic = "arn:aws:sns:us-east-1:123456789012:ops-alerts";

AlarmDefinition Depth() {
  AlarmDefinition d = QueueDepthAlarm("orders-depth", "orders", 1000);
  d.alarm_actions = {kTopic};
  return d;
}

AlarmTransition Entered(AlarmState to, AlarmState from = AlarmState::kOk) {
  return {.alarm = "orders-depth",
          .time = Timestamp(std::chrono::seconds(1767225900)),  // 2026-01-01T00:05:00Z
          .from = from,
          .to = to,
          .reason =
              "Threshold Crossed: 1 out of the last 1 datapoints [1200.0 (01/01/26 "
              "00:04:00)] was greater than the threshold (1000.0) (minimum 1 datapoint "
              "for OK -> ALARM transition)."};
}

TEST(AlarmActionsValidation, AtMostFiveActionsPerState) {
  AlarmDefinition d = Depth();
  d.ok_actions.assign(6, kTopic);
  const Status s = ValidateAlarm(d);
  EXPECT_EQ(s.code(), ErrorCode::kValidationError);
  EXPECT_THAT(s.message(), HasSubstr("at 'oKActions' failed to satisfy constraint: Member must "
                                     "have length less than or equal to 5"));
  d.ok_actions.assign(5, kTopic);
  EXPECT_TRUE(ValidateAlarm(d).ok());
}

TEST(AlarmActionsValidation, EachActionIsAnSnsTopicArn) {
  AlarmDefinition d = Depth();
  d.alarm_actions = {"ops-alerts"};
  EXPECT_EQ(ValidateAlarm(d).message(), "Invalid arn syntax: ops-alerts");
  d.alarm_actions = {""};
  EXPECT_THAT(ValidateAlarm(d).message(),
              HasSubstr("at 'alarmActions.1.member' failed to satisfy constraint: Member must "
                        "have length greater than or equal to 1"));
  d.alarm_actions = {kTopic,
                     "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:"
                     "autoScalingGroupName/web:policyName/up"};
  const Status s = ValidateAlarm(d);
  EXPECT_EQ(s.code(), ErrorCode::kValidationError);
  EXPECT_THAT(s.message(), HasSubstr("is not an SNS topic"));
}

TEST(AlarmActionsValidation, DescriptionUpTo1024Characters) {
  AlarmDefinition d = Depth();
  d.description.assign(1024, 'd');
  EXPECT_TRUE(ValidateAlarm(d).ok());
  d.description += 'd';
  EXPECT_THAT(ValidateAlarm(d).message(),
              HasSubstr("at 'alarmDescription' failed to satisfy constraint: Member must have "
                        "length less than or equal to 1024"));
}

TEST(AlarmNotification, SubjectNamesTheStateTheAlarmAndTheRegion) {
  EXPECT_EQ(AlarmNotificationSubject(Entered(AlarmState::kAlarm), "us-east-1"),
            "ALARM: \"orders-depth\" in US East (N. Virginia)");
  EXPECT_EQ(AlarmNotificationSubject(Entered(AlarmState::kOk), "eu-west-1"),
            "OK: \"orders-depth\" in Europe (Ireland)");
  EXPECT_EQ(AlarmNotificationSubject(Entered(AlarmState::kInsufficientData), "xx-test-1"),
            "INSUFFICIENT_DATA: \"orders-depth\" in xx-test-1");
}

TEST(AlarmNotification, ALongSubjectIsCutToSnssLimitInCharactersNotBytes) {
  AlarmTransition t = Entered(AlarmState::kAlarm);
  t.alarm.clear();
  for (int i = 0; i < 120; ++i) t.alarm += "\xc3\xa9";  // U+00E9, two bytes each
  const std::string subject = AlarmNotificationSubject(t, "us-east-1");
  // "ALARM: \"" is 8 characters; 91 of the 2-byte ones follow.
  EXPECT_EQ(subject.size(), 8u + 91 * 2);
  EXPECT_EQ(subject.substr(subject.size() - 2), "\xc3\xa9");
}

TEST(AlarmNotification, MessageCarriesCloudWatchsFields) {
  AlarmDefinition d = Depth();
  d.ok_actions = {kTopic};
  const nlohmann::json m = nlohmann::json::parse(
      AlarmNotificationMessage(d, Entered(AlarmState::kAlarm), "us-east-1", kAccount));
  EXPECT_EQ(m["AlarmName"], "orders-depth");
  EXPECT_TRUE(m["AlarmDescription"].is_null());
  EXPECT_EQ(m["AWSAccountId"], kAccount);
  EXPECT_EQ(m["NewStateValue"], "ALARM");
  EXPECT_EQ(m["OldStateValue"], "OK");
  EXPECT_EQ(m["NewStateReason"], Entered(AlarmState::kAlarm).reason);
  EXPECT_EQ(m["StateChangeTime"], "2026-01-01T00:05:00.000+0000");
  EXPECT_EQ(m["Region"], "US East (N. Virginia)");
  EXPECT_EQ(m["AlarmArn"], "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-depth");
  EXPECT_EQ(m["AlarmActions"], nlohmann::json::array({kTopic}));
  EXPECT_EQ(m["OKActions"], nlohmann::json::array({kTopic}));
  EXPECT_EQ(m["InsufficientDataActions"], nlohmann::json::array());
  const nlohmann::json& trigger = m["Trigger"];
  EXPECT_EQ(trigger["MetricName"], "ApproximateNumberOfMessagesVisible");
  EXPECT_EQ(trigger["Namespace"], "AWS/SQS");
  EXPECT_EQ(trigger["StatisticType"], "Statistic");
  EXPECT_EQ(trigger["Statistic"], "MAXIMUM");
  EXPECT_TRUE(trigger["Unit"].is_null());
  EXPECT_EQ(trigger["Dimensions"],
            nlohmann::json::parse(R"([{"value":"orders","name":"QueueName"}])"));
  EXPECT_EQ(trigger["Period"], 60);
  EXPECT_EQ(trigger["EvaluationPeriods"], d.evaluation_periods);
  EXPECT_EQ(trigger["ComparisonOperator"], "GreaterThanThreshold");
  EXPECT_EQ(trigger["Threshold"], 1000.0);
  EXPECT_EQ(trigger["TreatMissingData"], "notBreaching");  // QueueDepthAlarm's treatment
  // A description, and a percentile statistic.
  d.description = "Orders are piling up";
  d.statistic = Statistic::Percentile(99);
  const nlohmann::json p = nlohmann::json::parse(
      AlarmNotificationMessage(d, Entered(AlarmState::kAlarm), "us-east-1", kAccount));
  EXPECT_EQ(p["AlarmDescription"], "Orders are piling up");
  EXPECT_EQ(p["Trigger"]["StatisticType"], "ExtendedStatistic");
  EXPECT_EQ(p["Trigger"]["ExtendedStatistic"], "p99");
  EXPECT_FALSE(p["Trigger"].contains("Statistic"));
}

// The topic's subscribers get the notification: a queue subscribed to the
// topic holds SNS's envelope with CloudWatch's subject and message.
TEST(RunAlarmActions, PublishesToEveryTopicOfTheStateEnteredAndReportsEachOne) {
  std::unique_ptr<Simulator> sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
  ASSERT_TRUE(sim->sns().CreateTopic({.name = "ops-alerts"}).ok());
  const std::string queue_arn = "arn:aws:sqs:us-east-1:123456789012:pager";
  const std::string url =
      sim->CreateQueue(
             {.queue_name = "pager",
              .attributes = {{"Policy", sns::QueuePolicyAllowingTopic(queue_arn, kTopic)}}})
          ->queue_url;
  ASSERT_TRUE(
      sim->sns().Subscribe({.topic_arn = kTopic, .protocol = "sqs", .endpoint = queue_arn}).ok());

  AlarmDefinition d = Depth();
  const std::string gone = "arn:aws:sns:us-east-1:123456789012:deleted-topic";
  d.alarm_actions = {gone, kTopic};
  const AlarmTransition alarm = Entered(AlarmState::kAlarm);
  const std::vector<AlarmActionResult> sent =
      RunAlarmActions(sim->sns(), d, alarm, "us-east-1", kAccount);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].topic_arn, gone);
  EXPECT_EQ(sent[0].status.code(), ErrorCode::kNotFound);
  EXPECT_EQ(sent[1].topic_arn, kTopic);
  EXPECT_TRUE(sent[1].status.ok()) << sent[1].status.message();
  EXPECT_FALSE(sent[1].message_id.empty());
  EXPECT_EQ(sent[1].state, AlarmState::kAlarm);
  EXPECT_EQ(sent[1].alarm, "orders-depth");

  const std::vector<Message> got =
      sim->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10})->messages;
  ASSERT_EQ(got.size(), 1u);
  const nlohmann::json envelope = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(envelope["Subject"], "ALARM: \"orders-depth\" in US East (N. Virginia)");
  EXPECT_EQ(envelope["Message"], AlarmNotificationMessage(d, alarm, "us-east-1", kAccount));
  EXPECT_EQ(envelope["MessageId"], sent[1].message_id);

  // Entering OK: the alarm has no OK actions, so nothing is published.
  EXPECT_TRUE(RunAlarmActions(sim->sns(), d, Entered(AlarmState::kOk, AlarmState::kAlarm),
                              "us-east-1", kAccount)
                  .empty());
}

}  // namespace alarm_actions_test
}  // namespace sqsim::loadtest
