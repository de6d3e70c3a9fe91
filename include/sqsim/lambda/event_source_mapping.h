// EventSourceMapping: a Lambda SQS trigger in virtual time, polling a queue
// as the Lambda service does and invoking a C++ handler.
//
// It uses only `Client` and `Env`, so on the Simulator a day of traffic
// through a Lambda consumer runs in seconds, deterministically, with the
// simulator's faults:
//
//   sqsim::lambda::EventSourceMapping trigger(
//       *sim, sim->env(),
//       {.queue_url = url, .batch_size = 100, .maximum_batching_window_in_seconds = 5,
//        .function_response_types = {"ReportBatchItemFailures"}},
//       [](const SqsEvent& event, InvocationContext& context)
//           -> boost::asio::awaitable<Result<BatchResponse>> {
//         std::vector<std::string> failed;
//         for (const SqsRecord& r : event.records) {
//           co_await context.env.Sleep(std::chrono::milliseconds(20));  // the work
//           if (!Enroll(r.body)) failed.push_back(r.message_id);
//         }
//         co_return BatchResponse::Failures(failed);
//       });
//   sim->Spawn(RunAndReport(trigger));  // co_await trigger.Run(); ... trigger.Stop();
//
// Behaviour, after the AWS Lambda Developer Guide, "Using Lambda with
// Amazon SQS" (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html) and its
// pages services-sqs-configure.html, services-sqs-scaling.html and
// services-sqs-errorhandling.html:
//
//  * Pollers long-poll the queue (20 s receives, up to 10 messages each) and
//    gather a batch: "Lambda continues to poll messages from the standard
//    queue until the batching window expires, the invocation payload size
//    quota is reached, or the configured maximum batch size is reached." The
//    window starts with the batch's first message; with no window, one
//    receive makes the batch. A message that would take the event's JSON
//    past 6 MB starts the poller's next batch instead. FIFO queues: one
//    receive of up to BatchSize messages (no window, as Lambda).
//  * Each poller invokes its batch and waits for it (synchronous
//    invocation), so concurrent invocations never exceed the pollers.
//  * Success: the batch is deleted with DeleteMessageBatch. With
//    ReportBatchItemFailures, only the records not listed in
//    batchItemFailures are; a response naming an empty or null
//    itemIdentifier, or a messageId not in the batch, fails the whole batch.
//  * Function error (the handler throws or returns a non-OK Result) or
//    timeout (the handler still runs after the function timeout: it is
//    cancelled, its pending co_await ends with operation_aborted): nothing
//    is deleted; the batch comes back after the visibility timeout, with
//    ApproximateReceiveCount one higher, and the queue's RedrivePolicy moves
//    it to the dead-letter queue after maxReceiveCount receives.
//  * Scaling (services-sqs-scaling.html, standard mode): "When messages are
//    available, Lambda starts processing five batches at a time with five
//    concurrent invocations of your function. If messages are still
//    available, Lambda increases the number of processes that are reading
//    batches by up to 300 more instances per minute. The maximum number of
//    batches that an event source mapping can process simultaneously is
//    1,000. When traffic is low, Lambda scales back the processing to five
//    concurrent batches". Here: 5 pollers (fewer if MaximumConcurrency is
//    lower); each minute after Run starts, +300 when the queue still has
//    visible messages (ApproximateNumberOfMessages, one GetQueueAttributes),
//    back to 5 when it has none, up to 1,000 and MaximumConcurrency. The
//    page's further reduction to 2 batches at low traffic is not modelled.
//    A minute with function errors or throttles halves the pollers (never
//    below 5): the guide says only that Lambda "gradually backs off,
//    reducing the amount of concurrency allocated" after errors and
//    throttling; halving is sqsim's choice.
//  * Reserved concurrency caps concurrent invocations of the function; a
//    poller that finds it in use is throttled. As the guide says ("Lambda
//    continues to retry the message until the message's timestamp exceeds
//    your queue's visibility timeout, at which point Lambda drops the
//    message"), it retries after 1 s, doubling up to 20 s (sqsim's backoff),
//    and drops the batch (it becomes visible again when its visibility
//    timeout ends) when the next retry would come within a second of that.
//  * FIFO: SQS hands out no message of a group while another of the group
//    is in flight, so a group's messages reach the function in order and at
//    most one batch holds a group at a time; a failed batch blocks its
//    groups until it comes back. Scaling as above (the pollers find work
//    only in as many groups as are active).
//
// Validation, as CreateEventSourceMapping (and, for the function timeout and
// reserved concurrency, CreateFunction and PutFunctionConcurrency) answer:
// values outside the API model's ranges fail with kValidationError (wire
// name ValidationException; "1 validation error detected: Value '0' at
// 'batchSize' failed to satisfy constraint: Member must have value greater
// than or equal to 1", one clause per violation); the rules Lambda checks
// beyond the model fail with kInvalidParameterValue, whose JSON wire name is
// Lambda's InvalidParameterValueException:
//   "Maximum batch window in seconds must be greater than 0 if maximum batch
//    size is greater than 10"
//   "Batching window is not supported for FIFO queues"
//   "Maximum batch size must be between 1 and 10 inclusive"   (FIFO queues)
//   "Queue visibility timeout: 30 seconds is less than Function timeout: 60
//    seconds"   (checked by Run against the queue's VisibilityTimeout)
// The guide's recommendation ("set the source queue's visibility timeout to
// at least six times the timeout that you configure on your function") is
// not enforced by AWS; Run records a warning (warnings()) when it is not
// met, and one when MaximumConcurrency exceeds reserved concurrency (the
// scaling page: "don't configure maximum concurrency to be larger than the
// function's reserved concurrency").
//
// Shutdown: Stop() stops polling (a pending long poll is abandoned), gives
// back the messages of batches not yet invoked (visibility 0), lets running
// invocations finish and apply their outcome, and Run returns.
//
// Deterministic: all timing by Env (virtual under the Simulator); no
// threads, no wall clock. While running, pollers always poll, so
// Simulator::RunUntilIdle does not return: use RunFor or RunUntil.
//
// Thread safety: Run's coroutines share the executor it runs on, which must
// be single-threaded (the simulator's); call Stop() from that thread.

