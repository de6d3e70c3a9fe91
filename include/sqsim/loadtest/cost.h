// Cost: what the SQS calls of a load test would cost on AWS, for the run and
// projected to a 30-day month, from a price table the user can replace.
//
// A CostMeter is told about every SQS call the load test makes (Record, one
// BillableCall each) and keeps only counters (and one entry per KMS data key
// in use), so a run of millions of calls costs next to nothing to meter.
// Report turns the counters into a CostReport.
//
// The billing rules, from https://aws.amazon.com/sqs/pricing/:
//   - "Every Amazon SQS action counts as a request." The page exempts no
//     outcome, so a call that returns an error is billed like any other
//     (record it), and so is a ReceiveMessage that returns no message:
//     "Long polling helps reduce the cost of using Amazon SQS by eliminating
//     the number of empty responses" (https://docs.aws.amazon.com/
//     AWSSimpleQueueService/latest/SQSDeveloperGuide/
//     sqs-short-and-long-polling.html).
//   - "Each 64 KB chunk of a payload is billed as 1 request (for example, an
//     API action with a 256 KB payload is billed as 4 requests)." A call is
//     billed max(1, ceil(payload / 65,536)) requests (SQS's KB is 1,024
//     bytes), so a 1 MiB message is 16 requests.
//   - "A single request can have from 1 to 10 messages": a batch call is one
//     request, chunked by the batch's total payload (ten 1 KB messages in a
//     SendMessageBatch are 1 request; ten 10 KB messages are 2).
//   - "API actions for sending, receiving, deleting, and changing visibility
//     of messages from FIFO queues are charged at FIFO rates. All other API
//     requests are charged at standard rates." (GetQueueAttributes on a FIFO
//     queue is a standard request.)
//   - Monthly volume tiers, per queue type; the first 1 million requests a
//     month are free ("All customers can make 1 million Amazon SQS requests
//     for free each month"), one allowance for standard and FIFO together.
//
// What counts as a call's payload (the page says "payload" and no more):
// SendMessage and SendMessageBatch, the sizes of the messages in the request
// (as SQS counts them against the maximum message size: body and
// attributes), whether or not SQS accepted them; ReceiveMessage, the sizes of
// the messages it returned (0 for an empty receive: 1 request); every other
// action, 0 (1 request).
//
// SSE-KMS (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/
// SQSDeveloperGuide/sqs-key-management.html): SQS reuses a data key for the
// queue's KmsDataKeyReusePeriodSeconds, and "principals don't share data
// keys". When the period has ended, a principal's next send to the queue
// calls KMS GenerateDataKey and Decrypt (to verify the new key), and its next
// receive calls Decrypt; the guide's estimate per queue is R = B / D * (2 * P
// + C) for B seconds billed, reuse period D, P producing and C consuming
// principals (SQS being distributed, the guide warns that real counts can be
// higher). The meter counts exactly that, from the calls' virtual times:
// per (queue, principal), one data key for sending and one for receiving
// (the guide: "the data key is cached separately for encryption and for
// decryption"); a send (receive) at time t that carries messages uses the
// key if t is before the key's end, else gets a new key that lasts until
// t + period. A call that carries no message encrypts or decrypts nothing
// and calls no KMS. KMS prices (https://aws.amazon.com/kms/pricing/): $0.03
// per 10,000 requests, 20,000 free requests a month across all regions. The
// monthly fee of a customer managed KMS key ($1) is not included: sqsim does
// not know whether the queue's key is AWS managed (no fee) or yours.
//
// The run and the month: the run's cost is its billed requests at list price
// (the tier table read from zero) without any free tier, what the run adds
// to a bill whose free tier is spent. The month scales the run's counts to 30
// days at the same rate, then applies the tiers and the free tiers, which are
// monthly. The SQS free tier covers the month's first requests; at a steady
// rate those are standard and FIFO in the run's proportion, so the free
// million is split between the two in that proportion. A KMS data key is
// projected at its observed rate of new keys, but never more than one per
// reuse period: scaling a run shorter than the period would count its one
// key many times over.
//
// Not modelled: data transfer out of the region, the Amazon S3 charges of the
// Extended Client Library, and any surcharge specific to fair queues.
//
// Thread safety: a CostMeter is not synchronized; a load test records from
// its one simulation thread. Reports and price tables are plain values.

#ifndef SQSIM_LOADTEST_COST_H_
#define SQSIM_LOADTEST_COST_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sqsim/actions.h"
#include "sqsim/loadtest/report.h"
#include "sqsim/types.h"

namespace sqsim::loadtest {

// One band of a monthly volume-tier price: requests of the month below
// `up_to_requests_per_month` (and above the previous tier's bound) cost
// `usd_per_million` per million. 0 means no upper bound. Past a bounded last
// tier, its price continues.
struct PriceTier {
  uint64_t up_to_requests_per_month = 0;
  double usd_per_million = 0;
};

// Prices. The defaults are us-east-1 (N. Virginia) as read on 2026-12-06
// from stored copies of https://aws.amazon.com/sqs/pricing/ and
// https://aws.amazon.com/kms/pricing/ (the pages carry no date of their
// own). The SQS page's table per million requests:
//                                    standard   FIFO
//   first 1 million / month          free       free   (one allowance)
//   1 million to 100 billion         $0.40      $0.50
//   100 billion to 200 billion       $0.30      $0.40
//   over 200 billion                 $0.24      $0.35
// Here the tiers are read from zero and the free million is taken off the
// bottom of them, which gives the table's prices for one queue type.
// Replace any member for another region or a newer price list.
struct PriceTable {
  std::string region = "us-east-1";
  // The day the prices were read, and from where (shown in reports).
  std::string taken_on = "2026-12-06";
  std::string source = "https://aws.amazon.com/sqs/pricing/";
  // Tiers by the month's billed requests of that queue type, increasing.
  std::vector<PriceTier> standard = {{100'000'000'000, 0.40}, {200'000'000'000, 0.30}, {0, 0.24}};
  std::vector<PriceTier> fifo = {{100'000'000'000, 0.50}, {200'000'000'000, 0.40}, {0, 0.35}};
  // Free SQS requests a month, standard and FIFO together.
  uint64_t free_requests_per_month = 1'000'000;
  // Each chunk of a call's payload (or part of one) is billed as a request;
  // 0 or less: every call is one request.
  int64_t payload_chunk_bytes = 64 * 1024;
  // KMS symmetric-key requests (GenerateDataKey, Decrypt).
  double kms_usd_per_10k_requests = 0.03;
  uint64_t kms_free_requests_per_month = 20'000;

