// The harness catches the non-idempotent payment consumer's double charge
// and the idempotent one passes 1,000 seeds under the same faults.

#include "../../examples/payment_consumer.h"

#include <gtest/gtest.h>

#include "sqsim/testing/scenario.h"

namespace sqsim::testing {
namespace {

using boost::asio::awaitable;

// The school's payments under faults: crashes right after charging (before
// the delete), duplicate deliveries, throttled deletes, lost send responses.
FaultPlan PaymentFaults() {
  return {.rules = {{.id = "crash-after-charge",
                     .effect = FaultEffect::kFaultPoint,
                     .point = "payment.after-charge",
                     .probability = 0.05},
                    {.id = "duplicate-delivery",
                     .effect = FaultEffect::kDuplicateDelivery,
                     .queue = "payments",
                     .probability = 0.05},
                    {.id = "throttled-delete",
                     .effect = FaultEffect::kError,
                     .action = Action::kDeleteMessage,
                     .probability = 0.02,
                     .error = ErrorCode::kRequestThrottled},
                    {.id = "lost-send-response",
                     .effect = FaultEffect::kLoseResponse,
                     .action = Action::kSendMessage,
                     .probability = 0.02}}};
}

ScenarioOptions PaymentScenario(uint64_t seed, bool idempotent) {
  ScenarioOptions s;
  s.seed = seed;
  s.queues = {{.name = "payments",
               .attributes = {{"VisibilityTimeout", "30"}},
               .dead_letter_queue = "payments-dlq",
               .max_receive_count = 5}};
  s.faults = PaymentFaults();
  s.safety_duration = std::chrono::minutes(5);
  s.producers = {[](ActorContext& ctx) -> awaitable<void> {
    for (int i = 1; i <= 20; ++i) {
      co_await ctx.env().Sleep(std::chrono::milliseconds(ctx.env().rng().Uniform(3000)));
      SendMessageRequest send{.queue_url = ctx.url("payments"),
                              .message_body = "payment-" + std::to_string(i)};
      // A lost response is retried, as an SDK would: a duplicate send.
      for (int attempt = 0; attempt < 3; ++attempt) {
        auto sent = co_await ctx.Send(send, send.message_body);
        if (sent.ok()) break;
      }
    }
  }};
  // The gateway outlives consumer restarts (it is the outside world).
  auto processed_by = std::make_shared<ActorContext*>(nullptr);
  auto gateway = std::make_shared<school::PaymentGateway>([processed_by](const std::string& p) {
    (*processed_by)->Processed("payments", Message{.body = p});
  });
  s.consumer = [gateway, processed_by, idempotent](ActorContext& ctx) -> awaitable<void> {
    *processed_by = &ctx;
    // Named, not a temporary: GCC 12 and co_await (see sqsim/client.h).
    school::PaymentConsumerOptions options{
        .queue_url = ctx.url("payments"),
        .idempotent = idempotent,
        .fault_point = [&ctx](std::string_view point) { ctx.MaybeCrash(point); },
        .stopping = [&ctx] { return ctx.stopping(); }};
    co_await school::RunPaymentConsumer(ctx.client(), ctx.env(), *gateway, options);
  };
  s.consumers = 1;
  return s;
}

TEST(PaymentConsumer, HarnessCatchesTheDoubleChargeOfTheNonIdempotentConsumer) {
  SweepResult sweep = SweepSeeds([](uint64_t seed) { return PaymentScenario(seed, false); },
                                 {.first_seed = 1, .seeds = 200, .verbose = false});
  ASSERT_TRUE(sweep.failure.has_value()) << "200 seeds and no double charge found";
  const ScenarioReport& failure = *sweep.failure;
  EXPECT_GT(failure.duplicates, 0);
  const std::string description = failure.Describe();
  EXPECT_NE(description.find("SQSIM_SEED=" + std::to_string(failure.seed)), std::string::npos);
  EXPECT_NE(description.find("duplicated"), std::string::npos);
  // The failing seed replays: same run, same trace.
  EXPECT_EQ(RunScenario(PaymentScenario(failure.seed, false)).trace_hash, failure.trace_hash);
}

TEST(PaymentConsumer, IdempotentConsumerPassesAThousandSeeds) {
  SweepResult sweep = SweepSeeds([](uint64_t seed) { return PaymentScenario(seed, true); },
                                 {.first_seed = 1, .seeds = 1000});
  EXPECT_FALSE(sweep.failure.has_value()) << sweep.failure->Describe();
  EXPECT_EQ(sweep.runs, 1000);
  // Every planned fault actually happened somewhere in the sweep.
  EXPECT_TRUE(sweep.never_fired().empty());
}

TEST(PaymentConsumer, ScenarioIsDeterministic) {
  EXPECT_TRUE(CheckDeterminism([](uint64_t seed) { return PaymentScenario(seed, true); }, 77));
}

}  // namespace
}  // namespace sqsim::testing
