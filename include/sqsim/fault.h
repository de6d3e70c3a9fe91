// FaultPlan and FaultInjector: faults as data, decided from the seed.
//
// A FaultPlan is a list of rules. Each rule names an effect (an error at the
// client boundary, a lost response, latency, a duplicate delivery inside the
// simulator, a fault point in user code, ...), what it applies to (an action,
// a queue, a fault point's name) and when it fires: with a probability per
// matching call, on the n-th matching calls, inside a window of virtual time,
// at most so many times. Plans serialise to JSON, so a failing run's plan can
// be stored and replayed.
//
//   FaultPlan plan;
//   plan.rules.push_back({.id = "throttle-sends",
//                         .effect = FaultEffect::kError,
//                         .action = Action::kSendMessage,
//                         .probability = 0.05,
//                         .error = ErrorCode::kRequestThrottled});
//   plan.rules.push_back({.id = "lost-delete",
//                         .effect = FaultEffect::kLoseResponse,
//                         .action = Action::kDeleteMessage,
//                         .on_calls = {3}});
//
// A FaultInjector applies a plan: every decision draws from an Rng forked
// from the seed, so one seed gives one sequence of faults, and every rule
// that fires is counted (coverage: did each fault actually happen in a
// sweep?) and reported to an observer (the simulator's trace).
//
// Where each effect is applied:
//   kError, kLoseResponse, kLatency, kEmptyReceive  FaultInjectingClient
//                                                   (fault_client.h), around
//                                                   any Client;
//   kDuplicateDelivery, kDelayVisibility, kReorder, inside the Simulator
//   kKmsThrottle, kSnsDelivery*, kSnsDuplicate...   (SimulatorOptions::faults);
//   kFaultPoint                                     Env::MaybeFault(point) in
//                                                   the user's own code;
//   kCrash, kPause, kStop                           the scenario harness's
//                                                   actors, at their fault
//                                                   points (testing/scenario.h).
//
// Thread safety: a FaultInjector is not thread-safe; it belongs to the
// simulator's thread (or is guarded by its owner).

#ifndef SQSIM_FAULT_H_
#define SQSIM_FAULT_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/actions.h"
#include "sqsim/random.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim {

