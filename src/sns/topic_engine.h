// SnsEngine: SNS topics and subscriptions for one account in one region, as a
// pure state machine. The host calls one method per SNS action, passing the
// virtual time; Publish returns, besides SNS's response, the deliveries SNS
// would make, which the host carries out (sending to queues, invoking
// functions). Nothing here reads a clock, a thread or the environment: ids
// come from the Rng the engine is given, containers are ordered, so the same
// seed and calls give the same results, byte for byte.
//
// Actions and their errors (InvalidParameter is HTTP 400, NotFound 404):
//   CreateTopic      name rules (1-256 of [A-Za-z0-9_-], FIFO names end in
//                    ".fifo" and need FifoTopic=true), attribute names and
//                    values, tags; idempotent with the same attributes and
//                    tags, else "Topic already exists with different ..."
//   DeleteTopic      idempotent; deletes the topic's subscriptions and tags
//   ListTopics       100 per page, in creation order, NextToken
//   Get/SetTopicAttributes
//   Subscribe        protocols below; idempotent for the same protocol and
//                    endpoint unless an attribute given differs
//   Unsubscribe, ConfirmSubscription (token of a pending subscription)
//   ListSubscriptions, ListSubscriptionsByTopic: 100 per page, creation order
//   Get/SetSubscriptionAttributes: DeliveryPolicy, FilterPolicy,
//                    FilterPolicyScope, RawMessageDelivery, RedrivePolicy,
//                    SubscriptionRoleArn
//   Publish, PublishBatch: message, subject, attribute, size, structure and
//                    FIFO rules; FIFO topics deduplicate for 5 minutes
//   TagResource, UntagResource, ListTagsForResource: 50 tags per topic
// Error messages follow AWS's recorded answers where there is one (the
// localstack AWS-validated snapshots); tests/sns/topic_engine_*_test.cc say
// which.
//
// Protocols:
//   sqs             endpoint: a queue ARN. Confirmed at once when the queue
//                   is in the engine's account, else pending confirmation.
//   lambda          endpoint: a function ARN; confirmed at once in-account.
//   sqsim-function  sqsim's own in-process protocol (kFunctionProtocol): the
//                   endpoint is a name the host registers a callback under;
//                   always confirmed, delivered like a Lambda subscription.
//   http, https     endpoint must start with "<protocol>://"; stay
//                   "PendingConfirmation" until ConfirmSubscription with the
//                   token (PendingConfirmationToken gives it, since sqsim
//                   sends no SubscriptionConfirmation request).
//   email, email-json  pending like http(s); sms: an E.164 number, confirmed.
//   application, firehose: refused (sqsim has no platform endpoints or
//                   delivery streams).
// FIFO topics take sqs subscriptions only.
//
// Thread safety: none; the host serializes calls.

#ifndef SQSIM_SRC_SNS_TOPIC_ENGINE_H_
#define SQSIM_SRC_SNS_TOPIC_ENGINE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/random.h"
#include "sqsim/sns/filter_policy.h"
#include "sqsim/sns/types.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::sns::internal {

// The protocol of sqsim's in-process callback subscriptions.
inline constexpr std::string_view kFunctionProtocol = "sqsim-function";

// How long a FIFO topic remembers a deduplication id.
inline constexpr Duration kFifoDeduplicationWindow = std::chrono::minutes(5);

inline constexpr size_t kListPageSize = 100;

struct SnsEngineOptions {
  std::string account_id = "000000000000";
  std::string region = "us-east-1";
  std::string partition = "aws";
  // Base of SigningCertURL and UnsubscribeURL; empty means
  // "https://sns.<region>.amazonaws.com".
  std::string endpoint{};
  // SubscriptionPrincipal of new subscriptions; empty means the account root.
  std::string principal_arn{};
};

