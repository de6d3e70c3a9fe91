// CostMeter: SQS request billing (64 KiB chunks, batches, FIFO rates, tiers,
// the shared free tier), KMS data-key reuse, the monthly projection and the
// report table. Expected values are worked out by hand from the prices.

#include "sqsim/loadtest/cost.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sqsim::loadtest {
namespace cost_test {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kKiB = 1024;
constexpr Duration kThirtyDays = 30 * 24h;

Timestamp At(Duration since_start) { return Timestamp{} + since_start; }

BillableCall Call(Action action, int64_t payload_bytes = 0) {
  return {.action = action, .payload_bytes = payload_bytes};
}

BillableCall FifoCall(Action action, int64_t payload_bytes = 0) {
  return {.action = action, .fifo = true, .payload_bytes = payload_bytes};
}

// A one-message send to, or receive from, an SSE-KMS queue.
BillableCall KmsSend(std::string_view queue, std::string_view principal, Duration at,
                     Duration reuse_period = 5min) {
  return {.action = Action::kSendMessage,
          .payload_bytes = 100,
          .messages = 1,
          .queue = queue,
          .principal = principal,
          .time = At(at),
          .kms = true,
          .kms_data_key_reuse_period = reuse_period};
}

BillableCall KmsReceive(std::string_view queue, std::string_view principal, Duration at,
                        int messages = 1, Duration reuse_period = 5min) {
  return {.action = Action::kReceiveMessage,
          .payload_bytes = 100 * messages,
          .messages = messages,
          .queue = queue,
          .principal = principal,
          .time = At(at),
          .kms = true,
          .kms_data_key_reuse_period = reuse_period};
}

uint64_t BilledFor(Action action, int64_t payload_bytes) {
  CostMeter meter;
  meter.Record(Call(action, payload_bytes));
  return meter.Report(1h).standard_billed_requests;
}

TEST(CostMeter, CallWithoutPayloadIsOneRequest) {
  CostMeter meter;
  meter.Record(Call(Action::kGetQueueUrl));
  const CostReport report = meter.Report(1h);
  ASSERT_EQ(report.actions.size(), 1u);
  EXPECT_EQ(report.actions[0].action, Action::kGetQueueUrl);
  EXPECT_EQ(report.actions[0].calls, 1u);
  EXPECT_EQ(report.actions[0].billed_requests, 1u);
  EXPECT_EQ(report.calls, 1u);
}

TEST(CostMeter, PayloadIsBilledPerStartedChunkOf64KiB) {
  EXPECT_EQ(BilledFor(Action::kSendMessage, 1), 1u);
  EXPECT_EQ(BilledFor(Action::kSendMessage, 64 * kKiB), 1u);
  EXPECT_EQ(BilledFor(Action::kSendMessage, 64 * kKiB + 1), 2u);
  EXPECT_EQ(BilledFor(Action::kSendMessage, 128 * kKiB), 2u);
  EXPECT_EQ(BilledFor(Action::kSendMessage, 128 * kKiB + 1), 3u);
  EXPECT_EQ(BilledFor(Action::kSendMessage, 256 * kKiB),
            4u);  // the pricing page's example
}

TEST(CostMeter, BatchIsOneRequestChunkedByItsTotalPayload) {
  // Ten 1 KiB messages: 10 KiB in one call.
  EXPECT_EQ(BilledFor(Action::kSendMessageBatch, 10 * kKiB), 1u);
  // Ten 10 KiB messages: 100 KiB, two chunks.
  EXPECT_EQ(BilledFor(Action::kSendMessageBatch, 100 * kKiB), 2u);
  EXPECT_EQ(BilledFor(Action::kDeleteMessageBatch, 0), 1u);
}

TEST(CostMeter, EmptyReceiveIsBilledAsOneRequest) {
  EXPECT_EQ(BilledFor(Action::kReceiveMessage, 0), 1u);
}

TEST(CostMeter, ReceiveIsBilledByTheReturnedMessagesPayload) {
  EXPECT_EQ(BilledFor(Action::kReceiveMessage, 3 * 64 * kKiB), 3u);
}

TEST(CostMeter, FifoRateAppliesToMessageActionsOnFifoQueuesOnly) {
  CostMeter meter;
  meter.Record(FifoCall(Action::kSendMessage));
  meter.Record(FifoCall(Action::kReceiveMessage));
  meter.Record(FifoCall(Action::kDeleteMessageBatch));
  meter.Record(FifoCall(Action::kChangeMessageVisibility));
  meter.Record(FifoCall(Action::kGetQueueAttributes));  // standard rate on a FIFO queue
  meter.Record(FifoCall(Action::kCreateQueue));
  meter.Record(Call(Action::kSendMessage));  // standard queue
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.fifo_billed_requests, 4u);
  EXPECT_EQ(report.standard_billed_requests, 3u);
}

