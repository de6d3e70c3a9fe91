// Differential testing: the operation sequences the model properties generate
// (tests/model/) run through AwsClient against real servers on loopback, and
// each result is compared with the reference model.
//
//   - sqsim-server (exact mode, manual time moved through /_sqsim/time/advance)
//     must agree with the model at every step, like the in-process simulator:
//     the wire (codec, signer, transport, server) must not change a single
//     result. Receives are short polls here: in manual time a long poll waits
//     for someone to move the clock, and the runner is a single caller
//     (long polls over the wire are covered by tests/aws and tests/server).
//   - moto_server is run on a fixed set of sequences, made timeless (moto's
//     clock cannot be moved, and real sleeps would make boundaries flaky). Each
//     sequence stops at its first difference, which is classified by action
//     and by what the model and moto answered. Every class must be one the
//     README's moto table documents (kDocumentedMotoDeviations below): a new
//     class fails the test with the sequences that show it, to be looked up in
//     the SQS docs and written down.

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/generators.h"
#include "model/property_util.h"
#include "server/server_test_util.h"
#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "support/moto.h"

namespace sqsim::model {
namespace {

std::unique_ptr<aws::AwsClient> ClientFor(const std::string& endpoint) {
  return aws::AwsClient::Create({.region = "us-east-1",
                                 .endpoint_url = endpoint,
                                 .credentials = aws::AwsCredentials{"testing", "testing"},
                                 .max_attempts = 1})
      .value();
}

TEST(DifferentialSqsimServerTest, GeneratedSequencesAgreeWithTheModelOverTheWire) {
  auto server =
      sqsim::testing::StartServer({.time_mode = http::TimeMode::kManual, .realism = false});
  ASSERT_NE(server, nullptr);
  auto client = ClientFor(server->endpoint_url());
  sqsim::testing::TestConnection admin(server->port());
  const RunnerOptions options{
      .queue_url_prefix = server->endpoint_url() + "/000000000000/",
      .queue_arn_prefix = "arn:aws:sqs:us-east-1:000000000000:",
  };
  const auto advance = [&](Duration d) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    auto reply =
        admin.Request("POST", "/_sqsim/time/advance", "{\"ms\":" + std::to_string(ms) + "}",
                      {{"Content-Type", "application/json"}});
    ASSERT_TRUE(reply && reply->status == 200) << (reply ? reply->body : "no reply");
  };
  CheckProperty("sqsim-server", 300, 60, [&] {
    std::vector<Operation> ops = *rc::gen::container<std::vector<Operation>>(gens::AnyOp());
    for (Operation& op : ops) {
      if (auto* receive = std::get_if<ReceiveMessageOp>(&op)) receive->wait_seconds = 0;
    }
    auto reset =
        admin.Request("POST", "/_sqsim/reset", "{}", {{"Content-Type", "application/json"}});
    RC_ASSERT(reset && reset->status == 200);
    const std::string report =
        CompareOnClient(WithPrologue(ops), *client, advance, options, kSimulatorDeviations);
    if (!report.empty()) RC_FAIL(report);
  });
}

// ---- moto ---------------------------------------------------------------------

// Takes time out of a sequence for moto: no advances, no long polls, and no
// timeout or delay short enough to run out while the sequence runs (1 s
// becomes 30 s). The model sees the same operations, so the comparison stays
// fair.
Operation Timeless(Operation op) {
  auto lengthen = [](int seconds) { return seconds > 0 && seconds < 30 ? 30 : seconds; };
  auto fix_attributes = [&](AttributeSpec& a) {
    if (a.visibility_timeout) a.visibility_timeout = lengthen(*a.visibility_timeout);
    if (a.delay_seconds) a.delay_seconds = lengthen(*a.delay_seconds);
  };
  std::visit(
      [&](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, CreateQueueOp> || std::is_same_v<T, SetQueueAttributesOp>) {
          fix_attributes(o.attributes);
        } else if constexpr (std::is_same_v<T, SendMessageOp>) {
          if (o.entry.delay_seconds) o.entry.delay_seconds = lengthen(*o.entry.delay_seconds);
        } else if constexpr (std::is_same_v<T, SendMessageBatchOp>) {
          for (SendEntry& e : o.entries) {
            if (e.delay_seconds) e.delay_seconds = lengthen(*e.delay_seconds);
          }
        } else if constexpr (std::is_same_v<T, ReceiveMessageOp>) {
          o.wait_seconds = 0;
          if (o.visibility_timeout) o.visibility_timeout = lengthen(*o.visibility_timeout);
        } else if constexpr (std::is_same_v<T, ChangeMessageVisibilityOp>) {
          o.visibility_timeout = lengthen(o.visibility_timeout);
        } else if constexpr (std::is_same_v<T, ChangeMessageVisibilityBatchOp>) {
          for (auto& [back, timeout] : o.entries) timeout = lengthen(timeout);
        }
      },
      op);
  return op;
}

