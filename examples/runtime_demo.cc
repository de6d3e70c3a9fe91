// The consumer and producer runtime, one program, two backends.
//
// Part 1, virtual time: the enrollment service publishes 2,000 events over
// four minutes from ten coroutines while two notification-service consumers
// send welcome emails; the mail server is down from minute one to minute
// three, and the consumers back off by receive count meanwhile. Minutes of
// traffic run in milliseconds, the same way for the same seed.
//
// Part 2, real time: the very same producer and consumer code over AwsClient
// against a sqsim-server started in this process on a free port, as it
// would run against SQS.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "school/welcome_mailer.h"
#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "sqsim/simulator.h"

using boost::asio::awaitable;
using namespace std::chrono_literals;

namespace {

struct Totals {
  int published = 0;
};

// One enrollment every `every`, as students sign up.
awaitable<void> Publish(sqsim::runtime::Producer& producer, sqsim::Env& env, int first, int count,
                        sqsim::Duration every, Totals* totals) {
  for (int i = first; i < first + count; ++i) {
    totals->published += co_await school::PublishEnrollments(producer, i, 1);
    co_await env.Sleep(every);
  }
}

int Welcomed(const school::MailServer& mail) {
  int once = 0;
  for (const auto& [student, emails] : mail.welcomed) once += emails == 1 ? 1 : 0;
  return once;
}

int OnTheSimulator(uint64_t seed) {
  auto sim = sqsim::Simulator::Create({.seed = seed}).value();
  const std::string url = sim->CreateQueue({.queue_name = "student-enrolled"}).value().queue_url;
  school::MailServer mail;
  sqsim::runtime::Producer producer(*sim, sim->env(), {.queue_url = url});
  sqsim::runtime::Consumer first(*sim, sim->env(), school::MailerOptions(url),
                                 school::WelcomeMail(mail));
  sqsim::runtime::Consumer second(*sim, sim->env(), school::MailerOptions(url),
                                  school::WelcomeMail(mail));
  Totals totals;
  // 2,000 students over four minutes, from ten front-end coroutines.
  for (int i = 0; i < 10; ++i) {
    sim->Spawn(Publish(producer, sim->env(), i * 200, 200, 1200ms, &totals));
  }
  for (auto* consumer : {&first, &second}) {
    sim->Spawn(
        [](sqsim::runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(*consumer));
  }
  const auto real_start = std::chrono::steady_clock::now();
  mail.down = false;
  sim->RunFor(1min);
  mail.down = true;  // the mail server's outage
  sim->RunFor(2min);
  mail.down = false;
  sim->RunUntil([&] { return Welcomed(mail) == 2000; }, 1h);
  first.Stop();
  second.Stop();
  sim->RunFor(1min);
  const auto real = std::chrono::steady_clock::now() - real_start;

  const auto& a = first.stats();
  const auto& b = second.stats();
  std::cout << "On the simulator (seed " << seed << "):\n"
            << "  published                " << totals.published << " in "
            << producer.stats().batches << " SendMessageBatch calls\n"
            << "  welcomed once            " << Welcomed(mail) << " of 2000\n"
            << "  retried (mail down)      " << a.retried + b.retried << "\n"
            << "  deleted                  " << a.deleted + b.deleted << "\n"
            << "  virtual time             "
            << std::chrono::duration_cast<std::chrono::seconds>(sim->Now() -
                                                                sim->options().start_time)
                   .count()
            << " s, real time "
            << std::chrono::duration_cast<std::chrono::milliseconds>(real).count() << " ms\n";
  return Welcomed(mail) == 2000 ? 0 : 1;
}

int OverAwsClient() {
  auto server =
      sqsim::http::Server::Create({.port = 0, .log_level = sqsim::http::LogLevel::kQuiet});
  if (!server.ok()) {
    std::cerr << server.status() << "\n";
    return 1;
  }
  (*server)->Start();
  auto created =
      sqsim::aws::AwsClient::Create({.region = "us-east-1",
                                     .endpoint_url = (*server)->endpoint_url(),
                                     .credentials = sqsim::aws::AwsCredentials{
                                         .access_key_id = "demo", .secret_access_key = "demo"}});
  if (!created.ok()) {
    std::cerr << created.status() << "\n";
    return 1;
  }
  sqsim::Client& sqs = **created;  // the same interface as the Simulator
  auto queue = sqs.CreateQueue({.queue_name = "student-enrolled"});
  if (!queue.ok()) {
    std::cerr << queue.status() << "\n";
    return 1;
  }
  std::unique_ptr<sqsim::Env> env = sqsim::NewRealEnv(1);
  school::MailServer mail;
  sqsim::runtime::Producer producer(sqs, *env, {.queue_url = queue->queue_url});
  sqsim::runtime::ConsumerOptions options = school::MailerOptions(queue->queue_url);
  options.wait_time_seconds = 1;  // a prompt stop in a demo
  sqsim::runtime::Consumer consumer(sqs, *env, options, school::WelcomeMail(mail));
  boost::asio::io_context io;
  Totals totals;
  for (int i = 0; i < 5; ++i) {
    boost::asio::co_spawn(io, Publish(producer, *env, i * 10, 10, 5ms, &totals),
                          boost::asio::detached);
  }
  boost::asio::co_spawn(
      io, [](sqsim::runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(consumer),
      boost::asio::detached);
  boost::asio::co_spawn(
      io,
      [](sqsim::Env& env, school::MailServer& mail,
         sqsim::runtime::Consumer& c) -> awaitable<void> {
        for (int i = 0; i < 3000 && Welcomed(mail) < 50; ++i) co_await env.Sleep(10ms);
        c.Stop();
      }(*env, mail, consumer),
      boost::asio::detached);
  const auto real_start = std::chrono::steady_clock::now();
  io.run();
  const auto real = std::chrono::steady_clock::now() - real_start;
  (*server)->Stop();
  std::cout << "Over AwsClient against sqsim-server at " << (*server)->endpoint_url() << ":\n"
            << "  published                " << totals.published << "\n"
            << "  welcomed once            " << Welcomed(mail) << " of 50\n"
            << "  deleted                  " << consumer.stats().deleted << "\n"
            << "  real time                "
            << std::chrono::duration_cast<std::chrono::milliseconds>(real).count() << " ms\n";
  return Welcomed(mail) == 50 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 42;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  std::cout << "sqsim runtime: the enrollment service's producer and the welcome mailer\n";
  const int simulated = OnTheSimulator(seed);
  const int real = OverAwsClient();
  return simulated != 0 || real != 0 ? 1 : 0;
}
