// An actor is a process: crashes, pauses and stop requests reach every
// coroutine it spawned, and the plan's actor effects (crash, pause, stop)
// act on it at its fault points.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "sqsim/testing/scenario.h"
#include "sqsim/when.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr char kQueue[] = "orders";

// The operations of `type` in the run's history (the report keeps it in
// full_trace only as text, so tests collect it from a checker).
struct Collected {
  std::vector<Operation> ops;
  std::vector<Operation> Of(OpType type, const std::string& actor = "") const {
    std::vector<Operation> out;
    for (const Operation& op : ops) {
      if (op.type == type && (actor.empty() || op.actor == actor)) out.push_back(op);
    }
    return out;
  }
};

// A scenario with one queue, one producer sending `values` messages and
// `consumer` in `consumers` copies; the history lands in `*collected`.
ScenarioOptions OneQueue(Actor consumer, std::shared_ptr<Collected> collected, int values = 1,
                         int consumers = 1) {
  ScenarioOptions s;
  s.seed = 11;
  s.queues = {{.name = kQueue, .attributes = {{"VisibilityTimeout", "30"}}}};
  s.producers = {[values](ActorContext& ctx) -> awaitable<void> {
    for (int i = 1; i <= values; ++i) {
      SendMessageRequest send{.queue_url = ctx.url(kQueue),
                              .message_body = "order-" + std::to_string(i)};
      (void)co_await ctx.Send(send, send.message_body);
    }
  }};
  s.consumer = std::move(consumer);
  s.consumers = consumers;
  s.safety_duration = 5min;
  s.simulator = SimulatorOptions::Exact(11);  // a receive returns what is there
  s.checkers = {[collected](const History& h) {
    collected->ops = h.operations();
    return CheckResult{.checker = "collect", .ok = true};
  }};
  return s;
}

// Receives one message at a time; processes and deletes it.
awaitable<void> ProcessOne(ActorContext& ctx, const Message& m) {
  ctx.Processed(kQueue, m);
  DeleteMessageRequest del{.queue_url = ctx.url(kQueue), .receipt_handle = m.receipt_handle};
  (void)co_await ctx.client().AsyncDeleteMessage(del);
}

awaitable<std::vector<Message>> ReceiveSome(ActorContext& ctx) {
  ReceiveMessageRequest receive{.queue_url = ctx.url(kQueue), .wait_time_seconds = 20};
  auto got = co_await ctx.client().AsyncReceiveMessage(receive);
  co_return got.ok() ? got->messages : std::vector<Message>{};
}

TEST(ActorTree, ACrashInASpawnedChildEndsTheWholeActorWhichIsRestartedAndRecorded) {
  auto collected = std::make_shared<Collected>();
  // The handler runs in a child; the main coroutine, trusting it, deletes
  // the message a second later. When the child dies, the process dies: the
  // main coroutine must not go on to delete a message nobody processed.
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) {
            ctx.Spawn([](ActorContext& ctx, Message m) -> awaitable<void> {
              ctx.MaybeCrash("handler.before-processing");
              ctx.Processed(kQueue, m);
              co_return;
            }(ctx, m));
            co_await ctx.env().Sleep(1s);
            DeleteMessageRequest del{.queue_url = ctx.url(kQueue),
                                     .receipt_handle = m.receipt_handle};
            (void)co_await ctx.client().AsyncDeleteMessage(del);
          }
        }
      },
      collected);
  s.faults.rules = {{.id = "handler-dies",
                     .effect = FaultEffect::kFaultPoint,
                     .point = "handler.before-processing",
                     .on_calls = {1}}};
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();  // nothing lost
  EXPECT_EQ(report.crashes, 1);
  const std::vector<Operation> crashes = collected->Of(OpType::kCrash);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].actor, "consumer-1");
  EXPECT_EQ(crashes[0].detail, "handler.before-processing");
  // The first life deleted nothing: its main coroutine was cancelled in its
  // sleep. The message came back after the visibility timeout.
  const std::vector<Operation> deletes = collected->Of(OpType::kDelete);
  ASSERT_FALSE(deletes.empty());
  EXPECT_GE(deletes.front().time, crashes[0].time + 30s);
}

TEST(ActorTree, AWorkerThatReturnsEndsItsChildren) {
  auto collected = std::make_shared<Collected>();
  auto beats = std::make_shared<int>(0);
  ScenarioOptions s = OneQueue(
      [beats](ActorContext& ctx) -> awaitable<void> {
        ctx.Spawn([](ActorContext& ctx, std::shared_ptr<int> beats) -> awaitable<void> {
          while (true) {
            co_await ctx.env().Sleep(1s);
            ++*beats;
          }
        }(ctx, beats));
        for (const Message& m : co_await ReceiveSome(ctx)) co_await ProcessOne(ctx, m);
        co_await ctx.env().Sleep(2500ms);  // then the process exits
      },
      collected);
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  // The child beat while the main coroutine lived (the receive returns at
  // once, then 2.5 s), and not after: the run lasts minutes.
  EXPECT_EQ(*beats, 2);
}