// The classes of difference the README's moto table documents, by the prefix
// of their signature ("<action> model=<result> moto=<result>"). Each is a
// place where moto deviates from the SQS documentation (see the README for
// the sources and what sqsim does).
const std::vector<std::string> kDocumentedMotoDeviations = {
    // Message move tasks are not implemented (HTTP 500).
    "StartMessageMoveTask model=",
    "ListMessageMoveTasks model=",
    "CancelMessageMoveTask model=",
    // No 60-second PurgeQueueInProgress.
    "PurgeQueue model=error PurgeQueueInProgress moto=ok",
    // Unknown attribute names and out-of-range values are accepted.
    "SetQueueAttributes model=error InvalidAttributeName moto=ok",
    "SetQueueAttributes model=error InvalidAttributeValue moto=ok",
    // ChangeMessageVisibilityBatch skips the batch checks: an empty batch and
    // invalid entry ids are accepted.
    "ChangeMessageVisibilityBatch model=error EmptyBatchRequest moto=ok",
    "ChangeMessageVisibilityBatch model=error InvalidBatchEntryId moto=ok",
    "ChangeMessageVisibilityBatch model=error BatchEntryIdsNotDistinct moto=ok",
    // A visibility timeout of exactly 43200 s (the documented maximum) is
    // rejected.
    "ChangeMessageVisibility model=ok moto=error InvalidParameterValue",
    // FIFO-only attributes (ContentBasedDeduplication) are accepted on a
    // standard queue; SQS answers InvalidAttributeName.
    "CreateQueue model=error InvalidAttributeName moto=",
    // A failed batch entry carries SenderFault as the string "true", not a
    // JSON boolean; AwsClient rejects the response as malformed rather than
    // guess (SQS sends a boolean).
    "SendMessageBatch model=ok moto=error MalformedResponse",
    // Batches of more than 10 entries are accepted.
    "ChangeMessageVisibilityBatch model=error TooManyEntriesInBatchRequest moto=ok",
    "DeleteMessageBatch model=error TooManyEntriesInBatchRequest moto=ok",
    "SendMessageBatch model=error TooManyEntriesInBatchRequest moto=ok",
    // Two entries with distinct Ids but the same receipt handle are rejected
    // as BatchEntryIdsNotDistinct (SQS checks the Ids only).
    "DeleteMessageBatch model=ok moto=error BatchEntryIdsNotDistinct",
    "DeleteMessageBatch model=error TooManyEntriesInBatchRequest moto=error "
    "BatchEntryIdsNotDistinct",
    "ChangeMessageVisibilityBatch model=ok moto=error BatchEntryIdsNotDistinct",
    // Order of checks SQS does not document: CreateQueue with an invalid
    // attribute value for an existing name. sqsim validates the value first
    // (InvalidAttributeValue); moto reports the name clash first. The docs
    // allow both.
    "CreateQueue model=error InvalidAttributeValue moto=error QueueNameExists",
    // Likewise a batch call on a deleted queue: sqsim reports the queue first,
    // moto the batch's shape.
    "DeleteMessageBatch model=error QueueDoesNotExist moto=error ",
    "ChangeMessageVisibilityBatch model=error QueueDoesNotExist moto=error ",
    "SendMessageBatch model=error QueueDoesNotExist moto=error ",
};

