// History: what the application under test did, operation by operation, and
// Jepsen-style checkers that decide from it whether a run was correct.
//
// The simulator's Trace says what SQS did; a History says what the producers
// and consumers saw and did: a send that timed out, a message handed to a
// handler, a side effect (a payment charged), a message found in a DLQ. The
// checkers then ask the questions Jepsen's queue checkers ask: was anything
// acknowledged and then lost, was anything processed twice, did a FIFO group
// come out of order, did the deduplication window hold, did a poison message
// move to the DLQ in time. Each checker returns a `CheckResult` value; a
// failed check is data for the test to assert on, never an exception.
//
//   History history;
//   history.Record({.time = clock.Now(), .actor = "producer", .type = OpType::kSend,
//                   .queue = "orders", .value = "payment-17", .message_id = id});
//   ...
//   const std::vector<CheckResult> results = RunCheckers(history, {
//       [](const History& h) { return CheckQueue(h); },
//       [](const History& h) { return CheckMaxReceiveCount(h, "orders", 3); }});
//   EXPECT_TRUE(AllOk(results)) << FormatResults(results) << history.FormatLast(20);
//
// Every output (lists of values, violations, summaries) is in a stable order:
// values sorted, violations in history order. The same run gives the same text.
//
// Checkers read operations in history (index) order, which is the order in
// which they were recorded; under the simulator that is virtual-time order.
//
// Thread safety: a History is not thread-safe; one that several threads record
// into needs external synchronization. The checkers only read the history.

#ifndef SQSIM_TESTING_HISTORY_H_
#define SQSIM_TESTING_HISTORY_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/types.h"

namespace sqsim::testing {

// What happened. kSend: a producer's SendMessage; kReceive: a message
// delivered to a consumer; kProcess: the consumer's side effect happened (e.g.
// the payment was charged); kDelete: DeleteMessage; kDeadLetter: the message
// was found in a DLQ.
// kCrash: the actor crashed (no queue or value; `detail` names the fault
// point, when a fault point made it crash). kChangeVisibility: a
// ChangeMessageVisibility of a received message (`detail` gives the timeout);
// the checkers read it only in the reports.
// kCrash, kPause and kStop are what happened to an actor (detail: the fault
// point, and a pause's length); the others are message operations.
enum class OpType {
  kSend,
  kReceive,
  kProcess,
  kDelete,
  kDeadLetter,
  kCrash,
  kChangeVisibility,
  kPause,
  kStop,
};

// How it ended. kInvoked: started, no completion recorded (e.g. the actor
// crashed); kUnknown: it may or may not have taken effect (e.g. the response
// was lost to a timeout). Checkers count only kOk as "it happened", except
// where a function comment says otherwise.
enum class OpOutcome { kInvoked, kOk, kFailed, kUnknown };

// The lower-case names used in formatted output: "send", "receive",
// "process", "delete", "dead-letter", "crash", "change-visibility", "pause",
// "stop" and
// "invoked", "ok", "failed", "unknown".
std::string_view OpTypeName(OpType type);
std::string_view OpOutcomeName(OpOutcome outcome);

// One recorded operation. Fill in what the actor knew; empty strings and a
// zero receive count mean "not known".
struct Operation {
  int64_t index = 0;  // assigned by History::Record, 0-based, increasing
  Timestamp time{};
  std::string actor{};  // e.g. "producer", "consumer-2"
  OpType type = OpType::kSend;
  OpOutcome outcome = OpOutcome::kOk;
  std::string queue{};
  std::string value{};       // the application-level identity (e.g. "payment-17")
  std::string message_id{};  // SQS MessageId when known
  std::string group{};       // FIFO MessageGroupId (empty for standard)
  // The effective MessageDeduplicationId: the explicit one, or the SHA-256 of
  // the body when the queue uses content-based deduplication.
  std::string deduplication_id{};
  int receive_count = 0;  // ApproximateReceiveCount on kReceive/kProcess
  std::string detail{};   // free text (error code, etc.)
};

// Formats `op` on one line, without a trailing newline:
// "#12 00:01:02.345 consumer-1 process ok payment-17 (queue orders, msg 3f..., group g, rc 2)".
// The time is the UTC time of day (HH:MM:SS.mmm); the date is left out
// because runs are short and the full Timestamp stays in the Operation. The
// parenthesis lists only the known fields among queue, msg (in full, so it can
// be matched against the simulator's Trace), group, dedup and rc; a non-empty
// `detail` follows as ": detail".
std::string FormatOperation(const Operation& op);

// An append-only list of operations.
class History {
 public:
  // Appends `op` with `op.index` set to its position (any index the caller
  // set is overwritten). Returns that index.
  int64_t Record(Operation op);

  // All operations, oldest first; `operations()[i].index == i`. The reference
  // is invalidated by the next Record() or Clear().
  const std::vector<Operation>& operations() const { return operations_; }
  size_t size() const { return operations_.size(); }

