// CloudWatch alarm semantics (sqsim/loadtest/alarm.h).
//
// The tests named MissingDataTable* are the tables of "How alarm state is
// evaluated when data is missing" in the CloudWatch User Guide (the page
// "Configuring how CloudWatch alarms treat missing data"), one test per row:
// each row's pattern of datapoints is evaluated under every treatment of
// missing data, from every state an alarm can be in (so that "Retain current
// state" is checked as such). In a pattern, 0 is a datapoint that does not
// breach, X one that does and - a missing one, oldest first, as in the
// guide. The reasons tested verbatim are StateReasons CloudWatch wrote, as
// found in public alarm notifications and histories, rebuilt here from the
// alarm and datapoints that gave them.

#include "sqsim/loadtest/alarm.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/sim_test_util.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::loadtest {
namespace alarm_test {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using namespace std::chrono_literals;

// SimulatorOptions' default start, 2026-01-01T00:00:00Z.
constexpr Timestamp kT0{std::chrono::seconds(1767225600)};

Timestamp At(int year, unsigned month, unsigned day, int hour, int minute) {
  return Timestamp(std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) /
                                         std::chrono::day(day))) +
         std::chrono::hours(hour) + std::chrono::minutes(minute);
}

// "0 - X - X" -> {0.0, nullopt, 1.0, nullopt, 1.0}: against a threshold of
// 0.5 with GreaterThanThreshold, 0 does not breach and X does.
std::vector<std::optional<double>> Pattern(std::string_view pattern) {
  std::vector<std::optional<double>> values;
  for (char c : pattern) {
    if (c == '0') values.emplace_back(0.0);
    if (c == 'X') values.emplace_back(1.0);
    if (c == '-') values.emplace_back(std::nullopt);
  }
  return values;
}

AlarmDefinition TableAlarm(int datapoints_to_alarm, int evaluation_periods,
                           TreatMissingData treatment) {
  return {.name = "table",
          .queue_name = "q",
          .period = 5min,  // as in the guide's tables
          .evaluation_periods = evaluation_periods,
          .datapoints_to_alarm = datapoints_to_alarm,
          .comparison = ComparisonOperator::kGreaterThanThreshold,
          .threshold = 0.5,
          .treat_missing_data = treatment};
}

// A column of the tables: a state, or "Retain current state".
enum class Outcome { kOk, kAlarm, kInsufficientData, kRetain };

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "OK";
    case Outcome::kAlarm:
      return "ALARM";
    case Outcome::kInsufficientData:
      return "INSUFFICIENT_DATA";
    case Outcome::kRetain:
      return "Retain current state";
  }
  return "?";
}

// Checks one row: `pattern` (the evaluation range, oldest first) under the
// four treatments, in the guide's column order (MISSING, IGNORE, BREACHING,
// NOT BREACHING), from a new alarm (INSUFFICIENT_DATA), from OK and from
// ALARM.
void ExpectRow(std::string_view pattern, int datapoints_to_alarm, int evaluation_periods,
               Outcome missing, Outcome ignore, Outcome breaching, Outcome not_breaching) {
  const std::array<std::pair<TreatMissingData, Outcome>, 4> columns = {{
      {TreatMissingData::kMissing, missing},
      {TreatMissingData::kIgnore, ignore},
      {TreatMissingData::kBreaching, breaching},
      {TreatMissingData::kNotBreaching, not_breaching},
  }};
  for (const auto& [treatment, outcome] : columns) {
    for (const AlarmState start :
         {AlarmState::kInsufficientData, AlarmState::kOk, AlarmState::kAlarm}) {
      AlarmEvaluator alarm(TableAlarm(datapoints_to_alarm, evaluation_periods, treatment));
      ASSERT_EQ(alarm.periods_needed(), 5) << "the guide's evaluation range";
      if (start == AlarmState::kOk) alarm.Evaluate(kT0, Pattern("0 0 0 0 0"));
      if (start == AlarmState::kAlarm) alarm.Evaluate(kT0, Pattern("X X X X X"));
      ASSERT_EQ(alarm.state(), start);
      alarm.Evaluate(kT0 + 5min, Pattern(pattern));
      AlarmState expected = start;
      if (outcome == Outcome::kOk) expected = AlarmState::kOk;
      if (outcome == Outcome::kAlarm) expected = AlarmState::kAlarm;
      if (outcome == Outcome::kInsufficientData) expected = AlarmState::kInsufficientData;
      EXPECT_EQ(AlarmStateName(alarm.state()), AlarmStateName(expected))
          << "row \"" << pattern << "\", " << datapoints_to_alarm << " out of "
          << evaluation_periods << ", treat missing data as " << TreatMissingDataName(treatment)
          << ", from " << AlarmStateName(start) << " (the guide: " << OutcomeName(outcome)
          << "); reason: " << alarm.state_reason();
    }
  }
}

// ---- The first table: Datapoints to Alarm and Evaluation Periods both 3 ----

TEST(MissingDataTable3OutOf3, Row1_0_m_X_m_X) {
  // Three real datapoints: they are evaluated, the treatment does not matter.
  ExpectRow("0 - X - X", 3, 3, Outcome::kOk, Outcome::kOk, Outcome::kOk, Outcome::kOk);
}

TEST(MissingDataTable3OutOf3, Row2_0_m_m_m_m) {
  // The good datapoint and two filled in: even as breaching, 2 < 3.
  ExpectRow("0 - - - -", 3, 3, Outcome::kOk, Outcome::kOk, Outcome::kOk, Outcome::kOk);
}

TEST(MissingDataTable3OutOf3, Row3_m_m_m_m_m) {
  ExpectRow("- - - - -", 3, 3, Outcome::kInsufficientData, Outcome::kRetain, Outcome::kAlarm,
            Outcome::kOk);
}

TEST(MissingDataTable3OutOf3, Row4_0_X_X_m_X) {
  // The three most recent real datapoints breach.
  ExpectRow("0 X X - X", 3, 3, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm);
}

