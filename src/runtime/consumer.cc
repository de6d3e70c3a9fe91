// Consumer: pollers, handler tasks, heartbeats, the delete batcher and the
// shutdown sequence, all coroutines on one executor.

#include "sqsim/runtime/consumer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <list>
#include <map>
#include <mutex>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include "core/spawn_guard.h"
#include "runtime/signal.h"
#include "sqsim/fatal_error.h"
#include "sqsim/runtime/attributes.h"
#include "sqsim/when.h"

namespace sqsim::runtime {

namespace asio = boost::asio;
using ::sqsim::internal::IsCancellation;

namespace {

constexpr int kMaxVisibilitySeconds = 43200;                       // SQS: 12 hours
constexpr Duration kDefaultVisibility = std::chrono::seconds(30);  // SQS's default
// Clocks and networks are not exact: a message this close to its
// visibility's end counts as expired.
constexpr Duration kExpiryMargin = std::chrono::seconds(1);

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kInvalidParameterValue, "invalid consumer options: " + what);
}

int Seconds(Duration d) {
  return static_cast<int>(std::clamp<int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(d).count(), 0, kMaxVisibilitySeconds));
}

}  // namespace

class Consumer::Impl {
 public:
  Impl(Client& client, Env& env, ConsumerOptions options, MessageHandler handler,
       BatchHandler batch_handler)
      : client_(client),
        env_(env),
        o_(std::move(options)),
        handler_(std::move(handler)),
        batch_handler_(std::move(batch_handler)),
        fifo_(o_.queue_url.ends_with(".fifo")) {}

  asio::awaitable<Status> Run();
  void Stop();
  const ConsumerStats& stats() const { return stats_; }

 private:
  struct Task {
    asio::cancellation_signal cancel;
    bool poller = false;
  };
  struct PendingDelete {
    std::string receipt_handle;
  };

  // Stop receiving; wake everything that waits for it.
  void BeginStop();
  void Emit(ConsumerEvent::Kind kind, const Message* m = nullptr, Status status = {},
            std::optional<Outcome::Kind> outcome = std::nullopt) {
    if (o_.on_event) {
      o_.on_event({.kind = kind, .message = m, .outcome = outcome, .status = std::move(status)});
    }
  }
  bool IsFatal(const std::exception_ptr& e) const;

  // The visibility timeout a receive gives: the option, else the queue's.
  asio::awaitable<Duration> VisibilityTimeout();
  asio::awaitable<void> PollLoop();
  asio::awaitable<void> WaitForStop();
  void CancelPollers();
  // Queues the received messages for the workers, in units (a message, a
  // FIFO group's messages, or a batch for the batch handler).
  void Dispatch(std::vector<Message> messages);
  void Enqueue(std::vector<Message> unit);
  // A worker: handles queued units one after another, waits when there are
  // none, ends when there are none and the consumer stops. Workers are
  // started as units need them (at most max_in_flight exist, as a unit holds
  // at least one message) and reused: cheaper than a task per message.
  asio::awaitable<void> Worker();

  // A task (poller, worker, delete flush): co_spawned, cancellable.
  void StartTask(asio::awaitable<void> task, bool poller = false);
  void OnTaskEnded(std::list<Task>::iterator task, std::exception_ptr error);
  void CancelTasks();
  asio::awaitable<void> WaitForTasks();
  // Cancels every task and waits until all have ended, even if the caller
  // is cancelled meanwhile.
  asio::awaitable<void> EndAllTasks();

