// Built against an installed sqsim: sends and receives one message on the
// simulator, then the same through AwsClient against an in-process
// sqsim-server, proving all three installed libraries link and work.
#include <iostream>

#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "sqsim/simulator.h"

namespace {

bool RoundTrip(sqsim::Client& client, const std::string& name) {
  const std::string url = client.CreateQueue({.queue_name = name}).value().queue_url;
  if (!client.SendMessage({.queue_url = url, .message_body = "hello"}).ok()) return false;
  auto got = client.ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
  return got.ok() && got->messages.size() == 1 && got->messages[0].body == "hello";
}

}  // namespace

int main() {
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
  std::cout << "installed sqsim works: simulator, sqsim-server and AwsClient\n";
  return 0;
}
