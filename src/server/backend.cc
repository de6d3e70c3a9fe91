// Backend: engine calls at virtual time, long-poll waiters, resets, peeks.

#include "server/backend.h"

#include <new>

#include <algorithm>
#include <functional>
#include <map>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sqsim::internal {

namespace asio = boost::asio;

// A long poll waiting on a timer of the server's io_context, which is both
// its deadline and its doorbell (cancelling it wakes the coroutine).
class Backend::TimerWaiter final : public PollWaiter {
 public:
  TimerWaiter(asio::io_context& io, const TimeSource& time) : timer_(io), time_(time) {}
  Timestamp Now() override { return time_.Now(); }
  asio::awaitable<void> WaitUntil(Timestamp until) override {
    std::optional<std::chrono::steady_clock::time_point> at = time_.SteadyAt(until);
    timer_.expires_at(at ? *at : std::chrono::steady_clock::time_point::max());
    boost::system::error_code cancelled;  // woken early: either way, look again
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
  }
  void Wake() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  const TimeSource& time_;
};

// SNS's later work on the server's clock: each task waits in `pending_`
// until virtual time reaches it. In real time mode one steady timer fires at
// the earliest; an admin time advance runs whatever it made due.
//
// The timer belongs to its own wait's handler, not to the runner: the
// server destroys its io_context before the backend, and a timer must not
// outlive its io_context. The handler finds the runner through a weak
// token, so one that fires after the runner is gone (a reset) does nothing.
class Backend::SnsRunner final : public SnsDeliveryRunner {
 public:
  SnsRunner(asio::io_context& io, const TimeSource& time) : io_(io), time_(time) {}
  ~SnsRunner() override {
    if (std::shared_ptr<asio::steady_timer> timer = timer_.lock()) timer->cancel();
  }

  void At(Timestamp when, std::function<void(Timestamp)> task) override {
    pending_.emplace(when, std::move(task));
    Arm();
  }
  void InvokeFunction(sns::FunctionDelivery delivery,
                      std::function<void(Timestamp, Status)> done) override {
    done(time_.Now(), Status(ErrorCode::kResourceNotFound,
                             "sqsim-server runs no functions: " + delivery.endpoint));
  }

  // Runs every task due by now (tasks may add more), then re-arms.
  void RunDue() {
    const Timestamp now = time_.Now();
    while (!pending_.empty() && pending_.begin()->first <= now) {
      auto task = std::move(pending_.begin()->second);
      pending_.erase(pending_.begin());
      task(now);
    }
    Arm();
  }

 private:
  void Arm() {
    if (pending_.empty()) return;
    std::optional<std::chrono::steady_clock::time_point> at =
        time_.SteadyAt(pending_.begin()->first);
    if (!at) return;  // manual time: Advance runs them
    if (std::shared_ptr<asio::steady_timer> armed = timer_.lock()) {
      if (armed->expiry() <= *at) return;  // fires first; RunDue re-arms
      armed->cancel();
    }
    auto timer = std::make_shared<asio::steady_timer>(io_, *at);
    timer_ = timer;
    timer->async_wait(
        [timer, alive = std::weak_ptr<int>(alive_), this](boost::system::error_code ec) {
          if (ec || alive.expired()) return;
          RunDue();
        });
  }

  asio::io_context& io_;
  const TimeSource& time_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::weak_ptr<asio::steady_timer> timer_;
  std::multimap<Timestamp, std::function<void(Timestamp)>> pending_;  // in time order
};

Result<std::unique_ptr<Backend>> Backend::Create(asio::io_context& io, SimulatorOptions options,
                                                 TimeSource time,
                                                 std::vector<CreateQueueRequest> queues) {
  std::unique_ptr<Backend> backend(
      new Backend(io, std::move(options), std::move(time), std::move(queues)));
  if (Status s = backend->BuildHost(); !s.ok()) return s;
  return backend;
}

Backend::Backend(asio::io_context& io, SimulatorOptions options, TimeSource time,
                 std::vector<CreateQueueRequest> queues)
    : io_(io),
      options_(std::move(options)),
      time_(std::move(time)),
      config_queues_(std::move(queues)) {}

Backend::~Backend() = default;

