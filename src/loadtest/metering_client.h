// MeteringClient: a Client decorator that tells a CostMeter about every
// call of the actions a load test makes (sends, receives, deletes,
// visibility changes, queue attributes), with the payload SQS bills and the
// calling principal. Other actions pass through unmetered: the load test
// makes none of them after set-up, which is not part of the bill it
// reports.

#ifndef SQSIM_SRC_LOADTEST_METERING_CLIENT_H_
#define SQSIM_SRC_LOADTEST_METERING_CLIENT_H_

#include <string>

#include "sqsim/client_wrapper.h"
#include "sqsim/env.h"
#include "sqsim/loadtest/cost.h"

namespace sqsim::loadtest::internal {

// What the meter needs to know about the queue the calls go to.
struct MeteredQueue {
  std::string name{};
  bool fifo = false;
  bool kms = false;
  Duration kms_data_key_reuse_period = std::chrono::minutes(5);
};

class MeteringClient final : public ClientWrapper {
 public:
  // Everything must outlive the client.
  MeteringClient(Client* target, Env* env, CostMeter* meter, const MeteredQueue* queue,
                 std::string principal)
      : ClientWrapper(target),
        env_(env),
        meter_(meter),
        queue_(queue),
        principal_(std::move(principal)) {}

  boost::asio::awaitable<Result<SendMessageResponse>> AsyncSendMessage(
      SendMessageRequest request) override;
  boost::asio::awaitable<Result<SendMessageBatchResponse>> AsyncSendMessageBatch(
      SendMessageBatchRequest request) override;
  boost::asio::awaitable<Result<ReceiveMessageResponse>> AsyncReceiveMessage(
      ReceiveMessageRequest request) override;
  boost::asio::awaitable<Result<DeleteMessageResponse>> AsyncDeleteMessage(
      DeleteMessageRequest request) override;
  boost::asio::awaitable<Result<DeleteMessageBatchResponse>> AsyncDeleteMessageBatch(
      DeleteMessageBatchRequest request) override;
  boost::asio::awaitable<Result<ChangeMessageVisibilityResponse>> AsyncChangeMessageVisibility(
      ChangeMessageVisibilityRequest request) override;
  boost::asio::awaitable<Result<ChangeMessageVisibilityBatchResponse>>
  AsyncChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) override;

 private:
  void Record(Action action, int64_t payload_bytes, int messages);

  Env* env_;
  CostMeter* meter_;
  const MeteredQueue* queue_;
  std::string principal_;
};

}  // namespace sqsim::loadtest::internal

#endif  // SQSIM_SRC_LOADTEST_METERING_CLIENT_H_
