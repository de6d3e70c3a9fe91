// SnsEngine: subscriptions, their attributes and their confirmation.

#include <nlohmann/json.hpp>

#include <array>

#include "sns/sns_text.h"
#include "sns/sns_validation.h"
#include "sns/topic_engine.h"

namespace sqsim::sns::internal {
namespace {

constexpr std::array<std::string_view, 10> kSnsProtocols = {
    "http", "https",       "email",  "email-json", "sms",
    "sqs",  "application", "lambda", "firehose",   kFunctionProtocol,
};

constexpr std::array<std::string_view, 6> kSubscriptionAttributes = {
    "DeliveryPolicy",     "FilterPolicy",  "FilterPolicyScope",
    "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn",
};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view known : names) {
    if (known == name) return true;
  }
  return false;
}

// Protocols whose subscribers can take the message without the envelope.
bool SupportsRawDelivery(std::string_view protocol) {
  return protocol == "sqs" || protocol == "http" || protocol == "https" || protocol == "firehose";
}

// SNS words an attribute's error "Invalid parameter: X" from
// SetSubscriptionAttributes and "Invalid parameter: Attributes Reason: X"
// from Subscribe (AWS's recorded answers).
Status AttributeError(FilterPolicyCall call, std::string_view detail) {
  return InvalidParameter((call == FilterPolicyCall::kSubscribe ? "Attributes Reason: " : "") +
                          std::string(detail));
}

}  // namespace

Status SnsEngine::ApplySubscriptionAttribute(SubscriptionState& s, const TopicState& topic,
                                             std::string_view name, std::string_view value,
                                             FilterPolicyCall call) const {
  if (!Contains(kSubscriptionAttributes, name)) return AttributeError(call, "AttributeName");
  if (name == "RawMessageDelivery") {
    bool raw = false;
    if (!ParseBoolean(value, raw)) {
      return AttributeError(call, "RawMessageDelivery: Invalid value [" + std::string(value) +
                                      "]. Must be true or false.");
    }
    if (raw && !SupportsRawDelivery(s.protocol)) {
      return AttributeError(
          call, "Delivery protocol [" + s.protocol + "] does not support raw message delivery.");
    }
    s.raw = raw;
  } else if (name == "FilterPolicyScope") {
    Result<FilterPolicyScope> scope = ParseFilterPolicyScope(value, call);
    if (!scope.ok()) return scope.status();
    // The policy in force must still be valid under the new scope.
    if (s.filter_policy) {
      Result<FilterPolicy> policy = ParseFilterPolicy(s.filter_policy->json(), *scope, call);
      if (!policy.ok()) return policy.status();
      s.filter_policy = std::move(*policy);
    }
    s.scope = *scope;
  } else if (name == "FilterPolicy") {
    // An empty policy removes filtering.
    if (value.empty()) {
      s.filter_policy.reset();
      return Status::Ok();
    }
    Result<FilterPolicy> policy = ParseFilterPolicy(value, s.scope, call);
    if (!policy.ok()) return policy.status();
    s.filter_policy = std::move(*policy);
  } else if (name == "RedrivePolicy") {
    if (value.empty()) {
      s.redrive_policy.reset();
      s.dead_letter_target_arn.reset();
      return Status::Ok();
    }
    const nlohmann::json json = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      return AttributeError(call, "RedrivePolicy: failed to parse JSON.");
    }
    const auto target = json.find("deadLetterTargetArn");
    const std::string arn =
        target != json.end() && target->is_string() ? target->get<std::string>() : "";
    const std::optional<ArnParts> parts = ParseArn(arn);
    if (!parts) return AttributeError(call, "RedrivePolicy: deadLetterTargetArn is an invalid arn");
    if (topic.fifo && s.endpoint.ends_with(".fifo") &&
        (parts->service != "sqs" || !parts->resource.ends_with(".fifo"))) {
      return AttributeError(call,
                            "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription "
                            "to a FIFO Topic.");
    }
    s.redrive_policy = std::string(value);
    s.dead_letter_target_arn = arn;
  } else if (name == "DeliveryPolicy") {
    const nlohmann::json json = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (!value.empty() && (json.is_discarded() || !json.is_object())) {
      return AttributeError(call, "DeliveryPolicy: failed to parse JSON.");
    }
    s.delivery_policy = std::string(value);
  } else {  // SubscriptionRoleArn
    if (!ParseArn(value)) return AttributeError(call, "SubscriptionRoleArn: invalid arn");
    s.subscription_role_arn = std::string(value);
  }
  return Status::Ok();
}

