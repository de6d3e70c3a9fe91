#include "host/sns_host.h"

#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "sqsim/random.h"

namespace sqsim::internal {

namespace {

sns::internal::SnsEngineOptions EngineOptions(const SimulatorOptions& options) {
  return {.account_id = options.account_id, .region = options.region};
}

// The delay before attempt `attempt` (2, 3, ...) of a delivery to an AWS
// managed endpoint: attempts 1-3 back to back, 4-5 one second apart, 6-15
// backing off from 1 to 20 seconds (geometrically, 20^(k/9) s), then 20
// seconds apart.
Duration RetryDelay(int attempt) {
  using std::chrono::seconds;
  if (attempt <= 3) return Duration::zero();
  if (attempt <= 5) return seconds(1);
  if (attempt <= 15) {
    const double k = attempt - 6;
    return std::chrono::duration_cast<Duration>(
        std::chrono::duration<double>(std::pow(20.0, k / 9.0)));
  }
  return seconds(20);
}

// The queue name of `arn` (arn:<partition>:sqs:<region>:<account>:<name>)
// when the queue is in this account and region, else nullopt.
std::optional<std::string> LocalQueueName(std::string_view arn, const SimulatorOptions& options) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    fields.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view name = arn.substr(start);
  if (fields[0] != "arn" || fields[2] != "sqs" || fields[3] != options.region ||
      fields[4] != options.account_id || name.empty()) {
    return std::nullopt;
  }
  return std::string(name);
}

// The name a delivery's subscriber goes by in faults and traces: the
// queue's name, or the function's endpoint.
std::string SubscriberName(const sns::internal::Delivery& d) {
  if (d.protocol != "sqs") return d.endpoint;
  const size_t colon = d.endpoint.rfind(':');
  return colon == std::string::npos ? d.endpoint : d.endpoint.substr(colon + 1);
}

bool IsFunction(const sns::internal::Delivery& d) {
  return d.protocol == "lambda" || d.protocol == sns::internal::kFunctionProtocol;
}

std::optional<Action> DeliveryAction(const sns::internal::Delivery& d) {
  if (d.protocol == "sqs") return Action::kSendMessage;
  return std::nullopt;
}

MessageAttributeValue StringAttribute(std::string value) {
  return {.string_value = std::move(value), .data_type = "String"};
}

}  // namespace

SnsHost::SnsHost(Host& host, SnsDeliveryRunner& runner)
    : host_(host),
      runner_(runner),
      engine_(EngineOptions(host.options()), SeededRng(host.options().seed).Fork("sns")) {}

uint32_t SnsHost::Name(const std::string& name) {
  auto [it, inserted] = names_.emplace(name, 0);
  if (inserted) it->second = host_.trace().InternName(name);
  return it->second;
}

template <typename T>
Result<T> SnsHost::Record(std::string_view action, Result<T> result, Timestamp now) {
  host_.trace().Append({.time = now,
                        .kind = TraceKind::kSnsCall,
                        .code = result.ok() ? ErrorCode::kOk : result.status().code(),
                        .queue = Name(std::string(action))});
  return result;
}

void SnsHost::Trace(TraceKind kind, const Delivery& delivery, ErrorCode code, int64_t value,
                    Timestamp now) {
  host_.trace().Append({.time = now,
                        .kind = kind,
                        .code = code,
                        .queue = Name(SubscriberName(delivery)),
                        .value = value});
}

// ---- Actions --------------------------------------------------------------

#define SQSIM_SNS_FORWARD(Name)                                                                 \
  Result<sns::Name##Response> SnsHost::Call(const sns::Name##Request& request, Timestamp now) { \
    return Record(#Name, engine_.Name(request), now);                                           \
  }
