#include "sqsim/loadtest/load_test.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <utility>

#include "loadtest/latency.h"
#include "loadtest/metering_client.h"
#include "sqsim/fault_client.h"
#include "sqsim/simulator.h"

namespace sqsim::loadtest {
namespace {

using boost::asio::awaitable;
using std::chrono::minutes;

constexpr Duration kMinute = minutes(1);

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

std::string DeadLetterQueueName(const std::string& name) {
  constexpr std::string_view kFifo = ".fifo";
  if (name.ends_with(kFifo)) return name.substr(0, name.size() - kFifo.size()) + "-dlq.fifo";
  return name + "-dlq";
}

void AddStats(runtime::ConsumerStats& total, const runtime::ConsumerStats& s) {
  total.receives += s.receives;
  total.empty_receives += s.empty_receives;
  total.receive_errors += s.receive_errors;
  total.received += s.received;
  total.done += s.done;
  total.retried += s.retried;
  total.dead_lettered += s.dead_lettered;
  total.left += s.left;
  total.exceptions += s.exceptions;
  total.deleted += s.deleted;
  total.delete_failures += s.delete_failures;
  total.extensions += s.extensions;
  total.lost_ownership += s.lost_ownership;
  total.released += s.released;
  total.cancelled += s.cancelled;
  total.expired += s.expired;
}

// The send time the default bodies begin with: "<microseconds since the
// epoch>;".
std::optional<Timestamp> BodySendTime(const std::string& body) {
  const size_t semicolon = body.find(';');
  if (semicolon == std::string::npos || semicolon == 0) return std::nullopt;
  int64_t micros = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + semicolon, micros);
  if (ec != std::errc() || end != body.data() + semicolon) return std::nullopt;
  return Timestamp(Duration(micros));
}

std::optional<Timestamp> AttributeSendTime(const Message& m) {
  const auto it = m.attributes.find("SentTimestamp");
  if (it == m.attributes.end()) return std::nullopt;
  int64_t millis = 0;
  const std::string& v = it->second;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), millis);
  if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return Timestamp(std::chrono::milliseconds(millis));
}

int64_t ReceiveCount(const Message& m) {
  const auto it = m.attributes.find("ApproximateReceiveCount");
  if (it == m.attributes.end()) return 1;
  int64_t n = 1;
  std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
  return n;
}

// One running (or stopped) member of the consumer fleet.
struct FleetMember {
  std::unique_ptr<runtime::Consumer> consumer;
  bool stopping = false;
  bool finished = false;
};

class LoadTestRun {
 public:
  explicit LoadTestRun(const LoadTestOptions& options) : options_(options) {}
  Result<LoadTestResult> Execute();

 private:
  Status SetUpQueues();
  awaitable<void> Produce(size_t index);
  awaitable<void> SendOne(runtime::Producer* batcher, SendMessageRequest request);
  SendMessageRequest MakeRequest(const ProducerSetup& setup, int64_t seq, Rng& rng);
  void SendFinished(bool ok);
  awaitable<runtime::Outcome> Handle(runtime::Delivery& delivery);
  void Completed(std::optional<Timestamp> sent_at);
  void HandlerFailed() {
    ++failed_;
    ++failures_[PeriodIndex(sim_->Now())];
  }
  void AddConsumer(Duration warm_up);
  void RemoveConsumer();
  awaitable<void> RunMember(FleetMember* member, Duration warm_up);
  awaitable<void> Tick();
  void EvaluateAlarms(Timestamp t);
  void Autoscale(Timestamp t);
  std::optional<double> LastMinuteMaximum(const std::string& queue, QueueMetric metric,
                                          Timestamp t);
  void AdvanceArea();
  size_t PeriodIndex(Timestamp t) const;
  void Collect(LoadTestResult& result);

  const LoadTestOptions& options_;
  std::unique_ptr<Simulator> sim_;
  Timestamp start_{};
  Timestamp horizon_{};  // start + duration + drain
  size_t period_count_ = 0;
  std::string queue_url_, dlq_name_;
  internal::MeteredQueue metered_queue_;
  CostMeter meter_;
  std::unique_ptr<FaultInjectingClient> faulty_;
  std::unique_ptr<internal::MeteringClient> producer_client_, consumer_client_;
  std::unique_ptr<Rng> service_rng_;
  // Some producer writes its own bodies: latency from SentTimestamp.
  bool custom_bodies_ = false;
  // The team's handler; empty: the service-time model.
  runtime::MessageHandler handler_;

