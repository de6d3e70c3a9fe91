// ThreadedSimulator: the same SQS semantics for consumers on threads, on a
// scaled wall clock. These tests check outcomes only, never how long
// anything took: the clock is real, so only lower bounds are certain, and a
// busy machine may pause any thread for a long time. Where a test needs one
// thread to act "before a wait ends", it runs at time scale 1 and gives the
// wait 20 virtual (= real) seconds of margin over a few milliseconds of work;
// everything else holds whatever the scheduler does.

#include "sqsim/threaded_simulator.h"

#include <atomic>
#include <future>
#include <map>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "sqsim/fault_client.h"
#include "sqsim/testing/matchers.h"

namespace sqsim {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using namespace std::chrono_literals;

std::unique_ptr<ThreadedSimulator> MakeSimulator(FaultPlan faults = {}, double time_scale = 100) {
  ThreadedSimulatorOptions options{.simulator = SimulatorOptions::Exact(3),
                                   .time_scale = time_scale};
  options.simulator.faults = std::move(faults);
  return ThreadedSimulator::Create(options).value();
}

TEST(ThreadedSimulator, RejectsANonPositiveTimeScale) {
  EXPECT_THAT(ThreadedSimulator::Create({.time_scale = 0}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(ThreadedSimulator, ClockRunsAtLeastAtTheScaledRate) {
  auto sim = MakeSimulator();
  const Timestamp before = sim->Now();
  sim->SleepFor(2s);  // 20 ms of real time at 100x
  EXPECT_GE(sim->Now() - before, Duration(2s));
}

TEST(ThreadedSimulator, ManyThreadsConsumeEveryMessageExactlyOnce) {
  auto sim = MakeSimulator();
  const std::string url =
      // The longest timeout (432 s of real time at 100x): no message comes back
      // while its consumer is paused by the scheduler.
      sim->CreateQueue({.queue_name = "work", .attributes = {{"VisibilityTimeout", "43200"}}})
          .value()
          .queue_url;
  constexpr int kMessages = 400;
  for (int i = 0; i < kMessages; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)}), IsOk());
  }
  std::mutex mu;
  std::map<std::string, int> seen;
  std::atomic<int> deleted{0};
  std::vector<std::thread> consumers;
  for (int t = 0; t < 4; ++t) {
    consumers.emplace_back([&] {
      while (deleted.load() < kMessages) {
        auto got = sim->ReceiveMessage(
            {.queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 1});
        if (!got.ok()) continue;
        for (const Message& m : got->messages) {
          {
            std::lock_guard<std::mutex> lock(mu);
            ++seen[m.body];
          }
          if (sim->DeleteMessage({.queue_url = url, .receipt_handle = m.receipt_handle}).ok()) {
            ++deleted;
          }
        }
      }
    });
  }
  for (std::thread& t : consumers) t.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kMessages));
  for (const auto& [body, n] : seen) EXPECT_EQ(n, 1) << body;
}

TEST(ThreadedSimulator, LongPollWakesWhenAnotherThreadSends) {
  auto sim = MakeSimulator({}, /*time_scale=*/1);
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  std::thread producer([&] {
    sim->SleepFor(10ms);
    (void)sim->SendMessage({.queue_url = url, .message_body = "ping"});
  });
  auto got = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
  producer.join();
  ASSERT_THAT(got, IsOk());
  ASSERT_EQ(got->messages.size(), 1u);
  EXPECT_EQ(got->messages[0].body, "ping");
}

TEST(ThreadedSimulator, VisibilityTimeoutPassesInScaledTime) {
  auto sim = MakeSimulator();
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  // Read before the receive: the message cannot reappear earlier than 1 s
  // after this, however long the thread is paused between the two calls.
  const Timestamp before_receive = sim->Now();
  auto first = sim->ReceiveMessage({.queue_url = url, .visibility_timeout = 1});
  ASSERT_EQ(first->messages.size(), 1u);
  auto again = sim->ReceiveMessage(
      {.queue_url = url, .message_system_attribute_names = {"All"}, .wait_time_seconds = 10});
  ASSERT_EQ(again->messages.size(), 1u);
  EXPECT_EQ(again->messages[0].attributes["ApproximateReceiveCount"], "2");
  EXPECT_GE(sim->Now() - before_receive, Duration(1s));
}

