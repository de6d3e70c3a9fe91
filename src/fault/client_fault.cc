#include "fault/client_fault.h"

#include <string>

namespace sqsim::internal {

ClientFault PlanClientFault(const FaultRule* rule, Action action, Duration round_trip) {
  ClientFault fault;
  if (rule == nullptr) return fault;
  const std::string name(ActionName(action));
  switch (rule->effect) {
    case FaultEffect::kError:
      fault.outcome = ClientFault::Outcome::kFail;
      fault.wait = round_trip;
      fault.error =
          Status(rule->error, "injected fault '" + rule->id + "' on " + name).set_injected();
      break;
    case FaultEffect::kEmptyReceive:
      if (action != Action::kReceiveMessage) break;
      fault.outcome = ClientFault::Outcome::kEmptyReceive;
      fault.wait = round_trip;
      break;
    case FaultEffect::kLatency:
      fault.wait = rule->latency;
      break;
    case FaultEffect::kLoseResponse:
      fault.outcome = ClientFault::Outcome::kLoseResponse;
      fault.error =
          Status(ErrorCode::kTimeout, "injected fault '" + rule->id + "': the response to " + name +
                                          " was lost; the action may have taken effect")
              .set_injected();
      break;
    case FaultEffect::kFailEntries:
      if (action != Action::kSendMessageBatch && action != Action::kDeleteMessageBatch &&
          action != Action::kChangeMessageVisibilityBatch) {
        break;
      }
      fault.outcome = ClientFault::Outcome::kFailEntries;
      fault.error = Status(rule->error, "injected fault '" + rule->id + "' on an entry of " + name)
                        .set_injected();
      fault.entries = rule->entries;
      fault.sender_fault = rule->sender_fault;
      break;
    default:  // not a client-boundary effect
      break;
  }
  return fault;
}

}  // namespace sqsim::internal
