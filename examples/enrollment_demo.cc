// enrollment_demo: the enrollment-events flow of an online school, on the
// sqsim simulator, in virtual time.
//
// The enrollment service publishes a `student_enrolled` event for every new
// enrollment. Each event goes to three queues, one per consumer (the fan-out
// an SNS topic would do in production):
//
//   notifications  sends the welcome e-mail; sometimes slow, so its visibility
//                  timeout can run out and the event comes back;
//   analytics      long-polls and batch-receives up to 10 events at a time;
//   payments       charges the course fee; it sometimes crashes after charging
//                  but before deleting, so it must be idempotent.
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
#include <set>
#include <string>

#include "sqsim/simulator.h"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using sqsim::Duration;
using sqsim::Simulator;

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

// What each consumer saw, for the report.
struct ConsumerStats {
  int received = 0;                 // deliveries, duplicates included
  int deleted = 0;                  // successful DeleteMessage calls
  int duplicates = 0;               // deliveries of an event already handled
  int max_receive_count = 0;        // highest ApproximateReceiveCount seen
  std::set<std::string> handled{};  // enrollment ids whose side effect happened
};

struct World {
  Simulator* sim = nullptr;
  Options options{};
  std::map<std::string, std::string> urls{};  // consumer -> queue URL
  std::map<std::string, ConsumerStats> stats{};
  std::map<std::string, std::set<std::string>> in_progress{};  // consumer -> ids being handled
  int published = 0;
  bool publishing_done = false;
};

// Publishes `enrollments` events with exponential gaps (a Poisson arrival
// process, mean 10 s), each to the three consumer queues.
awaitable<void> EnrollmentService(World* world) {
  sqsim::Env& env = world->sim->env();
  for (int i = 1; i <= world->options.enrollments; ++i) {
    const double gap_s = -10.0 * std::log(1.0 - env.rng().NextDouble());
    co_await env.Sleep(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(gap_s)));
    const std::string enrollment_id = "enr-" + std::to_string(i);
    const std::string body = R"({"event":"student_enrolled","enrollment_id":")" + enrollment_id +
                             R"(","student_id":"stu-)" + std::to_string(1000 + i % 97) +
                             R"(","course_id":"course-)" + std::to_string(i % 12) + R"("})";
    for (const auto& [consumer, url] : world->urls) {
      // Requests are named before co_await (GCC 12; see sqsim/client.h).
      sqsim::SendMessageRequest send{
          .queue_url = url,
          .message_body = body,
          .message_attributes = {
              {"event_type", {.string_value = "student_enrolled", .data_type = "String"}},
              {"enrollment_id", {.string_value = enrollment_id, .data_type = "String"}}}};
      auto sent = co_await world->sim->AsyncSendMessage(send);
      if (!sent.ok()) std::cerr << "send failed: " << sent.status() << "\n";
    }
    ++world->published;
  }
  world->publishing_done = true;
}

// The shared receive loop: long-polls `consumer`'s queue and hands each
// message to `handle`, which returns whether to delete it.
template <typename Handler>
awaitable<void> Consume(World* world, std::string consumer, int batch, Handler handle) {
  ConsumerStats& stats = world->stats[consumer];
  std::set<std::string>* in_progress = &world->in_progress[consumer];
  const std::string url = world->urls[consumer];
  while (true) {
    // Done when everything was published and handled and the queue is empty
    // (a crashed consumer's message comes back and must still be deleted).
    if (world->publishing_done &&
        static_cast<int>(stats.handled.size()) == world->options.enrollments) {
      sqsim::GetQueueAttributesRequest counts{
          .queue_url = url,
          .attribute_names = {"ApproximateNumberOfMessages",
                              "ApproximateNumberOfMessagesNotVisible"}};
      auto left = co_await world->sim->AsyncGetQueueAttributes(counts);
      if (left.ok() && left->attributes["ApproximateNumberOfMessages"] == "0" &&
          left->attributes["ApproximateNumberOfMessagesNotVisible"] == "0") {
        break;
      }
    }
    sqsim::ReceiveMessageRequest receive{.queue_url = url,
                                         .message_system_attribute_names = {"All"},
                                         .message_attribute_names = {"All"},
                                         .max_number_of_messages = batch,
                                         .wait_time_seconds = 20};
    auto got = co_await world->sim->AsyncReceiveMessage(receive);
    if (!got.ok()) {
      std::cerr << consumer << ": receive failed: " << got.status() << "\n";
      continue;
    }
    for (const sqsim::Message& m : got->messages) {
      ++stats.received;
      const int count = std::stoi(m.attributes.at("ApproximateReceiveCount"));
      stats.max_receive_count = std::max(stats.max_receive_count, count);
      const std::string id = m.message_attributes.at("enrollment_id").string_value.value_or("");
      if (stats.handled.contains(id) || in_progress->contains(id)) ++stats.duplicates;
      in_progress->insert(id);
      const bool done = co_await handle(m, id, stats);
      in_progress->erase(id);
      if (!done) continue;
      sqsim::DeleteMessageRequest del{.queue_url = url, .receipt_handle = m.receipt_handle};
      auto deleted = co_await world->sim->AsyncDeleteMessage(del);
      if (deleted.ok()) ++stats.deleted;
    }
  }
}

