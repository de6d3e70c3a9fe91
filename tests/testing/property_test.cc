// Property-based checks of consumers over generated fault plans (RapidCheck).

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "../../examples/school_scenario.h"
#include "sqsim/testing/generators.h"

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

RC_GTEST_PROP(PaymentProperty, IdempotentConsumerChargesEachPaymentExactlyOnce, ()) {
  const FaultPlan plan = *GenFaultPlan(PaymentFaultSpace());
  const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
  const ScenarioReport report = RunScenario(WithPlan(seed, true, plan));
  RC_ASSERT(report.ok);
}

TEST(PaymentProperty, NonIdempotentFailureShrinksToAMinimalPlan) {
  // The smallest failing plan any run of the property met; shrinking drives
  // the search toward it.
  size_t smallest = SIZE_MAX;
  FaultPlan minimal;
  const bool held = rc::check("non-idempotent consumer charges once", [&] {
    const FaultPlan plan = *GenFaultPlan(PaymentFaultSpace());
    const ScenarioReport report = RunScenario(WithPlan(7, false, plan));
    if (!report.ok && plan.rules.size() < smallest) {
      smallest = plan.rules.size();
      minimal = plan;
    }
    RC_ASSERT(report.ok);
  });
  EXPECT_FALSE(held) << "no generated plan made the non-idempotent consumer double-charge";
  // One fault is enough to double-charge: a crash after the charge, a
  // duplicate delivery, or a failed delete.
  EXPECT_EQ(smallest, 1u) << minimal.ToJson();
}

TEST(Generators, GeneratedPlansAreValidAndRoundTripThroughJson) {
  const bool held = rc::check("plans round-trip", [] {
    const FaultPlan plan = *GenFaultPlan(PaymentFaultSpace());
    Result<FaultPlan> back = FaultPlan::FromJson(plan.ToJson());
    RC_ASSERT(back.ok());
    RC_ASSERT(*back == plan);
  });
  EXPECT_TRUE(held);
}

TEST(Generators, WorkloadsStayInRange) {
  const bool held = rc::check("workloads in range", [] {
    const Workload w = *GenWorkload(30, 3);
    RC_ASSERT(w.messages >= 1 && w.messages <= 30);
    RC_ASSERT(w.consumers >= 1 && w.consumers <= 3);
  });
  EXPECT_TRUE(held);
}

}  // namespace
}  // namespace sqsim::testing