TEST(ActorTree, APauseStopsTheActorsHeartbeatChildToo) {
  auto collected = std::make_shared<Collected>();
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) {
            auto done = std::make_shared<bool>(false);
            ctx.Spawn(
                [](ActorContext& ctx, Message m, std::shared_ptr<bool> done) -> awaitable<void> {
                  while (!*done) {
                    co_await ctx.env().Sleep(10s);
                    if (*done) break;
                    ChangeMessageVisibilityRequest extend{.queue_url = ctx.url(kQueue),
                                                          .receipt_handle = m.receipt_handle,
                                                          .visibility_timeout = 30};
                    (void)co_await ctx.client().AsyncChangeMessageVisibility(extend);
                  }
                }(ctx, m, done));
            co_await ctx.MaybePause("gc", 60s);  // the whole process stops
            co_await ctx.env().Sleep(15s);       // slow work, heartbeat on
            co_await ProcessOne(ctx, m);
            *done = true;
          }
        }
      },
      collected);
  s.faults.rules = {
      {.id = "gc", .effect = FaultEffect::kFaultPoint, .point = "gc", .on_calls = {1}}};
  const ScenarioReport report = RunScenario(s);
  const std::vector<Operation> pauses = collected->Of(OpType::kPause);
  ASSERT_EQ(pauses.size(), 1u) << report.Describe();
  EXPECT_EQ(pauses[0].detail, "gc, 60 s");
  const Timestamp pause_end = pauses[0].time + 60s;
  const std::vector<Operation> beats = collected->Of(OpType::kChangeVisibility);
  ASSERT_FALSE(beats.empty());
  for (const Operation& beat : beats) {
    EXPECT_TRUE(beat.time <= pauses[0].time || beat.time >= pause_end)
        << "heartbeat during the pause: " << FormatOperation(beat);
  }
}

TEST(ActorTree, APlanPauseAtACallPointPausesTheActorAndIsCountedAndTraced) {
  auto collected = std::make_shared<Collected>();
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) co_await ProcessOne(ctx, m);
        }
      },
      collected, /*values=*/1, /*consumers=*/2);
  s.queue_check.allow_duplicates = true;
  s.faults.rules = {{.id = "frozen",
                     .effect = FaultEffect::kPause,
                     .point = "call:DeleteMessage",
                     .on_calls = {1},
                     .pause = 45s}};
  const ScenarioReport report = RunScenario(s);
  EXPECT_EQ(report.faults_fired.at("frozen"), 1);
  EXPECT_THAT(report.full_trace, HasSubstr(" fault frozen"));
  const std::vector<Operation> pauses = collected->Of(OpType::kPause);
  ASSERT_EQ(pauses.size(), 1u);
  EXPECT_EQ(pauses[0].detail, "call:DeleteMessage, 45 s");
  // The paused consumer's delete went out when the pause was over; by then
  // the message had been visible again (30 s timeout) and the other
  // consumer had received it.
  const std::vector<Operation> deletes = collected->Of(OpType::kDelete, pauses[0].actor);
  ASSERT_FALSE(deletes.empty());
  EXPECT_EQ(deletes.front().time, pauses[0].time + 45s);
  EXPECT_GE(collected->Of(OpType::kReceive).size(), 2u);
}

TEST(ActorTree, AStopRequestEndsTheWorkerGracefullyAndItIsStartedAgain) {
  auto collected = std::make_shared<Collected>();
  auto lives = std::make_shared<std::map<std::string, int>>();
  ScenarioOptions s = OneQueue(
      [lives](ActorContext& ctx) -> awaitable<void> {
        ++(*lives)[ctx.name()];
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) co_await ProcessOne(ctx, m);
        }
      },
      collected, /*values=*/3, /*consumers=*/2);
  s.faults.rules = {{.id = "deploy",
                     .effect = FaultEffect::kStop,
                     .actor = "consumer-2",
                     .probability = 1,
                     .after = 60s,
                     .max_fires = 1}};
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  const std::vector<Operation> stops = collected->Of(OpType::kStop);
  ASSERT_EQ(stops.size(), 1u);
  EXPECT_EQ(stops[0].actor, "consumer-2");
  EXPECT_EQ(report.crashes, 0);  // it stopped within the grace period
  EXPECT_EQ((*lives)["consumer-1"], 1);
  EXPECT_EQ((*lives)["consumer-2"], 2);  // the deploy started it again
}

