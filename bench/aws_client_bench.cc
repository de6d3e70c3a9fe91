// AwsClient's costs: what the client itself spends per call (encode, SigV4
// sign, decode, MD5 checks; no network), and what a call costs against a real
// peer on loopback (moto_server).
//
// Counters:
//   calls_per_second     client-side calls (or round trips) per second
//
// The moto benchmark uses the moto_server peer_processes.h starts (pinned to
// CPU 0; skipped, with the reason, when moto_server is not on PATH). moto answers `Connection:
// close` to every request, so each call also pays a TCP connect.

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "core/digest.h"
#include "peer_processes.h"
#include "sqsim/aws/aws_client.h"
#include "wire/json_codec.h"
#include "wire/sigv4.h"

namespace sqsim {
namespace {

const aws::AwsCredentials kCredentials{
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};

SendMessageRequest TypicalSend() {
  return {.queue_url = "https://sqs.eu-west-1.amazonaws.com/123456789012/enrolments",
          .message_body = std::string(512, 'e'),
          .message_attributes = {{"kind", {.string_value = "enrolment", .data_type = "String"}},
                                 {"course", {.string_value = "7", .data_type = "Number"}}}};
}

// Baseline: JSON encoding alone.
void BM_EncodeSendMessage(benchmark::State& state) {
  const SendMessageRequest request = TypicalSend();
  for (auto _ : state) benchmark::DoNotOptimize(wire::EncodeJsonRequest(request));
  state.counters["calls_per_second"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeSendMessage);

// Everything the client does for one SendMessage apart from the socket:
// encode, build and sign the HTTP request, decode the response, check MD5s.
void BM_ClientSideCostSendMessage(benchmark::State& state) {
  const SendMessageRequest request = TypicalSend();
  const std::string response_body = wire::EncodeJsonResponse(SendMessageResponse{
      .md5_of_message_body = internal::Md5Hex(request.message_body),
      .md5_of_message_attributes = internal::Md5OfMessageAttributes(request.message_attributes),
      .message_id = "5fea7756-0ea4-451a-a703-a558b933e274"});
  const Timestamp now = Timestamp(std::chrono::seconds(1'800'000'000));
  for (auto _ : state) {
    internal::HttpRequest http;
    http.target = "/";
    http.headers.Set("Content-Type", wire::kJsonContentType);
    http.headers.Set("X-Amz-Target", "AmazonSQS.SendMessage");
    http.body = wire::EncodeJsonRequest(request);
    internal::SignRequest(http, kCredentials, "eu-west-1", "sqs", now,
                          "sqs.eu-west-1.amazonaws.com");
    SendMessageResponse response;
    if (!wire::DecodeJsonResponse(response_body, &response).ok())
      state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(internal::Md5Hex(request.message_body) ==
                             response.md5_of_message_body);
    benchmark::DoNotOptimize(http);
  }
  state.counters["calls_per_second"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClientSideCostSendMessage);

// A ReceiveMessage response with 10 messages of 1 KiB, decoded and checked.
void BM_ClientSideCostReceiveTenMessages(benchmark::State& state) {
  ReceiveMessageResponse canned;
  for (int i = 0; i < 10; ++i) {
    Message message{
        .message_id = "id-" + std::to_string(i),
        .receipt_handle = std::string(180, 'r'),
        .body = std::string(1024, 'b'),
        .attributes = {{"ApproximateReceiveCount", "1"}, {"SentTimestamp", "1800000000000"}},
        .message_attributes = {{"kind", {.string_value = "grade", .data_type = "String"}}}};
    message.md5_of_body = internal::Md5Hex(message.body);
    message.md5_of_message_attributes =
        internal::Md5OfMessageAttributes(message.message_attributes);
    canned.messages.push_back(message);
  }
  const std::string body = wire::EncodeJsonResponse(canned);
  for (auto _ : state) {
    ReceiveMessageResponse response;
    if (!wire::DecodeJsonResponse(body, &response).ok()) state.SkipWithError("decode failed");
    for (const Message& message : response.messages) {
      benchmark::DoNotOptimize(internal::Md5Hex(message.body) == message.md5_of_body);
      benchmark::DoNotOptimize(internal::Md5OfMessageAttributes(message.message_attributes));
    }
  }
  state.counters["calls_per_second"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClientSideCostReceiveTenMessages);

// SendMessage round trips against moto_server, `state.range(0)` in flight
// at once (coroutines on one client).
void BM_MotoSendMessage(benchmark::State& state) {
  if (bench::MotoServer().url.empty()) {
    state.SkipWithError("moto_server is not on PATH or did not start");
    return;
  }
  auto client = aws::AwsClient::Create({.region = "us-east-1",
                                        .endpoint_url = bench::MotoServer().url,
                                        .credentials = kCredentials})
                    .value();
  const std::string url = client->CreateQueue({.queue_name = "bench"}).value().queue_url;
  const int in_flight = static_cast<int>(state.range(0));
  int64_t calls = 0;
  for (auto _ : state) {
    boost::asio::io_context io;
    std::atomic<int> failures{0};
    for (int i = 0; i < in_flight; ++i) {
      boost::asio::co_spawn(
          io,
          [&]() -> boost::asio::awaitable<void> {
            SendMessageRequest request{.queue_url = url, .message_body = "hello"};
            auto sent = co_await client->AsyncSendMessage(request);
            if (!sent.ok()) ++failures;
          },
          boost::asio::detached);
    }
    io.run();
    if (failures > 0) state.SkipWithError("a SendMessage failed");
    calls += in_flight;
  }
  (void)client->PurgeQueue({.queue_url = url});
  state.counters["calls_per_second"] =
      benchmark::Counter(static_cast<double>(calls), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MotoSendMessage)->Arg(1)->Arg(8)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sqsim
