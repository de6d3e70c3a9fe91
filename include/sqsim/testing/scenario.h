// Scenario: run producers and consumers against the simulator under a fault
// plan, record what they did, and check the outcome; sweep it over seeds.
//
// A scenario declares queues (with dead-letter queues), producer and
// consumer actors written against `Client`, a fault plan and checkers. A run
// has two phases, as the best deterministic simulators have:
//
//   safety    faults on, for exactly `safety_duration` of virtual time
//             (faults keep firing even when the queues drain sooner: a
//             producer that sends late, or a consumer's idle long polls,
//             still meet them);
//   liveness  faults off: within `liveness_bound` every queue must drain
//             (every message processed or in a dead-letter queue), except
//             queues declared with `must_drain = false`.
//
// Then the dead-letter queues are read (their messages recorded as
// kDeadLetter), and the checkers run over the history: by default the queue
// checker (lost, duplicated, unexpected), plus any given.
//
//   ScenarioOptions s{.seed = seed, .queues = {{.name = "payments"}}, ...};
//   s.producers = {[](ActorContext& ctx) -> awaitable<void> { ... }};
//   s.consumer = [](ActorContext& ctx) -> awaitable<void> { ... };
//   ScenarioReport report = RunScenario(s);
//   EXPECT_TRUE(report.ok) << report.Describe();
//
// An actor is a process: its main coroutine and the children it starts with
// ActorContext::Spawn (a heartbeat, parallel handlers). What happens to the
// process happens to all of them:
//   crash  a `Crash` thrown anywhere in it (ActorContext::MaybeCrash, a call
//          fault point of ctx.client(), a plan's kCrash rule) ends every
//          coroutine (each is cancelled at its current wait); a worker is
//          restarted after `restart_delay` as a fresh coroutine, its
//          in-memory state lost;
//   pause  (MaybePause, a kPause rule) none of its coroutines goes past its
//          next call or sleep until the pause is over;
//   stop   (a kStop rule: a deploy, a scale-in) ctx.stopping() turns true;
//          an actor still running `stop_grace` later is killed (a crash); a
//          worker that stopped is restarted, as a deploy starts the new
//          version.
// Crashes, pauses and stops are recorded in the history (kCrash, kPause,
// kStop) and every rule that fired in the trace.
//
// Thread safety: a run owns its simulator; distinct runs are independent.

#ifndef SQSIM_TESTING_SCENARIO_H_
#define SQSIM_TESTING_SCENARIO_H_

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/fault.h"
#include "sqsim/simulator.h"
#include "sqsim/testing/crash.h"
#include "sqsim/testing/history.h"
#include "sqsim/testing/recording_client.h"

namespace sqsim::testing {

struct QueueSpec {
  std::string name{};
  QueueAttributeMap attributes{};
  // When set, a dead-letter queue of that name is created (same type, with
  // `dead_letter_attributes`) and this queue's RedrivePolicy points to it
  // with `max_receive_count`.
  std::optional<std::string> dead_letter_queue{};
  int max_receive_count = 3;
  QueueAttributeMap dead_letter_attributes{};
  // False: the liveness phase does not wait for this queue to drain (a
  // dead-letter queue the application manages itself, a queue nobody
  // consumes). Default: true.
  bool must_drain = true;
};

class ScenarioRun;
namespace internal {
class ActorLife;
}  // namespace internal

// What an actor gets: a client (fault-injecting, over the simulator) that
// records every message operation in the history (see RecordingClient), the
// simulator's Env, the history, and helpers that record what only the
// application knows: the value a send carries, the side effect it performed.
class ActorContext {
 public:
  // Made by the harness, one per life of an actor.
  ActorContext(ScenarioRun* run, internal::ActorLife* life);

  const std::string& name() const { return name_; }
  // Calls through it are recorded: consumer code written against `Client`
  // (as it runs on AwsClient) needs no harness helper to be checked. Each
  // call is a fault point of the actor (see FaultRule::point).
  Client& client();
  // The simulator's Env, with the actor's pauses and fault points: each
  // Sleep is the fault point "sleep"; MaybeFault(name) also lets the plan's
  // actor rules naming `name` act on the whole actor.
  Env& env();
  History& history();
  // The URL of a declared queue (or dead-letter queue).
  const std::string& url(const std::string& queue) const;
  // True once the run is over or this actor was asked to stop (a kStop
  // rule): loops should finish what they hold and return.
  bool stopping() const;

