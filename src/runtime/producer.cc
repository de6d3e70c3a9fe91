// Producer: batches gathered by whichever sender leads, sent one at a time.

#include "sqsim/runtime/producer.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <optional>
#include <set>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "runtime/signal.h"
#include "sim/validation.h"

namespace sqsim::runtime {

namespace asio = boost::asio;

namespace {

Status Invalid(const std::string& what) {
  return Status(ErrorCode::kInvalidParameterValue, "invalid producer options: " + what);
}

// A failed entry is worth sending again when SQS does not blame the sender,
// or throttled it.
bool RetryableEntry(const BatchResultErrorEntry& failed) {
  const std::optional<ErrorCode> code = ErrorCodeFromWireName(failed.code);
  return !failed.sender_fault || (code && GetErrorInfo(*code).retryable);
}

Status EntryError(const BatchResultErrorEntry& failed) {
  return Status(ErrorCodeFromWireName(failed.code).value_or(ErrorCode::kInternalFailure),
                failed.message.value_or(failed.code));
}

}  // namespace

class Producer::Impl {
 public:
  Impl(Client& client, Env& env, ProducerOptions options)
      : client_(client),
        env_(env),
        o_(std::move(options)),
        valid_(Validate(o_)),
        fifo_(o_.queue_url.ends_with(".fifo")) {}

  asio::awaitable<Result<SendMessageResponse>> Send(SendMessageRequest request);
  const ProducerStats& stats() const { return stats_; }

 private:
  struct Entry {
    SendMessageBatchRequestEntry entry;
    int64_t bytes = 0;
    std::optional<Result<SendMessageResponse>> result;
  };
  using EntryPtr = std::shared_ptr<Entry>;

  // Sends batches until nobody waits.
  asio::awaitable<void> Lead();
  // Waits until a full batch waits, or `linger` has passed.
  asio::awaitable<void> Linger();
  bool FullBatchWaiting() const;
  // The next batch: waiting entries in order, within the limits; on a FIFO
  // queue at most one per group.
  std::vector<EntryPtr> TakeBatch();
  asio::awaitable<void> SendWithRetries(std::vector<EntryPtr> batch);
  void Finish(const EntryPtr& entry, Result<SendMessageResponse> result);

