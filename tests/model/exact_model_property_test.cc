// Stateful properties: random sequences of all 23 SQS actions interleaved
// with time advances run on an exact-mode simulator and on the reference
// model (reference_model.h); every result must agree. A failure shrinks to a
// short sequence printed as numbered steps with both results.
//
// CI runs a few hundred sequences; SQSIM_SOAK=1 (or a count) runs many more.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "model/generators.h"
#include "model/property_util.h"

namespace sqsim::model {
namespace {

TEST(ExactModelProperty, AllActionsAgreeWithTheModel) {
  CheckProperty("all actions", 2000, 100, [] {
    const auto ops = *rc::gen::container<std::vector<Operation>>(gens::AnyOp());
    const std::string report = CompareWithModel(WithPrologue(ops));
    if (!report.empty()) RC_FAIL(report);
  });
}

// Message traffic only (no queue deletion, purges or move tasks), so that
// long visibility, delay, redrive and FIFO group histories build up.
TEST(ExactModelProperty, MessageTrafficAgreesWithTheModel) {
  const rc::Gen<Operation> traffic = rc::gen::weightedOneOf<Operation>({
      {10, gens::SendOp()},
      {3, gens::SendBatchOp()},
      {12, gens::ReceiveOp()},
      {4, gens::DeleteOp()},
      {2, gens::DeleteBatchOp()},
      {3, gens::ChangeOp()},
      {2, gens::ChangeBatchOp()},
      {3, rc::gen::exec(
              []() -> Operation { return GetQueueAttributesOp{.queue = *gens::QueueIndex()}; })},
      {7, gens::AdvanceOp()},
  });
  CheckProperty("message traffic", 1500, 120, [traffic] {
    const auto ops = *rc::gen::container<std::vector<Operation>>(traffic);
    const std::string report = CompareWithModel(WithPrologue(ops));
    if (!report.empty()) RC_FAIL(report);
  });
}

// The comparison itself must be able to fail: a model that saw one more
// send than the simulator disagrees at the first receive.
TEST(ExactModelProperty, ComparisonReportsTheFirstDifferingStep) {
  const std::vector<Operation> ops = WithPrologue({
      SendMessageOp{.queue = 2, .entry = {.body = 1}},
      ReceiveMessageOp{.queue = 2, .max_messages = 10},
  });
  auto sim = Simulator::Create(SimulatorOptions::Exact()).value();
  SequenceRunner runner(*sim, [&](Duration d) { sim->RunFor(d); });
  ReferenceModel model;
  std::vector<Observation> expected, observed;
  for (size_t i = 0; i < ops.size(); ++i) {
    expected.push_back(model.Apply(ops[i], static_cast<int>(i)));
    if (i == 5) (void)model.Apply(ops[i], 99);  // the model alone sends twice
    observed.push_back(runner.Run(ops[i], static_cast<int>(i)));
  }
  const std::string report = CompareRuns(ops, expected, observed);
  EXPECT_NE(report.find("step 6 differs"), std::string::npos) << report;
  EXPECT_NE(report.find("model:  ok [s5.0 rc=1; s99.0 rc=1]"), std::string::npos) << report;
  EXPECT_NE(report.find("client: ok [s5.0 rc=1]"), std::string::npos) << report;
}

}  // namespace
}  // namespace sqsim::model
