// The virtual-time loop: actors, sleeping, RunFor/RunUntil/RunUntilIdle, and
// the coroutine forms of the actions.

#include <stdexcept>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using boost::asio::awaitable;

class SimulatorLoopTest : public SimulatorTest {};

TEST_F(SimulatorLoopTest, TimeStartsAtTheConfiguredStartAndMovesOnlyWhenRun) {
  EXPECT_EQ(sim_->Now(), sim_->options().start_time);
  EXPECT_EQ(sim_->env().Now(), sim_->Now());
  sim_->RunFor(90s);
  EXPECT_EQ(sim_->Now(), sim_->options().start_time + 90s);
}

TEST_F(SimulatorLoopTest, SleepingActorsWakeAtTheirVirtualDeadlinesInOrder) {
  std::vector<std::pair<std::string, Timestamp>> log;
  auto sleeper = [](Simulator* sim, std::string name, Duration d,
                    std::vector<std::pair<std::string, Timestamp>>* log) -> awaitable<void> {
    co_await sim->env().Sleep(d);
    log->emplace_back(name, sim->Now());
  };
  const Timestamp t0 = sim_->Now();
  sim_->Spawn(sleeper(sim_.get(), "slow", 10s, &log));
  sim_->Spawn(sleeper(sim_.get(), "fast", 2s, &log));
  sim_->Spawn(sleeper(sim_.get(), "same", 2s, &log));
  EXPECT_TRUE(sim_->RunUntilIdle());
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0], std::make_pair(std::string("fast"), t0 + Duration(2s)));
  EXPECT_EQ(log[1], std::make_pair(std::string("same"), t0 + Duration(2s)));
  EXPECT_EQ(log[2], std::make_pair(std::string("slow"), t0 + Duration(10s)));
}

TEST_F(SimulatorLoopTest, RunForStopsAtItsLimitWithActorsStillSleeping) {
  bool woke = false;
  sim_->Spawn([](Simulator* sim, bool* woke) -> awaitable<void> {
    co_await sim->env().Sleep(1h);
    *woke = true;
  }(sim_.get(), &woke));
  sim_->RunFor(59min);
  EXPECT_FALSE(woke);
  sim_->RunFor(1min);
  EXPECT_TRUE(woke);
}

// "Forever" is Duration::max(): the deadlines it makes stop at kLatestTime
// instead of overflowing into the past.
TEST_F(SimulatorLoopTest, WaitingForeverEndsAtTheLatestTime) {
  bool woke = false;
  sim_->Spawn([](Simulator* sim, bool* woke) -> awaitable<void> {
    co_await sim->env().Sleep(Duration::max());
    *woke = true;
  }(sim_.get(), &woke));
  sim_->RunFor(Duration::max());
  EXPECT_TRUE(woke);
  EXPECT_EQ(sim_->Now(), kLatestTime);
  EXPECT_TRUE(sim_->RunUntilIdle(Duration::max()));
  EXPECT_EQ(sim_->Now(), kLatestTime);
}

TEST(SimulatorOptionsTest, StartTimeMustLieBeforeTheLatestTime) {
  SimulatorOptions options;
  options.start_time = kLatestTime + std::chrono::seconds(1);
  EXPECT_EQ(Simulator::Create(options).status().code(), ErrorCode::kInvalidParameterValue);
  options.start_time = Timestamp(std::chrono::seconds(-1));
  EXPECT_EQ(Simulator::Create(options).status().code(), ErrorCode::kInvalidParameterValue);
  options.start_time = kLatestTime;
  EXPECT_TRUE(Simulator::Create(options).ok());
}

TEST_F(SimulatorLoopTest, RunUntilStopsWhenThePredicateHolds) {
  int ticks = 0;
  sim_->Spawn([](Simulator* sim, int* ticks) -> awaitable<void> {
    while (true) {
      co_await sim->env().Sleep(1s);
      ++*ticks;
    }
  }(sim_.get(), &ticks));
  EXPECT_TRUE(sim_->RunUntil([&] { return ticks == 5; }, 1h));
  EXPECT_EQ(ticks, 5);
  EXPECT_EQ(sim_->Now(), sim_->options().start_time + 5s);
  EXPECT_FALSE(sim_->RunUntil([&] { return ticks == 1000; }, 10s));
}