  Client& client_;
  Env& env_;
  const ProducerOptions o_;
  const Status valid_;
  const bool fifo_;
  ProducerStats stats_;
  // Two signals, so that a new message does not wake every sender waiting
  // for its result, nor a result the leader waiting for a full batch.
  // The leader: a batch may be full, or its linger is over. Shared with the
  // linger timers, which may fire after the producer is gone.
  std::shared_ptr<internal::Signal> entry_added_;
  std::optional<internal::Signal> finished_;  // senders: results, or no leader
  std::deque<EntryPtr> waiting_;
  std::vector<SendMessageBatchRequestEntry> spare_entries_;  // see SendWithRetries
  bool leading_ = false;
};

asio::awaitable<Result<SendMessageResponse>> Producer::Impl::Send(SendMessageRequest request) {
  if (!valid_.ok()) co_return valid_;
  if (!request.queue_url.empty() && request.queue_url != o_.queue_url) {
    co_return Status(ErrorCode::kInvalidParameterValue,
                     "this producer sends to " + o_.queue_url + ", not " + request.queue_url);
  }
  if (!finished_) {
    const asio::any_io_executor executor = co_await asio::this_coro::executor;
    entry_added_ = std::make_shared<internal::Signal>(executor);
    finished_.emplace(executor);
  }
  auto entry = std::make_shared<Entry>();
  entry->bytes = static_cast<int64_t>(
      sqsim::internal::MessageSize(request.message_body, request.message_attributes));
  if (entry->bytes > o_.max_message_bytes) {
    ++stats_.rejected_too_large;
    // SQS's own answer to a message over MaximumMessageSize.
    co_return Status(ErrorCode::kInvalidParameterValue,
                     "One or more parameters are invalid. Reason: Message must be shorter than " +
                         std::to_string(o_.max_message_bytes) + " bytes.");
  }
  entry->entry = {.message_body = std::move(request.message_body),
                  .delay_seconds = request.delay_seconds,
                  .message_attributes = std::move(request.message_attributes),
                  .message_system_attributes = std::move(request.message_system_attributes),
                  .message_deduplication_id = std::move(request.message_deduplication_id),
                  .message_group_id = std::move(request.message_group_id)};
  waiting_.push_back(entry);
  entry_added_->NotifyAll();  // a batch that just filled up goes now
  while (!entry->result) {
    if (leading_) {
      co_await finished_->Wait();
      continue;
    }
    // Nobody is sending: this sender sends, for everyone waiting. If it is
    // cancelled meanwhile, another waiting sender takes over.
    leading_ = true;
    try {
      co_await Lead();
    } catch (...) {
      leading_ = false;
      finished_->NotifyAll();
      throw;
    }
    leading_ = false;
    finished_->NotifyAll();
  }
  co_return std::move(*entry->result);
}

bool Producer::Impl::FullBatchWaiting() const {
  if (static_cast<int>(waiting_.size()) >= o_.max_batch_entries) return true;
  int64_t bytes = 0;
  for (const EntryPtr& e : waiting_) bytes += e->bytes;
  return bytes >= o_.max_batch_bytes;
}

asio::awaitable<void> Producer::Impl::Linger() {
  // A timer that wakes the leader, rather than a race cancelling the sleep
  // when the batch fills first: cancelling costs an exception per batch.
  auto over = std::make_shared<bool>(false);
  asio::co_spawn(
      co_await asio::this_coro::executor,
      [](Env& env, Duration linger, std::shared_ptr<internal::Signal> wake,
         std::shared_ptr<bool> over) -> asio::awaitable<void> {
        co_await env.Sleep(linger);
        *over = true;
        wake->NotifyAll();
      }(env_, o_.linger, entry_added_, over),
      asio::detached);
  while (!FullBatchWaiting() && !*over) co_await entry_added_->Wait();
}

asio::awaitable<void> Producer::Impl::Lead() {
  while (!waiting_.empty()) {
    if (!FullBatchWaiting() && o_.linger > Duration::zero()) co_await Linger();
    co_await SendWithRetries(TakeBatch());
    finished_->NotifyAll();  // once per batch: its senders have their results
  }
}

std::vector<Producer::Impl::EntryPtr> Producer::Impl::TakeBatch() {
  std::vector<EntryPtr> batch;
  std::set<std::string> groups;
  int64_t bytes = 0;
  for (auto it = waiting_.begin();
       it != waiting_.end() && static_cast<int>(batch.size()) < o_.max_batch_entries;) {
    const EntryPtr& e = *it;
    if (bytes + e->bytes > o_.max_batch_bytes) break;  // the next batch takes it, in order
    if (fifo_ && !groups.insert(e->entry.message_group_id.value_or("")).second) {
      ++it;  // its group already has a message in this batch
      continue;
    }
    bytes += e->bytes;
    batch.push_back(e);
    it = waiting_.erase(it);
  }
  return batch;
}

asio::awaitable<void> Producer::Impl::SendWithRetries(std::vector<EntryPtr> batch) {
  // The entries move into the request once; a retry sends the same entries
  // again (the same deduplication ids). Each is sent with its position in
  // `batch` as its id, which finds it in the answer.
  SendMessageBatchRequest request{.queue_url = o_.queue_url};
  // The last batch's storage, reused: a fresh one per batch costs a large
  // allocation each time.
  request.entries.swap(spare_entries_);
  request.entries.clear();
  request.entries.reserve(batch.size());
  struct KeepStorage {
    std::vector<SendMessageBatchRequestEntry>& entries;
    std::vector<SendMessageBatchRequestEntry>& spare;
    ~KeepStorage() {
      entries.clear();  // no bodies kept alive until the next batch
      if (entries.capacity() > spare.capacity()) spare.swap(entries);
    }
  } keep_storage{request.entries, spare_entries_};
  for (size_t i = 0; i < batch.size(); ++i) {
    request.entries.push_back(std::move(batch[i]->entry));
    request.entries.back().id = std::to_string(i);
  }
  const auto position = [&](const std::string& id) -> std::optional<size_t> {
    size_t i = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), i);
    if (error != std::errc() || end != id.data() + id.size() || i >= batch.size()) {
      return std::nullopt;
    }
    return i;
  };
  Duration backoff = o_.retry_backoff_initial;
  for (int attempt = 1; !request.entries.empty(); ++attempt) {
    ++stats_.batches;
    auto sent = co_await client_.AsyncSendMessageBatch(request);
    std::vector<size_t> in_request;  // positions in `batch` of the entries just sent
    for (const auto& entry : request.entries) in_request.push_back(*position(entry.id));
    std::vector<SendMessageBatchRequestEntry> again;
    Status last_error;
    if (!sent.ok()) {
      if (!sent.status().retryable()) {
        for (size_t i : in_request) Finish(batch[i], sent.status());
        co_return;
      }
      again = std::move(request.entries);  // unchanged: the same deduplication ids
      last_error = sent.status();
      ++stats_.retried_calls;
    } else {
      std::vector<bool> answered(batch.size(), true);
      for (size_t i : in_request) answered[i] = false;
      for (SendMessageBatchResultEntry& ok : sent->successful) {
        const std::optional<size_t> i = position(ok.id);
        if (!i || answered[*i]) continue;
        answered[*i] = true;
        Finish(batch[*i], SendMessageResponse{
                              .md5_of_message_body = std::move(ok.md5_of_message_body),
                              .md5_of_message_attributes = std::move(ok.md5_of_message_attributes),
                              .md5_of_message_system_attributes =
                                  std::move(ok.md5_of_message_system_attributes),
                              .message_id = std::move(ok.message_id),
                              .sequence_number = std::move(ok.sequence_number)});
      }
      for (const BatchResultErrorEntry& failed : sent->failed) {
        const std::optional<size_t> i = position(failed.id);
        if (!i || answered[*i]) continue;
        answered[*i] = true;
        if (!RetryableEntry(failed)) {
          Finish(batch[*i], EntryError(failed));
          continue;
        }
        last_error = EntryError(failed);
        for (auto& entry : request.entries) {
          if (entry.id == failed.id) again.push_back(std::move(entry));
        }
      }
      for (size_t i : in_request) {
        if (answered[i]) continue;
        // In neither list: the answer is malformed; it may have been sent.
        Finish(batch[i], Status(ErrorCode::kInternalFailure,
                                "entry " + std::to_string(i) + " missing from the answer"));
      }
      stats_.retried_entries += static_cast<int64_t>(again.size());
    }
    if (again.empty()) co_return;
    if (attempt >= o_.max_attempts) {
      for (const auto& entry : again) Finish(batch[*position(entry.id)], last_error);  // ids intact
      co_return;
    }
    const auto ceiling = std::max<int64_t>(1, backoff.count());
    co_await env_.Sleep(Duration(env_.rng().Uniform(static_cast<uint64_t>(ceiling))));
    backoff = std::min(backoff * 2, o_.retry_backoff_max);
    request.entries = std::move(again);
  }
}