const Trace& Backend::trace() const { return host_->trace(); }
const FaultInjector& Backend::injector() const { return host_->injector(); }

Status Backend::BuildHost() {
  SimulatorOptions options = options_;
  options.start_time = time_.Now();
  Result<std::unique_ptr<Host>> host = Host::Create(std::move(options));
  if (!host.ok()) return host.status();
  sns_.reset();
  sns_runner_.reset();
  host_ = std::move(*host);
  sns_runner_ = std::make_unique<SnsRunner>(io_, time_);
  sns_ = std::make_unique<SnsHost>(*host_, *sns_runner_);
  request_ids_ = SeededRng(options_.seed).Fork("request-ids");
  for (const CreateQueueRequest& request : config_queues_) {
    Result<CreateQueueResponse> created = Call(request);
    if (!created.ok()) {
      return Status(created.status().code(), "queues config: cannot create queue '" +
                                                 request.queue_name +
                                                 "': " + created.status().ToString());
    }
  }
  return Status::Ok();
}

#define SQSIM_BACKEND_CALL(Name)                                                                  \
  Result<Name##Response> Backend::Call(const Name##Request& request, const iam::Caller* caller) { \
    if (fail_allocations_for_testing_) throw std::bad_alloc();                                    \
    return host_->Call(request, time_.Now(), caller);                                             \
  }
SQSIM_FOR_EACH_IMMEDIATE_ACTION(SQSIM_BACKEND_CALL)
#undef SQSIM_BACKEND_CALL

#define SQSIM_BACKEND_SNS_CALL(Name)                                                \
  Result<sns::Name##Response> Backend::CallSns(const sns::Name##Request& request) { \
    if (fail_allocations_for_testing_) throw std::bad_alloc();                      \
    return sns_->Call(request, time_.Now());                                        \
  }
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_BACKEND_SNS_CALL)
#undef SQSIM_BACKEND_SNS_CALL

asio::awaitable<Result<ReceiveMessageResponse>> Backend::Receive(
    ReceiveMessageRequest request, std::optional<iam::Caller> caller) {
  if (fail_allocations_for_testing_) throw std::bad_alloc();
  // The poll keeps its host alive: a reset replaces host_ and closes the old
  // one, which ends this poll with no messages.
  std::shared_ptr<Host> host = host_;
  const Timestamp now = time_.Now();
  LongPoll poll = host->StartReceive(request, now, caller ? &*caller : nullptr);
  if (poll.Done(now)) co_return host->Finish(poll, now);
  TimerWaiter waiter(io_, time_);
  co_return co_await host->Wait(poll, waiter);
}

const FaultRule* Backend::DecideClientFault(Action action, std::string_view queue_name) {
  return host_->DecideClientFault(action, queue_name, time_.Now());
}

std::string Backend::NewRequestId() {
  std::array<uint8_t, 16> bytes;
  const uint64_t a = request_ids_->Next();
  const uint64_t b = request_ids_->Next();
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(a >> (8 * i));
    bytes[8 + i] = static_cast<uint8_t>(b >> (8 * i));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // looks like a v4 UUID
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
  return FormatUuid(bytes);
}

Status Backend::Advance(Duration d) {
  if (Status advanced = time_.Advance(d); !advanced.ok()) return advanced;
  host_->WakeAll();
  sns_runner_->RunDue();
  return Status::Ok();
}

Status Backend::Reset(std::optional<uint64_t> seed, std::optional<FaultPlan> faults) {
  if (seed) options_.seed = *seed;
  if (faults) options_.faults = std::move(*faults);
  host_->Close();
  time_.Rewind();
  return BuildHost();
}

Result<std::vector<MetricDatapoint>> Backend::QueueMetrics(const QueueMetricQuery& query) {
  return host_->QueueMetrics(query, time_.Now());
}
std::vector<std::string> Backend::MetricQueueNames() {
  return host_->MetricQueueNames(time_.Now());
}

std::optional<Host::PeekPage> Backend::Peek(const std::string& name, uint32_t cursor,
                                            size_t max_messages, size_t max_body_bytes) const {
  return host_->Peek(name, time_.Now(), cursor, max_messages, max_body_bytes);
}

}  // namespace sqsim::internal
