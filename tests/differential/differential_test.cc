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
#include <optional>
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
// of their signature ("<action> model=<result> moto=<result>", and when both
// succeed, what differs: "(Policy)" for a map result's attribute names,
// "(entry model=ok moto=ReceiptHandleIsInvalid)" for a batch's entries). Each
// is a place where moto deviates from the SQS documentation, or where the
// documentation leaves the answer open (see the README for the sources and
// what sqsim does). Not listed on purpose: "ReceiveMessage model=ok moto=ok",
// classified by action alone, which moto reaches in more than one way (for
// example by applying a ChangeMessageVisibility to a message no longer in
// flight, see the README), so each such sequence needs reading.
const std::vector<std::string> kDocumentedMotoDeviations = {
    // Message move tasks are not implemented (HTTP 500).
    "StartMessageMoveTask model=",
    "ListMessageMoveTasks model=",
    "CancelMessageMoveTask model=",
    // No 60-second PurgeQueueInProgress.
    "PurgeQueue model=error PurgeQueueInProgress moto=ok",
    // No 60-second QueueDeletedRecently: a deleted queue's name can be taken
    // again at once.
    "CreateQueue model=error QueueDeletedRecently moto=ok",
    // Unknown attribute names and out-of-range values are accepted, by
    // CreateQueue as by SetQueueAttributes.
    "SetQueueAttributes model=error InvalidAttributeName moto=ok",
    "SetQueueAttributes model=error InvalidAttributeValue moto=ok",
    "CreateQueue model=error InvalidAttributeValue moto=ok",
    // SetQueueAttributes without any attribute is accepted; Attributes is a
    // required member (MissingParameter).
    "SetQueueAttributes model=error MissingParameter moto=ok",
    // Every SetQueueAttributes that does not name Policy resets it, dropping
    // the statements AddPermission added.
    "GetQueueAttributes model=ok moto=ok (Policy)",
    // A RedrivePolicy whose target queue does not exist fails with
    // AWS.SimpleQueueService.NonExistentQueue (QueueDoesNotExist), not SQS's
    // InvalidParameterValue ("Dead letter target does not exist"). moto checks
    // neither value ranges nor FIFO-only names, and looks the target up even
    // for an existing name before comparing attributes, so the model's own
    // error for those comes out as moto's QueueDoesNotExist.
    "CreateQueue model=error InvalidAttributeValue moto=error QueueDoesNotExist",
    "CreateQueue model=error QueueNameExists moto=error QueueDoesNotExist",
    "SetQueueAttributes model=error InvalidParameterValue moto=error QueueDoesNotExist",
    "SetQueueAttributes model=error InvalidAttributeName moto=error QueueDoesNotExist",
    "SetQueueAttributes model=error InvalidAttributeValue moto=error QueueDoesNotExist",
    // An empty MessageBody (which AwsClient omits: it is a required member)
    // crashes moto's handler (len(None) in SendMessage, entry["MessageBody"]
    // in SendMessageBatch, before its duplicate-id and count checks): HTTP 500
    // InternalFailure where SQS answers MissingParameter. moto's 500 says
    // nothing about SQS's answer, so these classes hide nothing moto could
    // have shown.
    "SendMessage model=error MissingParameter moto=error InternalFailure",
    "SendMessageBatch model=ok moto=error InternalFailure",
    "SendMessageBatch model=error BatchEntryIdsNotDistinct moto=error InternalFailure",
    "SendMessageBatch model=error TooManyEntriesInBatchRequest moto=error InternalFailure",
    // CreateQueue of an existing name replaces the queue's tags with the
    // request's; SQS documents no tag change there (an existing queue is
    // returned as it is), and sqsim keeps its tags. Tags change only through
    // CreateQueue, TagQueue and UntagQueue, and the latter two agree.
    "ListQueueTags model=ok moto=ok",
    // ChangeMessageVisibilityBatch skips the batch checks: an empty batch and
    // invalid entry ids are accepted. DeleteMessageBatch does not check the
    // ids' syntax either: an entry with an invalid id is processed, or the
    // batch fails on a repeated receipt handle (below).
    "ChangeMessageVisibilityBatch model=error EmptyBatchRequest moto=ok",
    "ChangeMessageVisibilityBatch model=error InvalidBatchEntryId moto=ok",
    "ChangeMessageVisibilityBatch model=error BatchEntryIdsNotDistinct moto=ok",
    "DeleteMessageBatch model=error InvalidBatchEntryId moto=ok",
    // ChangeMessageVisibilityBatch looks the queue up only for an entry whose
    // timeout is in range: on a deleted queue, a batch with no such entry
    // (empty, or every timeout above 43200) succeeds with per-entry failures.
    "ChangeMessageVisibilityBatch model=error QueueDoesNotExist moto=ok",
    // A visibility timeout of exactly 43200 s (the documented maximum) is
    // rejected: moto counts the 12 hours from the send, not the receive. In
    // a batch the error escapes the entry and fails the whole request, also
    // where the model fails the batch's shape (moto checks neither the ids
    // nor the count of a ChangeMessageVisibilityBatch).
    "ChangeMessageVisibility model=ok moto=error InvalidParameterValue",
    "ChangeMessageVisibilityBatch model=ok moto=error InvalidParameterValue",
    "ChangeMessageVisibilityBatch model=error BatchEntryIdsNotDistinct moto=error "
    "InvalidParameterValue",
    "ChangeMessageVisibilityBatch model=error TooManyEntriesInBatchRequest moto=error "
    "InvalidParameterValue",
    // moto finds a message by receipt handle only while the message is in
    // the queue. A handle of a message deleted, purged or moved to the DLQ is
    // ReceiptHandleIsInvalid for ChangeMessageVisibility (SQS:
    // InvalidParameterValue, "Message does not exist or is not available for
    // visibility timeout change"), and for DeleteMessage unless moto deleted
    // it itself (SQS: the delete succeeds and does nothing).
    "ChangeMessageVisibility model=error InvalidParameterValue moto=error ReceiptHandleIsInvalid",
    "ChangeMessageVisibilityBatch model=ok moto=ok (entry model=InvalidParameterValue "
    "moto=ReceiptHandleIsInvalid)",
    "DeleteMessage model=ok moto=error ReceiptHandleIsInvalid",
    "DeleteMessageBatch model=ok moto=ok (entry model=ok moto=ReceiptHandleIsInvalid)",
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
    // as BatchEntryIdsNotDistinct (SQS checks the Ids only), also when an Id
    // is invalid.
    "DeleteMessageBatch model=ok moto=error BatchEntryIdsNotDistinct",
    "DeleteMessageBatch model=error TooManyEntriesInBatchRequest moto=error "
    "BatchEntryIdsNotDistinct",
    "DeleteMessageBatch model=error InvalidBatchEntryId moto=error BatchEntryIdsNotDistinct",
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
    // And ChangeMessageVisibility with a timeout above 43200 on a deleted
    // queue: moto checks the timeout before it looks the queue up.
    "ChangeMessageVisibility model=error QueueDoesNotExist moto=error InvalidParameterValue",
    // Undocumented answers, where sqsim states its choice (README, "Decisions
    // where SQS is silent or approximate"). An older receipt handle of a FIFO
    // message received again since: sqsim refuses to change the visibility
    // (the message belongs to its current receiver); moto accepts every
    // handle the message ever had, on every queue.
    "ChangeMessageVisibility model=error InvalidParameterValue moto=ok",
    "ChangeMessageVisibilityBatch model=ok moto=ok (entry model=InvalidParameterValue moto=ok)",
    // SetQueueAttributes on a queue whose dead-letter queue was deleted since:
    // sqsim validates the stored RedrivePolicy again (InvalidParameterValue,
    // unconfirmed on SQS); moto checks only a RedrivePolicy in the request,
    // and does not check that the target is of the queue's type either (a
    // documented rule for a standard queue with a FIFO target).
    "SetQueueAttributes model=error InvalidParameterValue moto=ok",
};

