// The consumer runtime on the simulator, in virtual time: one behaviour per
// test.

#include "sqsim/runtime/consumer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include "sqsim/fatal_error.h"
#include "sqsim/runtime/attributes.h"
#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"
#include "sqsim/threaded_simulator.h"

namespace sqsim::runtime {
namespace {

using boost::asio::awaitable;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using namespace std::chrono_literals;

class ConsumerTest : public ::testing::Test {
 protected:
  ConsumerTest() : sim_(Simulator::Create(SimulatorOptions::Exact(5)).value()) {}

  std::string MakeQueue(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
    EXPECT_THAT(created, IsOk());
    return created->queue_url;
  }
  void Send(const std::string& url, const std::string& body, std::string group = "") {
    SendMessageRequest send{.queue_url = url, .message_body = body};
    if (!group.empty()) {
      send.message_group_id = group;
      send.message_deduplication_id = body;
    }
    ASSERT_THAT(sim_->SendMessage(send), IsOk());
  }
  int Count(const std::string& url, const char* attribute = "ApproximateNumberOfMessages") {
    auto got = sim_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
    return std::stoi(got->attributes.at(attribute));
  }
  // Runs `consumer` as an actor; `status` gets what Run returned.
  void Start(Consumer& consumer, std::optional<Status>* status) {
    sim_->Spawn([](Consumer& c, std::optional<Status>* status) -> awaitable<void> {
      status->emplace(co_await c.Run());
    }(consumer, status));
  }
  // Stops `consumer` at `at` of virtual time.
  void StopAt(Consumer& consumer, Duration at) {
    sim_->Spawn([](Simulator* sim, Consumer& c, Duration at) -> awaitable<void> {
      co_await sim->env().Sleep(at);
      c.Stop();
    }(sim_.get(), consumer, at));
  }
  Duration Elapsed() const { return sim_->Now() - sim_->options().start_time; }
  int64_t Calls(Action action) const {
    auto counts = sim_->call_counts();
    return counts.contains(action) ? counts.at(action) : 0;
  }

  std::unique_ptr<Simulator> sim_;
};

MessageHandler Record(std::vector<std::string>* handled, Duration work = 0s) {
  return [handled, work](Delivery& d) -> awaitable<Outcome> {
    if (work > 0s) co_await d.env().Sleep(work);
    handled->push_back(d.message().body);
    co_return Outcome::Done();
  };
}

TEST_F(ConsumerTest, HandlesEveryMessageAndDeletesThemInBatches) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 25; ++i) Send(url, "order-" + std::to_string(i));
  std::vector<std::string> handled;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, Record(&handled));
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 60s);
  sim_->RunFor(2min);
  ASSERT_TRUE(status.has_value());
  EXPECT_THAT(*status, IsOk());
  EXPECT_EQ(handled.size(), 25u);
  EXPECT_EQ(consumer.stats().deleted, 25);
  EXPECT_EQ(Count(url), 0);
  EXPECT_EQ(Count(url, "ApproximateNumberOfMessagesNotVisible"), 0);
  EXPECT_EQ(Calls(Action::kDeleteMessage), 0);
  EXPECT_EQ(Calls(Action::kDeleteMessageBatch), 3);  // 10 + 10 + 5
}

TEST_F(ConsumerTest, DeleteBatchSizeOneDeletesEachMessageAtOnce) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 4; ++i) Send(url, "order-" + std::to_string(i));
  std::vector<std::string> handled;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url, .delete_batch_size = 1},
                    Record(&handled));
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 10s);
  sim_->RunFor(1min);
  EXPECT_EQ(Calls(Action::kDeleteMessage), 4);
  EXPECT_EQ(Calls(Action::kDeleteMessageBatch), 0);
}

TEST_F(ConsumerTest, MaxInFlightBoundsConcurrentHandlers) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 9; ++i) Send(url, "order-" + std::to_string(i));
  int running = 0, most = 0;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url, .max_in_flight = 3},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      most = std::max(most, ++running);
                      co_await d.env().Sleep(10s);
                      --running;
                      co_return Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  sim_->RunUntil([&] { return consumer.stats().done == 9; }, 10min);
  EXPECT_EQ(most, 3);
  EXPECT_EQ(Elapsed(), 30s);  // three rounds of three, ten seconds each
  consumer.Stop();
  sim_->RunFor(1min);
  EXPECT_THAT(*status, IsOk());
}

