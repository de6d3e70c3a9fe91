// sqsim-server against moto_server on loopback, measured with the same
// compiled clients in the same run: send -> receive -> delete cycles per
// second with many cycles in flight, and SendMessage requests per second.
// Two clients: AwsClient itself (signing, MD5 checks: what a C++ user gets),
// and RawSqsConnection (raw_sqs_connection.h: fixed JSON bodies over
// keep-alive connections, wrk's role), which measures the servers rather
// than the client.
//
// Pinning: the server under test (the real `sqsim-server` program, or
// `moto_server`) runs under `taskset -c 0`; the benchmark thread and the
// client's I/O thread are pinned to CPU 1. Without taskset, or on a machine
// with one CPU, nothing is pinned (the counters say which).
//
// Counters:
//   cycles_per_second   completed send -> receive -> delete cycles per second
//   pinned              1 when server and client ran on separate CPUs

#include <atomic>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "peer_processes.h"
#include "raw_sqs_connection.h"
#include "sqsim/aws/aws_client.h"

namespace sqsim {
namespace {

using bench::MotoServer;
using bench::PeerProcess;
using bench::PinThisThreadTo;
using bench::SqsimServer;

// One coroutine per queue on one client, each running `cycles` send ->
// receive -> delete cycles on its queue. Returns the first failure, or OK.
Status RunCycles(boost::asio::io_context& io, aws::AwsClient& client,
                 const std::vector<std::string>& queues, int cycles) {
  Status failure;
  auto fail = [&failure](const Status& status) {
    if (failure.ok()) failure = status;
  };
  for (const std::string& url : queues) {
    boost::asio::co_spawn(
        io,
        [&client, &fail, url, cycles]() -> boost::asio::awaitable<void> {
          for (int i = 0; i < cycles; ++i) {
            SendMessageRequest send{.queue_url = url, .message_body = "enrolment"};
            auto sent = co_await client.AsyncSendMessage(send);
            if (!sent.ok()) co_return fail(sent.status());
            // A long poll: a short poll may sample servers that hold nothing.
            ReceiveMessageRequest receive{.queue_url = url, .wait_time_seconds = 5};
            auto received = co_await client.AsyncReceiveMessage(receive);
            if (!received.ok()) co_return fail(received.status());
            if (received->messages.empty()) {
              co_return fail(Status(ErrorCode::kTimeout, "a 5-second long poll came back empty"));
            }
            DeleteMessageRequest remove{.queue_url = url,
                                        .receipt_handle = received->messages[0].receipt_handle};
            auto deleted = co_await client.AsyncDeleteMessage(remove);
            if (!deleted.ok()) co_return fail(deleted.status());
          }
        },
        boost::asio::detached);
  }
  io.restart();
  io.run();
  return failure;
}

// A client of `peer` whose I/O runs on `io` (run by this thread), so a call
// costs no hand-off between threads. This thread is pinned to CPU 1 when the
// peer is pinned to CPU 0. Null, with the benchmark marked skipped, when the
// peer did not start.
std::unique_ptr<aws::AwsClient> ClientOf(benchmark::State& state, const PeerProcess& peer,
                                         boost::asio::io_context& io) {
  if (peer.url.empty()) {
    state.SkipWithError("the server did not start (moto_server not on PATH?)");
    return nullptr;
  }
  const bool pinned = peer.pinned && PinThisThreadTo(1);
  state.counters["pinned"] = pinned ? 1 : 0;
  return aws::AwsClient::Create({.region = "us-east-1",
                                 .endpoint_url = peer.url,
                                 .credentials = aws::AwsCredentials{"bench", "bench"},
                                 .executor = io.get_executor()})
      .value();
}

// Creates a queue through `client`, running `io` until it is done.
std::string CreateQueueOn(boost::asio::io_context& io, aws::AwsClient& client,
                          const std::string& name) {
  std::string url;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        CreateQueueRequest create{.queue_name = name};
        auto created = co_await client.AsyncCreateQueue(create);
        if (created.ok()) url = created->queue_url;
      },
      boost::asio::detached);
  io.restart();
  io.run();
  return url;
}

