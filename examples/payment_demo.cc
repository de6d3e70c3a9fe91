// payment_demo: course payments of an online school on a FIFO queue with a
// dead-letter queue, in virtual time.
//
// `payments.fifo` carries one message per course payment (message group =
// student, so one student's payments are charged in order). Its
// RedrivePolicy sends a message to `payments-dlq.fifo` on the receive after
// its third: maxReceiveCount = 3.
//
// The payment gateway declines some cards outright and sometimes times out.
// The processor and the DLQ handler are sqsim::runtime Consumers whose
// handlers only charge and say what becomes of the message. The processor
// deletes a payment only once it is charged, so a failing
// payment is received again after each visibility timeout, and on its fourth
// receive SQS moves it to the DLQ. A DLQ handler then tries an alternative
// payment method (a stored bank account) for each dead-lettered payment.
// What even that cannot charge waits in the DLQ until the gateway's operator
// fixes the card processing; then a message move task (StartMessageMoveTask)
// redrives the rest back to `payments.fifo`, where they are charged.
//
// Usage: payment_demo [--seed N] [--payments N]

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "sqsim/runtime/attributes.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/simulator.h"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using sqsim::Simulator;
namespace runtime = sqsim::runtime;

constexpr const char* kBanner = "sqsim payment demo: FIFO payments, a DLQ and a redrive";

struct Options {
  uint64_t seed = 42;
  int payments = 120;
};

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--seed" || arg == "--payments") && i + 1 < argc) {
      const long long value = std::atoll(argv[++i]);
      if (value <= 0) return false;
      if (arg == "--seed") options->seed = static_cast<uint64_t>(value);
      if (arg == "--payments") options->payments = static_cast<int>(value);
    } else {
      return false;
    }
  }
  return true;
}

struct World {
  Simulator* sim = nullptr;
  std::string payments_url{};
  std::string dlq_url{};
  std::string dlq_arn{};
  int payments = 0;
  bool gateway_fixed = false;  // the operator repaired card processing
  std::set<int> declined{};    // cards the broken gateway always declines
  std::set<int> charged{};     // payment ids charged (exactly once each)
  int double_charges = 0;
  int first_try = 0;      // charged on the first receive
  int after_retries = 0;  // charged on a later receive
  int gateway_failures = 0;
  std::set<int> dead_lettered{};
  int alternative_ok = 0;  // charged by the DLQ handler's bank account
  int alternative_failed = 0;
  int redriven = 0;
  runtime::Consumer* processor = nullptr;
  runtime::Consumer* dead_letter_handler = nullptr;
};

int PaymentId(const sqsim::Message& m) { return std::stoi(m.body.substr(m.body.find(':') + 1)); }

void Charge(World* world, int id) {
  if (!world->charged.insert(id).second) ++world->double_charges;
}

awaitable<void> Checkout(World* world) {
  sqsim::Env& env = world->sim->env();
  for (int id = 1; id <= world->payments; ++id) {
    co_await env.Sleep(std::chrono::seconds(1 + env.rng().Uniform(10)));
    if (env.rng().OneIn(8)) world->declined.insert(id);
    // Named before co_await (GCC 12; see sqsim/client.h).
    sqsim::SendMessageRequest send{
        .queue_url = world->payments_url,
        .message_body = R"({"payment":)" + std::to_string(id) + R"(,"amount_cents":49900})",
        .message_deduplication_id = "payment-" + std::to_string(id),
        .message_group_id = "student-" + std::to_string(env.rng().Uniform(40))};
    auto sent = co_await world->sim->AsyncSendMessage(send);
    if (!sent.ok()) std::cerr << "send failed: " << sent.status() << "\n";
  }
}

// The payment processor's handler: charges through the card gateway. A
// payment it cannot charge is left: the visibility timeout brings it back,
// and the runtime hands the rest of its group's messages back unhandled, so
// one student's payments stay in order.
runtime::MessageHandler ChargeByCard(World* world) {
  return [world](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
    const int id = PaymentId(d.message());
    co_await d.env().Sleep(800ms);
    const bool declined = world->declined.contains(id) && !world->gateway_fixed;
    // A declined card, or (until the operator's fix) a gateway timeout.
    if (declined || (!world->gateway_fixed && d.env().rng().OneIn(10))) {
      ++world->gateway_failures;
      co_return runtime::Outcome::Leave();  // received again after the visibility timeout
    }
    Charge(world, id);
    (runtime::ReceiveCount(d.message()) == 1 ? world->first_try : world->after_retries)++;
    co_return runtime::Outcome::Done();
  };
}

// The DLQ handler's: tries the stored bank account once per dead-lettered
// payment; two in three succeed. The rest are left in the DLQ.
runtime::MessageHandler ChargeByBankAccount(World* world) {
  auto tried = std::make_shared<std::set<int>>();
  return [world, tried](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
    const int id = PaymentId(d.message());
    world->dead_lettered.insert(id);
    if (!tried->insert(id).second) co_return runtime::Outcome::Leave();  // for the redrive
    co_await d.env().Sleep(2s);
    if (d.env().rng().Uniform(3) == 0) {
      ++world->alternative_failed;
      co_return runtime::Outcome::Leave();
    }
    ++world->alternative_ok;
    Charge(world, id);
    co_return runtime::Outcome::Done();
  };
}