// One delivery SNS makes to one subscription for one published message.
struct Delivery {
  std::string subscription_arn{};
  std::string topic_arn{};
  std::string protocol{};  // "sqs", "lambda", kFunctionProtocol, "http", ...
  std::string endpoint{};  // queue ARN, function ARN or name, URL, address
  std::string message_id{};
  // Exactly what the subscriber receives: the JSON envelope (envelope.h), or
  // the message itself with raw message delivery (and for email and sms).
  std::string body{};
  // Raw delivery to SQS only: the message attributes as SQS attributes (the
  // envelope carries them inside the body instead).
  sqsim::MessageAttributeMap sqs_message_attributes{};
  // FIFO topic to FIFO queue: the group id and the deduplication id (given,
  // or SHA-256 hex of the message with ContentBasedDeduplication). A standard
  // topic passes a given group id on to any queue.
  std::optional<std::string> message_group_id{};
  std::optional<std::string> message_deduplication_id{};
  // The subscription's RedrivePolicy deadLetterTargetArn: where the host
  // sends the body when delivery fails.
  std::optional<std::string> dead_letter_target_arn{};
  // Set when SNS discards the delivery as a client-side error before trying
  // (raw delivery to SQS of more than 10 attributes): the host sends it to
  // the dead-letter target, if any, instead of the endpoint.
  std::optional<std::string> client_error{};

  friend bool operator==(const Delivery&, const Delivery&) = default;
};

template <typename Response>
struct PublishOutcome {
  Response response{};
  std::vector<Delivery> deliveries{};  // subscriptions in creation order
};

class SnsEngine {
 public:
  // `rng` draws every id (message ids, subscription ids, tokens).
  SnsEngine(SnsEngineOptions options, std::unique_ptr<Rng> rng);

  Result<CreateTopicResponse> CreateTopic(const CreateTopicRequest& request);
  Result<DeleteTopicResponse> DeleteTopic(const DeleteTopicRequest& request);
  Result<ListTopicsResponse> ListTopics(const ListTopicsRequest& request) const;
  Result<GetTopicAttributesResponse> GetTopicAttributes(
      const GetTopicAttributesRequest& request) const;
  Result<SetTopicAttributesResponse> SetTopicAttributes(const SetTopicAttributesRequest& request);

  Result<SubscribeResponse> Subscribe(const SubscribeRequest& request);
  Result<UnsubscribeResponse> Unsubscribe(const UnsubscribeRequest& request);
  Result<ConfirmSubscriptionResponse> ConfirmSubscription(
      const ConfirmSubscriptionRequest& request);
  Result<ListSubscriptionsResponse> ListSubscriptions(
      const ListSubscriptionsRequest& request) const;
  Result<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopic(
      const ListSubscriptionsByTopicRequest& request) const;
  Result<GetSubscriptionAttributesResponse> GetSubscriptionAttributes(
      const GetSubscriptionAttributesRequest& request) const;
  Result<SetSubscriptionAttributesResponse> SetSubscriptionAttributes(
      const SetSubscriptionAttributesRequest& request);

  Result<PublishOutcome<PublishResponse>> Publish(const PublishRequest& request, Timestamp now);
  Result<PublishOutcome<PublishBatchResponse>> PublishBatch(const PublishBatchRequest& request,
                                                            Timestamp now);

  Result<TagResourceResponse> TagResource(const TagResourceRequest& request);
  Result<UntagResourceResponse> UntagResource(const UntagResourceRequest& request);
  Result<ListTagsForResourceResponse> ListTagsForResource(
      const ListTagsForResourceRequest& request) const;

  // The confirmation token of a subscription pending confirmation (what SNS
  // would send in its SubscriptionConfirmation message), or nullopt.
  std::optional<std::string> PendingConfirmationToken(std::string_view subscription_arn) const;

  const SnsEngineOptions& options() const { return options_; }

