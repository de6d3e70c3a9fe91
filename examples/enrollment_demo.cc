// enrollment_demo: the enrollment-events flow of an online school, on the
// sqsim simulator, in virtual time.
//
// The enrollment service publishes one `student_enrolled` event per new
// enrollment to the SNS topic `student-enrolled`, with the message
// attributes event_type, enrollment_id and paid (one course in three is
// free). Each service subscribes its own queue to the topic with raw message
// delivery, so the event arrives as published and its attributes as SQS
// message attributes; each queue's policy lets only that topic send to it,
// as on AWS.
//
//   notifications  sends the welcome pack, for paid courses only: its
//                  subscription's filter policy {"paid":["true"]} keeps the
//                  free enrollments out of its queue. A sqsim::runtime
//                  Consumer, two instances; the mail server is sometimes
//                  slower than the visibility timeout, and the heartbeat
//                  keeps the event from coming back meanwhile;
//   analytics      counts enrollments per course: a Lambda function behind a
//                  sqsim::lambda event source mapping (batches of up to ten,
//                  a batching window, ReportBatchItemFailures). Now and then
//                  a record fails transiently; the function reports it in
//                  batchItemFailures, so only that record comes back, and
//                  the count is idempotent by enrollment id;
//   payments       charges the course fee, nothing for a free course (a
//                  runtime Consumer); it sometimes loses its connection after
//                  charging and before acknowledging, so the event comes back
//                  and the service must be idempotent.
//
// Everything runs as Asio coroutines on the simulator's virtual-time
// executor: an hour of school traffic takes a fraction of a second, and the
// same seed prints the same story.
//
// Usage: enrollment_demo [--seed N] [--enrollments N]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sqsim/lambda/event_source_mapping.h"
#include "sqsim/runtime/attributes.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/simulator.h"
#include "sqsim/sns/queue_policy.h"

namespace {

using namespace std::chrono_literals;
using boost::asio::awaitable;
using sqsim::Duration;
using sqsim::Simulator;
namespace lambda = sqsim::lambda;
namespace runtime = sqsim::runtime;
namespace sns = sqsim::sns;

constexpr const char* kBanner = "sqsim enrollment demo: student_enrolled events in virtual time";
constexpr const char* kTopicName = "student-enrolled";
constexpr int kCourses = 12;

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

// One course in three is free; a free enrollment gets no welcome pack.
bool IsPaid(int course) { return course % 3 != 0; }

// The course number of an event body (the enrollment service writes it; no
// JSON parser needed for a field it always sets); -1 when it has none.
int CourseOf(const std::string& body) {
  const std::string key = R"("course_id":"course-)";
  const size_t start = body.find(key);
  return start == std::string::npos ? -1 : std::atoi(body.c_str() + start + key.size());
}

// What each service saw, for the report (the runtime and the mapping count
// the rest).
struct ServiceLog {
  int redeliveries = 0;             // deliveries of an event already handled
  int max_receive_count = 0;        // highest ApproximateReceiveCount seen
  std::set<std::string> handled{};  // enrollment ids whose side effect happened
};

struct World {
  Simulator* sim = nullptr;
  Options options{};
  std::string topic_arn{};
  std::map<std::string, std::string> urls{};  // service -> queue URL
  std::map<std::string, ServiceLog> logs{};
  // The Consumers of notifications (two instances) and payments.
  std::map<std::string, std::vector<std::unique_ptr<runtime::Consumer>>> consumers{};
  // Analytics: the Lambda trigger, what its Run returned, its aggregate.
  std::unique_ptr<lambda::EventSourceMapping> analytics{};
  std::optional<sqsim::Status> analytics_status{};
  std::map<int, int> enrollments_per_course{};  // course -> enrollments
  int64_t records_reported_failed = 0;
  int published = 0;
  std::set<std::string> paid{};  // enrollment ids of paid courses published
  bool publishing_done = false;
};

// The enrollments a service must handle: notifications the paid ones (its
// filter policy keeps the rest out), the others all.
size_t Expected(const World& world, const std::string& service) {
  return service == "notifications" ? world.paid.size() : static_cast<size_t>(world.published);
}