TEST_F(ConsumerTest, RetryBacksOffByReceiveCount) {
  const std::string url = MakeQueue("orders");
  Send(url, "order-1");
  std::vector<Duration> seen;
  Consumer consumer(*sim_, sim_->env(),
                    {.queue_url = url, .retry = {.initial = 2s, .multiplier = 3, .max = 1h}},
                    [&](Delivery&) -> awaitable<Outcome> {
                      seen.push_back(Elapsed());
                      co_return seen.size() < 3 ? Outcome::Retry() : Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 1min);
  sim_->RunFor(2min);
  // Receive 1 at 0 s, back after 2 s; receive 2 back after 2 * 3 = 6 s.
  EXPECT_EQ(seen, (std::vector<Duration>{0s, 2s, 8s}));
  EXPECT_EQ(consumer.stats().retried, 2);
}

TEST_F(ConsumerTest, RetryAfterUsesTheGivenDelay) {
  const std::string url = MakeQueue("orders");
  Send(url, "order-1");
  std::vector<Duration> seen;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery&) -> awaitable<Outcome> {
    seen.push_back(Elapsed());
    co_return seen.size() == 1 ? Outcome::RetryAfter(45s) : Outcome::Done();
  });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 2min);
  sim_->RunFor(3min);
  EXPECT_EQ(seen, (std::vector<Duration>{0s, 45s}));
}

TEST_F(ConsumerTest, DeadLetterSendsTheMessageOnAndDeletesIt) {
  const std::string url = MakeQueue("orders");
  const std::string parking = MakeQueue("orders-parking");
  SendMessageRequest send{
      .queue_url = url,
      .message_body = "poison",
      .message_attributes = {{"kind", {.string_value = "order", .data_type = "String"}}}};
  ASSERT_THAT(sim_->SendMessage(send), IsOk());
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery&) -> awaitable<Outcome> {
    co_return Outcome::DeadLetter(parking);
  });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 10s);
  sim_->RunFor(1min);
  EXPECT_EQ(consumer.stats().dead_lettered, 1);
  EXPECT_EQ(Count(url) + Count(url, "ApproximateNumberOfMessagesNotVisible"), 0);
  auto parked = sim_->ReceiveMessage({.queue_url = parking, .message_attribute_names = {"All"}});
  ASSERT_THAT(parked, IsOk());
  ASSERT_EQ(parked->messages.size(), 1u);
  EXPECT_EQ(parked->messages[0].body, "poison");
  EXPECT_EQ(StringAttribute(parked->messages[0], "kind"), "order");
}

TEST_F(ConsumerTest, LeaveLetsTheVisibilityTimeoutBringItBack) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "40"}});
  Send(url, "order-1");
  std::vector<Duration> seen;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery&) -> awaitable<Outcome> {
    seen.push_back(Elapsed());
    co_return seen.size() == 1 ? Outcome::Leave() : Outcome::Done();
  });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 2min);
  sim_->RunFor(3min);
  EXPECT_EQ(seen, (std::vector<Duration>{0s, 40s}));
  EXPECT_EQ(consumer.stats().left, 1);
}

TEST_F(ConsumerTest, AHandlerExceptionBecomesTheOnExceptionOutcome) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "40"}});
  Send(url, "order-1");
  std::vector<Duration> seen;
  Consumer consumer(*sim_, sim_->env(),
                    {.queue_url = url,
                     .on_exception = [](std::exception_ptr) { return Outcome::RetryAfter(5s); }},
                    [&](Delivery&) -> awaitable<Outcome> {
                      seen.push_back(Elapsed());
                      if (seen.size() == 1) throw std::runtime_error("gateway down");
                      co_return Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 1min);
  sim_->RunFor(2min);
  EXPECT_EQ(seen, (std::vector<Duration>{0s, 5s}));
  EXPECT_EQ(consumer.stats().exceptions, 1);
  EXPECT_THAT(*status, IsOk());
}

