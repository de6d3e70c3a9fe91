// Invariants that must hold in the simulator's realistic mode too (default
// SimulatorOptions: short-poll sampling and best-effort reordering on), where
// exact results are not predictable. Random message traffic runs through the
// SequenceRunner while a bookkeeper derives, from what was observed, what may
// legally happen next:
//   * no message is invented: every received message was sent to that queue;
//   * none is lost: after all timeouts end, draining every queue returns
//     exactly the messages sent and not deleted;
//   * visibility and delays are respected: nothing is received while in
//     flight or delayed, and ApproximateReceiveCount counts every delivery;
//   * FIFO order: a message is delivered only when every earlier message of
//     its group is deleted (or precedes it in the same response) and no other
//     message of the group is in flight;
//   * counters: the three ApproximateNumberOfMessages* attributes equal the
//     bookkeeper's counts;
//   * receipt-handle rules: garbage handles are rejected, a standard delete
//     always succeeds, a FIFO delete succeeds exactly while its handle is the
//     latest and the message is in flight; a visibility change acts on an
//     in-flight message, on a FIFO queue only through its latest handle.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "model/generators.h"
#include "model/property_util.h"

namespace sqsim::model {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kSecond = 1'000'000;

class Bookkeeper {
 public:
  explicit Bookkeeper(Simulator& sim) : sim_(sim), start_(sim.Now()) {}

  int64_t Now() const { return (sim_.Now() - start_).count(); }

  // Records the sends of step `step` that the simulator accepted.
  void Sent(int queue, int step, const std::vector<std::pair<int, SendEntry>>& accepted) {
    for (const auto& [index, e] : accepted) {
      Msg m;
      m.queue = queue;
      m.group = e.group.value_or("");
      m.sent_at = Now();
      m.delay_until = Now() + (IsFifoIndex(queue) ? 0 : e.delay_seconds.value_or(0)) * kSecond;
      m.order = next_order_++;
      messages_[SendOrigin(step, index)] = m;
    }
  }

  // Checks one receive response; `handles` are the receipt handles in order.
  std::string Received(int queue, const Observation& r, const std::vector<std::string>& handles,
                       int visibility) {
    const int64_t now = Now();
    std::set<std::string> in_response;
    for (size_t i = 0; i < r.messages.size(); ++i) {
      const ObservedMessage& seen = r.messages[i];
      auto it = messages_.find(seen.origin);
      if (it == messages_.end() || it->second.queue != queue) {
        return "invented message " + seen.origin + " received from " + PoolQueueName(queue);
      }
      Msg& m = it->second;
      if (m.deleted) return "deleted message " + seen.origin + " received again";
      if (now < m.delay_until) return "delayed message " + seen.origin + " received early";
      if (m.receive_count > 0 && now < m.deadline) {
        return "in-flight message " + seen.origin + " received again";
      }
      if (seen.receive_count != m.receive_count + 1) {
        return "ApproximateReceiveCount of " + seen.origin + " is " +
               std::to_string(seen.receive_count) + ", expected " +
               std::to_string(m.receive_count + 1);
      }
      if (IsFifoIndex(queue)) {
        for (const auto& [origin, other] : messages_) {
          if (other.queue != queue || other.group != m.group || origin == seen.origin) continue;
          if (other.deleted || in_response.contains(origin)) continue;
          if (other.order < m.order) {
            return "FIFO order: " + seen.origin + " delivered before earlier " + origin;
          }
          // Only an earlier message in flight locks the group: SQS delivers a
          // message made visible again ahead of a later in-flight one (see
          // reference_model.h, LockedGroups).
          if (other.receive_count > 0 && now < other.deadline && other.order < m.order) {
            return "FIFO group lock: " + seen.origin + " delivered while " + origin +
                   " is in flight";
          }
        }
      }
      in_response.insert(seen.origin);
    }
    // Apply the deliveries only after checking them all against the prior state.
    for (size_t i = 0; i < r.messages.size(); ++i) {
      Msg& m = messages_[r.messages[i].origin];
      ++m.receive_count;
      m.deadline = now + visibility * kSecond;
      m.received_at = now;
      m.latest_handle = handles[i];
      handle_owner_[handles[i]] = r.messages[i].origin;
    }
    return "";
  }

