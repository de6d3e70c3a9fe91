// FaultInjectingClient: client-boundary faults around any Client.

#include "sqsim/fault_client.h"

#include <string_view>

#include "fault/client_fault.h"
#include "fault/request_queue_name.h"

namespace sqsim {
namespace {

using internal::ClientFault;
using internal::QueueNameOf;

// Applies `fault` around `call` (which calls the target) for the blocking
// form: wait, then answer without calling, or call and answer (or lose) the
// result.
template <typename Response, typename Request>
Result<Response> ApplyBlocking(const FaultClientOptions& options, const ClientFault& fault,
                               const Request& request,
                               Result<Response> (Client::*method)(const Request&)) {
  auto call = [&] { return (options.target->*method)(request); };
  if (fault.wait && options.blocking_sleep) options.blocking_sleep(*fault.wait);
  switch (fault.outcome) {
    case ClientFault::Outcome::kFail:
      return fault.error;
    case ClientFault::Outcome::kEmptyReceive:
      return Response{};
    case ClientFault::Outcome::kLoseResponse: {
      Result<Response> lost = call();
      (void)lost;  // it took effect; the caller never hears of it
      return fault.error;
    }
    case ClientFault::Outcome::kFailEntries:
      if constexpr (requires { request.entries; }) {
        Request kept = request;
        std::vector<BatchResultErrorEntry> failed = internal::TakeFailedEntries(fault, kept);
        return internal::AddFailedEntries(kept.entries.empty() && !failed.empty()
                                              ? Result<Response>(Response{})
                                              : (options.target->*method)(kept),
                                          std::move(failed));
      }
      break;
    case ClientFault::Outcome::kCallThrough:
      break;
  }
  return call();
}

// The same for the coroutine form; `method` is the target's Async* member.
template <typename Response, typename Request>
boost::asio::awaitable<Result<Response>> ApplyAsync(
    const FaultClientOptions& options, ClientFault fault, Request request,
    boost::asio::awaitable<Result<Response>> (Client::*method)(Request)) {
  if (fault.wait) co_await options.env->Sleep(*fault.wait);
  switch (fault.outcome) {
    case ClientFault::Outcome::kFail:
      co_return fault.error;
    case ClientFault::Outcome::kEmptyReceive:
      co_return Response{};
    case ClientFault::Outcome::kLoseResponse: {
      Result<Response> lost = co_await (options.target->*method)(std::move(request));
      (void)lost;  // it took effect; the caller never hears of it
      co_return fault.error;
    }
    case ClientFault::Outcome::kFailEntries:
      if constexpr (requires { request.entries; }) {
        std::vector<BatchResultErrorEntry> failed = internal::TakeFailedEntries(fault, request);
        Result<Response> answer = Response{};
        if (!request.entries.empty() || failed.empty()) {
          answer = co_await (options.target->*method)(std::move(request));
        }
        co_return internal::AddFailedEntries(std::move(answer), std::move(failed));
      }
      break;
    case ClientFault::Outcome::kCallThrough:
      break;
  }
  co_return co_await (options.target->*method)(std::move(request));
}

}  // namespace

FaultInjectingClient::FaultInjectingClient(FaultClientOptions options)
    : options_(std::move(options)) {
  SQSIM_ASSERT(
      options_.target != nullptr && options_.injector != nullptr && options_.env != nullptr,
      "FaultInjectingClient needs a target, an injector and an env");
}

const FaultRule* FaultInjectingClient::Decide(Action action, std::string_view queue) {
  std::unique_lock<std::mutex> lock;
  if (options_.injector_mutex != nullptr)
    lock = std::unique_lock<std::mutex>(*options_.injector_mutex);
  return options_.injector->Decide(FaultSite::kClientBoundary, action, queue, options_.env->Now());
}

// Each action decides its fault (PlanClientFault) and applies it; the macro
// only stamps out the 46 member definitions.
#define SQSIM_FAULT_CLIENT_DEFINE(Name)                                                           \
  Result<Name##Response> FaultInjectingClient::Name(const Name##Request& request) {               \
    const ClientFault fault =                                                                     \
        internal::PlanClientFault(Decide(Action::k##Name, QueueNameOf(request)), Action::k##Name, \
                                  options_.fault_round_trip);                                     \
    return ApplyBlocking<Name##Response>(options_, fault, request, &Client::Name);                \
  }                                                                                               \
  boost::asio::awaitable<Result<Name##Response>> FaultInjectingClient::Async##Name(               \
      Name##Request request) {                                                                    \
    /* Decided when the caller first awaits, as every other client's call. */                     \
    const ClientFault fault =                                                                     \
        internal::PlanClientFault(Decide(Action::k##Name, QueueNameOf(request)), Action::k##Name, \
                                  options_.fault_round_trip);                                     \
    co_return co_await ApplyAsync<Name##Response>(options_, fault, std::move(request),            \
                                                  &Client::Async##Name);                          \
  }

SQSIM_FOR_EACH_ACTION(SQSIM_FAULT_CLIENT_DEFINE)
#undef SQSIM_FAULT_CLIENT_DEFINE

}  // namespace sqsim
