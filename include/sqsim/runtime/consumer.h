// Consumer: the long-polling background consumer of a queue, as a library.
//
// It receives in batches, runs a handler per message with bounded
// concurrency, extends the visibility of messages whose handler is still
// running, deletes what was handled (coalescing deletes into
// DeleteMessageBatch), backs off on errors, keeps FIFO group order, and shuts
// down gracefully. It uses only `Client` and `Env`, so the same consumer
// runs on the Simulator (virtual time, deterministic), the
// ThreadedSimulator and AwsClient (real SQS):
//
//   sqsim::runtime::Consumer consumer(
//       client, env, {.queue_url = url, .max_in_flight = 20,
//                     .heartbeat_interval = std::chrono::seconds(20)},
//       [&](sqsim::runtime::Delivery& d) -> boost::asio::awaitable<Outcome> {
//         co_await Enroll(d.message().body);   // the application's work
//         co_return Outcome::Done();           // deleted
//       });
//   co_spawn(executor, consumer.Run(), detached);  // ... consumer.Stop();
//
// What a handler returns decides the message's fate:
//   Done        deleted (batched, or at once: see delete_batch_size)
//   Retry       visibility set to a delay (explicit, or backoff by receive
//               count): the message comes back then
//   DeadLetter  sent to the given queue (body and attributes), then deleted
//   Leave       nothing: the visibility timeout decides
// An exception from the handler is turned into an outcome by `on_exception`
// (default Leave), except a FatalError or one `is_fatal` accepts: that ends
// Run, which cancels every running handler and rethrows it once they ended
// (the process is dying; the test harness's Crash is one).
//
// FIFO queues (URL ending in ".fifo"): the messages of one group are handled
// strictly in order, one at a time, groups in parallel; deletes are
// immediate. When a message of a group is not deleted (a retry, a failed
// delete, an exception), the group's later messages from the same receive
// are released (visibility 0) instead of handled, so that order holds.
//
// Back-pressure: a receive asks for no more messages than there is room for
// (max_in_flight), so nothing waits unstarted while its visibility runs out.
//
// Shutdown: Stop() stops receiving and cancels the pending long poll; Run
// lets running handlers finish within `shutdown_deadline` (then cancels
// them), releases messages received but not started, flushes pending
// deletes, and returns.
//
// Thread safety: Run's coroutines share the executor Run was spawned on,
// which must run on one thread (an io_context run by one thread, the
// simulator, or a strand); Stop() may be called from any thread.

#ifndef SQSIM_RUNTIME_CONSUMER_H_
#define SQSIM_RUNTIME_CONSUMER_H_

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"

namespace sqsim::runtime {

// What happens to a message after its handler.
struct Outcome {
  enum class Kind { kDone, kRetry, kDeadLetter, kLeave };
  Kind kind = Kind::kDone;
  // kRetry: the delay before the message comes back; none: the consumer's
  // RetryBackoff by receive count.
  std::optional<Duration> retry_after{};
  // kDeadLetter: where it goes.
  std::string dead_letter_queue_url{};

  static Outcome Done() { return {}; }
  static Outcome Retry() { return {.kind = Kind::kRetry}; }
  static Outcome RetryAfter(Duration delay) { return {.kind = Kind::kRetry, .retry_after = delay}; }
  static Outcome DeadLetter(std::string queue_url) {
    return {.kind = Kind::kDeadLetter, .dead_letter_queue_url = std::move(queue_url)};
  }
  static Outcome Leave() { return {.kind = Kind::kLeave}; }
};

// What a handler gets: the message, the consumer's Env, and whether the
// consumer still owns the message.
class Delivery {
 public:
  Delivery(const Message& message, Env& env) : message_(message), env_(env) {}
  const Message& message() const { return message_; }
  Env& env() const { return env_; }
  // True once extending the message's visibility failed (its receipt handle
  // is no longer valid: it was received again, or deleted): another
  // consumer may be handling it. A handler that can stop should; the
  // consumer will not delete it with a handle that failed.
  bool ownership_lost() const { return ownership_lost_; }
  void set_ownership_lost() { ownership_lost_ = true; }