SQSIM_SNS_FORWARD(ConfirmSubscription)
SQSIM_SNS_FORWARD(CreateTopic)
SQSIM_SNS_FORWARD(DeleteTopic)
SQSIM_SNS_FORWARD(GetSubscriptionAttributes)
SQSIM_SNS_FORWARD(GetTopicAttributes)
SQSIM_SNS_FORWARD(ListSubscriptions)
SQSIM_SNS_FORWARD(ListSubscriptionsByTopic)
SQSIM_SNS_FORWARD(ListTagsForResource)
SQSIM_SNS_FORWARD(ListTopics)
SQSIM_SNS_FORWARD(SetSubscriptionAttributes)
SQSIM_SNS_FORWARD(SetTopicAttributes)
SQSIM_SNS_FORWARD(Subscribe)
SQSIM_SNS_FORWARD(TagResource)
SQSIM_SNS_FORWARD(Unsubscribe)
SQSIM_SNS_FORWARD(UntagResource)
#undef SQSIM_SNS_FORWARD

Result<sns::PublishResponse> SnsHost::Call(const sns::PublishRequest& request, Timestamp now) {
  auto outcome = engine_.Publish(request, now);
  if (!outcome.ok()) return Record("Publish", Result<sns::PublishResponse>(outcome.status()), now);
  Result<sns::PublishResponse> response =
      Record("Publish", Result<sns::PublishResponse>(std::move(outcome->response)), now);
  for (const Delivery& delivery : outcome->deliveries) Dispatch(delivery, now);
  return response;
}

Result<sns::PublishBatchResponse> SnsHost::Call(const sns::PublishBatchRequest& request,
                                                Timestamp now) {
  auto outcome = engine_.PublishBatch(request, now);
  if (!outcome.ok()) {
    return Record("PublishBatch", Result<sns::PublishBatchResponse>(outcome.status()), now);
  }
  Result<sns::PublishBatchResponse> response =
      Record("PublishBatch", Result<sns::PublishBatchResponse>(std::move(outcome->response)), now);
  for (const Delivery& delivery : outcome->deliveries) Dispatch(delivery, now);
  return response;
}

// ---- Deliveries -----------------------------------------------------------

void SnsHost::Dispatch(const Delivery& delivery, Timestamp now) {
  ++stats_.deliveries;
  if (delivery.client_error) {
    GiveUp(delivery, Status(ErrorCode::kInvalidParameterValue, *delivery.client_error), now);
    return;
  }
  FaultInjector& faults = host_.injector();
  const std::string name = SubscriberName(delivery);
  const std::optional<Action> action = DeliveryAction(delivery);
  Timestamp start = now;
  if (faults.Has(FaultEffect::kSnsDeliveryDelay)) {
    if (const FaultRule* delay =
            faults.Decide({FaultEffect::kSnsDeliveryDelay}, action, name, now)) {
      start = ClampedAdd(now, delay->latency);
    }
  }
  int copies = 1;
  if (faults.Has(FaultEffect::kSnsDuplicateDelivery) &&
      faults.Decide({FaultEffect::kSnsDuplicateDelivery}, action, name, now) != nullptr) {
    copies = 2;
    ++stats_.duplicates;
  }
  auto shared = std::make_shared<const Delivery>(delivery);
  for (int i = 0; i < copies; ++i) {
    if (start == now) {
      Attempt(shared, 1, now);
    } else {
      runner_.At(start, [this, shared](Timestamp at) { Attempt(shared, 1, at); });
    }
  }
}