  std::vector<std::unique_ptr<FleetMember>> fleet_;
  int running_ = 0;
  int peak_consumers_ = 0;
  Timestamp last_scale_out_{}, last_scale_in_{};

  std::vector<AlarmEvaluator> alarms_;
  std::vector<AlarmTransition> transitions_;
  std::vector<AlarmActionResult> alarm_actions_;

  // Accounting, per period and in total.
  std::vector<int64_t> arrivals_, completions_, failures_, consumers_at_end_;
  int64_t sent_ = 0, send_failures_ = 0, completed_ = 0, failed_ = 0;
  std::vector<int64_t> wait_counts_;
  std::vector<double> wait_sums_;
  std::vector<float> wait_samples_, e2e_samples_;
  std::vector<size_t> e2e_period_first_;  // index of each period's first sample
  // Little's law: messages in the system (sent, not completed) over time.
  int64_t in_system_ = 0;
  double in_system_area_ = 0;  // message-seconds up to area_time_
  Timestamp area_time_{};
  int64_t completed_in_window_ = 0;
  int64_t timed_in_window_ = 0;  // of those, the ones whose send time is known
  double time_in_system_sum_ = 0;
};

size_t LoadTestRun::PeriodIndex(Timestamp t) const {
  const auto offset = std::max(Duration(0), t - start_);
  return std::min<size_t>(static_cast<size_t>(offset / options_.period), period_count_ - 1);
}

void LoadTestRun::AdvanceArea() {
  const Timestamp now = std::min(sim_->Now(), horizon_);
  if (now > area_time_) {
    in_system_area_ += static_cast<double>(in_system_) * Seconds(now - area_time_);
    area_time_ = now;
  }
}

Status LoadTestRun::SetUpQueues() {
  const QueueSetup& q = options_.queue;
  const bool fifo = q.name.ends_with(".fifo");
  QueueAttributeMap attributes(q.attributes.begin(), q.attributes.end());
  if (fifo) attributes["FifoQueue"] = "true";
  if (q.max_receive_count > 0) {
    dlq_name_ = DeadLetterQueueName(q.name);
    QueueAttributeMap dlq_attributes;
    if (fifo) dlq_attributes["FifoQueue"] = "true";
    Result<CreateQueueResponse> dlq =
        sim_->CreateQueue({.queue_name = dlq_name_, .attributes = dlq_attributes});
    if (!dlq.ok()) return dlq.status();
    Result<GetQueueAttributesResponse> arn =
        sim_->GetQueueAttributes({.queue_url = dlq->queue_url, .attribute_names = {"QueueArn"}});
    if (!arn.ok()) return arn.status();
    attributes["RedrivePolicy"] = "{\"deadLetterTargetArn\":\"" + arn->attributes["QueueArn"] +
                                  "\",\"maxReceiveCount\":\"" +
                                  std::to_string(q.max_receive_count) + "\"}";
  }
  Result<CreateQueueResponse> created =
      sim_->CreateQueue({.queue_name = q.name, .attributes = attributes});
  if (!created.ok()) return created.status();
  queue_url_ = created->queue_url;

  metered_queue_.name = q.name;
  metered_queue_.fifo = fifo;
  const auto kms = q.attributes.find("KmsMasterKeyId");
  metered_queue_.kms = kms != q.attributes.end() && !kms->second.empty();
  const auto reuse = q.attributes.find("KmsDataKeyReusePeriodSeconds");
  if (reuse != q.attributes.end()) {
    int seconds = 300;
    std::from_chars(reuse->second.data(), reuse->second.data() + reuse->second.size(), seconds);
    metered_queue_.kms_data_key_reuse_period = std::chrono::seconds(seconds);
  }
  return Status();
}

