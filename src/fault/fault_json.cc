// FaultPlan <-> JSON (nlohmann/json, private to this file).

#include <set>

#include <nlohmann/json.hpp>

#include "sqsim/fault.h"

namespace sqsim {
namespace {

using Json = nlohmann::ordered_json;

constexpr FaultEffect kEffects[] = {
#define SQSIM_FAULT_EFFECT_VALUE(Name, json, where) FaultEffect::k##Name,
    SQSIM_FOR_EACH_FAULT_EFFECT(SQSIM_FAULT_EFFECT_VALUE)
#undef SQSIM_FAULT_EFFECT_VALUE
};

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kInvalidParameterValue, "invalid fault plan: " + what);
}

int64_t Millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// Reads an optional member of type T into *out; false (with *error set)
// when present with the wrong type.
template <typename T>
bool Read(const Json& o, const char* key, T* out, std::string* error) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  try {
    *out = it->get<T>();
    return true;
  } catch (const nlohmann::json::exception&) {
    *error = std::string("member '") + key + "' has the wrong type";
    return false;
  }
}

Result<FaultRule> ParseRule(const Json& o, size_t index) {
  const std::string where = "rules[" + std::to_string(index) + "]";
  if (!o.is_object()) return Invalid(where + " is not an object");
  FaultRule rule;
  std::string error, effect, action, error_code;
  int64_t latency_ms = -1, pause_ms = -1, after_ms = -1, before_ms = -1;
  if (!Read(o, "id", &rule.id, &error) || !Read(o, "effect", &effect, &error) ||
      !Read(o, "action", &action, &error) || !Read(o, "queue", &rule.queue, &error) ||
      !Read(o, "point", &rule.point, &error) || !Read(o, "actor", &rule.actor, &error) ||
      !Read(o, "pause_ms", &pause_ms, &error) ||
      !Read(o, "probability", &rule.probability, &error) ||
      !Read(o, "on_calls", &rule.on_calls, &error) || !Read(o, "after_ms", &after_ms, &error) ||
      !Read(o, "before_ms", &before_ms, &error) || !Read(o, "max_fires", &rule.max_fires, &error) ||
      !Read(o, "error", &error_code, &error) || !Read(o, "latency_ms", &latency_ms, &error) ||
      !Read(o, "entries", &rule.entries, &error) ||
      !Read(o, "sender_fault", &rule.sender_fault, &error)) {
    return Invalid(where + ": " + error);
  }
  if (rule.id.empty()) return Invalid(where + " has no id");
  bool known = false;
  for (FaultEffect e : kEffects) {
    if (FaultEffectName(e) == effect) {
      rule.effect = e;
      known = true;
    }
  }
  if (!known) return Invalid(where + ": unknown effect '" + effect + "'");
  if (!action.empty()) {
    rule.action = ActionFromName(action);
    if (!rule.action) return Invalid(where + ": unknown action '" + action + "'");
  }
  if (!error_code.empty()) {
    std::optional<ErrorCode> code = ErrorCodeFromWireName(error_code);
    if (!code) return Invalid(where + ": unknown error '" + error_code + "'");
    rule.error = *code;
  }
  if (!(rule.probability >= 0 && rule.probability <= 1)) {
    return Invalid(where + ": probability must be in [0, 1]");
  }
  if (latency_ms >= 0) rule.latency = std::chrono::milliseconds(latency_ms);
  if (pause_ms >= 0) rule.pause = std::chrono::milliseconds(pause_ms);
  if (after_ms >= 0) rule.after = std::chrono::milliseconds(after_ms);
  if (before_ms >= 0) rule.before = std::chrono::milliseconds(before_ms);
  for (int position : rule.entries) {
    if (position < 1) return Invalid(where + ": entries are 1-based positions in the batch");
  }
  if (rule.effect == FaultEffect::kFaultPoint && rule.point.empty()) {
    return Invalid(where + ": a fault-point rule needs a point");
  }
  if (rule.effect == FaultEffect::kPause && rule.pause <= Duration::zero()) {
    return Invalid(where + ": a pause rule needs a positive pause_ms");
  }
  return rule;
}

}  // namespace

std::string FaultPlan::ToJson() const {
  Json rules_json = Json::array();
  const FaultRule defaults;
  for (const FaultRule& r : rules) {
    Json o = Json::object();
    o["id"] = r.id;
    o["effect"] = std::string(FaultEffectName(r.effect));
    if (r.action) o["action"] = std::string(ActionName(*r.action));
    if (!r.queue.empty()) o["queue"] = r.queue;
    if (!r.point.empty()) o["point"] = r.point;
    if (!r.actor.empty()) o["actor"] = r.actor;
    if (r.probability != 0) o["probability"] = r.probability;
    if (!r.on_calls.empty()) o["on_calls"] = r.on_calls;
    if (r.after) o["after_ms"] = Millis(*r.after);
    if (r.before) o["before_ms"] = Millis(*r.before);
    if (r.max_fires != defaults.max_fires) o["max_fires"] = r.max_fires;
    if (r.effect == FaultEffect::kError || r.effect == FaultEffect::kFailEntries) {
      o["error"] = std::string(GetErrorInfo(r.error).name);
    }
    if (!r.entries.empty()) o["entries"] = r.entries;
    if (r.sender_fault) o["sender_fault"] = true;
    if (r.latency != Duration::zero()) o["latency_ms"] = Millis(r.latency);
    if (r.pause != Duration::zero()) o["pause_ms"] = Millis(r.pause);
    rules_json.push_back(std::move(o));
  }
  return Json::object({{"rules", std::move(rules_json)}}).dump();
}

Result<FaultPlan> FaultPlan::FromJson(std::string_view text) {
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return Invalid("not a JSON object");
  auto rules = doc.find("rules");
  if (rules == doc.end() || !rules->is_array()) return Invalid("'rules' must be an array");
  FaultPlan plan;
  std::set<std::string> ids;
  for (size_t i = 0; i < rules->size(); ++i) {
    Result<FaultRule> rule = ParseRule((*rules)[i], i);
    if (!rule.ok()) return rule.status();
    if (!ids.insert(rule->id).second) return Invalid("duplicate rule id '" + rule->id + "'");
    plan.rules.push_back(std::move(rule).value());
  }
  return plan;
}

}  // namespace sqsim