 private:
  const Message& message_;
  Env& env_;
  bool ownership_lost_ = false;
};

using MessageHandler = std::function<boost::asio::awaitable<Outcome>(Delivery&)>;

// A handler for the messages of one receive at once (on a FIFO queue, those
// of one group from one receive, in order): a bulk insert, one call to an
// API that takes many. It returns an outcome per delivery, in their order
// (missing ones count as Leave). On a FIFO queue the outcomes are applied in
// order, and once one message stays the later ones are released whatever
// their outcome, so that the group's order holds. A message whose
// visibility may have run out before the call is not among the deliveries.
using BatchHandler =
    std::function<boost::asio::awaitable<std::vector<Outcome>>(std::vector<Delivery>&)>;

// What the consumer did, one event per counter increment of ConsumerStats,
// for logs and metrics (ConsumerOptions::on_event).
struct ConsumerEvent {
  enum class Kind {
    kReceiveError,   // `status`
    kReceived,       // `message`: one per message
    kHandled,        // `message`, `outcome`: the handler's decision
    kHandlerThrew,   // `message`: then on_exception's outcome is kHandled
    kDeleted,        // one per message deleted (no `message`: deletes go by handle)
    kDeleteFailed,   // `status`, after the retry of a failed batch entry
    kExtended,       // `message`: its visibility was extended
    kOwnershipLost,  // `message`: an extension failed
    kReleased,       // `message`: handed back unhandled (visibility 0)
    kExpired,        // `message`: left, its visibility may have run out
  };
  Kind kind;
  const Message* message = nullptr;
  std::optional<Outcome::Kind> outcome{};
  Status status{};
};

// Retry delays by receive count n: initial * multiplier^(n-1), at most `max`
// (and never past SQS's 12-hour visibility limit).
struct RetryBackoff {
  Duration initial = std::chrono::seconds(1);
  double multiplier = 2;
  Duration max = std::chrono::minutes(15);
};

struct ConsumerOptions {
  std::string queue_url{};

  // Receiving: each poller long-polls with these.
  int max_messages_per_receive = 10;        // 1..10
  int wait_time_seconds = 20;               // 0..20
  std::optional<int> visibility_timeout{};  // seconds; none: the queue's
  std::vector<std::string> message_attribute_names{"All"};
  std::vector<std::string> system_attribute_names{"All"};
  int pollers = 1;

  // Handling: at most this many messages received and not yet finished.
  int max_in_flight = 10;

  // Heartbeat: while a handler runs, every `heartbeat_interval` its message's
  // visibility (and that of the FIFO group's messages waiting behind it) is
  // set to `heartbeat_visibility_seconds` from now (never past 12 hours
  // after the receive). Zero interval: no heartbeat; then a FIFO message
  // whose turn comes after its visibility timeout is left, not handled.
  Duration heartbeat_interval{};
  int heartbeat_visibility_seconds = 30;

  RetryBackoff retry{};
  // The outcome of a handler's exception; default: Leave.
  std::function<Outcome(std::exception_ptr)> on_exception{};
  // Exceptions besides FatalError that end Run.
  std::function<bool(std::exception_ptr)> is_fatal{};

  // Acknowledgement: deletes wait to be sent in batches of this many, or
  // for `delete_flush_interval`, whichever comes first. 1: each message is
  // deleted at once (always so on FIFO queues).
  int delete_batch_size = 10;  // 1..10
  Duration delete_flush_interval = std::chrono::milliseconds(100);

  // Receive errors: back off from `receive_backoff_initial`, doubling up to
  // `receive_backoff_max`, with jitter from Env::rng().
  Duration receive_backoff_initial = std::chrono::milliseconds(500);
  Duration receive_backoff_max = std::chrono::seconds(20);

  // How long Run waits for running handlers after Stop() before cancelling
  // them.
  Duration shutdown_deadline = std::chrono::seconds(30);

  // Called for every event, on the consumer's executor; keep it quick.
  std::function<void(const ConsumerEvent&)> on_event{};
};

struct ConsumerStats {
  int64_t receives = 0, empty_receives = 0, receive_errors = 0;
  int64_t received = 0;  // messages
  int64_t done = 0, retried = 0, dead_lettered = 0, left = 0, exceptions = 0;
  int64_t deleted = 0, delete_failures = 0;
  int64_t extensions = 0, lost_ownership = 0;
  int64_t released = 0;   // handed back (visibility 0) unhandled: FIFO, shutdown
  int64_t cancelled = 0;  // handlers cancelled at the shutdown deadline
  // Left unhandled because their visibility may have run out before their
  // turn (a failed extension; no heartbeat and a long wait behind the rest
  // of their FIFO group): another consumer may have them now.
  int64_t expired = 0;
};

class Consumer {
 public:
  // `client` and `env` must outlive the consumer; the consumer must outlive
  // Run.
  Consumer(Client& client, Env& env, ConsumerOptions options, MessageHandler handler);
  // The same, calling `handler` once per receive (see BatchHandler).
  Consumer(Client& client, Env& env, ConsumerOptions options, BatchHandler handler);
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // The options' problems (kInvalidParameterValue), or OK.
  static Status Validate(const ConsumerOptions& options);

  // Consumes until Stop(), on the executor it is awaited on. Returns invalid
  // options' Status at once, else OK after a graceful stop; rethrows a fatal
  // exception (after cancelling every handler). Cancelling Run (an Asio
  // cancellation) cancels every handler too, and flushes nothing: it is a
  // crash, not a shutdown.
  boost::asio::awaitable<Status> Run();
  // Runs on a private io_context on the calling thread until Stop() (from
  // another thread, or from a handler).
  Status RunBlocking();
  void Stop();

  const ConsumerStats& stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqsim::runtime

#endif  // SQSIM_RUNTIME_CONSUMER_H_
