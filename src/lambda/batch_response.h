// What a successful invocation's response means for its records
// ("Implementing partial batch responses", services-sqs-errorhandling.html).

#ifndef SQSIM_SRC_LAMBDA_BATCH_RESPONSE_H_
#define SQSIM_SRC_LAMBDA_BATCH_RESPONSE_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "sqsim/lambda/sqs_event.h"

namespace sqsim::lambda::internal {

// The indices of the records to delete, in order. Without
// ReportBatchItemFailures: all of them, whatever the response. With it: all
// but those `batchItemFailures` lists; nullopt when the response is invalid
// and the whole batch fails: an itemIdentifier that is null, empty, or not
// the messageId of a record of the batch. (A null or empty list is a
// complete success.)
std::optional<std::vector<size_t>> RecordsToDelete(const std::vector<SqsRecord>& records,
                                                   const BatchResponse& response,
                                                   bool report_batch_item_failures);

}  // namespace sqsim::lambda::internal

#endif  // SQSIM_SRC_LAMBDA_BATCH_RESPONSE_H_
