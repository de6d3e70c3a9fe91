// SnsHost: SNS topics next to the queues of one Host, with the deliveries
// SNS makes carried out against those queues.
//
// The SnsEngine (src/sns/topic_engine.h) answers each SNS action and says,
// for a publish, which subscriptions get what. SnsHost carries the
// deliveries out, as SNS does:
//
//   * to a queue ("sqs"), as a SendMessage made by the service principal
//     sns.amazonaws.com with aws:SourceArn = the topic and aws:SourceAccount
//     = its account, so the queue's policy must let the topic send (as on
//     AWS: https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html)
//     and an SSE-KMS queue's key policy must let SNS use the key;
//   * to a function ("lambda", "sqsim-function"), through the runner.
//
// A delivery that fails with a client-side error (the queue is gone, access
// is denied, the key cannot be used, the message is invalid for the queue)
// is not retried. One that fails with a server-side error (a throttle, an
// outage, a kSnsDeliveryFailure fault, a function that throws) is retried as
// SNS retries AWS managed endpoints: 3 times at once, 2 times 1 second
// apart, 10 times backing off from 1 to 20 seconds, then 100,000 times 20
// seconds apart: 100,015 attempts over 23 days
// (https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html;
// SNS adds jitter, sqsim does not, so that runs stay comparable). Given up,
// the message goes to the subscription's dead-letter queue (its
// RedrivePolicy) with the attributes ErrorCode, ErrorMessage and RequestID,
// or is dropped; both are traced.
//
// Deliveries happen at the instant of the publish unless a fault delays
// them; retries and delays run later through the runner, which each host
// implements with its own timers.
//
// Thread safety: none; the host serialises calls.

#ifndef SQSIM_HOST_SNS_HOST_H_
#define SQSIM_HOST_SNS_HOST_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "host/host.h"
#include "sns/topic_engine.h"
#include "sqsim/sns/client.h"
#include "sqsim/sns/deliveries.h"

namespace sqsim::internal {

// How a host runs SNS work later and reaches in-process functions.
class SnsDeliveryRunner {
 public:
  virtual ~SnsDeliveryRunner() = default;
  // Runs `task` at `when` (no earlier than now), passing the time it runs at.
  virtual void At(Timestamp when, std::function<void(Timestamp)> task) = 0;
  // Delivers to the function registered under `delivery.endpoint`; calls
  // `done` once, with the time and OK or why the delivery failed
  // (kResourceNotFound: no such function, a client-side error; anything
  // else: the function failed, a server-side error).
  virtual void InvokeFunction(sns::FunctionDelivery delivery,
                              std::function<void(Timestamp, Status)> done) = 0;
};

// How many times SNS tries to deliver to an AWS managed endpoint (a queue,
// a function) before it gives up.
inline constexpr int kSnsManagedEndpointAttempts = 100015;

class SnsHost {
 public:
  // REQUIRES: `host` and `runner` outlive the SnsHost.
  SnsHost(Host& host, SnsDeliveryRunner& runner);

#define SQSIM_SNS_HOST_CALL(Name) \
  Result<sns::Name##Response> Call(const sns::Name##Request& request, Timestamp now);
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_HOST_CALL)
#undef SQSIM_SNS_HOST_CALL

  const sns::DeliveryStats& stats() const { return stats_; }
  // The token SNS would send a subscription pending confirmation (http,
  // https, email, cross-account queues), for ConfirmSubscription.
  std::optional<std::string> PendingConfirmationToken(const std::string& subscription_arn) const {
    return engine_.PendingConfirmationToken(subscription_arn);
  }

 private:
  using Delivery = sns::internal::Delivery;

  template <typename T>
  Result<T> Record(std::string_view action, Result<T> result, Timestamp now);
  // Applies the delivery faults, then makes the first attempt (now or late).
  void Dispatch(const Delivery& delivery, Timestamp now);
  void Attempt(std::shared_ptr<const Delivery> delivery, int attempt, Timestamp now);
  void Failed(std::shared_ptr<const Delivery> delivery, int attempt, const Status& why,
              bool retryable, Timestamp now);
  void GiveUp(const Delivery& delivery, const Status& why, Timestamp now);
  // SendMessage into the queue named by `queue_arn`, as SNS.
  Status SendAsSns(const std::string& queue_arn, const Delivery& delivery, std::string body,
                   MessageAttributeMap attributes, Timestamp now);
  uint32_t Name(const std::string& name);
  void Trace(TraceKind kind, const Delivery& delivery, ErrorCode code, int64_t value,
             Timestamp now);

  Host& host_;
  SnsDeliveryRunner& runner_;
  sns::internal::SnsEngine engine_;
  sns::DeliveryStats stats_;
  std::map<std::string, uint32_t> names_;  // interned trace names
  uint64_t next_request_id_ = 1;
};

}  // namespace sqsim::internal

#endif  // SQSIM_HOST_SNS_HOST_H_