  // Starts `child` as part of this actor, concurrently, on the simulator's
  // executor: a heartbeat, a handler per message. It shares the actor's
  // fate: a Crash thrown in it crashes the whole actor, a pause pauses it,
  // and it is cancelled (its current wait ends with operation_aborted) when
  // the actor's main coroutine returns. The context must be the one the
  // actor was given (it outlives every child). To wait for children, use
  // sqsim::WhenAll / WhenAny (sqsim/when.h) instead.
  void Spawn(boost::asio::awaitable<void> child);

  // Sends, recording kSend invoked, then ok / failed / unknown (lost
  // response) for `value` (client().AsyncSendMessage records the value
  // ScenarioOptions::value_of gives).
  boost::asio::awaitable<Result<SendMessageResponse>> Send(SendMessageRequest request,
                                                           std::string value);
  // Receives with every system attribute when none was asked for,
  // recording a kReceive per delivered message.
  boost::asio::awaitable<Result<ReceiveMessageResponse>> Receive(ReceiveMessageRequest request);
  // Records that the side effect for `m` happened.
  void Processed(const std::string& queue, const Message& m);
  // Deletes `m`, recording kDelete.
  boost::asio::awaitable<Result<DeleteMessageResponse>> Delete(const std::string& queue,
                                                               const Message& m);
  // Throws Crash when fault point `point` fires.
  void MaybeCrash(std::string_view point);
  // Pauses the whole actor (every coroutine of it) for `pause` when fault
  // point `point` fires (a garbage collection, a swapped-out process): make
  // it longer than the visibility timeout and the message comes back to
  // another consumer meanwhile. The caller waits out the pause here; the
  // actor's other coroutines at their next call or sleep.
  boost::asio::awaitable<void> MaybePause(std::string_view point, Duration pause);
  // The application value of a message (ScenarioOptions::value_of).
  std::string ValueOf(const Message& m) const;

 private:
  ScenarioRun* run_;
  internal::ActorLife* life_;
  std::string name_;
  RecordingClient client_;
};

using Actor = std::function<boost::asio::awaitable<void>(ActorContext&)>;

// A named kind of actor with its own number of copies, e.g. the school's
// {"grader", Grader, 2} and {"payment-consumer", PaymentConsumer, 3}. Copies
// are named "<name>-1", "<name>-2", ... in the history and the trace tails.
struct ActorRole {
  enum class Kind {
    // Runs until the run stops (a consumer, a poller); after a Crash, or
    // after it returned when asked to stop (a kStop rule), it is restarted
    // `restart_delay` later, as a fresh coroutine: its in-memory state is
    // lost.
    kWorker,
    // Runs once to its end (a producer, a batch job); the liveness phase
    // waits for it to finish; a Crash or a stop ends it for good.
    kTask,
  };
  std::string name{};
  Actor actor{};
  int count = 1;
  Kind kind = Kind::kWorker;
};

struct ScenarioOptions {
  uint64_t seed = 1;
  std::vector<QueueSpec> queues{};
  FaultPlan faults{};
  // Producers run once each, as tasks named "producer-1", "producer-2", ...;
  // `consumer` runs in `consumers` copies, as workers named "consumer-1", ...
  std::vector<Actor> producers{};
  Actor consumer{};
  int consumers = 1;
  // Further named roles, each with its own count (after the producers and
  // consumers above, which are shorthands for the common case).
  std::vector<ActorRole> roles{};
  Duration restart_delay = std::chrono::seconds(5);
  // How long an actor asked to stop may take before it is killed (the
  // default of ECS's stopTimeout and of Kubernetes' grace period).
  Duration stop_grace = std::chrono::seconds(30);
  Duration safety_duration = std::chrono::minutes(10);
  Duration liveness_bound = std::chrono::minutes(30);
  // The application identity of a message; default: its body.
  std::function<std::string(const Message&)> value_of{};
  // Queue checker options, and further checkers.
  QueueCheckOptions queue_check{};
  std::vector<Checker> checkers{};
  // Simulator options other than seed and faults. Default: SQS realism on.
  SimulatorOptions simulator{};
};

struct ScenarioReport {
  uint64_t seed = 0;
  bool ok = false;
  bool drained = false;  // the liveness phase drained every queue in time
  std::vector<CheckResult> results{};
  // Counts.
  int64_t sent = 0, received = 0, processed = 0, deleted = 0, duplicates = 0, dead_lettered = 0,
          crashes = 0;
  std::map<std::string, int64_t> api_calls{};     // by action name
  std::map<std::string, int64_t> faults_fired{};  // by rule id
  Duration latency_p50{}, latency_p99{};          // first send -> first delete, per value
  Duration virtual_elapsed{};
  uint64_t trace_hash = 0;
  std::string trace_tail{};    // last trace events
  std::string history_tail{};  // last operations
  // For each value a failed checker names (lost, duplicated, unexpected; the
  // first 5): its own operations and the trace events of its messages.
  std::string failing_values{};
  std::string full_trace{};  // every retained trace event