// Publishes `enrollments` events with exponential gaps (a Poisson arrival
// process, mean 10 s), each once to the topic: SNS fans it out to the
// subscribed queues whose filter policies it matches.
awaitable<void> EnrollmentService(World* world) {
  sqsim::Env& env = world->sim->env();
  for (int i = 1; i <= world->options.enrollments; ++i) {
    const double gap_s = -10.0 * std::log(1.0 - env.rng().NextDouble());
    co_await env.Sleep(std::chrono::duration_cast<Duration>(std::chrono::duration<double>(gap_s)));
    const std::string enrollment_id = "enr-" + std::to_string(i);
    const int course = i % kCourses;
    const bool paid = IsPaid(course);
    const std::string body = R"({"event":"student_enrolled","enrollment_id":")" + enrollment_id +
                             R"(","student_id":"stu-)" + std::to_string(1000 + i % 97) +
                             R"(","course_id":"course-)" + std::to_string(course) + R"("})";
    // Named before co_await (GCC 12; see sqsim/client.h).
    sns::PublishRequest publish{
        .topic_arn = world->topic_arn,
        .message = body,
        .message_attributes = {
            {"event_type", {.data_type = "String", .string_value = "student_enrolled"}},
            {"enrollment_id", {.data_type = "String", .string_value = enrollment_id}},
            {"paid", {.data_type = "String", .string_value = paid ? "true" : "false"}}}};
    auto published = co_await world->sim->sns().AsyncPublish(std::move(publish));
    if (!published.ok()) {
      std::cerr << "publish failed: " << published.status() << "\n";
      continue;
    }
    ++world->published;
    if (paid) world->paid.insert(enrollment_id);
  }
  world->publishing_done = true;
}

// Notes a delivery of enrollment `id` in `log`; true when it was not handled
// yet.
bool FirstDelivery(ServiceLog& log, const std::string& id, int receive_count) {
  log.max_receive_count = std::max(log.max_receive_count, receive_count);
  if (log.handled.contains(id)) {
    ++log.redeliveries;
    return false;
  }
  return true;
}

std::string EnrollmentId(const sqsim::Message& m) {
  return runtime::StringAttribute(m, "enrollment_id").value_or("");
}

bool FirstDelivery(ServiceLog& log, const sqsim::Message& m) {
  return FirstDelivery(log, EnrollmentId(m), runtime::ReceiveCount(m).value_or(0));
}

runtime::ConsumerOptions ServiceOptions(const World& world, const std::string& service) {
  return {.queue_url = world.urls.at(service),
          .message_attribute_names = {"enrollment_id"},
          .system_attribute_names = {"ApproximateReceiveCount"}};
}

// Sends the welcome pack, four at a time per instance, two instances. One
// time in eight the mail server is slow (45 s, longer than the queue's 30 s
// visibility timeout): the heartbeat extends the event's visibility every
// 10 s, so the other instance does not receive it again meanwhile. Only paid
// enrollments reach this queue: the subscription's filter policy decides.
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
          log.handled.insert(EnrollmentId(d.message()));
          co_return runtime::Outcome::Done();
        }));
  }
}

// Counts enrollments per course, as a Lambda function behind an SQS trigger:
// batches of up to ten, gathered for up to 20 s (at most two at a time), so
// that a quiet hour costs few invocations; one aggregate write per
// invocation. One record in twenty fails on its first try (the aggregate
// store refuses it, say): the function lists it in batchItemFailures, the
// rest of the batch is deleted, and the record alone comes back after the
// visibility timeout and succeeds. Counting is idempotent by enrollment id,
// so a record that comes back although counted (a lost delete) counts once.
void StartAnalyticsFunction(World* world) {
  ServiceLog& log = world->logs["analytics"];
  world->analytics = std::make_unique<lambda::EventSourceMapping>(
      *world->sim, world->sim->env(),
      lambda::EventSourceMappingOptions{.queue_url = world->urls.at("analytics"),
                                        .function_name = "enrollment-analytics",
                                        .batch_size = 10,
                                        .maximum_batching_window_in_seconds = 20,
                                        .function_response_types = {"ReportBatchItemFailures"},
                                        .maximum_concurrency = 2},
      [world, &log](const lambda::SqsEvent& event, lambda::InvocationContext& context)
          -> awaitable<sqsim::Result<lambda::BatchResponse>> {
        co_await context.env.Sleep(100ms);  // the aggregate write
        std::vector<std::string> failed;
        for (const lambda::SqsRecord& r : event.records) {
          const auto id = r.message_attributes.find("enrollment_id");
          const std::string enrollment_id =
              id == r.message_attributes.end() ? "" : id->second.string_value.value_or("");
          const int receive_count = std::atoi(r.attributes.approximate_receive_count.c_str());
          if (!FirstDelivery(log, enrollment_id, receive_count)) continue;  // counted already
          if (receive_count == 1 && context.env.rng().OneIn(20)) {
            failed.push_back(r.message_id);  // transient: the retry succeeds
            continue;
          }
          ++world->enrollments_per_course[CourseOf(r.body)];
          log.handled.insert(enrollment_id);
        }
        world->records_reported_failed += static_cast<int64_t>(failed.size());
        co_return lambda::BatchResponse::Failures(failed);
      });
}

