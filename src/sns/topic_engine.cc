// SnsEngine: construction, topics, tags and topic attributes.

#include "sns/topic_engine.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

#include "sns/sns_text.h"
#include "sns/sns_validation.h"

namespace sqsim::sns::internal {
namespace {

// Every attribute CreateTopic and SetTopicAttributes accept (API reference,
// SetTopicAttributes), FifoTopic being CreateTopic's only.
constexpr std::array<std::string_view, 24> kSettableTopicAttributes = {
    "ApplicationFailureFeedbackRoleArn",
    "ApplicationSuccessFeedbackRoleArn",
    "ApplicationSuccessFeedbackSampleRate",
    "ArchivePolicy",
    "ContentBasedDeduplication",
    "DeliveryPolicy",
    "DisplayName",
    "FifoThroughputScope",
    "FirehoseFailureFeedbackRoleArn",
    "FirehoseSuccessFeedbackRoleArn",
    "FirehoseSuccessFeedbackSampleRate",
    "HTTPFailureFeedbackRoleArn",
    "HTTPSuccessFeedbackRoleArn",
    "HTTPSuccessFeedbackSampleRate",
    "KmsMasterKeyId",
    "LambdaFailureFeedbackRoleArn",
    "LambdaSuccessFeedbackRoleArn",
    "LambdaSuccessFeedbackSampleRate",
    "Policy",
    "SQSFailureFeedbackRoleArn",
    "SQSSuccessFeedbackRoleArn",
    "SQSSuccessFeedbackSampleRate",
    "SignatureVersion",
    "TracingConfig",
};

bool IsSettableTopicAttribute(std::string_view name) {
  for (std::string_view known : kSettableTopicAttributes) {
    if (known == name) return true;
  }
  return false;
}

bool IsJsonObject(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return !json.is_discarded() && json.is_object();
}

// The default topic policy SNS attaches (AWS's recorded GetTopicAttributes),
// compact, in SNS's member order.
std::string DefaultTopicPolicy(std::string_view topic_arn, std::string_view account) {
  return R"({"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":")" +
         std::string(topic_arn) + R"(","Condition":{"StringEquals":{"AWS:SourceOwner":")" +
         std::string(account) + R"("}}}]})";
}

// AWS's recorded EffectiveDeliveryPolicy of a topic without a DeliveryPolicy.
constexpr std::string_view kDefaultEffectiveDeliveryPolicy =
    R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";

bool IsSampleRate(std::string_view value) {
  if (value.empty() || value.size() > 3) return false;
  int rate = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
    rate = rate * 10 + (c - '0');
  }
  return rate <= 100;
}

}  // namespace

SnsEngine::SnsEngine(SnsEngineOptions options, std::unique_ptr<Rng> rng)
    : options_(std::move(options)), rng_(std::move(rng)) {
  SQSIM_ASSERT(rng_ != nullptr, "SnsEngine needs an Rng");
}

std::string SnsEngine::TopicArn(std::string_view name) const {
  return "arn:" + options_.partition + ":sns:" + options_.region + ":" + options_.account_id + ":" +
         std::string(name);
}

std::string SnsEngine::Endpoint() const {
  if (!options_.endpoint.empty()) return options_.endpoint;
  return "https://sns." + options_.region + ".amazonaws.com";
}

Result<const SnsEngine::TopicState*> SnsEngine::FindTopic(std::string_view parameter,
                                                          std::string_view arn) const {
  const std::optional<ArnParts> parts = ParseArn(arn);
  if (!parts) return ArnTooShort(parameter, arn);
  // SNS answers a topic of another region with a bare "Invalid parameter:
  // TopicArn" (AWS's recorded answer to publishing across regions).
  if (parts->region != options_.region || parts->service != "sns") {
    return InvalidParameter(parameter);
  }
  const auto it = topics_.find(std::string(arn));
  if (it == topics_.end()) return Status(ErrorCode::kNotFound, "Topic does not exist");
  return &it->second;
}

Result<SnsEngine::TopicState*> SnsEngine::FindTopic(std::string_view parameter,
                                                    std::string_view arn) {
  Result<const TopicState*> found = std::as_const(*this).FindTopic(parameter, arn);
  if (!found.ok()) return found.status();
  return const_cast<TopicState*>(*found);
}

