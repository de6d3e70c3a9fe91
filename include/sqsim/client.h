// Client: the SQS API as one abstract interface.
//
// Code written against `Client` runs unchanged on the in-process simulator
// (`Simulator`, virtual time) and on real SQS (`aws::AwsClient`). Each of the
// 23 SQS actions comes in two forms:
//
//   Result<SendMessageResponse> SendMessage(const SendMessageRequest&);
//       blocking: returns when the action has completed;
//   asio::awaitable<Result<SendMessageResponse>> AsyncSendMessage(SendMessageRequest);
//       an Asio C++20 coroutine, for code that runs many actors on one
//       executor (the simulator's virtual-time executor, or an io_context).
//
// Every failure SQS can report comes back as a non-OK Result, never as an
// exception. Per-entry failures of batch actions are listed in the response's
// `failed` member, as SQS does.
//
// Thread safety: depends on the implementation; see its header. The coroutine
// form takes its request by value so that it may outlive the caller's copy.
//
// GCC 12 caveat: GCC 12 destroys an aggregate temporary built inside a
// co_await expression twice (a compiler bug, reproduced with Debian 12's
// g++ 12.2). Name the request before awaiting:
//
//   SendMessageRequest request{.queue_url = url, .message_body = body};
//   auto sent = co_await client.AsyncSendMessage(request);   // fine
//   co_await client.AsyncSendMessage({.queue_url = url, ...}); // GCC 12: double free

#ifndef SQSIM_CLIENT_H_
#define SQSIM_CLIENT_H_

#include <boost/asio/awaitable.hpp>

#include "sqsim/actions.h"
#include "sqsim/requests.h"
#include "sqsim/status.h"

namespace sqsim {

class Client {
 public:
  virtual ~Client() = default;

  // Adds a statement to the queue's `Policy` granting `actions` to `aws_account_ids`.
  virtual Result<AddPermissionResponse> AddPermission(const AddPermissionRequest& request) = 0;
  virtual boost::asio::awaitable<Result<AddPermissionResponse>> AsyncAddPermission(
      AddPermissionRequest request) = 0;

  // Cancels a RUNNING message move task; returns how many messages it had moved.
  virtual Result<CancelMessageMoveTaskResponse> CancelMessageMoveTask(
      const CancelMessageMoveTaskRequest& request) = 0;
  virtual boost::asio::awaitable<Result<CancelMessageMoveTaskResponse>> AsyncCancelMessageMoveTask(
      CancelMessageMoveTaskRequest request) = 0;

