// Simulator: an in-process, deterministic, virtual-time Amazon SQS.
//
// A Simulator implements `Client`, so code written against Client runs on it
// unchanged. Time is virtual: it starts at `SimulatorOptions::start_time` and
// moves only when the simulator jumps to its next event (a long poll that
// waits, an actor's `Sleep`) or a test advances it. A simulated day costs
// milliseconds. Every random choice derives from `SimulatorOptions::seed`:
// the same seed and the same program give the same trace, byte for byte.
//
// Two ways to drive it:
//
//  * Blocking calls from a test body. `ReceiveMessage` with a wait moves the
//    clock to the first instant a message becomes available (a delay ends, a
//    visibility timeout expires) or the wait ends, running any spawned actors
//    on the way.
//
//      auto sim = Simulator::Create({.seed = 42}).value();
//      auto url = sim->CreateQueue({.queue_name = "orders"})->queue_url;
//      (void)sim->SendMessage({.queue_url = url, .message_body = "hi"});
//      auto r = sim->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
//
//  * Actors: Asio coroutines spawned with `Spawn` run on the simulator's
//    single-threaded executor and use the `Async*` forms and `env().Sleep`.
//    `RunFor`, `RunUntil` and `RunUntilIdle` run them; whenever no actor can
//    run, the clock jumps to the next timer. Interleavings are deterministic.
//
// Thread safety: a Simulator and everything it hands out belong to the thread
// that drives it. Distinct simulators are independent (no global state).

#ifndef SQSIM_SIMULATOR_H_
#define SQSIM_SIMULATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "sqsim/client.h"
#include "sqsim/env.h"
#include "sqsim/fault.h"
#include "sqsim/fault_client.h"
#include "sqsim/iam.h"
#include "sqsim/kms.h"
#include "sqsim/metrics.h"
#include "sqsim/options.h"
#include "sqsim/peek.h"
#include "sqsim/sns/client.h"
#include "sqsim/sns/deliveries.h"
#include "sqsim/trace.h"
#include "sqsim/types.h"

namespace sqsim {

namespace internal {
class SimulatorImpl;
}

class Simulator final : public Client {
 public:
  // Creates a simulator. Fails with kInvalidParameterValue when an option is
  // malformed (account id not 12 digits, empty region, probabilities outside
  // [0, 1], servers < 1).
  static Result<std::unique_ptr<Simulator>> Create(SimulatorOptions options = {});

  ~Simulator() override;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // ---- Time and actors ----------------------------------------------------

  // The current virtual time.
  Timestamp Now() const;

  // The Env of simulated actors: virtual Now() and Sleep(), the seeded Rng.
  // Lives as long as the simulator.
  Env& env();

  // The single-threaded executor actors run on.
  boost::asio::any_io_executor executor();

  // Starts `actor` on the simulator's executor. It runs when the simulator
  // runs (RunFor, RunUntil, RunUntilIdle, or a blocking call that waits).
  // An exception escaping an actor is rethrown from the Run* call that ran
  // it: it is the actor's bug, not an SQS error.
  void Spawn(boost::asio::awaitable<void> actor);

  // Runs actors and timers until nothing is runnable and no timer is pending.
  // Returns false if `limit` of virtual time passed first.
  bool RunUntilIdle(Duration limit = std::chrono::hours(24 * 365));

  // Runs actors and timers for `d` of virtual time; afterwards Now() is
  // exactly the old Now() + d. REQUIRES: d >= 0.
  void RunFor(Duration d);

  // Runs until `done()` is true (checked whenever actors have run and before
  // each clock jump) or `limit` of virtual time has passed. Returns done().
  bool RunUntil(const std::function<bool()>& done, Duration limit);

  // ---- Observation --------------------------------------------------------

  // The injector of SimulatorOptions::faults: its decisions, and how often
  // each rule fired. Share it with a FaultInjectingClient so that one seed
  // drives every fault and the trace records them all.
  FaultInjector& faults();

  // The one way to hand consumer code a faulty SQS: a client over this
  // simulator that applies the client-boundary faults of
  // SimulatorOptions::faults (errors, lost responses, latency, empty
  // receives), decided by faults() from the same seed. Its blocking calls
  // wait out injected latency in virtual time (RunFor); its coroutine calls
  // with env().Sleep. The simulator must outlive it.
  std::unique_ptr<FaultInjectingClient> NewFaultInjectingClient();

  const Trace& trace() const;
  // Appends a note to the trace at Now(): a kNote event naming `name`, with
  // `value`. The load test notes alarm state changes so ("alarm:<name>",
  // the new state); a test can mark its own phases. The hash covers notes
  // like every event.
  void AppendTraceNote(const std::string& name, int64_t value);
  uint64_t trace_hash() const { return trace().hash(); }
  // The messages stored in queue `queue_name` (a name, not a URL) as of
  // Now(), without receiving them: nothing changes, no receive count moves,
  // nothing goes into the trace. nullopt when there is no such queue. For
  // test reports and assertions; consumer code should receive.
  std::optional<std::vector<PeekedMessage>> Peek(const std::string& queue_name) const;
  // How many calls of each action reached the simulator.
  std::map<Action, int64_t> call_counts() const;
  // A queue's CloudWatch-shaped metrics as of Now(), one datapoint per
  // period (sqsim/metrics.h): the minutes that ended by Now() count.
  // QueueDoesNotExist for a name that is no queue and never reported,
  // InvalidParameterValue for a bad period or range.
  Result<std::vector<MetricDatapoint>> GetQueueMetric(const QueueMetricQuery& query);
  const SimulatorOptions& options() const;

