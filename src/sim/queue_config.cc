#include "sim/queue_config.h"

#include <array>

#include "sim/validation.h"

namespace sqsim::internal {
namespace {

constexpr std::array<std::string_view, 21> kAttributeNames = {
    "Policy",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "ApproximateNumberOfMessagesDelayed",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "RedriveAllowPolicy",
    "SqsManagedSseEnabled",
};

bool IsReadOnly(std::string_view name) {
  return name == "ApproximateNumberOfMessages" || name == "ApproximateNumberOfMessagesNotVisible" ||
         name == "ApproximateNumberOfMessagesDelayed" || name == "CreatedTimestamp" ||
         name == "LastModifiedTimestamp" || name == "QueueArn";
}

Status UnknownAttribute(std::string_view name) {
  return Status(ErrorCode::kInvalidAttributeName, "Unknown Attribute " + std::string(name) + ".");
}

Status InvalidValue(std::string_view name) {
  return Status(ErrorCode::kInvalidAttributeValue,
                "Invalid value for the parameter " + std::string(name) + ".");
}

Status InvalidValue(std::string_view name, std::string_view reason) {
  return Status(
      ErrorCode::kInvalidAttributeValue,
      "Invalid value for the parameter " + std::string(name) + ". Reason: " + std::string(reason));
}

std::optional<bool> ParseBool(std::string_view v) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return out;
  };
  const std::string l = lower(v);
  if (l == "true") return true;
  if (l == "false") return false;
  return std::nullopt;
}

// Parses an integer attribute in [lo, hi] into *out.
Status ParseRange(std::string_view name, std::string_view value, int lo, int hi, int* out) {
  std::optional<int64_t> n = ParseInteger(value);
  if (!n || *n < lo || *n > hi) return InvalidValue(name);
  *out = static_cast<int>(*n);
  return Status::Ok();
}

const char* BoolText(bool b) { return b ? "true" : "false"; }

// Applies one attribute to `c` (validating its value as `use` requires).
Status ApplyOne(std::string_view name, const std::string& value, AttributeUse use, QueueConfig* c) {
  if (name == "DelaySeconds") return ParseRange(name, value, 0, 900, &c->delay_seconds);
  if (name == "MaximumMessageSize") {
    return ParseRange(name, value, 1024, 1048576, &c->maximum_message_size);
  }
  if (name == "MessageRetentionPeriod") {
    return ParseRange(name, value, 60, 1209600, &c->message_retention_period);
  }
  if (name == "ReceiveMessageWaitTimeSeconds") {
    return ParseRange(name, value, 0, 20, &c->receive_message_wait_time_seconds);
  }
  if (name == "VisibilityTimeout") return ParseRange(name, value, 0, 43200, &c->visibility_timeout);
  if (name == "KmsDataKeyReusePeriodSeconds") {
    return ParseRange(name, value, 60, 86400, &c->kms_data_key_reuse_period_seconds);
  }
  if (name == "Policy") {
    if (value.empty()) {
      c->policy.reset();
      return Status::Ok();
    }
    if (Status s = ValidatePolicyDocument(value); !s.ok()) return s;
    c->policy = value;
    return Status::Ok();
  }
  if (name == "RedrivePolicy") {
    if (value.empty()) {
      c->redrive_policy.reset();
      return Status::Ok();
    }
    Result<RedrivePolicy> p = ParseRedrivePolicy(value);
    if (!p.ok()) return p.status();
    c->redrive_policy = std::move(p).value();
    return Status::Ok();
  }
  if (name == "RedriveAllowPolicy") {
    if (value.empty()) {
      c->redrive_allow_policy.reset();
      return Status::Ok();
    }
    Result<RedriveAllowPolicy> p = ParseRedriveAllowPolicy(value);
    if (!p.ok()) return p.status();
    c->redrive_allow_policy = std::move(p).value();
    return Status::Ok();
  }
  if (name == "KmsMasterKeyId") {
    if (value.empty()) {
      c->kms_master_key_id.reset();
    } else {
      c->kms_master_key_id = value;
      c->sqs_managed_sse_enabled = false;
    }
    return Status::Ok();
  }
  if (name == "SqsManagedSseEnabled") {
    std::optional<bool> b = ParseBool(value);
    if (!b) return InvalidValue(name);
    c->sqs_managed_sse_enabled = *b;
    if (*b) c->kms_master_key_id.reset();
    return Status::Ok();
  }
  // FIFO-only attributes.
  if (name == "FifoQueue") {
    if (!c->fifo) return UnknownAttribute(name);
    std::optional<bool> b = ParseBool(value);
    if (!b) return InvalidValue(name);
    if (!*b) {
      if (use == AttributeUse::kSet) {
        return InvalidValue(name, "Modifying queue type is not supported.");
      }
      return InvalidValue(name);
    }
    return Status::Ok();
  }
  if (name == "ContentBasedDeduplication") {
    if (!c->fifo) return UnknownAttribute(name);
    std::optional<bool> b = ParseBool(value);
    if (!b) return InvalidValue(name);
    c->content_based_deduplication = *b;
    return Status::Ok();
  }
  if (name == "DeduplicationScope" || name == "FifoThroughputLimit") {
    if (!c->fifo) {
      return Status(ErrorCode::kInvalidAttributeName, "You can specify the " + std::string(name) +
                                                          " only when FifoQueue is set to true.");
    }
    if (name == "DeduplicationScope") {
      if (value != "messageGroup" && value != "queue") return InvalidValue(name);
      c->deduplication_scope = value;
    } else {
      if (value != "perQueue" && value != "perMessageGroupId") return InvalidValue(name);
      c->fifo_throughput_limit = value;
    }
    return Status::Ok();
  }
  return UnknownAttribute(name);
}

}  // namespace