  // Checks a DeleteMessage outcome and applies it.
  std::string Deleted(int queue, const std::string& handle, const Observation& r) {
    auto owner = handle_owner_.find(handle);
    if (owner == handle_owner_.end()) {
      return r.error == "ReceiptHandleIsInvalid" ? "" : "garbage handle gave " + r.Text();
    }
    Msg& m = messages_[owner->second];
    bool may_delete =
        !IsFifoIndex(queue) || m.deleted || (m.latest_handle == handle && Now() < m.deadline);
    if (may_delete != !r.error.has_value()) {
      return "delete of " + owner->second + " gave " + r.Text();
    }
    if (!r.error) m.deleted = true;
    return "";
  }

  // Checks a ChangeMessageVisibility outcome and applies it.
  std::string Changed(const std::string& handle, int timeout, const Observation& r) {
    if (timeout < 0 || timeout > 43200) {
      return r.error == "InvalidParameterValue" ? "" : "out-of-range timeout gave " + r.Text();
    }
    auto owner = handle_owner_.find(handle);
    if (owner == handle_owner_.end()) {
      return r.error == "ReceiptHandleIsInvalid" ? "" : "garbage handle gave " + r.Text();
    }
    Msg& m = messages_[owner->second];
    if (m.deleted) {
      return r.error == "InvalidParameterValue" ? "" : "change of deleted message gave " + r.Text();
    }
    // A standard queue lets an older handle change the current receive's
    // visibility; a FIFO queue only the latest handle.
    const bool live = (!IsFifoIndex(m.queue) || m.latest_handle == handle) && Now() < m.deadline;
    if (live && !r.error) m.deadline = Now() + timeout * kSecond;
    return "";
  }

  std::string CheckCounters(int queue, const Observation& r) {
    int visible = 0, not_visible = 0, delayed = 0;
    for (const auto& [origin, m] : messages_) {
      if (m.queue != queue || m.deleted) continue;
      if (m.receive_count > 0 && Now() < m.deadline) {
        ++not_visible;
      } else if (m.receive_count == 0 && Now() < m.delay_until) {
        ++delayed;
      } else {
        ++visible;
      }
    }
    const std::string want =
        "ApproximateNumberOfMessages=" + std::to_string(visible) +
        "; ApproximateNumberOfMessagesDelayed=" + std::to_string(delayed) +
        "; ApproximateNumberOfMessagesNotVisible=" + std::to_string(not_visible);
    return r.detail.find(want) == std::string::npos ? "counters: expected " + want : "";
  }

  // Origins of the messages of `queue` that were sent and not deleted.
  std::set<std::string> Live(int queue) const {
    std::set<std::string> live;
    for (const auto& [origin, m] : messages_) {
      if (m.queue == queue && !m.deleted) live.insert(origin);
    }
    return live;
  }

  void MarkDeleted(const std::string& origin) { messages_[origin].deleted = true; }

 private:
  struct Msg {
    int queue = 0;
    std::string group{};
    int64_t sent_at = 0;
    int64_t delay_until = 0;
    int64_t order = 0;
    int receive_count = 0;
    int64_t deadline = 0;
    int64_t received_at = 0;
    std::string latest_handle{};
    bool deleted = false;
  };