void SnsHost::Attempt(std::shared_ptr<const Delivery> delivery, int attempt, Timestamp now) {
  FaultInjector& faults = host_.injector();
  if (faults.Has(FaultEffect::kSnsDeliveryFailure) &&
      faults.Decide({FaultEffect::kSnsDeliveryFailure}, DeliveryAction(*delivery),
                    SubscriberName(*delivery), now) != nullptr) {
    Failed(std::move(delivery), attempt,
           Status(ErrorCode::kServiceUnavailable, "the endpoint was unavailable (injected fault)"),
           /*retryable=*/true, now);
    return;
  }
  if (delivery->protocol == "sqs") {
    Status sent = SendAsSns(delivery->endpoint, *delivery, delivery->body,
                            delivery->sqs_message_attributes, now);
    if (sent.ok()) {
      ++stats_.delivered;
      Trace(TraceKind::kSnsDelivered, *delivery, ErrorCode::kOk, attempt, now);
      return;
    }
    // SNS retries when the endpoint's side failed (5xx) or throttled.
    const bool retryable = IsTransientError(sent.code());
    Failed(std::move(delivery), attempt, sent, retryable, now);
    return;
  }
  if (IsFunction(*delivery)) {
    sns::FunctionDelivery call{.subscription_arn = delivery->subscription_arn,
                               .topic_arn = delivery->topic_arn,
                               .endpoint = delivery->endpoint,
                               .message_id = delivery->message_id,
                               .body = delivery->body,
                               .attempt = attempt};
    runner_.InvokeFunction(std::move(call), [this, delivery, attempt](Timestamp at, Status done) {
      if (done.ok()) {
        ++stats_.delivered;
        Trace(TraceKind::kSnsDelivered, *delivery, ErrorCode::kOk, attempt, at);
        return;
      }
      const bool retryable = done.code() != ErrorCode::kResourceNotFound;
      Failed(delivery, attempt, done, retryable, at);
    });
    return;
  }
  // http(s), email, sms: sqsim reaches nothing outside the process. The
  // delivery counts as made, and the trace shows it.
  ++stats_.delivered;
  Trace(TraceKind::kSnsDelivered, *delivery, ErrorCode::kOk, attempt, now);
}

void SnsHost::Failed(std::shared_ptr<const Delivery> delivery, int attempt, const Status& why,
                     bool retryable, Timestamp now) {
  ++stats_.failed_attempts;
  Trace(TraceKind::kSnsDeliveryFailed, *delivery, why.code(), attempt, now);
  if (!retryable || attempt >= kSnsManagedEndpointAttempts) {
    GiveUp(*delivery, why, now);
    return;
  }
  const int next = attempt + 1;
  const Duration delay = RetryDelay(next);
  if (delay == Duration::zero()) {
    Attempt(std::move(delivery), next, now);
    return;
  }
  runner_.At(ClampedAdd(now, delay),
             [this, delivery, next](Timestamp at) { Attempt(delivery, next, at); });
}

void SnsHost::GiveUp(const Delivery& delivery, const Status& why, Timestamp now) {
  if (delivery.dead_letter_target_arn) {
    char request_id[40];
    std::snprintf(request_id, sizeof request_id, "sqsim-sns-%016llx",
                  static_cast<unsigned long long>(next_request_id_++));
    MessageAttributeMap attributes = {
        {"ErrorCode", StringAttribute(std::string(GetErrorInfo(why.code()).name))},
        {"ErrorMessage",
         StringAttribute(why.message().empty() ? "delivery failed" : why.message())},
        {"RequestID", StringAttribute(request_id)}};
    const Status sent =
        SendAsSns(*delivery.dead_letter_target_arn, delivery, delivery.body, attributes, now);
    if (sent.ok()) {
      ++stats_.dead_lettered;
      Trace(TraceKind::kSnsDeadLettered, delivery, why.code(), 0, now);
      return;
    }
  }
  ++stats_.dropped;
  Trace(TraceKind::kSnsDropped, delivery, why.code(), 0, now);
}

Status SnsHost::SendAsSns(const std::string& queue_arn, const Delivery& delivery, std::string body,
                          MessageAttributeMap attributes, Timestamp now) {
  const std::optional<std::string> queue = LocalQueueName(queue_arn, host_.options());
  if (!queue) {
    return Status(ErrorCode::kQueueDoesNotExist,
                  "The specified queue does not exist: " + queue_arn);
  }
  SendMessageRequest request{.queue_url = *queue,
                             .message_body = std::move(body),
                             .message_attributes = std::move(attributes),
                             .message_deduplication_id = delivery.message_deduplication_id,
                             .message_group_id = delivery.message_group_id};
  const iam::Caller sns{.principal = {.service = "sns.amazonaws.com"},
                        .context = {.source_arn = delivery.topic_arn,
                                    .source_account = host_.options().account_id,
                                    .region = host_.options().region}};
  return host_.Call(request, now, &sns).status();
}

}  // namespace sqsim::internal
