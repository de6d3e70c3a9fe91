#include "sqsim/testing/history.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "sqsim/status.h"

namespace sqsim::testing {

namespace {

// Summaries stay one line however large the run: lists show this many items.
constexpr size_t kPreviewItems = 5;

// "a, b, c, ... 4 more": the first kPreviewItems of `items`.
std::string Preview(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < kPreviewItems; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > kPreviewItems) {
    out += ", ... " + std::to_string(items.size() - kPreviewItems) + " more";
  }
  return out;
}

// Built by appending: GCC 12 at -O3 misreads "#" + std::to_string(index) as
// an overlapping memcpy (-Wrestrict, GCC bug 105329).
std::string OpRef(int64_t index) {
  std::string ref = "#";
  ref += std::to_string(index);
  return ref;
}

// "12.345s": durations in violations, to the millisecond.
std::string FormatSeconds(Duration d) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%lld.%03llds", static_cast<long long>(ms / 1000),
                static_cast<long long>(ms % 1000));
  return buffer;
}

// "HH:MM:SS.mmm", the UTC time of day of `t` (floored, also before 1970).
std::string FormatTimeOfDay(Timestamp t) {
  constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
  int64_t us = t.time_since_epoch().count() % kMicrosPerDay;
  if (us < 0) us += kMicrosPerDay;
  const int64_t ms = us / 1000;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d.%03d", static_cast<int>(ms / 3600000),
                static_cast<int>(ms / 60000 % 60), static_cast<int>(ms / 1000 % 60),
                static_cast<int>(ms % 1000));
  return buffer;
}

bool Succeeded(const Operation& op, OpType type) {
  return op.type == type && op.outcome == OpOutcome::kOk;
}

// A violation found at history index `at`; sorting by it gives history order.
struct Found {
  int64_t at = 0;
  std::string text;
  friend bool operator<(const Found& a, const Found& b) {
    return std::tie(a.at, a.text) < std::tie(b.at, b.text);
  }
};

std::vector<std::string> SortedTexts(std::vector<Found> found) {
  std::sort(found.begin(), found.end());
  std::vector<std::string> texts;
  texts.reserve(found.size());
  for (Found& f : found) texts.push_back(std::move(f.text));
  return texts;
}

// Fills `ok` and `summary` for the checkers that only produce violations:
// "<prefix>, violations N" plus the first violation, so one line says what broke.
void Conclude(CheckResult& result, const std::string& prefix) {
  result.ok = result.violations.empty();
  result.summary = prefix + ", violations " + std::to_string(result.violations.size());
  if (!result.ok) result.summary += " (first: " + result.violations.front() + ")";
}

// What the queue checker learns about one value.
struct ValueFacts {
  bool attempted = false;
  int64_t first_ack = -1;  // index of the first kSend kOk, -1 if none
  std::vector<int64_t> processed;
  int64_t first_dead_letter = -1;
};

std::map<std::string, ValueFacts> CollectValueFacts(const History& history) {
  std::map<std::string, ValueFacts> facts;
  for (const Operation& op : history.operations()) {
    if (op.type == OpType::kSend) {
      ValueFacts& f = facts[op.value];
      f.attempted = true;
      if (op.outcome == OpOutcome::kOk && f.first_ack < 0) f.first_ack = op.index;
    } else if (Succeeded(op, OpType::kProcess)) {
      facts[op.value].processed.push_back(op.index);
    } else if (Succeeded(op, OpType::kDeadLetter)) {
      ValueFacts& f = facts[op.value];
      if (f.first_dead_letter < 0) f.first_dead_letter = op.index;
    }
  }
  return facts;
}

std::string QueueSummary(const CheckResult& r, bool allow_duplicates) {
  auto part = [](const char* name, const std::vector<std::string>& values, const char* qualifier) {
    std::string s = std::string(name) + " " + std::to_string(values.size()) + qualifier;
    if (!values.empty()) s += " (" + Preview(values) + ")";
    return s;
  };
  const bool allowed = allow_duplicates && !r.duplicated.empty();
  std::string summary = part("lost", r.lost, "") + ", " +
                        part("duplicated", r.duplicated, allowed ? " allowed" : "") + ", " +
                        part("unexpected", r.unexpected, "");
  if (!r.recovered.empty()) summary += ", " + part("recovered", r.recovered, "");
  return summary;
}

}  // namespace

