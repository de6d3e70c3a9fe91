// The consumer runtime's scenarios under every fault the harness injects,
// shared by the sweeps in consumer_scenario_test.cc and the soak sweeps
// (tests/testing/soak_sweep_test.cc): a standard queue with an idempotent
// handler, and a FIFO queue whose order is the property.

#ifndef SQSIM_TESTS_RUNTIME_RUNTIME_SCENARIOS_H_
#define SQSIM_TESTS_RUNTIME_RUNTIME_SCENARIOS_H_

#include <memory>
#include <set>
#include <string>

#include "sqsim/runtime/consumer.h"
#include "sqsim/testing/scenario.h"

namespace sqsim::runtime::scenarios {

using boost::asio::awaitable;
using testing::ActorContext;
using testing::CheckResult;
using testing::History;
using testing::Operation;
using testing::OpOutcome;
using testing::OpType;
using testing::ScenarioOptions;
using namespace std::chrono_literals;

// Every message the consumer deleted had been handled before: a delete of
// a value nobody processed would lose it.
inline CheckResult NothingDeletedUnhandled(const History& history) {
  CheckResult result{.checker = "nothing deleted unhandled"};
  std::set<std::string> processed;
  for (const Operation& op : history.operations()) {
    if (op.type == OpType::kProcess && op.outcome == OpOutcome::kOk) processed.insert(op.value);
    if (op.type == OpType::kDelete && op.outcome == OpOutcome::kOk && !op.value.empty() &&
        !processed.contains(op.value)) {
      result.ok = false;
      result.violations.push_back(op.value + " deleted at #" + std::to_string(op.index) +
                                  " before it was processed");
    }
  }
  result.summary = std::to_string(result.violations.size()) + " violations";
  return result;
}

// Sends `values` values named "<prefix>-<i>" in batches of ten, resending the
// entries whose outcome it did not learn (a lost response: a duplicate
// message, which the idempotent handler absorbs).
inline testing::Actor SendValues(std::string queue, std::string prefix, int values, int groups) {
  return [=](ActorContext& ctx) -> awaitable<void> {
    for (int first = 0; first < values; first += 10) {
      SendMessageBatchRequest batch{.queue_url = ctx.url(queue)};
      for (int i = first; i < std::min(values, first + 10); ++i) {
        SendMessageBatchRequestEntry entry{.id = std::to_string(i),
                                           .message_body = prefix + "-" + std::to_string(i)};
        if (groups > 0) {
          entry.message_group_id = "group-" + std::to_string(i % groups);
          entry.message_deduplication_id = entry.message_body;
        }
        batch.entries.push_back(std::move(entry));
      }
      for (int attempt = 0; attempt < 20 && !batch.entries.empty(); ++attempt) {
        auto sent = co_await ctx.client().AsyncSendMessageBatch(batch);
        if (!sent.ok()) continue;
        std::erase_if(batch.entries, [&](const auto& entry) {
          return std::none_of(sent->failed.begin(), sent->failed.end(),
                              [&](const auto& failed) { return failed.id == entry.id; });
        });
      }
      co_await ctx.env().Sleep(std::chrono::milliseconds(ctx.env().rng().Uniform(3000)));
    }
  };
}

// Runs a Consumer over the actor's client and Env until the actor is asked
// to stop (the run's end, or a stop fault).
inline awaitable<void> StopWhenAsked(ActorContext& ctx, Consumer& consumer) {
  while (!ctx.stopping()) co_await ctx.env().Sleep(1s);
  consumer.Stop();
}

inline testing::Actor RuntimeConsumer(std::string queue, ConsumerOptions options,
                                      std::shared_ptr<std::set<std::string>> applied) {
  return [=](ActorContext& ctx) -> awaitable<void> {
    ConsumerOptions o = options;
    o.queue_url = ctx.url(queue);
    Consumer consumer(
        ctx.client(), ctx.env(), o, [&ctx, queue, applied](Delivery& d) -> awaitable<Outcome> {
          // Some work, of random length (some of it past the visibility timeout:
          // the heartbeat must carry it).
          co_await d.env().Sleep(std::chrono::milliseconds(d.env().rng().Uniform(45000)));
          // A heartbeat failed: the message may be another consumer's by
          // now; committing the side effect could reorder its group.
          if (d.ownership_lost()) co_return Outcome::Leave();
          // Idempotent at the sink when `applied` is given: a repeat is a no-op.
          if (!applied || applied->insert(d.message().body).second)
            ctx.Processed(queue, d.message());
          co_return Outcome::Done();
        });
    ctx.Spawn(StopWhenAsked(ctx, consumer));
    const Status status = co_await consumer.Run();
    SQSIM_ASSERT(status.ok(), "the consumer's options are valid");
  };
}

// Faults at the client boundary, inside the simulator, and on the consumer
// processes, for a standard queue (batched deletes; pauses too) or a FIFO
// queue (single deletes, batched extensions of a group's messages).
inline FaultPlan EveryFault(bool fifo) {
  FaultPlan plan = FaultPlan::FromJson(R"({"rules":[
      {"id":"receive-down","effect":"error","action":"ReceiveMessage","probability":0.05,
       "error":"ServiceUnavailable"},
      {"id":"empty-receive","effect":"empty-receive","action":"ReceiveMessage","probability":0.05},
      {"id":"slow-receive","effect":"latency","action":"ReceiveMessage","probability":0.1,
       "latency_ms":800},
      {"id":"lost-delete","effect":"lose-response","action":"DeleteMessage","probability":0.05},
      {"id":"extension-fails","effect":"error","action":"ChangeMessageVisibility",
       "probability":0.03,"error":"ServiceUnavailable"},
      {"id":"lost-send","effect":"lose-response","action":"SendMessageBatch","probability":0.05},
      {"id":"crash-anywhere","effect":"crash","probability":0.002},
      {"id":"deploy","effect":"stop","probability":0.002}
    ]})")
                       .value();
  if (fifo) {
    plan.rules.push_back({.id = "crash-before-delete",
                          .effect = FaultEffect::kCrash,
                          .point = "call:DeleteMessage",
                          .probability = 0.05});
    plan.rules.push_back({.id = "partial-extension",
                          .effect = FaultEffect::kFailEntries,
                          .action = Action::kChangeMessageVisibilityBatch,
                          .probability = 0.05,
                          .error = ErrorCode::kInternalFailure,
                          .entries = {2}});
    return plan;
  }
  plan.rules.push_back({.id = "crash-before-delete",
                        .effect = FaultEffect::kCrash,
                        .point = "call:DeleteMessageBatch",
                        .probability = 0.05});
  plan.rules.push_back({.id = "lost-batch-delete",
                        .effect = FaultEffect::kLoseResponse,
                        .action = Action::kDeleteMessageBatch,
                        .probability = 0.05});
  plan.rules.push_back({.id = "partial-delete",
                        .effect = FaultEffect::kFailEntries,
                        .action = Action::kDeleteMessageBatch,
                        .probability = 0.1,
                        .error = ErrorCode::kInternalFailure,
                        .entries = {1}});
  // (FIFO queues never deliver duplicates.)
  plan.rules.push_back(
      {.id = "duplicate", .effect = FaultEffect::kDuplicateDelivery, .probability = 0.05});
  plan.rules.push_back(
      {.id = "frozen", .effect = FaultEffect::kPause, .probability = 0.003, .pause = 40s});
  return plan;
}