struct Dying : FatalError {};

TEST_F(ConsumerTest, AFatalErrorEndsRunAfterCancellingTheOtherHandlers) {
  const std::string url = MakeQueue("orders");
  Send(url, "slow");
  Send(url, "fatal");
  bool slow_finished = false;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery& d) -> awaitable<Outcome> {
    if (d.message().body == "slow") {
      co_await d.env().Sleep(1h);
      slow_finished = true;
    } else {
      co_await d.env().Sleep(3s);
      throw Dying();
    }
    co_return Outcome::Done();
  });
  bool rethrown = false;
  sim_->Spawn([](Consumer& c, bool* rethrown) -> awaitable<void> {
    try {
      (void)co_await c.Run();
    } catch (const Dying&) {
      *rethrown = true;
    }
  }(consumer, &rethrown));
  sim_->RunFor(2h);
  EXPECT_TRUE(rethrown);
  EXPECT_FALSE(slow_finished);
  EXPECT_EQ(consumer.stats().deleted, 0);
  EXPECT_EQ(Count(url), 2);  // both back after the visibility timeout
}

TEST_F(ConsumerTest, TheHeartbeatKeepsASlowMessageFromOtherConsumers) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "10"}});
  Send(url, "slow");
  std::vector<std::string> first, second;
  Consumer slow(*sim_, sim_->env(),
                {.queue_url = url, .heartbeat_interval = 5s, .heartbeat_visibility_seconds = 10},
                Record(&first, 60s));
  Consumer other(*sim_, sim_->env(), {.queue_url = url}, Record(&second));
  std::optional<Status> s1, s2;
  Start(slow, &s1);
  sim_->RunFor(1s);
  Start(other, &s2);
  StopAt(slow, 2min);
  StopAt(other, 2min);
  sim_->RunFor(3min);
  EXPECT_EQ(first, std::vector<std::string>{"slow"});
  EXPECT_TRUE(second.empty());
  EXPECT_EQ(slow.stats().extensions, 11);  // at 5, 10, ..., 55 s
  EXPECT_EQ(slow.stats().lost_ownership, 0);
}

TEST_F(ConsumerTest, AFailedExtensionTellsTheHandlerItLostTheMessage) {
  const std::string url = MakeQueue("orders");
  Send(url, "order-1");
  bool lost_seen = false;
  std::string handle;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url, .heartbeat_interval = 10s},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      handle = d.message().receipt_handle;
                      co_await d.env().Sleep(35s);
                      lost_seen = d.ownership_lost();
                      co_return Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  sim_->RunFor(15s);  // one extension done
  ASSERT_THAT(sim_->DeleteMessage({.queue_url = url, .receipt_handle = handle}), IsOk());
  StopAt(consumer, 1min);
  sim_->RunFor(2min);
  EXPECT_TRUE(lost_seen);
  EXPECT_EQ(consumer.stats().extensions, 1);
  EXPECT_EQ(consumer.stats().lost_ownership, 1);
  EXPECT_EQ(consumer.stats().deleted, 0);  // not with a handle that failed
}

