// A Lambda consumer with partial batch responses (ReportBatchItemFailures),
// swept over seeds under faults on every SQS call its event source mapping
// makes: every message takes effect exactly once, nothing is lost, FIFO
// groups take effect in order, and a run is a pure function of its seed.
// A handler that reports the wrong itemIdentifier is caught by the same
// checkers, which name the message it lost; so are a FIFO handler that
// goes on past a failed record and a redrive policy tighter than the
// handler's failures. An itemIdentifier that is no messageId of the batch
// fails the whole batch, as Lambda does: duplicates, no loss.
//
// The scenario (one per seed, on the scenario harness, sqsim/testing/scenario.h):
//  * a queue (standard, or FIFO with several groups) with a redrive policy
//    to a dead-letter queue whose maxReceiveCount is generous: a correct
//    consumer never sends anything there;
//  * a producer sends N messages, each carrying its own id in its body;
//  * one worker runs an EventSourceMapping (batch size > 1, batching
//    window, MaximumConcurrency drawn per seed) over the actor's recording
//    client, so the history holds every receive and delete it makes;
//  * the handler models work with Env sleeps; each record fails
//    (transiently) on its first k attempts, k drawn per record from the
//    seed; fault points in the handler throw for the whole batch or run it
//    past the function timeout; the side effect is idempotent, keyed by the
//    SQS messageId (Lambda's usual idempotency key), and recorded as
//    kProcess only when it is applied: deliveries repeat, effects do not;
//  * the fault plan is drawn per seed from a catalogue of every fault the
//    fault API applies to the mapping's calls (errors, throttles, lost
//    responses, latency, empty receives, failed batch entries, duplicate
//    deliveries, reordering, late sends) and to the handler (fault points).
//
// FIFO handlers follow the AWS guidance for partial batch responses on FIFO
// queues: stop at the first failed record and report it and every record
// after it, or a group's later message would take effect before an earlier
// one that failed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sqsim/lambda/event_source_mapping.h"
#include "sqsim/random.h"
#include "sqsim/testing/gtest.h"
#include "sqsim/testing/history.h"
#include "sqsim/testing/scenario.h"
#include "support/build_kind.h"

