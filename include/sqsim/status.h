// Status, ErrorCode and Result<T>: how every sqsim operation reports failure.
//
// SQS errors are values, not exceptions. An operation returns `Result<T>`:
// either a value of type T or a non-OK `Status`. A `Status` carries a typed
// `ErrorCode` plus everything the SQS wire protocol says about an error: the
// JSON `__type` name (`QueueDoesNotExist`), the query-compatible code that SDKs
// show (`AWS.SimpleQueueService.NonExistentQueue`), the HTTP status, whether
// the sender is at fault and whether a retry may succeed. One table in
// src/core/status.cc maps each code to those facts.
//
// Thread safety: Status and Result are values; distinct objects are safe to
// use from different threads, a shared one only for reading.

#ifndef SQSIM_STATUS_H_
#define SQSIM_STATUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sqsim {

namespace internal {
// Reports a broken invariant or precondition and aborts. Assertions stay on in
// release builds: a programmer error must never turn into a wrong answer.
[[noreturn]] void AssertFailed(const char* what, const char* file, int line);
}  // namespace internal

#define SQSIM_ASSERT(condition, what) \
  ((condition) ? (void)0 : ::sqsim::internal::AssertFailed(what, __FILE__, __LINE__))

// The errors SQS returns (modeled and un-modeled), the common AWS errors, and
// a few transport-level codes that only a client of a real endpoint sees.
// Enumerators are SQS's own names in kCamelCase.
enum class ErrorCode : uint8_t {
  kOk = 0,
  // Modeled SQS errors (botocore model).
  kQueueDoesNotExist,
  kQueueNameExists,
  kQueueDeletedRecently,
  kPurgeQueueInProgress,
  kInvalidAttributeName,
  kInvalidAttributeValue,
  kReceiptHandleIsInvalid,
  kMessageNotInflight,
  kInvalidIdFormat,
  kInvalidMessageContents,
  kTooManyEntriesInBatchRequest,
  kEmptyBatchRequest,
  kBatchEntryIdsNotDistinct,
  kInvalidBatchEntryId,
  kBatchRequestTooLong,
  kOverLimit,
  kRequestThrottled,
  kResourceNotFoundException,
  kInvalidAddress,
  kInvalidSecurity,
  kUnsupportedOperation,
  kKmsAccessDenied,
  kKmsDisabled,
  kKmsInvalidKeyUsage,
  kKmsInvalidState,
  kKmsNotFound,
  kKmsOptInRequired,
  kKmsThrottled,
  // Un-modeled errors SQS returns.
  kInvalidParameterValue,
  kMissingParameter,
  kAccessDenied,
  // Common AWS errors (CommonErrors page).
  kIncompleteSignature,
  kInternalFailure,
  kInvalidAction,
  kInvalidClientTokenId,
  kInvalidParameterCombination,
  kMissingAuthenticationToken,
  kOptInRequired,
  kRequestExpired,
  kServiceUnavailable,
  kThrottlingException,
  kValidationError,
  // A JSON-protocol request body that is not JSON or has a member of the
  // wrong type (added for the JSON wire codec; see src/core/status.cc).
  kSerializationException,
  // SNS's InvalidParameter (HTTP 400), e.g. a subscription filter policy SNS
  // rejects (src/sns/filter_policy.cc).
  kInvalidParameter,
  // SNS's own errors (botocore SNS model; SNS speaks the query protocol only,
  // so each one's JSON type and query code are both SNS's error code).
  // SNS's batch errors (BatchEntryIdsNotDistinct, EmptyBatchRequest, ...),
  // InvalidSecurity and ValidationError reuse the SQS codes above;
  // sns::SnsErrorCode (sqsim/sns/types.h) names them as SNS does.
  kNotFound,
  kAuthorizationError,
  kParameterValueInvalid,
  kTopicLimitExceeded,
  kSubscriptionLimitExceeded,
  kFilterPolicyLimitExceeded,
  kTagLimitExceeded,
  kTagPolicy,
  kStaleTag,
  kConcurrentAccess,
  kInternalError,
  kInvalidState,
  kEndpointDisabled,
  kResourceNotFound,
  kSnsKmsDisabled,
  kSnsKmsAccessDenied,
  kSnsKmsInvalidState,
  kSnsKmsNotFound,
  kSnsKmsOptInRequired,
  kSnsKmsThrottling,
  kSignatureDoesNotMatch,
  // Transport and client-side codes: never sent by SQS itself.
  kNetworkError,
  kTimeout,
  kMalformedResponse,
  kUnknownError,  // a well-formed error response with a code sqsim does not know
};

