// The online school's payment consumer, twice: as it is often first written
// (charges again when a payment message is delivered again) and fixed
// (charges through the gateway's idempotency key, so a repeated delivery
// cannot charge twice). Both are ordinary consumer code against Client and
// Env: tests run them on the simulator under faults (tests/testing/
// payment_consumer_test.cc), production would run them on AwsClient.

#ifndef SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_
#define SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_

#include <functional>
#include <map>
#include <set>
#include <string>

#include "sqsim/client.h"
#include "sqsim/env.h"

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

// Receives payment messages (body = payment id) and charges them. Runs until
// `stopping()`. Requests are named before co_await (GCC 12; see client.h).
inline boost::asio::awaitable<void> RunPaymentConsumer(sqsim::Client& client, sqsim::Env& env,
                                                       PaymentGateway& gateway,
                                                       PaymentConsumerOptions options) {
  while (!options.stopping()) {
    sqsim::ReceiveMessageRequest receive{.queue_url = options.queue_url,
                                         .message_system_attribute_names = {"All"},
                                         .max_number_of_messages = 5,
                                         .wait_time_seconds = 20};
    auto got = co_await client.AsyncReceiveMessage(receive);
    if (!got.ok()) {
      co_await env.Sleep(std::chrono::seconds(1));  // throttled or unavailable: back off
      continue;
    }
    for (const sqsim::Message& m : got->messages) {
      options.fault_point("payment.after-receive");
      co_await env.Sleep(std::chrono::milliseconds(300));  // talk to the gateway
      const bool moved = options.idempotent ? gateway.ChargeOnce(m.body, /*idempotency_key=*/m.body)
                                            : gateway.Charge(m.body);
      if (moved) options.charged(m);
      options.fault_point("payment.after-charge");  // crash before the delete
      sqsim::DeleteMessageRequest del{.queue_url = options.queue_url,
                                      .receipt_handle = m.receipt_handle};
      (void)co_await client.AsyncDeleteMessage(del);
    }
  }
}

}  // namespace school

#endif  // SQSIM_EXAMPLES_SCHOOL_PAYMENT_CONSUMER_H_
