// enrollment_demo: the enrollment-events flow of an online school, on the
// sqsim simulator, in virtual time.
//
// The enrollment service publishes a `student_enrolled` event for every new
// enrollment through sqsim::runtime Producers. Each event goes to three
// queues, one per service (the fan-out an SNS topic would do in production),
// and each service is a sqsim::runtime Consumer: the handler is all it
// writes, the runtime polls, runs handlers concurrently, extends visibility
// and deletes in batches.
//
//   notifications  sends the welcome e-mail (two instances); the mail server
//                  is sometimes slower than the visibility timeout, and the
//                  heartbeat keeps the event from coming back meanwhile;
//   analytics      a batch handler: one aggregate update per receive of ten;
//   payments       charges the course fee; it sometimes loses its connection
//                  after charging and before acknowledging, so the event
//                  comes back and the service must be idempotent.
//
// Everything runs as Asio coroutines on the simulator's virtual-time
// executor: an hour of school traffic takes a fraction of a second, and the
// same seed prints the same story.
//
// Usage: enrollment_demo [--seed N] [--enrollments N]

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sqsim/runtime/attributes.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"
#include "sqsim/simulator.h"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using sqsim::Duration;
using sqsim::Simulator;
namespace runtime = sqsim::runtime;

constexpr const char* kBanner = "sqsim enrollment demo: student_enrolled events in virtual time";

struct Options {
  uint64_t seed = 42;
  int enrollments = 300;
};

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--seed" || arg == "--enrollments") && i + 1 < argc) {
      const long long value = std::atoll(argv[++i]);
      if (value <= 0) return false;
      if (arg == "--seed") options->seed = static_cast<uint64_t>(value);
      if (arg == "--enrollments") options->enrollments = static_cast<int>(value);
    } else {
      return false;
    }
  }
  return true;
}

// What each service saw, for the report (the runtime counts the rest).
struct ServiceLog {
  int redeliveries = 0;             // deliveries of an event already handled
  int max_receive_count = 0;        // highest ApproximateReceiveCount seen
  std::set<std::string> handled{};  // enrollment ids whose side effect happened
};

struct World {
  Simulator* sim = nullptr;
  Options options{};
  std::map<std::string, std::string> urls{};  // service -> queue URL
  std::map<std::string, ServiceLog> logs{};
  // Each service's consumers (notifications runs two instances).
  std::map<std::string, std::vector<std::unique_ptr<runtime::Consumer>>> consumers{};
  int published = 0;
  bool publishing_done = false;
};

// Publishes `enrollments` events with exponential gaps (a Poisson arrival
// process, mean 10 s), each to the three service queues through a Producer
// per queue (one batch per event here: the gaps are longer than its linger).
awaitable<void> EnrollmentService(World* world) {
  sqsim::Env& env = world->sim->env();
  std::vector<std::unique_ptr<runtime::Producer>> producers;
  for (const auto& [service, url] : world->urls) {
    producers.push_back(std::make_unique<runtime::Producer>(
        *world->sim, env, runtime::ProducerOptions{.queue_url = url}));
  }
  for (int i = 1; i <= world->options.enrollments; ++i) {
    const double gap_s = -10.0 * std::log(1.0 - env.rng().NextDouble());
    co_await env.Sleep(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(gap_s)));
    const std::string enrollment_id = "enr-" + std::to_string(i);
    const std::string body = R"({"event":"student_enrolled","enrollment_id":")" + enrollment_id +
                             R"(","student_id":"stu-)" + std::to_string(1000 + i % 97) +
                             R"(","course_id":"course-)" + std::to_string(i % 12) + R"("})";
    for (auto& producer : producers) {
      // Named before co_await (GCC 12; see sqsim/client.h).
      sqsim::SendMessageRequest send{
          .message_body = body,
          .message_attributes = {
              {"event_type", {.string_value = "student_enrolled", .data_type = "String"}},
              {"enrollment_id", {.string_value = enrollment_id, .data_type = "String"}}}};
      auto sent = co_await producer->Send(std::move(send));
      if (!sent.ok()) std::cerr << "send failed: " << sent.status() << "\n";
    }
    ++world->published;
  }
  world->publishing_done = true;
}

