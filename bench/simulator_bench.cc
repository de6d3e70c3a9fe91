// sqsim_bench: the in-process simulator's cost per SQS operation.
//
// Every benchmark runs on the simulator's virtual clock; nothing sleeps. The
// simulators use exact mode (no short-poll sampling, no reordering) so that
// every receive returns what it is asked for and a cycle is always a full
// send -> receive -> delete; realism costs only a few random draws more.
//
// BM_Floor_SendReceiveDelete is not the simulator: it is the least work any
// faithful SQS simulator does per cycle, written plainly with standard
// containers, so that BM_SendReceiveDelete/0 can be read as a multiple of it
// (bench/floor_ratio.sh runs both and prints the ratio).
//
// Counters:
//   cycles_per_second  send -> receive -> delete cycles per second of CPU
//   bytes_per_message  heap bytes per queued 100-byte message beyond its body
//
// Run: build/release/bench/sqsim_bench  (add --benchmark_filter=Batch etc.)

#include <malloc.h>

#include <array>
#include <deque>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/digest.h"
#include "sqsim/simulator.h"

namespace sqsim {
namespace {

const std::string kBody(100, 'b');

// prefix + n, built by appending: GCC 12 misreads "e" + std::to_string(n) at
// -O3 as an overlapping memcpy (-Wrestrict, GCC bug 105329).
std::string Named(std::string_view prefix, int64_t n) {
  std::string name(prefix);
  name += std::to_string(n);
  return name;
}

// Items and cycles per second, for `cycles_per_iteration` message cycles in
// each iteration.
void SetCycleCounters(benchmark::State& state, int64_t cycles_per_iteration) {
  const int64_t cycles = state.iterations() * cycles_per_iteration;
  state.SetItemsProcessed(cycles);
  state.counters["cycles_per_second"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

std::unique_ptr<Simulator> NewSimulator() {
  SimulatorOptions options = SimulatorOptions::Exact(1);
  return Simulator::Create(options).value();
}

std::string Fill(Simulator& sim, const std::string& name, int64_t depth) {
  const std::string url = sim.CreateQueue({.queue_name = name}).value().queue_url;
  SendMessageBatchRequest batch{.queue_url = url};
  for (int i = 0; i < 10; ++i) {
    batch.entries.push_back({.id = Named("e", i), .message_body = kBody});
  }
  for (int64_t sent = 0; sent < depth; sent += 10) {
    if (!sim.SendMessageBatch(batch).ok()) std::abort();
  }
  return url;
}

// One send -> receive -> delete cycle of a 100-byte message with `depth`
// messages already queued (receive takes the oldest, so the depth stays).
void BM_SendReceiveDelete(benchmark::State& state) {
  auto sim = NewSimulator();
  const std::string url = Fill(*sim, "q", state.range(0));
  const SendMessageRequest send{.queue_url = url, .message_body = kBody};
  const ReceiveMessageRequest receive{.queue_url = url};
  DeleteMessageRequest del{.queue_url = url};
  for (auto _ : state) {
    auto sent = sim->SendMessage(send);
    auto got = sim->ReceiveMessage(receive);
    del.receipt_handle = std::move(got->messages[0].receipt_handle);
    auto deleted = sim->DeleteMessage(del);
    benchmark::DoNotOptimize(sent);
    benchmark::DoNotOptimize(deleted);
  }
  SetCycleCounters(state, 1);
}
BENCHMARK(BM_SendReceiveDelete)->Arg(0)->Arg(10000)->Arg(1000000);

// A random version 4 UUID as text ("8-4-4-4-12", lower-case hex).
std::string FloorUuid(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  const uint64_t hi = (rng() & ~uint64_t{0xf000}) | 0x4000;                  // version 4
  const uint64_t lo = (rng() & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    const uint64_t word = i < 16 ? hi : lo;
    out += kHex[(word >> (60 - 4 * (i % 16))) & 15];
  }
  return out;
}

// The floor's queue: messages as the least a simulator keeps of them, the
// queue in order, and the messages in flight by receipt handle.
class FloorQueue {
 public:
  struct Message {
    std::string id;
    std::string body;
    std::array<uint8_t, 16> md5;
  };

  // Digests the body, gives the message an id and queues it.
  const Message& Send(const std::string& body) {
    queue_.push_back({.id = FloorUuid(rng_), .body = body, .md5 = internal::Md5(body)});
    return queue_.back();
  }
  // Takes the oldest message and remembers it under a new receipt handle
  // ("AQEB" + message id + 16 hex digits of a random nonce: 56 characters;
  // sqsim's are 58).
  std::pair<std::string, const Message*> Receive() {
    const uint64_t nonce = rng_();
    std::string handle =
        "AQEB" + queue_.front().id +
        internal::HexEncode(reinterpret_cast<const uint8_t*>(&nonce), sizeof nonce);
    auto [it, inserted] = in_flight_.emplace(handle, std::move(queue_.front()));
    queue_.pop_front();
    return {std::move(handle), &it->second};
  }
  // Finds the message by its handle and forgets it.
  void Delete(const std::string& handle) {
    auto it = in_flight_.find(handle);
    if (it == in_flight_.end()) std::abort();
    benchmark::DoNotOptimize(it->second.md5);
    in_flight_.erase(it);
  }

 private:
  std::mt19937_64 rng_{1};
  std::deque<Message> queue_;
  std::unordered_map<std::string, Message> in_flight_;
};

// The floor of BM_SendReceiveDelete/0: per cycle, the MD5 of the body (the
// simulator's own digest routine), a random v4 UUID as text, a receipt handle
// of comparable length, a hash-map insert, find and erase keyed by the
// handle, and a deque push and pop. No validation, no trace, no response
// objects: only what no simulator can skip.
void BM_Floor_SendReceiveDelete(benchmark::State& state) {
  FloorQueue queue;
  for (auto _ : state) {
    queue.Send(kBody);
    queue.Delete(queue.Receive().first);
  }
  SetCycleCounters(state, 1);
}
BENCHMARK(BM_Floor_SendReceiveDelete);

// The floor plus the answers the SQS API obliges any simulator behind this
// library's interface to return, in its public types: a SendMessageResponse
// (the message id and the body's MD5 as text) and a ReceiveMessageResponse
// holding one Message (id, receipt handle, MD5 and a copy of the body), the
// delete taking the handle from the response as a consumer does. Not a
// target: it tells how much of the 1.5x budget over the floor the response
// objects alone use up (bench/floor_ratio.sh prints it).
void BM_Floor_SendReceiveDeleteWithResponses(benchmark::State& state) {
  FloorQueue queue;
  for (auto _ : state) {
    const FloorQueue::Message& queued = queue.Send(kBody);
    SendMessageResponse sent;
    sent.message_id = queued.id;
    sent.md5_of_message_body = internal::HexEncode(queued.md5.data(), queued.md5.size());
    benchmark::DoNotOptimize(sent);

    auto [handle, received] = queue.Receive();
    ReceiveMessageResponse got;
    got.messages.reserve(1);
    Message& message = got.messages.emplace_back();
    message.message_id = received->id;
    message.receipt_handle = std::move(handle);
    message.md5_of_body = internal::HexEncode(received->md5.data(), received->md5.size());
    message.body = received->body;

    queue.Delete(got.messages[0].receipt_handle);
  }
  SetCycleCounters(state, 1);
}
BENCHMARK(BM_Floor_SendReceiveDeleteWithResponses);

// The same cycle with batches of 10: SendMessageBatch, ReceiveMessage of 10,
// DeleteMessageBatch. One iteration is 10 message cycles.
void BM_SendReceiveDeleteBatch(benchmark::State& state) {
  auto sim = NewSimulator();
  const std::string url = Fill(*sim, "q", state.range(0));
  SendMessageBatchRequest send{.queue_url = url};
  for (int i = 0; i < 10; ++i) {
    send.entries.push_back({.id = Named("e", i), .message_body = kBody});
  }
  const ReceiveMessageRequest receive{.queue_url = url, .max_number_of_messages = 10};
  DeleteMessageBatchRequest del{.queue_url = url};
  for (int i = 0; i < 10; ++i) del.entries.push_back({.id = Named("d", i)});
  for (auto _ : state) {
    auto sent = sim->SendMessageBatch(send);
    auto got = sim->ReceiveMessage(receive);
    for (size_t i = 0; i < 10; ++i) {
      del.entries[i].receipt_handle = std::move(got->messages[i].receipt_handle);
    }
    auto deleted = sim->DeleteMessageBatch(del);
    benchmark::DoNotOptimize(sent);
    benchmark::DoNotOptimize(deleted);
  }
  SetCycleCounters(state, 10);
}
BENCHMARK(BM_SendReceiveDeleteBatch)->Arg(0)->Arg(10000)->Arg(1000000);

// A receive (and its visibility reset) while `in_flight` other messages are
// in flight: the in-flight index must not slow receives down.
void BM_ReceiveWithManyInFlight(benchmark::State& state) {
  auto sim = NewSimulator();
  const std::string url = Fill(*sim, "q", state.range(0) + 1);
  ReceiveMessageRequest hide{
      .queue_url = url, .max_number_of_messages = 10, .visibility_timeout = 43200};
  for (int64_t hidden = 0; hidden < state.range(0); hidden += 10) {
    if (!sim->ReceiveMessage(hide).ok()) std::abort();
  }
  const ReceiveMessageRequest receive{.queue_url = url, .visibility_timeout = 0};
  for (auto _ : state) {
    auto got = sim->ReceiveMessage(receive);
    benchmark::DoNotOptimize(got);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReceiveWithManyInFlight)->Arg(0)->Arg(10000)->Arg(100000);

// FIFO: one send -> receive -> delete cycle with messages spread over
// `groups` message groups and `depth` messages already queued. Sends carry
// explicit deduplication ids; the virtual clock moves 1 s every 1,000 cycles
// so that the 5-minute deduplication window holds a steady 300,000 ids, as a
// steady stream would.
void BM_FifoSendReceiveDelete(benchmark::State& state) {
  auto sim = NewSimulator();
  const int64_t groups = state.range(0);
  const int64_t depth = state.range(1);
  const std::string url =
      sim->CreateQueue({.queue_name = "q.fifo", .attributes = {{"FifoQueue", "true"}}})
          .value()
          .queue_url;
  int64_t n = 0;
  SendMessageRequest send{.queue_url = url, .message_body = kBody};
  auto send_next = [&] {
    send.message_group_id = Named("g", n % groups);
    send.message_deduplication_id = Named("d", n);
    ++n;
    return sim->SendMessage(send);
  };
  for (int64_t i = 0; i < depth; ++i) {
    if (!send_next().ok()) std::abort();
  }
  const ReceiveMessageRequest receive{.queue_url = url};
  DeleteMessageRequest del{.queue_url = url};
  for (auto _ : state) {
    auto sent = send_next();
    auto got = sim->ReceiveMessage(receive);
    del.receipt_handle = std::move(got->messages[0].receipt_handle);
    auto deleted = sim->DeleteMessage(del);
    benchmark::DoNotOptimize(sent);
    benchmark::DoNotOptimize(deleted);
    if (n % 1000 == 0) sim->RunFor(std::chrono::seconds(1));
  }
  SetCycleCounters(state, 1);
}
BENCHMARK(BM_FifoSendReceiveDelete)
    ->Args({1, 0})
    ->Args({100, 0})
    ->Args({10000, 0})
    ->Args({1, 100000})
    ->Args({100, 100000})
    ->Args({10000, 100000});

// Heap bytes per queued 100-byte message beyond the body itself, measured
// with mallinfo2 (so allocator headers and container slack are included).
void BM_QueuedMessageMemory(benchmark::State& state) {
  const int64_t n = state.range(0);
  double overhead = 0;
  for (auto _ : state) {
    auto sim = NewSimulator();
    const std::string url = Fill(*sim, "warm", 10);
    const size_t before = mallinfo2().uordblks;
    Fill(*sim, "q", n);
    const size_t after = mallinfo2().uordblks;
    overhead = static_cast<double>(after - before) / static_cast<double>(n) - kBody.size();
  }
  state.counters["bytes_per_message"] = overhead;
}
BENCHMARK(BM_QueuedMessageMemory)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sqsim

BENCHMARK_MAIN();
