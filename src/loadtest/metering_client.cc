#include "loadtest/metering_client.h"

#include <utility>

#include "sim/validation.h"

namespace sqsim::loadtest::internal {

using boost::asio::awaitable;

void MeteringClient::Record(Action action, int64_t payload_bytes, int messages) {
  meter_->Record({.action = action,
                  .fifo = queue_->fifo,
                  .payload_bytes = payload_bytes,
                  .messages = messages,
                  .queue = queue_->name,
                  .principal = principal_,
                  .time = env_->Now(),
                  .kms = queue_->kms,
                  .kms_data_key_reuse_period = queue_->kms_data_key_reuse_period});
}

// Calls whose bill is known from the request are recorded before they go
// out, and pass the target's awaitable through: no coroutine frame of the
// meter's own on the hottest paths. (A failed call is billed too; a send
// counts its messages as encrypted even when SQS refused them.)
awaitable<Result<SendMessageResponse>> MeteringClient::AsyncSendMessage(
    SendMessageRequest request) {
  Record(Action::kSendMessage,
         static_cast<int64_t>(
             sqsim::internal::MessageSize(request.message_body, request.message_attributes)),
         1);
  return target()->AsyncSendMessage(std::move(request));
}

awaitable<Result<SendMessageBatchResponse>> MeteringClient::AsyncSendMessageBatch(
    SendMessageBatchRequest request) {
  int64_t bytes = 0;
  for (const SendMessageBatchRequestEntry& e : request.entries) {
    bytes +=
        static_cast<int64_t>(sqsim::internal::MessageSize(e.message_body, e.message_attributes));
  }
  Record(Action::kSendMessageBatch, bytes, static_cast<int>(request.entries.size()));
  return target()->AsyncSendMessageBatch(std::move(request));
}

awaitable<Result<ReceiveMessageResponse>> MeteringClient::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  Result<ReceiveMessageResponse> r = co_await target()->AsyncReceiveMessage(std::move(request));
  int64_t bytes = 0;
  int messages = 0;
  if (r.ok()) {
    for (const Message& m : r->messages) {
      bytes += static_cast<int64_t>(sqsim::internal::MessageSize(m.body, m.message_attributes));
    }
    messages = static_cast<int>(r->messages.size());
  }
  Record(Action::kReceiveMessage, bytes, messages);
  co_return r;
}

awaitable<Result<DeleteMessageResponse>> MeteringClient::AsyncDeleteMessage(
    DeleteMessageRequest request) {
  Record(Action::kDeleteMessage, 0, 0);
  return target()->AsyncDeleteMessage(std::move(request));
}

awaitable<Result<DeleteMessageBatchResponse>> MeteringClient::AsyncDeleteMessageBatch(
    DeleteMessageBatchRequest request) {
  Record(Action::kDeleteMessageBatch, 0, 0);
  return target()->AsyncDeleteMessageBatch(std::move(request));
}

awaitable<Result<ChangeMessageVisibilityResponse>> MeteringClient::AsyncChangeMessageVisibility(
    ChangeMessageVisibilityRequest request) {
  Record(Action::kChangeMessageVisibility, 0, 0);
  return target()->AsyncChangeMessageVisibility(std::move(request));
}

awaitable<Result<ChangeMessageVisibilityBatchResponse>>
MeteringClient::AsyncChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
  Record(Action::kChangeMessageVisibilityBatch, 0, 0);
  return target()->AsyncChangeMessageVisibilityBatch(std::move(request));
}

}  // namespace sqsim::loadtest::internal