SendMessageRequest LoadTestRun::MakeRequest(const ProducerSetup& setup, int64_t seq, Rng& rng) {
  SendMessageRequest request{.queue_url = queue_url_};
  const int64_t size = setup.messages.body_size.Draw(rng);
  if (setup.body) {
    request.message_body = setup.body(seq, rng);
  } else {
    request.message_body = std::to_string(sim_->Now().time_since_epoch().count());
    request.message_body += ';';
    if (static_cast<int64_t>(request.message_body.size()) < size) {
      request.message_body.resize(static_cast<size_t>(size), 'x');
    }
  }
  for (const AttributeShape& a : setup.messages.attributes) {
    if (!rng.Bernoulli(a.probability)) continue;
    int64_t length = std::max<int64_t>(1, a.value_size.Draw(rng));
    // A Number carries at most 38 significant digits.
    const bool number = a.data_type.starts_with("Number");
    if (number) length = std::min<int64_t>(length, 38);
    request.message_attributes[a.name] = MessageAttributeValue{
        .string_value = std::string(static_cast<size_t>(length), number ? '7' : 'v'),
        .data_type = a.data_type};
  }
  if (setup.messages.delay_seconds > 0) request.delay_seconds = setup.messages.delay_seconds;
  if (metered_queue_.fifo) {
    request.message_group_id = "g" + std::to_string(setup.groups.Draw(rng));
    const auto content = options_.queue.attributes.find("ContentBasedDeduplication");
    if (content == options_.queue.attributes.end() || content->second != "true") {
      request.message_deduplication_id = std::to_string(seq) + "-" + std::to_string(rng.Next());
    }
  }
  return request;
}

void LoadTestRun::SendFinished(bool ok) {
  if (!ok) {
    ++send_failures_;
    return;
  }
  ++sent_;
  ++arrivals_[PeriodIndex(sim_->Now())];
  AdvanceArea();
  ++in_system_;
}

awaitable<void> LoadTestRun::SendOne(runtime::Producer* batcher, SendMessageRequest request) {
  Result<SendMessageResponse> r = co_await batcher->Send(std::move(request));
  SendFinished(r.ok());
}

awaitable<void> LoadTestRun::Produce(size_t index) {
  const ProducerSetup& setup = options_.producers[index];
  std::unique_ptr<Rng> rng = sim_->env().rng().Fork("loadtest.producer." + std::to_string(index));
  std::unique_ptr<runtime::Producer> batcher;
  if (setup.batch) {
    runtime::ProducerOptions batching = setup.batching;
    batching.queue_url = queue_url_;
    batcher = std::make_unique<runtime::Producer>(*producer_client_, sim_->env(), batching);
  }
  ArrivalProcess::Stream arrivals = setup.arrivals.Start();
  for (int64_t seq = 0;; ++seq) {
    const std::optional<Duration> at = arrivals.Next(*rng);
    if (!at || *at >= options_.duration) break;
    const Timestamp when = start_ + *at;
    if (when > sim_->Now()) co_await sim_->env().Sleep(when - sim_->Now());
    SendMessageRequest request = MakeRequest(setup, seq, *rng);
    if (batcher) {
      // Concurrent sends, so that they can share batches.
      sim_->Spawn(SendOne(batcher.get(), std::move(request)));
      continue;
    }
    // One producer sends one message at a time: a send that waits (an
    // injected latency) holds back the arrivals behind it, which then go
    // out at once.
    Result<SendMessageResponse> r = co_await producer_client_->AsyncSendMessage(std::move(request));
    SendFinished(r.ok());
  }
  if (batcher) {
    // The batcher must outlive its pending sends: the longest linger and
    // retry backoff are well inside the drain or the shutdown below.
    co_await sim_->env().Sleep(horizon_ - sim_->Now() + minutes(1));
  }
}

void LoadTestRun::Completed(std::optional<Timestamp> sent_at) {
  const Timestamp now = sim_->Now();
  ++completed_;
  const size_t period = PeriodIndex(now);
  ++completions_[period];
  // The message leaves the system whether or not its send time is known
  // (a custom body whose consumer did not ask for SentTimestamp).
  const bool in_window = now <= horizon_;
  if (in_window) {
    AdvanceArea();
    --in_system_;
    ++completed_in_window_;
  }
  if (!sent_at) return;
  const double seconds = Seconds(now - *sent_at);
  while (e2e_period_first_.size() <= period) e2e_period_first_.push_back(e2e_samples_.size());
  e2e_samples_.push_back(static_cast<float>(seconds));
  if (in_window) {
    ++timed_in_window_;
    time_in_system_sum_ += seconds;
  }
}