TEST(MissingDataTable3OutOf3, Row5_m_m_X_m_m) {
  // "Premature alarm state": the breaching datapoint is 3 periods old with
  // only missing ones after it, so `missing` goes to ALARM too.
  ExpectRow("- - X - -", 3, 3, Outcome::kAlarm, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
}

// ---- The second table: 2 out of 3 -----------------------------------------

TEST(MissingDataTable2OutOf3, Row1_0_m_X_m_X) {
  ExpectRow("0 - X - X", 2, 3, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm);
}

TEST(MissingDataTable2OutOf3, Row2_0_0_X_0_X) {
  // Nothing missing: the latest 3 (X 0 X) are evaluated, the two older ones
  // are not needed.
  ExpectRow("0 0 X 0 X", 2, 3, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm, Outcome::kAlarm);
}

TEST(MissingDataTable2OutOf3, Row3_0_m_X_m_m) {
  ExpectRow("0 - X - -", 2, 3, Outcome::kOk, Outcome::kOk, Outcome::kAlarm, Outcome::kOk);
}

TEST(MissingDataTable2OutOf3, Row4_m_m_m_m_0) {
  // As breaching, the two missing datapoints are the two breaching ones.
  ExpectRow("- - - - 0", 2, 3, Outcome::kOk, Outcome::kOk, Outcome::kAlarm, Outcome::kOk);
}

TEST(MissingDataTable2OutOf3, Row5_m_m_m_X_m) {
  // Premature alarm state, M out of N: the breaching datapoint is 2 periods
  // old.
  ExpectRow("- - - X -", 2, 3, Outcome::kAlarm, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
}

// ---- Rows of the guide's earlier revision of the tables ---------------------

TEST(MissingDataTableEarlierRevision, X_m_m_m_m_3OutOf3) {
  // "the alarm goes to ALARM state even if missing data is treated as
  // missing, because the oldest evaluated data point is breaching and there
  // aren't any non-breaching data points."
  ExpectRow("X - - - -", 3, 3, Outcome::kAlarm, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
}

TEST(MissingDataTableEarlierRevision, m_m_m_m_X_3OutOf3) {
  // Not yet ALARM: the next datapoint may be good ("the alarm does not go
  // immediately into ALARM state when the data is either - - - - X or
  // - - - X -"). The earlier revision had INSUFFICIENT_DATA under MISSING;
  // the current text sends `missing` to INSUFFICIENT_DATA only when the whole
  // range is missing, so the state stays (a new alarm stays in
  // INSUFFICIENT_DATA).
  ExpectRow("- - - - X", 3, 3, Outcome::kRetain, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
  ExpectRow("- - - X -", 3, 3, Outcome::kRetain, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
}

TEST(MissingDataTableEarlierRevision, m_m_m_m_X_2OutOf3) {
  ExpectRow("- - - - X", 2, 3, Outcome::kRetain, Outcome::kRetain, Outcome::kAlarm, Outcome::kOk);
}

TEST(MissingDataPrematureAlarm, NextGoodDatapointKeepsTheAlarmOk) {
  // - - - - X then - - - X 0: the good datapoint arrived, so no ALARM at all.
  AlarmEvaluator alarm(TableAlarm(3, 3, TreatMissingData::kMissing));
  alarm.Evaluate(kT0, Pattern("0 0 0 0 0"));
  ASSERT_EQ(alarm.state(), AlarmState::kOk);
  EXPECT_EQ(alarm.Evaluate(kT0 + 5min, Pattern("0 0 0 0 X")), std::nullopt);
  EXPECT_EQ(alarm.Evaluate(kT0 + 10min, Pattern("- - - - X")), std::nullopt);
  EXPECT_EQ(alarm.Evaluate(kT0 + 15min, Pattern("- - - X 0")), std::nullopt);
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
}

TEST(MissingDataPrematureAlarm, BreachFollowedByGapsAlarmsOnceItIsMPeriodsOld) {
  AlarmEvaluator alarm(TableAlarm(3, 3, TreatMissingData::kMissing));
  EXPECT_EQ(alarm.Evaluate(kT0, Pattern("- - - - X")), std::nullopt);
  EXPECT_EQ(alarm.Evaluate(kT0 + 5min, Pattern("- - - X -")), std::nullopt);
  const auto t = alarm.Evaluate(kT0 + 10min, Pattern("- - X - -"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->to, AlarmState::kAlarm);
  // Two periods later the datapoint leaves the range: all missing.
  EXPECT_EQ(alarm.Evaluate(kT0 + 15min, Pattern("- X - - -")), std::nullopt);
  EXPECT_EQ(alarm.Evaluate(kT0 + 20min, Pattern("X - - - -")), std::nullopt);
  const auto gone = alarm.Evaluate(kT0 + 25min, Pattern("- - - - -"));
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->to, AlarmState::kInsufficientData);
}

TEST(MissingDataInvariants, EveryPatternOfSmallAlarms) {
  // Every range of missing, good and breaching datapoints for N up to 4 and
  // every M: what the guide's rules imply beyond its example rows.
  for (int n = 1; n <= 4; ++n) {
    for (int m = 1; m <= n; ++m) {
      const int range = n + 2;
      int patterns = 1;
      for (int i = 0; i < range; ++i) patterns *= 3;
      for (int code = 0; code < patterns; ++code) {
        std::vector<std::optional<double>> values;
        int present = 0;
        for (int i = 0, c = code; i < range; ++i, c /= 3) {
          if (c % 3 == 0) {
            values.emplace_back(std::nullopt);
          } else {
            values.emplace_back(c % 3 == 2 ? 1.0 : 0.0);
            ++present;
          }
        }
        std::array<AlarmState, 4> from_ok{};
        std::array<AlarmState, 4> from_alarm{};
        for (int t = 0; t < 4; ++t) {
          for (const bool alarm_first : {false, true}) {
            AlarmEvaluator alarm(TableAlarm(m, n, static_cast<TreatMissingData>(t)));
            alarm.Evaluate(kT0, std::vector<std::optional<double>>(range, alarm_first ? 1.0 : 0.0));
            alarm.Evaluate(kT0 + 5min, values);
            (alarm_first ? from_alarm : from_ok)[t] = alarm.state();
          }
        }
        const auto at = [](const std::array<AlarmState, 4>& a, TreatMissingData t) {
          return a[static_cast<size_t>(t)];
        };
        SCOPED_TRACE(::testing::Message() << m << " out of " << n << ", pattern " << code);
        if (present >= n) {
          // Enough real datapoints: the treatment does not matter, nor the
          // state before.
          for (int t = 0; t < 4; ++t) {
            EXPECT_EQ(from_ok[t], from_ok[0]);
            EXPECT_EQ(from_alarm[t], from_ok[0]);
          }
        }
        // Only `missing` goes to INSUFFICIENT_DATA, and only when all is
        // missing.
        EXPECT_EQ(at(from_ok, TreatMissingData::kMissing) == AlarmState::kInsufficientData,
                  present == 0);
        for (TreatMissingData t : {TreatMissingData::kIgnore, TreatMissingData::kBreaching,
                                   TreatMissingData::kNotBreaching}) {
          EXPECT_NE(at(from_ok, t), AlarmState::kInsufficientData);
        }
        // breaching and notBreaching always decide, and breaching alarms at
        // least whenever notBreaching does.
        for (TreatMissingData t : {TreatMissingData::kBreaching, TreatMissingData::kNotBreaching}) {
          EXPECT_EQ(at(from_ok, t), at(from_alarm, t));
        }
        if (at(from_ok, TreatMissingData::kNotBreaching) == AlarmState::kAlarm) {
          EXPECT_EQ(at(from_ok, TreatMissingData::kBreaching), AlarmState::kAlarm);
        }
        // ignore is missing without INSUFFICIENT_DATA and without the
        // premature ALARM: where missing decides OK, so does ignore; where
        // ignore decides, missing agrees.
        if (present > 0) {
          if (at(from_alarm, TreatMissingData::kMissing) == AlarmState::kOk) {
            EXPECT_EQ(at(from_alarm, TreatMissingData::kIgnore), AlarmState::kOk);
          }
          if (at(from_ok, TreatMissingData::kIgnore) == AlarmState::kAlarm) {
            EXPECT_EQ(at(from_ok, TreatMissingData::kMissing), AlarmState::kAlarm);
          }
        } else {
          EXPECT_EQ(at(from_ok, TreatMissingData::kIgnore), AlarmState::kOk);
          EXPECT_EQ(at(from_alarm, TreatMissingData::kIgnore), AlarmState::kAlarm);
        }
      }
    }
  }
}

// ---- Evaluating an alarm ----------------------------------------------------

TEST(AlarmEvaluation, TheGuidesFigure) {
  // "Evaluating an alarm": threshold 3, Evaluation Periods and Datapoints to
  // Alarm 3. Periods 3 to 5 are above the threshold: ALARM at the end of
  // period 5; period 6 dips below: OK; period 9 alone breaches: still OK.
  AlarmEvaluator alarm({.name = "figure",
                        .queue_name = "q",
                        .evaluation_periods = 3,
                        .datapoints_to_alarm = 3,
                        .threshold = 3});
  const std::vector<double> values = {1, 2, 4, 5, 4, 2, 1, 2, 4, 1};
  std::vector<std::optional<double>> seen;
  std::vector<std::string> states;
  for (size_t i = 0; i < values.size(); ++i) {
    seen.emplace_back(values[i]);
    alarm.Evaluate(kT0 + std::chrono::minutes(i + 1), seen);
    states.emplace_back(AlarmStateName(alarm.state()));
  }
  // The first evaluation sees 1 of 3 datapoints, not breaching: OK, as
  // 0 - - - - in the first table.
  EXPECT_THAT(states, ElementsAre("OK", "OK", "OK", "OK", "ALARM", "OK", "OK", "OK", "OK", "OK"));
}

TEST(AlarmEvaluation, FirstPeriodsOfARunAreMissing) {
  // One datapoint, 3 out of 3, `missing`: fewer entries than the range are
  // the periods before the run, all missing.
  AlarmEvaluator alarm(TableAlarm(3, 3, TreatMissingData::kMissing));
  const std::optional<AlarmTransition> t = alarm.Evaluate(kT0, Pattern("0"));
  EXPECT_EQ(t, std::optional<AlarmTransition>(AlarmTransition{.alarm = "table",
                                                              .time = kT0,
                                                              .from = AlarmState::kInsufficientData,
                                                              .to = AlarmState::kOk,
                                                              .reason = alarm.state_reason()}));
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
  AlarmEvaluator breaching(TableAlarm(3, 3, TreatMissingData::kBreaching));
  breaching.Evaluate(kT0, Pattern("X"));
  EXPECT_EQ(breaching.state(), AlarmState::kAlarm);
  AlarmEvaluator empty(TableAlarm(3, 3, TreatMissingData::kBreaching));
  empty.Evaluate(kT0, {});
  EXPECT_EQ(empty.state(), AlarmState::kAlarm) << "no datapoints at all, treated as breaching";
}

TEST(AlarmEvaluation, OnlyTheLatestRangeIsRead) {
  // More entries than periods_needed(): the older ones are outside the
  // evaluation range.
  AlarmEvaluator alarm(TableAlarm(3, 3, TreatMissingData::kMissing));
  alarm.Evaluate(kT0, Pattern("X X X - - - - -"));
  EXPECT_EQ(alarm.state(), AlarmState::kInsufficientData);
  alarm.Evaluate(kT0, Pattern("X X X X - - - -"));
  EXPECT_EQ(alarm.state(), AlarmState::kAlarm) << "X - - - - is in range";
}

TEST(AlarmEvaluation, RealDatapointsFromFartherBackBeforeTheTreatment) {
  // "some data points in the evaluation range are missing, but ... equal to
  // or more than the alarm's Evaluation Periods": evaluated on the latest
  // real ones, and treating missing data as breaching changes nothing.
  AlarmEvaluator alarm(TableAlarm(2, 2, TreatMissingData::kBreaching));
  ASSERT_EQ(alarm.periods_needed(), 4);
  alarm.Evaluate(kT0, Pattern("0 - 0 -"));
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
  // Two real datapoints, the older one from before the last 2 periods: no
  // missing datapoint is filled in, so no ALARM.
  alarm.Evaluate(kT0 + 5min, Pattern("0 - X -"));
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
  // One real datapoint: one missing datapoint is filled in (as few as
  // possible), as breaching.
  alarm.Evaluate(kT0 + 10min, Pattern("- X - -"));
  EXPECT_EQ(alarm.state(), AlarmState::kAlarm);
}

TEST(AlarmEvaluation, MOutOfNNeedNotBeConsecutive) {
  AlarmEvaluator alarm({.name = "m-of-n",
                        .queue_name = "q",
                        .evaluation_periods = 5,
                        .datapoints_to_alarm = 3,
                        .threshold = 10});
  EXPECT_EQ(alarm.periods_needed(), 7);
  // The series 0 0 11 0 11 0 11 0, a minute at a time.
  alarm.Evaluate(kT0 + 5min, std::vector<std::optional<double>>{0, 0, 11, 0, 11});
  EXPECT_EQ(alarm.state(), AlarmState::kOk) << "2 of the last 5 breach";
  alarm.Evaluate(kT0 + 7min, std::vector<std::optional<double>>{0, 0, 11, 0, 11, 0, 11});
  EXPECT_EQ(alarm.state(), AlarmState::kAlarm) << "3 of the last 5 breach, not in a row";
  alarm.Evaluate(kT0 + 8min, std::vector<std::optional<double>>{0, 11, 0, 11, 0, 11, 0});
  EXPECT_EQ(alarm.state(), AlarmState::kOk) << "the oldest breach left the last 5";
}

TEST(AlarmEvaluation, ComparisonOperatorsAtTheThreshold) {
  const auto state_for = [](ComparisonOperator op, double value) {
    AlarmEvaluator alarm({.name = "op", .queue_name = "q", .comparison = op, .threshold = 10});
    alarm.Evaluate(kT0, std::vector<std::optional<double>>{value});
    return alarm.state();
  };
  using Op = ComparisonOperator;
  EXPECT_EQ(state_for(Op::kGreaterThanOrEqualToThreshold, 10), AlarmState::kAlarm);
  EXPECT_EQ(state_for(Op::kGreaterThanOrEqualToThreshold, 9.5), AlarmState::kOk);
  EXPECT_EQ(state_for(Op::kGreaterThanThreshold, 10), AlarmState::kOk);
  EXPECT_EQ(state_for(Op::kGreaterThanThreshold, 10.5), AlarmState::kAlarm);
  EXPECT_EQ(state_for(Op::kLessThanThreshold, 10), AlarmState::kOk);
  EXPECT_EQ(state_for(Op::kLessThanThreshold, 9.5), AlarmState::kAlarm);
  EXPECT_EQ(state_for(Op::kLessThanOrEqualToThreshold, 10), AlarmState::kAlarm);
  EXPECT_EQ(state_for(Op::kLessThanOrEqualToThreshold, 10.5), AlarmState::kOk);
}

TEST(AlarmEvaluation, ReEvaluatesTheLastDatapointAfterTheMetricStops) {
  // The guide's note: the last datapoints are evaluated again while they
  // stay in the evaluation range (here 3 periods for N = 1).
  AlarmEvaluator alarm({.name = "stops", .queue_name = "q", .threshold = 0.5});
  EXPECT_EQ(alarm.periods_needed(), 3);
  std::vector<std::optional<double>> series = {1.0};
  std::vector<std::string> states;
  for (int minute = 1; minute <= 4; ++minute) {
    alarm.Evaluate(kT0 + std::chrono::minutes(minute), series);
    states.emplace_back(AlarmStateName(alarm.state()));
    series.emplace_back(std::nullopt);
  }
  EXPECT_THAT(states, ElementsAre("ALARM", "ALARM", "ALARM", "INSUFFICIENT_DATA"));
}

TEST(AlarmEvaluation, TransitionsOnlyOnChangeAndRecordTheirTime) {
  AlarmEvaluator alarm(QueueDepthAlarm("depth", "orders", 100));
  EXPECT_EQ(alarm.state(), AlarmState::kInsufficientData);
  EXPECT_EQ(alarm.state_reason(), "Unchecked: Initial alarm creation");
  const auto first = alarm.Evaluate(kT0 + 1min, std::vector<std::optional<double>>{5});
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->alarm, "depth");
  EXPECT_EQ(first->time, kT0 + 1min);
  EXPECT_EQ(first->from, AlarmState::kInsufficientData);
  EXPECT_EQ(first->to, AlarmState::kOk);
  EXPECT_EQ(alarm.Evaluate(kT0 + 2min, std::vector<std::optional<double>>{5, 7}), std::nullopt);
  const auto second =
      alarm.Evaluate(kT0 + 3min + 20s, std::vector<std::optional<double>>{5, 7, 250});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->time, kT0 + 3min + 20s);
  EXPECT_EQ(second->from, AlarmState::kOk);
  EXPECT_EQ(second->to, AlarmState::kAlarm);
  EXPECT_EQ(alarm.state_reason(), second->reason);
  EXPECT_THAT(FormatTransition(*second),
              HasSubstr("depth 2026-01-01T00:03:20.000Z OK -> ALARM: Threshold Crossed: 1 out of "
                        "the last 1 datapoints [250.0 (01/01/26 00:02:00)]"));
}

TEST(AlarmEvaluation, SameCallsSameTransitions) {
  const auto run = [] {
    AlarmEvaluator alarm(TableAlarm(2, 3, TreatMissingData::kMissing));
    std::vector<AlarmTransition> out;
    const std::array<std::string_view, 6> steps = {"0 0 0 0 0", "0 0 0 X X", "- - X - -",
                                                   "- - - - -", "X 0 X 0 -", "X X - - -"};
    for (size_t i = 0; i < steps.size(); ++i) {
      if (auto t = alarm.Evaluate(kT0 + std::chrono::minutes(i), Pattern(steps[i]))) {
        out.push_back(*t);
      }
    }
    return out;
  };
  const std::vector<AlarmTransition> a = run();
  EXPECT_EQ(a, run());
  EXPECT_EQ(a.size(), 5u);
}

// ---- StateReason --------------------------------------------------------------

// An alarm whose evaluation at `now` sees `values` (oldest first, ending with
// the period that ends at `now`), and the reason of the transition it makes.
std::string ReasonOf(const AlarmDefinition& definition, Timestamp now,
                     std::vector<std::optional<double>> values) {
  AlarmEvaluator alarm(definition);
  const auto t = alarm.Evaluate(now, values);
  return t ? t->reason : "(no transition)";
}

TEST(AlarmStateReason, ThreeOutOfThreeOverTheDepthThreshold) {
  EXPECT_EQ(ReasonOf(QueueDepthAlarm("depth", "orders", 1000, 3), At(2026, 6, 12, 7, 6),
                     {std::nullopt, std::nullopt, 1050, 1100, 1200}),
            "Threshold Crossed: 3 out of the last 3 datapoints [1200.0 (12/06/26 07:05:00), "
            "1100.0 (12/06/26 07:04:00), 1050.0 (12/06/26 07:03:00)] were greater than the "
            "threshold (1000.0) (minimum 3 datapoints for OK -> ALARM transition).");
}

TEST(AlarmStateReason, TwoOutOfTwoAsCloudWatchWroteIt) {
  EXPECT_EQ(ReasonOf({.name = "lb",
                      .queue_name = "q",
                      .evaluation_periods = 2,
                      .datapoints_to_alarm = 2,
                      .threshold = 1.0},
                     At(2021, 9, 27, 1, 37), {1.7514244573552422, 5.535714886726143}),
            "Threshold Crossed: 2 out of the last 2 datapoints [5.535714886726143 (27/09/21 "
            "01:36:00), 1.7514244573552422 (27/09/21 01:35:00)] were greater than the threshold "
            "(1.0) (minimum 2 datapoints for OK -> ALARM transition).");
}

TEST(AlarmStateReason, BackToOkAsCloudWatchWroteIt) {
  EXPECT_EQ(ReasonOf({.name = "ok",
                      .queue_name = "q",
                      .datapoints_to_alarm = 1,
                      .comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold,
                      .threshold = 1.0},
                     At(2022, 8, 1, 15, 7), {0.0}),
            "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (01/08/22 15:06:00)] was not "
            "greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK "
            "transition).");
}

TEST(AlarmStateReason, OneOutOfTwentyWithNineteenMissingAsNotBreaching) {
  std::vector<std::optional<double>> values(21);
  values.emplace_back(613.0);
  EXPECT_EQ(ReasonOf({.name = "waf",
                      .queue_name = "q",
                      .evaluation_periods = 20,
                      .datapoints_to_alarm = 1,
                      .comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold,
                      .threshold = 1.0,
                      .treat_missing_data = TreatMissingData::kNotBreaching},
                     At(2024, 3, 16, 12, 16), values),
            "Threshold Crossed: 1 out of the last 20 datapoints [613.0 (16/03/24 12:15:00)] was "
            "greater than or equal to the threshold (1.0) and 19 missing datapoints were treated "
            "as [NonBreaching] (minimum 1 datapoint for OK -> ALARM transition).");
}

TEST(AlarmStateReason, WithoutDatapointsToAlarmTheShorterForm) {
  // NumberOfMessagesSent > 0, Sum, one period, DatapointsToAlarm not given.
  EXPECT_EQ(ReasonOf({.name = "sent",
                      .queue_name = "q",
                      .metric = QueueMetric::kNumberOfMessagesSent,
                      .statistic = Statistic::Sum(),
                      .threshold = 0},
                     At(2024, 1, 3, 11, 37), {1.0}),
            "Threshold Crossed: 1 datapoint [1.0 (03/01/24 11:36:00)] was greater than the "
            "threshold (0.0).");
  // Eight 15-minute periods, one datapoint, missing data as breaching: the
  // good datapoint alone takes it to OK.
  std::vector<std::optional<double>> values(9);
  values.emplace_back(2.0);
  EXPECT_EQ(ReasonOf({.name = "watermark",
                      .queue_name = "q",
                      .period = 15min,
                      .evaluation_periods = 8,
                      .comparison = ComparisonOperator::kLessThanOrEqualToThreshold,
                      .threshold = 0,
                      .treat_missing_data = TreatMissingData::kBreaching},
                     At(2026, 8, 19, 9, 51) + 49s, values),
            "Threshold Crossed: 1 datapoint [2.0 (19/08/26 09:36:00)] was not less than or equal "
            "to the threshold (0.0) and 7 missing datapoints were treated as [Breaching].");
}

TEST(AlarmStateReason, NoDatapointsAtAll) {
  const auto all_missing = [](int n, TreatMissingData treatment) {
    return ReasonOf(
        {.name = "a", .queue_name = "q", .evaluation_periods = n, .treat_missing_data = treatment},
        kT0, {});
  };
  EXPECT_EQ(all_missing(2, TreatMissingData::kBreaching),
            "Threshold Crossed: no datapoints were received for 2 periods and 2 missing "
            "datapoints were treated as [Breaching].");
  EXPECT_EQ(all_missing(3, TreatMissingData::kNotBreaching),
            "Threshold Crossed: no datapoints were received for 3 periods and 3 missing "
            "datapoints were treated as [NonBreaching].");
  EXPECT_EQ(all_missing(1, TreatMissingData::kNotBreaching),
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing "
            "datapoint was treated as [NonBreaching].");
  EXPECT_EQ(all_missing(1, TreatMissingData::kIgnore), "(no transition)");
  // `missing` from OK (a new alarm is in INSUFFICIENT_DATA already).
  AlarmEvaluator alarm({.name = "a", .queue_name = "q"});
  alarm.Evaluate(kT0, std::vector<std::optional<double>>{0.0});
  const auto t = alarm.Evaluate(kT0 + 3min, std::vector<std::optional<double>>{});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->reason, "Insufficient Data: 1 datapoint was unknown.");
}

TEST(AlarmStateReason, WhenTheFilledInDatapointsDecide) {
  // 2 out of 3, one good datapoint, two missing as breaching: ALARM only
  // because of the missing ones.
  EXPECT_EQ(ReasonOf(TableAlarm(2, 3, TreatMissingData::kBreaching), kT0, Pattern("- - - - 0")),
            "Threshold Crossed: 1 datapoint was received for 3 periods and 2 missing datapoints "
            "were treated as [Breaching].");
}

TEST(AlarmStateReason, NumbersAsJavaPrintsThem) {
  EXPECT_EQ(ReasonOf({.name = "big", .queue_name = "q", .threshold = 1e7}, kT0, {12345678.9}),
            "Threshold Crossed: 1 datapoint [1.23456789E7 (31/12/25 23:59:00)] was greater than "
            "the threshold (1.0E7).");
  EXPECT_EQ(ReasonOf({.name = "small",
                      .queue_name = "q",
                      .comparison = ComparisonOperator::kLessThanThreshold,
                      .threshold = 0.001},
                     kT0, {-0.00015}),
            "Threshold Crossed: 1 datapoint [-1.5E-4 (31/12/25 23:59:00)] was less than the "
            "threshold (0.001).");
  EXPECT_EQ(ReasonOf({.name = "plain", .queue_name = "q", .threshold = 0.1}, kT0, {300.25}),
            "Threshold Crossed: 1 datapoint [300.25 (31/12/25 23:59:00)] was greater than the "
            "threshold (0.1).");
}

// ---- Statistics ---------------------------------------------------------------

TEST(AlarmStatistic, ParsesCloudWatchNames) {
  for (std::string_view name : {"SampleCount", "Average", "Sum", "Minimum", "Maximum", "p99",
                                "p99.9", "p99.99", "p50", "p0.1", "p100"}) {
    const Result<Statistic> s = Statistic::Parse(name);
    ASSERT_THAT(s, IsOk()) << name;
    EXPECT_EQ(s->Name(), name);
  }
  EXPECT_EQ(Statistic::Parse("Maximum").value(), Statistic::Maximum());
  EXPECT_EQ(Statistic::Parse("p99.9").value(), Statistic::Percentile(99.9));
  EXPECT_EQ(Statistic::Parse("p99.90")->Name(), "p99.9");
  EXPECT_EQ(Statistic::Parse("p99.")->Name(), "p99");
  EXPECT_DOUBLE_EQ(Statistic::Percentile(99.9).percentile(), 99.9);
  EXPECT_TRUE(Statistic::Percentile(90).is_percentile());
  EXPECT_FALSE(Statistic::Sum().is_percentile());
}

TEST(AlarmStatistic, RejectsWhatCloudWatchRejects) {
  EXPECT_THAT(Statistic::Parse("Avg"),
              StatusIs(ErrorCode::kValidationError,
                       HasSubstr("Value 'Avg' at 'statistic' failed to satisfy constraint")));
  for (std::string_view name :
       {"p", "p0", "p101", "p100.01", "p99.999", "p9x", "P99", "p-1", "p1000", "p.5"}) {
    EXPECT_THAT(Statistic::Parse(name),
                StatusIs(name.starts_with("p") ? ErrorCode::kInvalidParameterValue
                                               : ErrorCode::kValidationError))
        << name;
  }
  EXPECT_THAT(Statistic::Parse("p101"),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       "The value p101 for parameter ExtendedStatistic is not supported."));
}

TEST(AlarmStatistic, ValueOfADatapoint) {
  const MetricDatapoint d{.timestamp = kT0,
                          .sample_count = 4,
                          .sum = 20,
                          .minimum = 1,
                          .maximum = 10,
                          .values = {1, 10, 4, 5}};
  EXPECT_THAT(StatisticValue(d, Statistic::SampleCount()), Optional(4.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Average()), Optional(5.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Sum()), Optional(20.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Minimum()), Optional(1.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Maximum()), Optional(10.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Percentile(50)), Optional(4.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Percentile(75)), Optional(5.0));
  EXPECT_THAT(StatisticValue(d, Statistic::Percentile(100)), Optional(10.0));
  // A statistic set (SentMessageSize) has no values: no percentile.
  const MetricDatapoint set{
      .timestamp = kT0, .sample_count = 2, .sum = 30, .minimum = 10, .maximum = 20};
  EXPECT_EQ(StatisticValue(set, Statistic::Percentile(99)), std::nullopt);
  EXPECT_THAT(StatisticValue(set, Statistic::Average()), Optional(15.0));
}

// ---- Validation -----------------------------------------------------------------

TEST(AlarmValidation, TheGuidesAlarmsAreValid) {
  EXPECT_THAT(ValidateAlarm(QueueDepthAlarm("d", "orders", 1000)), IsOk());
  EXPECT_THAT(ValidateAlarm(QueueDepthAlarm("d", "orders", 1000, 1440)), IsOk());
  EXPECT_THAT(ValidateAlarm(DeadLetterQueueNotEmptyAlarm("dlq", "orders-dlq")), IsOk());
  EXPECT_THAT(ValidateAlarm(OldestMessageAgeAlarm("age", "orders", 5min)), IsOk());
}

TEST(AlarmValidation, PutMetricAlarmLimits) {
  const AlarmDefinition valid{.name = "a", .queue_name = "q"};
  const auto with = [&valid](auto change) {
    AlarmDefinition d = valid;
    change(d);
    return ValidateAlarm(d);
  };
  EXPECT_THAT(with([](AlarmDefinition& d) { d.name = ""; }),
              StatusIs(ErrorCode::kValidationError,
                       "1 validation error detected: Value '' at 'alarmName' failed to satisfy "
                       "constraint: Member must have length greater than or equal to 1"));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.name = std::string(256, 'a'); }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("less than or equal to 255")));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.name = std::string(255, 'a'); }), IsOk());
  EXPECT_THAT(with([](AlarmDefinition& d) { d.name = "tab\there"; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("control characters")));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.queue_name = ""; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("dimensions.1.member.value")));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.evaluation_periods = 0; }),
              StatusIs(ErrorCode::kValidationError,
                       "1 validation error detected: Value '0' at 'evaluationPeriods' failed to "
                       "satisfy constraint: Member must have value greater than or equal to 1"));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.datapoints_to_alarm = -1; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("'datapointsToAlarm'")));
  EXPECT_THAT(with([](AlarmDefinition& d) {
                d.evaluation_periods = 3;
                d.datapoints_to_alarm = 4;
              }),
              StatusIs(ErrorCode::kValidationError,
                       "DatapointsToAlarm must be less than or equal to EvaluationPeriods"));
  EXPECT_THAT(with([](AlarmDefinition& d) {
                d.evaluation_periods = 3;
                d.datapoints_to_alarm = 3;
              }),
              IsOk());
  EXPECT_THAT(
      with([](AlarmDefinition& d) { d.period = 90s; }),
      StatusIs(ErrorCode::kValidationError, "Period must be 10, 20, 30 or a multiple of 60"));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.period = 10s; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("one minute")));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.period = 0s; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("'period'")));
  // A day for periods under an hour, a week from an hour up.
  EXPECT_THAT(with([](AlarmDefinition& d) { d.evaluation_periods = 1440; }), IsOk());
  EXPECT_THAT(with([](AlarmDefinition& d) { d.evaluation_periods = 1441; }),
              StatusIs(ErrorCode::kValidationError,
                       "Metrics cannot be checked across more than a day (EvaluationPeriods * "
                       "Period must be <= 86400) for alarms using period < 3600"));
  EXPECT_THAT(with([](AlarmDefinition& d) {
                d.period = 1h;
                d.evaluation_periods = 168;
              }),
              IsOk());
  EXPECT_THAT(with([](AlarmDefinition& d) {
                d.period = 24h;
                d.evaluation_periods = 8;
              }),
              StatusIs(ErrorCode::kValidationError,
                       "Metrics cannot be checked across more than a week (EvaluationPeriods * "
                       "Period must be <= 604800) for alarms using period >= 3600"));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.threshold = std::nan(""); }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("Threshold")));
  EXPECT_THAT(with([](AlarmDefinition& d) { d.statistic.kind = Statistic::Kind::kPercentile; }),
              StatusIs(ErrorCode::kValidationError, HasSubstr("ExtendedStatistic")));
}