inline ConsumerOptions Options() {
  return {.max_in_flight = 8, .heartbeat_interval = 10s, .heartbeat_visibility_seconds = 30};
}

inline ScenarioOptions StandardScenario(uint64_t seed) {
  ScenarioOptions s{
      .seed = seed,
      .queues = {{.name = "enrollments", .attributes = {{"VisibilityTimeout", "30"}}}},
      .faults = EveryFault(/*fifo=*/false)};
  s.producers = {SendValues("enrollments", "enrollment", 40, 0)};
  auto applied = std::make_shared<std::set<std::string>>();
  s.roles = {{.name = "consumer",
              .actor = RuntimeConsumer("enrollments", Options(), applied),
              .count = 3}};
  s.safety_duration = 10min;
  s.checkers = {NothingDeletedUnhandled};
  return s;
}

// FIFO: order per group is the property (a repeat after a crash is allowed:
// handling is not idempotent here, order is what is checked). No pauses: a
// process frozen past the visibility timeout, its heartbeat with it, lets
// another consumer take the group's later messages while it still holds an
// earlier one; no SQS consumer can keep order through that.
inline ScenarioOptions FifoScenario(uint64_t seed) {
  ScenarioOptions s{
      .seed = seed,
      .queues = {{.name = "grades.fifo",
                  .attributes = {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}}}},
      .faults = EveryFault(/*fifo=*/true)};
  s.producers = {SendValues("grades.fifo", "grade", 40, 4)};
  s.roles = {
      {.name = "grader", .actor = RuntimeConsumer("grades.fifo", Options(), nullptr), .count = 3}};
  s.safety_duration = 10min;
  s.queue_check.allow_duplicates = true;
  s.checkers = {NothingDeletedUnhandled, [](const History& h) { return CheckFifoOrder(h); }};
  return s;
}

}  // namespace sqsim::runtime::scenarios

#endif  // SQSIM_TESTS_RUNTIME_RUNTIME_SCENARIOS_H_
