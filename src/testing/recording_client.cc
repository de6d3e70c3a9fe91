// RecordingClient: records each message operation before and after the call
// it forwards.

#include "sqsim/testing/recording_client.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace sqsim::testing {

namespace {

// The system attributes the checkers read from a received message.
constexpr const char* kNeededAttributes[] = {"ApproximateReceiveCount", "MessageGroupId",
                                             "MessageDeduplicationId"};

std::string QueueOfUrl(const std::string& url) {
  const size_t slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

// A timeout means the call may have taken effect: its outcome is unknown.
OpOutcome OutcomeOf(const Status& status) {
  if (status.ok()) return OpOutcome::kOk;
  return status.code() == ErrorCode::kTimeout ? OpOutcome::kUnknown : OpOutcome::kFailed;
}

std::string ErrorName(const Status& status) {
  return status.ok() ? "" : std::string(GetErrorInfo(status.code()).name);
}

std::string Attribute(const Message& m, const char* name) {
  auto it = m.attributes.find(name);
  return it == m.attributes.end() ? "" : it->second;
}

SendMessageBatchRequestEntry AsEntry(const SendMessageRequest& r) {
  return {.message_body = r.message_body,
          .delay_seconds = r.delay_seconds,
          .message_attributes = r.message_attributes,
          .message_system_attributes = r.message_system_attributes,
          .message_deduplication_id = r.message_deduplication_id,
          .message_group_id = r.message_group_id};
}

// The message a send entry will become, as far as value_of can tell.
Message AsMessage(const SendMessageBatchRequestEntry& entry) {
  Message m{.body = entry.message_body, .message_attributes = entry.message_attributes};
  if (entry.message_group_id) m.attributes["MessageGroupId"] = *entry.message_group_id;
  if (entry.message_deduplication_id) {
    m.attributes["MessageDeduplicationId"] = *entry.message_deduplication_id;
  }
  return m;
}

std::string VisibilityDetail(std::optional<int> timeout) {
  return timeout ? "timeout " + std::to_string(*timeout) + " s" : "timeout missing";
}

}  // namespace

RecordingClient::RecordingClient(Client* target, History* history, Env* env, std::string actor,
                                 ValueOf value_of)
    : ClientWrapper(target),
      history_(history),
      env_(env),
      actor_(std::move(actor)),
      value_of_(std::move(value_of)) {}

std::string RecordingClient::ValueOfMessage(const Message& m) const {
  return value_of_ ? value_of_(m) : m.body;
}

// ---- Bookkeeping -------------------------------------------------------------

namespace {

std::string PointName(const char* step, Action action) {
  return std::string(step) + std::string(ActionName(action));
}

}  // namespace

boost::asio::awaitable<void> RecordingClient::BeforeCall(Action action) {
  if (control_ == nullptr) {
    BeforeCallBlocking(action);
    co_return;
  }
  co_await control_->At(PointName("call:", action));
}

void RecordingClient::BeforeCallBlocking(Action action) {
  std::string point = PointName("call:", action);
  if (control_ != nullptr) return control_->AtBlocking(point);
  if (env_->MaybeFault(point)) throw Crash(std::move(point));
}

boost::asio::awaitable<void> RecordingClient::BeforeResponse(Action action,
                                                             std::vector<Pending>& pending) {
  if (control_ == nullptr) {
    BeforeResponseBlocking(action, pending);
    co_return;
  }
  try {
    co_await control_->At(PointName("response:", action));
  } catch (const Crash&) {
    for (Pending& p : pending) {
      Finish(std::move(p.op), OpOutcome::kUnknown, "crashed before the response");
    }
    throw;
  }
}

void RecordingClient::BeforeResponseBlocking(Action action, std::vector<Pending>& pending) {
  std::string point = PointName("response:", action);
  try {
    if (control_ != nullptr) {
      control_->AtBlocking(point);
    } else if (env_->MaybeFault(point)) {
      throw Crash(std::move(point));
    }
  } catch (const Crash&) {
    for (Pending& p : pending) {
      Finish(std::move(p.op), OpOutcome::kUnknown, "crashed before the response");
    }
    throw;
  }
}

void RecordingClient::AfterReturn(Action action) {
  if (control_ != nullptr) control_->AfterReturn(PointName("returned:", action));
}

std::vector<RecordingClient::Pending> RecordingClient::BeginSends(
    const std::string& queue_url, const std::vector<SendMessageBatchRequestEntry>& entries,
    const std::string* value) {
  std::vector<Pending> pending;
  pending.reserve(entries.size());
  for (const SendMessageBatchRequestEntry& entry : entries) {
    Operation op{.time = env_->Now(),
                 .actor = actor_,
                 .type = OpType::kSend,
                 .outcome = OpOutcome::kInvoked,
                 .queue = QueueOfUrl(queue_url),
                 .value = value ? *value : ValueOfMessage(AsMessage(entry)),
                 .group = entry.message_group_id.value_or(""),
                 .deduplication_id = entry.message_deduplication_id.value_or("")};
    history_->Record(op);
    pending.push_back({.entry_id = entry.id, .op = std::move(op)});
  }
  return pending;
}

void RecordingClient::Finish(Operation op, OpOutcome outcome, const std::string& error) {
  op.time = env_->Now();
  op.outcome = outcome;
  if (!error.empty()) op.detail = op.detail.empty() ? error : op.detail + ", " + error;
  history_->Record(std::move(op));
}

void RecordingClient::End(std::vector<Pending>& pending, const Status& status) {
  for (Pending& p : pending) Finish(std::move(p.op), OutcomeOf(status), ErrorName(status));
}

template <typename BatchResponse>
void RecordingClient::EndBatch(std::vector<Pending>& pending, const Result<BatchResponse>& result) {
  if (!result.ok()) return End(pending, result.status());
  for (Pending& p : pending) {
    auto ok = std::find_if(result->successful.begin(), result->successful.end(),
                           [&](const auto& e) { return e.id == p.entry_id; });
    if (ok != result->successful.end()) {
      if constexpr (requires { ok->message_id; }) p.op.message_id = ok->message_id;
      Finish(std::move(p.op), OpOutcome::kOk, "");
      continue;
    }
    auto failed = std::find_if(result->failed.begin(), result->failed.end(),
                               [&](const BatchResultErrorEntry& e) { return e.id == p.entry_id; });
    // An entry in neither list (a malformed response) may or may not have
    // taken effect.
    if (failed == result->failed.end()) {
      Finish(std::move(p.op), OpOutcome::kUnknown, "entry missing from the response");
    } else {
      Finish(std::move(p.op), OpOutcome::kFailed, failed->code);
    }
  }
}

std::vector<std::string> RecordingClient::AddNeededAttributes(
    ReceiveMessageRequest& request) const {
  // SQS honours message_system_attribute_names when given, else the
  // deprecated attribute_names; add to the list it will read.
  std::vector<std::string>& names =
      request.message_system_attribute_names.empty() && !request.attribute_names.empty()
          ? request.attribute_names
          : request.message_system_attribute_names;
  std::vector<std::string> added;
  if (std::find(names.begin(), names.end(), "All") != names.end()) return added;
  for (const char* needed : kNeededAttributes) {
    if (std::find(names.begin(), names.end(), needed) == names.end()) {
      names.push_back(needed);
      added.push_back(needed);
    }
  }
  return added;
}

void RecordingClient::EndReceive(const std::string& queue_url, Result<ReceiveMessageResponse>& got,
                                 const std::vector<std::string>& added) {
  if (!got.ok()) return;
  const std::string queue = QueueOfUrl(queue_url);
  for (Message& m : got->messages) {
    const std::string value = ValueOfMessage(m);
    const std::string group = Attribute(m, "MessageGroupId");
    history_->Record({.time = env_->Now(),
                      .actor = actor_,
                      .type = OpType::kReceive,
                      .queue = queue,
                      .value = value,
                      .message_id = m.message_id,
                      .group = group,
                      .deduplication_id = Attribute(m, "MessageDeduplicationId"),
                      .receive_count = std::atoi(Attribute(m, "ApproximateReceiveCount").c_str())});
    by_receipt_handle_[m.receipt_handle] = {
        .value = value, .message_id = m.message_id, .group = group};
    for (const std::string& name : added) m.attributes.erase(name);
  }
}

RecordingClient::Pending RecordingClient::OnHandle(OpType type, const std::string& queue_url,
                                                   std::string entry_id,
                                                   const std::string& receipt_handle,
                                                   std::string detail) const {
  Operation op{.actor = actor_,
               .type = type,
               .outcome = OpOutcome::kInvoked,
               .queue = QueueOfUrl(queue_url),
               .detail = std::move(detail)};
  auto it = by_receipt_handle_.find(receipt_handle);
  if (it != by_receipt_handle_.end()) {
    op.value = it->second.value;
    op.message_id = it->second.message_id;
    op.group = it->second.group;
  }
  return {.entry_id = std::move(entry_id), .op = std::move(op)};
}

// ---- Sends -------------------------------------------------------------------

void RecordingClient::EndSend(std::vector<Pending>& pending,
                              const Result<SendMessageResponse>& sent) {
  if (sent.ok()) pending[0].op.message_id = sent->message_id;
  End(pending, sent.status());
}

Result<SendMessageResponse> RecordingClient::SendMessageAs(const SendMessageRequest& request,
                                                           const std::string& value) {
  BeforeCallBlocking(Action::kSendMessage);
  std::vector<Pending> pending = BeginSends(request.queue_url, {AsEntry(request)}, &value);
  Result<SendMessageResponse> sent = ClientWrapper::SendMessage(request);
  BeforeResponseBlocking(Action::kSendMessage, pending);
  EndSend(pending, sent);
  AfterReturn(Action::kSendMessage);
  return sent;
}

boost::asio::awaitable<Result<SendMessageResponse>> RecordingClient::AsyncSendMessageAs(
    SendMessageRequest request, std::string value) {
  co_await BeforeCall(Action::kSendMessage);
  std::vector<Pending> pending = BeginSends(request.queue_url, {AsEntry(request)}, &value);
  Result<SendMessageResponse> sent = co_await ClientWrapper::AsyncSendMessage(std::move(request));
  co_await BeforeResponse(Action::kSendMessage, pending);
  EndSend(pending, sent);
  AfterReturn(Action::kSendMessage);
  co_return sent;
}

Result<SendMessageResponse> RecordingClient::SendMessage(const SendMessageRequest& request) {
  BeforeCallBlocking(Action::kSendMessage);
  std::vector<Pending> pending = BeginSends(request.queue_url, {AsEntry(request)}, nullptr);
  Result<SendMessageResponse> sent = ClientWrapper::SendMessage(request);
  BeforeResponseBlocking(Action::kSendMessage, pending);
  EndSend(pending, sent);
  AfterReturn(Action::kSendMessage);
  return sent;
}

boost::asio::awaitable<Result<SendMessageResponse>> RecordingClient::AsyncSendMessage(
    SendMessageRequest request) {
  co_await BeforeCall(Action::kSendMessage);
  std::vector<Pending> pending = BeginSends(request.queue_url, {AsEntry(request)}, nullptr);
  Result<SendMessageResponse> sent = co_await ClientWrapper::AsyncSendMessage(std::move(request));
  co_await BeforeResponse(Action::kSendMessage, pending);
  EndSend(pending, sent);
  AfterReturn(Action::kSendMessage);
  co_return sent;
}

Result<SendMessageBatchResponse> RecordingClient::SendMessageBatch(
    const SendMessageBatchRequest& request) {
  BeforeCallBlocking(Action::kSendMessageBatch);
  std::vector<Pending> pending = BeginSends(request.queue_url, request.entries, nullptr);
  Result<SendMessageBatchResponse> sent = ClientWrapper::SendMessageBatch(request);
  BeforeResponseBlocking(Action::kSendMessageBatch, pending);
  EndBatch(pending, sent);
  AfterReturn(Action::kSendMessageBatch);
  return sent;
}

boost::asio::awaitable<Result<SendMessageBatchResponse>> RecordingClient::AsyncSendMessageBatch(
    SendMessageBatchRequest request) {
  co_await BeforeCall(Action::kSendMessageBatch);
  std::vector<Pending> pending = BeginSends(request.queue_url, request.entries, nullptr);
  Result<SendMessageBatchResponse> sent =
      co_await ClientWrapper::AsyncSendMessageBatch(std::move(request));
  co_await BeforeResponse(Action::kSendMessageBatch, pending);
  EndBatch(pending, sent);
  AfterReturn(Action::kSendMessageBatch);
  co_return sent;
}

// ---- Receives ----------------------------------------------------------------

Result<ReceiveMessageResponse> RecordingClient::ReceiveMessage(
    const ReceiveMessageRequest& request) {
  BeforeCallBlocking(Action::kReceiveMessage);
  ReceiveMessageRequest asked = request;
  const std::vector<std::string> added = AddNeededAttributes(asked);
  Result<ReceiveMessageResponse> got = ClientWrapper::ReceiveMessage(asked);
  std::vector<Pending> unseen;  // the messages die with the process, unrecorded
  BeforeResponseBlocking(Action::kReceiveMessage, unseen);
  EndReceive(request.queue_url, got, added);
  AfterReturn(Action::kReceiveMessage);
  return got;
}

boost::asio::awaitable<Result<ReceiveMessageResponse>> RecordingClient::AsyncReceiveMessage(
    ReceiveMessageRequest request) {
  co_await BeforeCall(Action::kReceiveMessage);
  const std::string queue_url = request.queue_url;
  const std::vector<std::string> added = AddNeededAttributes(request);
  Result<ReceiveMessageResponse> got =
      co_await ClientWrapper::AsyncReceiveMessage(std::move(request));
  std::vector<Pending> unseen;  // the messages die with the process, unrecorded
  co_await BeforeResponse(Action::kReceiveMessage, unseen);
  EndReceive(queue_url, got, added);
  AfterReturn(Action::kReceiveMessage);
  co_return got;
}

// ---- Deletes and visibility changes ------------------------------------------

namespace {

template <typename Entries, typename MakePending>
auto EachEntry(const Entries& entries, MakePending make) {
  std::vector<decltype(make(entries.front()))> pending;
  pending.reserve(entries.size());
  for (const auto& entry : entries) pending.push_back(make(entry));
  return pending;
}

}  // namespace

Result<DeleteMessageResponse> RecordingClient::DeleteMessage(const DeleteMessageRequest& request) {
  BeforeCallBlocking(Action::kDeleteMessage);
  std::vector<Pending> pending = {
      OnHandle(OpType::kDelete, request.queue_url, "", request.receipt_handle, "")};
  Result<DeleteMessageResponse> deleted = ClientWrapper::DeleteMessage(request);
  BeforeResponseBlocking(Action::kDeleteMessage, pending);
  End(pending, deleted.status());
  AfterReturn(Action::kDeleteMessage);
  return deleted;
}

boost::asio::awaitable<Result<DeleteMessageResponse>> RecordingClient::AsyncDeleteMessage(
    DeleteMessageRequest request) {
  co_await BeforeCall(Action::kDeleteMessage);
  std::vector<Pending> pending = {
      OnHandle(OpType::kDelete, request.queue_url, "", request.receipt_handle, "")};
  Result<DeleteMessageResponse> deleted =
      co_await ClientWrapper::AsyncDeleteMessage(std::move(request));
  co_await BeforeResponse(Action::kDeleteMessage, pending);
  End(pending, deleted.status());
  AfterReturn(Action::kDeleteMessage);
  co_return deleted;
}

Result<DeleteMessageBatchResponse> RecordingClient::DeleteMessageBatch(
    const DeleteMessageBatchRequest& request) {
  BeforeCallBlocking(Action::kDeleteMessageBatch);
  std::vector<Pending> pending = EachEntry(request.entries, [&](const auto& e) {
    return OnHandle(OpType::kDelete, request.queue_url, e.id, e.receipt_handle, "");
  });
  Result<DeleteMessageBatchResponse> deleted = ClientWrapper::DeleteMessageBatch(request);
  BeforeResponseBlocking(Action::kDeleteMessageBatch, pending);
  EndBatch(pending, deleted);
  AfterReturn(Action::kDeleteMessageBatch);
  return deleted;
}

boost::asio::awaitable<Result<DeleteMessageBatchResponse>> RecordingClient::AsyncDeleteMessageBatch(
    DeleteMessageBatchRequest request) {
  co_await BeforeCall(Action::kDeleteMessageBatch);
  std::vector<Pending> pending = EachEntry(request.entries, [&](const auto& e) {
    return OnHandle(OpType::kDelete, request.queue_url, e.id, e.receipt_handle, "");
  });
  Result<DeleteMessageBatchResponse> deleted =
      co_await ClientWrapper::AsyncDeleteMessageBatch(std::move(request));
  co_await BeforeResponse(Action::kDeleteMessageBatch, pending);
  EndBatch(pending, deleted);
  AfterReturn(Action::kDeleteMessageBatch);
  co_return deleted;
}

Result<ChangeMessageVisibilityResponse> RecordingClient::ChangeMessageVisibility(
    const ChangeMessageVisibilityRequest& request) {
  BeforeCallBlocking(Action::kChangeMessageVisibility);
  std::vector<Pending> pending = {OnHandle(OpType::kChangeVisibility, request.queue_url, "",
                                           request.receipt_handle,
                                           VisibilityDetail(request.visibility_timeout))};
  Result<ChangeMessageVisibilityResponse> changed = ClientWrapper::ChangeMessageVisibility(request);
  BeforeResponseBlocking(Action::kChangeMessageVisibility, pending);
  End(pending, changed.status());
  AfterReturn(Action::kChangeMessageVisibility);
  return changed;
}

boost::asio::awaitable<Result<ChangeMessageVisibilityResponse>>
RecordingClient::AsyncChangeMessageVisibility(ChangeMessageVisibilityRequest request) {
  co_await BeforeCall(Action::kChangeMessageVisibility);
  std::vector<Pending> pending = {OnHandle(OpType::kChangeVisibility, request.queue_url, "",
                                           request.receipt_handle,
                                           VisibilityDetail(request.visibility_timeout))};
  Result<ChangeMessageVisibilityResponse> changed =
      co_await ClientWrapper::AsyncChangeMessageVisibility(std::move(request));
  co_await BeforeResponse(Action::kChangeMessageVisibility, pending);
  End(pending, changed.status());
  AfterReturn(Action::kChangeMessageVisibility);
  co_return changed;
}

Result<ChangeMessageVisibilityBatchResponse> RecordingClient::ChangeMessageVisibilityBatch(
    const ChangeMessageVisibilityBatchRequest& request) {
  BeforeCallBlocking(Action::kChangeMessageVisibilityBatch);
  std::vector<Pending> pending = EachEntry(request.entries, [&](const auto& e) {
    return OnHandle(OpType::kChangeVisibility, request.queue_url, e.id, e.receipt_handle,
                    VisibilityDetail(e.visibility_timeout));
  });
  Result<ChangeMessageVisibilityBatchResponse> changed =
      ClientWrapper::ChangeMessageVisibilityBatch(request);
  BeforeResponseBlocking(Action::kChangeMessageVisibilityBatch, pending);
  EndBatch(pending, changed);
  AfterReturn(Action::kChangeMessageVisibilityBatch);
  return changed;
}

boost::asio::awaitable<Result<ChangeMessageVisibilityBatchResponse>>
RecordingClient::AsyncChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
  co_await BeforeCall(Action::kChangeMessageVisibilityBatch);
  std::vector<Pending> pending = EachEntry(request.entries, [&](const auto& e) {
    return OnHandle(OpType::kChangeVisibility, request.queue_url, e.id, e.receipt_handle,
                    VisibilityDetail(e.visibility_timeout));
  });
  Result<ChangeMessageVisibilityBatchResponse> changed =
      co_await ClientWrapper::AsyncChangeMessageVisibilityBatch(std::move(request));
  co_await BeforeResponse(Action::kChangeMessageVisibilityBatch, pending);
  EndBatch(pending, changed);
  AfterReturn(Action::kChangeMessageVisibilityBatch);
  co_return changed;
}

}  // namespace sqsim::testing
