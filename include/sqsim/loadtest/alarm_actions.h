// The SNS notifications of CloudWatch alarm actions: when an alarm enters a
// state, CloudWatch publishes a notification to every SNS topic of that
// state's actions (AlarmDefinition::alarm_actions, ok_actions,
// insufficient_data_actions), as in the common set-up where a queue-depth
// alarm pages an operations team through a topic with an email
// subscription ("Using Amazon CloudWatch alarms", "Amazon SNS notifications"
// in the CloudWatch User Guide).
//
//   sqsim::sns::Client& sns = sim.sns();
//   for (const AlarmActionResult& sent :
//        RunAlarmActions(sns, definition, transition, "us-east-1", "123456789012")) {
//     if (!sent.status.ok()) ...  // the topic is gone, say
//   }
//
// The notification is CloudWatch's JSON message (AlarmNotificationMessage)
// with the subject `ALARM: "name" in US East (N. Virginia)`: the fields and
// their format are those of the alarm notifications AWS delivers (its own
// sample payloads): AlarmName, AlarmDescription (null when empty),
// AWSAccountId, NewStateValue, NewStateReason, StateChangeTime
// ("2026-12-06T17:05:00.000+0000"), Region (the region's name: "US East
// (N. Virginia)"), AlarmArn, OldStateValue, the three action lists, and the
// Trigger (metric, namespace AWS/SQS, statistic, dimensions, period,
// evaluation periods, comparison, threshold, missing-data treatment).
//
// sqsim's choices where AWS says nothing: a subject over SNS's limit (fewer
// than 100 characters) is cut to 99 characters; a region sqsim has no name for is named by
// its code. The topic's access policy is not evaluated (CloudWatch publishes
// as the service principal cloudwatch.amazonaws.com; sqsim's SNS evaluates
// no topic policies).
//
// Determinism: a pure function of its arguments and of the SNS client's.
// Thread safety: as the SNS client's.

#ifndef SQSIM_LOADTEST_ALARM_ACTIONS_H_
#define SQSIM_LOADTEST_ALARM_ACTIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "sqsim/loadtest/alarm.h"
#include "sqsim/sns/client.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::loadtest {

// The subject CloudWatch gives the notification of `transition`:
// `ALARM: "orders-depth" in US East (N. Virginia)`.
std::string AlarmNotificationSubject(const AlarmTransition& transition, std::string_view region);

// The JSON message CloudWatch publishes for `transition` of the alarm
// `definition` (see the top of this file).
std::string AlarmNotificationMessage(const AlarmDefinition& definition,
                                     const AlarmTransition& transition, std::string_view region,
                                     std::string_view account_id);

// The name AWS gives `region` ("us-east-1" -> "US East (N. Virginia)"), or
// the code itself when sqsim has none.
std::string RegionDisplayName(std::string_view region);

// One action run: the notification of one transition to one topic.
struct AlarmActionResult {
  std::string alarm{};                               // AlarmDefinition::name
  Timestamp time{};                                  // the transition's
  AlarmState state = AlarmState::kInsufficientData;  // the state entered
  std::string topic_arn{};
  Status status{};           // the Publish's: OK, or why the action failed
  std::string message_id{};  // the Publish's, when it succeeded
};

// Publishes the notification of `transition` to every topic of
// `definition.ActionsFor(transition.to)`, in order; a failed publish (no
// such topic, a fault) does not stop the others. Returns one result per
// topic (none when the state has no actions).
std::vector<AlarmActionResult> RunAlarmActions(sns::Client& sns, const AlarmDefinition& definition,
                                               const AlarmTransition& transition,
                                               std::string_view region,
                                               std::string_view account_id);

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_ALARM_ACTIONS_H_
