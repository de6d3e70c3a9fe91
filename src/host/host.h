// Host: the one engine host behind the Simulator, the ThreadedSimulator and
// sqsim-server.
//
// It owns, once, everything the three share: the validated options, the
// engine with its trace and fault injector, the fault -> trace observer,
// call recording (trace event, call counts, waking the long polls of the
// queues a call touched), action dispatch (one overload per action, from
// SQSIM_FOR_EACH_IMMEDIATE_ACTION) and the long-poll loop. What differs
// between the hosts is only how they tell the time and how they wait, which
// each supplies as a PollWaiter:
//
//   Simulator          virtual timers on its discrete-event loop
//   ThreadedSimulator  an Asio timer on a scaled wall clock, under its mutex
//   sqsim-server       an Asio timer on the server's TimeSource
//
// (leveldb's one DBImpl over Env, FoundationDB's one flow loop over a real
// or simulated network.)
//
// Thread safety: none; a host serialises calls (the ThreadedSimulator holds
// its mutex around every one, including PollWaiter::Now and Wake).

#ifndef SQSIM_HOST_HOST_H_
#define SQSIM_HOST_HOST_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "host/authorizer.h"
#include "host/kms_gate.h"
#include "sim/engine.h"
#include "sim/long_poll.h"
#include "sqsim/actions.h"
#include "sqsim/fault.h"
#include "sqsim/metrics.h"
#include "sqsim/options.h"
#include "sqsim/peek.h"
#include "sqsim/trace.h"

namespace sqsim::internal {

// How a host tells the time and waits, for one long poll.
class PollWaiter {
 public:
  virtual ~PollWaiter() = default;
  // The host's current time.
  virtual Timestamp Now() = 0;
  // Suspends the long poll until `until`, or until Wake() is called,
  // whichever comes first.
  virtual boost::asio::awaitable<void> WaitUntil(Timestamp until) = 0;
  // Ends the current WaitUntil early. A no-op when it is not waiting, or
  // was already woken.
  virtual void Wake() = 0;
};

class Host {
 public:
  // Fails with InvalidParameterValue when `options` are invalid.
  static Result<std::unique_ptr<Host>> Create(SimulatorOptions options);

  const SimulatorOptions& options() const { return options_; }
  Engine& engine() { return engine_; }
  const Engine& engine() const { return engine_; }
  // The stored messages of queue `name` as of `now`, without receiving them
  // (nullopt: no such queue). Expired messages are left out.
  std::optional<std::vector<PeekedMessage>> Peek(const std::string& name, Timestamp now) const;
  // One page of Peek, so that a large queue is never copied whole: from
  // `cursor` (0: the start) at most `max_messages` messages and, after the
  // first, at most `max_body_bytes` of bodies. `next_cursor` continues it
  // (nullopt: no more). Each page is as of its own `now`: a message sent,
  // deleted or received between pages may be missed or seen twice.
  struct PeekPage {
    std::vector<PeekedMessage> messages;
    std::optional<uint32_t> next_cursor;
  };
  std::optional<PeekPage> Peek(const std::string& name, Timestamp now, uint32_t cursor,
                               size_t max_messages, size_t max_body_bytes) const;
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  FaultInjector& injector() { return injector_; }
  const FaultInjector& injector() const { return injector_; }
  const std::array<int64_t, kActionCount>& call_counts() const { return call_counts_; }
  // Identity policies and the IAM evaluation of calls that name a caller.
  Authorizer& authorizer() { return authorizer_; }
  // The KMS keys SSE-KMS queues use.
  kms::KeyRegistry& kms_keys() { return kms_keys_; }

  // Every action but ReceiveMessage: runs at `now` and is recorded. With a
  // `caller`, IAM decides first (Authorizer); a denied call is recorded too.
#define SQSIM_HOST_CALL(Name)                                              \
  Result<Name##Response> Call(const Name##Request& request, Timestamp now, \
                              const iam::Caller* caller = nullptr);
  SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_HOST_CALL)