SubscriptionAttributeMap SnsEngine::EffectiveSubscriptionAttributes(
    const SubscriptionState& s) const {
  SubscriptionAttributeMap attributes = {
      {"ConfirmationWasAuthenticated", s.pending ? "false" : "true"},
      {"Endpoint", s.endpoint},
      {"Owner", options_.account_id},
      {"PendingConfirmation", s.pending ? "true" : "false"},
      {"Protocol", s.protocol},
      {"RawMessageDelivery", s.raw ? "true" : "false"},
      {"SubscriptionArn", s.arn},
      {"SubscriptionPrincipal",
       options_.principal_arn.empty()
           ? "arn:" + options_.partition + ":iam::" + options_.account_id + ":root"
           : options_.principal_arn},
      {"TopicArn", s.topic_arn},
  };
  // SNS shows the scope only alongside a policy (AWS's recorded answers).
  if (s.filter_policy) {
    attributes["FilterPolicy"] = s.filter_policy->json();
    attributes["FilterPolicyScope"] = std::string(FilterPolicyScopeName(s.scope));
  }
  if (s.redrive_policy) attributes["RedrivePolicy"] = *s.redrive_policy;
  if (s.delivery_policy) attributes["DeliveryPolicy"] = *s.delivery_policy;
  if (s.subscription_role_arn) attributes["SubscriptionRoleArn"] = *s.subscription_role_arn;
  return attributes;
}

Result<SubscribeResponse> SnsEngine::Subscribe(const SubscribeRequest& request) {
  Result<TopicState*> found = FindTopic("TopicArn", request.topic_arn);
  if (!found.ok()) return found.status();
  TopicState& topic = **found;
  const std::string endpoint = request.endpoint.value_or("");
  const std::string& protocol = request.protocol;
  if (!Contains(kSnsProtocols, protocol)) {
    return InvalidParameter("Amazon SNS does not support this protocol string: " + protocol);
  }
  if (endpoint.empty()) return InvalidParameter("Endpoint Reason: no value for required parameter");
  if (protocol == "application" || protocol == "firehose") {
    return InvalidParameter("Protocol Reason: sqsim does not simulate " + protocol +
                            " subscriptions");
  }
  std::optional<ArnParts> endpoint_arn;
  if (protocol == "http" || protocol == "https") {
    if (!endpoint.starts_with(protocol + "://")) {
      return InvalidParameter("Endpoint must match the specified protocol");
    }
  } else if (protocol == "sms") {
    if (!IsValidPhoneNumber(endpoint)) {
      return Status(ErrorCode::kInvalidParameter, "Invalid SMS endpoint: " + endpoint);
    }
  } else if (protocol == "sqs") {
    endpoint_arn = ParseArn(endpoint);
    if (!endpoint_arn || endpoint_arn->service != "sqs") {
      return InvalidParameter("SQS endpoint ARN");
    }
  } else if (protocol == "lambda") {
    endpoint_arn = ParseArn(endpoint);
    if (!endpoint_arn || endpoint_arn->service != "lambda") {
      return InvalidParameter("Lambda endpoint ARN");
    }
  }
  if (protocol == "sqs" && endpoint.ends_with(".fifo") && !topic.fifo) {
    // AWS's recorded answer repeats "Invalid parameter: ".
    return InvalidParameter(
        "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard "
        "SNS topics");
  }
  if (topic.fifo && protocol != "sqs") {
    return InvalidParameter("Protocol Reason: FIFO topics only support SQS subscriptions");
  }

  // Validate the attributes on a candidate; FilterPolicyScope first, since
  // it decides how FilterPolicy is read.
  SubscriptionState candidate;
  candidate.topic_arn = topic.arn;
  candidate.protocol = protocol;
  candidate.endpoint = endpoint;
  if (const auto scope = request.attributes.find("FilterPolicyScope");
      scope != request.attributes.end()) {
    if (Status status = ApplySubscriptionAttribute(candidate, topic, scope->first, scope->second,
                                                   FilterPolicyCall::kSubscribe);
        !status.ok()) {
      return status;
    }
  }
  for (const auto& [name, value] : request.attributes) {
    if (name == "FilterPolicyScope") continue;
    if (Status status =
            ApplySubscriptionAttribute(candidate, topic, name, value, FilterPolicyCall::kSubscribe);
        !status.ok()) {
      return status;
    }
  }

  // Subscribe is idempotent for one protocol and endpoint, unless an
  // attribute given now differs from the subscription's.
  for (const auto& [sequence, arn] : topic.subscriptions) {
    const SubscriptionState& existing = subscriptions_.at(arn);
    if (existing.protocol != protocol || existing.endpoint != endpoint) continue;
    const SubscriptionAttributeMap current = EffectiveSubscriptionAttributes(existing);
    const SubscriptionAttributeMap wanted = EffectiveSubscriptionAttributes(candidate);
    for (const auto& [name, value] : request.attributes) {
      const auto have = current.find(name);
      const std::string have_value = have == current.end() ? "" : have->second;
      const std::string want_value = wanted.contains(name) ? wanted.at(name) : "";
      // FilterPolicyScope is listed only with a policy; compare the scopes.
      const bool differs = name == "FilterPolicyScope" ? existing.scope != candidate.scope
                                                       : have_value != want_value;
      if (differs) {
        return InvalidParameter(
            "Attributes Reason: Subscription already exists with different attributes");
      }
    }
    const bool show_arn = !existing.pending || request.return_subscription_arn.value_or(false);
    return SubscribeResponse{.subscription_arn = show_arn ? arn : "pending confirmation"};
  }

  SubscriptionState& s = candidate;
  s.arn = topic.arn + ":" + NewUuid(*rng_);
  s.sequence = next_sequence_++;
  // Queues and functions of the topic's own account need no confirmation.
  if (protocol == "sqs" || protocol == "lambda") {
    s.pending = endpoint_arn->account != options_.account_id;
  } else {
    s.pending = protocol == "http" || protocol == "https" || protocol == "email" ||
                protocol == "email-json";
  }
  if (s.pending) {
    s.token = RandomHex(*rng_, 128);
    tokens_[*s.token] = s.arn;
  }
  const std::string arn = s.arn;
  const bool pending = s.pending;
  topic.subscriptions[s.sequence] = arn;
  subscription_order_[s.sequence] = arn;
  subscriptions_.emplace(arn, std::move(candidate));
  const bool show_arn = !pending || request.return_subscription_arn.value_or(false);
  return SubscribeResponse{.subscription_arn = show_arn ? arn : "pending confirmation"};
}

