// Backend: the simulation behind sqsim-server.
//
// The server's adapter around the one engine Host (host/host.h): the clock
// is the server's TimeSource, and a long poll that must wait suspends its
// coroutine on a timer of the server's io_context (the host wakes it when
// its queue is touched; the timer fires at the next time-driven change of
// the queue or the deadline; an admin time advance wakes every poll). Other
// requests keep running meanwhile.
//
// A reset (new seed, new fault plan, or plain reset) replaces the host and
// re-creates the configured queues; long polls waiting on the old host end
// with no messages.
//
// Thread safety: none; everything runs on the server's io_context thread.

#ifndef SQSIM_SERVER_BACKEND_H_
#define SQSIM_SERVER_BACKEND_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "host/host.h"
#include "host/sns_host.h"
#include "server/time_source.h"
#include "sqsim/fault.h"
#include "sqsim/peek.h"
#include "sqsim/random.h"
#include "sqsim/requests.h"
#include "sqsim/simulator.h"
#include "sqsim/trace.h"

namespace sqsim::internal {

class Backend {
 public:
  // `options` give seed, region, account, endpoint, realism and faults; its
  // start_time is replaced by `time`'s. `queues` are created at start and
  // after every reset. Fails when one of them cannot be created (the
  // message names the queue). `io` must outlive the backend.
  static Result<std::unique_ptr<Backend>> Create(boost::asio::io_context& io,
                                                 SimulatorOptions options, TimeSource time,
                                                 std::vector<CreateQueueRequest> queues);
  ~Backend();

  Timestamp Now() const { return time_.Now(); }
  const TimeSource& time() const { return time_; }
  uint64_t seed() const { return options_.seed; }
  const SimulatorOptions& options() const { return options_; }

  // Every action but ReceiveMessage: runs at the current virtual time, as
  // `caller` when not null (IAM decides first; see host/authorizer.h).
#define SQSIM_BACKEND_CALL(Name) \
  Result<Name##Response> Call(const Name##Request& request, const iam::Caller* caller = nullptr);
  SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_BACKEND_CALL)
#undef SQSIM_BACKEND_CALL

  // A receive; a long poll that finds nothing waits (without blocking other
  // requests) up to its WaitTimeSeconds of virtual time. A reset while it
  // waits ends it with no messages.
  boost::asio::awaitable<Result<ReceiveMessageResponse>> Receive(
      ReceiveMessageRequest request, std::optional<iam::Caller> caller = std::nullopt);

  // An SNS action (host/sns_host.h): topics deliver into this server's
  // queues. Deliveries a fault delays, and retries, run on the server's
  // clock; there are no in-process functions here, so a lambda or
  // sqsim-function subscription's deliveries fail as client-side errors.
#define SQSIM_BACKEND_SNS_CALL(Name) \
  Result<sns::Name##Response> CallSns(const sns::Name##Request& request);
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_BACKEND_SNS_CALL)
#undef SQSIM_BACKEND_SNS_CALL

  // The client-boundary fault (kError, kLoseResponse, kLatency,
  // kEmptyReceive) that fires for this request, or nullptr.
  const FaultRule* DecideClientFault(Action action, std::string_view queue_name);

  // A fresh request id (UUID form), drawn from the seed.
  std::string NewRequestId();

  // ---- Admin ----------------------------------------------------------------

  // Moves virtual time forward and lets waiting long polls re-check;
  // refused past kLatestTime (see TimeSource::Advance).
  Status Advance(Duration d);
  // Back to the start state, optionally with a new seed and/or fault plan.
  // Fails only if a configured queue cannot be created again.
  Status Reset(std::optional<uint64_t> seed, std::optional<FaultPlan> faults);
  // One page of the stored messages of queue `name`, in slot order (see
  // Host::Peek's paged form); nullopt when there is no such queue. Changes
  // nothing.
  // The queue metrics (sqsim/metrics.h) as of now.
  Result<std::vector<MetricDatapoint>> QueueMetrics(const QueueMetricQuery& query);
  // The queues QueueMetrics answers for, in name order.
  std::vector<std::string> MetricQueueNames();
  std::optional<Host::PeekPage> Peek(const std::string& name, uint32_t cursor, size_t max_messages,
                                     size_t max_body_bytes) const;
  const Trace& trace() const;
  const FaultInjector& injector() const;
  // How many long polls are waiting now: lets a test (or a user's harness)
  // act only once its consumer is parked in a long poll.
  size_t waiting_receive_count() const { return host_->waiting_receive_count(); }

  // Test hook: while set, every call and receive throws std::bad_alloc
  // before the engine sees it, as an exhausted heap would (the router must
  // answer InternalFailure, not drop the connection).
  void set_fail_allocations_for_testing(bool fail) { fail_allocations_for_testing_ = fail; }

 private:
  class TimerWaiter;
  class SnsRunner;

  Backend(boost::asio::io_context& io, SimulatorOptions options, TimeSource time,
          std::vector<CreateQueueRequest> queues);
  Status BuildHost();

  boost::asio::io_context& io_;
  SimulatorOptions options_;
  bool fail_allocations_for_testing_ = false;
  TimeSource time_;
  std::vector<CreateQueueRequest> config_queues_;
  // Shared with the long polls waiting on it, so that one outlives a reset.
  std::shared_ptr<Host> host_;
  // SNS over host_, rebuilt with it (the runner first: its pending work
  // refers to the SnsHost).
  std::unique_ptr<SnsRunner> sns_runner_;
  std::unique_ptr<SnsHost> sns_;
  std::unique_ptr<Rng> request_ids_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_SERVER_BACKEND_H_