  Simulator& sim_;
  Timestamp start_;
  int64_t next_order_ = 0;
  std::map<std::string, Msg> messages_{};
  std::map<std::string, std::string> handle_owner_{};  // receipt handle -> origin
};

// Every FIFO send gets a unique deduplication id, so that the bookkeeper
// knows which sends were enqueued without modelling deduplication.
Operation MakeUnique(Operation op, int step) {
  auto fix = [step](int queue, SendEntry& e, size_t i) {
    if (IsFifoIndex(queue)) e.dedup = "u" + std::to_string(step) + "-" + std::to_string(i);
  };
  if (auto* s = std::get_if<SendMessageOp>(&op)) fix(s->queue, s->entry, 0);
  if (auto* b = std::get_if<SendMessageBatchOp>(&op)) {
    for (size_t i = 0; i < b->entries.size(); ++i) fix(b->queue, b->entries[i], i);
  }
  return op;
}

std::vector<Operation> RealisticPrologue() {
  std::vector<Operation> ops;
  for (int q = 0; q < kQueuePoolSize; ++q) {
    ops.push_back(CreateQueueOp{.queue = q});
  }
  return ops;
}

// Runs `generated` in realistic mode and returns "" or the first violation.
std::string RunRealistic(const std::vector<Operation>& generated, uint64_t seed) {
  auto sim = Simulator::Create(SimulatorOptions{.seed = seed}).value();
  SequenceRunner runner(*sim, [&](Duration d) { sim->RunFor(d); });
  Bookkeeper book(*sim);
  std::vector<Operation> ops = RealisticPrologue();
  for (const Operation& op : generated) ops.push_back(MakeUnique(op, static_cast<int>(ops.size())));
  const test::Watchdog::Guard watchdog(
      "realistic sequence (simulator seed " + std::to_string(seed) + "):\n" + DescribeSequence(ops),
      kSequenceTimeLimit);
  std::string trail;
  for (size_t i = 0; i < ops.size(); ++i) {
    const int step = static_cast<int>(i);
    const Operation& op = ops[i];
    const Observation r = runner.Run(op, step);
    trail += "  " + std::to_string(i) + ". " + Describe(op) + "\n       -> " + r.Text() + "\n";
    std::string violation;
    if (const auto* s = std::get_if<SendMessageOp>(&op)) {
      if (!r.error) book.Sent(s->queue, step, {{0, s->entry}});
    } else if (const auto* b = std::get_if<SendMessageBatchOp>(&op)) {
      std::vector<std::pair<int, SendEntry>> accepted;
      const auto ids = BatchEntryIds(b->shape, b->entries.size());
      for (size_t e = 0; e < b->entries.size() && !r.error; ++e) {
        if (std::find(r.batch_ok.begin(), r.batch_ok.end(), ids[e]) != r.batch_ok.end()) {
          accepted.emplace_back(static_cast<int>(e), b->entries[e]);
        }
      }
      book.Sent(b->queue, step, accepted);
    } else if (const auto* rcv = std::get_if<ReceiveMessageOp>(&op)) {
      if (r.error) {
        violation = "receive failed: " + r.Text();
      } else {
        std::vector<std::string> handles;
        const int n = static_cast<int>(r.messages.size());
        for (int k = n - 1; k >= 0; --k) handles.push_back(runner.ResolveHandle(rcv->queue, k));
        violation = book.Received(rcv->queue, r, handles, rcv->visibility_timeout.value_or(30));
      }
    } else if (const auto* d = std::get_if<DeleteMessageOp>(&op)) {
      violation =
          book.Deleted(d->handle.queue, runner.ResolveHandle(d->handle.queue, d->handle.back), r);
    } else if (const auto* c = std::get_if<ChangeMessageVisibilityOp>(&op)) {
      violation = book.Changed(runner.ResolveHandle(c->handle.queue, c->handle.back),
                               c->visibility_timeout, r);
    } else if (const auto* g = std::get_if<GetQueueAttributesOp>(&op)) {
      violation =
          r.error ? "GetQueueAttributes failed: " + r.Text() : book.CheckCounters(g->queue, r);
    }
    if (!violation.empty())
      return trail + "VIOLATION at step " + std::to_string(i) + ": " + violation;
  }

  // No message lost: once every timeout has ended, draining each queue with
  // long polls returns exactly the live messages.
  sim->RunFor(std::chrono::seconds(43201));
  for (int q = 0; q < kQueuePoolSize; ++q) {
    std::set<std::string> drained;
    for (int empty = 0; empty < 2;) {
      const int step = 100000 + q;
      const Observation r =
          runner.Run(ReceiveMessageOp{.queue = q, .max_messages = 10, .wait_seconds = 20}, step);
      if (r.error) return trail + "drain receive failed: " + r.Text();
      if (r.messages.empty()) {
        ++empty;
        continue;
      }
      std::vector<std::string> handles;
      for (int k = static_cast<int>(r.messages.size()) - 1; k >= 0; --k) {
        handles.push_back(runner.ResolveHandle(q, k));
      }
      if (std::string v = book.Received(q, r, handles, 30); !v.empty())
        return trail + "drain: " + v;
      for (size_t k = 0; k < r.messages.size(); ++k) {
        drained.insert(r.messages[k].origin);
        const int back = static_cast<int>(k);
        const Observation del =
            runner.Run(DeleteMessageOp{.handle = {.queue = q, .back = back}}, step);
        if (del.error) return trail + "drain delete failed: " + del.Text();
      }
      for (const ObservedMessage& m : r.messages) book.MarkDeleted(m.origin);
    }
    std::set<std::string> live_before = drained;
    for (const std::string& origin : book.Live(q)) live_before.insert(origin);
    if (live_before != drained) {
      std::string lost;
      for (const std::string& o : live_before) {
        if (!drained.contains(o)) lost += " " + o;
      }
      return trail + "LOST from " + PoolQueueName(q) + ":" + lost;
    }
  }
  return "";
}

rc::Gen<Operation> RealisticOp() {
  return rc::gen::weightedOneOf<Operation>({
      {10, gens::SendOp()},
      {3, gens::SendBatchOp()},
      {12, gens::ReceiveOp()},
      {5, gens::DeleteOp()},
      {3, gens::ChangeOp()},
      {4, rc::gen::exec(
              []() -> Operation { return GetQueueAttributesOp{.queue = *gens::QueueIndex()}; })},
      {7, gens::AdvanceOp()},
  });
}

TEST(RealisticInvariantsProperty, InvariantsHoldUnderSamplingAndReordering) {
  CheckProperty("realistic invariants", 1000, 100, [] {
    const auto ops = *rc::gen::container<std::vector<Operation>>(RealisticOp());
    const uint64_t seed = *rc::gen::inRange<uint64_t>(1, 1000000);
    const std::string report = RunRealistic(ops, seed);
    if (!report.empty()) RC_FAIL(report);
  });
}

// The bookkeeper must be able to catch a violation: a message it never saw
// sent is "invented".
TEST(RealisticInvariantsProperty, BookkeeperReportsAnInventedMessage) {
  auto sim = Simulator::Create().value();
  Bookkeeper book(*sim);
  Observation r;
  r.kind = Observation::Kind::kMessages;
  r.messages.push_back({.origin = "s1.0", .receive_count = 1});
  EXPECT_EQ(book.Received(0, r, {"h"}, 30), "invented message s1.0 received from q0");
}

TEST(RealisticInvariantsProperty, BookkeeperReportsADeliveryWhileInFlight) {
  auto sim = Simulator::Create().value();
  Bookkeeper book(*sim);
  book.Sent(0, 1, {{0, SendEntry{}}});
  Observation r;
  r.kind = Observation::Kind::kMessages;
  r.messages.push_back({.origin = "s1.0", .receive_count = 1});
  ASSERT_EQ(book.Received(0, r, {"h1"}, 30), "");
  r.messages[0].receive_count = 2;
  EXPECT_EQ(book.Received(0, r, {"h2"}, 30), "in-flight message s1.0 received again");
}

}  // namespace
}  // namespace sqsim::model