  // Seed, verdicts with their violations, counts, the failing values' own
  // events, and the tails: what a failing test prints.
  std::string Describe() const;
};

// Runs one scenario.
ScenarioReport RunScenario(const ScenarioOptions& options);

// Runs the scenario built by `make(seed)` twice and compares trace hashes.
bool CheckDeterminism(const std::function<ScenarioOptions(uint64_t)>& make, uint64_t seed);

enum class SweepMode {
  kStopAtFirstFailure,  // finding a bug: stop at the first failing seed
  kCountFailures,       // judging a fix or a fault rate: run every seed
};

struct SweepOptions {
  uint64_t first_seed = 1;
  int seeds = 100;
  // Names the sweep in its messages and scopes SQSIM_SEED to it (see
  // SweepSeeds); a test's full name is a good choice (CurrentTestName() in
  // sqsim/testing/gtest.h). Default: unnamed.
  std::string name{};
  SweepMode mode = SweepMode::kStopAtFirstFailure;
  // Where the first failing run's full trace and history go. Default: none.
  std::string trace_file{};
  // Print the failures to stderr. Default: true. (A replay is announced
  // whatever this says.)
  bool verbose = true;
  // Runs only this shard's part of the seeds: the i-th seed (first_seed + i)
  // when i % shard_count == shard_index. Under GoogleTest, SQSIM_SWEEP_TEST
  // (sqsim/testing/gtest.h) sets these; elsewhere SweepShardFromEnvironment
  // reads them. Default: one shard, every seed.
  int shard_index = 0;
  int shard_count = 1;
};

// The shard GoogleTest's sharding protocol gives this process
// (GTEST_SHARD_INDEX of GTEST_TOTAL_SHARDS, as Bazel, CI matrices and test
// runners set them), for a sweep in a program of its own: {index, count},
// or {0, 1} when the variables are unset or malformed. Inside a GoogleTest
// test use SQSIM_SWEEP_TEST instead: GoogleTest already runs each test in
// one shard only, so reading the variables there would split twice.
struct SweepShard {
  int index = 0;
  int count = 1;
};
SweepShard SweepShardFromEnvironment();

struct SweepResult {
  int runs = 0;
  std::optional<ScenarioReport> failure{};  // the first failing run, if any
  std::vector<uint64_t> failing_seeds{};    // every failing seed, in order
  // True when SQSIM_SEED chose the one seed that ran.
  bool replayed = false;
  // Per rule: in how many runs it fired ("sometimes" coverage).
  std::map<std::string, int> rule_runs{};
  std::vector<std::string> never_fired() const;
};

// Runs seeds first_seed, first_seed + 1, ...: until one fails
// (kStopAtFirstFailure) or all of them (kCountFailures). On a failure prints
// the seed, how to replay it and the last trace events, and writes the full
// trace and history to `trace_file`.
//
// Replay: with the environment variable SQSIM_SEED=<name>:<seed>, the sweep
// named <name> runs only <seed>; other sweeps run as usual. A bare
// SQSIM_SEED=<seed> replays that seed in every sweep of the process. Either
// way the sweep says so on stderr, so that a variable left exported cannot
// quietly turn a 1,000-seed sweep into a 1-seed one. A value that does not
// parse aborts.
SweepResult SweepSeeds(const std::function<ScenarioOptions(uint64_t)>& make,
                       SweepOptions options = {});

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_SCENARIO_H_