  // ---- IAM (sqsim/iam.h) ---------------------------------------------------
  //
  // The simulator's own calls act as nobody in particular and are never
  // evaluated, as before. A client from ClientFor acts as one principal: each
  // of its calls is first decided by AWS's evaluation logic over that
  // principal's identity policies (PutIdentityPolicy) and the queue's Policy
  // attribute, and a denied call fails with AccessDenied (HTTP 403) and SQS's
  // message ("User: <arn> is not authorized to perform: sqs:sendmessage on
  // resource: <queue arn> because no identity-based policy allows the
  // sqs:sendmessage action"), is traced and counted like any failed call, and
  // changes nothing. Queues belong to SimulatorOptions::account_id: a
  // principal of another account makes cross-account requests, which both
  // the queue policy and its identity policies must allow.
  //
  //   sim->PutIdentityPolicy("arn:aws:iam::123456789012:role/enrollment", "send",
  //                          R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  //                              "Action": "sqs:SendMessage", "Resource": "*"}]})");
  //   auto enrollment = sim->ClientFor({.arn = "arn:aws:iam::123456789012:role/enrollment"});
  //   enrollment->SendMessage(...);      // allowed
  //   enrollment->ReceiveMessage(...);   // AccessDenied

  // Adds or replaces identity policy `name` of the IAM user, role or account
  // root `principal_arn` (a role's policies also govern its STS sessions,
  // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION). Errors:
  // InvalidParameterValue for an ARN or name that is empty; for a document
  // that is not a valid identity policy, iam::ParsePolicy's error
  // (InvalidAttributeValue, naming what is wrong: IAM itself would answer
  // MalformedPolicyDocument, a code SQS does not have).
  Status PutIdentityPolicy(const std::string& principal_arn, const std::string& name,
                           std::string_view policy_json);
  // Removes identity policy `name` of `principal_arn`; false when it had none.
  bool DeleteIdentityPolicy(const std::string& principal_arn, const std::string& name);

  // A client acting as `principal`, with the request context its calls carry
  // (source IP, VPC endpoint, SecureTransport, SourceArn for a service;
  // aws:CurrentTime is always the call's virtual time and aws:RequestedRegion
  // the simulator's region). Use a service principal ({.service =
  // "sns.amazonaws.com"} with context.source_arn) for what a service sends on
  // a topic's behalf. The simulator must outlive the client.
  std::unique_ptr<Client> ClientFor(iam::Principal principal, iam::RequestContext context = {});

  // What a call of `action` by `caller` on queue `queue_url` (a URL or name;
  // "" for an action on no queue, ListQueues) would be answered now, with the
  // statements that decided it: iam::Explain over this simulator's policies.
  iam::Explanation ExplainAccess(const iam::Caller& caller, Action action,
                                 const std::string& queue_url);

  // ---- KMS (sqsim/kms.h) ---------------------------------------------------

  // The KMS keys that queues with KmsMasterKeyId use: create keys and
  // aliases, disable them, schedule their deletion, set their policies, and
  // read how many data-key requests SQS made. Its calls that take a time
  // want Now().
  //
  //   kms::KeyMetadata key = sim->kms().CreateKey({}, sim->Now()).value();
  //   sim->CreateQueue({.queue_name = "payments",
  //                     .attributes = {{"KmsMasterKeyId", key.arn}}});
  //   sim->kms().DisableKey(key.key_id);   // sends fail with KmsDisabled once
  //                                        // the cached data key expires
  kms::KeyRegistry& kms();

  // ---- SNS (sqsim/sns/client.h) --------------------------------------------

  // SNS topics in the simulator's account and region, on its clock, trace
  // and fault plan. A publish delivers to each matching subscription at the
  // same instant (later under a kSnsDeliveryDelay fault): into queues as a
  // SendMessage by the service principal sns.amazonaws.com, so the queue's
  // policy must allow the topic, as on AWS; to functions (protocol lambda or
  // sqsim-function) registered with RegisterFunction. Failed deliveries are
  // retried as SNS retries them and then go to the subscription's
  // dead-letter queue (RedrivePolicy) or are dropped; both are traced.
  //
  //   auto topic = sim->sns().CreateTopic({.name = "student-enrolled"})->topic_arn;
  //   sim->sns().Subscribe({.topic_arn = topic, .protocol = "sqs",
  //                         .endpoint = notifications_queue_arn});
  //   sim->sns().Publish({.topic_arn = topic, .message = R"({"student":7})"});
  sns::Client& sns();
  // Makes `subscriber` the function behind `endpoint` (a Lambda function ARN
  // for protocol lambda, any name for sqsim-function). Each delivery runs as
  // an actor; one that throws fails the delivery. Replaces an earlier one.
  void RegisterFunction(const std::string& endpoint, sns::FunctionSubscriber subscriber);
  // What SNS did with the deliveries so far.
  sns::DeliveryStats sns_delivery_stats() const;
  // The token SNS would send to confirm a subscription pending confirmation
  // (http, https, email), for ConfirmSubscription; nullopt when none.
  std::optional<std::string> SnsConfirmationToken(const std::string& subscription_arn) const;

  // ---- Client -------------------------------------------------------------
#define SQSIM_SIMULATOR_DECLARE(Name)                                 \
  Result<Name##Response> Name(const Name##Request& request) override; \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_SIMULATOR_DECLARE)
#undef SQSIM_SIMULATOR_DECLARE

 private:
  explicit Simulator(std::unique_ptr<internal::SimulatorImpl> impl);
  std::unique_ptr<internal::SimulatorImpl> impl_;
};

}  // namespace sqsim

#endif  // SQSIM_SIMULATOR_H_
