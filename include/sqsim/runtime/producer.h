// Producer: sends messages in batches of up to ten, with a result per
// message, retrying only what can succeed on a retry.
//
//   sqsim::runtime::Producer producer(client, env, {.queue_url = url});
//   sqsim::SendMessageRequest enrolled{.message_body = event};
//   auto sent = co_await producer.Send(enrolled);  // waits for its batch
//   if (!sent.ok()) log(sent.status());
//
// Sends from concurrent coroutines are gathered into one SendMessageBatch
// when ten are waiting, when the next would take the batch past SQS's 1 MiB
// per batch, or `linger` after the first one, whichever comes first. A
// batch is sent by one of the waiting senders, so the producer runs no
// coroutine of its own and nothing outlives the calls to Send.
//
// Retries: a call that failed as a whole with a retryable error (throttling,
// a 5xx, a lost response) is sent again, entries unchanged; entries that
// came back in `Failed` are sent again when SQS does not blame the sender
// (SenderFault false) or throttled them, and fail with their own error
// otherwise. After a lost response the same entries go again with the same
// MessageDeduplicationId, so a FIFO queue (or content-based deduplication)
// drops the copy; on a standard queue the resend may leave a duplicate, as
// any SQS producer's would.
//
// FIFO queues (URL ending in ".fifo"): a batch carries at most one message
// per group, and batches go one at a time, retries included, so a group's
// later message never overtakes an earlier one that is being retried.
//
// A message larger than `max_message_bytes` (counted as SQS counts it: body,
// attribute names, types and values) fails alone at once with SQS's error,
// and never sinks the batch it would have joined.
//
// Thread safety: one executor thread, as Consumer.

#ifndef SQSIM_RUNTIME_PRODUCER_H_
#define SQSIM_RUNTIME_PRODUCER_H_

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"

namespace sqsim::runtime {

struct ProducerOptions {
  // The queue; a request's own queue_url must be empty or this.
  std::string queue_url{};
  int max_batch_entries = 10;         // 1..10
  int64_t max_batch_bytes = 1048576;  // SQS: 1 MiB per batch
  // The queue's MaximumMessageSize (default 1 MiB).
  int64_t max_message_bytes = 1048576;
  // How long the first waiting message waits for others to join its batch.
  Duration linger = std::chrono::milliseconds(20);
  // Attempts per message (the first send included), with jittered
  // exponential backoff between them.
  int max_attempts = 5;
  Duration retry_backoff_initial = std::chrono::milliseconds(100);
  Duration retry_backoff_max = std::chrono::seconds(10);
};

struct ProducerStats {
  int64_t sent = 0, failed = 0, rejected_too_large = 0;
  int64_t batches = 0, retried_calls = 0, retried_entries = 0;
};

class Producer {
 public:
  Producer(Client& client, Env& env, ProducerOptions options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // The options' problems (kInvalidParameterValue), or OK.
  static Status Validate(const ProducerOptions& options);

  // Sends `request` in the next batch and returns its own result: the
  // message id (and sequence number) or its error. A request for another
  // queue fails with kInvalidParameterValue.
  boost::asio::awaitable<Result<SendMessageResponse>> Send(SendMessageRequest request);

  const ProducerStats& stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqsim::runtime

#endif  // SQSIM_RUNTIME_PRODUCER_H_