#ifndef SQSIM_LAMBDA_EVENT_SOURCE_MAPPING_H_
#define SQSIM_LAMBDA_EVENT_SOURCE_MAPPING_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/lambda/function_metrics.h"
#include "sqsim/lambda/sqs_event.h"
#include "sqsim/metrics.h"
#include "sqsim/status.h"

namespace sqsim::lambda {

// What an invocation gets besides the event (Lambda's context object).
struct InvocationContext {
  Env& env;
  std::string function_name{};
  // Unique per invocation ("00000000-0000-4000-8000-" and a counter): the
  // same in every run of the same program.
  std::string aws_request_id{};
  // When the function times out.
  Timestamp deadline{};

  // getRemainingTimeInMillis(): the time left before the timeout.
  Duration RemainingTime() const { return deadline - env.Now(); }
};

// The function. It may co_await env.Sleep to model its work. Throwing, or
// returning a non-OK Result, is a function error.
using SqsHandler = std::function<boost::asio::awaitable<Result<BatchResponse>>(
    const SqsEvent& event, InvocationContext& context)>;

// What happened to one invocation, for reports and tests
// (EventSourceMappingOptions::on_invocation).
struct InvocationRecord {
  enum class Outcome {
    kSuccess,          // the batch (or its successes) was deleted
    kPartialFailure,   // ReportBatchItemFailures: some records stay
    kInvalidResponse,  // batchItemFailures named no valid record: the whole batch stays
    kError,            // the function threw or returned an error: the whole batch stays
    kTimeout,          // the function ran past its timeout: the whole batch stays
  };
  Outcome outcome = Outcome::kSuccess;
  Timestamp start{};
  Timestamp end{};
  size_t records = 0;
  size_t payload_bytes = 0;  // the event's JSON
  size_t deleted = 0;        // records deleted after it
  int concurrency = 0;       // invocations running, this one included, at its start
  std::vector<std::string> message_ids{};
};

struct EventSourceMappingOptions {
  // The queue (Lambda's EventSourceArn; here its URL, as Client takes it).
  // A URL ending in ".fifo" is a FIFO queue. Required.
  std::string queue_url{};
  // The function's name (FunctionName), for the context and messages.
  std::string function_name = "function";