std::string_view OpTypeName(OpType type) {
  switch (type) {
    case OpType::kSend:
      return "send";
    case OpType::kReceive:
      return "receive";
    case OpType::kProcess:
      return "process";
    case OpType::kDelete:
      return "delete";
    case OpType::kDeadLetter:
      return "dead-letter";
    case OpType::kCrash:
      return "crash";
    case OpType::kChangeVisibility:
      return "change-visibility";
    case OpType::kPause:
      return "pause";
    case OpType::kStop:
      return "stop";
  }
  return "?";
}

std::string_view OpOutcomeName(OpOutcome outcome) {
  switch (outcome) {
    case OpOutcome::kInvoked:
      return "invoked";
    case OpOutcome::kOk:
      return "ok";
    case OpOutcome::kFailed:
      return "failed";
    case OpOutcome::kUnknown:
      return "unknown";
  }
  return "?";
}

std::string FormatOperation(const Operation& op) {
  std::string line = OpRef(op.index) + " " + FormatTimeOfDay(op.time) + " " + op.actor + " ";
  line += OpTypeName(op.type);
  line += ' ';
  line += OpOutcomeName(op.outcome);
  if (!op.value.empty()) line += " " + op.value;
  std::vector<std::string> known;
  if (!op.queue.empty()) known.push_back("queue " + op.queue);
  if (!op.message_id.empty()) known.push_back("msg " + op.message_id);
  if (!op.group.empty()) known.push_back("group " + op.group);
  if (!op.deduplication_id.empty()) known.push_back("dedup " + op.deduplication_id);
  if (op.receive_count != 0) known.push_back("rc " + std::to_string(op.receive_count));
  if (!known.empty()) {
    line += " (";
    for (size_t i = 0; i < known.size(); ++i) {
      if (i > 0) line += ", ";
      line += known[i];
    }
    line += ')';
  }
  if (!op.detail.empty()) line += ": " + op.detail;
  return line;
}

int64_t History::Record(Operation op) {
  op.index = static_cast<int64_t>(operations_.size());
  operations_.push_back(std::move(op));
  return operations_.back().index;
}

std::string History::FormatLast(size_t n) const {
  std::string out;
  const size_t start = operations_.size() > n ? operations_.size() - n : 0;
  for (size_t i = start; i < operations_.size(); ++i) {
    out += FormatOperation(operations_[i]);
    out += '\n';
  }
  return out;
}

CheckResult CheckQueue(const History& history, QueueCheckOptions options) {
  CheckResult result{.checker = "queue"};
  std::vector<Found> found;
  // std::map iterates values in sorted order, so every list comes out sorted.
  for (const auto& [value, f] : CollectValueFacts(history)) {
    const bool processed = !f.processed.empty();
    const bool dead_lettered = f.first_dead_letter >= 0;
    if (f.first_ack >= 0 && !processed && !dead_lettered) {
      result.lost.push_back(value);
      found.push_back({f.first_ack, "lost " + value + ": sent ok at " + OpRef(f.first_ack) +
                                        ", never processed or dead-lettered"});
    }
    if (f.processed.size() > 1) {
      result.duplicated.push_back(value);
      std::vector<std::string> refs;
      for (int64_t i : f.processed) refs.push_back(OpRef(i));
      found.push_back({f.processed[1], "duplicated " + value + ": processed " +
                                           std::to_string(refs.size()) + " times (" +
                                           Preview(refs) + ")"});
    }
    if (!f.attempted && (processed || dead_lettered)) {
      result.unexpected.push_back(value);
      const std::string how = processed ? "processed at " + OpRef(f.processed.front())
                                        : "dead-lettered at " + OpRef(f.first_dead_letter);
      found.push_back({processed ? f.processed.front() : f.first_dead_letter,
                       "unexpected " + value + ": " + how + " but never sent"});
    }
    if (f.attempted && f.first_ack < 0 && processed) result.recovered.push_back(value);
  }
  result.violations = SortedTexts(std::move(found));
  result.ok = result.lost.empty() && result.unexpected.empty() &&
              (options.allow_duplicates || result.duplicated.empty());
  result.summary = QueueSummary(result, options.allow_duplicates);
  return result;
}