TEST(AlarmValidation, EvaluationRange) {
  EXPECT_EQ(EvaluationRange({.name = "a", .queue_name = "q", .evaluation_periods = 3}), 5);
  EXPECT_EQ(EvaluationRange({.name = "a", .queue_name = "q", .evaluation_periods = 1}), 3);
}

// ---- The guide's alarms -----------------------------------------------------------

TEST(AlarmFactories, Definitions) {
  const AlarmDefinition depth = QueueDepthAlarm("depth", "orders", 1000, 3);
  EXPECT_EQ(depth.queue_name, "orders");
  EXPECT_EQ(depth.metric, QueueMetric::kApproximateNumberOfMessagesVisible);
  EXPECT_EQ(depth.statistic, Statistic::Maximum());
  EXPECT_EQ(depth.period, 1min);
  EXPECT_EQ(depth.evaluation_periods, 3);
  EXPECT_EQ(depth.datapoints_to_alarm, 3);
  EXPECT_EQ(depth.comparison, ComparisonOperator::kGreaterThanThreshold);
  EXPECT_EQ(depth.threshold, 1000);
  EXPECT_EQ(depth.treat_missing_data, TreatMissingData::kNotBreaching);

  const AlarmDefinition dlq = DeadLetterQueueNotEmptyAlarm("dlq", "orders-dlq");
  EXPECT_EQ(dlq.queue_name, "orders-dlq");
  EXPECT_EQ(dlq.metric, QueueMetric::kApproximateNumberOfMessagesVisible);
  EXPECT_EQ(dlq.threshold, 0);
  EXPECT_EQ(dlq.evaluation_periods, 1);

  const AlarmDefinition age = OldestMessageAgeAlarm("age", "orders", 5min);
  EXPECT_EQ(age.metric, QueueMetric::kApproximateAgeOfOldestMessage);
  EXPECT_EQ(age.threshold, 300);
  EXPECT_EQ(OldestMessageAgeAlarm("age", "orders", 1500ms).threshold, 1.5);
}

