// WhenAll and WhenAny on the simulator's virtual-time executor, and the
// cancellation of virtual waits (sleeps and long polls) they rely on.

#include "sqsim/when.h"

#include <stdexcept>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/system/system_error.hpp>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using boost::asio::awaitable;

class WhenTest : public SimulatorTest {
 public:  // the coroutines below are lambdas, not members
  // Sleeps `d`, then appends `name` to `log_`.
  awaitable<void> SleepThenLog(Duration d, std::string name) {
    co_await sim_->env().Sleep(d);
    log_.push_back(name);
  }
  awaitable<void> SleepThenThrow(Duration d) {
    co_await sim_->env().Sleep(d);
    throw std::runtime_error("handler failed");
  }
  Duration Elapsed() const { return sim_->Now() - sim_->options().start_time; }

 protected:
  std::vector<std::string> log_;
};

TEST_F(WhenTest, WhenAllRunsItsTasksConcurrentlyInVirtualTime) {
  bool done = false;
  sim_->Spawn([](WhenTest* t, bool* done) -> awaitable<void> {
    std::vector<awaitable<void>> tasks;
    tasks.push_back(t->SleepThenLog(10s, "a"));
    tasks.push_back(t->SleepThenLog(3s, "b"));
    tasks.push_back(t->SleepThenLog(7s, "c"));
    co_await WhenAll(std::move(tasks));
    *done = true;
  }(this, &done));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_TRUE(done);
  EXPECT_EQ(log_, (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(Elapsed(), 10s);  // concurrent: the longest, not the sum
}

TEST_F(WhenTest, WhenAllOfNothingReturnsAtOnce) {
  bool done = false;
  sim_->Spawn([](bool* done) -> awaitable<void> {
    co_await WhenAll(std::vector<awaitable<void>>{});
    *done = true;
  }(&done));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_TRUE(done);
  EXPECT_EQ(Elapsed(), 0s);
}

TEST_F(WhenTest, WhenAllCancelsTheOthersWhenOneThrowsAndRethrowsIt) {
  std::string caught;
  sim_->Spawn([](WhenTest* t, std::string* caught) -> awaitable<void> {
    std::vector<awaitable<void>> tasks;
    tasks.push_back(t->SleepThenLog(1h, "slow"));
    tasks.push_back(t->SleepThenThrow(5s));
    try {
      co_await WhenAll(std::move(tasks));
    } catch (const std::runtime_error& e) {
      *caught = e.what();
    }
  }(this, &caught));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_EQ(caught, "handler failed");
  EXPECT_TRUE(log_.empty());  // the hour-long sleeper was cancelled
  EXPECT_EQ(Elapsed(), 5s);
}

TEST_F(WhenTest, WhenAllWithResultsKeepsTheTasksOrder) {
  std::vector<int> results;
  sim_->Spawn([](Simulator* sim, std::vector<int>* results) -> awaitable<void> {
    auto after = [](Simulator* sim, Duration d, int value) -> awaitable<int> {
      co_await sim->env().Sleep(d);
      co_return value;
    };
    std::vector<awaitable<int>> tasks;
    tasks.push_back(after(sim, 9s, 1));
    tasks.push_back(after(sim, 2s, 2));
    tasks.push_back(after(sim, 5s, 3));
    *results = co_await WhenAll(std::move(tasks));
  }(sim_.get(), &results));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_EQ(results, (std::vector<int>{1, 2, 3}));
}

TEST_F(WhenTest, WhenAnyReturnsTheFirstToFinishAndCancelsTheRest) {
  size_t first = 99;
  sim_->Spawn([](WhenTest* t, size_t* first) -> awaitable<void> {
    std::vector<awaitable<void>> tasks;
    tasks.push_back(t->SleepThenLog(30s, "slow"));
    tasks.push_back(t->SleepThenLog(4s, "fast"));
    tasks.push_back(t->SleepThenLog(1h, "slowest"));
    *first = co_await WhenAny(std::move(tasks));
  }(this, &first));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(log_, std::vector<std::string>{"fast"});
  EXPECT_EQ(Elapsed(), 4s);
}

TEST_F(WhenTest, WhenAnyRethrowsTheFirstTasksException) {
  bool threw = false;
  sim_->Spawn([](WhenTest* t, bool* threw) -> awaitable<void> {
    std::vector<awaitable<void>> tasks;
    tasks.push_back(t->SleepThenLog(30s, "slow"));
    tasks.push_back(t->SleepThenThrow(2s));
    try {
      (void)co_await WhenAny(std::move(tasks));
    } catch (const std::runtime_error&) {
      *threw = true;
    }
  }(this, &threw));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_TRUE(threw);
  EXPECT_TRUE(log_.empty());
}

// A long poll raced against a timer: the poll is abandoned when the timer
// wins, receives nothing, and the message sent later is still there for the
// next receive.
TEST_F(WhenTest, ACancelledLongPollIsAbandonedWithoutTakingMessages) {
  const std::string url = MakeQueue("work");
  size_t first = 99;
  sim_->Spawn([](Simulator* sim, std::string url, size_t* first) -> awaitable<void> {
    std::vector<awaitable<void>> race;
    race.push_back([](Simulator* sim, std::string url) -> awaitable<void> {
      ReceiveMessageRequest receive{.queue_url = url, .wait_time_seconds = 20};
      auto got = co_await sim->AsyncReceiveMessage(receive);
      ADD_FAILURE() << "the cancelled poll returned " << got->messages.size() << " message(s)";
    }(sim, url));
    race.push_back([](Simulator* sim) -> awaitable<void> { co_await sim->env().Sleep(2s); }(sim));
    *first = co_await WhenAny(std::move(race));
  }(sim_.get(), url, &first));
  EXPECT_TRUE(sim_->RunUntilIdle());
  EXPECT_EQ(first, 1u);
  EXPECT_EQ(Elapsed(), 2s);
  // The abandoned poll no longer waits on the queue: a send wakes nobody,
  // and the message stays for the next receive.
  ASSERT_THAT(sim_->SendMessage({.queue_url = url, .message_body = "later"}), IsOk());
  EXPECT_TRUE(sim_->RunUntilIdle());
  auto got = sim_->ReceiveMessage({.queue_url = url});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(Bodies(got->messages), std::vector<std::string>{"later"});
}

// The primitive underneath: a coroutine cancelled through its slot ends its
// virtual sleep at once with operation_aborted.
TEST_F(WhenTest, CancellingASpawnedCoroutineEndsItsSleepWithOperationAborted) {
  boost::asio::cancellation_signal signal;
  std::exception_ptr ended;
  bool finished = false;
  boost::asio::co_spawn(
      sim_->executor(),
      [](Simulator* sim) -> awaitable<void> { co_await sim->env().Sleep(1h); }(sim_.get()),
      boost::asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e) {
        ended = e;
        finished = true;
      }));
  sim_->RunFor(10s);
  EXPECT_FALSE(finished);
  signal.emit(boost::asio::cancellation_type::terminal);
  EXPECT_TRUE(sim_->RunUntilIdle());
  ASSERT_TRUE(finished);
  EXPECT_EQ(Elapsed(), 10s);
  ASSERT_TRUE(ended);
  try {
    std::rethrow_exception(ended);
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), boost::asio::error::operation_aborted);
  }
}

}  // namespace
}  // namespace sqsim
