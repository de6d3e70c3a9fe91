// The online school's payment consumer, twice: as it is often first written
// (charges again when a payment message is delivered again) and fixed
// (charges through the gateway's idempotency key, so a repeated delivery
// cannot charge twice). Both are a handler on sqsim::runtime's Consumer over
// Client and Env: tests run them on the simulator under faults
// (tests/testing/payment_consumer_test.cc), production would run them on
// AwsClient.

#ifndef SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_
#define SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/when.h"

namespace school {

// The payment gateway, as the consumer sees it. `Charge` moves money every
// time it is called; `ChargeOnce` moves money once per idempotency key, like
// real payment APIs (the key lives at the gateway, so it survives a crash of
// the consumer). Both return whether money moved.
class PaymentGateway {
 public:
  bool Charge(const std::string& payment) {
    ++charges_[payment];
    return true;
  }
  bool ChargeOnce(const std::string& payment, const std::string& idempotency_key) {
    if (!keys_.insert(idempotency_key).second) return false;
    return Charge(payment);
  }
  int charges(const std::string& payment) const {
    auto it = charges_.find(payment);
    return it == charges_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, int> charges_;
  std::set<std::string> keys_;
};

struct PaymentConsumerOptions {
  std::string queue_url{};
  bool idempotent = false;
  // Checked between each step; a crash there is simulated by the caller
  // (the harness throws when Env::MaybeFault fires).
  std::function<void(std::string_view point)> fault_point = [](std::string_view) {};
  std::function<bool()> stopping = [] { return false; };
  // Called when the gateway moved money for `m` (a metric, an audit log; the
  // harness records the side effect).
  std::function<void(const sqsim::Message& m)> charged = [](const sqsim::Message&) {};
};

// The handler: charges the payment (body = payment id). A crash simulated at
// a fault point is a sqsim::FatalError: it ends the consumer, as a crash
// ends the process.
inline sqsim::runtime::MessageHandler ChargePayment(PaymentGateway& gateway,
                                                    const PaymentConsumerOptions& options) {
  return [&gateway, &options](
             sqsim::runtime::Delivery& d) -> boost::asio::awaitable<sqsim::runtime::Outcome> {
    const sqsim::Message& m = d.message();
    options.fault_point("payment.after-receive");
    co_await d.env().Sleep(std::chrono::milliseconds(300));  // talk to the gateway
    const bool moved = options.idempotent ? gateway.ChargeOnce(m.body, /*idempotency_key=*/m.body)
                                          : gateway.Charge(m.body);
    if (moved) options.charged(m);
    options.fault_point("payment.after-charge");  // crash before the delete
    co_return sqsim::runtime::Outcome::Done();
  };
}

// Runs a sqsim::runtime Consumer of payments (five at a time) until
// `stopping()`, or until a crash ends it.
inline boost::asio::awaitable<void> RunPaymentConsumer(sqsim::Client& client, sqsim::Env& env,
                                                       PaymentGateway& gateway,
                                                       PaymentConsumerOptions options) {
  sqsim::runtime::Consumer consumer(
      client, env,
      {.queue_url = options.queue_url, .max_messages_per_receive = 5, .max_in_flight = 5},
      ChargePayment(gateway, options));
  std::vector<boost::asio::awaitable<void>> both;
  both.push_back([](sqsim::runtime::Consumer& c) -> boost::asio::awaitable<void> {
    (void)co_await c.Run();  // its options are valid: Run ends at a stop or a crash
  }(consumer));
  both.push_back([](sqsim::runtime::Consumer& c, sqsim::Env& env,
                    std::function<bool()> stopping) -> boost::asio::awaitable<void> {
    while (!stopping()) co_await env.Sleep(std::chrono::seconds(1));
    c.Stop();
  }(consumer, env, options.stopping));
  co_await sqsim::WhenAll(std::move(both));  // a crash in one cancels the other
}

}  // namespace school

#endif  // SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_
