// FaultInjector: deterministic decisions over a FaultPlan.

#include <algorithm>

#include "sqsim/fault.h"

namespace sqsim {

std::string_view FaultEffectName(FaultEffect effect) {
  switch (effect) {
#define SQSIM_FAULT_EFFECT_NAME(Name, json, where) \
  case FaultEffect::k##Name:                       \
    return json;
    SQSIM_FOR_EACH_FAULT_EFFECT(SQSIM_FAULT_EFFECT_NAME)
#undef SQSIM_FAULT_EFFECT_NAME
  }
  return "?";
}

FaultSite FaultEffectSite(FaultEffect effect) {
  switch (effect) {
#define SQSIM_FAULT_EFFECT_SITE(Name, json, where) \
  case FaultEffect::k##Name:                       \
    return FaultSite::where;
    SQSIM_FOR_EACH_FAULT_EFFECT(SQSIM_FAULT_EFFECT_SITE)
#undef SQSIM_FAULT_EFFECT_SITE
  }
  return FaultSite::kUserCode;
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

template <typename EffectMatches>
const FaultRule* FaultInjector::DecideAmong(EffectMatches effect_matches,
                                            std::optional<Action> action, std::string_view queue,
                                            Timestamp now) {
  if (!enabled_) return nullptr;
  const FaultRule* chosen = nullptr;
  for (size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (!effect_matches(rule.effect)) continue;
    if (rule.action && action != rule.action) continue;
    if (!rule.queue.empty() && rule.queue != queue) continue;
    // Every matching rule counts the call; the first that fires applies.
    if (Fires(i, now) && chosen == nullptr) chosen = &rule;
  }
  return chosen;
}

const FaultRule* FaultInjector::Decide(std::initializer_list<FaultEffect> effects,
                                       std::optional<Action> action, std::string_view queue,
                                       Timestamp now) {
  return DecideAmong(
      [effects](FaultEffect e) {
        return std::find(effects.begin(), effects.end(), e) != effects.end();
      },
      action, queue, now);
}

const FaultRule* FaultInjector::Decide(FaultSite site, std::optional<Action> action,
                                       std::string_view queue, Timestamp now) {
  return DecideAmong([site](FaultEffect e) { return FaultEffectSite(e) == site; }, action, queue,
                     now);
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

const FaultRule* FaultInjector::DecideAtActorPoint(std::string_view point, std::string_view actor,
                                                   Timestamp now) {
  if (!enabled_) return nullptr;
  const FaultRule* chosen = nullptr;
  for (size_t i = 0; i < plan_.rules.size(); ++i) {
    const FaultRule& rule = plan_.rules[i];
    if (FaultEffectSite(rule.effect) != FaultSite::kActor) continue;
    if (!rule.point.empty() && rule.point != point) continue;
    if (!rule.actor.empty() && rule.actor != actor) continue;
    if (Fires(i, now) && chosen == nullptr) chosen = &rule;
  }
  return chosen;
}

std::vector<std::string> FaultInjector::NeverFired() const {
  std::vector<std::string> ids;
  for (const FaultRule& rule : plan_.rules) {
    if (fired_.at(rule.id) == 0) ids.push_back(rule.id);
  }
  return ids;
}

}  // namespace sqsim