TEST(ThreadedSimulator, FaultsApplyThroughTheLockedInjector) {
  auto sim = MakeSimulator({.rules = {{.id = "throttle",
                                       .effect = FaultEffect::kError,
                                       .action = Action::kSendMessage,
                                       .probability = 0.5,
                                       .error = ErrorCode::kRequestThrottled}}});
  std::unique_ptr<FaultInjectingClient> faulty = sim->NewFaultInjectingClient();
  FaultInjectingClient& client = *faulty;
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  std::atomic<int> ok{0}, throttled{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t) {
    producers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto sent = client.SendMessage({.queue_url = url, .message_body = "x"});
        if (sent.ok()) {
          ++ok;
        } else if (sent.status().injected()) {
          ++throttled;
        }
      }
    });
  }
  for (std::thread& t : producers) t.join();
  EXPECT_EQ(ok + throttled, 200);
  EXPECT_GT(throttled.load(), 0);
  EXPECT_EQ(sim->faults_fired().at("throttle"), throttled.load());
  auto counts = sim->GetQueueAttributes(
      {.queue_url = url, .attribute_names = {"ApproximateNumberOfMessages"}});
  EXPECT_EQ(counts->attributes["ApproximateNumberOfMessages"], std::to_string(ok.load()));
}

// The producer sends only after a second coroutine on the receiver's thread
// has run, which it can only do while the receive is waiting. A receive that
// blocked its thread would time out empty before the message is sent.
TEST(ThreadedSimulator, CoroutineFormWaitsWithoutBlockingItsThread) {
  auto sim = MakeSimulator({}, /*time_scale=*/1);
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  boost::asio::io_context io;
  std::optional<Result<ReceiveMessageResponse>> got;
  std::promise<void> other_coroutine_ran;
  boost::asio::co_spawn(
      io,
      [](ThreadedSimulator* sim, std::string url,
         std::optional<Result<ReceiveMessageResponse>>* got) -> boost::asio::awaitable<void> {
        ReceiveMessageRequest receive{.queue_url = url, .wait_time_seconds = 20};
        got->emplace(co_await sim->AsyncReceiveMessage(receive));
      }(sim.get(), url, &got),
      boost::asio::detached);
  boost::asio::co_spawn(
      io,
      [](ThreadedSimulator* sim, std::promise<void>* ran) -> boost::asio::awaitable<void> {
        co_await sim->env().Sleep(10ms);
        ran->set_value();
      }(sim.get(), &other_coroutine_ran),
      boost::asio::detached);
  std::thread producer([&] {
    other_coroutine_ran.get_future().wait();
    (void)sim->SendMessage({.queue_url = url, .message_body = "late"});
  });
  io.run();
  producer.join();
  ASSERT_TRUE(got.has_value());
  ASSERT_THAT(*got, IsOk());
  ASSERT_EQ((*got)->messages.size(), 1u);
  EXPECT_EQ((*got)->messages[0].body, "late");
}

TEST(ThreadedSimulator, QueueMetricsCountWhatThreadsDid) {
  // 6,000x: a virtual minute passes in 10 ms.
  auto sim = MakeSimulator({}, /*time_scale=*/6000);
  const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  }
  const Timestamp sent = sim->Now();
  sim->SleepFor(2min);
  auto points = sim->GetQueueMetric({.queue_name = "q",
                                     .metric = QueueMetric::kNumberOfMessagesSent,
                                     .period = 60min,
                                     .start = sent - 1min});
  ASSERT_THAT(points, IsOk());
  ASSERT_EQ(points->size(), 1u);
  EXPECT_EQ((*points)[0].sum, 3);
}

}  // namespace
}  // namespace sqsim