  // BatchSize: the most records per invocation. 1..10,000 (the model);
  // at most 10 for a FIFO queue; above 10 needs a batching window.
  int batch_size = 10;
  // MaximumBatchingWindowInSeconds: how long a poller keeps gathering
  // records after the batch's first one. 0..300; FIFO queues: 0 only.
  int maximum_batching_window_in_seconds = 0;
  // FunctionResponseTypes: empty, or {"ReportBatchItemFailures"}.
  std::vector<std::string> function_response_types{};
  // ScalingConfig.MaximumConcurrency: the most concurrent invocations this
  // mapping makes. 2..1000; none: up to 1,000 (the scaling limit).
  std::optional<int> maximum_concurrency{};

  // The function's Timeout in seconds: 1..900. Lambda's default: 3.
  int function_timeout_seconds = 3;
  // The function's reserved concurrency (PutFunctionConcurrency's
  // ReservedConcurrentExecutions, >= 0; 0 throttles every invocation);
  // none: unreserved (no cap besides the mapping's).
  std::optional<int> reserved_concurrent_executions{};

  // Called after each invocation's outcome was applied, on the mapping's
  // executor; keep it quick.
  std::function<void(const InvocationRecord&)> on_invocation{};
};

struct EventSourceMappingStats {
  int64_t receives = 0, empty_receives = 0, receive_errors = 0;
  int64_t polled = 0;  // messages received
  int64_t invocations = 0;
  int64_t errors = 0;    // function errors, timeouts included
  int64_t timeouts = 0;  // of which timeouts
  int64_t invalid_responses = 0;
  int64_t partial_failures = 0;  // invocations with some records reported failed
  int64_t throttles = 0;         // invocation attempts throttled
  int64_t dropped = 0;           // batches dropped after throttling
  int64_t deleted = 0, delete_failures = 0;
  int64_t released = 0;  // messages given back unprocessed at Stop
  int max_concurrency = 0;
  int pollers = 0;  // now
};

class EventSourceMapping {
 public:
  // `client` and `env` must outlive the mapping; the mapping must outlive Run.
  EventSourceMapping(Client& client, Env& env, EventSourceMappingOptions options,
                     SqsHandler handler);
  ~EventSourceMapping();
  EventSourceMapping(const EventSourceMapping&) = delete;
  EventSourceMapping& operator=(const EventSourceMapping&) = delete;

  // The options' errors that need no queue (see the top of this file), or OK.
  static Status Validate(const EventSourceMappingOptions& options);

  // Polls and invokes until Stop(), on the executor it is awaited on.
  // Returns at once with the options' error, the queue's (GetQueueAttributes:
  // QueueDoesNotExist, say) or the visibility timeout's; else OK after a
  // graceful stop. A transient GetQueueAttributes error (a throttle, a 5xx,
  // the network) is retried, backing off from 1 to 20 s, as the Lambda
  // service keeps trying; a Stop() meanwhile returns that error. Cancelling Run (an Asio
  // cancellation) is a crash: every invocation is cancelled, nothing more is deleted or released.
  boost::asio::awaitable<Status> Run();
  void Stop();

  // Recorded warnings (not enforced by AWS), in the order found.
  const std::vector<std::string>& warnings() const;
  const EventSourceMappingStats& stats() const;
  // Per-minute metrics (sqsim/lambda/function_metrics.h) as of Env::Now().
  Result<std::vector<MetricDatapoint>> GetMetric(const FunctionMetricQuery& query) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqsim::lambda

#endif  // SQSIM_LAMBDA_EVENT_SOURCE_MAPPING_H_