TEST(AlarmFactories, AQuietDeadLetterQueueIsOk) {
  // No datapoints: the DLQ is empty and inactive, which is fine.
  AlarmEvaluator dlq(DeadLetterQueueNotEmptyAlarm("dlq", "orders-dlq"));
  const auto t = dlq.Evaluate(kT0 + 1min, std::vector<std::optional<double>>{});
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->to, AlarmState::kOk);
  EXPECT_EQ(t->reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint "
            "was treated as [NonBreaching].");
  const auto moved = dlq.Evaluate(kT0 + 2min, std::vector<std::optional<double>>{std::nullopt, 1});
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->to, AlarmState::kAlarm);
}

// ---- Metric datapoints and queries ---------------------------------------------------

TEST(AlarmMetrics, RangeQueryAndPeriodValues) {
  AlarmEvaluator alarm({.name = "five",
                        .queue_name = "orders",
                        .statistic = Statistic::Sum(),
                        .period = 5min,
                        .evaluation_periods = 2});
  ASSERT_EQ(alarm.periods_needed(), 4);
  const Timestamp now = kT0 + 1h + 3min + 30s;  // the minute that ended: 01:03
  const QueueMetricQuery q = alarm.RangeQuery(now);
  EXPECT_EQ(q.queue_name, "orders");
  EXPECT_EQ(q.metric, QueueMetric::kApproximateNumberOfMessagesVisible);
  EXPECT_EQ(q.period, 5min);
  EXPECT_EQ(q.start, kT0 + 43min);
  EXPECT_EQ(q.end, kT0 + 63min);
  const std::vector<MetricDatapoint> points = {
      {.timestamp = kT0 + 38min, .sample_count = 1, .sum = 99},  // before the range
      {.timestamp = kT0 + 43min, .sample_count = 5, .sum = 10},
      {.timestamp = kT0 + 53min, .sample_count = 5, .sum = 30},
      {.timestamp = kT0 + 55min, .sample_count = 5, .sum = 77},  // not a period start
      {.timestamp = kT0 + 58min, .sample_count = 5, .sum = 40},
      {.timestamp = kT0 + 63min, .sample_count = 1, .sum = 99},  // after the range
  };
  EXPECT_THAT(alarm.PeriodValues(points, now),
              ElementsAre(Optional(10.0), std::nullopt, Optional(30.0), Optional(40.0)));
}

