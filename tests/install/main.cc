// Built against an installed sqsim: sends and receives one message.
#include <iostream>

#include "sqsim/simulator.h"

int main() {
  auto sim = sqsim::Simulator::Create(sqsim::SimulatorOptions::Exact(1)).value();
  const std::string url = sim->CreateQueue({.queue_name = "installed"}).value().queue_url;
  if (!sim->SendMessage({.queue_url = url, .message_body = "hello"}).ok()) return 1;
  auto got = sim->ReceiveMessage({.queue_url = url});
  if (!got.ok() || got->messages.size() != 1 || got->messages[0].body != "hello") return 1;
  std::cout << "installed sqsim works: " << got->messages[0].message_id << "\n";
  return 0;
}