  // The messages one task holds: a message of a standard queue, or a FIFO
  // group's messages from one receive, handled in order.
  struct Held {
    std::vector<Message> messages;
    Timestamp received_at{};
    size_t current = 0;  // the one being handled
    // With a heartbeat only (empty otherwise): by index, whether an
    // extension of its visibility failed, and the delivery whose handler
    // runs now (null otherwise).
    std::vector<bool> lost{};
    std::vector<Delivery*> running{};
  };
  asio::awaitable<void> HandleMessages(std::vector<Message> messages);
  asio::awaitable<void> HandleHeld(Held* held);
  // Runs the handler of held->current and applies its outcome; true when
  // the message was deleted or queued for deletion.
  asio::awaitable<bool> Handle(Held* held);
  // The batch handler's form: every held message still ours at once.
  asio::awaitable<void> HandleBatch(Held* held);
  // Whether held->messages[i] may be another consumer's by now.
  bool MayHaveExpired(const Held& held, size_t i) const;
  // A handler's exception as an outcome (rethrows fatal ones and this
  // task's cancellation).
  Outcome OutcomeOfException(std::exception_ptr error, const Message& m);
  // Extends the visibility of the held messages not yet handled.
  asio::awaitable<void> Heartbeat(Held* held);
  // Applies an outcome that needs no call to wait for (a Leave, a delete
  // queued for a batch); nullopt for the others. Apply applies any outcome
  // (through ApplyAtOnce first); the handlers call ApplyAtOnce themselves so
  // that the common outcomes cost no coroutine. Both return whether the
  // message was deleted or queued for deletion.
  std::optional<bool> ApplyAtOnce(const Message& m, const Outcome& outcome, bool owned);
  asio::awaitable<bool> Apply(const Message& m, const Outcome& outcome, bool owned);
  asio::awaitable<bool> DeleteNow(const std::string& receipt_handle);
  asio::awaitable<void> Release(const Message& m);
  Duration BackoffFor(const Message& m) const;

  void QueueDelete(const std::string& receipt_handle);
  asio::awaitable<void> FlushAfterInterval();
  asio::awaitable<void> Flush();

  Client& client_;
  Env& env_;
  const ConsumerOptions o_;
  const MessageHandler handler_;  // one of the two is set
  const BatchHandler batch_handler_;
  const bool fifo_;
  ConsumerStats stats_;

  std::optional<asio::any_io_executor> executor_;
  std::optional<internal::Signal> changed_;         // a task ended, or stopping began
  std::optional<internal::Signal> stopping_began_;  // stopping began
  std::optional<internal::Signal> work_;            // a unit was queued (one), or stopping began
  std::deque<std::vector<Message>> units_;          // received, waiting for a worker
  std::list<Task> tasks_;
  int in_flight_ = 0;
  bool stopping_ = false;
  std::exception_ptr fatal_;
  Duration visibility_ = kDefaultVisibility;  // what a receive gives a message
  std::vector<PendingDelete> pending_deletes_;
  bool flush_scheduled_ = false;

  // Stop() from other threads.
  std::mutex stop_mu_;
  bool stop_requested_ = false;
};

// ---- Lifecycle ---------------------------------------------------------------

asio::awaitable<Status> Consumer::Impl::Run() {
  if (Status valid = Validate(o_); !valid.ok()) co_return valid;
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    executor_ = co_await asio::this_coro::executor;
    if (stop_requested_) stopping_ = true;
  }
  changed_.emplace(*executor_);
  stopping_began_.emplace(*executor_);
  work_.emplace(*executor_);
  visibility_ = co_await VisibilityTimeout();

  // The pollers are tasks too (no handler's messages), so that a stop can
  // cancel a pending long poll without a race per receive.
  for (int i = 0; i < o_.pollers; ++i) StartTask(PollLoop(), /*poller=*/true);
  std::exception_ptr crashed;  // Run itself was cancelled, or failed
  try {
    co_await WaitForStop();
  } catch (...) {
    crashed = std::current_exception();
  }
  stopping_ = true;
  CancelPollers();
  if (!crashed && !fatal_) {
    // A graceful stop: handlers get the deadline, then are cancelled; then
    // the pending deletes go out.
    try {
      std::vector<asio::awaitable<void>> race;
      race.push_back(WaitForTasks());
      race.push_back(env_.Sleep(o_.shutdown_deadline));
      if (co_await WhenAny(std::move(race)) == 1) {
        stats_.cancelled += static_cast<int64_t>(tasks_.size());
        CancelTasks();
        co_await WaitForTasks();
      }
      if (!fatal_) co_await Flush();
    } catch (...) {
      crashed = std::current_exception();  // cancelled (or crashed) mid-shutdown
    }
  }
  if (crashed || fatal_) {
    // A crash: every handler ends, nothing is flushed. Run may be the
    // coroutine that was cancelled; it waits for its handlers regardless,
    // since they use this consumer. (In a cancelled coroutine every co_await
    // of an awaitable throws: reset first.)
    co_await asio::this_coro::reset_cancellation_state();
    co_await EndAllTasks();
    std::rethrow_exception(fatal_ ? fatal_ : crashed);
  }
  co_return Status::Ok();
}

