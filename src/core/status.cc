// The single table that maps each ErrorCode to its SQS wire facts.
//
// Sources: the botocore SQS model (modeled error shapes), the Smithy
// awsQueryError traits carried in the AWS SDK for JavaScript v3 SQS schema
// (query codes and HTTP statuses) and the AWS API Reference page "Common
// Errors" (CommonErrors.html). Retryability follows the AWS SDKs' standard
// retry mode: throttling codes, 5xx and transport failures retry.

#include "sqsim/status.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace sqsim {
namespace internal {

void AssertFailed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "sqsim: assertion failed at %s:%d: %s\n", file, line, what);
  std::abort();
}

}  // namespace internal

namespace {

using E = ErrorCode;

constexpr std::array<ErrorInfo, static_cast<size_t>(E::kUnknownError) + 1> kErrorTable = {{
    {E::kOk, "Ok", "", "", 200, false, false},
    {E::kQueueDoesNotExist, "QueueDoesNotExist", "QueueDoesNotExist",
     "AWS.SimpleQueueService.NonExistentQueue", 400, true, false},
    {E::kQueueNameExists, "QueueNameExists", "QueueNameExists", "QueueAlreadyExists", 400, true,
     false},
    {E::kQueueDeletedRecently, "QueueDeletedRecently", "QueueDeletedRecently",
     "AWS.SimpleQueueService.QueueDeletedRecently", 400, true, false},
    {E::kPurgeQueueInProgress, "PurgeQueueInProgress", "PurgeQueueInProgress",
     "AWS.SimpleQueueService.PurgeQueueInProgress", 403, true, false},
    {E::kInvalidAttributeName, "InvalidAttributeName", "InvalidAttributeName",
     "InvalidAttributeName", 400, true, false},
    {E::kInvalidAttributeValue, "InvalidAttributeValue", "InvalidAttributeValue",
     "InvalidAttributeValue", 400, true, false},
    {E::kReceiptHandleIsInvalid, "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
     "ReceiptHandleIsInvalid", 404, true, false},
    {E::kMessageNotInflight, "MessageNotInflight", "MessageNotInflight",
     "AWS.SimpleQueueService.MessageNotInflight", 400, true, false},
    {E::kInvalidIdFormat, "InvalidIdFormat", "InvalidIdFormat", "InvalidIdFormat", 400, true,
     false},
    {E::kInvalidMessageContents, "InvalidMessageContents", "InvalidMessageContents",
     "InvalidMessageContents", 400, true, false},
    {E::kTooManyEntriesInBatchRequest, "TooManyEntriesInBatchRequest",
     "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400,
     true, false},
    {E::kEmptyBatchRequest, "EmptyBatchRequest", "EmptyBatchRequest",
     "AWS.SimpleQueueService.EmptyBatchRequest", 400, true, false},
    {E::kBatchEntryIdsNotDistinct, "BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinct",
     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400, true, false},
    {E::kInvalidBatchEntryId, "InvalidBatchEntryId", "InvalidBatchEntryId",
     "AWS.SimpleQueueService.InvalidBatchEntryId", 400, true, false},
    {E::kBatchRequestTooLong, "BatchRequestTooLong", "BatchRequestTooLong",
     "AWS.SimpleQueueService.BatchRequestTooLong", 400, true, false},
    {E::kOverLimit, "OverLimit", "OverLimit", "OverLimit", 403, true, false},
    {E::kRequestThrottled, "RequestThrottled", "RequestThrottled", "RequestThrottled", 403, true,
     true},
    {E::kResourceNotFoundException, "ResourceNotFoundException", "ResourceNotFoundException",
     "ResourceNotFoundException", 404, true, false},
    {E::kInvalidAddress, "InvalidAddress", "InvalidAddress", "InvalidAddress", 404, true, false},
    {E::kInvalidSecurity, "InvalidSecurity", "InvalidSecurity", "InvalidSecurity", 403, true,
     false},
    {E::kUnsupportedOperation, "UnsupportedOperation", "UnsupportedOperation",
     "AWS.SimpleQueueService.UnsupportedOperation", 400, true, false},
    {E::kKmsAccessDenied, "KmsAccessDenied", "KmsAccessDenied", "KMS.AccessDeniedException", 400,
     true, false},
    {E::kKmsDisabled, "KmsDisabled", "KmsDisabled", "KMS.DisabledException", 400, true, false},
    {E::kKmsInvalidKeyUsage, "KmsInvalidKeyUsage", "KmsInvalidKeyUsage",
     "KMS.InvalidKeyUsageException", 400, true, false},
    {E::kKmsInvalidState, "KmsInvalidState", "KmsInvalidState", "KMS.InvalidStateException", 400,
     true, false},
    {E::kKmsNotFound, "KmsNotFound", "KmsNotFound", "KMS.NotFoundException", 400, true, false},
    {E::kKmsOptInRequired, "KmsOptInRequired", "KmsOptInRequired", "KMS.OptInRequired", 403, true,
     false},
    // Not retryable: botocore's standard mode does not list KMS.ThrottlingException
    // among its throttling codes (src/aws/retry.cc follows botocore).
    {E::kKmsThrottled, "KmsThrottled", "KmsThrottled", "KMS.ThrottlingException", 400, true, false},
    {E::kInvalidParameterValue, "InvalidParameterValue", "InvalidParameterValueException",
     "InvalidParameterValue", 400, true, false},
    {E::kMissingParameter, "MissingParameter", "MissingRequiredParameterException",
     "MissingParameter", 400, true, false},
    {E::kAccessDenied, "AccessDenied", "AccessDeniedException", "AccessDenied", 403, true, false},
    {E::kIncompleteSignature, "IncompleteSignature", "IncompleteSignatureException",
     "IncompleteSignature", 400, true, false},
    {E::kInternalFailure, "InternalFailure", "InternalFailure", "InternalFailure", 500, false,
     true},
    {E::kInvalidAction, "InvalidAction", "InvalidAction", "InvalidAction", 400, true, false},
    {E::kInvalidClientTokenId, "InvalidClientTokenId", "InvalidClientTokenId",
     "InvalidClientTokenId", 403, true, false},
    {E::kInvalidParameterCombination, "InvalidParameterCombination", "InvalidParameterCombination",
     "InvalidParameterCombination", 400, true, false},
    {E::kMissingAuthenticationToken, "MissingAuthenticationToken",
     "MissingAuthenticationTokenException", "MissingAuthenticationToken", 403, true, false},
    {E::kOptInRequired, "OptInRequired", "OptInRequired", "OptInRequired", 403, true, false},
    {E::kRequestExpired, "RequestExpired", "RequestExpired", "RequestExpired", 400, true, false},
    {E::kServiceUnavailable, "ServiceUnavailable", "ServiceUnavailable", "ServiceUnavailable", 503,
     false, true},
    {E::kThrottlingException, "ThrottlingException", "ThrottlingException", "ThrottlingException",
     400, true, true},
    {E::kValidationError, "ValidationError", "ValidationException", "ValidationError", 400, true,
     false},
    // Not in SQS's model or CommonErrors page: SQS's JSON endpoint runs on
    // AWS's Coral framework, which rejects a body that is not JSON or has a
    // member of the wrong JSON type before the operation runs, with
    // `com.amazon.coral.service#SerializationException`, HTTP 400 (the
    // documented behaviour of Coral awsJson services such as DynamoDB and
    // Kinesis; not confirmed against SQS itself). Sender fault, not retryable.
    {E::kSerializationException, "SerializationException", "SerializationException",
     "SerializationException", 400, true, false},
    // SNS, not SQS: the error code SNS's query API returns for an invalid
    // parameter value (sns:SetSubscriptionAttributes and sns:Subscribe with a
    // bad FilterPolicy among others). Sender fault, not retryable.
    {E::kInvalidParameter, "InvalidParameter", "InvalidParameter", "InvalidParameter", 400, true,
     false},
    // SNS (botocore SNS model: error code and HTTP status of each error
    // shape). InternalError is SNS's 500, a server fault the SDKs retry.
    {E::kNotFound, "NotFound", "NotFound", "NotFound", 404, true, false},
    {E::kAuthorizationError, "AuthorizationError", "AuthorizationError", "AuthorizationError", 403,
     true, false},
    {E::kParameterValueInvalid, "ParameterValueInvalid", "ParameterValueInvalid",
     "ParameterValueInvalid", 400, true, false},
    {E::kTopicLimitExceeded, "TopicLimitExceeded", "TopicLimitExceeded", "TopicLimitExceeded", 403,
     true, false},
    {E::kSubscriptionLimitExceeded, "SubscriptionLimitExceeded", "SubscriptionLimitExceeded",
     "SubscriptionLimitExceeded", 403, true, false},
    {E::kFilterPolicyLimitExceeded, "FilterPolicyLimitExceeded", "FilterPolicyLimitExceeded",
     "FilterPolicyLimitExceeded", 403, true, false},
    {E::kTagLimitExceeded, "TagLimitExceeded", "TagLimitExceeded", "TagLimitExceeded", 400, true,
     false},
    {E::kTagPolicy, "TagPolicy", "TagPolicy", "TagPolicy", 400, true, false},
    {E::kStaleTag, "StaleTag", "StaleTag", "StaleTag", 400, true, false},
    {E::kConcurrentAccess, "ConcurrentAccess", "ConcurrentAccess", "ConcurrentAccess", 400, true,
     false},
    {E::kInternalError, "InternalError", "InternalError", "InternalError", 500, false, true},
    {E::kInvalidState, "InvalidState", "InvalidState", "InvalidState", 400, true, false},
    {E::kEndpointDisabled, "EndpointDisabled", "EndpointDisabled", "EndpointDisabled", 400, true,
     false},
    {E::kResourceNotFound, "ResourceNotFound", "ResourceNotFound", "ResourceNotFound", 404, true,
     false},
    // SNS's KMS errors: spelled unlike SQS's (KMSDisabled, not
    // KMS.DisabledException), hence their own codes.
    {E::kSnsKmsDisabled, "SnsKmsDisabled", "KMSDisabled", "KMSDisabled", 400, true, false},
    {E::kSnsKmsAccessDenied, "SnsKmsAccessDenied", "KMSAccessDenied", "KMSAccessDenied", 400, true,
     false},
    {E::kSnsKmsInvalidState, "SnsKmsInvalidState", "KMSInvalidState", "KMSInvalidState", 400, true,
     false},
    {E::kSnsKmsNotFound, "SnsKmsNotFound", "KMSNotFound", "KMSNotFound", 400, true, false},
    {E::kSnsKmsOptInRequired, "SnsKmsOptInRequired", "KMSOptInRequired", "KMSOptInRequired", 403,
     true, false},
    {E::kSnsKmsThrottling, "SnsKmsThrottling", "KMSThrottling", "KMSThrottling", 400, true, false},
    {E::kSignatureDoesNotMatch, "SignatureDoesNotMatch", "SignatureDoesNotMatch",
     "SignatureDoesNotMatch", 403, true, false},
    {E::kNetworkError, "NetworkError", "", "", 0, false, true},
    {E::kTimeout, "Timeout", "", "", 0, false, true},
    {E::kMalformedResponse, "MalformedResponse", "", "", 0, false, false},
    {E::kUnknownError, "UnknownError", "", "", 0, true, false},
}};

// The table is indexed by code; a misordered row would silently give wrong
// wire facts, so check the order at compile time.
constexpr bool TableIsOrdered() {
  for (size_t i = 0; i < kErrorTable.size(); ++i) {
    if (static_cast<size_t>(kErrorTable[i].code) != i) return false;
  }
  return true;
}
static_assert(TableIsOrdered(), "kErrorTable rows must follow ErrorCode order");

}  // namespace