  // The last `n` operations (all of them if there are fewer), one per line as
  // FormatOperation() writes them, each line ending in '\n'. Empty when n == 0
  // or the history is empty. Meant for failure messages.
  std::string FormatLast(size_t n) const;

  // Forgets every operation; the next Record() returns 0 again.
  void Clear() { operations_.clear(); }

 private:
  std::vector<Operation> operations_;
};

// What one checker concluded.
struct CheckResult {
  std::string checker{};  // e.g. "queue"
  bool ok = true;
  // One line, e.g. "lost 0, duplicated 2 (payment-3, payment-9), unexpected 0".
  // Long lists show their first few values and "... N more".
  std::string summary{};
  // Sorted, distinct values (queue checker only).
  std::vector<std::string> lost{}, duplicated{}, unexpected{}, recovered{};
  // Human-readable, one per problem, in history order (the queue checker
  // writes one per lost, duplicated or unexpected value, naming op indices).
  std::vector<std::string> violations{};
};

struct QueueCheckOptions {
  // For at-least-once consumers whose side effect is idempotent at the sink:
  // duplicated values are still reported but do not make the check fail.
  // Default: false.
  bool allow_duplicates = false;
};

// Jepsen total-queue semantics over kSend, kProcess and kDeadLetter, across
// all queues (a value keeps its identity when it moves to a DLQ):
//  - attempted: values with a kSend of any outcome;
//  - acknowledged: values with a kSend kOk;
//  - lost: acknowledged but never processed (kProcess kOk) and never
//    dead-lettered (kDeadLetter kOk);
//  - duplicated: processed (kProcess kOk) more than once;
//  - unexpected: processed or dead-lettered but never attempted;
//  - recovered: attempted, never acknowledged (failed, unknown or only
//    invoked), but processed anyway. Not an error; reported.
// Returns a result named "queue"; ok when lost, duplicated and unexpected are
// all empty (duplicated is ignored under `allow_duplicates`).
CheckResult CheckQueue(const History& history, QueueCheckOptions options = {});

// FIFO order per message group as the handler saw it: within a group, a value
// must never be processed after a value sent later was processed. "Sent
// later" is the order of kSend kOk in that (queue, group). A value processed
// again right after itself in its group (a redelivery after a crash) is
// allowed, so an out-of-order value is reported once, not at each
// redelivery. A value sent more than once is in order at any of its send
// positions.
//
// A kProcess kOk belongs to the group of the value's kSend kOk to the same
// queue; processing of a value never acknowledged to that queue (a recovered
// send, a message read from a DLQ) is skipped, since it has no place in the
// order. A kProcess whose recorded group differs from the send's group is a
// violation. Skipped values (dead-lettered, lost) are not order violations:
// CheckQueue reports them.
// Returns a result named "fifo-order"; ok when there are no violations.
CheckResult CheckFifoOrder(const History& history);

// The deduplication window: two kSend kOk with the same scope and
// deduplication_id, less than `window` apart, must not both lead to the
// delivery (kReceive kOk) or processing (kProcess kOk) of distinct message_ids.
// The scope is the queue, or the (queue, group) pair when `per_group`
// (DeduplicationScope=messageGroup).
//
// Sends are compared per distinct message_id, each at its first send: SQS
// returns the original MessageId for a deduplicated send, and the window runs
// from the original, so a later send after the window is legitimately new.
// Sends without a deduplication_id or message_id are ignored.
// Returns a result named "dedup-window"; ok when there are no violations.
// REQUIRES: window > 0.
CheckResult CheckDeduplicationWindow(const History& history,
                                     Duration window = std::chrono::minutes(5),
                                     bool per_group = false);

// The redrive policy: no kReceive or kProcess (of any outcome) of `queue` with
// receive_count > `max_receive_count`; such a message should already have
// moved to the DLQ. One violation per message (by message_id, else value),
// naming its first offending operation.
// Returns a result named "max-receive-count"; ok when there are no violations.
// REQUIRES: max_receive_count >= 1.
CheckResult CheckMaxReceiveCount(const History& history, const std::string& queue,
                                 int max_receive_count);

// A user-defined check.
using Checker = std::function<CheckResult(const History&)>;

// Runs `checkers` in order over `history` and returns their results, in the
// same order.
// REQUIRES: no checker is empty.
std::vector<CheckResult> RunCheckers(const History& history, const std::vector<Checker>& checkers);

// Whether every result is ok (true for none).
bool AllOk(const std::vector<CheckResult>& results);

// One line per result, each ending in '\n':
// "queue: ok — lost 0, duplicated 0, unexpected 0\nfifo-order: FAILED — ...\n";
// a failed result's violations follow it, indented, up to 20 of them.
std::string FormatResults(const std::vector<CheckResult>& results);

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_HISTORY_H_