asio::awaitable<void> Consumer::Impl::EndAllTasks() {
  while (!tasks_.empty()) {
    co_await asio::this_coro::reset_cancellation_state();
    CancelTasks();
    bool cancelled_again = false;
    try {
      co_await WaitForTasks();
    } catch (...) {
      cancelled_again = true;  // cancelled while waiting: cancel and wait again
    }
    if (!cancelled_again) break;
  }
}

void Consumer::Impl::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  stop_requested_ = true;
  if (executor_) asio::post(*executor_, [this] { BeginStop(); });
}

void Consumer::Impl::BeginStop() {
  if (stopping_) return;
  stopping_ = true;
  CancelPollers();
  if (changed_) changed_->NotifyAll();
  if (stopping_began_) stopping_began_->NotifyAll();
  if (work_) work_->NotifyAll();  // idle workers end
}

void Consumer::Impl::CancelPollers() {
  for (Task& task : tasks_) {
    if (task.poller) task.cancel.emit(asio::cancellation_type::terminal);
  }
}

bool Consumer::Impl::IsFatal(const std::exception_ptr& e) const {
  try {
    std::rethrow_exception(e);
  } catch (const FatalError&) {
    return true;
  } catch (...) {
    return o_.is_fatal && o_.is_fatal(e);
  }
}

// ---- Receiving ---------------------------------------------------------------

asio::awaitable<Duration> Consumer::Impl::VisibilityTimeout() {
  if (o_.visibility_timeout) co_return std::chrono::seconds(*o_.visibility_timeout);
  GetQueueAttributesRequest request{.queue_url = o_.queue_url,
                                    .attribute_names = {"VisibilityTimeout"}};
  auto got = co_await client_.AsyncGetQueueAttributes(request);
  if (!got.ok()) co_return kDefaultVisibility;
  auto it = got->attributes.find("VisibilityTimeout");
  if (it == got->attributes.end()) co_return kDefaultVisibility;
  co_return std::chrono::seconds(std::atoi(it->second.c_str()));
}

asio::awaitable<void> Consumer::Impl::WaitForStop() {
  while (!stopping_) co_await stopping_began_->Wait();
}

asio::awaitable<void> Consumer::Impl::PollLoop() {
  // A stop cancels this task: its long poll or backoff ends at once (on the
  // simulator the poll is abandoned and takes no message; a client that
  // cannot cancel finishes its poll first).
  Duration backoff = o_.receive_backoff_initial;
  while (!stopping_) {
    // Back-pressure: receive only what can start now.
    while (!stopping_ && in_flight_ >= o_.max_in_flight) co_await changed_->Wait();
    if (stopping_) break;
    ReceiveMessageRequest receive{.queue_url = o_.queue_url,
                                  .message_system_attribute_names = o_.system_attribute_names,
                                  .message_attribute_names = o_.message_attribute_names,
                                  .max_number_of_messages = std::min(o_.max_messages_per_receive,
                                                                     o_.max_in_flight - in_flight_),
                                  .visibility_timeout = o_.visibility_timeout,
                                  .wait_time_seconds = o_.wait_time_seconds};
    Result<ReceiveMessageResponse> got = co_await client_.AsyncReceiveMessage(std::move(receive));
    ++stats_.receives;
    if (!got.ok()) {
      ++stats_.receive_errors;
      Emit(ConsumerEvent::Kind::kReceiveError, nullptr, got.status());
      // Full jitter: a random delay up to the current backoff.
      const auto ceiling = std::max<int64_t>(1, backoff.count());
      co_await env_.Sleep(Duration(env_.rng().Uniform(static_cast<uint64_t>(ceiling))));
      backoff = std::min(backoff * 2, o_.receive_backoff_max);
      continue;
    }
    backoff = o_.receive_backoff_initial;
    if (got->messages.empty()) {
      ++stats_.empty_receives;
      continue;
    }
    stats_.received += static_cast<int64_t>(got->messages.size());
    for (const Message& m : got->messages) Emit(ConsumerEvent::Kind::kReceived, &m);
    Dispatch(std::move(got->messages));
  }
}