TEST_F(SimulatorLoopTest, ProducerAndLongPollingConsumerActorsExchangeMessages) {
  const std::string url = MakeQueue("work");
  std::vector<std::string> consumed;
  sim_->Spawn([](Simulator* sim, std::string url) -> awaitable<void> {
    for (int i = 0; i < 5; ++i) {
      co_await sim->env().Sleep(3s);
      // Named, not a temporary: GCC 12 double-destroys aggregate temporaries
      // inside co_await expressions (see client.h).
      SendMessageRequest send{.queue_url = url, .message_body = std::to_string(i)};
      auto sent = co_await sim->AsyncSendMessage(send);
      EXPECT_THAT(sent, IsOk());
    }
  }(sim_.get(), url));
  sim_->Spawn(
      [](Simulator* sim, std::string url, std::vector<std::string>* consumed) -> awaitable<void> {
        while (consumed->size() < 5) {
          ReceiveMessageRequest receive{
              .queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 20};
          auto got = co_await sim->AsyncReceiveMessage(receive);
          EXPECT_THAT(got, IsOk());
          for (const Message& m : got->messages) {
            consumed->push_back(m.body);
            DeleteMessageRequest del{.queue_url = url, .receipt_handle = m.receipt_handle};
            auto deleted = co_await sim->AsyncDeleteMessage(del);
            EXPECT_THAT(deleted, IsOk());
          }
        }
      }(sim_.get(), url, &consumed));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_THAT(consumed, ::testing::ElementsAre("0", "1", "2", "3", "4"));
  EXPECT_EQ(sim_->Now(), sim_->options().start_time + 15s);
}

TEST_F(SimulatorLoopTest, ExceptionInActorIsRethrownFromRun) {
  sim_->Spawn([](Simulator* sim) -> awaitable<void> {
    co_await sim->env().Sleep(1s);
    throw std::runtime_error("actor bug");
  }(sim_.get()));
  EXPECT_THROW(sim_->RunUntilIdle(), std::runtime_error);
}

TEST_F(SimulatorLoopTest, EveryActionHasACoroutineFormThatMatchesTheBlockingOne) {
  std::optional<Result<GetQueueUrlResponse>> missing;
  sim_->Spawn(
      [](Simulator* sim, std::optional<Result<GetQueueUrlResponse>>* missing) -> awaitable<void> {
        CreateQueueRequest create{.queue_name = "co"};
        auto created = co_await sim->AsyncCreateQueue(create);
        EXPECT_THAT(created, IsOk());
        GetQueueUrlRequest get{.queue_name = "nope"};
        missing->emplace(co_await sim->AsyncGetQueueUrl(get));
        ListQueuesRequest list;
        auto listed = co_await sim->AsyncListQueues(list);
        EXPECT_THAT(listed, IsOk());
      }(sim_.get(), &missing));
  sim_->RunUntilIdle();
  ASSERT_TRUE(missing.has_value());
  EXPECT_THAT(*missing, StatusIs(ErrorCode::kQueueDoesNotExist));
}

TEST_F(SimulatorLoopTest, EnvRngIsDeterministicPerSeed) {
  auto a = Simulator::Create(SimulatorOptions::Exact(99)).value();
  auto b = Simulator::Create(SimulatorOptions::Exact(99)).value();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a->env().rng().Next(), b->env().rng().Next());
}

TEST(SimulatorIsolation, TwoSimulatorsDoNotShareQueuesOrTime) {
  auto a = Simulator::Create().value();
  auto b = Simulator::Create().value();
  ASSERT_THAT(a->CreateQueue({.queue_name = "only-in-a"}), IsOk());
  a->RunFor(1h);
  EXPECT_THAT(b->GetQueueUrl({.queue_name = "only-in-a"}), StatusIs(ErrorCode::kQueueDoesNotExist));
  EXPECT_EQ(b->Now(), b->options().start_time);
}

}  // namespace
}  // namespace sqsim