class AlarmSimulatorTest : public SimulatorTest {
 protected:
  // Evaluates every alarm at the end of each minute for `minutes` minutes,
  // running `each_minute` first, and records the transitions.
  void RunMinutes(int minutes, const std::function<void(int)>& each_minute = {}) {
    for (int i = 0; i < minutes; ++i) {
      if (each_minute) each_minute(i);
      sim_->RunFor(1min);
      for (AlarmEvaluator& alarm : alarms_) {
        auto points = sim_->GetQueueMetric(alarm.RangeQuery(sim_->Now()));
        const std::vector<MetricDatapoint> none;
        if (auto t = alarm.EvaluateDatapoints(sim_->Now(), points.ok() ? *points : none)) {
          transitions_.push_back(*t);
        }
      }
    }
  }

  std::vector<AlarmEvaluator> alarms_;
  std::vector<AlarmTransition> transitions_;
};

TEST_F(AlarmSimulatorTest, TheGuidesAlarmsOverABacklog) {
  const std::string orders = MakeQueue("orders");
  MakeQueue("orders-dlq");
  alarms_.emplace_back(QueueDepthAlarm("orders-depth", "orders", 1000));
  alarms_.emplace_back(DeadLetterQueueNotEmptyAlarm("orders-dlq", "orders-dlq"));
  alarms_.emplace_back(OldestMessageAgeAlarm("orders-age", "orders", 5min));
  const Timestamp start = sim_->Now();
  // The fault: 1500 messages arrive at once and nobody consumes them for
  // eight minutes; then everything is received and deleted.
  for (int i = 0; i < 1500; ++i) Send(orders, "m" + std::to_string(i));
  RunMinutes(8);
  for (;;) {
    const std::vector<Message> got = Receive(orders, 10);
    if (got.empty()) break;
    for (const Message& m : got) {
      ASSERT_THAT(sim_->DeleteMessage({.queue_url = orders, .receipt_handle = m.receipt_handle}),
                  IsOk());
    }
  }
  RunMinutes(3);

  std::vector<std::string> lines;
  for (const AlarmTransition& t : transitions_) {
    lines.push_back(t.alarm + " " + std::to_string((t.time - start) / 1min) + "m " +
                    std::string(AlarmStateName(t.to)));
  }
  // The age passes 300 s at the end of minute 6 (360 s; 300 s is not > 300).
  // Once the queue is empty the age has no datapoint, and the alarm, which
  // looks back over its evaluation range (3 periods) for real datapoints
  // before it treats missing data, stays in ALARM on the 480 s of minute 8
  // until that leaves the range: OK at minute 11, not 9.
  EXPECT_THAT(lines, ElementsAre("orders-depth 1m ALARM", "orders-dlq 1m OK", "orders-age 1m OK",
                                 "orders-age 6m ALARM", "orders-depth 9m OK", "orders-age 11m OK"));
  EXPECT_TRUE(CheckAlarmEnteredWithin(transitions_, "orders-depth", start, 1min).ok);
  EXPECT_TRUE(CheckAlarmEnteredWithin(transitions_, "orders-age", start, 6min).ok);
  EXPECT_FALSE(CheckAlarmEnteredWithin(transitions_, "orders-age", start, 5min).ok);
  EXPECT_TRUE(CheckAlarmNeverEntered(transitions_, "orders-dlq").ok);
  EXPECT_THAT(transitions_[0].reason,
              HasSubstr("1 out of the last 1 datapoints [1500.0 (01/01/26 00:00:00)] was greater "
                        "than the threshold (1000.0)"));
}

