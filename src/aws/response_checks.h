// The MD5 checks AWS SDKs make on SQS responses (the Java and .NET SDKs'
// message-MD5 checksum validation; botocore dropped its own): the digests SQS
// reports for a sent or received message must match the body and message
// attributes the client sent or received. A mismatch means the message was
// corrupted in transit, or the endpoint computes digests wrongly.
//
// Thread safety: pure functions.

#ifndef SQSIM_AWS_RESPONSE_CHECKS_H_
#define SQSIM_AWS_RESPONSE_CHECKS_H_

#include "sqsim/requests.h"
#include "sqsim/status.h"

namespace sqsim::internal {

// Every action without message digests passes.
template <typename Request, typename Response>
Status CheckResponseDigests(const Request&, const Response&) {
  return Status::Ok();
}

// MD5OfMessageBody and, when attributes were sent, MD5OfMessageAttributes.
Status CheckResponseDigests(const SendMessageRequest& request, const SendMessageResponse& response);
// The same for each successful entry, matched to its request entry by Id.
Status CheckResponseDigests(const SendMessageBatchRequest& request,
                            const SendMessageBatchResponse& response);
// MD5OfBody of each message and, when it has message attributes,
// MD5OfMessageAttributes.
Status CheckResponseDigests(const ReceiveMessageRequest& request,
                            const ReceiveMessageResponse& response);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_RESPONSE_CHECKS_H_
