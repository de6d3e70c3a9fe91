// ClientFault: what a client-boundary fault does to one call, decided in one
// place for every caller that applies it (FaultInjectingClient, blocking and
// coroutine forms, and sqsim-server's router).
//
// The client-boundary effects are kError (the call fails without reaching
// SQS), kEmptyReceive (a receive answers no messages without reaching SQS),
// kLatency (the call reaches SQS later), kLoseResponse (the call reaches
// SQS, its answer never reaches the caller) and kFailEntries (some entries of
// a batch fail without reaching SQS; the others go through). A new client-boundary effect is
// one line in SQSIM_FOR_EACH_FAULT_EFFECT (sqsim/fault.h) and its case in
// PlanClientFault; only an effect that needs a new Outcome also needs a case
// in the two appliers' switch over it (fault_client.cc, server/router.cc).
//
// Thread safety: plain functions and values.

#ifndef SQSIM_FAULT_CLIENT_FAULT_H_
#define SQSIM_FAULT_CLIENT_FAULT_H_

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    kFailEntries,   // a batch call: fail `entries` with `error`, call with the rest
  };
  Outcome outcome = Outcome::kCallThrough;
  // Wait this long before anything else: a round trip for an answer that
  // never reaches SQS, the rule's latency for kLatency; nullopt: no wait at
  // all (which, in virtual time, is not the same as a wait of zero: a wait
  // lets other actors run first).
  std::optional<Duration> wait{};
  Status error{};
  // kFailEntries: 1-based positions (empty: all) and the entries' SenderFault.
  std::vector<int> entries{};
  bool sender_fault = false;
};

// kFailEntries, for any batch request: takes the failing entries out of
// `request` and returns them as the response's failed entries. A batch SQS
// would reject as a whole (no entries, more than 10, repeated ids) is left
// alone, so that it still gets its own error: SQS fails single entries only
// of a batch it accepted.
template <typename BatchRequest>
std::vector<BatchResultErrorEntry> TakeFailedEntries(const ClientFault& fault,
                                                     BatchRequest& request) {
  std::vector<BatchResultErrorEntry> failed;
  constexpr size_t kMaxBatchEntries = 10;
  if (request.entries.empty() || request.entries.size() > kMaxBatchEntries) return failed;
  for (size_t i = 0; i < request.entries.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (request.entries[i].id == request.entries[j].id) return failed;
    }
  }
  decltype(request.entries) kept;
  for (size_t i = 0; i < request.entries.size(); ++i) {
    const bool fails =
        fault.entries.empty() || std::find(fault.entries.begin(), fault.entries.end(),
                                           static_cast<int>(i + 1)) != fault.entries.end();
    if (!fails) {
      kept.push_back(std::move(request.entries[i]));
      continue;
    }
    failed.push_back({.id = request.entries[i].id,
                      .sender_fault = fault.sender_fault,
                      .code = std::string(GetErrorInfo(fault.error.code()).name),
                      .message = fault.error.message()});
  }
  request.entries = std::move(kept);
  return failed;
}

// Adds the entries TakeFailedEntries took to the answer of the call made
// with the others (or to an empty answer when none was left to call with).
template <typename BatchResponse>
Result<BatchResponse> AddFailedEntries(Result<BatchResponse> answer,
                                       std::vector<BatchResultErrorEntry> failed) {
  if (!answer.ok()) return answer;
  for (BatchResultErrorEntry& entry : failed) answer->failed.push_back(std::move(entry));
  return answer;
}

// What `rule` (nullptr: none fired) does to a call of `action`. `round_trip`
// is what an answer that never reaches SQS costs the caller. kEmptyReceive
// applies to ReceiveMessage only; other actions call through.
ClientFault PlanClientFault(const FaultRule* rule, Action action, Duration round_trip);

}  // namespace sqsim::internal

#endif  // SQSIM_FAULT_CLIENT_FAULT_H_
