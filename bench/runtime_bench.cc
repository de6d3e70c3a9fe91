// The consumer and producer runtime's cost per message, in virtual time,
// against the same SQS calls made by hand.
//
// A cycle is one message sent, received, handled (a no-op) and deleted,
// 1,000 per iteration on an exact-mode simulator:
//   BM_RawClientCycles         a hand-written loop: SendMessageBatch of 10,
//                              ReceiveMessage of 10, DeleteMessageBatch of 10;
//   BM_ConsumerProducerCycles  ten coroutines sending through one Producer
//                              (batches of 10) and one Consumer (receives of
//                              10, a coroutine per message, batched deletes).
// The target: the runtime costs at most 2x the raw cycle.
//
// Counter: cycles_per_second (per second of CPU).

#include <benchmark/benchmark.h>

#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"
#include "sqsim/simulator.h"

namespace sqsim {
namespace {

using boost::asio::awaitable;

constexpr int kMessages = 1000;
const std::string kBody(100, 'b');

void Report(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kMessages);
  state.counters["cycles_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kMessages), benchmark::Counter::kIsRate);
}

awaitable<void> RawCycles(Simulator* sim, std::string url) {
  for (int first = 0; first < kMessages; first += 10) {
    SendMessageBatchRequest batch{.queue_url = url};
    for (int i = 0; i < 10; ++i) {
      batch.entries.push_back({.id = std::to_string(i), .message_body = kBody});
    }
    auto sent = co_await sim->AsyncSendMessageBatch(batch);
    ReceiveMessageRequest receive{.queue_url = url, .max_number_of_messages = 10};
    auto got = co_await sim->AsyncReceiveMessage(receive);
    DeleteMessageBatchRequest del{.queue_url = url};
    for (size_t i = 0; i < got->messages.size(); ++i) {
      del.entries.push_back(
          {.id = std::to_string(i), .receipt_handle = got->messages[i].receipt_handle});
    }
    auto deleted = co_await sim->AsyncDeleteMessageBatch(del);
    benchmark::DoNotOptimize(sent);
    benchmark::DoNotOptimize(deleted);
  }
}

void BM_RawClientCycles(benchmark::State& state) {
  for (auto _ : state) {
    auto sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
    const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
    sim->Spawn(RawCycles(sim.get(), url));
    sim->RunUntilIdle();
  }
  Report(state);
}
BENCHMARK(BM_RawClientCycles);

awaitable<void> SendSome(runtime::Producer& producer, int n) {
  for (int i = 0; i < n; ++i) {
    SendMessageRequest send{.message_body = kBody};
    auto sent = co_await producer.Send(std::move(send));
    benchmark::DoNotOptimize(sent);
  }
}

void BM_ConsumerProducerCycles(benchmark::State& state) {
  for (auto _ : state) {
    auto sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
    const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
    runtime::Producer producer(*sim, sim->env(), {.queue_url = url});
    int handled = 0;
    runtime::Consumer consumer(*sim, sim->env(), {.queue_url = url, .wait_time_seconds = 1},
                               [&](runtime::Delivery&) -> awaitable<runtime::Outcome> {
                                 ++handled;
                                 co_return runtime::Outcome::Done();
                               });
    for (int i = 0; i < 10; ++i) sim->Spawn(SendSome(producer, kMessages / 10));
    sim->Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(consumer));
    sim->RunUntil([&] { return handled == kMessages; }, std::chrono::hours(1));
    consumer.Stop();
    sim->RunUntilIdle();
    if (consumer.stats().deleted != kMessages) state.SkipWithError("not every message deleted");
  }
  Report(state);
}
BENCHMARK(BM_ConsumerProducerCycles);

}  // namespace
}  // namespace sqsim