namespace {

// One FIFO message group's send order and how far its processing has got.
struct GroupOrder {
  std::map<std::string, std::set<int64_t>> positions;  // value -> its kSend kOk positions
  int64_t next_position = 0;
  // The furthest position processed so far, and by whom.
  int64_t high = -1;
  std::string high_value;
  int64_t high_index = -1;
  std::optional<std::string> last_value;  // processed most recently in this group
};

// (queue, group) -> order; (queue, value) -> group of its first kSend kOk.
struct FifoSends {
  std::map<std::pair<std::string, std::string>, GroupOrder> groups;
  std::map<std::pair<std::string, std::string>, std::string> first_group;
};

FifoSends CollectFifoSends(const History& history) {
  FifoSends sends;
  for (const Operation& op : history.operations()) {
    if (!Succeeded(op, OpType::kSend) || op.group.empty()) continue;
    GroupOrder& order = sends.groups[{op.queue, op.group}];
    order.positions[op.value].insert(order.next_position++);
    sends.first_group.try_emplace({op.queue, op.value}, op.group);
  }
  return sends;
}

// Checks one kProcess kOk against its group; returns a violation or "".
std::string CheckInOrder(GroupOrder& order, const std::string& where, const Operation& op) {
  if (op.value == order.last_value) return "";  // redelivery of the same message
  const std::set<int64_t>& positions = order.positions.at(op.value);
  // The earliest send position not yet passed keeps later values in order.
  const auto it = positions.lower_bound(order.high);
  order.last_value = op.value;
  if (it == positions.end()) {
    return where + ": " + op.value + " processed at " + OpRef(op.index) + " after " +
           order.high_value + ", sent later, was processed at " + OpRef(order.high_index);
  }
  order.high = *it;
  order.high_value = op.value;
  order.high_index = op.index;
  return "";
}

}  // namespace

CheckResult CheckFifoOrder(const History& history) {
  CheckResult result{.checker = "fifo-order"};
  FifoSends sends = CollectFifoSends(history);
  int64_t checked = 0;
  for (const Operation& op : history.operations()) {
    if (!Succeeded(op, OpType::kProcess)) continue;
    const auto first = sends.first_group.find({op.queue, op.value});
    if (first == sends.first_group.end()) continue;  // no place in any group's order
    const std::string& group = op.group.empty() ? first->second : op.group;
    const auto order = sends.groups.find({op.queue, group});
    if (order == sends.groups.end() || !order->second.positions.contains(op.value)) {
      result.violations.push_back(op.queue + ": " + op.value + " processed at " + OpRef(op.index) +
                                  " in group " + group + " but sent in group " + first->second);
      continue;
    }
    ++checked;
    std::string violation = CheckInOrder(order->second, op.queue + "/" + group, op);
    if (!violation.empty()) result.violations.push_back(std::move(violation));
  }
  Conclude(result, "groups " + std::to_string(sends.groups.size()) + ", processed " +
                       std::to_string(checked));
  return result;
}

namespace {

// A distinct MessageId in one deduplication scope, at its first send.
struct FirstSend {
  int64_t index = 0;
  Timestamp time{};
  std::string value;
  std::string message_id;
};

std::set<std::string> DeliveredMessageIds(const History& history) {
  std::set<std::string> ids;
  for (const Operation& op : history.operations()) {
    if ((Succeeded(op, OpType::kReceive) || Succeeded(op, OpType::kProcess)) &&
        !op.message_id.empty()) {
      ids.insert(op.message_id);
    }
  }
  return ids;
}

std::string Describe(const FirstSend& s) {
  return "msg " + s.message_id + " (" + s.value + ", sent at " + OpRef(s.index) + ")";
}

}  // namespace