awaitable<runtime::Outcome> LoadTestRun::Handle(runtime::Delivery& delivery) {
  const Message& message = delivery.message();
  const std::optional<Timestamp> sent_at =
      custom_bodies_ ? AttributeSendTime(message) : BodySendTime(message.body);
  if (sent_at && ReceiveCount(message) <= 1) {
    const double wait = Seconds(sim_->Now() - *sent_at);
    wait_samples_.push_back(static_cast<float>(wait));
    const size_t period = PeriodIndex(sim_->Now());
    ++wait_counts_[period];
    wait_sums_[period] += wait;
  }
  runtime::Outcome outcome;
  if (handler_) {
    try {
      outcome = co_await handler_(delivery);
    } catch (...) {
      // The consumer's on_exception decides the message's fate.
      HandlerFailed();
      throw;
    }
  } else {
    co_await sim_->env().Sleep(options_.consumers.service_time.Draw(*service_rng_));
    if (options_.consumers.service_time.DrawFailure(*service_rng_)) {
      HandlerFailed();
      co_return runtime::Outcome::Leave();
    }
  }
  if (outcome.kind == runtime::Outcome::Kind::kDone) Completed(sent_at);
  co_return outcome;
}

awaitable<void> LoadTestRun::RunMember(FleetMember* member, Duration warm_up) {
  if (warm_up > Duration(0)) co_await sim_->env().Sleep(warm_up);
  if (!member->stopping) {
    // Options were validated before the run: Run returns OK after Stop.
    (void)co_await member->consumer->Run();
  }
  member->finished = true;
}

void LoadTestRun::AddConsumer(Duration warm_up) {
  runtime::ConsumerOptions consumer_options = options_.consumers.options;
  consumer_options.queue_url = queue_url_;
  if (!handler_) {
    // The model reads no attribute: ask for the ones the run needs (the
    // receive count, and the send time of custom bodies) instead of every
    // one, which would cost a map of strings per message.
    consumer_options.message_attribute_names.clear();
    consumer_options.system_attribute_names = {"ApproximateReceiveCount"};
    if (custom_bodies_) consumer_options.system_attribute_names.push_back("SentTimestamp");
  }
  auto member = std::make_unique<FleetMember>();
  member->consumer = std::make_unique<runtime::Consumer>(
      *consumer_client_, sim_->env(), std::move(consumer_options),
      [this](runtime::Delivery& d) { return Handle(d); });
  FleetMember* raw = member.get();
  fleet_.push_back(std::move(member));
  ++running_;
  peak_consumers_ = std::max(peak_consumers_, running_);
  sim_->Spawn(RunMember(raw, warm_up));
}

void LoadTestRun::RemoveConsumer() {
  for (auto it = fleet_.rbegin(); it != fleet_.rend(); ++it) {
    FleetMember& m = **it;
    if (m.stopping || m.finished) continue;
    m.stopping = true;
    m.consumer->Stop();
    --running_;
    return;
  }
}

std::optional<double> LoadTestRun::LastMinuteMaximum(const std::string& queue, QueueMetric metric,
                                                     Timestamp t) {
  Result<std::vector<MetricDatapoint>> points = sim_->GetQueueMetric(
      {.queue_name = queue, .metric = metric, .period = kMinute, .start = t - kMinute, .end = t});
  if (!points.ok() || points->empty()) return std::nullopt;
  return points->back().maximum;
}

void LoadTestRun::Autoscale(Timestamp t) {
  const Autoscaling& policy = *options_.consumers.autoscaling;
  const double visible =
      LastMinuteMaximum(options_.queue.name, QueueMetric::kApproximateNumberOfMessagesVisible, t)
          .value_or(0);
  const int desired =
      std::clamp(static_cast<int>(std::ceil(visible / policy.target_backlog_per_consumer)),
                 policy.min, policy.max);
  if (desired > running_ && t - last_scale_out_ >= policy.scale_out_cooldown) {
    while (running_ < desired) AddConsumer(policy.warm_up);
    last_scale_out_ = t;
  } else if (desired < running_ && t - last_scale_in_ >= policy.scale_in_cooldown &&
             t - last_scale_out_ >= policy.scale_in_cooldown) {
    // Gently, one at a time, as target tracking scales in.
    RemoveConsumer();
    last_scale_in_ = t;
  }
}

