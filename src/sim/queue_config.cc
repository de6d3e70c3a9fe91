#include "sim/queue_config.h"

#include <algorithm>
#include <array>

#include "sim/validation.h"

namespace sqsim::internal {
namespace {

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

// "true" or "false", in any ASCII case.
std::optional<bool> ParseBool(std::string_view v) {
  std::string lower(v);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower != "true" && lower != "false") return std::nullopt;
  return lower == "true";
}

// Parses an integer attribute in [lo, hi] into *out.
Status ParseRange(std::string_view name, std::string_view value, int lo, int hi, int* out) {
  std::optional<int64_t> n = ParseInteger(value);
  if (!n || *n < lo || *n > hi) return InvalidValue(name);
  *out = static_cast<int>(*n);
  return Status::Ok();
}

const char* BoolText(bool b) { return b ? "true" : "false"; }

// Which queues may set an attribute, and what the others are told.
enum class Settable {
  kNever,  // read-only: "Unknown Attribute <name>."
  kAnyQueue,
  kFifoOnly,         // on a standard queue: "Unknown Attribute <name>."
  kFifoOnlySaysWhy,  // on a standard queue: "... only when FifoQueue is set to true."
};

// One queue attribute: which queues may set it, and how its value is checked
// and stored. A settable attribute has one of: `number`, an integer in
// [lo, hi]; `flag`, "true" or "false" in any case; `choice`, one of two
// values; `parse`, for the rest. A value out of range or malformed is
// InvalidAttributeValue "Invalid value for the parameter <name>.", except
// where `parse` says otherwise.
struct AttributeRule {
  std::string_view name;
  Settable settable = Settable::kAnyQueue;
  struct {
    int QueueConfig::*member = nullptr;
    int lo = 0;
    int hi = 0;
  } number = {};
  bool QueueConfig::*flag = nullptr;
  struct {
    std::string QueueConfig::*member = nullptr;
    std::array<std::string_view, 2> values = {};
  } choice = {};
  Status (*parse)(std::string_view name, const std::string& value, AttributeUse use,
                  QueueConfig* c) = nullptr;
};

// An optional attribute (kMember) that the empty string removes; kParse
// checks any other value and gives what to store, or the error.
template <auto kMember, auto kParse>
Status SetOrClear(std::string_view, const std::string& value, AttributeUse, QueueConfig* c) {
  if (value.empty()) {
    (c->*kMember).reset();
    return Status::Ok();
  }
  auto parsed = kParse(value);
  if (!parsed.ok()) return parsed.status();
  c->*kMember = std::move(parsed).value();
  return Status::Ok();
}

Result<std::string> ParsePolicyDocument(std::string_view json) {
  if (Status s = ValidatePolicyDocument(json); !s.ok()) return s;
  return std::string(json);
}

// A KMS key and SQS-managed encryption exclude each other: setting one turns
// the other off.
Status SetKmsMasterKeyId(std::string_view, const std::string& value, AttributeUse, QueueConfig* c) {
  if (value.empty()) {
    c->kms_master_key_id.reset();
  } else {
    c->kms_master_key_id = value;
    c->sqs_managed_sse_enabled = false;
  }
  return Status::Ok();
}

Status SetSqsManagedSseEnabled(std::string_view name, const std::string& value, AttributeUse,
                               QueueConfig* c) {
  std::optional<bool> b = ParseBool(value);
  if (!b) return InvalidValue(name);
  c->sqs_managed_sse_enabled = *b;
  if (*b) c->kms_master_key_id.reset();
  return Status::Ok();
}

// The engine's CreateQueue decides the queue type (from the name and
// FifoQueue); here FifoQueue may only restate it.
Status CheckFifoQueue(std::string_view name, const std::string& value, AttributeUse use,
                      QueueConfig*) {
  std::optional<bool> b = ParseBool(value);
  if (b == true) return Status::Ok();
  if (b == false && use == AttributeUse::kSet) {
    return InvalidValue(name, "Modifying queue type is not supported.");
  }
  return InvalidValue(name);
}

// In the order of the QueueAttributeName enum (AWS API Reference
// GetQueueAttributes), without `All`.
constexpr std::array<AttributeRule, 21> kAttributes = {{
    {.name = "Policy", .parse = SetOrClear<&QueueConfig::policy, ParsePolicyDocument>},
    {.name = "VisibilityTimeout", .number = {&QueueConfig::visibility_timeout, 0, 43200}},
    {.name = "MaximumMessageSize", .number = {&QueueConfig::maximum_message_size, 1024, 1048576}},
    {.name = "MessageRetentionPeriod",
     .number = {&QueueConfig::message_retention_period, 60, 1209600}},
    {.name = "ApproximateNumberOfMessages", .settable = Settable::kNever},
    {.name = "ApproximateNumberOfMessagesNotVisible", .settable = Settable::kNever},
    {.name = "CreatedTimestamp", .settable = Settable::kNever},
    {.name = "LastModifiedTimestamp", .settable = Settable::kNever},
    {.name = "QueueArn", .settable = Settable::kNever},
    {.name = "ApproximateNumberOfMessagesDelayed", .settable = Settable::kNever},
    {.name = "DelaySeconds", .number = {&QueueConfig::delay_seconds, 0, 900}},
    {.name = "ReceiveMessageWaitTimeSeconds",
     .number = {&QueueConfig::receive_message_wait_time_seconds, 0, 20}},
    {.name = "RedrivePolicy",
     .parse = SetOrClear<&QueueConfig::redrive_policy, ParseRedrivePolicy>},
    {.name = "FifoQueue", .settable = Settable::kFifoOnly, .parse = CheckFifoQueue},
    {.name = "ContentBasedDeduplication",
     .settable = Settable::kFifoOnly,
     .flag = &QueueConfig::content_based_deduplication},
    {.name = "KmsMasterKeyId", .parse = SetKmsMasterKeyId},
    {.name = "KmsDataKeyReusePeriodSeconds",
     .number = {&QueueConfig::kms_data_key_reuse_period_seconds, 60, 86400}},
    {.name = "DeduplicationScope",
     .settable = Settable::kFifoOnlySaysWhy,
     .choice = {&QueueConfig::deduplication_scope, {"messageGroup", "queue"}}},
    {.name = "FifoThroughputLimit",
     .settable = Settable::kFifoOnlySaysWhy,
     .choice = {&QueueConfig::fifo_throughput_limit, {"perQueue", "perMessageGroupId"}}},
    {.name = "RedriveAllowPolicy",
     .parse = SetOrClear<&QueueConfig::redrive_allow_policy, ParseRedriveAllowPolicy>},
    {.name = "SqsManagedSseEnabled", .parse = SetSqsManagedSseEnabled},
}};

// The rule of an attribute a request may set; nullptr for unknown and
// read-only names.
const AttributeRule* FindSettable(std::string_view name) {
  for (const AttributeRule& rule : kAttributes) {
    if (rule.name == name) return rule.settable == Settable::kNever ? nullptr : &rule;
  }
  return nullptr;
}

// Applies one attribute to `c` by its rule; `use` matters only to FifoQueue.
Status ApplyOne(const AttributeRule& rule, const std::string& value, AttributeUse use,
                QueueConfig* c) {
  const std::string_view name = rule.name;
  if (!c->fifo && rule.settable == Settable::kFifoOnly) return UnknownAttribute(name);
  if (!c->fifo && rule.settable == Settable::kFifoOnlySaysWhy) {
    return Status(ErrorCode::kInvalidAttributeName, "You can specify the " + std::string(name) +
                                                        " only when FifoQueue is set to true.");
  }
  if (rule.parse != nullptr) return rule.parse(name, value, use, c);
  if (rule.number.member != nullptr) {
    return ParseRange(name, value, rule.number.lo, rule.number.hi, &(c->*rule.number.member));
  }
  if (rule.flag != nullptr) {
    std::optional<bool> b = ParseBool(value);
    if (!b) return InvalidValue(name);
    c->*rule.flag = *b;
    return Status::Ok();
  }
  const std::array<std::string_view, 2>& values = rule.choice.values;
  if (std::find(values.begin(), values.end(), value) == values.end()) return InvalidValue(name);
  c->*rule.choice.member = value;
  return Status::Ok();
}

}  // namespace

bool IsQueueAttributeName(std::string_view name) {
  for (const AttributeRule& rule : kAttributes) {
    if (rule.name == name) return true;
  }
  return false;
}

Status ApplyQueueAttributes(const QueueAttributeMap& attributes, AttributeUse use,
                            QueueConfig* config) {
  QueueConfig updated = *config;
  for (const auto& [name, value] : attributes) {
    if (FindSettable(name) == nullptr) return UnknownAttribute(name);
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
    if (Status s = ApplyOne(*FindSettable(name), value, use, &updated); !s.ok()) return s;
  }
  if (kms != attributes.end()) {
    if (Status s = ApplyOne(*FindSettable(kms->first), kms->second, use, &updated); !s.ok()) {
      return s;
    }
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
  for (const AttributeRule& rule : kAttributes) {
    if (std::optional<std::string> v = RenderConfigAttribute(c, rule.name)) {
      out.emplace(std::string(rule.name), std::move(*v));
    }
  }
  return out;
}

}  // namespace sqsim::internal