void Producer::Impl::Finish(const EntryPtr& entry, Result<SendMessageResponse> result) {
  if (result.ok()) {
    ++stats_.sent;
  } else {
    ++stats_.failed;
  }
  entry->result.emplace(std::move(result));
}

Producer::Producer(Client& client, Env& env, ProducerOptions options)
    : impl_(std::make_unique<Impl>(client, env, std::move(options))) {}
Producer::~Producer() = default;

Status Producer::Validate(const ProducerOptions& o) {
  if (o.queue_url.empty()) return Invalid("queue_url is empty");
  if (o.max_batch_entries < 1 || o.max_batch_entries > 10) {
    return Invalid("max_batch_entries must be 1..10");
  }
  if (o.max_message_bytes < 1 || o.max_batch_bytes < o.max_message_bytes) {
    return Invalid("need 1 <= max_message_bytes <= max_batch_bytes");
  }
  if (o.linger < Duration::zero()) return Invalid("linger is negative");
  if (o.max_attempts < 1) return Invalid("max_attempts must be at least 1");
  if (o.retry_backoff_initial <= Duration::zero() ||
      o.retry_backoff_max < o.retry_backoff_initial) {
    return Invalid("retry backoff needs 0 < initial <= max");
  }
  return Status::Ok();
}

asio::awaitable<Result<SendMessageResponse>> Producer::Send(SendMessageRequest request) {
  return impl_->Send(std::move(request));
}

const ProducerStats& Producer::stats() const { return impl_->stats(); }

}  // namespace sqsim::runtime
