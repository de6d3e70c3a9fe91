// sns::Client: the SNS API sqsim simulates, as one abstract interface.
//
// Publisher code written against `sns::Client` runs unchanged on the
// simulator (`Simulator::sns()`, virtual time, deliveries into the
// simulator's queues) and on real SNS (`aws::SnsAwsClient`, the query
// protocol with SigV4 over the same transport as `aws::AwsClient`). As with
// the SQS `Client`, each action comes in two forms:
//
//   Result<PublishResponse> Publish(const PublishRequest&);
//       blocking: returns when the action has completed;
//   asio::awaitable<Result<PublishResponse>> AsyncPublish(PublishRequest);
//       an Asio C++20 coroutine (the simulator's virtual-time executor, or
//       an io_context).
//
// Every failure SNS can report comes back as a non-OK Result whose code
// `sns::SnsErrorCode` spells as SNS does (NotFound, InvalidParameter,
// AuthorizationError, ...), never as an exception. PublishBatch lists its
// per-entry failures in the response's `failed` member.
//
// Thread safety: depends on the implementation; see its header. The GCC 12
// caveat of sqsim/client.h applies: name a request before co_await-ing it.

#ifndef SQSIM_SNS_CLIENT_H_
#define SQSIM_SNS_CLIENT_H_

#include <boost/asio/awaitable.hpp>

#include "sqsim/sns/types.h"
#include "sqsim/status.h"

// X-macro over the SNS actions sqsim implements, in the order of the
// botocore SNS model's operation list.
#define SQSIM_SNS_FOR_EACH_ACTION(X) \
  X(ConfirmSubscription)             \
  X(CreateTopic)                     \
  X(DeleteTopic)                     \
  X(GetSubscriptionAttributes)       \
  X(GetTopicAttributes)              \
  X(ListSubscriptions)               \
  X(ListSubscriptionsByTopic)        \
  X(ListTagsForResource)             \
  X(ListTopics)                      \
  X(Publish)                         \
  X(PublishBatch)                    \
  X(SetSubscriptionAttributes)       \
  X(SetTopicAttributes)              \
  X(Subscribe)                       \
  X(TagResource)                     \
  X(Unsubscribe)                     \
  X(UntagResource)

namespace sqsim::sns {

class Client {
 public:
  virtual ~Client() = default;

#define SQSIM_SNS_CLIENT_METHODS(Name)                                   \
  virtual Result<Name##Response> Name(const Name##Request& request) = 0; \
  virtual boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) = 0;
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_CLIENT_METHODS)
#undef SQSIM_SNS_CLIENT_METHODS
};

}  // namespace sqsim::sns

#endif  // SQSIM_SNS_CLIENT_H_
