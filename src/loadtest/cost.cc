// CostMeter and CostReport: the billing rules are in sqsim/loadtest/cost.h.

#include "sqsim/loadtest/cost.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace sqsim::loadtest {
namespace {

constexpr double kMonthSeconds = 30.0 * 24 * 60 * 60;
constexpr double kMicrosPerSecond = 1e6;

// The FIFO rate applies to these actions on FIFO queues only (the pricing
// page's "FIFO Requests"); everything else is a standard request.
bool ChargedAtFifoRate(Action action) {
  switch (action) {
    case Action::kSendMessage:
    case Action::kSendMessageBatch:
    case Action::kReceiveMessage:
    case Action::kDeleteMessage:
    case Action::kDeleteMessageBatch:
    case Action::kChangeMessageVisibility:
    case Action::kChangeMessageVisibilityBatch:
      return true;
    default:
      return false;
  }
}

bool Sends(Action action) {
  return action == Action::kSendMessage || action == Action::kSendMessageBatch;
}

uint64_t BilledRequests(int64_t payload_bytes, int64_t chunk_bytes) {
  if (chunk_bytes <= 0 || payload_bytes <= chunk_bytes) return 1;
  return static_cast<uint64_t>((payload_bytes - 1) / chunk_bytes + 1);
}

// USD for the month's requests numbered [from, to) along `tiers`.
double TieredUsd(const std::vector<PriceTier>& tiers, double from, double to) {
  double usd = 0;
  double lower = 0;
  for (size_t i = 0; i < tiers.size() && lower < to; ++i) {
    const bool unbounded = i + 1 == tiers.size() || tiers[i].up_to_requests_per_month == 0;
    const double upper = unbounded ? std::numeric_limits<double>::infinity()
                                   : static_cast<double>(tiers[i].up_to_requests_per_month);
    const double in_tier = std::min(to, upper) - std::max(from, lower);
    if (in_tier > 0) usd += in_tier * tiers[i].usd_per_million / 1e6;
    lower = upper;
  }
  return usd;
}

double KmsUsd(double requests, const PriceTable& prices) {
  return requests * prices.kms_usd_per_10k_requests / 1e4;
}

double Seconds(Duration d) { return static_cast<double>(d.count()) / kMicrosPerSecond; }

std::string FormatCount(double count) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", std::round(count));
  return text;
}

std::string FormatCount(uint64_t count) {
  char text[32];
  std::snprintf(text, sizeof text, "%" PRIu64, count);
  return text;
}

// Cents, except for less than a cent (a short run's cost), which shows two
// significant digits so that it does not read 0.00.
std::string FormatUsd(double usd) {
  int decimals = 2;
  if (usd != 0 && std::abs(usd) < 0.01) {
    decimals = std::min(12, 1 - static_cast<int>(std::floor(std::log10(std::abs(usd)))));
  }
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, usd);
  return text;
}

}  // namespace

size_t CostMeter::DataKeyIdHash::operator()(const DataKeyId& id) const {
  const size_t queue = std::hash<std::string_view>()(id.queue);
  const size_t principal = std::hash<std::string_view>()(id.principal);
  return (queue * 31 + principal) * 2 + (id.for_sending ? 1 : 0);
}

size_t CostMeter::DataKeyIdHash::operator()(const StoredDataKeyId& id) const {
  return (*this)(DataKeyId{id.queue, id.principal, id.for_sending});
}

CostMeter::CostMeter(PriceTable prices) : prices_(std::move(prices)) {
  for (size_t i = 0; i < actions_.size(); ++i) actions_[i].action = static_cast<Action>(i);
}

void CostMeter::Record(const BillableCall& call) {
  ActionCost& counts = actions_[static_cast<size_t>(call.action)];
  const uint64_t billed = BilledRequests(call.payload_bytes, prices_.payload_chunk_bytes);
  ++counts.calls;
  counts.billed_requests += billed;
  if (call.fifo && ChargedAtFifoRate(call.action)) counts.fifo_billed_requests += billed;
  const bool uses_data_key = Sends(call.action) || call.action == Action::kReceiveMessage;
  if (call.kms && call.messages > 0 && uses_data_key) RecordKms(call);
}

void CostMeter::RecordKms(const BillableCall& call) {
  const bool sending = Sends(call.action);
  auto it = data_keys_.find(DataKeyId{call.queue, call.principal, sending});
  if (it == data_keys_.end()) {
    it =
        data_keys_
            .emplace(StoredDataKeyId{std::string(call.queue), std::string(call.principal), sending},
                     DataKey{})
            .first;
  }
  DataKey& key = it->second;
  key.reuse_period = call.kms_data_key_reuse_period;
  if (key.generated > 0 && call.time < key.expires) return;
  key.expires = ClampedAdd(call.time, call.kms_data_key_reuse_period);
  ++key.generated;
  // A new sending key is generated and then decrypted to verify it; a
  // receiving key is only decrypted.
  if (sending) ++kms_generate_data_key_;
  ++kms_decrypt_;
}

