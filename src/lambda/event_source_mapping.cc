// EventSourceMapping: pollers that gather and invoke batches, the scaler
// that sets how many pollers there are, and the shutdown sequence, all
// coroutines on one executor.

#include "sqsim/lambda/event_source_mapping.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <list>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include "core/spawn_guard.h"
#include "lambda/batch.h"
#include "lambda/batch_response.h"
#include "lambda/metrics_log.h"
#include "lambda/validation.h"
#include "runtime/signal.h"
#include "sqsim/when.h"

namespace sqsim::lambda {

namespace asio = boost::asio;
using internal::Batch;
using ::sqsim::internal::IsCancellation;
using namespace std::chrono_literals;

namespace {

// services-sqs-scaling.html: five batches at first, up to 300 more per
// minute, at most 1,000 at once.
constexpr int kInitialPollers = 5;
constexpr int kScaleUpPerMinute = 300;
constexpr int kMaxPollers = 1000;
// Lambda long-polls; SQS's limits per receive.
constexpr int kReceiveWaitSeconds = 20;
constexpr int kMaxMessagesPerReceive = 10;
constexpr int kMaxEntriesPerBatchCall = 10;
constexpr int kDefaultVisibilitySeconds = 30;  // SQS's default
// Backoffs (sqsim's choices: AWS documents none).
constexpr Duration kReceiveBackoffInitial = 1s;
constexpr Duration kReceiveBackoffMax = 20s;
constexpr Duration kThrottleBackoffInitial = 1s;
constexpr Duration kThrottleBackoffMax = 20s;
// A throttled batch is dropped rather than retried this close to the end of
// its visibility timeout.
constexpr Duration kDropMargin = 1s;

// "arn:aws:sqs:us-east-1:123456789012:q" -> "us-east-1".
std::string RegionOf(const std::string& arn) {
  size_t start = 0;
  for (int field = 0; field < 3; ++field) {
    start = arn.find(':', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  const size_t end = arn.find(':', start);
  return arn.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string RequestId(int64_t n) {
  char tail[24];
  std::snprintf(tail, sizeof(tail), "%012llx", static_cast<unsigned long long>(n));
  return std::string("00000000-0000-4000-8000-") + tail;
}

// The age of the batch's oldest record at `now` (by SentTimestamp).
Duration OldestAge(const std::vector<SqsRecord>& records, Timestamp now) {
  Duration oldest = Duration::zero();
  for (const SqsRecord& r : records) {
    const int64_t sent_ms = std::strtoll(r.attributes.sent_timestamp.c_str(), nullptr, 10);
    if (sent_ms <= 0) continue;
    oldest = std::max(oldest, now - Timestamp(std::chrono::milliseconds(sent_ms)));
  }
  return oldest;
}

}  // namespace

class EventSourceMapping::Impl {
 public:
  Impl(Client& client, Env& env, EventSourceMappingOptions options, SqsHandler handler)
      : client_(client),
        env_(env),
        o_(std::move(options)),
        handler_(std::move(handler)),
        fifo_(o_.queue_url.ends_with(".fifo")),
        report_failures_(!o_.function_response_types.empty()),
        cap_(std::min(kMaxPollers, o_.maximum_concurrency.value_or(kMaxPollers))),
        initial_(std::min(kInitialPollers, cap_)) {
    SQSIM_ASSERT(handler_ != nullptr, "EventSourceMapping needs a handler");
  }

  asio::awaitable<Status> Run();
  void Stop();
  const std::vector<std::string>& warnings() const { return warnings_; }
  const EventSourceMappingStats& stats() const { return stats_; }
  Result<std::vector<MetricDatapoint>> GetMetric(const FunctionMetricQuery& query) const {
    return metrics_.Query(query, env_.Now());
  }

 private:
  struct Task {
    asio::cancellation_signal cancel;
    // A poller whose batch's invocation has begun: a graceful stop lets it
    // finish rather than cancelling it.
    bool invoking = false;
  };

  void BeginStop();
  // Starts pollers until there are `target`; extra ones end after their
  // current batch.
  void SetTarget(int target);
  template <typename MakeTask>
  void StartTask(MakeTask make);
  void OnTaskEnded(std::list<Task>::iterator task, std::exception_ptr error);
  asio::awaitable<void> WaitForTasks();
  asio::awaitable<void> EndAllTasks();

  asio::awaitable<void> Scaler();
  asio::awaitable<void> Poller(Task* task);
  // Adds to `batch` (which may hold records already) until it is full, 6 MB
  // or its window ends; received records that do not fit go to `pending`.
  asio::awaitable<void> Gather(Batch& batch, Batch& pending);
  // Waits while reserved concurrency is in use; false when the batch was
  // dropped instead.
  asio::awaitable<bool> Admit(const Batch& batch);
  asio::awaitable<void> Invoke(Batch batch, Batch& pending);
  asio::awaitable<void> CallHandler(const SqsEvent& event, InvocationContext& context,
                                    std::optional<Result<BatchResponse>>& result,
                                    std::exception_ptr& thrown);
  asio::awaitable<size_t> Delete(const std::vector<SqsRecord>& records,
                                 const std::vector<size_t>& indices);
  // Gives the batch's messages back (visibility 0) and empties it.
  asio::awaitable<void> Release(Batch& batch);

  Client& client_;
  Env& env_;
  const EventSourceMappingOptions o_;
  const SqsHandler handler_;
  const bool fifo_;
  const bool report_failures_;
  const int cap_;      // the most pollers
  const int initial_;  // pollers at the start and at low traffic

  EventSourceMappingStats stats_;
  std::vector<std::string> warnings_;
  internal::MetricsLog metrics_;
  std::string queue_arn_;
  std::string region_;
  Duration visibility_ = std::chrono::seconds(kDefaultVisibilitySeconds);

  std::optional<asio::any_io_executor> executor_;
  std::optional<::sqsim::runtime::internal::Signal> changed_;  // a task ended, or stopping began
  std::list<Task> tasks_;
  bool stop_requested_ = false;
  bool stopping_ = false;
  bool crashing_ = false;
  std::exception_ptr fatal_;  // a task's bug: ends Run after a graceful stop
  int target_pollers_ = 0;
  int active_pollers_ = 0;
  int running_ = 0;  // invocations running
  int64_t invocation_count_ = 0;
  int64_t trouble_ = 0;  // errors and throttles since the scaler's last look
};

// ---- Lifecycle ---------------------------------------------------------------

asio::awaitable<Status> EventSourceMapping::Impl::Run() {
  if (Status valid = EventSourceMapping::Validate(o_); !valid.ok()) co_return valid;
  executor_ = co_await asio::this_coro::executor;
  changed_.emplace(*executor_);

  GetQueueAttributesRequest attributes{.queue_url = o_.queue_url,
                                       .attribute_names = {"VisibilityTimeout", "QueueArn"}};
  Result<GetQueueAttributesResponse> queue = co_await client_.AsyncGetQueueAttributes(attributes);
  // A throttle or an outage is not the queue's answer: look again, backing
  // off to 20 s, until it answers or the mapping is stopped. Anything else
  // (QueueDoesNotExist, AccessDenied) is, and ends Run.
  for (Duration wait = std::chrono::seconds(1);
       !queue.ok() && IsTransientError(queue.status().code());
       wait = std::min<Duration>(wait * 2, std::chrono::seconds(20))) {
    if (stop_requested_) co_return queue.status();
    co_await env_.Sleep(wait);
    queue = co_await client_.AsyncGetQueueAttributes(attributes);
  }
  if (!queue.ok()) co_return queue.status();
  int visibility_seconds = kDefaultVisibilitySeconds;
  if (auto it = queue->attributes.find("VisibilityTimeout"); it != queue->attributes.end()) {
    visibility_seconds = std::atoi(it->second.c_str());
  }
  if (auto it = queue->attributes.find("QueueArn"); it != queue->attributes.end()) {
    queue_arn_ = it->second;
    region_ = RegionOf(queue_arn_);
  }
  Status fits = internal::CheckVisibilityTimeout(visibility_seconds, o_.function_timeout_seconds);
  if (!fits.ok()) co_return fits;
  warnings_ = internal::Warnings(o_, visibility_seconds);
  visibility_ = std::chrono::seconds(visibility_seconds);

  std::exception_ptr crashed;
  try {
    if (!stop_requested_) {
      SetTarget(initial_);
      StartTask([this](Task*) { return Scaler(); });
    }
    stopping_ = stopping_ || stop_requested_;
    while (!stopping_) co_await changed_->Wait();
    co_await WaitForTasks();
  } catch (...) {
    crashed = std::current_exception();
  }
  if (crashed) {
    // Run was cancelled: a crash. Its tasks use this mapping, so it waits for
    // them regardless (in a cancelled coroutine every co_await throws:
    // reset first).
    crashing_ = true;
    stopping_ = true;
    co_await asio::this_coro::reset_cancellation_state();
    co_await EndAllTasks();
    std::rethrow_exception(crashed);
  }
  if (fatal_) std::rethrow_exception(fatal_);
  co_return Status::Ok();
}

void EventSourceMapping::Impl::Stop() {
  stop_requested_ = true;
  if (executor_) asio::post(*executor_, [this] { BeginStop(); });
}

void EventSourceMapping::Impl::BeginStop() {
  if (stopping_) return;
  stopping_ = true;
  // Pollers still gathering (or waiting out a throttle) give their messages
  // back; invocations under way finish.
  for (Task& task : tasks_) {
    if (!task.invoking) task.cancel.emit(asio::cancellation_type::terminal);
  }
  changed_->NotifyAll();
}

void EventSourceMapping::Impl::SetTarget(int target) {
  target_pollers_ = target;
  while (!stopping_ && active_pollers_ < target_pollers_) {
    ++active_pollers_;
    StartTask([this](Task* task) { return Poller(task); });
  }
  stats_.pollers = active_pollers_;
}

template <typename MakeTask>
void EventSourceMapping::Impl::StartTask(MakeTask make) {
  Task& task = tasks_.emplace_back();
  auto it = std::prev(tasks_.end());
  asio::co_spawn(
      *executor_, ::sqsim::internal::GuardForSpawn(make(&task)),
      asio::bind_cancellation_slot(
          task.cancel.slot(), [this, it](std::exception_ptr error) { OnTaskEnded(it, error); }));
}

void EventSourceMapping::Impl::OnTaskEnded(std::list<Task>::iterator task,
                                           std::exception_ptr error) {
  tasks_.erase(task);
  // A cancellation is the stop's (or the crash's) doing; anything else is a
  // bug that ends the mapping.
  if (error && !IsCancellation(error) && !fatal_) {
    fatal_ = error;
    BeginStop();
  }
  changed_->NotifyAll();
}

asio::awaitable<void> EventSourceMapping::Impl::WaitForTasks() {
  while (!tasks_.empty()) co_await changed_->Wait();
}

asio::awaitable<void> EventSourceMapping::Impl::EndAllTasks() {
  while (!tasks_.empty()) {
    co_await asio::this_coro::reset_cancellation_state();
    for (Task& task : tasks_) task.cancel.emit(asio::cancellation_type::terminal);
    try {
      co_await WaitForTasks();
    } catch (...) {
      continue;  // cancelled while waiting: cancel and wait again
    }
  }
}

// ---- Scaling -----------------------------------------------------------------

asio::awaitable<void> EventSourceMapping::Impl::Scaler() {
  while (!stopping_) {
    co_await env_.Sleep(1min);
    const bool trouble = trouble_ > 0;
    trouble_ = 0;
    if (trouble) {
      SetTarget(std::max(initial_, target_pollers_ / 2));
      continue;
    }
    GetQueueAttributesRequest depth{.queue_url = o_.queue_url,
                                    .attribute_names = {"ApproximateNumberOfMessages"}};
    Result<GetQueueAttributesResponse> got = co_await client_.AsyncGetQueueAttributes(depth);
    if (!got.ok() || stopping_) continue;
    auto it = got->attributes.find("ApproximateNumberOfMessages");
    const int visible = it == got->attributes.end() ? 0 : std::atoi(it->second.c_str());
    SetTarget(visible > 0 ? std::min(cap_, target_pollers_ + kScaleUpPerMinute) : initial_);
  }
}

// ---- Polling -----------------------------------------------------------------

asio::awaitable<void> EventSourceMapping::Impl::Poller(Task* task) {
  bool counted = true;  // still among active_pollers_
  struct Leave {
    Impl* impl;
    bool* counted;
    ~Leave() {
      if (*counted) --impl->active_pollers_;
      impl->stats_.pollers = impl->active_pollers_;
    }
  } leave{this, &counted};

  Batch pending;  // received, not yet in a batch: what did not fit the last one
  while (!stopping_) {
    if (active_pollers_ > target_pollers_) {  // scaled down: this one goes
      --active_pollers_;
      counted = false;
      break;
    }
    Batch batch = pending.empty() ? Batch() : Batch::TakeFitting(pending);
    bool admitted = false;
    std::exception_ptr error;
    try {
      co_await Gather(batch, pending);
      if (!batch.empty()) admitted = co_await Admit(batch);
    } catch (...) {
      error = std::current_exception();
    }
    if (error && (crashing_ || !stopping_ || !IsCancellation(error))) {
      std::rethrow_exception(error);
    }
    if (stopping_) {
      // Stopped while gathering: give the messages back. (The stop's
      // cancellation may be pending still: reset it first.)
      co_await asio::this_coro::reset_cancellation_state();
      co_await Release(batch);
      break;
    }
    if (!admitted) continue;
    task->invoking = true;
    co_await Invoke(std::move(batch), pending);
    task->invoking = false;
  }
  if (!pending.empty() && !crashing_) co_await Release(pending);
}

asio::awaitable<void> EventSourceMapping::Impl::Gather(Batch& batch, Batch& pending) {
  const Duration window = std::chrono::seconds(o_.maximum_batching_window_in_seconds);
  // The window starts with the batch's first record.
  std::optional<Timestamp> deadline;
  if (!batch.empty()) deadline = env_.Now() + window;
  Duration backoff = kReceiveBackoffInitial;
  while (pending.empty() && static_cast<int>(batch.size()) < o_.batch_size) {
    int wait = kReceiveWaitSeconds;
    if (!batch.empty()) {
      // Without a window (and always on FIFO queues) one receive makes the
      // batch.
      if (window == Duration::zero()) break;
      const Duration left = *deadline - env_.Now();
      if (left <= Duration::zero()) break;
      const auto left_seconds = std::chrono::ceil<std::chrono::seconds>(left).count();
      wait = static_cast<int>(std::min<int64_t>(kReceiveWaitSeconds, left_seconds));
    }
    ReceiveMessageRequest receive{
        .queue_url = o_.queue_url,
        .message_system_attribute_names = {"All"},
        .message_attribute_names = {"All"},
        .max_number_of_messages =
            std::min(kMaxMessagesPerReceive, o_.batch_size - static_cast<int>(batch.size())),
        .wait_time_seconds = wait};
    Result<ReceiveMessageResponse> got = co_await client_.AsyncReceiveMessage(receive);
    ++stats_.receives;
    if (!got.ok()) {
      ++stats_.receive_errors;
      co_await env_.Sleep(backoff);
      backoff = std::min(backoff * 2, kReceiveBackoffMax);
      continue;
    }
    backoff = kReceiveBackoffInitial;
    if (got->messages.empty()) {
      ++stats_.empty_receives;
      // An idle poller goes back to its loop, which retires it when the
      // mapping has scaled down.
      if (batch.empty()) co_return;
      continue;
    }
    const Timestamp now = env_.Now();
    stats_.polled += static_cast<int64_t>(got->messages.size());
    metrics_.Polled(now, static_cast<int64_t>(got->messages.size()));
    for (const Message& m : got->messages) {
      SqsRecord record = RecordFromMessage(m, queue_arn_, region_);
      const size_t bytes = ToJson(record).size();
      if (batch.Replace(record, bytes) || pending.Replace(record, bytes)) continue;
      // Past 6 MB, this message and the rest of the receive (their order
      // matters on FIFO queues) wait for the next batch.
      Batch& into = pending.empty() && batch.Fits(bytes) ? batch : pending;
      into.Add(std::move(record), bytes, now);
    }
    if (!deadline) deadline = now + window;
  }
}

asio::awaitable<bool> EventSourceMapping::Impl::Admit(const Batch& batch) {
  if (!o_.reserved_concurrent_executions) co_return true;
  Duration backoff = kThrottleBackoffInitial;
  const Timestamp expires = *batch.received_at + visibility_;
  while (running_ >= *o_.reserved_concurrent_executions) {
    ++stats_.throttles;
    ++trouble_;
    metrics_.Throttled(env_.Now());
    if (env_.Now() + backoff + kDropMargin >= expires) {
      // Lambda "drops the message": it reappears when its visibility ends.
      ++stats_.dropped;
      co_return false;
    }
    co_await env_.Sleep(backoff);
    backoff = std::min(backoff * 2, kThrottleBackoffMax);
  }
  co_return true;
}

// ---- Invoking ----------------------------------------------------------------

asio::awaitable<void> EventSourceMapping::Impl::CallHandler(
    const SqsEvent& event, InvocationContext& context, std::optional<Result<BatchResponse>>& result,
    std::exception_ptr& thrown) {
  try {
    Result<BatchResponse> returned = co_await handler_(event, context);
    result.emplace(std::move(returned));
  } catch (...) {
    thrown = std::current_exception();  // a function error (or the timeout's cancellation)
  }
}

asio::awaitable<void> EventSourceMapping::Impl::Invoke(Batch batch, Batch& pending) {
  const Timestamp start = env_.Now();
  InvocationRecord record{
      .start = start, .records = batch.size(), .payload_bytes = batch.payload_bytes()};
  SqsEvent event{.records = std::move(batch.records)};
  for (const SqsRecord& r : event.records) record.message_ids.push_back(r.message_id);

  struct Running {  // holds a unit of concurrency while the function runs
    Impl* impl;
    bool held = true;
    void Release() {
      if (held) --impl->running_;
      held = false;
    }
    ~Running() { Release(); }
  } running{this};
  ++running_;
  record.concurrency = running_;
  ++stats_.invocations;
  stats_.max_concurrency = std::max(stats_.max_concurrency, running_);
  metrics_.Invoked(start, event.records.size(), OldestAge(event.records, start), running_);

  const Duration timeout = std::chrono::seconds(o_.function_timeout_seconds);
  InvocationContext context{.env = env_,
                            .function_name = o_.function_name,
                            .aws_request_id = RequestId(++invocation_count_),
                            .deadline = start + timeout};
  std::optional<Result<BatchResponse>> result;
  std::exception_ptr thrown;
  std::vector<asio::awaitable<void>> race;
  race.push_back(CallHandler(event, context, result, thrown));
  race.push_back(env_.Sleep(timeout));
  const size_t first = co_await WhenAny(std::move(race));

  const int concurrency = running_;
  running.Release();
  record.end = env_.Now();
  bool error = true;
  if (first == 1) {
    record.outcome = InvocationRecord::Outcome::kTimeout;
    ++stats_.timeouts;
  } else if (thrown || !result || !result->ok()) {
    record.outcome = InvocationRecord::Outcome::kError;
  } else {
    error = false;
  }
  if (error) {
    ++stats_.errors;
    ++trouble_;
  }
  metrics_.Ended(record.end, record.end - start, error, concurrency);

  std::vector<size_t> to_delete;
  if (!error) {
    std::optional<std::vector<size_t>> succeeded =
        internal::RecordsToDelete(event.records, result->value(), report_failures_);
    if (!succeeded) {
      record.outcome = InvocationRecord::Outcome::kInvalidResponse;
      ++stats_.invalid_responses;
    } else {
      to_delete = std::move(*succeeded);
      if (to_delete.size() < event.records.size()) {
        record.outcome = InvocationRecord::Outcome::kPartialFailure;
        ++stats_.partial_failures;
      }
    }
  }
  record.deleted = co_await Delete(event.records, to_delete);
  // FIFO: records that stay come back before their groups' later messages,
  // which this poller may hold already: give those back too.
  if (fifo_ && record.deleted < event.records.size() && !pending.empty()) {
    co_await Release(pending);
  }
  if (o_.on_invocation) o_.on_invocation(record);
}

asio::awaitable<size_t> EventSourceMapping::Impl::Delete(const std::vector<SqsRecord>& records,
                                                         const std::vector<size_t>& indices) {
  size_t deleted = 0;
  for (size_t at = 0; at < indices.size(); at += kMaxEntriesPerBatchCall) {
    DeleteMessageBatchRequest request{.queue_url = o_.queue_url};
    const size_t end = std::min(indices.size(), at + kMaxEntriesPerBatchCall);
    for (size_t k = at; k < end; ++k) {
      request.entries.push_back(
          {.id = std::to_string(k - at), .receipt_handle = records[indices[k]].receipt_handle});
    }
    Result<DeleteMessageBatchResponse> done = co_await client_.AsyncDeleteMessageBatch(request);
    if (!done.ok()) {
      stats_.delete_failures += static_cast<int64_t>(request.entries.size());
      continue;
    }
    deleted += done->successful.size();
    stats_.delete_failures += static_cast<int64_t>(done->failed.size());
  }
  stats_.deleted += static_cast<int64_t>(deleted);
  if (deleted > 0) metrics_.Deleted(env_.Now(), static_cast<int64_t>(deleted));
  co_return deleted;
}

asio::awaitable<void> EventSourceMapping::Impl::Release(Batch& batch) {
  for (size_t at = 0; at < batch.size(); at += kMaxEntriesPerBatchCall) {
    ChangeMessageVisibilityBatchRequest request{.queue_url = o_.queue_url};
    const size_t end = std::min(batch.size(), at + kMaxEntriesPerBatchCall);
    for (size_t k = at; k < end; ++k) {
      request.entries.push_back({.id = std::to_string(k - at),
                                 .receipt_handle = batch.records[k].receipt_handle,
                                 .visibility_timeout = 0});
    }
    (void)co_await client_.AsyncChangeMessageVisibilityBatch(request);
  }
  stats_.released += static_cast<int64_t>(batch.size());
  batch = Batch();
}

// ---- EventSourceMapping ------------------------------------------------------

EventSourceMapping::EventSourceMapping(Client& client, Env& env, EventSourceMappingOptions options,
                                       SqsHandler handler)
    : impl_(std::make_unique<Impl>(client, env, std::move(options), std::move(handler))) {}
EventSourceMapping::~EventSourceMapping() = default;  // Run has ended: no task is left

asio::awaitable<Status> EventSourceMapping::Run() { return impl_->Run(); }
void EventSourceMapping::Stop() { impl_->Stop(); }
const std::vector<std::string>& EventSourceMapping::warnings() const { return impl_->warnings(); }
const EventSourceMappingStats& EventSourceMapping::stats() const { return impl_->stats(); }
Result<std::vector<MetricDatapoint>> EventSourceMapping::GetMetric(
    const FunctionMetricQuery& query) const {
  return impl_->GetMetric(query);
}

}  // namespace sqsim::lambda
