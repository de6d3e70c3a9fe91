// ClientFault: what a client-boundary fault does to one call, decided in one
// place for every caller that applies it (FaultInjectingClient, blocking and
// coroutine forms, and sqsim-server's router).
//
// The client-boundary effects are kError (the call fails without reaching
// SQS), kEmptyReceive (a receive answers no messages without reaching SQS),
// kLatency (the call reaches SQS later) and kLoseResponse (the call reaches
// SQS, its answer never reaches the caller). A new client-boundary effect is
// one line in SQSIM_FOR_EACH_FAULT_EFFECT (sqsim/fault.h) and its case in
// PlanClientFault; only an effect that needs a new Outcome also needs a case
// in the two appliers' switch over it (fault_client.cc, server/router.cc).
//
// Thread safety: plain functions and values.

#ifndef SQSIM_FAULT_CLIENT_FAULT_H_
#define SQSIM_FAULT_CLIENT_FAULT_H_

#include <optional>
#include <string_view>

#include "sqsim/actions.h"
#include "sqsim/fault.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

struct ClientFault {
  enum class Outcome {
    kCallThrough,   // no fault, or kLatency: the call reaches SQS
    kFail,          // kError: answer `error` without calling
    kEmptyReceive,  // answer a ReceiveMessage with no messages without calling
    kLoseResponse,  // call, then lose the answer (`error` is what a client sees)
  };
  Outcome outcome = Outcome::kCallThrough;
  // Wait this long before anything else: a round trip for an answer that
  // never reaches SQS, the rule's latency for kLatency; nullopt: no wait at
  // all (which, in virtual time, is not the same as a wait of zero: a wait
  // lets other actors run first).
  std::optional<Duration> wait{};
  Status error{};
};

// What `rule` (nullptr: none fired) does to a call of `action`. `round_trip`
// is what an answer that never reaches SQS costs the caller. kEmptyReceive
// applies to ReceiveMessage only; other actions call through.
ClientFault PlanClientFault(const FaultRule* rule, Action action, Duration round_trip);

}  // namespace sqsim::internal

#endif  // SQSIM_FAULT_CLIENT_FAULT_H_
