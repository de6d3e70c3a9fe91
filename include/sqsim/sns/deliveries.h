// What SNS delivers: to in-process subscribers (C++ functions subscribed to
// a topic), and the counts of every delivery the simulator made.
//
// A subscription with protocol "lambda" (endpoint: a function ARN) or
// "sqsim-function" (endpoint: any name) delivers to the function the
// simulator has registered under that endpoint (Simulator::RegisterFunction).
// Each delivery runs as its own actor on the simulator's executor, so the
// function may co_await (sleep in virtual time, call queues). A function that
// throws has failed the delivery: SNS retries it as it retries deliveries to
// Lambda (the AWS managed endpoints' policy, see host/sns_host.h), then sends
// the message to the subscription's dead-letter queue, if it has one.

#ifndef SQSIM_SNS_DELIVERIES_H_
#define SQSIM_SNS_DELIVERIES_H_

#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

namespace sqsim::sns {

// One delivery to a function subscription.
struct FunctionDelivery {
  std::string subscription_arn{};
  std::string topic_arn{};
  std::string endpoint{};    // the function ARN or name it was delivered to
  std::string message_id{};  // SNS's MessageId of the published message
  // The JSON notification (Type, MessageId, TopicArn, Subject, Message,
  // Timestamp, ..., MessageAttributes): the `Sns` object of a Lambda SNS
  // event record.
  std::string body{};
  int attempt = 1;  // 1 for the first try, then 2, 3, ... for retries
};

using FunctionSubscriber = std::function<boost::asio::awaitable<void>(FunctionDelivery)>;

// Counts of what SNS did with the deliveries of published messages
// (Simulator::sns_delivery_stats()).
struct DeliveryStats {
  int64_t deliveries = 0;       // subscriptions a publish matched (one per subscription)
  int64_t delivered = 0;        // attempts that succeeded
  int64_t failed_attempts = 0;  // attempts that failed (each retry counts)
  int64_t duplicates = 0;       // extra deliveries made by kSnsDuplicateDelivery
  int64_t dead_lettered = 0;    // given up and sent to the subscription's DLQ
  int64_t dropped = 0;          // given up with no DLQ (or a DLQ that refused it)

  friend bool operator==(const DeliveryStats&, const DeliveryStats&) = default;
};

}  // namespace sqsim::sns

#endif  // SQSIM_SNS_DELIVERIES_H_
