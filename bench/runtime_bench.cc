// The consumer and producer runtime's cost per message, in virtual time,
// against the same SQS calls made by hand.
//
// A cycle is one message sent, received, handled (a no-op) and deleted,
// 1,000 per iteration on an exact-mode simulator:
//   BM_RawClientCycles         a hand-written loop: SendMessageBatch of 10,
//                              ReceiveMessage of 10, DeleteMessageBatch of 10;
//   BM_ConsumerProducerCycles  ten coroutines sending through one Producer
//                              (batches of 10) and one Consumer (receives of
//                              10, a handler call per message, batched
//                              deletes);
//   BM_ConsumerCycles          raw batch sends, the Consumer;
//   BM_ProducerCycles          the Producer, raw receives and batch deletes.
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

awaitable<void> RawSends(Simulator* sim, std::string url) {
  for (int first = 0; first < kMessages; first += 10) {
    SendMessageBatchRequest batch{.queue_url = url};
    for (int i = 0; i < 10; ++i) {
      batch.entries.push_back({.id = std::to_string(i), .message_body = kBody});
    }
    auto sent = co_await sim->AsyncSendMessageBatch(batch);
    benchmark::DoNotOptimize(sent);
  }
}

awaitable<void> RawReceivesAndDeletes(Simulator* sim, std::string url, int* received) {
  while (*received < kMessages) {
    ReceiveMessageRequest receive{
        .queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 1};
    auto got = co_await sim->AsyncReceiveMessage(receive);
    if (!got.ok() || got->messages.empty()) continue;
    DeleteMessageBatchRequest del{.queue_url = url};
    for (size_t i = 0; i < got->messages.size(); ++i) {
      del.entries.push_back(
          {.id = std::to_string(i), .receipt_handle = got->messages[i].receipt_handle});
    }
    *received += static_cast<int>(got->messages.size());
    auto deleted = co_await sim->AsyncDeleteMessageBatch(del);
    benchmark::DoNotOptimize(deleted);
  }
}

awaitable<void> SendSome(runtime::Producer& producer, int n) {
  for (int i = 0; i < n; ++i) {
    SendMessageRequest send{.message_body = kBody};
    auto sent = co_await producer.Send(std::move(send));
    benchmark::DoNotOptimize(sent);
  }
}

// One Consumer handles 1,000 messages, sent through a Producer by ten
// coroutines, or by hand in batches of ten.
void ConsumeAll(benchmark::State& state, bool through_producer) {
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
    if (through_producer) {
      for (int i = 0; i < 10; ++i) sim->Spawn(SendSome(producer, kMessages / 10));
    } else {
      sim->Spawn(RawSends(sim.get(), url));
    }
    sim->Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(consumer));
    sim->RunUntil([&] { return handled == kMessages; }, std::chrono::hours(1));
    consumer.Stop();
    sim->RunUntilIdle();
    if (consumer.stats().deleted != kMessages) state.SkipWithError("not every message deleted");
  }
  Report(state);
}

void BM_ConsumerProducerCycles(benchmark::State& state) { ConsumeAll(state, true); }
BENCHMARK(BM_ConsumerProducerCycles);

void BM_ConsumerCycles(benchmark::State& state) { ConsumeAll(state, false); }
BENCHMARK(BM_ConsumerCycles);

void BM_ProducerCycles(benchmark::State& state) {
  for (auto _ : state) {
    auto sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
    const std::string url = sim->CreateQueue({.queue_name = "q"}).value().queue_url;
    runtime::Producer producer(*sim, sim->env(), {.queue_url = url});
    int received = 0;
    for (int i = 0; i < 10; ++i) sim->Spawn(SendSome(producer, kMessages / 10));
    sim->Spawn(RawReceivesAndDeletes(sim.get(), url, &received));
    sim->RunUntilIdle();
    if (producer.stats().sent != kMessages || received != kMessages) {
      state.SkipWithError("not every message sent and received");
    }
  }
  Report(state);
}
BENCHMARK(BM_ProducerCycles);

}  // namespace
}  // namespace sqsim
