// RecordingClient: a Client that writes every message operation made through
// it into a History, so the checkers see what a consumer did even when it
// calls the plain `Client` interface (the code that also runs on AwsClient)
// instead of the harness's helpers.
//
//   History history;
//   RecordingClient client(&sim_client, &history, &sim->env(), "consumer-1");
//   co_await handler(client);   // the application's own code
//   CheckQueue(history);
//
// What it records, with the outcome of each call: ok, failed (an error, or
// the entry's own error in a batch), or unknown (the response was lost to a
// timeout, so the call may have taken effect):
//   SendMessage, SendMessageBatch        kSend invoked, then kSend with the
//                                        outcome, per message;
//   ReceiveMessage                       kReceive per delivered message;
//   DeleteMessage, DeleteMessageBatch    kDelete per receipt handle;
//   ChangeMessageVisibility(Batch)       kChangeVisibility per receipt handle,
//                                        detail "timeout N s".
// A failed operation's detail ends with the error code's name.
// Deletes and visibility changes name the value and message of the receive
// that handed out their receipt handle (when it went through this client).
// The other actions (queue management, tags, move tasks) pass through
// unrecorded: they carry no message, and the simulator's Trace has them.
//
// Crashes at calls: each call is a fault point (Env::MaybeFault) a plan can
// name, at each of its steps, so a test can kill the calling process at any
// call without fault points in the application's code:
//   "call:<Action>"      before the call is made (e.g. "call:DeleteMessage":
//                        the process dies after processing, before deleting);
//   "response:<Action>"  after the call took effect, before its response
//                        reaches the caller (recorded with outcome unknown);
//   "returned:<Action>"  after the answer was handed back (with an
//                        ActorControl only: see there).
// When a fault-point rule fires at the first two, the client throws Crash
// (sqsim/testing/crash.h). With an ActorControl (the scenario harness gives
// every actor one), the control decides instead: the plan's actor effects
// (crash, pause, stop) apply at these points to the whole actor.
//
// ReceiveMessage asks SQS for the system attributes the checkers need
// (ApproximateReceiveCount, MessageGroupId, MessageDeduplicationId) and
// removes those the caller did not ask for before handing the messages back,
// so the application sees exactly the response it asked for.
//
// Thread safety: none; like History, one RecordingClient serves one actor on
// one executor.

#ifndef SQSIM_TESTING_RECORDING_CLIENT_H_
#define SQSIM_TESTING_RECORDING_CLIENT_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/client_wrapper.h"
#include "sqsim/env.h"
#include "sqsim/testing/crash.h"
#include "sqsim/testing/history.h"

namespace sqsim::testing {

// What a RecordingClient's fault points do to the actor that calls it. The
// scenario harness implements it for its actors; tests may too.
class ActorControl {
 public:
  virtual ~ActorControl() = default;
  // Fault point `point` of a coroutine call: decides what the plan does
  // there, then throws Crash if the actor died or waits while it is paused.
  virtual boost::asio::awaitable<void> At(std::string point) = 0;
  // The same for a blocking call, which cannot wait: throws Crash if the
  // actor died; a pause is waited out at the actor's next coroutine point.
  virtual void AtBlocking(const std::string& point) = 0;
  // Fault point "returned:<Action>", after the answer was handed back:
  // decides, never throws; a crash ends the actor at its next suspension.
  virtual void AfterReturn(const std::string& point) = 0;
};

class RecordingClient : public ClientWrapper {
 public:
  // The application identity of a message (a payment id, an order number);
  // for a send it sees the body, message attributes and, as system
  // attributes, MessageGroupId and MessageDeduplicationId of the request.
  using ValueOf = std::function<std::string(const Message&)>;

  // `target`, `history` and `env` must outlive the client. `value_of`
  // defaults to the message body.
  RecordingClient(Client* target, History* history, Env* env, std::string actor,
                  ValueOf value_of = {});

  const std::string& actor() const { return actor_; }

  // Hands the fault points to `control` (null: the plan's fault-point rules
  // throw Crash at "call:" and "response:", as described above). It must
  // outlive the client's calls.
  void set_control(ActorControl* control) { control_ = control; }

  // The value of `m`, as recorded.
  std::string ValueOfMessage(const Message& m) const;