  // The defaults above, by name.
  static PriceTable UsEast1() { return PriceTable{}; }
};

// One SQS call, as the meter needs it. The string views are read during
// Record only.
struct BillableCall {
  Action action{};
  // The call's queue is a FIFO queue (priced at FIFO rates for sending,
  // receiving, deleting and changing visibility).
  bool fifo = false;
  // Bytes billed in chunks of PriceTable::payload_chunk_bytes (64 KiB):
  // sends, the request's messages; receives, the returned messages; other
  // actions, 0.
  int64_t payload_bytes = 0;
  // Messages the call encrypted (sent and accepted) or decrypted (received);
  // only calls with messages use a KMS data key.
  int messages = 0;
  // Who called on which queue, and when: the KMS data keys are per queue and
  // principal, and last the reuse period from when they were made.
  std::string_view queue{};
  std::string_view principal{};
  Timestamp time{};
  // The queue uses SSE-KMS, with this KmsDataKeyReusePeriodSeconds.
  bool kms = false;
  Duration kms_data_key_reuse_period = std::chrono::minutes(5);
};

// Counts for one action.
struct ActionCost {
  Action action{};
  uint64_t calls = 0;
  // Requests billed, after the 64 KiB chunking.
  uint64_t billed_requests = 0;
  // Of billed_requests, those at FIFO rates.
  uint64_t fifo_billed_requests = 0;
};

// What the recorded calls cost. "Run" is what was recorded, priced at list
// price without free tiers; "monthly" is the run projected to 30 days at the
// same rate with the tiers and the free tiers applied (fractional counts:
// projections, not calls).
struct CostReport {
  PriceTable prices{};
  Duration elapsed{};
  // 30 days / elapsed: the monthly request counts are the run's times this
  // factor (KMS aside). 0 when elapsed <= 0: no projection, monthly zero.
  double month_scale = 0;

  // Actions that were called, in Action order.
  std::vector<ActionCost> actions{};
  uint64_t calls = 0;
  uint64_t standard_billed_requests = 0;
  uint64_t fifo_billed_requests = 0;
  uint64_t kms_generate_data_key_requests = 0;
  uint64_t kms_decrypt_requests = 0;

  double run_sqs_usd = 0;
  double run_kms_usd = 0;
  double run_usd = 0;

  double monthly_standard_requests = 0;
  double monthly_fifo_requests = 0;
  // The SQS free tier used: at most PriceTable::free_requests_per_month.
  double monthly_free_requests = 0;
  double monthly_kms_generate_data_key_requests = 0;
  double monthly_kms_decrypt_requests = 0;
  double monthly_kms_requests = 0;  // the two above
  double monthly_kms_free_requests = 0;
  double monthly_sqs_usd = 0;
  double monthly_kms_usd = 0;
  double monthly_usd = 0;

  // A table for reports (report.h): one row per called action's billed
  // requests, then the totals, free tiers, KMS requests and dollars; columns
  // "run" and "30-day month". Deterministic text.
  Table ToTable() const;
};

// Counts billable SQS calls and KMS data-key requests.
class CostMeter {
 public:
  explicit CostMeter(PriceTable prices = PriceTable::UsEast1());

  // Counts one SQS call. O(1); allocates only the first time a (queue,
  // principal) pair uses a KMS data key. Calls of one queue and principal
  // should come in time order: a call before the key's start reuses it.
  void Record(const BillableCall& call);

  // The costs of everything recorded, for a run that lasted `elapsed`.
  CostReport Report(Duration elapsed) const;

  const PriceTable& prices() const { return prices_; }

 private:
  // A KMS data key of one queue and principal, for sending or receiving.
  struct DataKeyId {
    std::string_view queue;
    std::string_view principal;
    bool for_sending = false;
  };
  struct StoredDataKeyId {
    std::string queue;
    std::string principal;
    bool for_sending = false;
  };
  struct DataKeyIdHash {
    using is_transparent = void;
    size_t operator()(const DataKeyId& id) const;
    size_t operator()(const StoredDataKeyId& id) const;
  };
  struct DataKeyIdEqual {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return a.for_sending == b.for_sending && std::string_view(a.queue) == b.queue &&
             std::string_view(a.principal) == b.principal;
    }
  };
  struct DataKey {
    Timestamp expires{};
    Duration reuse_period{};
    uint64_t generated = 0;
  };

  void RecordKms(const BillableCall& call);

  PriceTable prices_;
  std::array<ActionCost, kActionCount> actions_{};
  uint64_t kms_generate_data_key_ = 0;
  uint64_t kms_decrypt_ = 0;
  // Iteration order never reaches a report: Report sorts the keys first.
  std::unordered_map<StoredDataKeyId, DataKey, DataKeyIdHash, DataKeyIdEqual> data_keys_;
};

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_COST_H_
