// What a scenario records and reports about crashes.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/scenario.h"
#include "testing/scenario_actors.h"

namespace sqsim::testing {
namespace {

using ::testing::HasSubstr;

ScenarioOptions CrashOnFirstProcess() {
  ScenarioOptions s{.seed = 5, .queues = {{.name = "q"}}};
  s.producers = {SendOne("q", "m1")};
  s.consumer = ConsumeAndDelete("q", "after-process");
  s.faults = {.rules = {{.id = "crash",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "after-process",
                         .on_calls = {1}}}};
  s.safety_duration = std::chrono::minutes(2);
  return s;
}

TEST(ScenarioReports, CrashIsAHistoryEventNamingItsFaultPoint) {
  const ScenarioReport report = RunScenario(CrashOnFirstProcess());
  EXPECT_EQ(report.crashes, 1);
  EXPECT_THAT(report.full_trace, HasSubstr(" consumer-1 crash ok: after-process"));
}

TEST(ScenarioReports, FailingValueShowsTheCrashOfTheConsumerHoldingIt) {
  // Processed twice (the crash came before the delete): a duplicate.
  const ScenarioReport report = RunScenario(CrashOnFirstProcess());
  ASSERT_FALSE(report.ok);
  const std::string& section = report.failing_values;
  ASSERT_THAT(section, HasSubstr("events of m1:\n"));
  const size_t processed = section.find("process ok m1");
  const size_t crash = section.find("crash ok: after-process");
  ASSERT_NE(processed, std::string::npos);
  ASSERT_NE(crash, std::string::npos);
  EXPECT_LT(processed, crash);
  EXPECT_NE(section.find("process ok m1", crash), std::string::npos);  // again, after the restart
}

}  // namespace
}  // namespace sqsim::testing
