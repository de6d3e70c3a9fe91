// Helpers shared by the model properties: the fixed prologue every sequence
// starts with, exact-mode comparison of simulator and model, and the
// seed policy of property runs (support/property.h).

#ifndef SQSIM_TESTS_MODEL_PROPERTY_UTIL_H_
#define SQSIM_TESTS_MODEL_PROPERTY_UTIL_H_

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "model/operations.h"
#include "model/reference_model.h"
#include "model/sequence_runner.h"
#include "sqsim/simulator.h"
#include "support/property.h"
#include "support/watchdog.h"

namespace sqsim::model {

// Creates every pool queue; q0 redrives to q1 after 2 receives, f3.fifo to
// f4.fifo after 1, and f4.fifo deduplicates by content. Part of every
// sequence so that failures print it too.
inline std::vector<Operation> Prologue() {
  return {
      CreateQueueOp{.queue = 1},
      CreateQueueOp{.queue = 2},
      CreateQueueOp{.queue = 0,
                    .attributes = {.redrive = RedriveSpec{.target = 1, .max_receive_count = 2}}},
      CreateQueueOp{.queue = 4, .attributes = {.content_based_deduplication = true}},
      CreateQueueOp{.queue = 3,
                    .attributes = {.redrive = RedriveSpec{.target = 4, .max_receive_count = 1}}},
  };
}

// The simulator deviations the properties tolerate until the engine is
// fixed (see KnownDeviations). None is outstanding.
inline constexpr KnownDeviations kSimulatorDeviations{};

// The most steps a compared sequence may have, and the most wall time it may
// take before the watchdog aborts the run with the sequence.
inline constexpr size_t kMaxSequenceSteps = 1000;
inline constexpr std::chrono::seconds kSequenceTimeLimit{60};

// Runs `ops` on `client` (time passing through `advance`) and on the
// reference model, stopping at the first difference; returns "" when every
// step agrees, else the readable report of that difference. When given,
// `expected` and `observed` receive the results up to it.
inline std::string CompareOnClient(const std::vector<Operation>& ops, Client& client,
                                   AdvanceFn advance, RunnerOptions options = {},
                                   KnownDeviations deviations = kSimulatorDeviations,
                                   std::vector<Observation>* expected = nullptr,
                                   std::vector<Observation>* observed = nullptr) {
  // Bounds: a sequence longer than any generator makes is a harness bug, and
  // one that runs for a minute (milliseconds is normal, even under the
  // sanitizers) is a hang, reported with its sequence by the watchdog.
  if (ops.size() > kMaxSequenceSteps) {
    return "sequence of " + std::to_string(ops.size()) + " steps exceeds the bound of " +
           std::to_string(kMaxSequenceSteps);
  }
  const test::Watchdog::Guard watchdog("sequence:\n" + DescribeSequence(ops), kSequenceTimeLimit);
  SequenceRunner runner(client, std::move(advance), std::move(options));
  ReferenceModel model(deviations);
  std::vector<Observation> want, got;
  for (size_t i = 0; i < ops.size(); ++i) {
    want.push_back(model.Apply(ops[i], static_cast<int>(i)));
    got.push_back(runner.Run(ops[i], static_cast<int>(i)));
    if (want.back().Text() != got.back().Text()) break;
  }
  std::string report =
      CompareRuns({ops.begin(), ops.begin() + static_cast<long>(want.size())}, want, got);
  if (expected != nullptr) *expected = std::move(want);
  if (observed != nullptr) *observed = std::move(got);
  return report;
}

// The same on an exact-mode simulator.
inline std::string CompareWithModel(const std::vector<Operation>& ops,
                                    KnownDeviations deviations = kSimulatorDeviations) {
  auto sim = Simulator::Create(SimulatorOptions::Exact()).value();
  return CompareOnClient(
      ops, *sim, [&](Duration d) { sim->RunFor(d); }, {}, deviations);
}

inline std::vector<Operation> WithPrologue(const std::vector<Operation>& ops) {
  std::vector<Operation> all = Prologue();
  all.insert(all.end(), ops.begin(), ops.end());
  return all;
}

// The seed policy (fixed in CI, fresh when soaking) and the runner are
// shared by every property in the suite: support/property.h.
using ::sqsim::test::CheckProperty;
using ::sqsim::test::SequenceCount;

}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_PROPERTY_UTIL_H_