TEST_F(ConsumerTest, FifoGroupsKeepTheirOrderAndReleaseTheRestAfterARetry) {
  const std::string url = MakeQueue("grades.fifo", {{"FifoQueue", "true"}});
  for (const char* body : {"a1", "a2", "a3"}) Send(url, body, "a");
  for (const char* body : {"b1", "b2"}) Send(url, body, "b");
  std::vector<std::string> done;
  int a1_tries = 0;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery& d) -> awaitable<Outcome> {
    co_await d.env().Sleep(1s);
    if (d.message().body == "a1" && ++a1_tries == 1) {
      co_return Outcome::RetryAfter(0s);
    }
    done.push_back(d.message().body);
    co_return Outcome::Done();
  });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 1min);
  sim_->RunFor(2min);
  auto order_of = [&](char group) {
    std::vector<std::string> out;
    for (const std::string& b : done) {
      if (b[0] == group) out.push_back(b);
    }
    return out;
  };
  EXPECT_EQ(order_of('a'), (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(order_of('b'), (std::vector<std::string>{"b1", "b2"}));
  EXPECT_EQ(consumer.stats().released, 2);           // a2 and a3, after a1's retry
  EXPECT_EQ(Calls(Action::kDeleteMessageBatch), 0);  // FIFO deletes at once
}

TEST_F(ConsumerTest, AFifoMessageWhoseTurnComesAfterItsVisibilityRanOutIsLeft) {
  const std::string url =
      MakeQueue("grades.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "10"}});
  for (const char* body : {"a1", "a2", "a3"}) Send(url, body, "a");
  std::vector<std::pair<std::string, Duration>> done;
  // No heartbeat: a3's turn comes 9 s after the receive, within a second of
  // its 10 s visibility running out; it may be another consumer's by then,
  // so it is left for its redelivery rather than handled.
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, [&](Delivery& d) -> awaitable<Outcome> {
    co_await d.env().Sleep(4500ms);
    done.emplace_back(d.message().body, Elapsed());
    co_return Outcome::Done();
  });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 2min);
  sim_->RunFor(3min);
  ASSERT_EQ(done.size(), 3u);
  EXPECT_EQ(done[0], std::make_pair(std::string("a1"), Duration(4500ms)));
  EXPECT_EQ(done[1], std::make_pair(std::string("a2"), Duration(9s)));
  EXPECT_EQ(done[2].first, "a3");
  EXPECT_GE(done[2].second, 14500ms);  // received again once visible, at 10 s
  EXPECT_EQ(consumer.stats().expired, 1);
}

TEST_F(ConsumerTest, TheHeartbeatAlsoKeepsAFifoGroupsWaitingMessages) {
  const std::string url =
      MakeQueue("grades.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "10"}});
  for (const char* body : {"a1", "a2", "a3"}) Send(url, body, "a");
  std::vector<std::string> done;
  Consumer consumer(
      *sim_, sim_->env(),
      {.queue_url = url, .heartbeat_interval = 5s, .heartbeat_visibility_seconds = 10},
      Record(&done, 15s));
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 2min);
  sim_->RunFor(3min);
  EXPECT_EQ(done, (std::vector<std::string>{"a1", "a2", "a3"}));
  EXPECT_EQ(consumer.stats().expired, 0);
  EXPECT_GT(Calls(Action::kChangeMessageVisibilityBatch), 0);  // a1..a3 together
}

TEST_F(ConsumerTest, StopCancelsThePendingPollWaitsForHandlersAndFlushesDeletes) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 3; ++i) Send(url, "order-" + std::to_string(i));
  std::vector<std::string> handled;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url, .delete_flush_interval = 1h},
                    Record(&handled, 2s));
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 1s);  // handlers running, a long poll pending
  sim_->RunFor(10min);
  ASSERT_TRUE(status.has_value());
  EXPECT_THAT(*status, IsOk());
  EXPECT_EQ(handled.size(), 3u);
  EXPECT_EQ(consumer.stats().deleted, 3);  // flushed at shutdown, not after an hour
  EXPECT_EQ(Count(url, "ApproximateNumberOfMessagesNotVisible"), 0);
}

TEST_F(ConsumerTest, StopReturnsAsSoonAsHandlersEndNotAfterThePoll) {
  const std::string url = MakeQueue("orders");
  std::vector<std::string> handled;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url}, Record(&handled));
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 3s);
  EXPECT_TRUE(sim_->RunUntil([&] { return status.has_value(); }, 1h));
  EXPECT_EQ(Elapsed(), 3s);  // the 20 s long poll was cancelled
}

TEST_F(ConsumerTest, TheShutdownDeadlineCancelsHandlersStillRunning) {
  const std::string url = MakeQueue("orders");
  Send(url, "stuck");
  bool finished = false;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url, .shutdown_deadline = 10s},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      co_await d.env().Sleep(1h);
                      finished = true;
                      co_return Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 5s);
  EXPECT_TRUE(sim_->RunUntil([&] { return status.has_value(); }, 2h));
  EXPECT_EQ(Elapsed(), 15s);
  EXPECT_FALSE(finished);
  EXPECT_EQ(consumer.stats().cancelled, 1);
  EXPECT_EQ(consumer.stats().deleted, 0);
}

