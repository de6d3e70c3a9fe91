#include "sim/fault_trace.h"

#include <map>
#include <memory>
#include <string>

namespace sqsim::internal {

void RecordFaultsInTrace(FaultInjector& injector, Trace& trace) {
  // Each rule's label is interned once, the first time the rule fires.
  auto labels = std::make_shared<std::map<std::string, uint32_t>>();
  injector.set_observer([&trace, labels](const FaultRule& rule, Timestamp at) {
    auto [it, inserted] = labels->emplace(rule.id, 0);
    if (inserted) it->second = trace.InternQueue("fault:" + rule.id);
    trace.Append({.time = at,
                  .kind = TraceKind::kFault,
                  .action = Action::kReceiveMessage,
                  .code = rule.effect == FaultEffect::kError ? rule.error : ErrorCode::kOk,
                  .queue = it->second,
                  .value = static_cast<int64_t>(rule.effect)});
  });
}

}  // namespace sqsim::internal