  // SendMessage recording `value` instead of the one value_of derives.
  Result<SendMessageResponse> SendMessageAs(const SendMessageRequest& request,
                                            const std::string& value);
  boost::asio::awaitable<Result<SendMessageResponse>> AsyncSendMessageAs(SendMessageRequest request,
                                                                         std::string value);

  Result<SendMessageResponse> SendMessage(const SendMessageRequest& request) override;
  boost::asio::awaitable<Result<SendMessageResponse>> AsyncSendMessage(
      SendMessageRequest request) override;
  Result<SendMessageBatchResponse> SendMessageBatch(
      const SendMessageBatchRequest& request) override;
  boost::asio::awaitable<Result<SendMessageBatchResponse>> AsyncSendMessageBatch(
      SendMessageBatchRequest request) override;
  Result<ReceiveMessageResponse> ReceiveMessage(const ReceiveMessageRequest& request) override;
  boost::asio::awaitable<Result<ReceiveMessageResponse>> AsyncReceiveMessage(
      ReceiveMessageRequest request) override;
  Result<DeleteMessageResponse> DeleteMessage(const DeleteMessageRequest& request) override;
  boost::asio::awaitable<Result<DeleteMessageResponse>> AsyncDeleteMessage(
      DeleteMessageRequest request) override;
  Result<DeleteMessageBatchResponse> DeleteMessageBatch(
      const DeleteMessageBatchRequest& request) override;
  boost::asio::awaitable<Result<DeleteMessageBatchResponse>> AsyncDeleteMessageBatch(
      DeleteMessageBatchRequest request) override;
  Result<ChangeMessageVisibilityResponse> ChangeMessageVisibility(
      const ChangeMessageVisibilityRequest& request) override;
  boost::asio::awaitable<Result<ChangeMessageVisibilityResponse>> AsyncChangeMessageVisibility(
      ChangeMessageVisibilityRequest request) override;
  Result<ChangeMessageVisibilityBatchResponse> ChangeMessageVisibilityBatch(
      const ChangeMessageVisibilityBatchRequest& request) override;
  boost::asio::awaitable<Result<ChangeMessageVisibilityBatchResponse>>
  AsyncChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) override;

 private:
  // What a receive told us about the message behind a receipt handle.
  struct Received {
    std::string value, message_id, group;
  };
  // One message operation in flight: recorded again, with its outcome, when
  // the call returns.
  struct Pending {
    std::string entry_id;  // the batch entry id; empty for single calls
    Operation op;
  };

  // Fault point "call:<action>" (may throw Crash or wait out a pause).
  boost::asio::awaitable<void> BeforeCall(Action action);
  void BeforeCallBlocking(Action action);
  // Fault point "response:<action>": when the actor dies there, records
  // `pending` with outcome unknown before the Crash goes on.
  boost::asio::awaitable<void> BeforeResponse(Action action, std::vector<Pending>& pending);
  void BeforeResponseBlocking(Action action, std::vector<Pending>& pending);
  // Fault point "returned:<action>".
  void AfterReturn(Action action);

  std::vector<Pending> BeginSends(const std::string& queue_url,
                                  const std::vector<SendMessageBatchRequestEntry>& entries,
                                  const std::string* value);
  void EndSend(std::vector<Pending>& pending, const Result<SendMessageResponse>& sent);
  std::vector<std::string> AddNeededAttributes(ReceiveMessageRequest& request) const;
  void EndReceive(const std::string& queue_url, Result<ReceiveMessageResponse>& got,
                  const std::vector<std::string>& added);
  // A delete or visibility change of the message behind `receipt_handle`.
  Pending OnHandle(OpType type, const std::string& queue_url, std::string entry_id,
                   const std::string& receipt_handle, std::string detail) const;
  // Records `pending` with the outcome of the call (single calls) or of each
  // entry (batch calls: by id, in the response's `successful` or `failed`).
  void End(std::vector<Pending>& pending, const Status& status);
  template <typename BatchResponse>
  void EndBatch(std::vector<Pending>& pending, const Result<BatchResponse>& result);
  // Records `op` again with its outcome; `error` (the error code's name)
  // joins the detail.
  void Finish(Operation op, OpOutcome outcome, const std::string& error);

  History* history_;
  Env* env_;
  ActorControl* control_ = nullptr;
  std::string actor_;
  ValueOf value_of_;
  std::map<std::string, Received> by_receipt_handle_;
};

}  // namespace sqsim::testing

#endif  // SQSIM_TESTING_RECORDING_CLIENT_H_