namespace sqsim::lambda::partial_batch_sweep_test {

using boost::asio::awaitable;
using ::sqsim::testing::ActorContext;
using ::sqsim::testing::CheckResult;
using ::sqsim::testing::History;
using ::sqsim::testing::Operation;
using ::sqsim::testing::OpOutcome;
using ::sqsim::testing::OpType;
using ::sqsim::testing::ScenarioOptions;
using ::sqsim::testing::ScenarioReport;
using ::sqsim::testing::SweepResult;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// ---- Configuration -------------------------------------------------------------

// What the handler gets wrong, if anything.
enum class Bug {
  kNone,
  // Reports the messageId of the record after the failed one (an
  // off-by-one): the failed record is deleted, a succeeded one comes back.
  kReportsTheNextRecordsId,
  // Reports the failed record's body, which is no messageId of the batch:
  // Lambda fails the whole batch.
  kReportsTheBody,
  // FIFO: goes on past a failed record, so that a group's later message
  // takes effect before the failed one comes back.
  kKeepsGoingAfterAFailure,
};

// Counts over every run of a sweep: did the behaviours the sweep is meant to
// exercise happen at all ("sometimes" coverage, as never_fired is for the
// fault rules)?
struct Tally {
  int64_t invocations = 0;
  int64_t partial_failures = 0;   // InvocationRecord::kPartialFailure
  int64_t function_errors = 0;    // kError: the handler threw
  int64_t timeouts = 0;           // kTimeout
  int64_t invalid_responses = 0;  // kInvalidResponse
  int64_t deleted_after_invalid_response = 0;
  int64_t transient_failures = 0;  // records the handler failed
  int64_t repeat_deliveries = 0;   // records whose effect had been applied already
  int max_receive_count = 0;       // the highest ApproximateReceiveCount the handler saw
};

struct Config {
  bool fifo = false;
  int messages = 20;
  int groups = 4;  // FIFO only
  Bug bug = Bug::kNone;
  // Generous: a correct consumer's records fail a few times each (their own
  // transient failures, their batch's throws and timeouts, faults), never
  // this often. The most seen over 1,000 seeds: 7 receives on the standard
  // queue, 20 on the FIFO queue (whose handler fails every record after a
  // failed one with it).
  int max_receive_count = 30;
  // Where the handler's counts go; may be null.
  std::shared_ptr<Tally> tally{};
};

constexpr int kFunctionTimeoutSeconds = 5;
constexpr int kVisibilityTimeoutSeconds = 30;  // six times the function timeout, as AWS advises
constexpr const char* kThrowPoint = "lambda:handler-throws";
constexpr const char* kTimeoutPoint = "lambda:handler-runs-past-timeout";

std::string QueueName(const Config& config) { return config.fifo ? "orders.fifo" : "orders"; }
std::string DeadLetterQueueName(const Config& config) {
  return config.fifo ? "orders-dlq.fifo" : "orders-dlq";
}

// FNV-1a: a per-record draw that depends on the seed and the record only,
// not on the order in which the handler meets records.
uint64_t Hash(uint64_t seed, const std::string& text) {
  uint64_t h = 14695981039346656037ull ^ seed;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h ^ (h >> 29);
}

// How many first attempts of the record with this body fail: 0 for half of
// them, 1 for three in ten, 2 for one in five.
int TransientFailures(uint64_t seed, const std::string& body) {
  const uint64_t draw = Hash(seed, body) % 10;
  return draw < 5 ? 0 : draw < 8 ? 1 : 2;
}

// ---- The application -------------------------------------------------------------

// One run's application state, outside the actor (a database): it survives
// the actor's restarts, as the effects of a real function would.
struct Application {
  uint64_t seed = 0;
  Config config{};
  std::set<std::string> effected{};       // SQS messageIds whose effect was applied
  std::map<std::string, int> attempts{};  // by body
  std::shared_ptr<Tally> tally{};         // never null
};

int ReceiveCount(const SqsRecord& record) {
  return std::atoi(record.attributes.approximate_receive_count.c_str());
}

// The handler: works record by record; fails a record while it has attempts
// to fail; applies a record's effect once per messageId; reports the failed
// records (or, with a bug, the wrong identifiers).
SqsHandler Handler(ActorContext& ctx, std::shared_ptr<Application> app) {
  return [&ctx, app](const SqsEvent& event,
                     InvocationContext& context) -> awaitable<Result<BatchResponse>> {
    Env& env = context.env;
    const std::string queue = QueueName(app->config);
    if (env.MaybeFault(kTimeoutPoint)) {
      // Stuck on a slow dependency: the timeout cancels this sleep.
      co_await env.Sleep(std::chrono::seconds(2 * kFunctionTimeoutSeconds));
    }
    std::vector<size_t> failed;
    for (size_t i = 0; i < event.records.size(); ++i) {
      const SqsRecord& r = event.records[i];
      app->tally->max_receive_count = std::max(app->tally->max_receive_count, ReceiveCount(r));
      // FIFO: after a failure the rest of the batch is not processed, so
      // that no later message of a group takes effect before it.
      if (app->config.fifo && !failed.empty() && app->config.bug != Bug::kKeepsGoingAfterAFailure) {
        failed.push_back(i);
        continue;
      }
      // Throws for the whole batch, after the effects of the records before.
      if (env.MaybeFault(kThrowPoint)) throw std::runtime_error("downstream unavailable");
      co_await env.Sleep(std::chrono::milliseconds(10 + env.rng().Uniform(190)));
      if (++app->attempts[r.body] <= TransientFailures(app->seed, r.body)) {
        ++app->tally->transient_failures;
        failed.push_back(i);
        continue;
      }
      // Idempotent: claimed and applied with no suspension in between.
      if (!app->effected.insert(r.message_id).second) {
        ++app->tally->repeat_deliveries;
        continue;
      }
      ctx.history().Record({.time = env.Now(),
                            .actor = ctx.name(),
                            .type = OpType::kProcess,
                            .queue = queue,
                            .value = r.body,
                            .message_id = r.message_id,
                            .group = r.attributes.message_group_id.value_or(""),
                            .receive_count = ReceiveCount(r)});
    }
    std::vector<std::string> identifiers;
    for (const size_t i : failed) {
      switch (app->config.bug) {
        case Bug::kNone:
        case Bug::kKeepsGoingAfterAFailure:
          identifiers.push_back(event.records[i].message_id);
          break;
        case Bug::kReportsTheNextRecordsId:
          identifiers.push_back(event.records[(i + 1) % event.records.size()].message_id);
          break;
        case Bug::kReportsTheBody:
          identifiers.push_back(event.records[i].body);
          break;
      }
    }
    co_return BatchResponse::Failures(identifiers);
  };
}

void Count(Tally& tally, const InvocationRecord& record) {
  ++tally.invocations;
  switch (record.outcome) {
    case InvocationRecord::Outcome::kSuccess:
      break;
    case InvocationRecord::Outcome::kPartialFailure:
      ++tally.partial_failures;
      break;
    case InvocationRecord::Outcome::kInvalidResponse:
      ++tally.invalid_responses;
      tally.deleted_after_invalid_response += static_cast<int64_t>(record.deleted);
      break;
    case InvocationRecord::Outcome::kError:
      ++tally.function_errors;
      break;
    case InvocationRecord::Outcome::kTimeout:
      ++tally.timeouts;
      break;
  }
}

awaitable<void> RunMapping(EventSourceMapping& mapping, std::optional<Status>& status) {
  status.emplace(co_await mapping.Run());
}

// The Lambda service's side: runs the mapping until the run ends. Run
// retries transient errors of its first GetQueueAttributes itself; should it
// still end with an error (one it does not retry), the service keeps an
// enabled mapping polling, so the worker starts it again.
testing::Actor LambdaWorker(std::shared_ptr<Application> app, EventSourceMappingOptions options) {
  return [app, options](ActorContext& ctx) -> awaitable<void> {
    EventSourceMappingOptions o = options;
    o.queue_url = ctx.url(QueueName(app->config));
    o.on_invocation = [app](const InvocationRecord& record) { Count(*app->tally, record); };
    while (!ctx.stopping()) {
      EventSourceMapping mapping(ctx.client(), ctx.env(), o, Handler(ctx, app));
      std::optional<Status> status;
      ctx.Spawn(RunMapping(mapping, status));
      while (!status && !ctx.stopping()) co_await ctx.env().Sleep(1s);
      if (!status) {
        mapping.Stop();
        while (!status) co_await ctx.env().Sleep(100ms);
      }
      if (status->ok()) break;
      co_await ctx.env().Sleep(1s);
    }
  };
}

std::string Body(const Config& config, int i) {
  if (!config.fifo) return "m-" + std::to_string(i);
  return "g" + std::to_string(i % config.groups) + "-m-" + std::to_string(i);
}

// Sends the messages in batches of five, a few seconds apart, resending the
// entries that failed.
testing::Actor Producer(Config config) {
  return [config](ActorContext& ctx) -> awaitable<void> {
    for (int first = 0; first < config.messages; first += 5) {
      SendMessageBatchRequest batch{.queue_url = ctx.url(QueueName(config))};
      for (int i = first; i < std::min(config.messages, first + 5); ++i) {
        SendMessageBatchRequestEntry entry{.id = std::to_string(i - first),
                                           .message_body = Body(config, i)};
        if (config.fifo) {
          entry.message_group_id = "group-" + std::to_string(i % config.groups);
          entry.message_deduplication_id = entry.message_body;
        }
        batch.entries.push_back(std::move(entry));
      }
      for (int attempt = 0; attempt < 10 && !batch.entries.empty(); ++attempt) {
        auto sent = co_await ctx.client().AsyncSendMessageBatch(batch);
        if (!sent.ok()) {
          co_await ctx.env().Sleep(1s);
          continue;
        }
        std::erase_if(batch.entries, [&](const SendMessageBatchRequestEntry& entry) {
          return std::none_of(sent->failed.begin(), sent->failed.end(),
                              [&](const auto& failed) { return failed.id == entry.id; });
        });
      }
      co_await ctx.env().Sleep(std::chrono::milliseconds(ctx.env().rng().Uniform(10000)));
    }
  };
}

// ---- The fault plan --------------------------------------------------------------

// Every fault the fault API applies to the calls an event source mapping
// makes (ReceiveMessage, DeleteMessageBatch, GetQueueAttributes), to the
// queue itself (deliveries and sends) and to the handler (fault points).
// ChangeMessageVisibilityBatch is left out: the mapping calls it only at
// Stop, after the faults are off.
std::vector<FaultRule> Catalogue(const Config& config) {
  const std::string queue = QueueName(config);
  std::vector<FaultRule> rules = {
      {.id = "receive-unavailable",
       .effect = FaultEffect::kError,
       .action = Action::kReceiveMessage,
       .queue = queue,
       .probability = 0.05,
       .error = ErrorCode::kServiceUnavailable},
      {.id = "receive-throttled",
       .effect = FaultEffect::kError,
       .action = Action::kReceiveMessage,
       .queue = queue,
       .probability = 0.03,
       .error = ErrorCode::kRequestThrottled},
      {.id = "empty-receive",
       .effect = FaultEffect::kEmptyReceive,
       .action = Action::kReceiveMessage,
       .queue = queue,
       .probability = 0.1},
      {.id = "slow-receive",
       .effect = FaultEffect::kLatency,
       .action = Action::kReceiveMessage,
       .queue = queue,
       .probability = 0.1,
       .latency = 800ms},
      // The messages are in flight, but no poller has them: they come back
      // after the visibility timeout.
      {.id = "lost-receive",
       .effect = FaultEffect::kLoseResponse,
       .action = Action::kReceiveMessage,
       .queue = queue,
       .probability = 0.03},
      {.id = "delete-fails",
       .effect = FaultEffect::kError,
       .action = Action::kDeleteMessageBatch,
       .queue = queue,
       .probability = 0.05,
       .error = ErrorCode::kInternalFailure},
      {.id = "lost-delete",
       .effect = FaultEffect::kLoseResponse,
       .action = Action::kDeleteMessageBatch,
       .queue = queue,
       .probability = 0.05},
      // Past the visibility timeout: the batch is back, and received again,
      // before its delete arrives.
      {.id = "slow-delete",
       .effect = FaultEffect::kLatency,
       .action = Action::kDeleteMessageBatch,
       .queue = queue,
       .probability = 0.05,
       .latency = std::chrono::seconds(kVisibilityTimeoutSeconds + 5)},
      {.id = "partial-delete",
       .effect = FaultEffect::kFailEntries,
       .action = Action::kDeleteMessageBatch,
       .queue = queue,
       .probability = 0.1,
       .error = ErrorCode::kInternalFailure,
       .entries = {1}},
      {.id = "attributes-unavailable",
       .effect = FaultEffect::kError,
       .action = Action::kGetQueueAttributes,
       .queue = queue,
       .probability = 0.1,
       .error = ErrorCode::kServiceUnavailable},
      {.id = "late-send",
       .effect = FaultEffect::kDelayVisibility,
       .action = Action::kSendMessageBatch,
       .queue = queue,
       .probability = 0.2,
       .latency = 10s},
      {.id = "handler-throws",
       .effect = FaultEffect::kFaultPoint,
       .point = kThrowPoint,
       .probability = 0.02},
      {.id = "handler-times-out",
       .effect = FaultEffect::kFaultPoint,
       .point = kTimeoutPoint,
       .probability = 0.03},
  };
  if (!config.fifo) {  // FIFO queues neither duplicate nor reorder
    rules.push_back({.id = "duplicate-delivery",
                     .effect = FaultEffect::kDuplicateDelivery,
                     .queue = queue,
                     .probability = 0.1});
    rules.push_back(
        {.id = "reorder", .effect = FaultEffect::kReorder, .queue = queue, .probability = 0.1});
  }
  return rules;
}

// The seed's plan: each rule of the catalogue with probability 3/4, at
// between half and twice its base rate.
FaultPlan DrawPlan(Rng& rng, const Config& config) {
  FaultPlan plan;
  for (FaultRule& rule : Catalogue(config)) {
    if (rng.Uniform(4) == 0) continue;
    rule.probability = std::min(1.0, rule.probability * (0.5 + 1.5 * rng.NextDouble()));
    plan.rules.push_back(std::move(rule));
  }
  return plan;
}

// ---- Checkers ---------------------------------------------------------------------

// Every acknowledged message took effect exactly once (kProcess is recorded
// only when the effect is applied), and none is in the dead-letter queue.
// Names the values that never took effect in `lost`, so that the report
// shows their own events.
CheckResult EveryMessageTakesEffectOnce(const History& history) {
  CheckResult result{.checker = "effect-once"};
  std::set<std::string> sent, dead;
  std::map<std::string, int> effects;
  for (const Operation& op : history.operations()) {
    if (op.outcome != OpOutcome::kOk) continue;
    if (op.type == OpType::kSend) sent.insert(op.value);
    if (op.type == OpType::kProcess) ++effects[op.value];
    if (op.type == OpType::kDeadLetter) dead.insert(op.value);
  }
  for (const std::string& value : sent) {
    const int n = effects.contains(value) ? effects.at(value) : 0;
    if (n == 1 && !dead.contains(value)) continue;
    result.ok = false;
    if (n == 0) {
      result.lost.push_back(value);
      result.violations.push_back(
          value + " never took effect" +
          (dead.contains(value) ? " (it is in the dead-letter queue)" : ""));
    } else if (n > 1) {
      result.duplicated.push_back(value);
      result.violations.push_back(value + " took effect " + std::to_string(n) + " times");
    } else {
      result.violations.push_back(value + " took effect, yet is in the dead-letter queue");
    }
  }
  result.summary = std::to_string(sent.size()) + " sent, " + std::to_string(effects.size()) +
                   " took effect, " + std::to_string(result.lost.size()) + " never did, " +
                   std::to_string(result.duplicated.size()) + " more than once, " +
                   std::to_string(dead.size()) + " dead-lettered";
  return result;
}

// The mapping deleted only what had taken effect: a delete of a value
// before its effect is the loss itself, at the moment it happens.
CheckResult NothingDeletedBeforeItsEffect(const History& history) {
  CheckResult result{.checker = "delete-after-effect"};
  std::set<std::string> effected;
  for (const Operation& op : history.operations()) {
    if (op.type == OpType::kProcess && op.outcome == OpOutcome::kOk) effected.insert(op.value);
    // A delete whose response was lost may have taken effect: it counts.
    const bool deleted = op.outcome == OpOutcome::kOk || op.outcome == OpOutcome::kUnknown;
    if (op.type == OpType::kDelete && deleted && !effected.contains(op.value)) {
      result.ok = false;
      result.violations.push_back(op.value + " deleted at #" + std::to_string(op.index) +
                                  " before it took effect");
    }
  }
  result.summary = std::to_string(result.violations.size()) + " deleted before their effect";
  return result;
}

// ---- The scenario -----------------------------------------------------------------

ScenarioOptions PartialBatchScenario(uint64_t seed, Config config) {
  std::unique_ptr<Rng> rng = SeededRng(seed).Fork("lambda-partial-batch-sweep");
  auto app = std::make_shared<Application>();
  app->seed = seed;
  app->tally = config.tally ? config.tally : std::make_shared<Tally>();
  app->config = config;

  // FIFO queues take no batching window and at most ten records. (The
  // worker puts the queue's URL in place of its name, which suffices to
  // validate: a name ending in ".fifo" is a FIFO queue's.)
  EventSourceMappingOptions mapping{
      .queue_url = QueueName(config),
      .function_name = "orders-handler",
      .batch_size = 2 + static_cast<int>(rng->Uniform(9)),
      .maximum_batching_window_in_seconds = config.fifo ? 0 : static_cast<int>(rng->Uniform(3)),
      .function_response_types = {"ReportBatchItemFailures"},
      .maximum_concurrency = 2 + static_cast<int>(rng->Uniform(4)),
      .function_timeout_seconds = kFunctionTimeoutSeconds};
  SQSIM_ASSERT(EventSourceMapping::Validate(mapping).ok(), "the drawn mapping options are valid");

  QueueAttributeMap attributes = {{"VisibilityTimeout", std::to_string(kVisibilityTimeoutSeconds)}};
  if (config.fifo) attributes["FifoQueue"] = "true";
  ScenarioOptions s{.seed = seed,
                    .queues = {{.name = QueueName(config),
                                .attributes = attributes,
                                .dead_letter_queue = DeadLetterQueueName(config),
                                .max_receive_count = config.max_receive_count}},
                    .faults = DrawPlan(*rng, config)};
  s.producers = {Producer(config)};
  s.roles = {{.name = "lambda", .actor = LambdaWorker(app, mapping)}};
  s.safety_duration = 3min;
  s.checkers = {EveryMessageTakesEffectOnce, NothingDeletedBeforeItsEffect};
  if (config.fifo) {
    s.checkers.push_back([](const History& h) { return testing::CheckFifoOrder(h); });
  }
  return s;
}

std::function<ScenarioOptions(uint64_t)> Scenarios(Config config) {
  return [config](uint64_t seed) { return PartialBatchScenario(seed, config); };
}

const CheckResult* FindResult(const ScenarioReport& report, const std::string& checker) {
  for (const CheckResult& r : report.results) {
    if (r.checker == checker) return &r;
  }
  return nullptr;
}

// ---- Tests -----------------------------------------------------------------------

// Every behaviour the sweep exists for happened somewhere in it.
void ExpectEveryBehaviourExercised(const SweepResult& sweep, const Config& config,
                                   const Tally& tally) {
  EXPECT_TRUE(sweep.never_fired().empty()) << ::testing::PrintToString(sweep.never_fired());
  for (const FaultRule& rule : Catalogue(config)) {
    EXPECT_TRUE(sweep.rule_runs.contains(rule.id)) << rule.id << " was drawn in no seed";
  }
  EXPECT_GT(tally.partial_failures, 0);
  EXPECT_GT(tally.function_errors, 0);
  EXPECT_GT(tally.timeouts, 0);
  EXPECT_GT(tally.repeat_deliveries, 0);
  EXPECT_EQ(tally.invalid_responses, 0);
  EXPECT_LT(tally.max_receive_count, config.max_receive_count);
}

TEST(LambdaPartialBatchSweep, EveryMessageTakesEffectOnceOverAThousandSeeds) {
  const Config config{.fifo = false, .tally = std::make_shared<Tally>()};
  const int seeds = test::SweepSeedsForThisBuild(1000);
  const SweepResult sweep =
      testing::SweepSeeds(Scenarios(config), {.first_seed = 1,
                                              .seeds = seeds,
                                              .name = testing::CurrentTestName(),
                                              .mode = testing::SweepMode::kCountFailures});
  EXPECT_TRUE(testing::SweepPassed(sweep));
  if (sweep.replayed) return;
  EXPECT_EQ(sweep.runs, seeds);
  ExpectEveryBehaviourExercised(sweep, config, *config.tally);
}

TEST(LambdaPartialBatchSweep, FifoGroupsTakeEffectOnceAndInOrderOverAThousandSeeds) {
  const Config config{.fifo = true, .tally = std::make_shared<Tally>()};
  const int seeds = test::SweepSeedsForThisBuild(1000);
  const SweepResult sweep =
      testing::SweepSeeds(Scenarios(config), {.first_seed = 1,
                                              .seeds = seeds,
                                              .name = testing::CurrentTestName(),
                                              .mode = testing::SweepMode::kCountFailures});
  EXPECT_TRUE(testing::SweepPassed(sweep));
  if (sweep.replayed) return;
  EXPECT_EQ(sweep.runs, seeds);
  ExpectEveryBehaviourExercised(sweep, config, *config.tally);
}

TEST(LambdaPartialBatchSweep, SameSeedGivesTheSameTrace) {
  for (const bool fifo : {false, true}) {
    const auto make = Scenarios({.fifo = fifo});
    EXPECT_TRUE(testing::CheckDeterminism(make, 17)) << (fifo ? "FIFO" : "standard");
    // The hash does tell runs apart.
    EXPECT_NE(testing::RunScenario(make(17)).trace_hash, testing::RunScenario(make(18)).trace_hash);
  }
}

TEST(LambdaPartialBatchSweep, ABuggyHandlerReportingTheWrongItemIdsIsCaught) {
  const auto make = Scenarios({.bug = Bug::kReportsTheNextRecordsId});
  const SweepResult sweep = testing::SweepSeeds(
      make, {.first_seed = 1, .seeds = 100, .name = testing::CurrentTestName(), .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value()) << "100 seeds and the wrong item ids lost nothing";
  const ScenarioReport& failure = *sweep.failure;
  // The effect checker names the message the handler failed and the mapping
  // deleted; the delete checker names the same message at its delete.
  const CheckResult* effect = FindResult(failure, "effect-once");
  ASSERT_NE(effect, nullptr);
  ASSERT_FALSE(effect->ok);
  ASSERT_FALSE(effect->lost.empty()) << failure.Describe();
  const std::string& lost = effect->lost.front();
  EXPECT_THAT(effect->violations, Contains(lost + " never took effect"));
  const CheckResult* deleted = FindResult(failure, "delete-after-effect");
  ASSERT_NE(deleted, nullptr);
  EXPECT_THAT(deleted->violations, Contains(HasSubstr(lost + " deleted at #")));
  // The report shows the lost message's own events: received, deleted,
  // never processed.
  const std::string description = failure.Describe();
  const size_t own = description.find("events of " + lost + ":\n");
  ASSERT_NE(own, std::string::npos) << description;
  const std::string section =
      description.substr(own, description.find("events of ", own + 1) - own);
  EXPECT_THAT(section, AnyOf(HasSubstr("delete ok " + lost), HasSubstr("delete unknown " + lost)));
  EXPECT_THAT(section, Not(HasSubstr("process ok " + lost)));
  // The failing seed replays to the same run.
  EXPECT_EQ(testing::RunScenario(make(failure.seed)).trace_hash, failure.trace_hash);
}

// The FIFO order checker is not idle: a handler that processes the records
// after a failed one lets a group's later message take effect first.
TEST(LambdaPartialBatchSweep, AFifoHandlerThatKeepsGoingAfterAFailureIsCaught) {
  const auto make = Scenarios({.fifo = true, .bug = Bug::kKeepsGoingAfterAFailure});
  const SweepResult sweep = testing::SweepSeeds(
      make, {.first_seed = 1, .seeds = 100, .name = testing::CurrentTestName(), .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value()) << "100 seeds and no group out of order";
  const CheckResult* order = FindResult(*sweep.failure, "fifo-order");
  ASSERT_NE(order, nullptr);
  EXPECT_FALSE(order->ok);
  EXPECT_FALSE(order->violations.empty());
  // Nothing is lost: only the order is wrong.
  const CheckResult* effect = FindResult(*sweep.failure, "effect-once");
  ASSERT_NE(effect, nullptr);
  EXPECT_TRUE(effect->ok) << effect->summary;
}

// The effect checker does not take the dead-letter queue for an outcome:
// with a redrive policy tighter than the handler's transient failures, a
// message goes there and the checker names it.
TEST(LambdaPartialBatchSweep, AMessageRedrivenToTheDeadLetterQueueIsCaught) {
  const SweepResult sweep = testing::SweepSeeds(
      Scenarios({.max_receive_count = 2}),
      {.first_seed = 1, .seeds = 20, .name = testing::CurrentTestName(), .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value()) << "20 seeds and nothing dead-lettered";
  EXPECT_GT(sweep.failure->dead_lettered, 0);
  const CheckResult* effect = FindResult(*sweep.failure, "effect-once");
  ASSERT_NE(effect, nullptr);
  EXPECT_FALSE(effect->ok);
  EXPECT_THAT(effect->violations, Contains(HasSubstr("in the dead-letter queue")));
}

// services-sqs-errorhandling.html: an itemIdentifier that is no messageId
// of the batch fails the whole batch. The batch comes back whole, so the
// wrong ids cost duplicate deliveries (absorbed by the idempotent effect)
// but lose nothing.
TEST(LambdaPartialBatchSweep, AnItemIdentifierNotInTheBatchFailsTheWholeBatchAndLosesNothing) {
  const auto tally = std::make_shared<Tally>();
  const SweepResult sweep =
      testing::SweepSeeds(Scenarios({.bug = Bug::kReportsTheBody, .tally = tally}),
                          {.first_seed = 1, .seeds = 50, .name = testing::CurrentTestName()});
  EXPECT_TRUE(testing::SweepPassed(sweep));
  EXPECT_GT(tally->invalid_responses, 0);
  EXPECT_EQ(tally->partial_failures, 0);
  EXPECT_EQ(tally->deleted_after_invalid_response, 0);
  EXPECT_GT(tally->repeat_deliveries, 0);
}

}  // namespace sqsim::lambda::partial_batch_sweep_test
