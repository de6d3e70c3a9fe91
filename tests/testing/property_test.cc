// Property-based checks of consumers over generated fault plans (RapidCheck).
// Every property runs from a fixed seed in CI (support/property.h).

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <map>
#include <set>

#include "school/school_scenario.h"
#include "sqsim/testing/generators.h"
#include "support/property.h"

namespace sqsim::testing {
namespace {

FaultSpace PaymentFaultSpace() {
  return {.points = {"payment.after-receive", "payment.after-charge"},
          .queues = {"payments"},
          .max_rules = 4};
}

ScenarioOptions WithPlan(uint64_t seed, bool idempotent, FaultPlan plan) {
  ScenarioOptions s = school::PaymentScenario(seed, idempotent);
  s.faults = std::move(plan);
  return s;
}

TEST(PaymentProperty, IdempotentConsumerChargesEachPaymentExactlyOnce) {
  test::CheckProperty("idempotent consumer charges once", 100, 100, [] {
    const FaultPlan plan = *GenFaultPlan(PaymentFaultSpace());
    const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
    const ScenarioReport report = RunScenario(WithPlan(seed, true, plan));
    RC_ASSERT(report.ok);
  });
}

// The property must fail, and shrinking must bring the failure down to one
// fault rule. Its fixed seed makes that a function of the code: a change
// that stops the failure from being found fails this test, every time.
TEST(PaymentProperty, NonIdempotentFailureShrinksToAMinimalPlan) {
  const std::string name = "non-idempotent consumer charges once";
  // RapidCheck keeps a shrink only if it still fails, so the last failing
  // case it runs is the shrunk counterexample it reports.
  std::optional<FaultPlan> last_failing;
  auto property = [&] {
    const FaultPlan plan = *GenFaultPlan(PaymentFaultSpace());
    const ScenarioReport report = RunScenario(WithPlan(7, false, plan));
    if (!report.ok) last_failing = plan;
    RC_ASSERT(report.ok);
  };
  const uint64_t seed = test::PropertySeed(name);
  const rc::detail::TestResult result = test::RunProperty(name, seed, 100, 100, property);
  ASSERT_TRUE(result.is<rc::detail::FailureResult>())
      << "no generated plan made the non-idempotent consumer double-charge (seed " << seed << ")";
  ASSERT_TRUE(last_failing.has_value());
  // One fault is enough to double-charge: a crash after the charge, a
  // duplicate delivery, or a failed delete.
  EXPECT_EQ(last_failing->rules.size(), 1u) << last_failing->ToJson();
  EXPECT_NE(test::FailureReport(result, seed).find("Falsifiable"), std::string::npos);
}

// Crashes, pauses (some longer than the 30 s visibility timeout) and stop
// requests of the consumer process, anywhere: the idempotent consumer still
// charges each payment once (a redelivery it meets again is a no-op at the
// gateway), and every payment is charged.
TEST(PaymentProperty, IdempotentConsumerChargesOnceThroughProcessFaults) {
  FaultSpace space = PaymentFaultSpace();
  space.process_faults = true;
  space.actors = {"consumer-1", "producer-1"};
  std::map<FaultEffect, int64_t> fired;  // over every case: the faults did happen
  test::CheckProperty(
      "idempotent consumer through process faults", 100, 100,
      [&] {
        const FaultPlan plan = *GenFaultPlan(space);
        const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
        const ScenarioReport report = RunScenario(WithPlan(seed, true, plan));
        for (const FaultRule& rule : plan.rules)
          fired[rule.effect] += report.faults_fired.at(rule.id);
        RC_ASSERT(report.ok);
      },
      /*every_case_sanitized=*/true);
  for (FaultEffect e : {FaultEffect::kCrash, FaultEffect::kPause, FaultEffect::kStop}) {
    EXPECT_GT(fired[e], 0) << FaultEffectName(e);
  }
}

TEST(Generators, GeneratedPlansAreValidAndRoundTripThroughJson) {
  FaultSpace space = PaymentFaultSpace();
  space.process_faults = true;
  space.actors = {"consumer-1"};
  test::CheckProperty("plans round-trip", 100, 100, [space] {
    const FaultPlan plan = *GenFaultPlan(space);
    Result<FaultPlan> back = FaultPlan::FromJson(plan.ToJson());
    RC_ASSERT(back.ok());
    RC_ASSERT(*back == plan);
  });
}

TEST(Generators, ProcessFaultsAndFailedEntriesAreGeneratedOnlyWhenAsked) {
  std::set<FaultEffect> without, with;
  FaultSpace space = PaymentFaultSpace();
  test::CheckProperty("effects without process faults", 100, 100, [&] {
    for (const FaultRule& r : (*GenFaultPlan(space)).rules) without.insert(r.effect);
  });
  space.process_faults = true;
  test::CheckProperty("effects with process faults", 100, 100, [&] {
    for (const FaultRule& r : (*GenFaultPlan(space)).rules) with.insert(r.effect);
  });
  EXPECT_TRUE(without.contains(FaultEffect::kFailEntries));
  EXPECT_FALSE(without.contains(FaultEffect::kCrash));
  for (FaultEffect e : {FaultEffect::kCrash, FaultEffect::kPause, FaultEffect::kStop}) {
    EXPECT_TRUE(with.contains(e)) << FaultEffectName(e);
  }
}

TEST(Generators, WorkloadsStayInRange) {
  test::CheckProperty("workloads in range", 100, 100, [] {
    const Workload w = *GenWorkload(30, 3);
    RC_ASSERT(w.messages >= 1 && w.messages <= 30);
    RC_ASSERT(w.consumers >= 1 && w.consumers <= 3);
  });
}

}  // namespace
}  // namespace sqsim::testing
