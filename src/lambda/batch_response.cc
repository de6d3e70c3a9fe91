#include "lambda/batch_response.h"

#include <set>
#include <string>

namespace sqsim::lambda::internal {

std::optional<std::vector<size_t>> RecordsToDelete(const std::vector<SqsRecord>& records,
                                                   const BatchResponse& response,
                                                   bool report_batch_item_failures) {
  std::set<std::string> failed;
  if (report_batch_item_failures && response.batch_item_failures) {
    std::set<std::string> ids;
    for (const SqsRecord& r : records) ids.insert(r.message_id);
    for (const BatchItemFailure& f : *response.batch_item_failures) {
      // Lambda treats these as a complete failure of the batch.
      if (!f.item_identifier || f.item_identifier->empty() || !ids.contains(*f.item_identifier)) {
        return std::nullopt;
      }
      failed.insert(*f.item_identifier);
    }
  }
  std::vector<size_t> keep;
  keep.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    if (!failed.contains(records[i].message_id)) keep.push_back(i);
  }
  return keep;
}

}  // namespace sqsim::lambda::internal
