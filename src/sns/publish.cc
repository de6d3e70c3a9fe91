// SnsEngine: Publish and PublishBatch, and the deliveries they produce.

#include <vector>

#include "core/digest.h"
#include "sns/envelope.h"
#include "sns/sns_text.h"
#include "sns/sns_validation.h"
#include "sns/topic_engine.h"

namespace sqsim::sns::internal {
namespace {

// SQS takes at most 10 attributes from SNS's raw delivery; SNS discards a
// message with more as a client-side error (SNS Developer Guide, "Amazon SNS
// message attributes").
constexpr size_t kMaxRawSqsAttributes = 10;

// SNS's FIFO sequence numbers are 20-digit decimals that grow per topic.
std::string FormatSequenceNumber(uint64_t n) { return std::to_string(10000000000000000000ULL + n); }

}  // namespace

Result<SnsEngine::Outgoing> SnsEngine::ValidateMessage(std::string_view message,
                                                       const std::optional<std::string>& subject,
                                                       const std::optional<std::string>& structure,
                                                       const MessageAttributeMap& attributes,
                                                       std::optional<size_t> batch_position) const {
  if (subject) {
    if (Status status = ValidateSubject(*subject); !status.ok()) return status;
  }
  if (message.empty()) return InvalidParameter("Empty message");
  if (Status status = ValidateMessageAttributes(attributes, batch_position); !status.ok()) {
    return status;
  }
  // A batch is measured as a whole (BatchRequestTooLong), by the caller.
  if (!batch_position && PublishSize(message, attributes) > kMaxPublishBytes) {
    return InvalidParameter("Message too long");
  }
  Outgoing outgoing;
  outgoing.message = std::string(message);
  outgoing.subject = subject;
  outgoing.attributes = &attributes;
  if (structure) {
    if (*structure != "json") return InvalidParameter("MessageStructure");
    Result<std::map<std::string, std::string>> structured = ParseMessageStructure(message);
    if (!structured.ok()) return structured.status();
    outgoing.structured = std::move(*structured);
  }
  return outgoing;
}

Status SnsEngine::ValidateFifoFields(const TopicState& topic, const Outgoing& outgoing) const {
  if (topic.fifo) {
    if (!outgoing.group_id) {
      return InvalidParameter("The MessageGroupId parameter is required for FIFO topics");
    }
    if (Status status = ValidateFifoId("MessageGroupId", *outgoing.group_id); !status.ok()) {
      return status;
    }
    if (outgoing.deduplication_id) {
      return ValidateFifoId("MessageDeduplicationId", *outgoing.deduplication_id);
    }
    const auto cbd = topic.attributes.find("ContentBasedDeduplication");
    bool content_based = false;
    if (cbd == topic.attributes.end() || !ParseBoolean(cbd->second, content_based) ||
        !content_based) {
      return InvalidParameter(
          "The topic should either have ContentBasedDeduplication enabled or "
          "MessageDeduplicationId provided explicitly");
    }
    return Status::Ok();
  }
  if (outgoing.deduplication_id) {
    return InvalidParameter(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter "
        "that is not valid for this topic type");
  }
  // Standard topics pass a MessageGroupId on (to SQS fair queues).
  if (outgoing.group_id) return ValidateFifoId("MessageGroupId", *outgoing.group_id);
  return Status::Ok();
}

Delivery SnsEngine::MakeDelivery(const TopicState& topic, const SubscriptionState& s,
                                 const Outgoing& outgoing, const Published& published,
                                 Timestamp now) const {
  Delivery delivery{.subscription_arn = s.arn,
                    .topic_arn = topic.arn,
                    .protocol = s.protocol,
                    .endpoint = s.endpoint,
                    .message_id = published.message_id,
                    .dead_letter_target_arn = s.dead_letter_target_arn};
  const std::string content =
      outgoing.structured ? ContentForProtocol(*outgoing.structured, s.protocol) : outgoing.message;
  // Attributes travel only with plain (not JSON-structured) messages.
  const MessageAttributeMap* attributes = outgoing.structured ? nullptr : outgoing.attributes;
  if (s.raw) {
    delivery.body = content;
    if (s.protocol == "sqs" && attributes != nullptr) {
      delivery.sqs_message_attributes = ToSqsMessageAttributes(*attributes);
      if (attributes->size() > kMaxRawSqsAttributes) {
        delivery.client_error =
            "Raw message delivery to Amazon SQS carries at most 10 message attributes; this "
            "message has " +
            std::to_string(attributes->size());
      }
    }
  } else if (s.protocol == "email" || s.protocol == "sms") {
    delivery.body = content;
  } else {
    const auto version = topic.attributes.find("SignatureVersion");
    delivery.body = NotificationEnvelope(NotificationFields{
        .message_id = published.message_id,
        .sequence_number = published.sequence_number
                               ? std::optional<std::string_view>(*published.sequence_number)
                               : std::nullopt,
        .topic_arn = topic.arn,
        .subject =
            outgoing.subject ? std::optional<std::string_view>(*outgoing.subject) : std::nullopt,
        .message = content,
        .timestamp = now,
        .signature_version = version == topic.attributes.end() ? "1" : version->second,
        .subscription_arn = s.arn,
        .message_attributes = attributes,
        .endpoint = Endpoint(),
    });
  }
  if (topic.fifo) {
    // FIFO ids go to FIFO queues only; a standard queue gets none.
    if (s.protocol == "sqs" && s.endpoint.ends_with(".fifo")) {
      delivery.message_group_id = outgoing.group_id;
      delivery.message_deduplication_id = outgoing.deduplication_id;
    }
  } else if (s.protocol == "sqs") {
    delivery.message_group_id = outgoing.group_id;
  }
  return delivery;
}

SnsEngine::Published SnsEngine::Deliver(TopicState& topic, const Outgoing& given, Timestamp now,
                                        std::vector<Delivery>& deliveries) {
  Outgoing outgoing = given;
  Published published;
  if (topic.fifo) {
    while (!topic.dedup_expiry.empty() && topic.dedup_expiry.front().first <= now) {
      topic.dedup.erase(topic.dedup_expiry.front().second);
      topic.dedup_expiry.pop_front();
    }
    if (!outgoing.deduplication_id) {
      // Content-based deduplication: SHA-256 of the message SQS would get.
      const std::string content =
          outgoing.structured ? ContentForProtocol(*outgoing.structured, "sqs") : outgoing.message;
      outgoing.deduplication_id = sqsim::internal::Sha256Hex(content);
    }
    // A duplicate within the window is accepted, answered with the first
    // message's ids, and not delivered again.
    if (const auto seen = topic.dedup.find(*outgoing.deduplication_id); seen != topic.dedup.end()) {
      return Published{seen->second.message_id, seen->second.sequence_number};
    }
    published.sequence_number = FormatSequenceNumber(++topic.next_sequence_number);
  }
  published.message_id = NewUuid(*rng_);
  if (topic.fifo) {
    topic.dedup[*outgoing.deduplication_id] =
        Dedup{published.message_id, *published.sequence_number};
    topic.dedup_expiry.emplace_back(now + kFifoDeduplicationWindow, *outgoing.deduplication_id);
  }

  std::vector<MessageAttributeView> views;
  for (const auto& [name, value] : *outgoing.attributes) {
    views.push_back(MessageAttributeView{
        .name = name,
        .data_type = value.data_type,
        .value = value.string_value ? std::string_view(*value.string_value) : std::string_view()});
  }
  for (const auto& [sequence, arn] : topic.subscriptions) {
    const SubscriptionState& s = subscriptions_.at(arn);
    if (s.pending) continue;
    if (s.filter_policy) {
      const std::string body = outgoing.structured
                                   ? ContentForProtocol(*outgoing.structured, s.protocol)
                                   : outgoing.message;
      if (!Matches(*s.filter_policy, MessageView{.attributes = views, .body = body})) continue;
    }
    deliveries.push_back(MakeDelivery(topic, s, outgoing, published, now));
  }
  return published;
}

Result<PublishOutcome<PublishResponse>> SnsEngine::Publish(const PublishRequest& request,
                                                           Timestamp now) {
  PublishOutcome<PublishResponse> outcome;
  if (request.phone_number) {
    if (!IsValidPhoneNumber(*request.phone_number)) {
      return InvalidParameter("PhoneNumber Reason: " + *request.phone_number +
                              " is not valid to publish to");
    }
    Result<Outgoing> outgoing =
        ValidateMessage(request.message, request.subject, request.message_structure,
                        request.message_attributes, std::nullopt);
    if (!outgoing.ok()) return outgoing.status();
    outcome.response.message_id = NewUuid(*rng_);
    outcome.deliveries.push_back(
        Delivery{.protocol = "sms",
                 .endpoint = *request.phone_number,
                 .message_id = outcome.response.message_id,
                 .body = outgoing->structured ? ContentForProtocol(*outgoing->structured, "sms")
                                              : outgoing->message});
    return outcome;
  }
  const bool by_topic = request.topic_arn.has_value();
  const std::string target = by_topic ? *request.topic_arn : request.target_arn.value_or("");
  if (target.empty()) {
    return InvalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
  }
  Result<Outgoing> outgoing =
      ValidateMessage(request.message, request.subject, request.message_structure,
                      request.message_attributes, std::nullopt);
  if (!outgoing.ok()) return outgoing.status();
  outgoing->group_id = request.message_group_id;
  outgoing->deduplication_id = request.message_deduplication_id;
  if (!by_topic && target.find(":endpoint/") != std::string::npos) {
    return InvalidParameter("TargetArn Reason: No endpoint found for the target arn specified");
  }
  Result<TopicState*> topic = FindTopic(by_topic ? "TopicArn" : "TargetArn", target);
  if (!topic.ok()) return topic.status();
  if (Status status = ValidateFifoFields(**topic, *outgoing); !status.ok()) return status;
  const Published published = Deliver(**topic, *outgoing, now, outcome.deliveries);
  outcome.response = PublishResponse{.message_id = published.message_id,
                                     .sequence_number = published.sequence_number};
  return outcome;
}

Result<PublishOutcome<PublishBatchResponse>> SnsEngine::PublishBatch(
    const PublishBatchRequest& request, Timestamp now) {
  const std::vector<PublishBatchRequestEntry>& entries = request.publish_batch_request_entries;
  if (entries.size() > kMaxBatchEntries) {
    return Status(ErrorCode::kTooManyEntriesInBatchRequest,
                  "The batch request contains more entries than permissible.");
  }
  if (entries.empty()) {
    return Status(ErrorCode::kEmptyBatchRequest, "The batch request doesn't contain any entries.");
  }
  Result<TopicState*> topic = FindTopic("TopicArn", request.topic_arn);
  if (!topic.ok()) return topic.status();
  if (Status status = ValidateBatchEntryIds(entries); !status.ok()) return status;

  // SNS refuses the whole batch for any invalid entry, so validate all first.
  std::vector<Outgoing> messages;
  size_t total = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PublishBatchRequestEntry& entry = entries[i];
    Result<Outgoing> outgoing = ValidateMessage(
        entry.message, entry.subject, entry.message_structure, entry.message_attributes, i + 1);
    if (!outgoing.ok()) return outgoing.status();
    outgoing->group_id = entry.message_group_id;
    outgoing->deduplication_id = entry.message_deduplication_id;
    if (Status status = ValidateFifoFields(**topic, *outgoing); !status.ok()) return status;
    total += PublishSize(entry.message, entry.message_attributes);
    messages.push_back(std::move(*outgoing));
  }
  if (total > kMaxPublishBytes) {
    return Status(ErrorCode::kBatchRequestTooLong,
                  "The length of all the messages put together is more than the limit.");
  }
  PublishOutcome<PublishBatchResponse> outcome;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Published published = Deliver(**topic, messages[i], now, outcome.deliveries);
    outcome.response.successful.push_back(
        PublishBatchResultEntry{.id = entries[i].id,
                                .message_id = published.message_id,
                                .sequence_number = published.sequence_number});
  }
  return outcome;
}

}  // namespace sqsim::sns::internal