// Stops the payment processor once every payment is charged.
awaitable<void> StopWhenAllCharged(World* world) {
  while (static_cast<int>(world->charged.size()) < world->payments) {
    co_await world->sim->env().Sleep(5s);
  }
  world->processor->Stop();
}

// After two hours the operator fixes the gateway and redrives the DLQ.
awaitable<void> Operator(World* world) {
  co_await world->sim->env().Sleep(2h);
  world->gateway_fixed = true;
  world->dead_letter_handler->Stop();  // what it left stays in the DLQ
  sqsim::GetQueueAttributesRequest counts{
      .queue_url = world->dlq_url,
      .attribute_names = {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}};
  co_await world->sim->env().Sleep(1min);  // let in-flight DLQ messages come back
  auto left = co_await world->sim->AsyncGetQueueAttributes(counts);
  if (left.ok()) world->redriven = std::stoi(left->attributes["ApproximateNumberOfMessages"]);
  // Without DestinationArn every message returns to its source queue.
  sqsim::StartMessageMoveTaskRequest move{.source_arn = world->dlq_arn,
                                          .max_number_of_messages_per_second = 10};
  auto task = co_await world->sim->AsyncStartMessageMoveTask(move);
  if (!task.ok()) std::cerr << "redrive failed: " << task.status() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::cout << kBanner << "\n";
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::cerr << "usage: payment_demo [--seed N] [--payments N]\n";
    return 2;
  }
  std::cout << "seed " << options.seed << ", " << options.payments << " payments\n";

  // Step 1: the DLQ first (a RedrivePolicy must name an existing queue),
  // then the payments queue with maxReceiveCount = 3.
  auto created = Simulator::Create({.seed = options.seed});
  if (!created.ok()) {
    std::cerr << created.status() << "\n";
    return 1;
  }
  Simulator& sim = **created;
  auto dlq =
      sim.CreateQueue({.queue_name = "payments-dlq.fifo", .attributes = {{"FifoQueue", "true"}}});
  auto dlq_arn = sim.GetQueueAttributes(
      {.queue_url = dlq.ok() ? dlq->queue_url : "", .attribute_names = {"QueueArn"}});
  if (!dlq.ok() || !dlq_arn.ok()) {
    std::cerr << "cannot create the DLQ\n";
    return 1;
  }
  const std::string arn = dlq_arn->attributes["QueueArn"];
  auto payments =
      sim.CreateQueue({.queue_name = "payments.fifo",
                       .attributes = {{"FifoQueue", "true"},
                                      {"VisibilityTimeout", "60"},
                                      {"RedrivePolicy", R"({"deadLetterTargetArn":")" + arn +
                                                            R"(","maxReceiveCount":3})"}}});
  if (!payments.ok()) {
    std::cerr << payments.status() << "\n";
    return 1;
  }
  World world{.sim = &sim,
              .payments_url = payments->queue_url,
              .dlq_url = dlq->queue_url,
              .dlq_arn = arn,
              .payments = options.payments};

  // Step 2: checkout, the processor and the DLQ handler (sqsim::runtime
  // Consumers: ten payments in flight, one at a time per student), and the
  // operator.
  runtime::Consumer processor(sim, sim.env(), {.queue_url = world.payments_url},
                              ChargeByCard(&world));
  runtime::Consumer dead_letter_handler(sim, sim.env(), {.queue_url = world.dlq_url},
                                        ChargeByBankAccount(&world));
  world.processor = &processor;
  world.dead_letter_handler = &dead_letter_handler;
  sim.Spawn(Checkout(&world));
  for (runtime::Consumer* consumer : {&processor, &dead_letter_handler}) {
    sim.Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(*consumer));
  }
  sim.Spawn(StopWhenAllCharged(&world));
  sim.Spawn(Operator(&world));
  const auto real_start = std::chrono::steady_clock::now();
  const sqsim::Timestamp virtual_start = sim.Now();
  const bool drained = sim.RunUntilIdle(24h);
  const auto real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - real_start);

  // Step 3: report.
  const auto virtual_s =
      std::chrono::duration_cast<std::chrono::seconds>(sim.Now() - virtual_start).count();
  std::cout << "\nPayments:                          " << world.payments << "\n"
            << "Charged on the first receive:      " << world.first_try << "\n"
            << "Charged after retries:             " << world.after_retries << "\n"
            << "Gateway failures (not deleted):    " << world.gateway_failures << "\n"
            << "Moved to the DLQ (4th receive):    " << world.dead_lettered.size() << "\n"
            << "Charged by the alternative method: " << world.alternative_ok << "\n"
            << "Alternative method failed:         " << world.alternative_failed << "\n"
            << "Redriven after the gateway fix:    " << world.redriven << "\n"
            << "Charged in total:                  " << world.charged.size() << "\n"
            << "Charged twice:                     " << world.double_charges << "\n"
            << "Virtual time elapsed:              " << virtual_s / 3600 << " h "
            << virtual_s % 3600 / 60 << " min\n"
            << "Real time taken:                   " << real_ms.count() << " ms\n";
  const bool ok = drained && static_cast<int>(world.charged.size()) == world.payments &&
                  world.double_charges == 0;
  if (!ok) std::cerr << "unexpected outcome\n";
  return ok ? 0 : 1;
}
