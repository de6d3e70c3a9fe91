// Simulator: an in-process, deterministic, virtual-time Amazon SQS.
//
// A Simulator implements `Client`, so code written against Client runs on it
// unchanged. Time is virtual: it starts at `SimulatorOptions::start_time` and
// moves only when the simulator jumps to its next event (a long poll that
// waits, an actor's `Sleep`) or a test advances it. A simulated day costs
// milliseconds. Every random choice derives from `SimulatorOptions::seed`:
// the same seed and the same program give the same trace, byte for byte.
//
// Two ways to drive it:
//
//  * Blocking calls from a test body. `ReceiveMessage` with a wait moves the
//    clock to the first instant a message becomes available (a delay ends, a
//    visibility timeout expires) or the wait ends, running any spawned actors
//    on the way.
//
//      auto sim = Simulator::Create({.seed = 42}).value();
//      auto url = sim->CreateQueue({.queue_name = "orders"})->queue_url;
//      (void)sim->SendMessage({.queue_url = url, .message_body = "hi"});
//      auto r = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
//
//  * Actors: Asio coroutines spawned with `Spawn` run on the simulator's
//    single-threaded executor and use the `Async*` forms and `env().Sleep`.
//    `RunFor`, `RunUntil` and `RunUntilIdle` run them; whenever no actor can
//    run, the clock jumps to the next timer. Interleavings are deterministic.
//
// Thread safety: a Simulator and everything it hands out belong to the thread
// that drives it. Distinct simulators are independent (no global state).

#ifndef SQSIM_SIMULATOR_H_
#define SQSIM_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/fault.h"
#include "sqsim/trace.h"
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

  // Options with every RealismOptions behaviour off: strict order, no
  // sampling. For tests that compare against exact expectations.
  static SimulatorOptions Exact(uint64_t seed = 1);
};

namespace internal {
class SimulatorImpl;
}

class Simulator final : public Client {
 public:
  // Creates a simulator. Fails with kInvalidParameterValue when an option is
  // malformed (account id not 12 digits, empty region, probabilities outside
  // [0, 1], servers < 1).
  static Result<std::unique_ptr<Simulator>> Create(SimulatorOptions options = {});

  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // ---- Time and actors ----------------------------------------------------

  // The current virtual time.
  Timestamp Now() const;

  // The Env of simulated actors: virtual Now() and Sleep(), the seeded Rng.
  // Lives as long as the simulator.
  Env& env();

  // The single-threaded executor actors run on.
  boost::asio::any_io_executor executor();

  // Starts `actor` on the simulator's executor. It runs when the simulator
  // runs (RunFor, RunUntil, RunUntilIdle, or a blocking call that waits).
  // An exception escaping an actor is rethrown from the Run* call that ran
  // it: it is the actor's bug, not an SQS error.
  void Spawn(boost::asio::awaitable<void> actor);

  // Runs actors and timers until nothing is runnable and no timer is pending.
  // Returns false if `limit` of virtual time passed first.
  bool RunUntilIdle(Duration limit = std::chrono::hours(24 * 365));

  // Runs actors and timers for `d` of virtual time; afterwards Now() is
  // exactly the old Now() + d. REQUIRES: d >= 0.
  void RunFor(Duration d);

  // Runs until `done()` is true (checked whenever actors have run and before
  // each clock jump) or `limit` of virtual time has passed. Returns done().
  bool RunUntil(const std::function<bool()>& done, Duration limit);

  // ---- Observation --------------------------------------------------------

  // The injector of SimulatorOptions::faults: its decisions, and how often
  // each rule fired. Share it with a FaultInjectingClient so that one seed
  // drives every fault and the trace records them all.
  FaultInjector& faults();

  const Trace& trace() const;
  uint64_t trace_hash() const { return trace().hash(); }
  // How many calls of each action reached the simulator.
  std::map<Action, int64_t> call_counts() const;
  const SimulatorOptions& options() const;

  // ---- Client -------------------------------------------------------------
#define SQSIM_SIMULATOR_DECLARE(Name)                                 \
  Result<Name##Response> Name(const Name##Request& request) override; \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_SIMULATOR_DECLARE)
#undef SQSIM_SIMULATOR_DECLARE

 private:
  explicit Simulator(std::unique_ptr<internal::SimulatorImpl> impl);
  std::unique_ptr<internal::SimulatorImpl> impl_;
};

}  // namespace sqsim

#endif  // SQSIM_SIMULATOR_H_
