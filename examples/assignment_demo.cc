// assignment_demo: assignment submissions of an online school on a FIFO
// queue, in virtual time.
//
// Students submit work for assignments. Every submission is a message on
// `assignment-submissions.fifo` whose message group is the assignment (so
// the submissions of one assignment are graded in the order they were
// made: a resubmission must never be graded before the work it replaces)
// and whose deduplication id is the submission id (so a double click or a
// client retry does not submit twice).
//
// Two graders share the queue. Grading takes a few seconds; one time in
// twelve a grader crashes mid-way and its batch comes back when the
// visibility timeout ends — still in order, because a FIFO group delivers
// nothing more while one of its messages is in flight.
//
// Usage: assignment_demo [--seed N] [--submissions N]

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sqsim/simulator.h"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using sqsim::Duration;
using sqsim::Simulator;

constexpr const char* kBanner = "sqsim assignment demo: FIFO submissions, graded in order";
constexpr int kAssignments = 8;

struct Options {
  uint64_t seed = 42;
  int submissions = 200;
};

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--seed" || arg == "--submissions") && i + 1 < argc) {
      const long long value = std::atoll(argv[++i]);
      if (value <= 0) return false;
      if (arg == "--seed") options->seed = static_cast<uint64_t>(value);
      if (arg == "--submissions") options->submissions = static_cast<int>(value);
    } else {
      return false;
    }
  }
  return true;
}

struct World {
  Simulator* sim = nullptr;
  std::string url{};
  int submissions = 0;
  int send_calls = 0;          // including retries of the same submission
  int deduplicated_sends = 0;  // retries the queue recognised (same MessageId back)
  bool submitting_done = false;
  // Per assignment: the submission numbers in the order they were graded.
  std::map<std::string, std::vector<int>> graded{};
  std::set<int> graded_ids{};
  int deliveries = 0;
  int crashes = 0;
  int max_receive_count = 0;
};

// Students submit; one submission in five is sent twice (a double click),
// with the same deduplication id.
awaitable<void> Students(World* world) {
  sqsim::Env& env = world->sim->env();
  for (int id = 1; id <= world->submissions; ++id) {
    co_await env.Sleep(std::chrono::milliseconds(500 + env.rng().Uniform(4000)));
    const std::string assignment = "assignment-" + std::to_string(env.rng().Uniform(kAssignments));
    const int copies = env.rng().OneIn(5) ? 2 : 1;
    std::string first_message_id;
    for (int copy = 0; copy < copies; ++copy) {
      // Named before co_await (GCC 12; see sqsim/client.h).
      sqsim::SendMessageRequest send{.queue_url = world->url,
                                     .message_body = R"({"submission":)" + std::to_string(id) +
                                                     R"(,"assignment":")" + assignment + R"("})",
                                     .message_deduplication_id = "submission-" + std::to_string(id),
                                     .message_group_id = assignment};
      auto sent = co_await world->sim->AsyncSendMessage(send);
      ++world->send_calls;
      if (!sent.ok()) {
        std::cerr << "send failed: " << sent.status() << "\n";
        continue;
      }
      if (copy == 0) first_message_id = sent->message_id;
      if (copy > 0 && sent->message_id == first_message_id) ++world->deduplicated_sends;
    }
  }
  world->submitting_done = true;
}

awaitable<void> Grader(World* world) {
  sqsim::Env& env = world->sim->env();
  while (!(world->submitting_done &&
           static_cast<int>(world->graded_ids.size()) == world->submissions)) {
    sqsim::ReceiveMessageRequest receive{.queue_url = world->url,
                                         .message_system_attribute_names = {"All"},
                                         .max_number_of_messages = 5,
                                         .wait_time_seconds = 20};
    auto got = co_await world->sim->AsyncReceiveMessage(receive);
    if (!got.ok()) continue;
    for (const sqsim::Message& m : got->messages) {
      ++world->deliveries;
      world->max_receive_count =
          std::max(world->max_receive_count, std::stoi(m.attributes.at("ApproximateReceiveCount")));
      if (env.rng().OneIn(12)) {
        // Crash: the rest of this batch is abandoned and comes back later.
        ++world->crashes;
        break;
      }
      co_await env.Sleep(std::chrono::seconds(1 + env.rng().Uniform(4)));
      const int id = std::stoi(m.body.substr(m.body.find(':') + 1));
      if (world->graded_ids.insert(id).second) {
        world->graded[m.attributes.at("MessageGroupId")].push_back(id);
      }
      sqsim::DeleteMessageRequest del{.queue_url = world->url, .receipt_handle = m.receipt_handle};
      auto deleted = co_await world->sim->AsyncDeleteMessage(del);
      if (!deleted.ok()) std::cerr << "delete failed: " << deleted.status() << "\n";
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << kBanner << "\n";
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::cerr << "usage: assignment_demo [--seed N] [--submissions N]\n";
    return 2;
  }
  std::cout << "seed " << options.seed << ", " << options.submissions << " submissions to "
            << kAssignments << " assignments\n";

  // Step 1: the simulator and the FIFO queue (30 s visibility timeout).
  auto created = Simulator::Create({.seed = options.seed});
  if (!created.ok()) {
    std::cerr << created.status() << "\n";
    return 1;
  }
  Simulator& sim = **created;
  auto queue =
      sim.CreateQueue({.queue_name = "assignment-submissions.fifo",
                       .attributes = {{"FifoQueue", "true"}, {"VisibilityTimeout", "30"}}});
  if (!queue.ok()) {
    std::cerr << queue.status() << "\n";
    return 1;
  }
  World world{.sim = &sim, .url = queue->queue_url, .submissions = options.submissions};

  // Step 2: students and two graders as actors; run until all is graded.
  sim.Spawn(Students(&world));
  sim.Spawn(Grader(&world));
  sim.Spawn(Grader(&world));
  const auto real_start = std::chrono::steady_clock::now();
  const sqsim::Timestamp virtual_start = sim.Now();
  const bool drained = sim.RunUntilIdle(24h);
  const auto real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - real_start);

  // Step 3: report, and check the per-assignment order.
  int out_of_order = 0;
  for (const auto& [assignment, ids] : world.graded) {
    for (size_t i = 1; i < ids.size(); ++i) out_of_order += ids[i] < ids[i - 1];
  }
  const auto virtual_s =
      std::chrono::duration_cast<std::chrono::seconds>(sim.Now() - virtual_start).count();
  std::cout << "\nSubmissions:                 " << world.submissions << "\n"
            << "SendMessage calls:           " << world.send_calls << " ("
            << world.send_calls - world.submissions << " double clicks)\n"
            << "Deduplicated by the queue:   " << world.deduplicated_sends << "\n"
            << "Deliveries to graders:       " << world.deliveries << "\n"
            << "Grader crashes:              " << world.crashes << "\n"
            << "Max ApproximateReceiveCount: " << world.max_receive_count << "\n"
            << "Graded:                      " << world.graded_ids.size() << "\n"
            << "Graded out of order:         " << out_of_order << "\n"
            << "Virtual time elapsed:        " << virtual_s / 60 << " min " << virtual_s % 60
            << " s\n"
            << "Real time taken:             " << real_ms.count() << " ms\n";
  for (const auto& [assignment, ids] : world.graded) {
    std::cout << "  " << assignment << ": " << ids.size() << " graded in submission order\n";
  }
  const bool ok = drained && out_of_order == 0 &&
                  static_cast<int>(world.graded_ids.size()) == world.submissions &&
                  world.deduplicated_sends == world.send_calls - world.submissions;
  if (!ok) std::cerr << "unexpected outcome\n";
  return ok ? 0 : 1;
}
