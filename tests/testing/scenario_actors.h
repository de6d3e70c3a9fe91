// Small actors the harness's own tests share.

#ifndef SQSIM_TESTS_TESTING_SCENARIO_ACTORS_H_
#define SQSIM_TESTS_TESTING_SCENARIO_ACTORS_H_

#include <string>

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {

// Sends one message and records it as value `body`.
inline Actor SendOne(std::string queue, std::string body) {
  return [queue, body](ActorContext& ctx) -> boost::asio::awaitable<void> {
    SendMessageRequest send{.queue_url = ctx.url(queue), .message_body = body};
    (void)co_await ctx.Send(send, body);
  };
}

// Receives, processes and deletes from `queue` until the run stops; when
// `crash_point` is set, crashes there (between processing and deleting)
// whenever the fault plan says so.
inline Actor ConsumeAndDelete(std::string queue, std::string crash_point = "") {
  return [queue, crash_point](ActorContext& ctx) -> boost::asio::awaitable<void> {
    while (!ctx.stopping()) {
      ReceiveMessageRequest receive{.queue_url = ctx.url(queue), .wait_time_seconds = 20};
      auto got = co_await ctx.Receive(receive);
      if (!got.ok()) continue;
      for (const Message& m : got->messages) {
        ctx.Processed(queue, m);
        if (!crash_point.empty()) ctx.MaybeCrash(crash_point);
        (void)co_await ctx.Delete(queue, m);
      }
    }
  };
}

}  // namespace sqsim::testing

#endif  // SQSIM_TESTS_TESTING_SCENARIO_ACTORS_H_
