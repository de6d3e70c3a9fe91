// Helpers shared by the model properties: the fixed prologue every sequence
// starts with, exact-mode comparison of simulator and model, and the
// CI/soak sizing of property runs.

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

// Runs `ops` on `client` (time passing through `advance`) and on the
// reference model, stopping at the first difference; returns "" when every
// step agrees, else the readable report of that difference. When given,
// `expected` and `observed` receive the results up to it.
inline std::string CompareOnClient(const std::vector<Operation>& ops, Client& client,
                                   AdvanceFn advance, RunnerOptions options = {},
                                   KnownDeviations deviations = kSimulatorDeviations,
                                   std::vector<Observation>* expected = nullptr,
                                   std::vector<Observation>* observed = nullptr) {
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

// How many sequences a property checks: `ci` normally; with SQSIM_SOAK=1
// a hundred times more, with SQSIM_SOAK=<n> (n > 1) exactly n.
inline int SequenceCount(int ci) {
  const char* soak = std::getenv("SQSIM_SOAK");
  if (soak == nullptr || *soak == '\0' || std::string(soak) == "0") return ci;
  const int n = std::atoi(soak);
  return n > 1 ? n : ci * 100;
}

// Checks `property` with `count` successful cases required (RapidCheck's
// other parameters, e.g. a reproduction seed from RC_PARAMS, still apply)
// and fails the current gtest with RapidCheck's report otherwise.
template <typename Testable>
void CheckProperty(const std::string& name, int count, int max_size, Testable&& property) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = count;
  params.maxSize = max_size;
  rc::detail::TestMetadata metadata;
  metadata.id = name;
  metadata.description = name;
  const auto result = rc::detail::checkTestable(std::forward<Testable>(property), metadata, params);
  if (!result.template is<rc::detail::SuccessResult>()) {
    std::ostringstream report;
    rc::detail::printResultMessage(result, report);
    ADD_FAILURE() << report.str();
  }
}

}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_PROPERTY_UTIL_H_
