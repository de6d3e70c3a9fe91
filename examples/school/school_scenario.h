// The online school as a fault-injection scenario: payments (a DLQ behind
// them) and the FIFO assignment pipeline (plagiarism check -> grading), with
// the consumers written against Client, run by sqsim::testing::Scenario
// under a fault plan. A library (sqsim_school) shared by school_faults_demo,
// the tests (tests/testing/) and the benchmark of a 1,000-seed sweep
// (bench/).

#ifndef SQSIM_EXAMPLES_SCHOOL_SCHOOL_SCENARIO_H_
#define SQSIM_EXAMPLES_SCHOOL_SCHOOL_SCENARIO_H_

#include <cstdint>
#include <string>

#include "sqsim/testing/history.h"
#include "sqsim/testing/scenario.h"

namespace school {

// Submissions the assignment pipeline's producer sends.
inline constexpr int kSubmissions = 30;

// The school's payments under faults: crashes right after charging (before
// the delete), duplicate deliveries, throttled deletes, lost send responses.
sqsim::FaultPlan PaymentFaults();

// Payments (a DLQ behind them) under PaymentFaults(), consumed by the
// payment consumer: charging once per payment when `idempotent`, again on
// every repeated delivery otherwise.
sqsim::testing::ScenarioOptions PaymentScenario(uint64_t seed, bool idempotent);

// The assignment pipeline (plagiarism check -> grading) under crash faults:
// roles "plagiarism-checker" and "grader", two of each. `fifo` false builds
// the same pipeline on standard queues (a broken design: no per-assignment
// order).
sqsim::testing::ScenarioOptions Pipeline(uint64_t seed, bool fifo = true);

// Both flows in one run: roles "payment-consumer" (2), "plagiarism-checker"
// (2) and "grader" (2). Payments must be charged exactly once; grading may
// repeat after a crash but must keep per-assignment order.
sqsim::testing::ScenarioOptions SchoolScenario(uint64_t seed, bool idempotent_payments = true);

// The operations of one flow: those whose value starts with `prefix`.
sqsim::testing::History Only(const sqsim::testing::History& history, const std::string& prefix);

}  // namespace school

#endif  // SQSIM_EXAMPLES_SCHOOL_SCHOOL_SCENARIO_H_