// ---- Checkers -----------------------------------------------------------------------

AlarmTransition T(std::string alarm, Timestamp time, AlarmState from, AlarmState to) {
  return {.alarm = std::move(alarm), .time = time, .from = from, .to = to, .reason = "r"};
}

constexpr AlarmState kInsufficient = AlarmState::kInsufficientData;
constexpr AlarmState kOk = AlarmState::kOk;
constexpr AlarmState kAlarm = AlarmState::kAlarm;

TEST(AlarmCheckers, NeverEntered) {
  const std::vector<AlarmTransition> ts = {
      T("depth", kT0 + 1min, kInsufficient, kOk), T("age", kT0 + 1min, kInsufficient, kAlarm),
      T("depth", kT0 + 5min, kOk, kAlarm),        T("depth", kT0 + 7min, kAlarm, kOk),
      T("depth", kT0 + 9min, kOk, kAlarm),
  };
  const testing::CheckResult depth = CheckAlarmNeverEntered(ts, "depth");
  EXPECT_EQ(depth.checker, "alarm-never-entered");
  EXPECT_FALSE(depth.ok);
  EXPECT_EQ(depth.summary, "alarm depth entered ALARM 2 times, first at 2026-01-01T00:05:00.000Z");
  EXPECT_THAT(depth.violations,
              ElementsAre("alarm depth entered ALARM at 2026-01-01T00:05:00.000Z (from OK): r",
                          "alarm depth entered ALARM at 2026-01-01T00:09:00.000Z (from OK): r"));

  const testing::CheckResult ok_state = CheckAlarmNeverEntered(ts, "age", kOk);
  EXPECT_TRUE(ok_state.ok);
  EXPECT_EQ(ok_state.summary, "alarm age never entered OK (1 transition)");
  const testing::CheckResult unknown = CheckAlarmNeverEntered(ts, "dpth");
  EXPECT_TRUE(unknown.ok);
  EXPECT_EQ(unknown.summary, "alarm dpth never entered ALARM (no transitions recorded for it)");
  // The initial INSUFFICIENT_DATA is not an entry.
  EXPECT_TRUE(CheckAlarmNeverEntered(ts, "depth", kInsufficient).ok);
}

