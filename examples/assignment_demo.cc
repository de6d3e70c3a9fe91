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
// Students submit through a sqsim::runtime Producer; two grader processes
// share the queue, each a sqsim::runtime Consumer grading up to ten
// assignments at once, one submission at a time per assignment. Grading
// takes a few seconds; one time in twelve a grader crashes mid-way (its
// handler throws a FatalError, which ends the consumer, and the process is
// restarted). What it held comes back when the visibility timeout ends,
// still in order, because a FIFO group delivers nothing more while one of
// its messages is in flight.
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

#include "sqsim/fatal_error.h"
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
  std::set<runtime::Consumer*> graders{};  // the running grader processes' consumers

  bool AllGraded() const {
    return submitting_done && static_cast<int>(graded_ids.size()) == submissions;
  }
};

// A grader's crash: a FatalError ends its consumer, as a crash ends the
// process.
struct GraderCrash : sqsim::FatalError {};

// Students submit; one submission in five is sent twice (a double click),
// with the same deduplication id.
awaitable<void> Students(World* world) {
  sqsim::Env& env = world->sim->env();
  runtime::Producer producer(*world->sim, env, {.queue_url = world->url});
  for (int id = 1; id <= world->submissions; ++id) {
    co_await env.Sleep(std::chrono::milliseconds(500 + env.rng().Uniform(4000)));
    const std::string assignment = "assignment-" + std::to_string(env.rng().Uniform(kAssignments));
    const int copies = env.rng().OneIn(5) ? 2 : 1;
    std::string first_message_id;
    for (int copy = 0; copy < copies; ++copy) {
      // Named before co_await (GCC 12; see sqsim/client.h).
      sqsim::SendMessageRequest send{.message_body = R"({"submission":)" + std::to_string(id) +
                                                     R"(,"assignment":")" + assignment + R"("})",
                                     .message_deduplication_id = "submission-" + std::to_string(id),
                                     .message_group_id = assignment};
      auto sent = co_await producer.Send(std::move(send));
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

// Grades one submission; the runtime deletes it when the handler is done.
runtime::MessageHandler Grade(World* world) {
  return [world](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
    const sqsim::Message& m = d.message();
    ++world->deliveries;
    world->max_receive_count = std::max(world->max_receive_count, *runtime::ReceiveCount(m));
    if (d.env().rng().OneIn(12)) {
      ++world->crashes;
      throw GraderCrash();
    }
    co_await d.env().Sleep(std::chrono::seconds(1 + d.env().rng().Uniform(4)));
    const int id = std::stoi(m.body.substr(m.body.find(':') + 1));
    if (world->graded_ids.insert(id).second) world->graded[*runtime::GroupId(m)].push_back(id);
    co_return runtime::Outcome::Done();
  };
}

// A grader process: its consumer runs until a crash ends it; then it starts
// again with a fresh one (as a supervisor restarts a process), until all is
// graded.
awaitable<void> GraderProcess(World* world) {
  while (!world->AllGraded()) {
    runtime::Consumer grader(*world->sim, world->sim->env(),
                             {.queue_url = world->url, .max_messages_per_receive = 5},
                             Grade(world));
    world->graders.insert(&grader);
    try {
      (void)co_await grader.Run();
    } catch (const GraderCrash&) {
      // restarted by the loop
    }
    world->graders.erase(&grader);
  }
}

awaitable<void> StopWhenAllGraded(World* world) {
  while (!world->AllGraded()) co_await world->sim->env().Sleep(5s);
  for (runtime::Consumer* grader : world->graders) grader->Stop();
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

  // Step 2: students and two grader processes; run until all is graded.
  sim.Spawn(Students(&world));
  sim.Spawn(GraderProcess(&world));
  sim.Spawn(GraderProcess(&world));
  sim.Spawn(StopWhenAllGraded(&world));
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