// Notes a delivery in `log`; true when its enrollment was not handled yet.
bool FirstDelivery(ServiceLog& log, const sqsim::Message& m) {
  log.max_receive_count = std::max(log.max_receive_count, runtime::ReceiveCount(m).value_or(0));
  const std::string id = runtime::StringAttribute(m, "enrollment_id").value_or("");
  if (log.handled.contains(id)) {
    ++log.redeliveries;
    return false;
  }
  return true;
}

void MarkHandled(ServiceLog& log, const sqsim::Message& m) {
  log.handled.insert(runtime::StringAttribute(m, "enrollment_id").value_or(""));
}

runtime::ConsumerOptions ServiceOptions(const World& world, const std::string& service) {
  return {.queue_url = world.urls.at(service),
          .message_attribute_names = {"enrollment_id"},
          .system_attribute_names = {"ApproximateReceiveCount"}};
}

// Sends the welcome e-mail, four at a time per instance, two instances. One
// time in eight the mail server is slow (45 s, longer than the queue's 30 s
// visibility timeout): the heartbeat extends the event's visibility every
// 10 s, so the other instance does not receive it again meanwhile.
void StartNotificationService(World* world) {
  runtime::ConsumerOptions options = ServiceOptions(*world, "notifications");
  options.max_in_flight = 4;
  options.heartbeat_interval = 10s;
  ServiceLog& log = world->logs["notifications"];
  for (int instance = 0; instance < 2; ++instance) {
    world->consumers["notifications"].push_back(std::make_unique<runtime::Consumer>(
        *world->sim, world->sim->env(), options,
        [&log](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
          if (!FirstDelivery(log, d.message())) co_return runtime::Outcome::Done();  // sent already
          co_await d.env().Sleep(d.env().rng().OneIn(8) ? 45s : 2s);
          MarkHandled(log, d.message());
          co_return runtime::Outcome::Done();
        }));
  }
}

// Aggregates enrollments per course: a batch handler, one aggregate update
// for the up to ten events of a receive.
void StartAnalyticsService(World* world) {
  ServiceLog& log = world->logs["analytics"];
  world->consumers["analytics"].push_back(std::make_unique<runtime::Consumer>(
      *world->sim, world->sim->env(), ServiceOptions(*world, "analytics"),
      [&log](std::vector<runtime::Delivery>& batch) -> awaitable<std::vector<runtime::Outcome>> {
        co_await batch.front().env().Sleep(100ms);
        for (runtime::Delivery& d : batch) {
          if (FirstDelivery(log, d.message())) MarkHandled(log, d.message());
        }
        co_return std::vector<runtime::Outcome>(batch.size(), runtime::Outcome::Done());
      }));
}

// Charges the course fee, idempotently by enrollment id. One time in ten
// the service loses its connection after charging and before acknowledging:
// the handler leaves the event (Outcome::Leave), it comes back after the
// visibility timeout, and the idempotency check prevents a second charge.
void StartPaymentService(World* world) {
  ServiceLog& log = world->logs["payments"];
  world->consumers["payments"].push_back(std::make_unique<runtime::Consumer>(
      *world->sim, world->sim->env(), ServiceOptions(*world, "payments"),
      [&log](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
        if (!FirstDelivery(log, d.message())) co_return runtime::Outcome::Done();  // charged
        co_await d.env().Sleep(500ms);
        MarkHandled(log, d.message());  // charged (at most once per id)
        if (d.env().rng().OneIn(10)) co_return runtime::Outcome::Leave();
        co_return runtime::Outcome::Done();
      }));
}

// Stops every consumer once every service has handled every enrollment and
// its queue is empty (a left payment comes back and must still be deleted).
awaitable<void> StopWhenDone(World* world) {
  sqsim::Env& env = world->sim->env();
  while (true) {
    co_await env.Sleep(5s);
    if (!world->publishing_done) continue;
    bool done = true;
    for (const auto& [service, log] : world->logs) {
      done = done && static_cast<int>(log.handled.size()) == world->options.enrollments;
    }
    for (const auto& [service, url] : world->urls) {
      if (!done) break;
      sqsim::GetQueueAttributesRequest counts{
          .queue_url = url,
          .attribute_names = {"ApproximateNumberOfMessages",
                              "ApproximateNumberOfMessagesNotVisible"}};
      auto left = co_await world->sim->AsyncGetQueueAttributes(counts);
      done = left.ok() && left->attributes["ApproximateNumberOfMessages"] == "0" &&
             left->attributes["ApproximateNumberOfMessagesNotVisible"] == "0";
    }
    if (done) break;
  }
  for (auto& [service, consumers] : world->consumers) {
    for (auto& consumer : consumers) consumer->Stop();
  }
}

