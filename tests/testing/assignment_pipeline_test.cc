// The FIFO assignment pipeline (plagiarism check -> grading) keeps each
// assignment's submissions in order under consumer crashes, and the checkers
// would notice if it did not.

#include <gtest/gtest.h>

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;

constexpr int kSubmissions = 30;

std::string GroupOf(const Message& m) {
  auto it = m.attributes.find("MessageGroupId");
  return it == m.attributes.end() ? "" : it->second;
}

// Plagiarism check: reads submissions.fifo, forwards each submission to
// grading.fifo in the same group with the same deduplication id (so a
// forward repeated after a crash is deduplicated), then deletes.
awaitable<void> PlagiarismChecker(ActorContext& ctx, std::string in, std::string out) {
  const bool fifo = out.ends_with(".fifo");
  while (!ctx.stopping()) {
    ReceiveMessageRequest receive{
        .queue_url = ctx.url(in), .max_number_of_messages = 10, .wait_time_seconds = 20};
    auto got = co_await ctx.Receive(receive);
    if (!got.ok()) continue;
    for (const Message& m : got->messages) {
      ctx.MaybeCrash("plagiarism.after-receive");
      co_await ctx.env().Sleep(std::chrono::milliseconds(200));
      SendMessageRequest forward{.queue_url = ctx.url(out), .message_body = m.body};
      forward.message_group_id = GroupOf(m);
      if (fifo) forward.message_deduplication_id = m.body;
      auto sent = co_await ctx.Send(forward, m.body);
      if (!sent.ok()) break;  // leave the rest of the group for a retry
      ctx.MaybeCrash("plagiarism.after-forward");
      co_await ctx.Delete(in, m);
    }
  }
}

// Grading: grades in the order received (the side effect), then deletes.
awaitable<void> Grader(ActorContext& ctx, std::string queue) {
  while (!ctx.stopping()) {
    ReceiveMessageRequest receive{
        .queue_url = ctx.url(queue), .max_number_of_messages = 10, .wait_time_seconds = 20};
    auto got = co_await ctx.Receive(receive);
    if (!got.ok()) continue;
    for (const Message& m : got->messages) {
      co_await ctx.env().Sleep(std::chrono::milliseconds(500));
      ctx.Processed(queue, m);
      ctx.MaybeCrash("grading.after-grade");
      co_await ctx.Delete(queue, m);
    }
  }
}

// `fifo` false builds the same pipeline on standard queues (a broken design:
// no per-assignment order).
ScenarioOptions Pipeline(uint64_t seed, bool fifo = true) {
  ScenarioOptions s;
  s.seed = seed;
  const std::string submissions = fifo ? "submissions.fifo" : "submissions";
  const std::string grading = fifo ? "grading.fifo" : "grading";
  QueueAttributeMap attributes = {{"VisibilityTimeout", "20"}};
  if (fifo) attributes["FifoQueue"] = "true";
  s.queues = {{.name = submissions, .attributes = attributes},
              {.name = grading, .attributes = attributes}};
  s.faults = {.rules = {{.id = "crash-after-receive",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "plagiarism.after-receive",
                         .probability = 0.05},
                        {.id = "crash-after-forward",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "plagiarism.after-forward",
                         .probability = 0.05},
                        {.id = "crash-after-grade",
                         .effect = FaultEffect::kFaultPoint,
                         .point = "grading.after-grade",
                         .probability = 0.05}}};
  s.producers = {[submissions, fifo](ActorContext& ctx) -> awaitable<void> {
    for (int i = 1; i <= kSubmissions; ++i) {
      co_await ctx.env().Sleep(std::chrono::milliseconds(ctx.env().rng().Uniform(2000)));
      const std::string assignment = "assignment-" + std::to_string(i % 4);
      SendMessageRequest send{.queue_url = ctx.url(submissions),
                              .message_body = assignment + "/submission-" + std::to_string(i),
                              .message_group_id = assignment};
      if (fifo) send.message_deduplication_id = "submission-" + std::to_string(i);
      co_await ctx.Send(send, send.message_body);
    }
  }};
  // Two roles share the consumer slot: odd instances check, even ones grade.
  s.consumers = 4;
  s.consumer = [submissions, grading](ActorContext& ctx) -> awaitable<void> {
    const bool grader = ctx.name().back() % 2 == 0;
    if (grader) {
      co_await Grader(ctx, grading);
    } else {
      co_await PlagiarismChecker(ctx, submissions, grading);
    }
  };
  // Grading again after a crash is harmless (idempotent); order is what
  // matters.
  s.queue_check.allow_duplicates = true;
  s.checkers = {[](const History& h) { return CheckFifoOrder(h); }};
  return s;
}

TEST(AssignmentPipeline, PreservesPerAssignmentOrderUnderCrashes) {
  SweepResult sweep =
      SweepSeeds([](uint64_t seed) { return Pipeline(seed); }, {.first_seed = 1, .seeds = 100});
  EXPECT_FALSE(sweep.failure.has_value()) << sweep.failure->Describe();
  EXPECT_TRUE(sweep.never_fired().empty());
}

TEST(AssignmentPipeline, OrderCheckerCatchesAPipelineThatReorders) {
  // The same pipeline on standard queues: no group order, and under crashes
  // submissions of one assignment overtake each other.
  auto broken = [](uint64_t seed) { return Pipeline(seed, /*fifo=*/false); };
  SweepResult sweep = SweepSeeds(broken, {.first_seed = 1, .seeds = 100, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value());
  bool order_failed = false;
  for (const CheckResult& r : sweep.failure->results) {
    order_failed = order_failed || (r.checker == "fifo-order" && !r.ok);
  }
  EXPECT_TRUE(order_failed) << sweep.failure->Describe();
}

}  // namespace
}  // namespace sqsim::testing