// Sends the welcome e-mail; two instances share the queue. One time in eight
// the mail server is slow (45 s, longer than the 30 s visibility timeout), so
// the other instance receives the event again; the service is idempotent and
// sends each e-mail once.
awaitable<void> NotificationService(World* world) {
  co_await Consume(world, "notifications", 1,
                   [world](const sqsim::Message&, const std::string& id,
                           ConsumerStats& stats) -> awaitable<bool> {
                     sqsim::Env& env = world->sim->env();
                     co_await env.Sleep(env.rng().OneIn(8) ? 45s : 2s);
                     stats.handled.insert(id);
                     co_return true;
                   });
}

// Aggregates enrollments per course, ten events per receive.
awaitable<void> AnalyticsService(World* world) {
  co_await Consume(world, "analytics", 10,
                   [world](const sqsim::Message&, const std::string& id,
                           ConsumerStats& stats) -> awaitable<bool> {
                     co_await world->sim->env().Sleep(100ms);
                     stats.handled.insert(id);
                     co_return true;
                   });
}

// Charges the course fee. One time in ten it crashes after charging and
// before deleting: the event comes back after the visibility timeout, and the
// idempotency check (by enrollment id) prevents a second charge.
awaitable<void> PaymentService(World* world) {
  co_await Consume(world, "payments", 1,
                   [world](const sqsim::Message&, const std::string& id,
                           ConsumerStats& stats) -> awaitable<bool> {
                     sqsim::Env& env = world->sim->env();
                     co_await env.Sleep(500ms);
                     stats.handled.insert(id);        // charged (at most once per id)
                     co_return !env.rng().OneIn(10);  // false: crashed before delete
                   });
}

void PrintReport(const World& world, Simulator& sim, Duration virtual_elapsed,
                 std::chrono::steady_clock::duration real_elapsed) {
  std::cout << "\nEnrollments published: " << world.published << " (each to " << world.urls.size()
            << " queues, " << world.published * world.urls.size() << " messages)\n\n";
  std::cout << std::left << std::setw(15) << "consumer" << std::right << std::setw(10) << "received"
            << std::setw(10) << "deletes" << std::setw(12) << "duplicates" << std::setw(10)
            << "handled" << std::setw(18) << "max receive count"
            << "\n";
  for (const auto& [consumer, s] : world.stats) {
    std::cout << std::left << std::setw(15) << consumer << std::right << std::setw(10) << s.received
              << std::setw(10) << s.deleted << std::setw(12) << s.duplicates << std::setw(10)
              << s.handled.size() << std::setw(18) << s.max_receive_count << "\n";
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

  // Step 2: one queue per consumer, 30 s visibility timeout.
  World world{.sim = &sim, .options = options};
  for (const char* consumer : {"notifications", "analytics", "payments"}) {
    auto queue = sim.CreateQueue({.queue_name = std::string("enrollments-") + consumer,
                                  .attributes = {{"VisibilityTimeout", "30"}}});
    if (!queue.ok()) {
      std::cerr << queue.status() << "\n";
      return 1;
    }
    world.urls[consumer] = queue->queue_url;
  }

  // Step 3: start the producer and the three consumers as actors.
  sim.Spawn(EnrollmentService(&world));
  sim.Spawn(NotificationService(&world));
  sim.Spawn(NotificationService(&world));
  sim.Spawn(AnalyticsService(&world));
  sim.Spawn(PaymentService(&world));

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
  for (const auto& [consumer, s] : world.stats) {
    if (static_cast<int>(s.handled.size()) != options.enrollments) {
      std::cerr << consumer << " missed enrollments\n";
      return 1;
    }
  }
  return 0;
}
