// The fault -> trace observer every host installs: each fault that fires is
// recorded in the trace, labelled "fault:<rule id>". One function, so the
// Simulator, the ThreadedSimulator and sqsim-server record faults alike.

#ifndef SQSIM_SIM_FAULT_TRACE_H_
#define SQSIM_SIM_FAULT_TRACE_H_

#include "sqsim/fault.h"
#include "sqsim/trace.h"

namespace sqsim::internal {

// Makes `injector` append a kFault event to `trace` for every fault it
// fires (replacing any observer it had). REQUIRES: `trace` outlives every
// later decision of `injector`.
void RecordFaultsInTrace(FaultInjector& injector, Trace& trace);

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_FAULT_TRACE_H_
