// A batch of records a poller holds: gathered, not yet invoked.

#ifndef SQSIM_SRC_LAMBDA_BATCH_H_
#define SQSIM_SRC_LAMBDA_BATCH_H_

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "sqsim/lambda/sqs_event.h"
#include "sqsim/types.h"

namespace sqsim::lambda::internal {

struct Batch {
  std::vector<SqsRecord> records{};
  std::vector<size_t> record_bytes{};  // each record's JSON size
  size_t total_record_bytes = 0;
  // The first receive of its records: their visibility timeout runs from
  // then (a later receive's records have more time left, never less).
  std::optional<Timestamp> received_at{};

  bool empty() const { return records.empty(); }
  size_t size() const { return records.size(); }
  // The event's JSON size.
  size_t payload_bytes() const { return EventJsonSize(records.size(), total_record_bytes); }
  // Whether one more record of `bytes` keeps the event within 6 MB. An
  // empty batch takes any record: one message never exceeds SQS's 1 MiB.
  bool Fits(size_t bytes) const {
    return empty() || EventJsonSize(records.size() + 1, total_record_bytes + bytes) <=
                          kMaxInvocationPayloadBytes;
  }
  void Add(SqsRecord record, size_t bytes, Timestamp received) {
    if (!received_at) received_at = received;
    records.push_back(std::move(record));
    record_bytes.push_back(bytes);
    total_record_bytes += bytes;
  }
  // Replaces the record of the same message, received again (its
  // visibility ran out while the batch was gathered): the new receipt
  // handle is the one that works. False when there is none.
  bool Replace(SqsRecord& record, size_t bytes) {
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].message_id != record.message_id) continue;
      total_record_bytes = total_record_bytes - record_bytes[i] + bytes;
      records[i] = std::move(record);
      record_bytes[i] = bytes;
      return true;
    }
    return false;
  }
  // Moves the leading records of `from` that fit, at least one, into an
  // empty batch; `from` keeps the rest, in order.
  static Batch TakeFitting(Batch& from) {
    Batch batch;
    size_t taken = 0;
    while (taken < from.size() && batch.Fits(from.record_bytes[taken])) {
      batch.Add(std::move(from.records[taken]), from.record_bytes[taken], *from.received_at);
      ++taken;
    }
    Batch rest;
    for (size_t i = taken; i < from.size(); ++i) {
      rest.Add(std::move(from.records[i]), from.record_bytes[i], *from.received_at);
    }
    from = std::move(rest);
    return batch;
  }
};

}  // namespace sqsim::lambda::internal

#endif  // SQSIM_SRC_LAMBDA_BATCH_H_
