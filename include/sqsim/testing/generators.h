// RapidCheck generators for fault plans and workloads, so that a property
// such as "each payment is charged exactly once" is checked over generated
// plans and a failure shrinks to a minimal plan:
//
//   RC_GTEST_PROP(Payments, ChargedOnce, ()) {
//     const FaultPlan plan = *GenFaultPlan({.points = {"payment.after-charge"}});
//     const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
//     RC_ASSERT(RunScenario(MyScenario(seed, plan)).ok);
//   }
//
// Rules shrink away one by one, probabilities shrink toward 0 and schedules
// toward fewer calls, so a counterexample ends as the few faults that matter.
//
// Header-only; needs RapidCheck (Debian's librapidcheck-dev; link the
// `rapidcheck` target).

#ifndef SQSIM_TESTING_GENERATORS_H_
#define SQSIM_TESTING_GENERATORS_H_

#include <string>
#include <vector>

#include <rapidcheck.h>

#include "sqsim/fault.h"

namespace sqsim::testing {

// What generated rules may refer to.
struct FaultSpace {
  std::vector<std::string> points{};  // fault points in the code under test
  std::vector<std::string> queues{};  // queue names; empty: rules match any queue
  std::vector<Action> actions{Action::kSendMessage, Action::kReceiveMessage,
                              Action::kDeleteMessage};
  std::vector<ErrorCode> errors{ErrorCode::kRequestThrottled, ErrorCode::kInternalFailure,
                                ErrorCode::kServiceUnavailable, ErrorCode::kThrottlingException};
  // The batch calls whose entries fail-entries rules fail (empty: no such
  // rules).
  std::vector<Action> batch_actions{Action::kSendMessageBatch, Action::kDeleteMessageBatch,
                                    Action::kChangeMessageVisibilityBatch};
  // Whether to generate the scenario's process faults (crash, pause, stop
  // of a whole actor), at one of `points`, at a call point of one of
  // `actions` ("call:", "response:", "returned:"), or at any point; and the
  // actors they may name (empty: any actor).
  bool process_faults = false;
  std::vector<std::string> actors{};
  size_t max_rules = 4;
};

// Where a generated process fault may fire: "" (any point), the code's own
// points, and the call points of the space's actions.
inline std::vector<std::string> ProcessFaultPoints(const FaultSpace& space) {
  std::vector<std::string> points = {""};
  points.insert(points.end(), space.points.begin(), space.points.end());
  for (Action action : space.actions) {
    for (const char* step : {"call:", "response:", "returned:"}) {
      points.push_back(step + std::string(ActionName(action)));
    }
  }
  return points;
}

// One rule with id `id`: an error, a lost response, latency, failed batch
// entries, a duplicate delivery, a late visibility, a fault point, or (with
// `process_faults`) a crash, pause or stop of an actor; firing with a
// probability (<= 0.2) and sometimes on scheduled calls.
inline rc::Gen<FaultRule> GenFaultRule(std::string id, FaultSpace space) {
  std::vector<FaultEffect> effects = {FaultEffect::kError, FaultEffect::kLoseResponse,
                                      FaultEffect::kLatency, FaultEffect::kDuplicateDelivery,
                                      FaultEffect::kDelayVisibility};
  if (!space.batch_actions.empty()) effects.push_back(FaultEffect::kFailEntries);
  if (!space.points.empty()) effects.push_back(FaultEffect::kFaultPoint);
  if (space.process_faults) {
    effects.insert(effects.end(), {FaultEffect::kCrash, FaultEffect::kPause, FaultEffect::kStop});
  }
  return rc::gen::exec([id, space, effects] {
    FaultRule rule;
    rule.id = id;
    rule.effect = *rc::gen::elementOf(effects);
    const FaultSite site = FaultEffectSite(rule.effect);
    if (rule.effect == FaultEffect::kFaultPoint) {
      rule.point = *rc::gen::elementOf(space.points);
    } else if (rule.effect == FaultEffect::kFailEntries) {
      rule.action = *rc::gen::elementOf(space.batch_actions);
    } else if (site == FaultSite::kActor) {
      rule.point = *rc::gen::elementOf(ProcessFaultPoints(space));
      if (!space.actors.empty() && *rc::gen::arbitrary<bool>()) {
        rule.actor = *rc::gen::elementOf(space.actors);
      }
    } else if (site == FaultSite::kClientBoundary) {
      rule.action = *rc::gen::elementOf(space.actions);
    }
    if (!space.queues.empty() && *rc::gen::arbitrary<bool>()) {
      rule.queue = *rc::gen::elementOf(space.queues);
    }
    rule.probability = *rc::gen::inRange(0, 21) / 100.0;
    rule.on_calls = *rc::gen::container<std::vector<int64_t>>(*rc::gen::inRange<size_t>(0, 3),
                                                              rc::gen::inRange<int64_t>(1, 50));
    // Only the parameters the effect uses, so that a plan means one thing.
    if (rule.effect == FaultEffect::kError || rule.effect == FaultEffect::kFailEntries) {
      rule.error = *rc::gen::elementOf(space.errors);
    }
    if (rule.effect == FaultEffect::kFailEntries) {
      rule.entries = *rc::gen::container<std::vector<int>>(*rc::gen::inRange<size_t>(0, 3),
                                                           rc::gen::inRange(1, 11));
      rule.sender_fault = *rc::gen::arbitrary<bool>();
    }
    if (rule.effect == FaultEffect::kPause) {
      rule.pause = std::chrono::seconds(*rc::gen::inRange(1, 121));
    }
    if (rule.effect == FaultEffect::kLatency || rule.effect == FaultEffect::kDelayVisibility) {
      rule.latency = std::chrono::milliseconds(*rc::gen::inRange(0, 30000));
    }
    return rule;
  });
}

// A plan of 0..max_rules rules with distinct ids ("r0", "r1", ...).
inline rc::Gen<FaultPlan> GenFaultPlan(FaultSpace space) {
  return rc::gen::exec([space] {
    const size_t n = *rc::gen::inRange<size_t>(0, space.max_rules + 1);
    FaultPlan plan;
    for (size_t i = 0; i < n; ++i) {
      plan.rules.push_back(*GenFaultRule("r" + std::to_string(i), space));
    }
    return plan;
  });
}

// A producer workload: how many messages, how far apart, how many consumers.
struct Workload {
  int messages = 10;
  Duration spacing{};
  int consumers = 1;
};

inline rc::Gen<Workload> GenWorkload(int max_messages = 30, int max_consumers = 3) {
  return rc::gen::exec([max_messages, max_consumers] {
    return Workload{.messages = *rc::gen::inRange(1, max_messages + 1),
                    .spacing = std::chrono::milliseconds(*rc::gen::inRange(0, 5000)),
                    .consumers = *rc::gen::inRange(1, max_consumers + 1)};
  });
}

}  // namespace sqsim::testing

namespace rc {

// Lets RapidCheck print a plan in a counterexample.
template <>
struct Arbitrary<sqsim::FaultPlan> {
  static Gen<sqsim::FaultPlan> arbitrary() { return sqsim::testing::GenFaultPlan({}); }
};

}  // namespace rc

namespace sqsim {
inline void showValue(const FaultPlan& plan, std::ostream& os) { os << plan.ToJson(); }
}  // namespace sqsim

#endif  // SQSIM_TESTING_GENERATORS_H_