void SnsEngine::EraseSubscription(const std::string& arn) {
  const auto it = subscriptions_.find(arn);
  if (it == subscriptions_.end()) return;
  if (it->second.token) tokens_.erase(*it->second.token);
  if (const auto topic = topics_.find(it->second.topic_arn); topic != topics_.end()) {
    topic->second.subscriptions.erase(it->second.sequence);
    ++topic->second.subscriptions_deleted;
  }
  subscription_order_.erase(it->second.sequence);
  subscriptions_.erase(it);
}

Result<UnsubscribeResponse> SnsEngine::Unsubscribe(const UnsubscribeRequest& request) {
  const std::string& arn = request.subscription_arn;
  if (arn.empty())
    return InvalidParameter("SubscriptionArn Reason: no value for required parameter");
  if (!ParseArn(arn)) return ArnTooShort("SubscriptionArn", arn);
  // A topic ARN (six elements) has no subscription id (AWS's recorded
  // answer); an unknown subscription is already gone, which succeeds.
  if (ArnElementCount(arn) == 6 && !subscriptions_.contains(arn)) {
    return InvalidParameter("SubscriptionId");
  }
  EraseSubscription(arn);
  return UnsubscribeResponse{};
}

Result<ConfirmSubscriptionResponse> SnsEngine::ConfirmSubscription(
    const ConfirmSubscriptionRequest& request) {
  const std::optional<ArnParts> parts = ParseArn(request.topic_arn);
  if (!parts || parts->region != options_.region) return InvalidParameter("Topic");
  // SNS tells a token that cannot be one ("randomtoken": "Invalid token")
  // from a well-formed one it does not know ("Invalid parameter: Token").
  bool hex = !request.token.empty();
  for (const char c : request.token) {
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
  }
  if (!hex) return Status(ErrorCode::kInvalidParameter, "Invalid token");
  const auto token = tokens_.find(request.token);
  if (token == tokens_.end()) return InvalidParameter("Token");
  SubscriptionState& s = subscriptions_.at(token->second);
  if (s.topic_arn != request.topic_arn) return InvalidParameter("Token");
  s.pending = false;
  tokens_.erase(token);
  s.token.reset();
  return ConfirmSubscriptionResponse{.subscription_arn = s.arn};
}