// Every fault effect, once: X(Enumerator, "json-name", Where), Where being
// kClientBoundary (decided by the client or the server's router before or
// after the call reaches the engine), kEngine (inside the simulator) or
// kUserCode (Env::MaybeFault). The enum, the names, the JSON reader and the
// client-boundary set all derive from this list.
//
// At the client boundary:
//   kError         the call fails with `error` and never reaches SQS
//   kLoseResponse  the call takes effect, then its response is lost (kTimeout)
//   kLatency       the call starts `latency` late
//   kEmptyReceive  a ReceiveMessage comes back empty without reaching SQS
//   kFailEntries   a batch call (SendMessageBatch, DeleteMessageBatch,
//                  ChangeMessageVisibilityBatch) succeeds, but the entries at
//                  `entries` (all, when empty) come back in `Failed` with
//                  `error` and `sender_fault`, untouched: the other entries
//                  take effect. Other actions are not affected
// Inside the simulator (standard queues; FIFO queues do not duplicate):
//   kDuplicateDelivery  a receive also returns a copy of a message already
//                       received (or deleted): at-least-once delivery. Every
//                       receive is a call; a firing needs room in the batch
//                       and an earlier delivery to copy, else has no effect;
//                       a copy never passes the queue's maxReceiveCount
//   kDelayVisibility    a sent message becomes visible `latency` late
//   kReorder            a receive returns its messages in reverse order
//   kKmsThrottle        on an SSE-KMS queue, a data-key request SQS makes to
//                       KMS (a send, or a receive with messages to deliver,
//                       once the cached data key's reuse period is over) is
//                       throttled: the call fails with KmsThrottled (sqsim/kms.h)
// To SNS deliveries (Simulator::sns()); `queue` matches the subscribed
// queue's name or the function's endpoint, `action` SendMessage for queues:
//   kSnsDeliveryDelay      the delivery starts `latency` late
//   kSnsDeliveryFailure    one attempt fails as a server-side error would;
//                          SNS retries it (the AWS managed endpoints'
//                          policy: 100,015 attempts over 23 days), then sends
//                          it to the subscription's dead-letter queue
//   kSnsDuplicateDelivery  the subscriber gets the message a second time
//                          (SNS delivers at least once)
// In user code:
//   kFaultPoint  Env::MaybeFault(point) returns true
// To a scenario actor (the whole actor: its main coroutine and every child
// it spawned), at one of its fault points (see `point` below):
//   kCrash  the actor dies: every coroutine of it ends, and a worker restarts
//           (a fresh process, its memory lost)
//   kPause  the actor stops for `pause` (a GC pause, a frozen container):
//           none of its coroutines runs or sees a response meanwhile
//   kStop   the actor is asked to stop (SIGTERM: a deploy, a scale-in):
//           ActorContext::stopping() turns true; see ScenarioOptions'
//           stop_grace for one that does not
#define SQSIM_FOR_EACH_FAULT_EFFECT(X)                   \
  X(Error, "error", kClientBoundary)                     \
  X(LoseResponse, "lose-response", kClientBoundary)      \
  X(Latency, "latency", kClientBoundary)                 \
  X(EmptyReceive, "empty-receive", kClientBoundary)      \
  X(FailEntries, "fail-entries", kClientBoundary)        \
  X(DuplicateDelivery, "duplicate-delivery", kEngine)    \
  X(DelayVisibility, "delay-visibility", kEngine)        \
  X(Reorder, "reorder", kEngine)                         \
  X(FaultPoint, "fault-point", kUserCode)                \
  X(Crash, "crash", kActor)                              \
  X(Pause, "pause", kActor)                              \
  X(Stop, "stop", kActor)                                \
  X(KmsThrottle, "kms-throttle", kEngine)                \
  X(SnsDeliveryDelay, "sns-delivery-delay", kEngine)     \
  X(SnsDeliveryFailure, "sns-delivery-failure", kEngine) \
  X(SnsDuplicateDelivery, "sns-duplicate-delivery", kEngine)

enum class FaultEffect : uint8_t {
#define SQSIM_FAULT_EFFECT_ENUMERATOR(Name, json, where) k##Name,
  SQSIM_FOR_EACH_FAULT_EFFECT(SQSIM_FAULT_EFFECT_ENUMERATOR)
#undef SQSIM_FAULT_EFFECT_ENUMERATOR
};

// Where an effect is applied.
enum class FaultSite : uint8_t { kClientBoundary, kEngine, kUserCode, kActor };
FaultSite FaultEffectSite(FaultEffect effect);

// The effect's name in JSON and traces ("error", "lose-response", ...).
std::string_view FaultEffectName(FaultEffect effect);

struct FaultRule {
  // Names the rule in traces, coverage counters and JSON. Must be unique.
  std::string id{};
  FaultEffect effect = FaultEffect::kError;

  // What the rule applies to. Empty/nullopt matches everything.
  std::optional<Action> action{};
  std::string queue{};  // queue name (not URL)
  // kFaultPoint: the fault point's name (required). kCrash, kPause, kStop:
  // the actor fault point they fire at (empty: any). A scenario actor's
  // fault points are, for each call through ctx.client(),
  //   "call:<Action>"      before the call is made,
  //   "response:<Action>"  after it took effect, before the actor sees the
  //                        answer (a crash here loses the response),
  //   "returned:<Action>"  after the answer was handed back (a crash here
  //                        kills the actor at its next suspension: the
  //                        code between runs, as in a process that dies a
  //                        moment later);
  // "sleep" after each ctx.env().Sleep; and every Env::MaybeFault(name)
  // the actor's code asks about. A rule with no point and an `after` window
  // thus fires at the first fault point past that time: "at a time".
  std::string point{};
  // kCrash, kPause, kStop: the actor it applies to, by name ("consumer-2");
  // empty: any.
  std::string actor{};