CostReport CostMeter::Report(Duration elapsed) const {
  CostReport report;
  report.prices = prices_;
  report.elapsed = elapsed;
  for (const ActionCost& counts : actions_) {
    if (counts.calls == 0) continue;
    report.actions.push_back(counts);
    report.calls += counts.calls;
    report.fifo_billed_requests += counts.fifo_billed_requests;
    report.standard_billed_requests += counts.billed_requests - counts.fifo_billed_requests;
  }
  report.kms_generate_data_key_requests = kms_generate_data_key_;
  report.kms_decrypt_requests = kms_decrypt_;

  const auto standard = static_cast<double>(report.standard_billed_requests);
  const auto fifo = static_cast<double>(report.fifo_billed_requests);
  report.run_sqs_usd = TieredUsd(prices_.standard, 0, standard) + TieredUsd(prices_.fifo, 0, fifo);
  report.run_kms_usd = KmsUsd(static_cast<double>(kms_generate_data_key_ + kms_decrypt_), prices_);
  report.run_usd = report.run_sqs_usd + report.run_kms_usd;

  if (elapsed <= Duration::zero()) return report;
  const double run_seconds = Seconds(elapsed);
  report.month_scale = kMonthSeconds / run_seconds;

  report.monthly_standard_requests = standard * report.month_scale;
  report.monthly_fifo_requests = fifo * report.month_scale;
  const double monthly_requests = report.monthly_standard_requests + report.monthly_fifo_requests;
  report.monthly_free_requests =
      std::min(static_cast<double>(prices_.free_requests_per_month), monthly_requests);
  const double standard_share =
      monthly_requests > 0 ? report.monthly_standard_requests / monthly_requests : 0;
  const double free_standard = report.monthly_free_requests * standard_share;
  const double free_fifo = report.monthly_free_requests - free_standard;
  report.monthly_sqs_usd =
      TieredUsd(prices_.standard, free_standard, report.monthly_standard_requests) +
      TieredUsd(prices_.fifo, free_fifo, report.monthly_fifo_requests);

  // Each data key at its observed rate of new keys, at most one per reuse
  // period. Summed in key order so that the total's rounding never depends
  // on the hash table's layout.
  struct Projection {
    std::string_view queue;
    std::string_view principal;
    bool for_sending;
    double keys_per_month;
  };
  std::vector<Projection> projections;
  projections.reserve(data_keys_.size());
  for (const auto& [id, key] : data_keys_) {
    const auto generated = static_cast<double>(key.generated);
    const double covered_seconds = std::max(run_seconds, generated * Seconds(key.reuse_period));
    projections.push_back(
        {id.queue, id.principal, id.for_sending, generated / covered_seconds * kMonthSeconds});
  }
  std::sort(projections.begin(), projections.end(), [](const Projection& a, const Projection& b) {
    return std::tie(a.queue, a.principal, a.for_sending) <
           std::tie(b.queue, b.principal, b.for_sending);
  });
  double generate_data_key = 0;
  double decrypt = 0;
  for (const Projection& projection : projections) {
    if (projection.for_sending) generate_data_key += projection.keys_per_month;
    decrypt += projection.keys_per_month;
  }
  report.monthly_kms_generate_data_key_requests = generate_data_key;
  report.monthly_kms_decrypt_requests = decrypt;
  report.monthly_kms_requests = generate_data_key + decrypt;
  report.monthly_kms_free_requests = std::min(
      static_cast<double>(prices_.kms_free_requests_per_month), report.monthly_kms_requests);
  report.monthly_kms_usd =
      KmsUsd(report.monthly_kms_requests - report.monthly_kms_free_requests, prices_);
  report.monthly_usd = report.monthly_sqs_usd + report.monthly_kms_usd;
  return report;
}

Table CostReport::ToTable() const {
  Table table;
  table.title =
      "Cost (" + prices.region + " prices of " + prices.taken_on + ", " + prices.source + ")";
  table.header = {"item", "run", "30-day month"};
  const bool projected = month_scale > 0;
  auto month_count = [&](double count) { return projected ? FormatCount(count) : "-"; };
  auto month_usd = [&](double usd) { return projected ? FormatUsd(usd) : "-"; };
  for (const ActionCost& counts : actions) {
    table.rows.push_back({std::string(ActionName(counts.action)) + " requests",
                          FormatCount(counts.billed_requests),
                          month_count(static_cast<double>(counts.billed_requests) * month_scale)});
  }
  table.rows.push_back({"standard-rate requests", FormatCount(standard_billed_requests),
                        month_count(monthly_standard_requests)});
  table.rows.push_back({"FIFO-rate requests", FormatCount(fifo_billed_requests),
                        month_count(monthly_fifo_requests)});
  table.rows.push_back({"free requests", "0", month_count(monthly_free_requests)});
  table.rows.push_back({"SQS USD", FormatUsd(run_sqs_usd), month_usd(monthly_sqs_usd)});
  if (kms_generate_data_key_requests + kms_decrypt_requests > 0) {
    table.rows.push_back({"KMS GenerateDataKey requests",
                          FormatCount(kms_generate_data_key_requests),
                          month_count(monthly_kms_generate_data_key_requests)});
    table.rows.push_back({"KMS Decrypt requests", FormatCount(kms_decrypt_requests),
                          month_count(monthly_kms_decrypt_requests)});
    table.rows.push_back({"KMS free requests", "0", month_count(monthly_kms_free_requests)});
    table.rows.push_back({"KMS USD", FormatUsd(run_kms_usd), month_usd(monthly_kms_usd)});
  }
  table.rows.push_back({"total USD", FormatUsd(run_usd), month_usd(monthly_usd)});
  return table;
}

}  // namespace sqsim::loadtest