std::string FirstWord(const std::string& s) { return s.substr(0, s.find(' ')); }

// "error X" stays whole; "ok ..." becomes "ok" (the payload is in the report).
std::string ResultClass(const Observation& o) { return o.error ? "error " + *o.error : "ok"; }

// The name -> value pairs of a map result ("{Name=value; ...}", as
// GetQueueAttributes and ListQueueTags give), or nullopt for any other form.
std::optional<std::map<std::string, std::string>> MapOf(const std::string& detail) {
  if (detail.size() < 2 || detail.front() != '{' || detail.back() != '}') return std::nullopt;
  const std::string inner = detail.substr(1, detail.size() - 2);
  std::map<std::string, std::string> pairs;
  for (size_t start = 0; start < inner.size();) {
    size_t end = inner.find("; ", start);
    if (end == std::string::npos) end = inner.size();
    const std::string item = inner.substr(start, end - start);
    const size_t eq = item.find('=');
    pairs[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
    start = end + 2;
  }
  return pairs;
}

// What two successful answers that differ disagree on, for the signature:
// " (Name; ...)" with the names a map result disagrees on, or
// " (entry model=X moto=Y; ...)" with each distinct pair of outcomes of the
// batch entries that disagree. "" for any other result (a receive's
// messages), which is then classified by action alone.
std::string PayloadDifference(const Observation& model, const Observation& moto) {
  std::set<std::string> parts;  // sorted, so a signature does not depend on order
  if (model.kind == Observation::Kind::kBatch && moto.kind == Observation::Kind::kBatch) {
    const auto outcomes = [](const Observation& o) {
      std::map<std::string, std::string> by_id;
      for (const std::string& id : o.batch_ok) by_id[id] = "ok";
      for (const auto& [id, code] : o.batch_failed) by_id[id] = code;
      return by_id;
    };
    const std::map<std::string, std::string> want = outcomes(model), got = outcomes(moto);
    std::set<std::string> ids;
    for (const auto& entry : want) ids.insert(entry.first);
    for (const auto& entry : got) ids.insert(entry.first);
    for (const std::string& id : ids) {
      const std::string a = want.contains(id) ? want.at(id) : "absent";
      const std::string b = got.contains(id) ? got.at(id) : "absent";
      if (a != b) parts.insert("entry model=" + a + " moto=" + b);
    }
  } else if (model.kind == Observation::Kind::kPlain && moto.kind == Observation::Kind::kPlain) {
    const auto want = MapOf(model.detail), got = MapOf(moto.detail);
    if (!want || !got) return "";
    std::set<std::string> names;
    for (const auto& pair : *want) names.insert(pair.first);
    for (const auto& pair : *got) names.insert(pair.first);
    for (const std::string& name : names) {
      const auto a = want->find(name), b = got->find(name);
      if (a == want->end() || b == got->end() || a->second != b->second) parts.insert(name);
    }
  }
  if (parts.empty()) return "";
  std::string s;
  for (const std::string& part : parts) s += (s.empty() ? " (" : "; ") + part;
  return s + ")";
}

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
    std::string signature = FirstWord(Describe(ops[step])) +
                            " model=" + ResultClass(expected[step]) +
                            " moto=" + ResultClass(observed[step]);
    if (!expected[step].error && !observed[step].error) {
      signature += PayloadDifference(expected[step], observed[step]);
    }
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