 private:
  struct Dedup {
    std::string message_id;
    std::string sequence_number;
  };
  struct TopicState {
    std::string arn;
    uint64_t sequence = 0;  // creation order
    bool fifo = false;
    TopicAttributeMap attributes;  // as set: DisplayName, Policy, ...
    std::map<std::string, std::string> tags;
    std::optional<std::string> data_protection_policy;
    uint64_t subscriptions_deleted = 0;
    uint64_t next_sequence_number = 0;
    std::map<std::string, Dedup> dedup;                          // by deduplication id
    std::deque<std::pair<Timestamp, std::string>> dedup_expiry;  // oldest first
    std::map<uint64_t, std::string> subscriptions;               // creation order -> ARN
  };
  struct SubscriptionState {
    std::string arn;
    std::string topic_arn;
    std::string protocol;
    std::string endpoint;
    uint64_t sequence = 0;
    bool pending = false;
    std::optional<std::string> token;  // while pending
    bool raw = false;
    FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes;
    std::optional<FilterPolicy> filter_policy;
    std::optional<std::string> redrive_policy;  // as set
    std::optional<std::string> dead_letter_target_arn;
    std::optional<std::string> delivery_policy;
    std::optional<std::string> subscription_role_arn;
  };
  // One message to publish, validated.
  struct Outgoing {
    std::string message;
    std::optional<std::string> subject;
    std::optional<std::map<std::string, std::string>> structured;  // MessageStructure=json
    const MessageAttributeMap* attributes = nullptr;
    std::optional<std::string> group_id;
    std::optional<std::string> deduplication_id;
  };
  struct Published {
    std::string message_id;
    std::optional<std::string> sequence_number;
  };

  // Topic lookups: `parameter` names the request member in errors.
  Result<TopicState*> FindTopic(std::string_view parameter, std::string_view arn);
  Result<const TopicState*> FindTopic(std::string_view parameter, std::string_view arn) const;
  Result<const TopicState*> FindTaggable(std::string_view arn) const;
  std::string TopicArn(std::string_view name) const;
  std::string Endpoint() const;

  Status ValidateTopicAttribute(const TopicState& topic, std::string_view name,
                                std::string_view value) const;
  TopicAttributeMap EffectiveTopicAttributes(const TopicState& topic) const;

  // Subscription attributes: validates and applies one attribute; `call`
  // words errors as Subscribe or SetSubscriptionAttributes does.
  Status ApplySubscriptionAttribute(SubscriptionState& subscription, const TopicState& topic,
                                    std::string_view name, std::string_view value,
                                    FilterPolicyCall call) const;
  SubscriptionAttributeMap EffectiveSubscriptionAttributes(const SubscriptionState& s) const;
  Subscription Listed(const SubscriptionState& s) const;
  void EraseSubscription(const std::string& arn);

  // Publishing.
  Result<Outgoing> ValidateMessage(std::string_view message,
                                   const std::optional<std::string>& subject,
                                   const std::optional<std::string>& structure,
                                   const MessageAttributeMap& attributes,
                                   std::optional<size_t> batch_position) const;
  Status ValidateFifoFields(const TopicState& topic, const Outgoing& outgoing) const;
  Published Deliver(TopicState& topic, const Outgoing& outgoing, Timestamp now,
                    std::vector<Delivery>& deliveries);
  Delivery MakeDelivery(const TopicState& topic, const SubscriptionState& subscription,
                        const Outgoing& outgoing, const Published& published, Timestamp now) const;

  SnsEngineOptions options_;
  std::unique_ptr<Rng> rng_;
  uint64_t next_sequence_ = 1;
  std::map<std::string, TopicState> topics_;                // by ARN
  std::map<uint64_t, std::string> topic_order_;             // creation order -> ARN
  std::map<std::string, SubscriptionState> subscriptions_;  // by ARN
  std::map<uint64_t, std::string> subscription_order_;      // creation order -> ARN
  std::map<std::string, std::string> tokens_;               // token -> subscription ARN
};

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_TOPIC_ENGINE_H_