std::optional<std::string> SnsEngine::PendingConfirmationToken(
    std::string_view subscription_arn) const {
  const auto it = subscriptions_.find(std::string(subscription_arn));
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second.token;
}

Subscription SnsEngine::Listed(const SubscriptionState& s) const {
  return Subscription{.subscription_arn = s.pending ? "PendingConfirmation" : s.arn,
                      .owner = options_.account_id,
                      .protocol = s.protocol,
                      .endpoint = s.endpoint,
                      .topic_arn = s.topic_arn};
}

Result<ListSubscriptionsResponse> SnsEngine::ListSubscriptions(
    const ListSubscriptionsRequest& request) const {
  auto it = subscription_order_.begin();
  if (request.next_token) {
    const std::optional<uint64_t> after = DecodePageToken("subscriptions", *request.next_token);
    if (!after) return InvalidParameter("NextToken");
    it = subscription_order_.upper_bound(*after);
  }
  ListSubscriptionsResponse response;
  for (; it != subscription_order_.end() && response.subscriptions.size() < kListPageSize; ++it) {
    response.subscriptions.push_back(Listed(subscriptions_.at(it->second)));
  }
  if (it != subscription_order_.end()) {
    response.next_token = EncodePageToken("subscriptions", std::prev(it)->first);
  }
  return response;
}

Result<ListSubscriptionsByTopicResponse> SnsEngine::ListSubscriptionsByTopic(
    const ListSubscriptionsByTopicRequest& request) const {
  Result<const TopicState*> topic = FindTopic("TopicArn", request.topic_arn);
  if (!topic.ok()) return topic.status();
  const std::map<uint64_t, std::string>& order = (*topic)->subscriptions;
  auto it = order.begin();
  if (request.next_token) {
    const std::optional<uint64_t> after = DecodePageToken("subscriptions", *request.next_token);
    if (!after) return InvalidParameter("NextToken");
    it = order.upper_bound(*after);
  }
  ListSubscriptionsByTopicResponse response;
  for (; it != order.end() && response.subscriptions.size() < kListPageSize; ++it) {
    response.subscriptions.push_back(Listed(subscriptions_.at(it->second)));
  }
  if (it != order.end())
    response.next_token = EncodePageToken("subscriptions", std::prev(it)->first);
  return response;
}

Result<GetSubscriptionAttributesResponse> SnsEngine::GetSubscriptionAttributes(
    const GetSubscriptionAttributesRequest& request) const {
  const auto it = subscriptions_.find(request.subscription_arn);
  if (it == subscriptions_.end()) {
    if (!ParseArn(request.subscription_arn)) {
      return ArnTooShort("SubscriptionArn", request.subscription_arn);
    }
    return Status(ErrorCode::kNotFound, "Subscription does not exist");
  }
  return GetSubscriptionAttributesResponse{.attributes =
                                               EffectiveSubscriptionAttributes(it->second)};
}

Result<SetSubscriptionAttributesResponse> SnsEngine::SetSubscriptionAttributes(
    const SetSubscriptionAttributesRequest& request) {
  const auto it = subscriptions_.find(request.subscription_arn);
  if (it == subscriptions_.end()) {
    if (!ParseArn(request.subscription_arn)) {
      return ArnTooShort("SubscriptionArn", request.subscription_arn);
    }
    return Status(ErrorCode::kNotFound, "Subscription does not exist");
  }
  // Validate on a copy so that a refused value changes nothing.
  SubscriptionState updated = it->second;
  if (Status status = ApplySubscriptionAttribute(
          updated, topics_.at(updated.topic_arn), request.attribute_name,
          request.attribute_value.value_or(""), FilterPolicyCall::kSetSubscriptionAttributes);
      !status.ok()) {
    return status;
  }
  it->second = std::move(updated);
  return SetSubscriptionAttributesResponse{};
}

}  // namespace sqsim::sns::internal