void Cycles(benchmark::State& state, PeerProcess& peer, int cycles_per_worker) {
  boost::asio::io_context io(1);
  auto client = ClientOf(state, peer, io);
  if (client == nullptr) return;
  const int workers = static_cast<int>(state.range(0));
  std::vector<std::string> queues;
  for (int i = 0; i < workers; ++i) {
    queues.push_back(
        CreateQueueOn(io, *client, "bench-" + std::to_string(workers) + "-" + std::to_string(i)));
  }
  int64_t cycles = 0;
  for (auto _ : state) {
    if (Status failed = RunCycles(io, *client, queues, cycles_per_worker); !failed.ok()) {
      state.SkipWithError(failed.ToString().c_str());
      break;
    }
    cycles += int64_t{workers} * cycles_per_worker;
  }
  state.counters["cycles_per_second"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

// SendMessage requests only, `state.range(0)` in flight.
void Requests(benchmark::State& state, PeerProcess& peer, int requests_per_worker) {
  boost::asio::io_context io(1);
  auto client = ClientOf(state, peer, io);
  if (client == nullptr) return;
  const std::string url = CreateQueueOn(io, *client, "bench-requests");
  const int workers = static_cast<int>(state.range(0));
  int64_t requests = 0;
  for (auto _ : state) {
    std::atomic<int> failures{0};
    for (int w = 0; w < workers; ++w) {
      boost::asio::co_spawn(
          io,
          [&]() -> boost::asio::awaitable<void> {
            for (int i = 0; i < requests_per_worker; ++i) {
              SendMessageRequest send{.queue_url = url, .message_body = "enrolment"};
              auto sent = co_await client->AsyncSendMessage(send);
              if (!sent.ok()) ++failures;
            }
          },
          boost::asio::detached);
    }
    io.restart();
    io.run();
    if (failures > 0) {
      state.SkipWithError("a call failed");
      break;
    }
    requests += int64_t{workers} * requests_per_worker;
  }
  // The queue keeps what was sent; the server process ends with the run.
  state.counters["requests_per_second"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}

void BM_SqsimServerRequests(benchmark::State& state) { Requests(state, SqsimServer(), 100); }
BENCHMARK(BM_SqsimServerRequests)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_MotoServerRequests(benchmark::State& state) { Requests(state, MotoServer(), 5); }
BENCHMARK(BM_MotoServerRequests)->Arg(1)->Arg(16)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- The same cycles through RawSqsConnection -------------------------------

// One connection and one queue per worker, each running `cycles` cycles.
bool RunRawCycles(boost::asio::io_context& io, uint16_t port,
                  const std::vector<std::string>& queues, int cycles) {
  bool ok = true;
  for (const std::string& url : queues) {
    boost::asio::co_spawn(
        io,
        [&io, &ok, port, url, cycles]() -> boost::asio::awaitable<void> {
          bench::RawSqsConnection connection(io.get_executor(), port);
          const std::string queue = "{\"QueueUrl\":\"" + url + "\"";
          for (int i = 0; i < cycles && ok; ++i) {
            auto sent =
                co_await connection.Call("SendMessage", queue + ",\"MessageBody\":\"enrolment\"}");
            auto received =
                co_await connection.Call("ReceiveMessage", queue + ",\"WaitTimeSeconds\":5}");
            const std::string handle =
                received ? bench::JsonStringMember(*received, "ReceiptHandle") : "";
            if (!sent || handle.empty()) {
              ok = false;
              co_return;
            }
            auto deleted = co_await connection.Call(
                "DeleteMessage", queue + ",\"ReceiptHandle\":\"" + handle + "\"}");
            if (!deleted) ok = false;
          }
        },
        boost::asio::detached);
  }
  io.restart();
  io.run();
  return ok;
}

void RawCycles(benchmark::State& state, PeerProcess& peer, int cycles_per_worker) {
  if (peer.url.empty()) {
    state.SkipWithError("the server did not start (moto_server not on PATH?)");
    return;
  }
  state.counters["pinned"] = peer.pinned && PinThisThreadTo(1) ? 1 : 0;
  boost::asio::io_context io(1);
  const int workers = static_cast<int>(state.range(0));
  std::vector<std::string> queues;
  for (int i = 0; i < workers; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          bench::RawSqsConnection connection(io.get_executor(), peer.port);
          auto created = co_await connection.Call(
              "CreateQueue",
              "{\"QueueName\":\"raw-" + std::to_string(workers) + "-" + std::to_string(i) + "\"}");
          if (created) queues.push_back(bench::JsonStringMember(*created, "QueueUrl"));
        },
        boost::asio::detached);
    io.restart();
    io.run();
  }
  if (queues.size() != static_cast<size_t>(workers)) {
    state.SkipWithError("CreateQueue failed");
    return;
  }
  int64_t cycles = 0;
  for (auto _ : state) {
    if (!RunRawCycles(io, peer.port, queues, cycles_per_worker)) {
      state.SkipWithError("a call failed");
      break;
    }
    cycles += int64_t{workers} * cycles_per_worker;
  }
  state.counters["cycles_per_second"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
}

void BM_SqsimServerRawCycles(benchmark::State& state) { RawCycles(state, SqsimServer(), 50); }
BENCHMARK(BM_SqsimServerRawCycles)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_MotoServerRawCycles(benchmark::State& state) { RawCycles(state, MotoServer(), 2); }
BENCHMARK(BM_MotoServerRawCycles)->Arg(1)->Arg(16)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_SqsimServerCycles(benchmark::State& state) { Cycles(state, SqsimServer(), 50); }
BENCHMARK(BM_SqsimServerCycles)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_MotoServerCycles(benchmark::State& state) { Cycles(state, MotoServer(), 2); }
BENCHMARK(BM_MotoServerCycles)->Arg(1)->Arg(16)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sqsim