TEST(AlarmCheckers, EnteredWithin) {
  const Timestamp fault = kT0 + 10min;
  const std::vector<AlarmTransition> ts = {
      T("depth", kT0 + 1min, kInsufficient, kOk),
      T("other", fault + 1min, kOk, kAlarm),
      T("depth", fault + 3min, kOk, kAlarm),
  };
  const testing::CheckResult ok = CheckAlarmEnteredWithin(ts, "depth", fault, 5min);
  EXPECT_EQ(ok.checker, "alarm-entered-within");
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.summary,
            "alarm depth entered ALARM at 2026-01-01T00:13:00.000Z, 3m after "
            "2026-01-01T00:10:00.000Z (limit 5m)");
  // Both ends of the window count.
  EXPECT_TRUE(CheckAlarmEnteredWithin(ts, "depth", fault, 3min).ok);
  EXPECT_TRUE(CheckAlarmEnteredWithin(ts, "depth", fault + 3min, 0s).ok);

  const testing::CheckResult late = CheckAlarmEnteredWithin(ts, "depth", fault, 2min + 30s);
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(late.summary,
            "alarm depth did not enter ALARM within 2m 30s of 2026-01-01T00:10:00.000Z");
  EXPECT_THAT(late.violations,
              ElementsAre("alarm depth entered ALARM at 2026-01-01T00:13:00.000Z, 3m after "
                          "2026-01-01T00:10:00.000Z, later than the limit of 2m 30s: r"));

  const testing::CheckResult never =
      CheckAlarmEnteredWithin(ts, "depth", fault, 2min, kInsufficient);
  EXPECT_FALSE(never.ok);
  EXPECT_THAT(never.violations,
              ElementsAre("alarm depth never entered INSUFFICIENT_DATA after "
                          "2026-01-01T00:10:00.000Z; at 2026-01-01T00:12:00.000Z it was in OK"));

  // Already in ALARM when the window opens: it did not enter it then.
  const testing::CheckResult already = CheckAlarmEnteredWithin(ts, "depth", fault + 4min, 10min);
  EXPECT_FALSE(already.ok);
  EXPECT_THAT(already.violations,
              ElementsAre("alarm depth was already in ALARM at 2026-01-01T00:14:00.000Z (since "
                          "2026-01-01T00:13:00.000Z) and did not leave and enter it again by "
                          "2026-01-01T00:24:00.000Z"));

  const testing::CheckResult missing = CheckAlarmEnteredWithin(ts, "nope", fault, 5min);
  EXPECT_FALSE(missing.ok);
  EXPECT_THAT(missing.violations, ElementsAre(HasSubstr("(no transitions recorded for it)")));
}