const ErrorInfo& GetErrorInfo(ErrorCode code) { return kErrorTable[static_cast<size_t>(code)]; }

bool IsTransientError(ErrorCode code) {
  const ErrorInfo& info = GetErrorInfo(code);
  return !info.sender_fault || info.retryable || code == E::kKmsThrottled;
}

std::optional<ErrorCode> ErrorCodeFromWireName(std::string_view name) {
  for (const ErrorInfo& info : kErrorTable) {
    if (info.code == E::kOk || info.json_type.empty()) continue;
    if (name == info.json_type || name == info.query_code || name == info.name) return info.code;
  }
  return std::nullopt;
}

Status::Status(ErrorCode code, std::string message)
    : code_(code), detail_(std::make_unique<Detail>()) {
  SQSIM_ASSERT(code != ErrorCode::kOk, "an error Status needs a non-OK code");
  detail_->message = std::move(message);
}

Status::Status(const Status& other)
    : code_(other.code_),
      injected_(other.injected_),
      detail_(other.detail_ ? std::make_unique<Detail>(*other.detail_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) *this = Status(other);
  return *this;
}

const std::string& Status::EmptyMessage() {
  static const std::string empty;
  return empty;
}

std::string_view Status::json_type() const {
  if (code_ == E::kUnknownError && detail_ && !detail_->raw_json_type.empty()) {
    return detail_->raw_json_type;
  }
  return GetErrorInfo(code_).json_type;
}

std::string_view Status::query_code() const {
  if (code_ == E::kUnknownError && detail_ && !detail_->raw_query_code.empty()) {
    return detail_->raw_query_code;
  }
  return GetErrorInfo(code_).query_code;
}

int Status::http_status() const { return GetErrorInfo(code_).http_status; }
bool Status::sender_fault() const { return GetErrorInfo(code_).sender_fault; }
bool Status::retryable() const { return GetErrorInfo(code_).retryable; }

Status& Status::set_wire_names(std::string json_type, std::string query_code) {
  if (!detail_) detail_ = std::make_unique<Detail>();
  detail_->raw_json_type = std::move(json_type);
  detail_->raw_query_code = std::move(query_code);
  return *this;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::ostringstream out;
  out << GetErrorInfo(code_).name;
  if (!query_code().empty()) out << " (" << query_code() << ", HTTP " << http_status() << ")";
  if (injected_) out << " [injected]";
  out << ": " << message();
  return out.str();
}

std::ostream& operator<<(std::ostream& os, const Status& status) { return os << status.ToString(); }

}  // namespace sqsim