void LoadTestRun::EvaluateAlarms(Timestamp t) {
  // CloudWatch evaluates every minute, over the latest periods ending then.
  for (AlarmEvaluator& alarm : alarms_) {
    Result<std::vector<MetricDatapoint>> points = sim_->GetQueueMetric(alarm.RangeQuery(t));
    // A queue that never reported has no datapoints.
    const std::vector<MetricDatapoint> none;
    std::optional<AlarmTransition> changed =
        alarm.EvaluateDatapoints(t, points.ok() ? *points : none);
    if (changed) {
      sim_->AppendTraceNote("alarm:" + alarm.definition().name, static_cast<int64_t>(changed->to));
      for (AlarmActionResult& sent :
           RunAlarmActions(sim_->sns(), alarm.definition(), *changed, sim_->options().region,
                           sim_->options().account_id)) {
        alarm_actions_.push_back(std::move(sent));
      }
      transitions_.push_back(std::move(*changed));
    }
  }
}

awaitable<void> LoadTestRun::Tick() {
  // Every minute: the alarms and the autoscaler, as CloudWatch and
  // Application Auto Scaling evaluate; at every period's end, the fleet
  // size and a progress report.
  for (Timestamp t = start_ + kMinute; t <= horizon_; t += kMinute) {
    co_await sim_->env().Sleep(t - sim_->Now());
    EvaluateAlarms(t);
    if (options_.consumers.autoscaling && t < horizon_) Autoscale(t);
    const bool period_end = (t - start_) % options_.period == Duration(0) || t == horizon_;
    if (!period_end) continue;
    consumers_at_end_[PeriodIndex(t - Duration(1))] = running_;
    if (options_.on_progress) {
      const std::optional<double> visible = LastMinuteMaximum(
          options_.queue.name, QueueMetric::kApproximateNumberOfMessagesVisible, t);
      options_.on_progress({.elapsed = t - start_,
                            .total = horizon_ - start_,
                            .sent = sent_,
                            .completed = completed_,
                            .visible = static_cast<int64_t>(visible.value_or(0)),
                            .consumers = running_});
    }
  }
}

