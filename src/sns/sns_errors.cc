// SNS's spelling of the error codes it shares with SQS.

#include "sqsim/sns/types.h"

namespace sqsim::sns {

std::string_view SnsErrorCode(ErrorCode code) {
  switch (code) {
    // SQS's query codes for these carry an "AWS.SimpleQueueService." prefix
    // that SNS's do not.
    case ErrorCode::kTooManyEntriesInBatchRequest:
      return "TooManyEntriesInBatchRequest";
    case ErrorCode::kEmptyBatchRequest:
      return "EmptyBatchRequest";
    case ErrorCode::kBatchEntryIdsNotDistinct:
      return "BatchEntryIdsNotDistinct";
    case ErrorCode::kInvalidBatchEntryId:
      return "InvalidBatchEntryId";
    case ErrorCode::kBatchRequestTooLong:
      return "BatchRequestTooLong";
    default:
      return GetErrorInfo(code).query_code;
  }
}

}  // namespace sqsim::sns