TEST(CostMeter, ReportsEachActionsFifoShareInActionOrder) {
  CostMeter meter;
  meter.Record(FifoCall(Action::kSendMessage));
  meter.Record(Call(Action::kSendMessage, 100 * kKiB));
  meter.Record(FifoCall(Action::kGetQueueAttributes));
  const CostReport report = meter.Report(1h);
  ASSERT_EQ(report.actions.size(), 2u);
  EXPECT_EQ(report.actions[0].action, Action::kGetQueueAttributes);
  EXPECT_EQ(report.actions[0].fifo_billed_requests, 0u);
  EXPECT_EQ(report.actions[1].action, Action::kSendMessage);
  EXPECT_EQ(report.actions[1].calls, 2u);
  EXPECT_EQ(report.actions[1].billed_requests, 3u);
  EXPECT_EQ(report.actions[1].fifo_billed_requests, 1u);
}

TEST(CostMeter, AMillionStandardRequestsCost40Cents) {
  CostMeter meter;
  // 1,000 calls of 1,000 chunks each: 1,000,000 billed requests.
  for (int i = 0; i < 1000; ++i) meter.Record(Call(Action::kSendMessage, 1000 * 64 * kKiB));
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.standard_billed_requests, 1'000'000u);
  EXPECT_NEAR(report.run_sqs_usd, 0.40, 1e-12);
}

TEST(CostMeter, AMillionFifoRequestsCost50Cents) {
  CostMeter meter;
  for (int i = 0; i < 1000; ++i) meter.Record(FifoCall(Action::kSendMessage, 1000 * 64 * kKiB));
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.fifo_billed_requests, 1'000'000u);
  EXPECT_NEAR(report.run_sqs_usd, 0.50, 1e-12);
}

