// FaultInjectingClient: a Client decorator that injects API faults.
//
// It wraps any Client — the Simulator, or the real-AWS adapter — and applies
// the client-boundary effects of a FaultInjector's plan to every call:
//
//   kError          the call fails with the rule's error (throttling,
//                   InternalFailure, ServiceUnavailable, ...) and never
//                   reaches the target;
//   kLoseResponse   the call reaches the target and takes effect, then the
//                   caller gets kTimeout: the response was lost. This is how
//                   real-world duplicate sends happen;
//   kLatency        the call starts `latency` late (co_await env.Sleep in the
//                   coroutine form; the options' blocking_sleep in the
//                   blocking form);
//   kEmptyReceive   a ReceiveMessage returns no messages without reaching the
//                   target.
//
// Injected errors carry Status::injected(), so a test can tell a planned
// fault from a bug. Rules match on the action and on the queue's name (taken
// from the request's QueueUrl, QueueName or SourceArn).
//
//   auto sim = Simulator::Create({.seed = seed, .faults = plan}).value();
//   std::unique_ptr<FaultInjectingClient> client = sim->NewFaultInjectingClient();
//   consumer.Run(*client);  // sees throttling, lost responses, latency
//
// (Simulator::NewFaultInjectingClient and its ThreadedSimulator twin wire
// target, injector, env, sleep and lock; build one by hand only to wrap
// another Client, such as an AwsClient.)
//
// Thread safety: as safe as its target and injector (the simulator's are
// single-threaded).

#ifndef SQSIM_FAULT_CLIENT_H_
#define SQSIM_FAULT_CLIENT_H_

#include <functional>
#include <mutex>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/fault.h"

namespace sqsim {

struct FaultClientOptions {
  // The client calls go to. Must outlive the decorator.
  Client* target = nullptr;
  // Decides the faults. Must outlive the decorator.
  FaultInjector* injector = nullptr;
  // Time (rule windows) and Sleep (latency in the coroutine form). Must
  // outlive the decorator.
  Env* env = nullptr;
  // How the blocking form waits out injected latency; unset: latency is not
  // applied to blocking calls. Default: unset.
  std::function<void(Duration)> blocking_sleep{};
  // How long an injected error or empty receive takes to come back. A real
  // failed call still costs a round trip, and in virtual time a consumer
  // that retries at once would otherwise spin forever at one instant.
  // Default: 10 ms.
  Duration fault_round_trip = std::chrono::milliseconds(10);
  // When set, held around every use of the injector (a ThreadedSimulator's
  // faults_mutex()). Default: none (single-threaded use).
  std::mutex* injector_mutex = nullptr;
};

class FaultInjectingClient final : public Client {
 public:
  // REQUIRES: options.target, options.injector and options.env are set.
  explicit FaultInjectingClient(FaultClientOptions options);

#define SQSIM_FAULT_CLIENT_DECLARE(Name)                              \
  Result<Name##Response> Name(const Name##Request& request) override; \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_FAULT_CLIENT_DECLARE)
#undef SQSIM_FAULT_CLIENT_DECLARE

 private:
  // The client-boundary fault that fires for this call, if any.
  const FaultRule* Decide(Action action, std::string_view queue);

  FaultClientOptions options_;
};

}  // namespace sqsim

#endif  // SQSIM_FAULT_CLIENT_H_