Status SnsEngine::ValidateTopicAttribute(const TopicState& topic, std::string_view name,
                                         std::string_view value) const {
  const std::string invalid_value =
      std::string(name) + ": Invalid value [" + std::string(value) + "]";
  if (name == "ContentBasedDeduplication" || name == "FifoThroughputScope" ||
      name == "ArchivePolicy") {
    if (!topic.fifo) {
      return InvalidParameter(std::string(name) + " Reason: only FIFO topics support it");
    }
  }
  if (name == "ContentBasedDeduplication") {
    bool ignored = false;
    if (!ParseBoolean(value, ignored)) {
      return InvalidParameter(invalid_value + ". Must be true or false.");
    }
  } else if (name == "FifoThroughputScope") {
    if (value != "Topic" && value != "MessageGroup") return InvalidParameter(invalid_value);
  } else if (name == "SignatureVersion") {
    if (value != "1" && value != "2") return InvalidParameter(invalid_value);
  } else if (name == "TracingConfig") {
    if (value != "PassThrough" && value != "Active") return InvalidParameter(invalid_value);
  } else if (name == "Policy" || name == "DeliveryPolicy" || name == "ArchivePolicy") {
    if (!value.empty() && !IsJsonObject(value)) {
      return InvalidParameter(std::string(name) + ": failed to parse JSON.");
    }
  } else if (name.ends_with("SampleRate")) {
    if (!IsSampleRate(value)) return InvalidParameter(invalid_value);
  }
  return Status::Ok();
}

TopicAttributeMap SnsEngine::EffectiveTopicAttributes(const TopicState& topic) const {
  TopicAttributeMap attributes = {
      {"DisplayName", ""},
      {"EffectiveDeliveryPolicy", std::string(kDefaultEffectiveDeliveryPolicy)},
      {"Owner", options_.account_id},
      {"Policy", DefaultTopicPolicy(topic.arn, options_.account_id)},
      {"TopicArn", topic.arn},
  };
  if (topic.fifo) {
    attributes["FifoTopic"] = "true";
    attributes["ContentBasedDeduplication"] = "false";
  }
  for (const auto& [name, value] : topic.attributes) attributes[name] = value;
  uint64_t confirmed = 0;
  uint64_t pending = 0;
  for (const auto& [sequence, arn] : topic.subscriptions) {
    (subscriptions_.at(arn).pending ? pending : confirmed) += 1;
  }
  attributes["SubscriptionsConfirmed"] = std::to_string(confirmed);
  attributes["SubscriptionsPending"] = std::to_string(pending);
  attributes["SubscriptionsDeleted"] = std::to_string(topic.subscriptions_deleted);
  return attributes;
}

Result<CreateTopicResponse> SnsEngine::CreateTopic(const CreateTopicRequest& request) {
  TopicAttributeMap attributes = request.attributes;
  bool fifo = false;
  if (const auto it = attributes.find("FifoTopic"); it != attributes.end()) {
    // SNS keeps no FifoTopic=false: a standard topic simply has none.
    if (!ParseBoolean(it->second, fifo)) {
      return InvalidParameter("Attributes Reason: FifoTopic: Invalid value [" + it->second +
                              "]. Must be true or false.");
    }
    attributes.erase(it);
  }
  if (!IsValidTopicName(request.name, fifo)) return InvalidParameter("Topic Name");
  const std::string arn = TopicArn(request.name);

  if (const auto existing = topics_.find(arn); existing != topics_.end()) {
    const TopicAttributeMap current = EffectiveTopicAttributes(existing->second);
    for (const auto& [name, value] : attributes) {
      const auto it = current.find(name);
      if (it == current.end() || it->second != value) {
        return InvalidParameter(
            "Attributes Reason: Topic already exists with different attributes");
      }
    }
    if (Status status = ValidateTags(request.tags); !status.ok()) return status;
    for (const Tag& tag : request.tags) {
      const auto it = existing->second.tags.find(tag.key);
      if (it == existing->second.tags.end() || it->second != tag.value) {
        return InvalidParameter("Tags Reason: Topic already exists with different tags");
      }
    }
    return CreateTopicResponse{.topic_arn = arn};
  }

  TopicState topic;
  topic.arn = arn;
  topic.fifo = fifo;
  for (const auto& [name, value] : attributes) {
    if (!IsSettableTopicAttribute(name)) {
      return InvalidParameter("Attributes Reason: Unknown attribute " + name);
    }
    if (Status status = ValidateTopicAttribute(topic, name, value); !status.ok()) {
      return InvalidParameter(
          "Attributes Reason: " +
          status.message().substr(std::string_view("Invalid parameter: ").size()));
    }
    topic.attributes[name] = value;
  }
  if (Status status = ValidateTags(request.tags); !status.ok()) return status;
  if (request.tags.size() > kMaxTagsPerResource) {
    return Status(ErrorCode::kTagLimitExceeded,
                  "Could not complete request: tag quota of per resource exceeded");
  }
  for (const Tag& tag : request.tags) topic.tags[tag.key] = tag.value;
  topic.data_protection_policy = request.data_protection_policy;
  topic.sequence = next_sequence_++;
  topic_order_[topic.sequence] = arn;
  topics_.emplace(arn, std::move(topic));
  return CreateTopicResponse{.topic_arn = arn};
}