std::string FirstWord(const std::string& s) { return s.substr(0, s.find(' ')); }

// "error X" stays whole; "ok ..." becomes "ok" (the payload is in the report).
std::string ResultClass(const Observation& o) { return o.error ? "error " + *o.error : "ok"; }

TEST(DifferentialMotoTest, EveryDifferenceFromTheModelIsADocumentedMotoDeviation) {
  SQSIM_REQUIRE_MOTO();
  auto client = ClientFor(test::SharedMoto().url);
  const rc::Gen<Operation> any = gens::AnyOp();
  std::map<std::string, std::vector<std::string>> by_class;  // signature -> reports
  int agreed = 0;
  // CI: the same sequences (seeds 1..150) in every run. Soak: a fresh first
  // seed, and with SQSIM_SOAK_SECONDS as many sequences as the budget allows.
  const bool soaking = test::Soaking() || test::SoakSeconds() > 0;
  const uint64_t first_seed = soaking ? test::FreshSeed() % (uint64_t{1} << 48) : 1;
  std::cout << "[ sequences ] first seed " << first_seed << "\n";
  const auto budget_end =
      std::chrono::steady_clock::now() + std::chrono::seconds(test::SoakSeconds());
  int sequences = 0;
  for (uint64_t seed = first_seed;; ++seed) {
    if (test::SoakSeconds() > 0 ? std::chrono::steady_clock::now() >= budget_end
                                : sequences >= SequenceCount(150)) {
      break;
    }
    ++sequences;
    const auto generated =
        rc::gen::container<std::vector<Operation>>(any)(rc::Random(seed), 40).value();
    std::vector<Operation> ops;
    for (const Operation& op : WithPrologue(generated)) {
      if (!std::holds_alternative<AdvanceTimeOp>(op)) ops.push_back(Timeless(op));
    }
    const RunnerOptions options{
        .queue_url_prefix = test::SharedMoto().url + "/123456789012/",
        .queue_arn_prefix = "arn:aws:sqs:us-east-1:123456789012:",
        .name_prefix = test::UniqueQueueName("d") + "-",
    };
    std::vector<Observation> expected, observed;
    const std::string report = CompareOnClient(
        ops, *client, [](Duration) {}, options, kSimulatorDeviations, &expected, &observed);
    if (report.empty()) {
      ++agreed;
      continue;
    }
    const size_t step = expected.size() - 1;
    const std::string signature = FirstWord(Describe(ops[step])) +
                                  " model=" + ResultClass(expected[step]) +
                                  " moto=" + ResultClass(observed[step]);
    by_class[signature].push_back("seed " + std::to_string(seed) + ":\n" + report);
  }

  std::ostringstream summary;
  summary << sequences << " sequences: " << agreed << " agree with the model; first differences:\n";
  std::vector<std::string> undocumented;
  for (const auto& [signature, reports] : by_class) {
    bool documented = false;
    for (const std::string& prefix : kDocumentedMotoDeviations)
      documented |= signature.starts_with(prefix);
    summary << "  " << reports.size() << " x " << signature
            << (documented ? "" : "   <- NOT DOCUMENTED") << "\n";
    if (!documented) undocumented.push_back(reports.front());
  }
  std::cout << summary.str();
  EXPECT_TRUE(undocumented.empty())
      << summary.str() << "\nFirst sequence of each undocumented class:\n"
      << [&] {
           std::string all;
           for (const std::string& r : undocumented) all += r + "\n";
           return all;
         }();
}

}  // namespace
}  // namespace sqsim::model
