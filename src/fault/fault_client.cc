// FaultInjectingClient: client-boundary faults around any Client.

#include "sqsim/fault_client.h"

#include <string_view>

#include "fault/request_queue_name.h"

namespace sqsim {
namespace {

using internal::QueueNameOf;

Status InjectedError(const FaultRule& rule, std::string_view action) {
  return Status(rule.error, "injected fault '" + rule.id + "' on " + std::string(action))
      .set_injected();
}

Status LostResponse(const FaultRule& rule, std::string_view action) {
  return Status(ErrorCode::kTimeout, "injected fault '" + rule.id + "': the response to " +
                                         std::string(action) +
                                         " was lost; the action may have taken effect")
      .set_injected();
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
  return options_.injector->Decide({FaultEffect::kError, FaultEffect::kLoseResponse,
                                    FaultEffect::kLatency, FaultEffect::kEmptyReceive},
                                   action, queue, options_.env->Now());
}

// Each action: ask the injector which client-boundary fault (if any) fires,
// then fail early, delay, call through, or call through and lose the answer.
#define SQSIM_FAULT_CLIENT_DEFINE(Name)                                                      \
  Result<Name##Response> FaultInjectingClient::Name(const Name##Request& request) {          \
    const FaultRule* rule = Decide(Action::k##Name, QueueNameOf(request));                   \
    if (rule != nullptr) {                                                                   \
      switch (rule->effect) {                                                                \
        case FaultEffect::kError:                                                            \
          if (options_.blocking_sleep) options_.blocking_sleep(options_.fault_round_trip);   \
          return InjectedError(*rule, #Name);                                                \
        case FaultEffect::kEmptyReceive:                                                     \
          if constexpr (std::is_same_v<Name##Response, ReceiveMessageResponse>) {            \
            if (options_.blocking_sleep) options_.blocking_sleep(options_.fault_round_trip); \
            return Name##Response{};                                                         \
          }                                                                                  \
          break;                                                                             \
        case FaultEffect::kLatency:                                                          \
          if (options_.blocking_sleep) options_.blocking_sleep(rule->latency);               \
          break;                                                                             \
        case FaultEffect::kLoseResponse: {                                                   \
          Result<Name##Response> ignored = options_.target->Name(request);                   \
          (void)ignored;                                                                     \
          return LostResponse(*rule, #Name);                                                 \
        }                                                                                    \
        default:                                                                             \
          break;                                                                             \
      }                                                                                      \
    }                                                                                        \
    return options_.target->Name(request);                                                   \
  }                                                                                          \
                                                                                             \
  boost::asio::awaitable<Result<Name##Response>> FaultInjectingClient::Async##Name(          \
      Name##Request request) {                                                               \
    const FaultRule* rule = Decide(Action::k##Name, QueueNameOf(request));                   \
    if (rule != nullptr) {                                                                   \
      switch (rule->effect) {                                                                \
        case FaultEffect::kError:                                                            \
          co_await options_.env->Sleep(options_.fault_round_trip);                           \
          co_return InjectedError(*rule, #Name);                                             \
        case FaultEffect::kEmptyReceive:                                                     \
          if constexpr (std::is_same_v<Name##Response, ReceiveMessageResponse>) {            \
            co_await options_.env->Sleep(options_.fault_round_trip);                         \
            co_return Name##Response{};                                                      \
          }                                                                                  \
          break;                                                                             \
        case FaultEffect::kLatency:                                                          \
          co_await options_.env->Sleep(rule->latency);                                       \
          break;                                                                             \
        case FaultEffect::kLoseResponse: {                                                   \
          Result<Name##Response> ignored = co_await options_.target->Async##Name(request);   \
          (void)ignored;                                                                     \
          co_return LostResponse(*rule, #Name);                                              \
        }                                                                                    \
        default:                                                                             \
          break;                                                                             \
      }                                                                                      \
    }                                                                                        \
    co_return co_await options_.target->Async##Name(std::move(request));                     \
  }

SQSIM_FOR_EACH_ACTION(SQSIM_FAULT_CLIENT_DEFINE)
#undef SQSIM_FAULT_CLIENT_DEFINE

}  // namespace sqsim