  // When it fires: on any of `on_calls` (1-based counts of this rule's
  // matching calls), or else with `probability` per matching call; only
  // within [after, before) of virtual time since the injector's start; at
  // most `max_fires` times (-1: no limit).
  double probability = 0;
  std::vector<int64_t> on_calls{};
  std::optional<Duration> after{};
  std::optional<Duration> before{};
  int64_t max_fires = -1;

  // Parameters: the error of kError and kFailEntries; the delay of kLatency
  // and kDelayVisibility; how long a kPause lasts (required).
  ErrorCode error = ErrorCode::kServiceUnavailable;
  Duration latency{};
  Duration pause{};
  // kFailEntries: the 1-based positions in the batch of the entries that
  // fail (empty: every entry), and whether their error blames the sender.
  std::vector<int> entries{};
  bool sender_fault = false;

  friend bool operator==(const FaultRule&, const FaultRule&) = default;
};

struct FaultPlan {
  std::vector<FaultRule> rules{};

  // {"rules":[{"id":"...","effect":"error","action":"SendMessage",
  //   "probability":0.05,"error":"RequestThrottled"}, ...]}; durations in
  // milliseconds ("latency_ms", "pause_ms", "after_ms", "before_ms").
  // Members at their defaults are left out.
  std::string ToJson() const;

  // Parses ToJson's format. Fails with kInvalidParameterValue naming the
  // field that is wrong (unknown effect, action or error, bad types,
  // probability outside [0, 1], duplicate ids).
  static Result<FaultPlan> FromJson(std::string_view json);

  friend bool operator==(const FaultPlan&, const FaultPlan&) = default;
};

class FaultInjector {
 public:
  // Applies `plan` with decisions drawn from `seed`; `start` is the virtual
  // time that rule windows count from.
  FaultInjector(FaultPlan plan, uint64_t seed, Timestamp start);

  // The first rule whose effect is one of `effects` and that matches
  // `action` and `queue` and fires at `now`, or nullptr. Every matching rule
  // counts the call, whether or not it fires.
  const FaultRule* Decide(std::initializer_list<FaultEffect> effects, std::optional<Action> action,
                          std::string_view queue, Timestamp now);
  // The same over every effect applied at `site`.
  const FaultRule* Decide(FaultSite site, std::optional<Action> action, std::string_view queue,
                          Timestamp now);

  // Whether fault point `point` fires now (a kFaultPoint rule).
  bool FaultPoint(std::string_view point, Timestamp now);

  // The first actor rule (kCrash, kPause, kStop) that matches fault point
  // `point` of actor `actor` and fires at `now`, or nullptr. Every matching
  // rule counts the call, whether or not it fires.
  const FaultRule* DecideAtActorPoint(std::string_view point, std::string_view actor,
                                      Timestamp now);

  // Turns every rule off (or on again): a harness's liveness phase runs
  // without faults. While off, nothing fires and calls are not counted.
  void set_enabled(bool enabled) { enabled_ = enabled; }
  bool enabled() const { return enabled_; }

  // Whether any rule has `effect` (lets hot paths skip work).
  bool Has(FaultEffect effect) const;

  // How many times each rule fired, by id (every rule listed, 0 included).
  const std::map<std::string, int64_t>& fired() const { return fired_; }
  // Ids of rules that never fired.
  std::vector<std::string> NeverFired() const;

  const FaultPlan& plan() const { return plan_; }

  // Called for every firing (the simulator records it in its trace).
  void set_observer(std::function<void(const FaultRule&, Timestamp)> observer) {
    observer_ = std::move(observer);
  }

 private:
  bool Fires(size_t index, Timestamp now);
  // Decide over the rules whose effect satisfies `effect_matches`.
  template <typename EffectMatches>
  const FaultRule* DecideAmong(EffectMatches effect_matches, std::optional<Action> action,
                               std::string_view queue, Timestamp now);

  FaultPlan plan_;
  bool enabled_ = true;
  std::unique_ptr<Rng> rng_;
  Timestamp start_;
  std::vector<int64_t> calls_;  // matching calls per rule
  std::map<std::string, int64_t> fired_;
  std::function<void(const FaultRule&, Timestamp)> observer_;
};

}  // namespace sqsim

#endif  // SQSIM_FAULT_H_