// Charges the course fee (nothing for a free course), idempotently by
// enrollment id. One time in ten the service loses its connection after
// charging and before acknowledging: the handler leaves the event
// (Outcome::Leave), it comes back after the visibility timeout, and the
// idempotency check prevents a second charge.
void StartPaymentService(World* world) {
  ServiceLog& log = world->logs["payments"];
  world->consumers["payments"].push_back(std::make_unique<runtime::Consumer>(
      *world->sim, world->sim->env(), ServiceOptions(*world, "payments"),
      [&log](runtime::Delivery& d) -> awaitable<runtime::Outcome> {
        if (!FirstDelivery(log, d.message())) co_return runtime::Outcome::Done();  // charged
        co_await d.env().Sleep(500ms);
        log.handled.insert(EnrollmentId(d.message()));  // charged (at most once per id)
        if (d.env().rng().OneIn(10)) co_return runtime::Outcome::Leave();
        co_return runtime::Outcome::Done();
      }));
}

// Stops the consumers and the trigger once every service has handled what it
// must and its queue is empty (a left payment or a failed analytics record
// comes back and must still be deleted), or at once if the trigger could not
// start.
awaitable<void> StopWhenDone(World* world) {
  sqsim::Env& env = world->sim->env();
  while (!world->analytics_status.has_value()) {
    co_await env.Sleep(5s);
    if (!world->publishing_done) continue;
    bool done = true;
    for (const auto& [service, log] : world->logs) {
      done = done && log.handled.size() == Expected(*world, service);
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
  world->analytics->Stop();
}

// A function metric over [start, end), folded into one datapoint (sum,
// sample count, minimum, maximum over the minutes that have any).
sqsim::MetricDatapoint MetricTotal(const lambda::EventSourceMapping& mapping,
                                   lambda::FunctionMetric metric, sqsim::Timestamp start,
                                   sqsim::Timestamp end) {
  sqsim::MetricDatapoint total;
  auto minutes = mapping.GetMetric({.metric = metric, .start = start, .end = end});
  if (!minutes.ok()) return total;
  for (const sqsim::MetricDatapoint& m : *minutes) {
    total.minimum = total.sample_count == 0 ? m.minimum : std::min(total.minimum, m.minimum);
    total.maximum = std::max(total.maximum, m.maximum);
    total.sample_count += m.sample_count;
    total.sum += m.sum;
  }
  return total;
}

void PrintReport(const World& world, Simulator& sim, sqsim::Timestamp virtual_start,
                 std::chrono::steady_clock::duration real_elapsed) {
  const size_t paid = world.paid.size();
  const size_t free_of_charge = static_cast<size_t>(world.published) - paid;
  std::cout << "\nEnrollments published: " << world.published << ", once each to topic "
            << kTopicName << " (" << paid << " paid, " << free_of_charge << " free)\n";
  // Each publish matches every subscription but notifications' when free.
  const sns::DeliveryStats deliveries = sim.sns_delivery_stats();
  const int64_t filtered =
      static_cast<int64_t>(world.published) * static_cast<int64_t>(world.urls.size()) -
      deliveries.deliveries;
  std::cout << "SNS deliveries:        " << deliveries.deliveries << " into " << world.urls.size()
            << " queues: " << deliveries.delivered << " delivered, " << deliveries.failed_attempts
            << " failed attempts, " << deliveries.dropped << " dropped\n";
  std::cout << "Filter policy:         {\"paid\":[\"true\"]} kept " << filtered
            << " free enrollments out of notifications\n\n";

  std::cout << std::left << std::setw(15) << "service" << std::right << std::setw(10) << "received"
            << std::setw(9) << "deleted" << std::setw(10) << "extended" << std::setw(13)
            << "redelivered" << std::setw(9) << "handled" << std::setw(19) << "max receive count"
            << "\n";
  for (const auto& [service, log] : world.logs) {
    runtime::ConsumerStats total;                 // over the service's instances, or the trigger's
    const bool trigger = service == "analytics";  // Lambda extends no visibility
    if (trigger) {
      total.received = world.analytics->stats().polled;
      total.deleted = world.analytics->stats().deleted;
    } else {
      for (const auto& consumer : world.consumers.at(service)) {
        total.received += consumer->stats().received;
        total.deleted += consumer->stats().deleted;
        total.extensions += consumer->stats().extensions;
      }
    }
    std::cout << std::left << std::setw(15) << service << std::right << std::setw(10)
              << total.received << std::setw(9) << total.deleted << std::setw(10)
              << (trigger ? "-" : std::to_string(total.extensions)) << std::setw(13)
              << log.redeliveries << std::setw(9) << log.handled.size() << std::setw(19)
              << log.max_receive_count << "\n";
  }

  // The trigger has stopped, so the minute in progress is complete: the
  // range ends at the next whole minute to include it.
  const sqsim::Timestamp metrics_end = std::chrono::ceil<std::chrono::minutes>(sim.Now());
  const lambda::EventSourceMapping& trigger = *world.analytics;
  const auto invocations =
      MetricTotal(trigger, lambda::FunctionMetric::kInvocations, virtual_start, metrics_end);
  const auto errors =
      MetricTotal(trigger, lambda::FunctionMetric::kErrors, virtual_start, metrics_end);
  const auto batch_size =
      MetricTotal(trigger, lambda::FunctionMetric::kBatchSize, virtual_start, metrics_end);
  std::cout << "\nAnalytics function (SQS trigger: batch size 10, 20 s window, "
               "ReportBatchItemFailures):\n";
  std::cout << "  invocations " << invocations.sum << ", function errors " << errors.sum
            << ", partial failures " << trigger.stats().partial_failures << " ("
            << world.records_reported_failed << " records reported failed, retried)\n";
  std::cout << "  batch size min " << batch_size.minimum << ", mean " << std::fixed
            << std::setprecision(1) << batch_size.average() << std::defaultfloat << ", max "
            << batch_size.maximum << "; at most " << trigger.stats().max_concurrency
            << " concurrent invocations\n";
  for (const std::string& warning : trigger.warnings()) {
    std::cout << "  warning: " << warning << "\n";
  }
  std::cout << "  enrollments by course number:";
  for (const auto& [course, count] : world.enrollments_per_course) {
    std::cout << " " << course << ":" << count;
  }
  std::cout << "\n";

  const auto virtual_s =
      std::chrono::duration_cast<std::chrono::seconds>(sim.Now() - virtual_start);
  const auto real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(real_elapsed);
  std::cout << "\nVirtual time elapsed: " << virtual_s.count() / 60 << " min "
            << virtual_s.count() % 60 << " s\n";
  std::cout << "Real time taken:      " << real_ms.count() << " ms\n";
  std::cout << "Trace: " << sim.trace().event_count() << " events, hash " << std::hex
            << sim.trace_hash() << std::dec << " (same seed, same hash)\n";
}

// Creates the queue of `service`, lets the topic send to it and subscribes
// it with raw message delivery (plus `attributes`).
sqsim::Status SubscribeServiceQueue(World& world, const std::string& service,
                                    sns::SubscriptionAttributeMap attributes) {
  Simulator& sim = *world.sim;
  auto queue = sim.CreateQueue({.queue_name = std::string("enrollments-") + service,
                                .attributes = {{"VisibilityTimeout", "30"}}});
  if (!queue.ok()) return queue.status();
  auto arn =
      sim.GetQueueAttributes({.queue_url = queue->queue_url, .attribute_names = {"QueueArn"}});
  if (!arn.ok()) return arn.status();
  const std::string queue_arn = arn->attributes["QueueArn"];
  auto policy = sim.SetQueueAttributes(
      {.queue_url = queue->queue_url,
       .attributes = {{"Policy", sns::QueuePolicyAllowingTopic(queue_arn, world.topic_arn)}}});
  if (!policy.ok()) return policy.status();
  attributes["RawMessageDelivery"] = "true";
  auto subscribed = sim.sns().Subscribe({.topic_arn = world.topic_arn,
                                         .protocol = "sqs",
                                         .endpoint = queue_arn,
                                         .attributes = std::move(attributes)});
  if (!subscribed.ok()) return subscribed.status();
  world.urls[service] = queue->queue_url;
  return sqsim::Status::Ok();
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

  // Step 2: the topic, and one queue per service subscribed to it (30 s
  // visibility timeout); only paid enrollments pass notifications' filter.
  World world{.sim = &sim, .options = options};
  auto topic = sim.sns().CreateTopic({.name = kTopicName});
  if (!topic.ok()) {
    std::cerr << topic.status() << "\n";
    return 1;
  }
  world.topic_arn = topic->topic_arn;
  for (const char* service : {"notifications", "analytics", "payments"}) {
    sns::SubscriptionAttributeMap filter;
    if (std::string(service) == "notifications") filter["FilterPolicy"] = R"({"paid":["true"]})";
    const sqsim::Status subscribed = SubscribeServiceQueue(world, service, std::move(filter));
    if (!subscribed.ok()) {
      std::cerr << service << ": " << subscribed << "\n";
      return 1;
    }
  }

  // Step 3: start the enrollment service, the services (three
  // runtime::Consumers and the analytics trigger) and the coroutine that
  // stops them at the end.
  sim.Spawn(EnrollmentService(&world));
  StartNotificationService(&world);
  StartAnalyticsFunction(&world);
  StartPaymentService(&world);
  for (auto& [service, consumers] : world.consumers) {
    for (auto& consumer : consumers) {
      sim.Spawn([](runtime::Consumer& c) -> awaitable<void> { (void)co_await c.Run(); }(*consumer));
    }
  }
  sim.Spawn([](World* w) -> awaitable<void> {
    w->analytics_status = co_await w->analytics->Run();
  }(&world));
  sim.Spawn(StopWhenDone(&world));

  // Step 4: run until every service has handled its enrollments.
  const sqsim::Timestamp virtual_start = sim.Now();
  const auto real_start = std::chrono::steady_clock::now();
  const bool drained = sim.RunUntilIdle(24h);
  const auto real_elapsed = std::chrono::steady_clock::now() - real_start;

  // Step 5: report.
  PrintReport(world, sim, virtual_start, real_elapsed);
  if (!drained) {
    std::cerr << "the flow did not drain within 24 virtual hours\n";
    return 1;
  }
  if (!world.analytics_status.has_value()) {
    std::cerr << "the analytics trigger did not stop\n";
    return 1;
  }
  if (!world.analytics_status->ok()) {
    std::cerr << "the analytics trigger failed: " << *world.analytics_status << "\n";
    return 1;
  }
  if (world.published != options.enrollments) {
    std::cerr << "only " << world.published << " enrollments were published\n";
    return 1;
  }
  // Notifications must have sent exactly the paid enrollments' welcome
  // packs; the others must have handled every enrollment.
  if (world.logs.at("notifications").handled != world.paid) {
    std::cerr << "notifications did not handle exactly the paid enrollments\n";
    return 1;
  }
  for (const auto& [service, log] : world.logs) {
    if (log.handled.size() != Expected(world, service)) {
      std::cerr << service << " missed enrollments\n";
      return 1;
    }
  }
  int counted = 0;
  for (const auto& [course, count] : world.enrollments_per_course) counted += count;
  if (counted != options.enrollments) {
    std::cerr << "analytics counted " << counted << " enrollments\n";
    return 1;
  }
  return 0;
}