TEST_F(ConsumerTest, ReceiveErrorsBackOffAndRecover) {
  SimulatorOptions options = SimulatorOptions::Exact(5);
  options.faults.rules = {{.id = "receive-down",
                           .effect = FaultEffect::kError,
                           .action = Action::kReceiveMessage,
                           .on_calls = {1, 2, 3},
                           .error = ErrorCode::kServiceUnavailable}};
  sim_ = Simulator::Create(options).value();
  const std::string url = MakeQueue("orders");
  Send(url, "order-1");
  auto client = sim_->NewFaultInjectingClient();
  std::vector<std::string> handled;
  Consumer consumer(*client, sim_->env(), {.queue_url = url}, Record(&handled));
  std::optional<Status> status;
  Start(consumer, &status);
  sim_->RunUntil([&] { return !handled.empty(); }, 1h);
  EXPECT_EQ(consumer.stats().receive_errors, 3);
  EXPECT_EQ(handled, std::vector<std::string>{"order-1"});
  // Backed off with jitter below 0.5 + 1 + 2 s in all.
  EXPECT_GT(Elapsed(), 0s);
  EXPECT_LT(Elapsed(), 3500ms);
  consumer.Stop();
  sim_->RunFor(1min);
}

TEST_F(ConsumerTest, ABatchHandlerGetsAWholeReceiveAndDecidesPerMessage) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 5; ++i) Send(url, "order-" + std::to_string(i));
  std::vector<size_t> batch_sizes;
  std::vector<std::string> done;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url},
                    [&](std::vector<Delivery>& batch) -> awaitable<std::vector<Outcome>> {
                      batch_sizes.push_back(batch.size());
                      std::vector<Outcome> outcomes;
                      for (Delivery& d : batch) {
                        const bool odd = (d.message().body.back() - '0') % 2 == 1;
                        if (odd && batch_sizes.size() == 1) {
                          outcomes.push_back(Outcome::RetryAfter(30s));
                        } else {
                          done.push_back(d.message().body);
                          outcomes.push_back(Outcome::Done());
                        }
                      }
                      co_return outcomes;
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 2min);
  sim_->RunFor(3min);
  EXPECT_EQ(batch_sizes, (std::vector<size_t>{5, 2}));  // the retried two came back together
  EXPECT_EQ(done.size(), 5u);
  EXPECT_EQ(consumer.stats().deleted, 5);
  EXPECT_EQ(consumer.stats().retried, 2);
}

TEST_F(ConsumerTest, AFifoBatchReleasesWhatFollowsAMessageThatStays) {
  const std::string url = MakeQueue("grades.fifo", {{"FifoQueue", "true"}});
  for (const char* body : {"a1", "a2", "a3"}) Send(url, body, "a");
  std::vector<std::string> done;
  int deliveries = 0;
  Consumer consumer(*sim_, sim_->env(), {.queue_url = url},
                    [&](std::vector<Delivery>& batch) -> awaitable<std::vector<Outcome>> {
                      std::vector<Outcome> outcomes;
                      for (Delivery& d : batch) {
                        // The first call keeps a2 for later, but says a3 is done.
                        if (++deliveries == 2) {
                          outcomes.push_back(Outcome::RetryAfter(0s));
                          continue;
                        }
                        done.push_back(d.message().body);
                        outcomes.push_back(Outcome::Done());
                      }
                      co_return outcomes;
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 1min);
  sim_->RunFor(2min);
  EXPECT_EQ(consumer.stats().released, 1);  // a3, after a2 stayed
  EXPECT_EQ(Count(url) + Count(url, "ApproximateNumberOfMessagesNotVisible"), 0);
  // a3 was handled twice (its first "done" could not be acknowledged in
  // order), and the group's deletes went in order.
  EXPECT_EQ(done, (std::vector<std::string>{"a1", "a3", "a2", "a3"}));
}

TEST_F(ConsumerTest, OnEventSeesWhatTheStatsCount) {
  const std::string url = MakeQueue("orders");
  for (int i = 0; i < 3; ++i) Send(url, "order-" + std::to_string(i));
  std::map<ConsumerEvent::Kind, int> seen;
  std::vector<std::string> handled;
  Consumer consumer(*sim_, sim_->env(),
                    {.queue_url = url, .on_event = [&](const ConsumerEvent& e) { ++seen[e.kind]; }},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      handled.push_back(d.message().body);
                      co_return handled.size() == 1 ? Outcome::Leave() : Outcome::Done();
                    });
  std::optional<Status> status;
  Start(consumer, &status);
  StopAt(consumer, 10s);
  sim_->RunFor(1min);
  EXPECT_EQ(seen[ConsumerEvent::Kind::kReceived], consumer.stats().received);
  EXPECT_EQ(seen[ConsumerEvent::Kind::kHandled], 3);
  EXPECT_EQ(seen[ConsumerEvent::Kind::kDeleted], consumer.stats().deleted);
  EXPECT_EQ(consumer.stats().deleted, 2);
}