TEST(AlarmCheckers, StateBandForAReport) {
  const std::vector<AlarmTransition> ts = {
      T("depth", kT0 + 1min, kInsufficient, kOk), T("other", kT0 + 2min, kOk, kAlarm),
      T("depth", kT0 + 3min, kOk, kAlarm),        T("depth", kT0 + 5min, kAlarm, kOk),
      T("depth", kT0 + 20min, kOk, kAlarm),
  };
  const StateBand band = AlarmStateBand(ts, "depth", kT0, kT0 + 10min);
  EXPECT_EQ(band.name, "depth");
  std::vector<std::string> spans;
  for (const StateSpan& s : band.spans) {
    spans.push_back(std::to_string(static_cast<int>(s.x_begin)) + "-" +
                    std::to_string(static_cast<int>(s.x_end)) + " " + s.state);
  }
  EXPECT_THAT(spans,
              ElementsAre("0-60 INSUFFICIENT_DATA", "60-180 OK", "180-300 ALARM", "300-600 OK"));
  const StateBand later = AlarmStateBand(ts, "depth", kT0 + 4min, kT0 + 4min);
  ASSERT_EQ(later.spans.size(), 1u);
  EXPECT_EQ(later.spans[0].state, "ALARM");
}

TEST(AlarmNames, RoundTrip) {
  for (AlarmState s : {kInsufficient, kOk, kAlarm}) {
    EXPECT_EQ(AlarmStateFromName(AlarmStateName(s)), s);
  }
  EXPECT_EQ(AlarmStateName(kInsufficient), "INSUFFICIENT_DATA");
  for (ComparisonOperator op :
       {ComparisonOperator::kGreaterThanOrEqualToThreshold,
        ComparisonOperator::kGreaterThanThreshold, ComparisonOperator::kLessThanThreshold,
        ComparisonOperator::kLessThanOrEqualToThreshold}) {
    EXPECT_EQ(ComparisonOperatorFromName(ComparisonOperatorName(op)), op);
  }
  for (TreatMissingData t : {TreatMissingData::kMissing, TreatMissingData::kIgnore,
                             TreatMissingData::kBreaching, TreatMissingData::kNotBreaching}) {
    EXPECT_EQ(TreatMissingDataFromName(TreatMissingDataName(t)), t);
  }
  EXPECT_EQ(TreatMissingDataName(TreatMissingData::kNotBreaching), "notBreaching");
  EXPECT_EQ(AlarmStateFromName("alarm"), std::nullopt);
}

}  // namespace alarm_test
}  // namespace sqsim::loadtest