void LoadTestRun::Collect(LoadTestResult& r) {
  r.title = options_.title;
  r.seed = options_.seed;
  r.start = start_;
  r.duration = options_.duration;
  r.drain = options_.drain;
  r.period = options_.period;
  r.queue_name = options_.queue.name;

  auto series = [&](const std::string& queue, QueueMetric metric) {
    std::vector<std::optional<double>> out(period_count_);
    Result<std::vector<MetricDatapoint>> points = sim_->GetQueueMetric({.queue_name = queue,
                                                                        .metric = metric,
                                                                        .period = options_.period,
                                                                        .start = start_,
                                                                        .end = horizon_});
    if (!points.ok()) return out;
    const bool state = metric == QueueMetric::kApproximateNumberOfMessagesVisible ||
                       metric == QueueMetric::kApproximateNumberOfMessagesNotVisible ||
                       metric == QueueMetric::kApproximateNumberOfMessagesDelayed ||
                       metric == QueueMetric::kApproximateAgeOfOldestMessage;
    for (const MetricDatapoint& p : *points) {
      const size_t i = PeriodIndex(p.timestamp);
      // A state at the period's end is its last minute's; events add up.
      out[i] = state && !p.values.empty() ? p.values.back() : p.sum;
    }
    return out;
  };
  const std::string& q = options_.queue.name;
  const auto sent = series(q, QueueMetric::kNumberOfMessagesSent);
  const auto received = series(q, QueueMetric::kNumberOfMessagesReceived);
  const auto deleted = series(q, QueueMetric::kNumberOfMessagesDeleted);
  const auto empty = series(q, QueueMetric::kNumberOfEmptyReceives);
  const auto visible = series(q, QueueMetric::kApproximateNumberOfMessagesVisible);
  const auto not_visible = series(q, QueueMetric::kApproximateNumberOfMessagesNotVisible);
  const auto delayed = series(q, QueueMetric::kApproximateNumberOfMessagesDelayed);
  const auto age = series(q, QueueMetric::kApproximateAgeOfOldestMessage);
  std::vector<std::optional<double>> dlq(period_count_);
  if (!dlq_name_.empty()) dlq = series(dlq_name_, QueueMetric::kApproximateNumberOfMessagesVisible);

  while (e2e_period_first_.size() <= period_count_) {
    e2e_period_first_.push_back(e2e_samples_.size());
  }
  r.periods.resize(period_count_);
  for (size_t i = 0; i < period_count_; ++i) {
    PeriodSample& p = r.periods[i];
    p.start = options_.period * static_cast<int64_t>(i);
    p.sent = sent[i];
    p.received = received[i];
    p.deleted = deleted[i];
    p.empty_receives = empty[i];
    p.visible = visible[i];
    p.not_visible = not_visible[i];
    p.delayed = delayed[i];
    p.age_of_oldest_seconds = age[i];
    p.dlq_visible = dlq[i];
    p.arrivals = arrivals_[i];
    p.completed = completions_[i];
    p.failed = failures_[i];
    p.consumers = static_cast<int>(consumers_at_end_[i]);
    p.waits = wait_counts_[i];
    if (p.waits > 0) p.wait_mean = wait_sums_[i] / static_cast<double>(p.waits);
    std::span<float> latencies(e2e_samples_.data() + e2e_period_first_[i],
                               e2e_period_first_[i + 1] - e2e_period_first_[i]);
    if (!latencies.empty()) {
      p.latency_p50 = internal::Percentile(latencies, 50);
      p.latency_p90 = internal::Percentile(latencies, 90);
      p.latency_p99 = internal::Percentile(latencies, 99);
    }
  }

  r.sent = sent_;
  r.send_failures = send_failures_;
  r.completed = completed_;
  r.failed = failed_;
  const auto stored = [&](const std::string& name) -> int64_t {
    if (name.empty()) return 0;
    const auto peeked = sim_->Peek(name);
    return peeked ? static_cast<int64_t>(peeked->size()) : 0;
  };
  r.left_in_queue = stored(q);
  r.dead_lettered = stored(dlq_name_);
  r.throughput_in = static_cast<double>(sent_) / Seconds(options_.duration);
  r.throughput_out = static_cast<double>(completed_) / Seconds(options_.duration);
  r.wait = internal::Summarize(wait_samples_);
  r.end_to_end = internal::Summarize(e2e_samples_);
  const double window = Seconds(horizon_ - start_);
  r.mean_in_system = in_system_area_ / window;
  r.completion_rate = static_cast<double>(completed_in_window_) / window;
  r.mean_time_in_system =
      timed_in_window_ > 0 ? time_in_system_sum_ / static_cast<double>(timed_in_window_) : 0;
  r.peak_consumers = peak_consumers_;
  for (const auto& m : fleet_) AddStats(r.consumer_stats, m->consumer->stats());
  r.alarm_transitions = transitions_;
  r.alarm_actions = alarm_actions_;
  r.cost = meter_.Report(horizon_ - start_);
  r.trace_hash = sim_->trace_hash();
  r.call_counts = sim_->call_counts();
}