Result<DeleteTopicResponse> SnsEngine::DeleteTopic(const DeleteTopicRequest& request) {
  Result<TopicState*> topic = FindTopic("TopicArn", request.topic_arn);
  if (!topic.ok()) {
    // Deleting a topic that does not exist succeeds.
    if (topic.status().code() == ErrorCode::kNotFound) return DeleteTopicResponse{};
    return topic.status();
  }
  const std::map<uint64_t, std::string> subscriptions = (*topic)->subscriptions;
  for (const auto& [sequence, arn] : subscriptions) EraseSubscription(arn);
  topic_order_.erase((*topic)->sequence);
  topics_.erase(request.topic_arn);
  return DeleteTopicResponse{};
}

Result<ListTopicsResponse> SnsEngine::ListTopics(const ListTopicsRequest& request) const {
  auto it = topic_order_.begin();
  if (request.next_token) {
    const std::optional<uint64_t> after = DecodePageToken("topics", *request.next_token);
    if (!after) return InvalidParameter("NextToken");
    it = topic_order_.upper_bound(*after);
  }
  ListTopicsResponse response;
  for (; it != topic_order_.end() && response.topics.size() < kListPageSize; ++it) {
    response.topics.push_back(Topic{.topic_arn = it->second});
  }
  if (it != topic_order_.end()) {
    response.next_token = EncodePageToken("topics", std::prev(it)->first);
  }
  return response;
}

Result<GetTopicAttributesResponse> SnsEngine::GetTopicAttributes(
    const GetTopicAttributesRequest& request) const {
  Result<const TopicState*> topic = FindTopic("TopicArn", request.topic_arn);
  if (!topic.ok()) return topic.status();
  return GetTopicAttributesResponse{.attributes = EffectiveTopicAttributes(**topic)};
}

Result<SetTopicAttributesResponse> SnsEngine::SetTopicAttributes(
    const SetTopicAttributesRequest& request) {
  Result<TopicState*> topic = FindTopic("TopicArn", request.topic_arn);
  if (!topic.ok()) return topic.status();
  if (!IsSettableTopicAttribute(request.attribute_name)) return InvalidParameter("AttributeName");
  const std::string value = request.attribute_value.value_or("");
  if (Status status = ValidateTopicAttribute(**topic, request.attribute_name, value);
      !status.ok()) {
    return status;
  }
  (*topic)->attributes[request.attribute_name] = value;
  return SetTopicAttributesResponse{};
}

Result<const SnsEngine::TopicState*> SnsEngine::FindTaggable(std::string_view arn) const {
  const std::optional<ArnParts> parts = ParseArn(arn);
  if (!parts) return ArnTooShort("ResourceArn", arn);
  const auto it = topics_.find(std::string(arn));
  if (it == topics_.end()) {
    return Status(ErrorCode::kResourceNotFound, "Resource does not exist");
  }
  return &it->second;
}

Result<TagResourceResponse> SnsEngine::TagResource(const TagResourceRequest& request) {
  Result<const TopicState*> found = FindTaggable(request.resource_arn);
  if (!found.ok()) return found.status();
  if (Status status = ValidateTags(request.tags); !status.ok()) return status;
  TopicState& topic = topics_.at(request.resource_arn);
  std::map<std::string, std::string> tags = topic.tags;
  for (const Tag& tag : request.tags) tags[tag.key] = tag.value;
  if (tags.size() > kMaxTagsPerResource) {
    return Status(ErrorCode::kTagLimitExceeded,
                  "Could not complete request: tag quota of per resource exceeded");
  }
  topic.tags = std::move(tags);
  return TagResourceResponse{};
}

Result<UntagResourceResponse> SnsEngine::UntagResource(const UntagResourceRequest& request) {
  Result<const TopicState*> found = FindTaggable(request.resource_arn);
  if (!found.ok()) return found.status();
  TopicState& topic = topics_.at(request.resource_arn);
  for (const std::string& key : request.tag_keys) topic.tags.erase(key);
  return UntagResourceResponse{};
}

Result<ListTagsForResourceResponse> SnsEngine::ListTagsForResource(
    const ListTagsForResourceRequest& request) const {
  Result<const TopicState*> topic = FindTaggable(request.resource_arn);
  if (!topic.ok()) return topic.status();
  ListTagsForResourceResponse response;
  for (const auto& [key, value] : (*topic)->tags) response.tags.push_back({key, value});
  return response;
}

}  // namespace sqsim::sns::internal