TEST(CostMeter, VolumeTiersLowerThePriceOfTheRequestsAboveThem) {
  CostMeter meter;
  // One call billed as 150 billion requests: 100 billion at $0.40 per
  // million and 50 billion at $0.30 = $40,000 + $15,000.
  meter.Record(Call(Action::kSendMessage, int64_t{150'000'000'000} * 64 * kKiB));
  EXPECT_NEAR(meter.Report(1h).run_sqs_usd, 55'000.0, 1e-6);
}

TEST(CostMeter, RunCostIgnoresTheFreeTier) {
  CostMeter meter;
  for (int i = 0; i < 1000; ++i) meter.Record(Call(Action::kDeleteMessage));
  // 1,000 requests at $0.40 per million, though a month of them is free.
  EXPECT_NEAR(meter.Report(1h).run_sqs_usd, 0.0004, 1e-15);
}

TEST(CostMeter, MonthlyProjectionScalesTheRunToThirtyDays) {
  CostMeter meter;
  for (int i = 0; i < 10'000; ++i) meter.Record(Call(Action::kSendMessage));
  const CostReport report = meter.Report(1h);
  // 720 hours in 30 days: 7,200,000 requests, 6,200,000 after the free
  // million, at $0.40 per million.
  EXPECT_DOUBLE_EQ(report.month_scale, 720.0);
  EXPECT_DOUBLE_EQ(report.monthly_standard_requests, 7'200'000.0);
  EXPECT_DOUBLE_EQ(report.monthly_free_requests, 1'000'000.0);
  EXPECT_NEAR(report.monthly_sqs_usd, 2.48, 1e-12);
  EXPECT_NEAR(report.monthly_usd, 2.48, 1e-12);
}

TEST(CostMeter, FreeTierCoversAMonthBelowAMillionRequests) {
  CostMeter meter;
  for (int i = 0; i < 1000; ++i) meter.Record(Call(Action::kReceiveMessage));
  const CostReport report = meter.Report(1h);
  EXPECT_DOUBLE_EQ(report.monthly_standard_requests, 720'000.0);
  EXPECT_DOUBLE_EQ(report.monthly_free_requests, 720'000.0);
  EXPECT_EQ(report.monthly_sqs_usd, 0.0);
}

TEST(CostMeter, FreeTierIsOneMillionSharedByStandardAndFifo) {
  CostMeter meter;
  for (int i = 0; i < 2000; ++i) {
    meter.Record(Call(Action::kSendMessage));
    meter.Record(FifoCall(Action::kSendMessage));
  }
  const CostReport report = meter.Report(1h);
  // 1,440,000 of each a month; the free million splits 500,000 / 500,000:
  // 940,000 * $0.40 + 940,000 * $0.50 per million.
  EXPECT_DOUBLE_EQ(report.monthly_free_requests, 1'000'000.0);
  EXPECT_NEAR(report.monthly_sqs_usd, 0.376 + 0.47, 1e-12);
}

TEST(CostMeter, FreeTierComesOffTheCheapestEndOfTheTiers) {
  PriceTable prices;
  prices.standard = {{1000, 1.0}, {0, 0.5}};
  prices.free_requests_per_month = 500;
  CostMeter meter(prices);
  for (int i = 0; i < 1500; ++i) meter.Record(Call(Action::kDeleteMessage));
  // Over 30 days the month is the run: requests 500..1000 at $1 per
  // million, 1000..1500 at $0.50.
  EXPECT_NEAR(meter.Report(kThirtyDays).monthly_sqs_usd, 0.0005 + 0.00025, 1e-15);
}

TEST(CostMeter, UsesAReplacedPriceTable) {
  PriceTable prices;
  prices.region = "test-region";
  prices.standard = {{0, 2.0}};
  prices.payload_chunk_bytes = 1000;
  CostMeter meter(prices);
  meter.Record(Call(Action::kSendMessage, 2500));  // three 1,000-byte chunks
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.standard_billed_requests, 3u);
  EXPECT_NEAR(report.run_sqs_usd, 6e-6, 1e-18);
  EXPECT_EQ(report.prices.region, "test-region");
}

TEST(CostMeter, DefaultPricesAreUsEast1) {
  const PriceTable prices = PriceTable::UsEast1();
  EXPECT_EQ(prices.region, "us-east-1");
  EXPECT_EQ(prices.standard.size(), 3u);
  EXPECT_EQ(prices.standard[0].up_to_requests_per_month, 100'000'000'000u);
  EXPECT_EQ(prices.standard[0].usd_per_million, 0.40);
  EXPECT_EQ(prices.standard[1].up_to_requests_per_month, 200'000'000'000u);
  EXPECT_EQ(prices.standard[1].usd_per_million, 0.30);
  EXPECT_EQ(prices.standard[2].usd_per_million, 0.24);
  EXPECT_EQ(prices.fifo.size(), 3u);
  EXPECT_EQ(prices.fifo[0].usd_per_million, 0.50);
  EXPECT_EQ(prices.fifo[1].usd_per_million, 0.40);
  EXPECT_EQ(prices.fifo[2].usd_per_million, 0.35);
  EXPECT_EQ(prices.free_requests_per_month, 1'000'000u);
  EXPECT_EQ(prices.payload_chunk_bytes, 65'536);
  EXPECT_EQ(prices.kms_usd_per_10k_requests, 0.03);
  EXPECT_EQ(prices.kms_free_requests_per_month, 20'000u);
}

TEST(CostMeter, KmsSendMakesANewDataKeyOncePerReusePeriod) {
  CostMeter meter;
  for (Duration at : {0s, 100s, 119s, 120s, 239s, 240s}) {
    meter.Record(KmsSend("orders", "producer", at, 2min));
  }
  // Keys made at 0 s, 120 s and 240 s, each GenerateDataKey then Decrypt.
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.kms_generate_data_key_requests, 3u);
  EXPECT_EQ(report.kms_decrypt_requests, 3u);
}

TEST(CostMeter, KmsReceiveDecryptsOncePerReusePeriod) {
  CostMeter meter;
  for (Duration at : {0s, 299s, 300s}) meter.Record(KmsReceive("orders", "consumer", at));
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.kms_generate_data_key_requests, 0u);
  EXPECT_EQ(report.kms_decrypt_requests, 2u);
}

TEST(CostMeter, KmsDataKeysAreNotSharedBetweenPrincipals) {
  CostMeter meter;
  meter.Record(KmsSend("orders", "producer-a", 0s));
  meter.Record(KmsSend("orders", "producer-b", 1s));
  EXPECT_EQ(meter.Report(1h).kms_generate_data_key_requests, 2u);
}

TEST(CostMeter, KmsDataKeysAreNotSharedBetweenQueues) {
  CostMeter meter;
  meter.Record(KmsSend("orders", "producer", 0s));
  meter.Record(KmsSend("invoices", "producer", 1s));
  EXPECT_EQ(meter.Report(1h).kms_generate_data_key_requests, 2u);
}

TEST(CostMeter, KmsKeysForSendingAndReceivingAreSeparate) {
  CostMeter meter;
  meter.Record(KmsSend("orders", "worker", 0s));
  meter.Record(KmsReceive("orders", "worker", 1s));
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.kms_generate_data_key_requests, 1u);
  EXPECT_EQ(report.kms_decrypt_requests, 2u);
}

TEST(CostMeter, KmsIsNotCalledWithoutMessagesToEncryptOrDecrypt) {
  CostMeter meter;
  meter.Record(KmsReceive("orders", "consumer", 0s, /*messages=*/0));
  BillableCall rejected_send = KmsSend("orders", "producer", 0s);
  rejected_send.messages = 0;
  meter.Record(rejected_send);
  BillableCall delete_call = KmsSend("orders", "consumer", 0s);
  delete_call.action = Action::kDeleteMessage;
  meter.Record(delete_call);
  BillableCall unencrypted = KmsSend("orders", "producer", 0s);
  unencrypted.kms = false;
  meter.Record(unencrypted);
  const CostReport report = meter.Report(1h);
  EXPECT_EQ(report.kms_generate_data_key_requests + report.kms_decrypt_requests, 0u);
}

TEST(CostMeter, KmsRequestsMatchTheDeveloperGuidesEstimate) {
  // The guide's example 1: January (2,678,400 s), a 300 s reuse period, one
  // producing and one consuming principal: 2,678,400 / 300 * (2 * 1 + 1) =
  // 26,784 requests.
  CostMeter meter;
  for (Duration at = 0s; at < 2'678'400s; at += 10s) {
    meter.Record(KmsSend("orders", "producer", at));
    meter.Record(KmsReceive("orders", "consumer", at + 5s));
  }
  const CostReport report = meter.Report(2'678'400s);
  EXPECT_EQ(report.kms_generate_data_key_requests + report.kms_decrypt_requests, 26'784u);
}

TEST(CostMeter, KmsRunCostHasNoFreeTier) {
  CostMeter meter;
  meter.Record(KmsSend("orders", "producer", 0s));
  meter.Record(KmsReceive("orders", "consumer", 0s));
  // Three requests at $0.03 per 10,000.
  EXPECT_NEAR(meter.Report(1h).run_kms_usd, 0.000009, 1e-18);
}

TEST(CostMeter, KmsProjectionCountsAtMostOneKeyPerReusePeriod) {
  CostMeter meter;
  for (Duration at = 0s; at < 60s; at += 1s) meter.Record(KmsSend("orders", "producer", at));
  const CostReport report = meter.Report(60s);
  // One key in a 60 s run with a 300 s period: 2,592,000 / 300 = 8,640 keys
  // a month, not 43,200 (the run's one key scaled by 30 days / 60 s).
  EXPECT_EQ(report.kms_generate_data_key_requests, 1u);
  EXPECT_NEAR(report.monthly_kms_generate_data_key_requests, 8'640.0, 1e-9);
  EXPECT_NEAR(report.monthly_kms_decrypt_requests, 8'640.0, 1e-9);
}

TEST(CostMeter, KmsProjectionFollowsSparseUse) {
  CostMeter meter;
  for (Duration at = 0s; at < 10h; at += 1h) meter.Record(KmsReceive("orders", "consumer", at));
  const CostReport report = meter.Report(10h);
  // A new key every hour (the 300 s period lapses between receives): 720 a
  // month.
  EXPECT_EQ(report.kms_decrypt_requests, 10u);
  EXPECT_NEAR(report.monthly_kms_decrypt_requests, 720.0, 1e-9);
}

TEST(CostMeter, KmsMonthlyCostAppliesTheKmsFreeTier) {
  CostMeter meter;
  for (std::string_view producer : {"p1", "p2", "p3"}) {
    meter.Record(KmsSend("orders", producer, 0s));
  }
  const CostReport report = meter.Report(60s);
  // 3 producers * 8,640 keys * 2 requests = 51,840 a month; 20,000 free;
  // 31,840 at $0.03 per 10,000.
  EXPECT_NEAR(report.monthly_kms_requests, 51'840.0, 1e-9);
  EXPECT_DOUBLE_EQ(report.monthly_kms_free_requests, 20'000.0);
  EXPECT_NEAR(report.monthly_kms_usd, 0.09552, 1e-12);
}

TEST(CostMeter, NoProjectionWithoutElapsedTime) {
  CostMeter meter;
  meter.Record(Call(Action::kSendMessage));
  const CostReport report = meter.Report(0s);
  EXPECT_EQ(report.month_scale, 0.0);
  EXPECT_EQ(report.monthly_standard_requests, 0.0);
  EXPECT_EQ(report.monthly_usd, 0.0);
  EXPECT_NEAR(report.run_usd, 0.0000004, 1e-18);
}

TEST(CostReport, ToTableShowsRequestsAndDollarsForRunAndMonth) {
  PriceTable prices;
  prices.taken_on = "2000-01-02";
  CostMeter meter(prices);
  meter.Record(Call(Action::kSendMessage, 100));
  meter.Record(Call(Action::kSendMessage, 70'000));  // 2 chunks
  meter.Record(Call(Action::kReceiveMessage));
  const Table table = meter.Report(1h).ToTable();
  EXPECT_EQ(table.title,
            "Cost (us-east-1 prices of 2000-01-02, "
            "https://aws.amazon.com/sqs/pricing/)");
  EXPECT_THAT(table.header, ElementsAre("item", "run", "30-day month"));
  // 4 requests: $0.0000016 for the run; 2,880 a month, all free.
  using Row = std::vector<std::string>;
  EXPECT_THAT(
      table.rows,
      ElementsAre(Row{"ReceiveMessage requests", "1", "720"},
                  Row{"SendMessage requests", "3", "2160"},
                  Row{"standard-rate requests", "4", "2880"}, Row{"FIFO-rate requests", "0", "0"},
                  Row{"free requests", "0", "2880"}, Row{"SQS USD", "0.0000016", "0.00"},
                  Row{"total USD", "0.0000016", "0.00"}));
}

TEST(CostReport, ToTableAddsKmsRowsWhenKmsWasCalled) {
  CostMeter meter;
  meter.Record(KmsSend("orders", "producer", 0s));
  const Table table = meter.Report(60s).ToTable();
  // 8,640 keys a month (one per 300 s), each GenerateDataKey + Decrypt:
  // 17,280 requests, all within the free 20,000.
  using Row = std::vector<std::string>;
  EXPECT_THAT(
      table.rows,
      ElementsAre(Row{"SendMessage requests", "1", "43200"},
                  Row{"standard-rate requests", "1", "43200"}, Row{"FIFO-rate requests", "0", "0"},
                  Row{"free requests", "0", "43200"}, Row{"SQS USD", "0.00000040", "0.00"},
                  Row{"KMS GenerateDataKey requests", "1", "8640"},
                  Row{"KMS Decrypt requests", "1", "8640"}, Row{"KMS free requests", "0", "17280"},
                  Row{"KMS USD", "0.0000060", "0.00"}, Row{"total USD", "0.0000064", "0.00"}));
}

TEST(CostReport, ToTableLeavesTheMonthBlankWithoutElapsedTime) {
  CostMeter meter;
  meter.Record(Call(Action::kSendMessage));
  const Table table = meter.Report(0s).ToTable();
  ASSERT_THAT(table.rows, ::testing::Not(IsEmpty()));
  for (const auto& row : table.rows) EXPECT_EQ(row[2], "-") << row[0];
}

}  // namespace cost_test
}  // namespace sqsim::loadtest