#undef SQSIM_HOST_CALL

  // ReceiveMessage in two steps, so that a receive that need not wait costs
  // no coroutine: StartReceive makes the first attempt; when `poll.Done(now)`
  // the receive is over and Finish records it; otherwise Wait runs the
  // long-poll loop with `waiter` and records it. A receive still waiting
  // when the host is closed ends with no messages and is not recorded.
  // REQUIRES: `request` outlives the poll.
  LongPoll StartReceive(const ReceiveMessageRequest& request, Timestamp now,
                        const iam::Caller* caller = nullptr);
  Result<ReceiveMessageResponse> Finish(LongPoll& poll, Timestamp now);
  boost::asio::awaitable<Result<ReceiveMessageResponse>> Wait(LongPoll& poll, PollWaiter& waiter);

  // The queue metrics (sqsim/metrics.h) as of `now`.
  Result<std::vector<MetricDatapoint>> QueueMetrics(const QueueMetricQuery& query, Timestamp now);
  // The queues QueueMetrics answers for (Engine::MetricQueueNames).
  std::vector<std::string> MetricQueueNames(Timestamp now);

  // Wakes every waiting long poll (time jumped, say), so each looks again.
  void WakeAll();
  // Ends every waiting long poll (the host is being replaced) and refuses
  // to wait again.
  void Close();
  size_t waiting_receive_count() const { return waiting_; }
  // How many wake-ups were sent to waiting long polls (by calls that
  // touched their queue, by polls passing a wake on, and by WakeAll); tests
  // count them: a send should wake only the polls it can feed.
  int64_t early_wake_count() const { return early_wakes_; }

  // A time jump of the host's clock, from `from` to `to`, in the trace.
  void RecordTimeAdvanced(Timestamp from, Timestamp to);

  // The client-boundary fault (kError, kLoseResponse, kLatency,
  // kEmptyReceive) that fires for this request at `now`, or nullptr.
  const FaultRule* DecideClientFault(Action action, std::string_view queue_name, Timestamp now);

 private:
  explicit Host(SimulatorOptions options);
  class WaitRegistration;

  // Appends the call to the trace, counts it and wakes the long polls of
  // the queues it touched.
  template <typename T>
  Result<T> Record(Action action, Result<T> result, Timestamp now);
  // A call made as `caller`: IAM decides, then `run` makes it with the KMS
  // gate knowing the caller.
  LongPoll StartReceiveAs(const ReceiveMessageRequest& request, Timestamp now,
                          const iam::Caller& caller);
  template <typename Response, typename Request, typename Run>
  Result<Response> CallAs(Action action, const Request& request, Timestamp now,
                          const iam::Caller& caller, const Run& run);
  void WakeTouchedQueues();
  // Wakes as many of the polls waiting on `queue_id` as its visible
  // messages need (all of them when that cannot be counted).
  void WakeWaitersOf(uint32_t queue_id);

  SimulatorOptions options_;
  Trace trace_;
  FaultInjector injector_;
  Engine engine_;
  Authorizer authorizer_{options_};
  kms::KeyRegistry kms_keys_{options_.region, options_.account_id};
  HostKmsGate kms_gate_{kms_keys_, authorizer_, injector_};
  std::array<int64_t, kActionCount> call_counts_{};
  // A long poll waiting now, how many messages it may take, and when it
  // plans to look again unless woken.
  struct Waiting {
    PollWaiter* waiter;
    int max_messages;
    Timestamp wake_at;
    bool woken = false;  // woken, and has not looked again yet
  };
  void Wake(Waiting& waiting);
  // The long polls waiting now, by queue, in the order they began waiting
  // (the order they are woken in, which the Simulator's determinism needs).
  std::map<uint32_t, std::vector<Waiting>> queue_waiters_;
  size_t waiting_ = 0;
  int64_t early_wakes_ = 0;
  bool closed_ = false;
};

}  // namespace sqsim::internal

#endif  // SQSIM_HOST_HOST_H_
