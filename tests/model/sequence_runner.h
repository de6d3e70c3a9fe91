// SequenceRunner: applies symbolic operations (operations.h) to any
// `sqsim::Client` and normalizes each result into an Observation, so the
// same sequence can be checked against the reference model on the
// simulator, sqsim-server or moto_server (through an AwsClient), or real SQS.
//
// The runner binds the symbols of a sequence to one run's values: pool
// indexes become queue URLs (`queue_url_prefix` + `name_prefix` + pool name)
// and ARNs; receipt handles are remembered per queue in the order receives
// returned them; message ids are mapped back to the send that produced them;
// move-task handles to the start that returned them. Time passes only
// through the `advance` callback (Simulator::RunFor, or a real sleep).
//
//   SequenceRunner runner(client, [&](Duration d) { sim->RunFor(d); });
//   std::vector<Observation> seen = runner.RunAll(ops);

#ifndef SQSIM_TESTS_MODEL_SEQUENCE_RUNNER_H_
#define SQSIM_TESTS_MODEL_SEQUENCE_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/observation.h"
#include "model/operations.h"
#include "sqsim/types.h"

namespace sqsim {
class Client;
}  // namespace sqsim

namespace sqsim::model {

struct RunnerOptions {
  // Scheme, host and account path of queue URLs, with a trailing slash.
  // Default: the simulator's default region and account.
  std::string queue_url_prefix = "https://sqs.us-east-1.amazonaws.com/123456789012/";
  // Queue ARNs without the name. Default: as above.
  std::string queue_arn_prefix = "arn:aws:sqs:us-east-1:123456789012:";
  // Prepended to every pool queue name, to keep runs apart on a shared
  // endpoint. Default: "".
  std::string name_prefix{};
};

using AdvanceFn = std::function<void(Duration)>;

// The runner itself is in sequence_runner.cc, compiled once into
// sqsim_test_support rather than in every property's translation unit.
class SequenceRunner {
 public:
  SequenceRunner(Client& client, AdvanceFn advance, RunnerOptions options = {});
  ~SequenceRunner();
  SequenceRunner(const SequenceRunner&) = delete;
  SequenceRunner& operator=(const SequenceRunner&) = delete;

  Observation Run(const Operation& op, int step);
  std::vector<Observation> RunAll(const std::vector<Operation>& ops);

  // The send origin ("s<step>.<entry>") of a message id, or "" if unknown.
  std::string OriginOf(const std::string& message_id) const;

  // The receipt handle a HandleRef resolves to ("garbage" when none).
  std::string ResolveHandle(int queue, int back) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Compares expected and observed results step by step. Returns "" when they
// agree, else a readable report: the numbered steps up to the first
// difference, each with its result, and the difference marked.
std::string CompareRuns(const std::vector<Operation>& ops, const std::vector<Observation>& expected,
                        const std::vector<Observation>& observed);

}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_SEQUENCE_RUNNER_H_