TEST(ActorTree, AnActorThatIgnoresAStopIsKilledWhenTheGracePeriodIsOver) {
  auto collected = std::make_shared<Collected>();
  auto lives = std::make_shared<int>(0);
  ScenarioOptions s = OneQueue(
      [lives](ActorContext& ctx) -> awaitable<void> {
        const bool first_life = ++*lives == 1;
        // The first life never looks at ctx.stopping(); the next one does.
        while (first_life || !ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) co_await ProcessOne(ctx, m);
        }
      },
      collected);
  s.stop_grace = 10s;
  s.faults.rules = {{.id = "scale-in",
                     .effect = FaultEffect::kStop,
                     .probability = 1,
                     .after = 30s,
                     .max_fires = 1}};
  const ScenarioReport report = RunScenario(s);
  const std::vector<Operation> stops = collected->Of(OpType::kStop);
  const std::vector<Operation> crashes = collected->Of(OpType::kCrash);
  ASSERT_EQ(stops.size(), 1u);
  ASSERT_EQ(crashes.size(), 1u) << report.Describe();
  EXPECT_EQ(crashes[0].detail, "stop: still running after the grace period");
  EXPECT_EQ(crashes[0].time, stops[0].time + 10s);
  EXPECT_EQ(*lives, 2);  // killed, then restarted
}

TEST(ActorTree, ACrashAfterTheResponseWasHandedBackKillsTheActorAtItsNextStep) {
  auto collected = std::make_shared<Collected>();
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) {
            ctx.Processed(kQueue, m);  // no co_await between: this runs
            DeleteMessageRequest del{.queue_url = ctx.url(kQueue),
                                     .receipt_handle = m.receipt_handle};
            (void)co_await ctx.client().AsyncDeleteMessage(del);
          }
        }
      },
      collected);
  s.queue_check.allow_duplicates = true;
  s.faults.rules = {{.id = "dies-after-receive",
                     .effect = FaultEffect::kCrash,
                     .point = "returned:ReceiveMessage",
                     .on_calls = {1}}};
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  const std::vector<Operation> crashes = collected->Of(OpType::kCrash);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].detail, "returned:ReceiveMessage");
  // The actor saw the message and processed it (its code ran up to its
  // next co_await), but the delete never went out: processed twice in all.
  EXPECT_EQ(report.processed, 2);
  EXPECT_EQ(report.duplicates, 1);
  const std::vector<Operation> deletes = collected->Of(OpType::kDelete);
  ASSERT_EQ(deletes.size(), 1u);  // by the second life only
  EXPECT_GT(deletes.front().time, crashes[0].time);
}

TEST(ActorTree, AnActorRuleActsOnlyOnTheActorItNames) {
  auto collected = std::make_shared<Collected>();
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          for (const Message& m : co_await ReceiveSome(ctx)) co_await ProcessOne(ctx, m);
        }
      },
      collected, /*values=*/4, /*consumers=*/3);
  s.faults.rules = {{.id = "crash-2",
                     .effect = FaultEffect::kCrash,
                     .point = "sleep",
                     .actor = "consumer-2",
                     .probability = 1}};
  // "sleep" is never reached by these consumers (they only call): nothing
  // fires; a call point does.
  ScenarioReport report = RunScenario(s);
  EXPECT_EQ(report.faults_fired.at("crash-2"), 0);
  s.faults.rules[0].point = "call:ReceiveMessage";
  s.faults.rules[0].max_fires = 2;
  report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  const std::vector<Operation> crashes = collected->Of(OpType::kCrash);
  ASSERT_EQ(crashes.size(), 2u);
  for (const Operation& crash : crashes) EXPECT_EQ(crash.actor, "consumer-2");
}

TEST(ActorTree, WhenAllInsideAnActorRunsHandlersInParallel) {
  auto collected = std::make_shared<Collected>();
  ScenarioOptions s = OneQueue(
      [](ActorContext& ctx) -> awaitable<void> {
        while (!ctx.stopping()) {
          ReceiveMessageRequest receive{
              .queue_url = ctx.url(kQueue), .max_number_of_messages = 10, .wait_time_seconds = 20};
          auto got = co_await ctx.client().AsyncReceiveMessage(receive);
          if (!got.ok()) continue;
          std::vector<awaitable<void>> handlers;
          for (const Message& m : got->messages) {
            handlers.push_back([](ActorContext& ctx, Message m) -> awaitable<void> {
              co_await ctx.env().Sleep(20s);  // slow work
              co_await ProcessOne(ctx, m);
            }(ctx, m));
          }
          co_await WhenAll(std::move(handlers));
        }
      },
      collected, /*values=*/5);
  const ScenarioReport report = RunScenario(s);
  EXPECT_TRUE(report.ok) << report.Describe();
  const std::vector<Operation> processed = collected->Of(OpType::kProcess);
  ASSERT_EQ(processed.size(), 5u);
  // In parallel: all five finished at the same instant, 20 s after the
  // receive, not 20 s apart.
  for (const Operation& op : processed) EXPECT_EQ(op.time, processed.front().time);
}

}  // namespace
}  // namespace sqsim::testing
