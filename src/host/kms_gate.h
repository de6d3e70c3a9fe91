// HostKmsGate: SQS's use of a queue's KMS key, for the engine (KmsGate in
// sim/engine.h), over the simulator's key registry (sqsim/kms.h).
//
// SQS reuses a data key for KmsDataKeyReusePeriodSeconds per queue, key,
// principal and direction; only when none is cached does it call KMS, and
// only then can the key's state, its policy or a kKmsThrottle fault fail the
// call. The principal is the one the host's current call is made as (the
// simulator's own calls share one cache entry and skip the key policy).
//
// Thread safety: none; the host serialises calls.

#ifndef SQSIM_HOST_KMS_GATE_H_
#define SQSIM_HOST_KMS_GATE_H_

#include <map>
#include <string>
#include <tuple>

#include "host/authorizer.h"
#include "sim/engine.h"
#include "sqsim/fault.h"
#include "sqsim/iam.h"
#include "sqsim/kms.h"

namespace sqsim::internal {

class HostKmsGate final : public KmsGate {
 public:
  HostKmsGate(kms::KeyRegistry& keys, Authorizer& authorizer, FaultInjector& injector)
      : keys_(keys), authorizer_(authorizer), injector_(injector) {}

  // The principal of the call being made (nullptr: the host itself). Set by
  // the host around each engine call.
  void set_caller(const iam::Caller* caller) { caller_ = caller; }

  Status UseKey(const Queue& q, kms::DataKeyUse use, Action action, Timestamp now) override;

 private:
  kms::KeyRegistry& keys_;
  Authorizer& authorizer_;
  FaultInjector& injector_;
  const iam::Caller* caller_ = nullptr;
  // (queue ARN, key, principal, use) -> when the cached data key's reuse
  // period ends.
  std::map<std::tuple<std::string, std::string, std::string, kms::DataKeyUse>, Timestamp> cache_;
};

// Sets the gate's caller for as long as it lives.
class ScopedKmsCaller {
 public:
  ScopedKmsCaller(HostKmsGate& gate, const iam::Caller* caller) : gate_(gate) {
    gate_.set_caller(caller);
  }
  ~ScopedKmsCaller() { gate_.set_caller(nullptr); }
  ScopedKmsCaller(const ScopedKmsCaller&) = delete;
  ScopedKmsCaller& operator=(const ScopedKmsCaller&) = delete;

 private:
  HostKmsGate& gate_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_HOST_KMS_GATE_H_
