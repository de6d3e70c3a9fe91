// Same seed, same program: same trace, byte for byte. Different seeds give
// different runs.

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using boost::asio::awaitable;

// A workload touching every source of randomness: ids, handles, sampling,
// reordering, actors interleaving through long polls and sleeps.
struct RunResult {
  uint64_t hash;
  std::string last_events;
  std::vector<std::string> message_ids;
};

RunResult RunWorkload(uint64_t seed) {
  SimulatorOptions options;
  options.seed = seed;
  auto sim = Simulator::Create(options).value();
  const std::string url =
      sim->CreateQueue({.queue_name = "work", .attributes = {{"VisibilityTimeout", "5"}}})
          ->queue_url;
  RunResult result;
  sim->Spawn([](Simulator* sim, std::string url, RunResult* result) -> awaitable<void> {
    for (int i = 0; i < 40; ++i) {
      // Requests are named before co_await: GCC 12 destroys aggregate
      // temporaries inside a co_await expression twice (see client.h).
      SendMessageRequest send{.queue_url = url, .message_body = std::to_string(i)};
      auto sent = co_await sim->AsyncSendMessage(send);
      result->message_ids.push_back(sent->message_id);
      co_await sim->env().Sleep(Duration(sim->env().rng().Uniform(2000000)));
    }
  }(sim.get(), url, &result));
  for (int c = 0; c < 3; ++c) {
    sim->Spawn([](Simulator* sim, std::string url) -> awaitable<void> {
      for (int round = 0; round < 30; ++round) {
        ReceiveMessageRequest receive{
            .queue_url = url, .max_number_of_messages = 3, .wait_time_seconds = round % 2 * 5};
        auto got = co_await sim->AsyncReceiveMessage(receive);
        for (const Message& m : got->messages) {
          if (sim->env().rng().OneIn(4)) continue;  // "crash": let it time out
          DeleteMessageRequest del{.queue_url = url, .receipt_handle = m.receipt_handle};
          (void)co_await sim->AsyncDeleteMessage(del);
        }
        co_await sim->env().Sleep(1s);
      }
    }(sim.get(), url));
  }
  sim->RunUntilIdle();
  result.hash = sim->trace_hash();
  result.last_events = sim->trace().FormatLast(50);
  return result;
}

TEST(Determinism, SameSeedGivesIdenticalTraceHashAndEvents) {
  RunResult a = RunWorkload(42);
  RunResult b = RunWorkload(42);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.last_events, b.last_events);
  EXPECT_EQ(a.message_ids, b.message_ids);
}

TEST(Determinism, DifferentSeedsGiveDifferentTraces) {
  RunResult a = RunWorkload(42);
  RunResult b = RunWorkload(43);
  EXPECT_NE(a.hash, b.hash);
  EXPECT_NE(a.message_ids, b.message_ids);
}

TEST(Determinism, TraceRecordsCallsAndMessageEventsReadably) {
  auto sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
  const std::string url = sim->CreateQueue({.queue_name = "q"})->queue_url;
  ASSERT_THAT(sim->SendMessage({.queue_url = url, .message_body = "x"}), IsOk());
  ASSERT_THAT(sim->GetQueueUrl({.queue_name = "missing"}), StatusIs(ErrorCode::kQueueDoesNotExist));
  const std::string text = sim->trace().FormatLast(10);
  EXPECT_THAT(text, ::testing::HasSubstr("2026-01-01T00:00:00.000Z CreateQueue OK"));
  EXPECT_THAT(text, ::testing::HasSubstr("sent q "));
  EXPECT_THAT(text, ::testing::HasSubstr("GetQueueUrl QueueDoesNotExist"));
}

}  // namespace
}  // namespace sqsim