void Consumer::Impl::Dispatch(std::vector<Message> messages) {
  if (!fifo_ && batch_handler_) {
    Enqueue(std::move(messages));  // one batch: one unit
    return;
  }
  if (!fifo_) {
    for (Message& m : messages) {
      std::vector<Message> one;
      one.push_back(std::move(m));
      Enqueue(std::move(one));
    }
    return;
  }
  // FIFO: one unit per group, its messages in the order received.
  std::vector<std::pair<std::string, std::vector<Message>>> groups;
  for (Message& m : messages) {
    const std::string group = GroupId(m).value_or("");
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == group; });
    if (it == groups.end()) {
      groups.emplace_back(group, std::vector<Message>{});
      it = std::prev(groups.end());
    }
    it->second.push_back(std::move(m));
  }
  for (auto& [group, group_messages] : groups) Enqueue(std::move(group_messages));
}

void Consumer::Impl::Enqueue(std::vector<Message> unit) {
  in_flight_ += static_cast<int>(unit.size());
  units_.push_back(std::move(unit));
  // An idle worker takes it, or a new one. (A woken worker may find that a
  // busy one took it first; then it waits again.)
  if (work_->waiting() > 0) {
    work_->NotifyOne();
  } else {
    StartTask(Worker());
  }
}

asio::awaitable<void> Consumer::Impl::Worker() {
  while (true) {
    while (units_.empty()) {
      if (stopping_) co_return;
      co_await work_->Wait();
    }
    std::vector<Message> unit = std::move(units_.front());
    units_.pop_front();
    // Its messages count as in flight until it is handled, or this worker
    // is cancelled.
    struct Done {
      Impl* impl;
      int messages;
      ~Done() {
        impl->in_flight_ -= messages;
        impl->changed_->NotifyAll();
      }
    } done{this, static_cast<int>(unit.size())};
    co_await HandleMessages(std::move(unit));
  }
}

// ---- Tasks -------------------------------------------------------------------

void Consumer::Impl::StartTask(asio::awaitable<void> task, bool poller) {
  Task& started = tasks_.emplace_back();
  started.poller = poller;
  auto it = std::prev(tasks_.end());
  asio::co_spawn(
      *executor_, sqsim::internal::GuardForSpawn(std::move(task)),
      asio::bind_cancellation_slot(
          started.cancel.slot(), [this, it](std::exception_ptr error) { OnTaskEnded(it, error); }));
}

void Consumer::Impl::OnTaskEnded(std::list<Task>::iterator task, std::exception_ptr error) {
  tasks_.erase(task);
  if (error && IsFatal(error) && !fatal_) {
    fatal_ = error;
    BeginStop();
  }
  changed_->NotifyAll();
}

