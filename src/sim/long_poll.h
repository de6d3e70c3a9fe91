// LongPoll: the ReceiveMessage long-poll protocol, once for every host.
//
// A receive that finds nothing may wait up to its WaitTimeSeconds. What it
// waits for is the earlier of its deadline and the next time-driven change
// of its queue (a delay or visibility timeout ending, a move task acting),
// or an earlier wake-up by a call that touched the queue. Host::Wait
// (host/host.h) runs the loop:
//
//   while (!poll.Done(now)) {
//     <wait until poll.NextLook(now), or until poll.queue_id() is touched>;
//     now = <the host's current time>;
//     poll.LookAgain(now);
//   }
//
// Thread safety: none; the host serialises engine access.

#ifndef SQSIM_SIM_LONG_POLL_H_
#define SQSIM_SIM_LONG_POLL_H_

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "sim/engine.h"
#include "sqsim/iam.h"

namespace sqsim::internal {

class LongPoll {
 public:
  // Lets running move tasks catch up to `now`, then makes the first attempt.
  // REQUIRES: `engine` and `request` outlive the poll.
  // `caller` (may be null) is the principal the receive is made as; the poll
  // only keeps it for the host. REQUIRES: it outlives the poll.
  LongPoll(Engine& engine, const ReceiveMessageRequest& request, Timestamp now,
           const iam::Caller* caller = nullptr)
      : engine_(engine), request_(request), caller_(caller) {
    engine_.CatchUp(now);
    attempt_ = engine_.ReceiveMessage(request_, now);
    deadline_ = now + std::chrono::seconds(attempt_.wait_seconds);
  }

  // A receive refused before it looked (AccessDenied): over at once, with
  // `error`.
  LongPoll(Engine& engine, const ReceiveMessageRequest& request, Timestamp now, Status error)
      : engine_(engine), request_(request), deadline_(now) {
    attempt_.result = std::move(error);
  }

  // Over: an error, some messages, or the wait ended (a short poll is over
  // after its first attempt).
  bool Done(Timestamp now) const {
    return !attempt_.result.ok() || !attempt_.result->messages.empty() || now >= deadline_;
  }

  // When to look again if nothing touches the queue first: the earlier of
  // the deadline and the queue's next time-driven change. A change at or
  // before `now` has already been applied (the engine catches up before
  // every attempt), so it is no reason to wake: waking for it would look
  // again at the same instant for ever.
  Timestamp NextLook(Timestamp now) const {
    Timestamp wake = deadline_;
    if (std::optional<Timestamp> next = engine_.NextTransition(attempt_.queue_id)) {
      if (*next > now) wake = std::min(wake, *next);
    }
    return wake;
  }

  // How many messages one attempt may return (MaxNumberOfMessages).
  int max_messages() const { return std::max(1, request_.max_number_of_messages.value_or(1)); }

  // The queue whose changes should wake the poll early.
  uint32_t queue_id() const { return attempt_.queue_id; }
  Timestamp deadline() const { return deadline_; }

  // Another attempt at `now`, after a wake-up. It is the same request, so it
  // is not charged against throughput quotas again.
  void LookAgain(Timestamp now) {
    engine_.CatchUp(now);
    attempt_ = engine_.ReceiveMessage(request_, now, /*continuation=*/true);
  }

  const Result<ReceiveMessageResponse>& result() const { return attempt_.result; }
  const iam::Caller* caller() const { return caller_; }
  Result<ReceiveMessageResponse> TakeResult() { return std::move(attempt_.result); }

 private:
  Engine& engine_;
  const ReceiveMessageRequest& request_;
  const iam::Caller* caller_ = nullptr;
  ReceiveAttempt attempt_;
  Timestamp deadline_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_LONG_POLL_H_