TEST(ConsumerOnThreads, RunsOnTheThreadedSimulatorToo) {
  auto sim = ThreadedSimulator::Create({.time_scale = 1000}).value();
  const std::string url = sim->CreateQueue({.queue_name = "orders"}).value().queue_url;
  for (int i = 0; i < 5; ++i) {
    ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = std::to_string(i)}), IsOk());
  }
  std::atomic<int> handled = 0;
  Consumer consumer(*sim, sim->env(), {.queue_url = url, .wait_time_seconds = 1},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      co_await d.env().Sleep(1s);  // a millisecond of real time
                      ++handled;
                      co_return Outcome::Done();
                    });
  Status result = Status(ErrorCode::kInternalFailure, "not run");
  std::thread worker([&] { result = consumer.RunBlocking(); });
  while (handled.load() < 5) std::this_thread::sleep_for(1ms);
  consumer.Stop();
  worker.join();
  EXPECT_THAT(result, IsOk());
  EXPECT_EQ(consumer.stats().deleted, 5);
}

TEST_F(ConsumerTest, InvalidOptionsAreRejectedByName) {
  const ConsumerOptions good{.queue_url = "q"};
  EXPECT_THAT(Consumer::Validate(good), IsOk());
  auto bad = [&](auto change) {
    ConsumerOptions o = good;
    change(o);
    return Consumer::Validate(o);
  };
  EXPECT_THAT(bad([](ConsumerOptions& o) { o.queue_url.clear(); }),
              StatusIs(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("queue_url")));
  EXPECT_THAT(bad([](ConsumerOptions& o) { o.max_messages_per_receive = 11; }),
              StatusIs(ErrorCode::kInvalidParameterValue,
                       ::testing::HasSubstr("max_messages_per_receive")));
  EXPECT_THAT(bad([](ConsumerOptions& o) { o.wait_time_seconds = 21; }),
              StatusIs(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("wait_time")));
  EXPECT_THAT(bad([](ConsumerOptions& o) { o.max_in_flight = 0; }),
              StatusIs(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("max_in_flight")));
  EXPECT_THAT(
      bad([](ConsumerOptions& o) { o.delete_batch_size = 11; }),
      StatusIs(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("delete_batch_size")));
  EXPECT_THAT(bad([](ConsumerOptions& o) { o.retry.multiplier = 0.5; }),
              StatusIs(ErrorCode::kInvalidParameterValue, ::testing::HasSubstr("retry")));
}

TEST(MessageAttributes, TypedAccessorsReadWhatSqsSends) {
  Message m{.attributes = {{"ApproximateReceiveCount", "3"},
                           {"SentTimestamp", "1767225600123"},
                           {"MessageGroupId", "student-7"},
                           {"ApproximateFirstReceiveTimestamp", "not a number"}}};
  EXPECT_EQ(ReceiveCount(m), 3);
  EXPECT_EQ(SentTime(m), Timestamp(std::chrono::milliseconds(1767225600123)));
  EXPECT_EQ(GroupId(m), "student-7");
  EXPECT_EQ(FirstReceiveTime(m), std::nullopt);  // malformed
  EXPECT_EQ(DeduplicationId(m), std::nullopt);   // not asked for
}

}  // namespace
}  // namespace sqsim::runtime