  // Sets an in-flight message's visibility deadline to now + `visibility_timeout`.
  virtual Result<ChangeMessageVisibilityResponse> ChangeMessageVisibility(
      const ChangeMessageVisibilityRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ChangeMessageVisibilityResponse>>
  AsyncChangeMessageVisibility(ChangeMessageVisibilityRequest request) = 0;

  // ChangeMessageVisibility for up to 10 receipt handles; per-entry failures in `failed`.
  virtual Result<ChangeMessageVisibilityBatchResponse> ChangeMessageVisibilityBatch(
      const ChangeMessageVisibilityBatchRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ChangeMessageVisibilityBatchResponse>>
  AsyncChangeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) = 0;

  // Creates a queue, or returns the URL of an existing one whose named attributes match.
  virtual Result<CreateQueueResponse> CreateQueue(const CreateQueueRequest& request) = 0;
  virtual boost::asio::awaitable<Result<CreateQueueResponse>> AsyncCreateQueue(
      CreateQueueRequest request) = 0;

  // Deletes the message a receipt handle names.
  virtual Result<DeleteMessageResponse> DeleteMessage(const DeleteMessageRequest& request) = 0;
  virtual boost::asio::awaitable<Result<DeleteMessageResponse>> AsyncDeleteMessage(
      DeleteMessageRequest request) = 0;

  // DeleteMessage for up to 10 receipt handles; per-entry failures in `failed`.
  virtual Result<DeleteMessageBatchResponse> DeleteMessageBatch(
      const DeleteMessageBatchRequest& request) = 0;
  virtual boost::asio::awaitable<Result<DeleteMessageBatchResponse>> AsyncDeleteMessageBatch(
      DeleteMessageBatchRequest request) = 0;

  // Deletes a queue and all its messages.
  virtual Result<DeleteQueueResponse> DeleteQueue(const DeleteQueueRequest& request) = 0;
  virtual boost::asio::awaitable<Result<DeleteQueueResponse>> AsyncDeleteQueue(
      DeleteQueueRequest request) = 0;

  // Returns the requested queue attributes (`All` for every one the queue has).
  virtual Result<GetQueueAttributesResponse> GetQueueAttributes(
      const GetQueueAttributesRequest& request) = 0;
  virtual boost::asio::awaitable<Result<GetQueueAttributesResponse>> AsyncGetQueueAttributes(
      GetQueueAttributesRequest request) = 0;

  // Returns the URL of a queue by name.
  virtual Result<GetQueueUrlResponse> GetQueueUrl(const GetQueueUrlRequest& request) = 0;
  virtual boost::asio::awaitable<Result<GetQueueUrlResponse>> AsyncGetQueueUrl(
      GetQueueUrlRequest request) = 0;

  // Lists the queues whose RedrivePolicy targets the given dead-letter queue.
  virtual Result<ListDeadLetterSourceQueuesResponse> ListDeadLetterSourceQueues(
      const ListDeadLetterSourceQueuesRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ListDeadLetterSourceQueuesResponse>>
  AsyncListDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest request) = 0;

  // Lists the most recent message move tasks of a source queue.
  virtual Result<ListMessageMoveTasksResponse> ListMessageMoveTasks(
      const ListMessageMoveTasksRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ListMessageMoveTasksResponse>> AsyncListMessageMoveTasks(
      ListMessageMoveTasksRequest request) = 0;

  // Returns a queue's cost-allocation tags.
  virtual Result<ListQueueTagsResponse> ListQueueTags(const ListQueueTagsRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ListQueueTagsResponse>> AsyncListQueueTags(
      ListQueueTagsRequest request) = 0;

  // Lists queue URLs, optionally by name prefix and page by page.
  virtual Result<ListQueuesResponse> ListQueues(const ListQueuesRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ListQueuesResponse>> AsyncListQueues(
      ListQueuesRequest request) = 0;

  // Deletes every message in a queue (at most once per 60 seconds).
  virtual Result<PurgeQueueResponse> PurgeQueue(const PurgeQueueRequest& request) = 0;
  virtual boost::asio::awaitable<Result<PurgeQueueResponse>> AsyncPurgeQueue(
      PurgeQueueRequest request) = 0;

  // Receives up to `max_number_of_messages` messages, waiting up to `wait_time_seconds` for one.
  virtual Result<ReceiveMessageResponse> ReceiveMessage(const ReceiveMessageRequest& request) = 0;
  virtual boost::asio::awaitable<Result<ReceiveMessageResponse>> AsyncReceiveMessage(
      ReceiveMessageRequest request) = 0;

  // Removes the `Policy` statement with the given label.
  virtual Result<RemovePermissionResponse> RemovePermission(
      const RemovePermissionRequest& request) = 0;
  virtual boost::asio::awaitable<Result<RemovePermissionResponse>> AsyncRemovePermission(
      RemovePermissionRequest request) = 0;

  // Sends one message.
  virtual Result<SendMessageResponse> SendMessage(const SendMessageRequest& request) = 0;
  virtual boost::asio::awaitable<Result<SendMessageResponse>> AsyncSendMessage(
      SendMessageRequest request) = 0;

  // Sends up to 10 messages; per-entry failures in `failed`.
  virtual Result<SendMessageBatchResponse> SendMessageBatch(
      const SendMessageBatchRequest& request) = 0;
  virtual boost::asio::awaitable<Result<SendMessageBatchResponse>> AsyncSendMessageBatch(
      SendMessageBatchRequest request) = 0;

  // Changes queue attributes.
  virtual Result<SetQueueAttributesResponse> SetQueueAttributes(
      const SetQueueAttributesRequest& request) = 0;
  virtual boost::asio::awaitable<Result<SetQueueAttributesResponse>> AsyncSetQueueAttributes(
      SetQueueAttributesRequest request) = 0;

  // Starts moving messages out of a dead-letter queue.
  virtual Result<StartMessageMoveTaskResponse> StartMessageMoveTask(
      const StartMessageMoveTaskRequest& request) = 0;
  virtual boost::asio::awaitable<Result<StartMessageMoveTaskResponse>> AsyncStartMessageMoveTask(
      StartMessageMoveTaskRequest request) = 0;

  // Adds or overwrites cost-allocation tags.
  virtual Result<TagQueueResponse> TagQueue(const TagQueueRequest& request) = 0;
  virtual boost::asio::awaitable<Result<TagQueueResponse>> AsyncTagQueue(
      TagQueueRequest request) = 0;

  // Removes cost-allocation tags.
  virtual Result<UntagQueueResponse> UntagQueue(const UntagQueueRequest& request) = 0;
  virtual boost::asio::awaitable<Result<UntagQueueResponse>> AsyncUntagQueue(
      UntagQueueRequest request) = 0;
};

}  // namespace sqsim

#endif  // SQSIM_CLIENT_H_