void Consumer::Impl::CancelTasks() {
  for (Task& task : tasks_) task.cancel.emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> Consumer::Impl::WaitForTasks() {
  while (!tasks_.empty()) co_await changed_->Wait();
}

// ---- Handling ----------------------------------------------------------------

asio::awaitable<void> Consumer::Impl::HandleMessages(std::vector<Message> messages) {
  Held held{.messages = std::move(messages), .received_at = env_.Now()};
  if (o_.heartbeat_interval > Duration::zero()) {
    held.lost.assign(held.messages.size(), false);
    held.running.assign(held.messages.size(), nullptr);
    // The heartbeat never ends on its own: the handling's end cancels it.
    std::vector<asio::awaitable<void>> race;
    race.push_back(HandleHeld(&held));
    race.push_back(Heartbeat(&held));
    (void)co_await WhenAny(std::move(race));
  } else {
    co_await HandleHeld(&held);
  }
}

bool Consumer::Impl::MayHaveExpired(const Held& held, size_t i) const {
  // An extension failed, or no heartbeat and longer than the visibility
  // timeout since the receive.
  if (!held.lost.empty()) return held.lost[i];
  return env_.Now() - held.received_at >= visibility_ - kExpiryMargin;
}

Outcome Consumer::Impl::OutcomeOfException(std::exception_ptr error, const Message& m) {
  // A fatal error, or this task being cancelled (a crash, the shutdown
  // deadline): not the handler's failure.
  if (IsFatal(error) || IsCancellation(error)) std::rethrow_exception(error);
  ++stats_.exceptions;
  Emit(ConsumerEvent::Kind::kHandlerThrew, &m);
  return o_.on_exception ? o_.on_exception(error) : Outcome::Leave();
}

asio::awaitable<void> Consumer::Impl::HandleHeld(Held* held) {
  if (batch_handler_) {
    co_await HandleBatch(held);
    co_return;
  }
  bool in_order = true;
  for (; held->current < held->messages.size(); ++held->current) {
    const Message& m = held->messages[held->current];
    // A message whose visibility may have run out may be another consumer's
    // now: handling it, or its group's later ones, could handle them twice
    // and out of order. They are left.
    if (MayHaveExpired(*held, held->current)) {
      stats_.expired += static_cast<int64_t>(held->messages.size() - held->current);
      for (size_t i = held->current; i < held->messages.size(); ++i) {
        Emit(ConsumerEvent::Kind::kExpired, &held->messages[i]);
      }
      co_return;
    }
    // Once a message of a FIFO group stays, or the consumer stops, the rest
    // go back unhandled: handling them now would break the group's order.
    if (!in_order || stopping_) {
      co_await Release(m);
      continue;
    }
    in_order = co_await Handle(held) || !fifo_;
  }
}

asio::awaitable<bool> Consumer::Impl::Handle(Held* held) {
  const size_t index = held->current;
  const Message& m = held->messages[index];
  Delivery delivery(m, env_);
  struct Running {  // the heartbeat's way to the delivery, while it runs
    Held* held;
    size_t index;
    ~Running() {
      if (!held->running.empty()) held->running[index] = nullptr;
    }
  } running{held, index};
  if (!held->running.empty()) held->running[index] = &delivery;
  Outcome outcome = Outcome::Leave();
  std::exception_ptr error;
  try {
    outcome = co_await handler_(delivery);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) outcome = OutcomeOfException(error, m);
  Emit(ConsumerEvent::Kind::kHandled, &m, {}, outcome.kind);
  const bool owned = !delivery.ownership_lost();
  if (std::optional<bool> applied = ApplyAtOnce(m, outcome, owned)) co_return *applied;
  co_return co_await Apply(m, outcome, owned);
}

asio::awaitable<void> Consumer::Impl::HandleBatch(Held* held) {
  if (stopping_) {
    for (const Message& m : held->messages) co_await Release(m);
    co_return;
  }
  std::vector<size_t> indices;
  std::vector<Delivery> deliveries;
  deliveries.reserve(held->messages.size());
  for (size_t i = 0; i < held->messages.size(); ++i) {
    if (MayHaveExpired(*held, i)) {
      ++stats_.expired;
      Emit(ConsumerEvent::Kind::kExpired, &held->messages[i]);
      continue;
    }
    indices.push_back(i);
    deliveries.emplace_back(held->messages[i], env_);
  }
  if (deliveries.empty()) co_return;
  if (!held->running.empty()) {
    for (size_t k = 0; k < indices.size(); ++k) held->running[indices[k]] = &deliveries[k];
  }
  struct Clear {
    Held* held;
    ~Clear() { std::fill(held->running.begin(), held->running.end(), nullptr); }
  } clear{held};
  std::vector<Outcome> outcomes;
  std::exception_ptr error;
  try {
    outcomes = co_await batch_handler_(deliveries);
  } catch (...) {
    error = std::current_exception();
  }
  if (error) {
    const Outcome outcome = OutcomeOfException(error, deliveries.front().message());
    outcomes.assign(deliveries.size(), outcome);
  }
  outcomes.resize(deliveries.size(), Outcome::Leave());  // missing ones stay
  // In order: on a FIFO queue, once one stays, the later ones go back.
  bool in_order = true;
  for (size_t k = 0; k < deliveries.size(); ++k) {
    const Message& m = deliveries[k].message();
    Emit(ConsumerEvent::Kind::kHandled, &m, {}, outcomes[k].kind);
    if (!in_order) {
      co_await Release(m);
      continue;
    }
    const bool owned = !deliveries[k].ownership_lost();
    std::optional<bool> applied = ApplyAtOnce(m, outcomes[k], owned);
    const bool acknowledged = applied ? *applied : co_await Apply(m, outcomes[k], owned);
    if (fifo_ && !acknowledged) in_order = false;
  }
}

asio::awaitable<void> Consumer::Impl::Heartbeat(Held* held) {
  while (true) {
    co_await env_.Sleep(o_.heartbeat_interval);
    // Never past SQS's limit of 12 hours from the receive.
    const int left = kMaxVisibilitySeconds - Seconds(env_.Now() - held->received_at);
    if (left <= 0) continue;
    const int seconds = std::min(o_.heartbeat_visibility_seconds, left);
    // The message being handled and, in a FIFO group, those waiting behind
    // it: all of them must stay this consumer's.
    ChangeMessageVisibilityBatchRequest extend{.queue_url = o_.queue_url};
    for (size_t i = held->current; i < held->messages.size(); ++i) {
      if (held->lost[i]) continue;
      extend.entries.push_back({.id = std::to_string(i),
                                .receipt_handle = held->messages[i].receipt_handle,
                                .visibility_timeout = seconds});
    }
    if (extend.entries.empty()) continue;
    std::vector<size_t> failed;
    if (extend.entries.size() == 1) {
      ChangeMessageVisibilityRequest one{.queue_url = o_.queue_url,
                                         .receipt_handle = extend.entries[0].receipt_handle,
                                         .visibility_timeout = seconds};
      if (!(co_await client_.AsyncChangeMessageVisibility(one)).ok()) {
        failed.push_back(static_cast<size_t>(std::stoul(extend.entries[0].id)));
      }
    } else {
      auto extended = co_await client_.AsyncChangeMessageVisibilityBatch(extend);
      if (!extended.ok()) {
        for (const auto& entry : extend.entries) failed.push_back(std::stoul(entry.id));
      } else {
        for (const BatchResultErrorEntry& entry : extended->failed) {
          failed.push_back(static_cast<size_t>(std::atoi(entry.id.c_str())));
        }
      }
    }
    stats_.extensions += static_cast<int64_t>(extend.entries.size() - failed.size());
    for (const auto& entry : extend.entries) {
      const size_t i = static_cast<size_t>(std::stoul(entry.id));
      if (std::find(failed.begin(), failed.end(), i) == failed.end()) {
        Emit(ConsumerEvent::Kind::kExtended, &held->messages[i]);
      }
    }
    for (size_t i : failed) {
      if (i >= held->messages.size() || held->lost[i]) continue;
      held->lost[i] = true;
      ++stats_.lost_ownership;
      Emit(ConsumerEvent::Kind::kOwnershipLost, &held->messages[i]);
      if (held->running[i] != nullptr) held->running[i]->set_ownership_lost();
    }
  }
}

Duration Consumer::Impl::BackoffFor(const Message& m) const {
  const int n = std::max(1, ReceiveCount(m).value_or(1));
  const double factor = std::pow(o_.retry.multiplier, n - 1);
  const double delay = std::min(static_cast<double>(o_.retry.initial.count()) * factor,
                                static_cast<double>(o_.retry.max.count()));
  return Duration(static_cast<Duration::rep>(delay));
}

std::optional<bool> Consumer::Impl::ApplyAtOnce(const Message& m, const Outcome& outcome,
                                                bool owned) {
  switch (outcome.kind) {
    case Outcome::Kind::kDone:
      if (owned && (fifo_ || o_.delete_batch_size == 1)) return std::nullopt;  // deleted now
      ++stats_.done;
      if (!owned) return false;  // its handle failed: leave it to its new owner
      QueueDelete(m.receipt_handle);
      return true;
    case Outcome::Kind::kLeave:
      ++stats_.left;
      return false;
    case Outcome::Kind::kRetry:
    case Outcome::Kind::kDeadLetter:
      return std::nullopt;
  }
  return false;
}

asio::awaitable<bool> Consumer::Impl::Apply(const Message& m, const Outcome& outcome, bool owned) {
  // The outcomes that need no call are ApplyAtOnce's alone.
  if (std::optional<bool> applied = ApplyAtOnce(m, outcome, owned)) co_return *applied;
  switch (outcome.kind) {
    case Outcome::Kind::kDone:  // owned, and deleted now (FIFO, or no batching)
      ++stats_.done;
      co_return co_await DeleteNow(m.receipt_handle);
    case Outcome::Kind::kRetry: {
      ++stats_.retried;
      ChangeMessageVisibilityRequest later{
          .queue_url = o_.queue_url,
          .receipt_handle = m.receipt_handle,
          .visibility_timeout = Seconds(outcome.retry_after.value_or(BackoffFor(m)))};
      (void)co_await client_.AsyncChangeMessageVisibility(later);
      co_return false;
    }
    case Outcome::Kind::kDeadLetter: {
      SendMessageRequest forward{.queue_url = outcome.dead_letter_queue_url,
                                 .message_body = m.body,
                                 .message_attributes = m.message_attributes};
      if (outcome.dead_letter_queue_url.ends_with(".fifo")) {
        forward.message_group_id = GroupId(m).value_or("dead-letter");
        forward.message_deduplication_id = m.message_id;  // a resend deduplicates
      }
      auto sent = co_await client_.AsyncSendMessage(forward);
      if (!sent.ok()) co_return false;  // stays: it comes back and is tried again
      ++stats_.dead_lettered;
      co_return co_await DeleteNow(m.receipt_handle);
    }
    case Outcome::Kind::kLeave:
      break;  // applied at once above
  }
  co_return false;
}

asio::awaitable<bool> Consumer::Impl::DeleteNow(const std::string& receipt_handle) {
  DeleteMessageRequest del{.queue_url = o_.queue_url, .receipt_handle = receipt_handle};
  auto deleted = co_await client_.AsyncDeleteMessage(del);
  if (deleted.ok()) {
    ++stats_.deleted;
    Emit(ConsumerEvent::Kind::kDeleted);
  } else {
    ++stats_.delete_failures;
    Emit(ConsumerEvent::Kind::kDeleteFailed, nullptr, deleted.status());
  }
  co_return deleted.ok();
}

asio::awaitable<void> Consumer::Impl::Release(const Message& m) {
  ChangeMessageVisibilityRequest release{
      .queue_url = o_.queue_url, .receipt_handle = m.receipt_handle, .visibility_timeout = 0};
  (void)co_await client_.AsyncChangeMessageVisibility(release);
  ++stats_.released;
  Emit(ConsumerEvent::Kind::kReleased, &m);
}

// ---- Batched deletes ---------------------------------------------------------

void Consumer::Impl::QueueDelete(const std::string& receipt_handle) {
  pending_deletes_.push_back({receipt_handle});
  if (static_cast<int>(pending_deletes_.size()) >= o_.delete_batch_size) {
    StartTask(Flush());
  } else if (!flush_scheduled_) {
    flush_scheduled_ = true;
    StartTask(FlushAfterInterval());
  }
}

asio::awaitable<void> Consumer::Impl::FlushAfterInterval() {
  co_await env_.Sleep(o_.delete_flush_interval);
  flush_scheduled_ = false;
  co_await Flush();
}

asio::awaitable<void> Consumer::Impl::Flush() {
  while (!pending_deletes_.empty()) {
    const size_t n = std::min<size_t>(pending_deletes_.size(), 10);
    DeleteMessageBatchRequest request{.queue_url = o_.queue_url};
    request.entries.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      request.entries.push_back({.id = std::to_string(i),
                                 .receipt_handle = std::move(pending_deletes_[i].receipt_handle)});
    }
    pending_deletes_.erase(pending_deletes_.begin(),
                           pending_deletes_.begin() + static_cast<std::ptrdiff_t>(n));
    auto deleted = co_await client_.AsyncDeleteMessageBatch(request);
    std::vector<size_t> again;  // entries to retry alone, with their own handle
    if (!deleted.ok()) {
      for (size_t i = 0; i < n; ++i) again.push_back(i);
    } else {
      stats_.deleted += static_cast<int64_t>(deleted->successful.size());
      for (size_t i = 0; i < deleted->successful.size(); ++i) Emit(ConsumerEvent::Kind::kDeleted);
      for (const BatchResultErrorEntry& failed : deleted->failed) {
        const size_t index = static_cast<size_t>(std::atoi(failed.id.c_str()));
        if (index < n) again.push_back(index);
      }
    }
    for (size_t i : again) (void)co_await DeleteNow(request.entries[i].receipt_handle);
  }
}