bool IsQueueAttributeName(std::string_view name) {
  for (std::string_view known : kAttributeNames) {
    if (known == name) return true;
  }
  return false;
}

Status ApplyQueueAttributes(const QueueAttributeMap& attributes, AttributeUse use,
                            QueueConfig* config) {
  QueueConfig updated = *config;
  for (const auto& [name, value] : attributes) {
    if (!IsQueueAttributeName(name) || IsReadOnly(name)) return UnknownAttribute(name);
  }
  const auto kms = attributes.find("KmsMasterKeyId");
  const auto sse = attributes.find("SqsManagedSseEnabled");
  if (kms != attributes.end() && !kms->second.empty() && sse != attributes.end() &&
      ParseBool(sse->second).value_or(false)) {
    return Status(ErrorCode::kInvalidAttributeName,
                  "You can use one type of server-side encryption (SSE) at one time. You can "
                  "either enable KMS SSE or SQS SSE.");
  }
  for (const auto& [name, value] : attributes) {
    // KmsMasterKeyId is applied last so that it wins over a
    // SqsManagedSseEnabled=false in the same request, whatever the order.
    if (name == "KmsMasterKeyId") continue;
    if (Status s = ApplyOne(name, value, use, &updated); !s.ok()) return s;
  }
  if (kms != attributes.end()) {
    if (Status s = ApplyOne(kms->first, kms->second, use, &updated); !s.ok()) return s;
  }
  if (updated.fifo_throughput_limit == "perMessageGroupId" &&
      updated.deduplication_scope != "messageGroup") {
    return InvalidValue("FifoThroughputLimit",
                        "The perMessageGroupId value is allowed only when the value for "
                        "DeduplicationScope is messageGroup.");
  }
  *config = std::move(updated);
  return Status::Ok();
}

std::optional<std::string> RenderConfigAttribute(const QueueConfig& c, std::string_view name) {
  if (name == "DelaySeconds") return std::to_string(c.delay_seconds);
  if (name == "MaximumMessageSize") return std::to_string(c.maximum_message_size);
  if (name == "MessageRetentionPeriod") return std::to_string(c.message_retention_period);
  if (name == "ReceiveMessageWaitTimeSeconds") {
    return std::to_string(c.receive_message_wait_time_seconds);
  }
  if (name == "VisibilityTimeout") return std::to_string(c.visibility_timeout);
  if (name == "SqsManagedSseEnabled") return BoolText(c.sqs_managed_sse_enabled);
  if (name == "Policy") return c.policy;
  if (name == "RedrivePolicy" && c.redrive_policy) return c.redrive_policy->rendered;
  if (name == "RedriveAllowPolicy" && c.redrive_allow_policy) {
    return c.redrive_allow_policy->rendered;
  }
  if (name == "KmsMasterKeyId") return c.kms_master_key_id;
  if (name == "KmsDataKeyReusePeriodSeconds" && c.kms_master_key_id) {
    return std::to_string(c.kms_data_key_reuse_period_seconds);
  }
  if (c.fifo) {
    if (name == "FifoQueue") return "true";
    if (name == "ContentBasedDeduplication") return BoolText(c.content_based_deduplication);
    if (name == "DeduplicationScope") return c.deduplication_scope;
    if (name == "FifoThroughputLimit") return c.fifo_throughput_limit;
  }
  return std::nullopt;
}

QueueAttributeMap RenderConfigAttributes(const QueueConfig& c) {
  QueueAttributeMap out;
  for (std::string_view name : kAttributeNames) {
    if (std::optional<std::string> v = RenderConfigAttribute(c, name)) {
      out.emplace(std::string(name), std::move(*v));
    }
  }
  return out;
}

}  // namespace sqsim::internal