void PrintReport(const World& world, Simulator& sim, Duration virtual_elapsed,
                 std::chrono::steady_clock::duration real_elapsed) {
  std::cout << "\nEnrollments published: " << world.published << " (each to " << world.urls.size()
            << " queues, " << world.published * world.urls.size() << " messages)\n\n";
  std::cout << std::left << std::setw(15) << "service" << std::right << std::setw(10) << "received"
            << std::setw(9) << "deleted" << std::setw(10) << "extended" << std::setw(13)
            << "redelivered" << std::setw(9) << "handled" << std::setw(19) << "max receive count"
            << "\n";
  for (const auto& [service, log] : world.logs) {
    runtime::ConsumerStats total;  // over the service's instances
    for (const auto& consumer : world.consumers.at(service)) {
      total.received += consumer->stats().received;
      total.deleted += consumer->stats().deleted;
      total.extensions += consumer->stats().extensions;
    }
    std::cout << std::left << std::setw(15) << service << std::right << std::setw(10)
              << total.received << std::setw(9) << total.deleted << std::setw(10)
              << total.extensions << std::setw(13) << log.redeliveries << std::setw(9)
              << log.handled.size() << std::setw(19) << log.max_receive_count << "\n";
  }
  const auto virtual_s = std::chrono::duration_cast<std::chrono::seconds>(virtual_elapsed);
  const auto real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(real_elapsed);
  std::cout << "\nVirtual time elapsed: " << virtual_s.count() / 60 << " min "
            << virtual_s.count() % 60 << " s\n";
  std::cout << "Real time taken:      " << real_ms.count() << " ms\n";
  std::cout << "Trace: " << sim.trace().event_count() << " events, hash " << std::hex
            << sim.trace_hash() << std::dec << " (same seed, same hash)\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << kBanner << "\n";
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::cerr << "usage: enrollment_demo [--seed N] [--enrollments N]\n";
    return 2;
  }
  std::cout << "seed " << options.seed << ", " << options.enrollments << " enrollments\n";

  // Step 1: a simulator with SQS's default realism (sampling short polls,
  // best-effort order), seeded.
  sqsim::SimulatorOptions sim_options;
  sim_options.seed = options.seed;
  auto created = Simulator::Create(sim_options);
  if (!created.ok()) {
    std::cerr << created.status() << "\n";
    return 1;
  }
  Simulator& sim = **created;

  // Step 2: one queue per service, 30 s visibility timeout.
  World world{.sim = &sim, .options = options};
  for (const char* service : {"notifications", "analytics", "payments"}) {
    auto queue = sim.CreateQueue({.queue_name = std::string("enrollments-") + service,
                                  .attributes = {{"VisibilityTimeout", "30"}}});
    if (!queue.ok()) {
      std::cerr << queue.status() << "\n";
      return 1;
    }
    world.urls[service] = queue->queue_url;
  }

  // Step 3: start the enrollment service, the three services' consumers
  // (four runtime::Consumers) and the coroutine that stops them at the end.
  sim.Spawn(EnrollmentService(&world));
  StartNotificationService(&world);
  StartAnalyticsService(&world);
  StartPaymentService(&world);
  for (auto& [service, consumers] : world.consumers) {
    for (auto& consumer : consumers) {
      sim.Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(*consumer));
    }
  }
  sim.Spawn(StopWhenDone(&world));

  // Step 4: run until every consumer has handled every enrollment.
  const sqsim::Timestamp virtual_start = sim.Now();
  const auto real_start = std::chrono::steady_clock::now();
  const bool drained = sim.RunUntilIdle(24h);
  const auto real_elapsed = std::chrono::steady_clock::now() - real_start;

  // Step 5: report.
  PrintReport(world, sim, sim.Now() - virtual_start, real_elapsed);
  if (!drained) {
    std::cerr << "the flow did not drain within 24 virtual hours\n";
    return 1;
  }
  for (const auto& [service, log] : world.logs) {
    if (static_cast<int>(log.handled.size()) != options.enrollments) {
      std::cerr << service << " missed enrollments\n";
      return 1;
    }
  }
  return 0;
}