// ---- Consumer ----------------------------------------------------------------

Consumer::Consumer(Client& client, Env& env, ConsumerOptions options, MessageHandler handler)
    : impl_(std::make_unique<Impl>(client, env, std::move(options), std::move(handler),
                                   BatchHandler())) {
  SQSIM_ASSERT(impl_ != nullptr, "");
}

Consumer::Consumer(Client& client, Env& env, ConsumerOptions options, BatchHandler handler)
    : impl_(std::make_unique<Impl>(client, env, std::move(options), MessageHandler(),
                                   std::move(handler))) {}
Consumer::~Consumer() = default;  // Run has ended: it never leaves a task behind

Status Consumer::Validate(const ConsumerOptions& o) {
  if (o.queue_url.empty()) return Invalid("queue_url is empty");
  if (o.max_messages_per_receive < 1 || o.max_messages_per_receive > 10) {
    return Invalid("max_messages_per_receive must be 1..10");
  }
  if (o.wait_time_seconds < 0 || o.wait_time_seconds > 20) {
    return Invalid("wait_time_seconds must be 0..20");
  }
  if (o.visibility_timeout && (*o.visibility_timeout < 0 || *o.visibility_timeout > 43200)) {
    return Invalid("visibility_timeout must be 0..43200");
  }
  if (o.pollers < 1) return Invalid("pollers must be at least 1");
  if (o.max_in_flight < 1) return Invalid("max_in_flight must be at least 1");
  if (o.heartbeat_interval < Duration::zero()) return Invalid("heartbeat_interval is negative");
  if (o.heartbeat_visibility_seconds < 1 || o.heartbeat_visibility_seconds > 43200) {
    return Invalid("heartbeat_visibility_seconds must be 1..43200");
  }
  if (o.delete_batch_size < 1 || o.delete_batch_size > 10) {
    return Invalid("delete_batch_size must be 1..10");
  }
  if (o.retry.initial < Duration::zero() || o.retry.multiplier < 1 ||
      o.retry.max < o.retry.initial) {
    return Invalid("retry backoff needs 0 <= initial <= max and multiplier >= 1");
  }
  if (o.receive_backoff_initial <= Duration::zero() ||
      o.receive_backoff_max < o.receive_backoff_initial) {
    return Invalid("receive backoff needs 0 < initial <= max");
  }
  return Status::Ok();
}

asio::awaitable<Status> Consumer::Run() { return impl_->Run(); }
void Consumer::Stop() { impl_->Stop(); }
const ConsumerStats& Consumer::stats() const { return impl_->stats(); }

Status Consumer::RunBlocking() {
  asio::io_context io(1);
  std::optional<Status> result;
  std::exception_ptr error;
  asio::co_spawn(io, Run(), [&](std::exception_ptr e, Status s) {
    error = e;
    result = std::move(s);
  });
  io.run();
  if (error) std::rethrow_exception(error);
  return result.value_or(Status::Ok());
}

}  // namespace sqsim::runtime
