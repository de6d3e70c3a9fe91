// FaultInjector: deterministic decisions over a FaultPlan.

#include <algorithm>

#include "sqsim/fault.h"

namespace sqsim {

std::string_view FaultEffectName(FaultEffect effect) {
  switch (effect) {
    case FaultEffect::kError:
      return "error";
    case FaultEffect::kLoseResponse:
      return "lose-response";
    case FaultEffect::kLatency:
      return "latency";
    case FaultEffect::kEmptyReceive:
      return "empty-receive";
    case FaultEffect::kDuplicateDelivery:
      return "duplicate-delivery";
    case FaultEffect::kDelayVisibility:
      return "delay-visibility";
    case FaultEffect::kReorder:
      return "reorder";
    case FaultEffect::kFaultPoint:
      return "fault-point";
  }
  return "?";
}

FaultInjector::FaultInjector(FaultPlan plan, uint64_t seed, Timestamp start)
    : plan_(std::move(plan)),
      rng_(SeededRng(seed).Fork("faults")),
      start_(start),
      calls_(plan_.rules.size(), 0) {
  for (const FaultRule& rule : plan_.rules) fired_.emplace(rule.id, 0);
}

bool FaultInjector::Has(FaultEffect effect) const {
  return std::any_of(plan_.rules.begin(), plan_.rules.end(),
                     [effect](const FaultRule& r) { return r.effect == effect; });
}

bool FaultInjector::Fires(size_t index, Timestamp now) {
  const FaultRule& rule = plan_.rules[index];
  const int64_t call = ++calls_[index];
  const Duration elapsed = now - start_;
  if (rule.after && elapsed < *rule.after) return false;
  if (rule.before && elapsed >= *rule.before) return false;
  if (rule.max_fires >= 0 && fired_[rule.id] >= rule.max_fires) return false;
  const bool scheduled =
      std::find(rule.on_calls.begin(), rule.on_calls.end(), call) != rule.on_calls.end();
  // Draw only for rules with a probability, so that adding a scheduled rule
  // does not shift the random stream of the others.
  const bool drawn = !scheduled && rule.probability > 0 && rng_->Bernoulli(rule.probability);
  if (!scheduled && !drawn) return false;
  ++fired_[rule.id];
  if (observer_) observer_(rule, now);
  return true;
}

const FaultRule* FaultInjector::Decide(std::initializer_list<FaultEffect> effects,
                                       std::optional<Action> action, std::string_view queue,
                                       Timestamp now) {
  if (!enabled_) return nullptr;
  const FaultRule* chosen = nullptr;
  for (size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (std::find(effects.begin(), effects.end(), rule.effect) == effects.end()) continue;
    if (rule.action && action != rule.action) continue;
    if (!rule.queue.empty() && rule.queue != queue) continue;
    // Every matching rule counts the call; the first that fires applies.
    if (Fires(i, now) && chosen == nullptr) chosen = &rule;
  }
  return chosen;
}

bool FaultInjector::FaultPoint(std::string_view point, Timestamp now) {
  if (!enabled_) return false;
  bool fired = false;
  for (size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (rule.effect != FaultEffect::kFaultPoint || rule.point != point) continue;
    fired = Fires(i, now) || fired;
  }
  return fired;
}

std::vector<std::string> FaultInjector::NeverFired() const {
  std::vector<std::string> ids;
  for (const FaultRule& rule : plan_.rules) {
    if (fired_.at(rule.id) == 0) ids.push_back(rule.id);
  }
  return ids;
}

}  // namespace sqsim
