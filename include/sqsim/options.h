// SimulatorOptions: how a simulated SQS behaves, whichever host runs it.
//
// The same options configure the in-process Simulator, the ThreadedSimulator
// and sqsim-server: seed, region and account, start time, realism (the
// documented imprecision of standard queues), quotas, fault plan and trace
// size. They are plain data with documented defaults; `Validate()` is the one
// check every host applies. This header has no dependency on Boost.Asio, so
// the engine that consumes these options compiles without it.
//
// Thread safety: plain values; copy freely.

#ifndef SQSIM_OPTIONS_H_
#define SQSIM_OPTIONS_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "sqsim/fault.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim {

// How closely standard queues imitate SQS's documented imprecision. Each
// behaviour can be switched off; `SimulatorOptions::Exact()` switches all off
// (strict send order, every short poll sees every available message).
struct RealismOptions {
  // Best-effort ordering: each available message a receive would return is
  // passed over (left for a later receive) with this probability, so messages
  // occasionally arrive out of send order. Default: 0.02.
  double reorder_probability = 0.02;

  // Short polls consult a random subset of servers: every message lives on
  // one of `servers` simulated servers, and a short poll samples each server
  // with probability `server_sample_probability`, so it may return fewer
  // messages than are available, or none. Long polls consult all servers.
  // Default: true, 4 servers, 0.75.
  bool short_poll_sampling = true;
  int servers = 4;
  double server_sample_probability = 0.75;
};

// SQS quotas the simulator enforces. Defaults are SQS's documented values;
// tests may lower them to reach a limit quickly.
struct SimulatorLimits {
  // In-flight messages per standard queue; beyond it a short poll fails with
  // OverLimit and a long poll returns nothing. Default: 120000.
  int max_inflight_standard = 120000;

  // In-flight messages per FIFO queue; beyond it receives return nothing, as
  // SQS does (no error). Default: 120000.
  int max_inflight_fifo = 120000;

  // Enforce SQS's FIFO throughput quotas: per queue, 300 transactions per
  // second for each of SendMessage(Batch), ReceiveMessage and
  // DeleteMessage(Batch) (a batch is one transaction), or in high-throughput
  // mode (DeduplicationScope=messageGroup with
  // FifoThroughputLimit=perMessageGroupId) the region's quota (70,000 in
  // us-east-1, us-west-2 and eu-west-1; 19,000 in us-east-2 and
  // eu-central-1; 9,000 in ap-south-1, ap-southeast-1, ap-southeast-2 and
  // ap-northeast-1; 4,500 in eu-west-2 and sa-east-1; 2,400 elsewhere).
  // Beyond it a call fails with ThrottlingException. Off by default because
  // in virtual time a test can make thousands of calls in one instant, which
  // no real client can. Default: false.
  bool enforce_fifo_throughput = false;

  // When > 0, replaces the quota above (transactions per second per action),
  // so that a test can reach it with a few calls. Default: 0.
  int fifo_transactions_per_second = 0;

  // The simulator's own capacity, not SQS quotas (SQS has none for these):
  // at most this many messages stored across all queues, dead-letter queues
  // included, and this many bytes of their bodies. A send that would pass
  // either fails with ServiceUnavailable (HTTP 503, which SDKs retry) and
  // stores nothing; a batch is refused whole. Messages that move between
  // queues (dead-letter hand-offs, move tasks) are not new. 0: no limit.
  // Default: 0 (sqsim-server sets its own, see --max-messages).
  int64_t max_stored_messages = 0;
  int64_t max_stored_bytes = 0;

  // At most this many queues; CreateQueue of a new queue beyond it fails
  // with ServiceUnavailable. 0: no limit. Default: 0.
  int max_queues = 0;
};

struct SimulatorOptions {
  // The seed every random choice derives from. Default: 1.
  uint64_t seed = 1;

  // Region and account that queue URLs and ARNs name.
  // Default: "us-east-1", "123456789012".
  std::string region = "us-east-1";
  std::string account_id = "123456789012";

  // Scheme and host of queue URLs, without a trailing slash. Empty means
  // "https://sqs.<region>.amazonaws.com". sqsim-server sets its own address.
  // Default: "".
  std::string endpoint{};

  // The virtual time at which the simulation starts.
  // Default: 2026-01-01T00:00:00Z.
  Timestamp start_time = Timestamp(std::chrono::seconds(1767225600));

  // The `SenderId` system attribute of sent messages. Default: an IAM-style
  // user id, "AIDASQSIMEXAMPLE0USER".
  std::string sender_id = "AIDASQSIMEXAMPLE0USER";

  RealismOptions realism{};
  SimulatorLimits limits{};

  // What DeleteMessage does on a standard queue with an older receipt handle
  // of a message that has since been received again. SQS documents that the
  // message "might not be deleted"; true deletes it (the riskier outcome for
  // a consumer, so the default), false leaves it in flight. Default: true.
  bool stale_receipt_handle_deletes = true;

  // Faults to inject, decided from `seed`: the simulator applies the
  // delivery effects (kDuplicateDelivery, kDelayVisibility, kReorder) and
  // the fault points of Env::MaybeFault; a FaultInjectingClient sharing
  // faults() applies the client-boundary ones. Default: none.
  FaultPlan faults{};

  // How many recent trace events to keep (the hash covers all). Default: 10000.
  size_t trace_capacity = 10000;

  // IAM identity policies the host starts with (and, for sqsim-server, keeps
  // across resets): principal ARN (user, role or account root) -> policy
  // name -> policy JSON. They govern the calls made as a principal
  // (Simulator::ClientFor, sqsim-server's access keys mapped to principals);
  // the host's own calls are never evaluated. Default: none.
  std::map<std::string, std::map<std::string, std::string>> identity_policies{};

  // Customer managed KMS keys the host starts with (and, for sqsim-server,
  // re-creates after every reset), for SSE-KMS queues to name: alias
  // ("alias/payments") -> key policy JSON ("" for KMS's default key policy).
  // The keys are enabled, symmetric, and their ids derive from the order of
  // the aliases. Other keys: Simulator::kms(). Default: none.
  std::map<std::string, std::string> kms_keys{};

  // Options with every RealismOptions behaviour off: strict order, no
  // sampling. For tests that compare against exact expectations.
  static SimulatorOptions Exact(uint64_t seed = 1);

  // OK, or kInvalidParameterValue naming the first malformed option: an
  // account id that is not 12 digits, an empty region, a probability outside
  // [0, 1], servers outside [1, 32], a non-positive in-flight limit, an
  // identity policy that does not parse (naming principal and policy), a KMS
  // alias without "alias/" or under "alias/aws/", a key policy that does not
  // parse. Every
  // host (Simulator, ThreadedSimulator, sqsim-server) checks its options
  // with this one function.
  Status Validate() const;
};

}  // namespace sqsim

#endif  // SQSIM_OPTIONS_H_