CheckResult CheckDeduplicationWindow(const History& history, Duration window, bool per_group) {
  SQSIM_ASSERT(window > Duration::zero(), "CheckDeduplicationWindow: window must be positive");
  CheckResult result{.checker = "dedup-window"};
  // Scope name ("orders" or "orders/g1") -> dedup id -> distinct sends, in history order.
  std::map<std::pair<std::string, std::string>, std::vector<FirstSend>> scopes;
  std::set<std::tuple<std::string, std::string, std::string>> seen;  // scope, dedup, msg
  for (const Operation& op : history.operations()) {
    if (!Succeeded(op, OpType::kSend) || op.deduplication_id.empty() || op.message_id.empty()) {
      continue;
    }
    const std::string scope = per_group ? op.queue + "/" + op.group : op.queue;
    if (!seen.insert({scope, op.deduplication_id, op.message_id}).second) continue;
    scopes[{scope, op.deduplication_id}].push_back({op.index, op.time, op.value, op.message_id});
  }
  const std::set<std::string> delivered = DeliveredMessageIds(history);
  std::vector<Found> found;
  for (const auto& [key, sends] : scopes) {
    for (size_t j = 0; j < sends.size(); ++j) {
      if (!delivered.contains(sends[j].message_id)) continue;
      for (size_t i = 0; i < j; ++i) {
        const Duration apart = sends[j].time >= sends[i].time ? sends[j].time - sends[i].time
                                                              : sends[i].time - sends[j].time;
        if (apart >= window || !delivered.contains(sends[i].message_id)) continue;
        found.push_back({sends[j].index, key.first + " dedup " + key.second + ": " +
                                             Describe(sends[j]) + " and " + Describe(sends[i]) +
                                             ", " + FormatSeconds(apart) +
                                             " apart, were both delivered"});
        break;  // one violation per duplicate message
      }
    }
  }
  result.violations = SortedTexts(std::move(found));
  Conclude(result, "scopes " + std::to_string(scopes.size()));
  return result;
}

CheckResult CheckMaxReceiveCount(const History& history, const std::string& queue,
                                 int max_receive_count) {
  SQSIM_ASSERT(max_receive_count >= 1, "CheckMaxReceiveCount: max_receive_count must be >= 1");
  CheckResult result{.checker = "max-receive-count"};
  struct Excess {
    const Operation* first = nullptr;
    int count = 0;
    int highest = 0;
  };
  std::map<std::string, Excess> by_message;
  std::vector<std::string> order;  // message keys in order of first offence
  for (const Operation& op : history.operations()) {
    if ((op.type != OpType::kReceive && op.type != OpType::kProcess) || op.queue != queue ||
        op.receive_count <= max_receive_count) {
      continue;
    }
    const std::string key = op.message_id.empty() ? op.value : op.message_id;
    Excess& e = by_message[key];
    if (e.first == nullptr) {
      e.first = &op;
      order.push_back(key);
    }
    ++e.count;
    e.highest = std::max(e.highest, op.receive_count);
  }
  for (const std::string& key : order) {
    const Excess& e = by_message.at(key);
    const Operation& op = *e.first;
    std::string text = queue + ": " + op.value;
    if (!op.message_id.empty()) text += " (msg " + op.message_id + ")";
    text += ' ';
    text += OpTypeName(op.type);
    text += " with receive count " + std::to_string(op.receive_count) + " > " +
            std::to_string(max_receive_count) + " at " + OpRef(op.index) + " by " + op.actor;
    if (e.count > 1) {
      text += " (" + std::to_string(e.count) + " such operations, highest receive count " +
              std::to_string(e.highest) + ")";
    }
    result.violations.push_back(std::move(text));
  }
  Conclude(result, "queue " + queue + ", max receive count " + std::to_string(max_receive_count));
  return result;
}

std::vector<CheckResult> RunCheckers(const History& history, const std::vector<Checker>& checkers) {
  std::vector<CheckResult> results;
  results.reserve(checkers.size());
  for (const Checker& checker : checkers) {
    SQSIM_ASSERT(static_cast<bool>(checker), "RunCheckers: empty checker");
    results.push_back(checker(history));
  }
  return results;
}

bool AllOk(const std::vector<CheckResult>& results) {
  return std::all_of(results.begin(), results.end(), [](const CheckResult& r) { return r.ok; });
}

std::string FormatResults(const std::vector<CheckResult>& results) {
  constexpr size_t kMaxViolations = 20;
  std::string out;
  for (const CheckResult& r : results) {
    out += r.checker + (r.ok ? ": ok — " : ": FAILED — ") + r.summary + "\n";
    if (r.ok) continue;
    for (size_t i = 0; i < r.violations.size() && i < kMaxViolations; ++i) {
      out += "  " + r.violations[i] + "\n";
    }
    if (r.violations.size() > kMaxViolations) {
      out += "  ... " + std::to_string(r.violations.size() - kMaxViolations) + " more\n";
    }
  }
  return out;
}

}  // namespace sqsim::testing
