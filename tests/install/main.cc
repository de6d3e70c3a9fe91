// Built against an installed sqsim: sends and receives one message on the
// simulator, then the same through AwsClient against an in-process
// sqsim-server, then moves one message with the runtime's Producer and
// Consumer, and runs a minute of load test, proving the installed libraries
// link and work.
#include <iostream>

#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "sqsim/loadtest/load_test.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"
#include "sqsim/simulator.h"

namespace {

bool RoundTrip(sqsim::Client& client, const std::string& name) {
  const std::string url = client.CreateQueue({.queue_name = name}).value().queue_url;
  if (!client.SendMessage({.queue_url = url, .message_body = "hello"}).ok()) return false;
  auto got = client.ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
  return got.ok() && got->messages.size() == 1 && got->messages[0].body == "hello";
}

// One message through the runtime's Producer and Consumer, in virtual time.
bool ThroughTheRuntime() {
  auto sim = sqsim::Simulator::Create(sqsim::SimulatorOptions::Exact(1)).value();
  const std::string url = sim->CreateQueue({.queue_name = "runtime"}).value().queue_url;
  sqsim::runtime::Producer producer(*sim, sim->env(), {.queue_url = url});
  int handled = 0;
  sqsim::runtime::Consumer consumer(
      *sim, sim->env(), {.queue_url = url},
      [&](sqsim::runtime::Delivery&) -> boost::asio::awaitable<sqsim::runtime::Outcome> {
        ++handled;
        co_return sqsim::runtime::Outcome::Done();
      });
  sim->Spawn([](sqsim::runtime::Producer& p) -> boost::asio::awaitable<void> {
    sqsim::SendMessageRequest send{.message_body = "hello"};
    (void)co_await p.Send(std::move(send));
  }(producer));
  sim->Spawn([](sqsim::runtime::Consumer& c) -> boost::asio::awaitable<void> {
    (void)co_await c.Run();
  }(consumer));
  sim->RunUntil([&] { return handled == 1; }, std::chrono::minutes(1));
  consumer.Stop();
  sim->RunFor(std::chrono::minutes(1));
  return handled == 1 && consumer.stats().deleted == 1;
}

// A minute of traffic through sqsim::loadtest, and its report.
bool LoadTest() {
  sqsim::loadtest::LoadTestOptions o;
  o.duration = std::chrono::minutes(1);
  o.producers = {{.arrivals = sqsim::loadtest::ArrivalProcess::Constant(10)}};
  auto result = sqsim::loadtest::RunLoadTest(o);
  return result.ok() && result->completed == 600 &&
         sqsim::loadtest::ToHtml(result->ToReport()).find("<svg") != std::string::npos;
}

}  // namespace

int main() {
  if (!ThroughTheRuntime()) return 1;
  if (!LoadTest()) return 1;
  auto sim = sqsim::Simulator::Create(sqsim::SimulatorOptions::Exact(1)).value();
  if (!RoundTrip(*sim, "installed")) return 1;

  auto server =
      sqsim::http::Server::Create({.port = 0, .log_level = sqsim::http::LogLevel::kQuiet}).value();
  server->Start();
  auto client = sqsim::aws::AwsClient::Create(
                    {.region = "us-east-1",
                     .endpoint_url = server->endpoint_url(),
                     .credentials = sqsim::aws::AwsCredentials{"installed", "installed"}})
                    .value();
  const bool over_http = RoundTrip(*client, "installed-over-http");
  server->Stop();
  if (!over_http) return 1;
  std::cout << "installed sqsim works: simulator, runtime, loadtest, sqsim-server and AwsClient\n";
  return 0;
}