// Facts about one error code, as the SQS wire protocol presents them.
struct ErrorInfo {
  ErrorCode code;
  std::string_view name;       // enumerator name without `k`, e.g. "QueueDoesNotExist"
  std::string_view json_type;  // `__type` suffix, e.g. "QueueDoesNotExist"
  std::string_view
      query_code;     // x-amzn-query-error code, e.g. "AWS.SimpleQueueService.NonExistentQueue"
  int http_status;    // e.g. 400
  bool sender_fault;  // "Sender" (true) or "Receiver" (false)
  bool retryable;     // true when the AWS SDKs' standard retry mode retries it
};

// Returns the table entry for `code`. Every enumerator has one.
const ErrorInfo& GetErrorInfo(ErrorCode code);

// True for an error that says nothing about the request itself, so that the
// same request may succeed later: the service failed (a "Receiver" fault,
// 5xx), or throttled. KMS throttling counts although SQS reports it as a
// client error that the SDKs do not retry (ErrorInfo::retryable is false):
// it passes. The services that retry on their own, SNS delivering to a
// queue and Lambda polling one, retry these and give up on every other.
bool IsTransientError(ErrorCode code);

// Finds a code by its JSON `__type` suffix or by its query-compatible code
// (both spellings are accepted, case-sensitively). Returns nullopt when
// neither matches.
std::optional<ErrorCode> ErrorCodeFromWireName(std::string_view name);

// The result of an operation that returns no value: OK or an error.
class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  // An error. REQUIRES: code != ErrorCode::kOk.
  Status(ErrorCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  // Human-readable detail, e.g. "The specified queue does not exist.".
  const std::string& message() const { return detail_ ? detail_->message : EmptyMessage(); }

  // Wire facts from the error table (see ErrorInfo). For kUnknownError these
  // return the names recorded with set_wire_names(), when there are any.
  std::string_view json_type() const;
  std::string_view query_code() const;
  int http_status() const;
  bool sender_fault() const;
  bool retryable() const;

  // True when a fault plan injected this error rather than the queue logic
  // producing it, so tests can tell a planned fault from a bug.
  bool injected() const { return injected_; }
  Status& set_injected(bool injected = true) {
    injected_ = injected;
    return *this;
  }

  // Keeps the raw names of an error response sqsim has no code for.
  Status& set_wire_names(std::string json_type, std::string query_code);

  // "QueueDoesNotExist (AWS.SimpleQueueService.NonExistentQueue, HTTP 400):
  // The specified queue does not exist."
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message() == b.message();
  }

 private:
  // What only errors carry, kept out of line: an OK Status, which every call
  // returns on its success path, is then two words that cost nothing to
  // make, move or destroy.
  struct Detail {
    std::string message;
    std::string raw_json_type;
    std::string raw_query_code;
  };
  static const std::string& EmptyMessage();

  ErrorCode code_ = ErrorCode::kOk;
  bool injected_ = false;
  std::unique_ptr<Detail> detail_;  // null when OK (or an error without detail)
};

std::ostream& operator<<(std::ostream& os, const Status& status);

// Either a value of type T or a non-OK Status. Modeled on absl::StatusOr:
// reading the value of an error is a programmer error and asserts.
template <typename T>
class [[nodiscard]] Result {
 public:
  // An error result. REQUIRES: !status.ok().
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    SQSIM_ASSERT(!std::get<Status>(state_).ok(), "Result built from an OK Status has no value");
  }
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }

  // OK status when a value is held, the error otherwise.
  Status status() const { return ok() ? Status() : std::get<Status>(state_); }

  // REQUIRES: ok().
  T& value() & {
    SQSIM_ASSERT(ok(), "Result::value() called on an error");
    return std::get<T>(state_);
  }
  const T& value() const& {
    SQSIM_ASSERT(ok(), "Result::value() called on an error");
    return std::get<T>(state_);
  }
  T&& value() && {
    SQSIM_ASSERT(ok(), "Result::value() called on an error");
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> state_;
};

}  // namespace sqsim

#endif  // SQSIM_STATUS_H_