Result<LoadTestResult> LoadTestRun::Execute() {
  SimulatorOptions simulator_options = options_.simulator;
  simulator_options.seed = options_.seed;
  Result<std::unique_ptr<Simulator>> created = Simulator::Create(simulator_options);
  if (!created.ok()) return created.status();
  sim_ = std::move(*created);
  start_ = sim_->Now();
  horizon_ = start_ + options_.duration + options_.drain;
  area_time_ = start_;
  const Duration total = horizon_ - start_;
  period_count_ = static_cast<size_t>((total + options_.period - Duration(1)) / options_.period);
  arrivals_.assign(period_count_, 0);
  completions_.assign(period_count_, 0);
  failures_.assign(period_count_, 0);
  consumers_at_end_.assign(period_count_, 0);
  wait_counts_.assign(period_count_, 0);
  wait_sums_.assign(period_count_, 0);
  meter_ = CostMeter(options_.prices);
  if (Status s = SetUpQueues(); !s.ok()) return s;

  // The client-boundary faults of the plan, if it has rules: without any,
  // a call goes straight to the simulator (one coroutine frame less).
  Client* sqs = sim_.get();
  if (!options_.simulator.faults.rules.empty()) {
    faulty_ = sim_->NewFaultInjectingClient();
    sqs = faulty_.get();
  }
  producer_client_ = std::make_unique<internal::MeteringClient>(sqs, &sim_->env(), &meter_,
                                                                &metered_queue_, "producer");
  consumer_client_ = std::make_unique<internal::MeteringClient>(sqs, &sim_->env(), &meter_,
                                                                &metered_queue_, "consumer");
  service_rng_ = sim_->env().rng().Fork("loadtest.service");
  custom_bodies_ = std::any_of(options_.producers.begin(), options_.producers.end(),
                               [](const ProducerSetup& p) { return bool(p.body); });
  for (const AlarmDefinition& def : options_.alarms) alarms_.emplace_back(def);
  handler_ = options_.consumers.handler;
  LoadTestContext context{.simulator = *sim_, .client = *consumer_client_, .queue_url = queue_url_};
  if (options_.prepare) {
    if (Status s = options_.prepare(context); !s.ok()) return s;
  }
  if (options_.consumers.make_handler) handler_ = options_.consumers.make_handler(context);

  int initial = options_.consumers.count;
  if (options_.consumers.autoscaling) {
    initial = std::clamp(initial, options_.consumers.autoscaling->min,
                         options_.consumers.autoscaling->max);
  }
  for (int i = 0; i < initial; ++i) AddConsumer(Duration(0));
  for (size_t i = 0; i < options_.producers.size(); ++i) sim_->Spawn(Produce(i));
  sim_->Spawn(Tick());
  // Past the horizon by a microsecond, so that the last minute's tick runs.
  sim_->RunFor(total + Duration(1));
  AdvanceArea();

  for (const auto& m : fleet_) {
    if (!m->stopping && !m->finished) {
      m->stopping = true;
      m->consumer->Stop();
    }
  }
  running_ = 0;
  const Duration grace = options_.consumers.options.shutdown_deadline + minutes(2);
  sim_->RunUntil(
      [&] {
        return std::all_of(fleet_.begin(), fleet_.end(), [](const auto& m) { return m->finished; });
      },
      grace);

  LoadTestResult result;
  Collect(result);
  return result;
}

}  // namespace

Status ValidateLoadTest(const LoadTestOptions& options) {
  const auto invalid = [](std::string message) {
    return Status(ErrorCode::kInvalidParameterValue, std::move(message));
  };
  if (options.duration <= Duration(0)) return invalid("The duration must be positive.");
  if (options.drain < Duration(0)) return invalid("The drain must not be negative.");
  if (options.period <= Duration(0) || options.period % kMinute != Duration(0)) {
    return invalid("The period must be a positive multiple of one minute.");
  }
  if (options.queue.max_receive_count < 0 || options.queue.max_receive_count > 1000) {
    return invalid("max_receive_count must be between 0 and 1000.");
  }
  const ConsumerSetup& c = options.consumers;
  if (c.count < 0) return invalid("The consumer count must not be negative.");
  if (c.autoscaling) {
    const Autoscaling& a = *c.autoscaling;
    if (a.min < 0 || a.max < a.min) return invalid("Autoscaling needs 0 <= min <= max.");
    if (!(a.target_backlog_per_consumer > 0)) {
      return invalid("Autoscaling needs a positive target backlog per consumer.");
    }
    if (a.scale_out_cooldown < Duration(0) || a.scale_in_cooldown < Duration(0) ||
        a.warm_up < Duration(0)) {
      return invalid("Autoscaling cooldowns and warm-up must not be negative.");
    }
  }
  runtime::ConsumerOptions consumer = c.options;
  consumer.queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/validate";
  if (Status s = runtime::Consumer::Validate(consumer); !s.ok()) return s;
  for (const ProducerSetup& p : options.producers) {
    if (!p.batch) continue;
    runtime::ProducerOptions batching = p.batching;
    batching.queue_url = consumer.queue_url;
    if (Status s = runtime::Producer::Validate(batching); !s.ok()) return s;
  }
  for (const AlarmDefinition& a : options.alarms) {
    if (Status s = ValidateAlarm(a); !s.ok()) return s;
  }
  return Status();
}

Result<LoadTestResult> RunLoadTest(const LoadTestOptions& options) {
  if (Status s = ValidateLoadTest(options); !s.ok()) return s;
  LoadTestRun run(options);
  return run.Execute();
}

}  // namespace sqsim::loadtest
