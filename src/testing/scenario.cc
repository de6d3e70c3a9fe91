// Scenario runner and seed sweeps.

#include "sqsim/testing/scenario.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "sqsim/fault_client.h"
#include "testing/actor_life.h"

namespace sqsim::testing {

namespace asio = boost::asio;

// One run's state; actors reach it through their ActorContext.
class ScenarioRun {
 public:
  explicit ScenarioRun(const ScenarioOptions& options) : options_(options) {
    SimulatorOptions sim_options = options.simulator;
    sim_options.seed = options.seed;
    sim_options.faults = options.faults;
    sim_ = Simulator::Create(sim_options).value();
    client_ = sim_->NewFaultInjectingClient();
  }

  Status CreateQueues();
  ScenarioReport Run();

  Simulator& sim() { return *sim_; }
  Client& client() { return *client_; }
  History& history() { return history_; }
  const ScenarioOptions& options() const { return options_; }
  bool stopping() const { return stopping_; }
  const std::string& url(const std::string& queue) const {
    auto it = urls_.find(queue);
    SQSIM_ASSERT(it != urls_.end(), "ActorContext::url: queue not declared in the scenario");
    return it->second;
  }

 private:
  // One copy of a role.
  struct ActorCopy {
    std::string name;
    const Actor* actor;
    ActorRole::Kind kind;
  };
  std::vector<ActorCopy> Copies() const;
  asio::awaitable<void> RunTask(ActorCopy copy);
  asio::awaitable<void> RunWorker(ActorCopy copy);
  // Runs one life of `copy` to its end (every coroutine of it ended).
  // Returns the life; rethrows an exception other than Crash that escaped it.
  asio::awaitable<std::shared_ptr<internal::ActorLife>> Live(const ActorCopy& copy);
  bool Drained();
  // Which producers and queues kept the run from draining.
  std::string Undrained();
  // The first messages still stored in `queue`: value, id, state and
  // receive count.
  std::string LeftIn(const std::string& queue) const;
  // The failing values' own operations and trace events.
  std::string FailingValues(const std::vector<CheckResult>& results) const;
  void ReadDeadLetterQueues();
  void Fill(ScenarioReport& report);

  const ScenarioOptions& options_;
  std::unique_ptr<Simulator> sim_;
  std::unique_ptr<FaultInjectingClient> client_;
  History history_;
  std::map<std::string, std::string> urls_;
  std::vector<std::string> main_queues_, dead_letter_queues_;
  int running_tasks_ = 0, running_workers_ = 0;
  bool stopping_ = false;
};

// ---- ActorContext ------------------------------------------------------------

ActorContext::ActorContext(ScenarioRun* run, internal::ActorLife* life)
    : run_(run),
      life_(life),
      name_(life->name()),
      client_(&run->client(), &run->history(), &life->env(), life->name(),
              run->options().value_of) {
  client_.set_control(life);
}

Client& ActorContext::client() { return client_; }
Env& ActorContext::env() { return life_->env(); }
History& ActorContext::history() { return run_->history(); }
const std::string& ActorContext::url(const std::string& queue) const { return run_->url(queue); }
bool ActorContext::stopping() const { return life_->stopping(); }
void ActorContext::Spawn(asio::awaitable<void> child) { life_->Start(std::move(child)); }

std::string ActorContext::ValueOf(const Message& m) const {
  return run_->options().value_of ? run_->options().value_of(m) : m.body;
}

namespace {

int ReceiveCount(const Message& m) {
  auto it = m.attributes.find("ApproximateReceiveCount");
  return it == m.attributes.end() ? 0 : std::atoi(it->second.c_str());
}

std::string Attribute(const Message& m, const char* name) {
  auto it = m.attributes.find(name);
  return it == m.attributes.end() ? "" : it->second;
}

}  // namespace

asio::awaitable<Result<SendMessageResponse>> ActorContext::Send(SendMessageRequest request,
                                                                std::string value) {
  co_return co_await client_.AsyncSendMessageAs(std::move(request), std::move(value));
}

asio::awaitable<Result<ReceiveMessageResponse>> ActorContext::Receive(
    ReceiveMessageRequest request) {
  if (request.message_system_attribute_names.empty() && request.attribute_names.empty()) {
    request.message_system_attribute_names = {"All"};
  }
  co_return co_await client_.AsyncReceiveMessage(std::move(request));
}

void ActorContext::Processed(const std::string& queue, const Message& m) {
  history().Record({.time = env().Now(),
                    .actor = name_,
                    .type = OpType::kProcess,
                    .queue = queue,
                    .value = ValueOf(m),
                    .message_id = m.message_id,
                    .group = Attribute(m, "MessageGroupId"),
                    .receive_count = ReceiveCount(m)});
}

asio::awaitable<Result<DeleteMessageResponse>> ActorContext::Delete(const std::string& queue,
                                                                    const Message& m) {
  // A named request: GCC 12 miscompiles a braced temporary in a co_await.
  DeleteMessageRequest request{.queue_url = url(queue), .receipt_handle = m.receipt_handle};
  co_return co_await client_.AsyncDeleteMessage(std::move(request));
}

void ActorContext::MaybeCrash(std::string_view point) {
  if (env().MaybeFault(point)) throw Crash(std::string(point));
}

asio::awaitable<void> ActorContext::MaybePause(std::string_view point, Duration pause) {
  if (!env().MaybeFault(point)) co_return;
  life_->Pause(pause, std::string(point));
  co_await life_->Checkpoint();
}

// ---- ScenarioRun -------------------------------------------------------------

Status ScenarioRun::CreateQueues() {
  for (const QueueSpec& spec : options_.queues) {
    const bool fifo = spec.name.ends_with(".fifo");
    QueueAttributeMap attributes = spec.attributes;
    if (spec.dead_letter_queue) {
      QueueAttributeMap dlq_attributes = spec.dead_letter_attributes;
      if (fifo) dlq_attributes["FifoQueue"] = "true";
      auto dlq =
          sim_->CreateQueue({.queue_name = *spec.dead_letter_queue, .attributes = dlq_attributes});
      if (!dlq.ok()) return dlq.status();
      urls_[*spec.dead_letter_queue] = dlq->queue_url;
      dead_letter_queues_.push_back(*spec.dead_letter_queue);
      auto arn =
          sim_->GetQueueAttributes({.queue_url = dlq->queue_url, .attribute_names = {"QueueArn"}});
      attributes["RedrivePolicy"] = R"({"deadLetterTargetArn":")" + arn->attributes["QueueArn"] +
                                    R"(","maxReceiveCount":)" +
                                    std::to_string(spec.max_receive_count) + "}";
    }
    auto queue = sim_->CreateQueue({.queue_name = spec.name, .attributes = attributes});
    if (!queue.ok()) return queue.status();
    urls_[spec.name] = queue->queue_url;
    if (spec.must_drain) main_queues_.push_back(spec.name);
  }
  return Status::Ok();
}

std::vector<ScenarioRun::ActorCopy> ScenarioRun::Copies() const {
  std::vector<ActorCopy> copies;
  for (size_t i = 0; i < options_.producers.size(); ++i) {
    copies.push_back(
        {"producer-" + std::to_string(i + 1), &options_.producers[i], ActorRole::Kind::kTask});
  }
  if (options_.consumer) {
    for (int i = 0; i < options_.consumers; ++i) {
      copies.push_back(
          {"consumer-" + std::to_string(i + 1), &options_.consumer, ActorRole::Kind::kWorker});
    }
  }
  for (const ActorRole& role : options_.roles) {
    for (int i = 0; i < role.count; ++i) {
      copies.push_back({role.name + "-" + std::to_string(i + 1), &role.actor, role.kind});
    }
  }
  return copies;
}

asio::awaitable<std::shared_ptr<internal::ActorLife>> ScenarioRun::Live(const ActorCopy& copy) {
  auto life = std::make_shared<internal::ActorLife>(
      internal::ActorSetting{.executor = sim_->executor(),
                             .env = &sim_->env(),
                             .faults = &sim_->faults(),
                             .history = &history_,
                             .stop_grace = options_.stop_grace,
                             .run_stopping = &stopping_},
      copy.name);
  // A fresh context per life: in-memory state is lost with the process.
  ActorContext ctx(this, life.get());
  life->Start((*copy.actor)(ctx));
  co_await life->Ended();
  if (life->failure()) std::rethrow_exception(life->failure());
  co_return life;
}

asio::awaitable<void> ScenarioRun::RunTask(ActorCopy copy) {
  (void)co_await Live(copy);  // a task that crashes or stops does not come back
  --running_tasks_;
}

asio::awaitable<void> ScenarioRun::RunWorker(ActorCopy copy) {
  while (!stopping_) {
    std::shared_ptr<internal::ActorLife> life = co_await Live(copy);
    // A worker that returned of its own accord is done; one that crashed or
    // was stopped comes back, as a supervisor or a deploy starts it again.
    if (!life->crash() && !life->stop_requested()) break;
    co_await sim_->env().Sleep(options_.restart_delay);
  }
  --running_workers_;
}

namespace {
constexpr const char* kMessageCounts[] = {"ApproximateNumberOfMessages",
                                          "ApproximateNumberOfMessagesNotVisible",
                                          "ApproximateNumberOfMessagesDelayed"};
}  // namespace

bool ScenarioRun::Drained() {
  if (running_tasks_ > 0) return false;
  for (const std::string& queue : main_queues_) {
    auto counts = sim_->GetQueueAttributes({.queue_url = urls_[queue], .attribute_names = {"All"}});
    if (!counts.ok()) return false;
    for (const char* name : kMessageCounts) {
      if (counts->attributes[name] != "0") return false;
    }
  }
  return true;
}

std::string ScenarioRun::Undrained() {
  std::string out;
  if (running_tasks_ > 0) out = std::to_string(running_tasks_) + " task(s) still running";
  for (const std::string& queue : main_queues_) {
    auto counts = sim_->GetQueueAttributes({.queue_url = urls_[queue], .attribute_names = {"All"}});
    if (!counts.ok()) continue;
    const std::string& visible = counts->attributes[kMessageCounts[0]];
    const std::string& in_flight = counts->attributes[kMessageCounts[1]];
    const std::string& delayed = counts->attributes[kMessageCounts[2]];
    if (visible == "0" && in_flight == "0" && delayed == "0") continue;
    if (!out.empty()) out += "; ";
    out += queue + " has " + visible + " visible, " + in_flight + " in flight, " + delayed +
           " delayed";
    out += LeftIn(queue);
  }
  return out;
}

std::string ScenarioRun::LeftIn(const std::string& queue) const {
  constexpr size_t kMaxListed = 5;
  const std::optional<std::vector<PeekedMessage>> left = sim_->Peek(queue);
  if (!left || left->empty()) return "";
  std::string out = ": ";
  for (size_t i = 0; i < left->size() && i < kMaxListed; ++i) {
    const PeekedMessage& p = (*left)[i];
    Message m{.message_id = p.message_id, .body = p.body};
    if (p.group_id) m.attributes["MessageGroupId"] = *p.group_id;
    if (i > 0) out += ", ";
    out += (options_.value_of ? options_.value_of(m) : m.body) + " (msg " + p.message_id + ", " +
           p.state + ", rc " + std::to_string(p.receive_count) + ")";
  }
  if (left->size() > kMaxListed)
    out += ", ... " + std::to_string(left->size() - kMaxListed) + " more";
  return out;
}

void ScenarioRun::ReadDeadLetterQueues() {
  for (const std::string& queue : dead_letter_queues_) {
    // Until the queue reports nothing visible: a receive may legitimately
    // come back empty (sampling, best-effort order) while messages remain.
    for (int round = 0; round < 100000; ++round) {
      auto counts = sim_->GetQueueAttributes(
          {.queue_url = urls_[queue], .attribute_names = {"ApproximateNumberOfMessages"}});
      if (!counts.ok() || counts->attributes["ApproximateNumberOfMessages"] == "0") break;
      auto got = sim_->ReceiveMessage({.queue_url = urls_[queue],
                                       .message_system_attribute_names = {"All"},
                                       .max_number_of_messages = 10,
                                       .visibility_timeout = 43200,
                                       .wait_time_seconds = 1});
      if (!got.ok()) break;
      for (const Message& m : got->messages) {
        history_.Record({.time = sim_->Now(),
                         .actor = "harness",
                         .type = OpType::kDeadLetter,
                         .queue = queue,
                         .value = options_.value_of ? options_.value_of(m) : m.body,
                         .message_id = m.message_id,
                         .receive_count = ReceiveCount(m)});
      }
    }
  }
}

ScenarioReport ScenarioRun::Run() {
  ScenarioReport report;
  report.seed = options_.seed;
  const Timestamp start = sim_->Now();
  if (Status s = CreateQueues(); !s.ok()) {
    report.results.push_back({.checker = "setup", .ok = false, .summary = s.ToString()});
    return report;
  }
  for (ActorCopy& copy : Copies()) {
    if (copy.kind == ActorRole::Kind::kTask) {
      ++running_tasks_;
      sim_->Spawn(RunTask(std::move(copy)));
    } else {
      ++running_workers_;
      sim_->Spawn(RunWorker(std::move(copy)));
    }
  }

  // Safety: faults on, for all of safety_duration.
  sim_->RunFor(options_.safety_duration);
  // Liveness: faults off; everything must drain within the bound.
  sim_->faults().set_enabled(false);
  report.drained = sim_->RunUntil([this] { return Drained(); }, options_.liveness_bound);
  stopping_ = true;
  sim_->RunUntil([this] { return running_workers_ == 0 && running_tasks_ == 0; },
                 std::chrono::hours(1));
  ReadDeadLetterQueues();
  report.virtual_elapsed = sim_->Now() - start;

  std::vector<Checker> checkers = {
      [this](const History& h) { return CheckQueue(h, options_.queue_check); }};
  checkers.insert(checkers.end(), options_.checkers.begin(), options_.checkers.end());
  report.results = RunCheckers(history_, checkers);
  if (!report.drained) {
    report.results.push_back(
        {.checker = "liveness",
         .ok = false,
         .summary = "queues did not drain within the liveness bound: " + Undrained()});
  }
  report.ok = report.drained && AllOk(report.results);
  Fill(report);
  return report;
}

void ScenarioRun::Fill(ScenarioReport& report) {
  std::map<std::string, int64_t> processed_count;
  std::map<std::string, Timestamp> first_send, first_delete;
  for (const Operation& op : history_.operations()) {
    if (op.outcome != OpOutcome::kOk) continue;
    switch (op.type) {
      case OpType::kSend:
        ++report.sent;
        first_send.emplace(op.value, op.time);
        break;
      case OpType::kReceive:
        ++report.received;
        break;
      case OpType::kProcess:
        ++report.processed;
        ++processed_count[op.value];
        break;
      case OpType::kDelete:
        ++report.deleted;
        first_delete.emplace(op.value, op.time);
        break;
      case OpType::kDeadLetter:
        ++report.dead_lettered;
        break;
      case OpType::kCrash:
        ++report.crashes;
        break;
      case OpType::kChangeVisibility:
      case OpType::kPause:
      case OpType::kStop:
        break;
    }
  }
  for (const auto& [value, n] : processed_count) report.duplicates += n - 1;
  std::vector<Duration> latencies;
  for (const auto& [value, sent_at] : first_send) {
    auto it = first_delete.find(value);
    if (it != first_delete.end()) latencies.push_back(it->second - sent_at);
  }
  std::sort(latencies.begin(), latencies.end());
  if (!latencies.empty()) {
    report.latency_p50 = latencies[latencies.size() / 2];
    report.latency_p99 = latencies[std::min(latencies.size() - 1, latencies.size() * 99 / 100)];
  }
  for (const auto& [action, n] : sim_->call_counts()) {
    report.api_calls[std::string(ActionName(action))] = n;
  }
  report.faults_fired = sim_->faults().fired();
  report.trace_hash = sim_->trace_hash();
  report.trace_tail = sim_->trace().FormatLast(25);
  report.history_tail = history_.FormatLast(25);
  report.full_trace = sim_->trace().FormatLast(static_cast<size_t>(-1)) + "--- history ---\n" +
                      history_.FormatLast(history_.size());
  report.failing_values = FailingValues(report.results);
}

std::string ScenarioRun::FailingValues(const std::vector<CheckResult>& results) const {
  constexpr size_t kMaxValues = 5;
  std::vector<std::string> values;
  for (const CheckResult& r : results) {
    if (r.ok) continue;
    for (const auto* list : {&r.lost, &r.duplicated, &r.unexpected}) {
      for (const std::string& v : *list) {
        if (values.size() < kMaxValues &&
            std::find(values.begin(), values.end(), v) == values.end()) {
          values.push_back(v);
        }
      }
    }
  }
  const std::vector<TraceEvent> events = sim_->trace().events();
  std::string out;
  for (const std::string& value : values) {
    out += "events of " + value + ":\n";
    std::set<std::string> message_ids;
    // Actors whose latest operation was on this value: their next crash
    // happened while they held it.
    std::set<std::string> holding;
    for (const Operation& op : history_.operations()) {
      // What happened to an actor that held the value happened to the value.
      if (op.type == OpType::kCrash || op.type == OpType::kPause || op.type == OpType::kStop) {
        if (holding.contains(op.actor)) out += "  " + FormatOperation(op) + "\n";
        if (op.type == OpType::kCrash) holding.erase(op.actor);
        continue;
      }
      if (op.value != value) {
        holding.erase(op.actor);
        continue;
      }
      holding.insert(op.actor);
      out += "  " + FormatOperation(op) + "\n";
      if (!op.message_id.empty()) message_ids.insert(op.message_id);
    }
    for (const TraceEvent& e : events) {
      if (e.message_id == std::array<uint8_t, 16>{}) continue;
      if (message_ids.contains(FormatUuid(e.message_id)))
        out += "  " + sim_->trace().Format(e) + "\n";
    }
  }
  return out;
}

std::string ScenarioReport::Describe() const {
  std::ostringstream out;
  out << "seed " << seed << ": " << (ok ? "PASSED" : "FAILED") << "\n"
      << FormatResults(results) << "sent " << sent << ", received " << received << ", processed "
      << processed << " (duplicates " << duplicates << "), deleted " << deleted
      << ", dead-lettered " << dead_lettered << ", crashes " << crashes << "\n";
  out << "faults fired:";
  for (const auto& [id, n] : faults_fired) out << " " << id << "=" << n;
  out << "\n";
  if (!ok) {
    out << "replay: SQSIM_SEED=" << seed << "\n"
        << failing_values << "last trace events:\n"
        << trace_tail << "last operations:\n"
        << history_tail;
  }
  return out.str();
}

ScenarioReport RunScenario(const ScenarioOptions& options) {
  ScenarioRun run(options);
  return run.Run();
}

bool CheckDeterminism(const std::function<ScenarioOptions(uint64_t)>& make, uint64_t seed) {
  const ScenarioOptions a = make(seed);
  const ScenarioOptions b = make(seed);
  return RunScenario(a).trace_hash == RunScenario(b).trace_hash;
}

std::vector<std::string> SweepResult::never_fired() const {
  std::vector<std::string> ids;
  for (const auto& [id, runs_fired] : rule_runs) {
    if (runs_fired == 0) ids.push_back(id);
  }
  return ids;
}

namespace {

// The seed SQSIM_SEED asks the sweep named `name` to replay, if any.
std::optional<uint64_t> ReplaySeed(const std::string& name) {
  const char* value = std::getenv("SQSIM_SEED");
  if (value == nullptr || *value == '\0') return std::nullopt;
  std::string_view text(value);
  std::string_view scope;
  if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    scope = text.substr(0, colon);
    text = text.substr(colon + 1);
  }
  uint64_t seed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  SQSIM_ASSERT(error == std::errc() && end == text.data() + text.size() && !text.empty(),
               "SQSIM_SEED must be <seed> or <sweep name>:<seed>");
  if (!scope.empty() && scope != name) return std::nullopt;
  return seed;
}

std::string Named(const std::string& name) { return name.empty() ? "" : " '" + name + "'"; }

}  // namespace

SweepShard SweepShardFromEnvironment() {
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  if (total == nullptr || index == nullptr) return {};
  int t = 0, i = 0;
  const std::string_view ts(total), is(index);
  const auto [t_end, t_ec] = std::from_chars(ts.data(), ts.data() + ts.size(), t);
  const auto [i_end, i_ec] = std::from_chars(is.data(), is.data() + is.size(), i);
  if (t_ec != std::errc() || i_ec != std::errc() || t_end != ts.data() + ts.size() ||
      i_end != is.data() + is.size() || t < 1 || i < 0 || i >= t) {
    return {};
  }
  return {.index = i, .count = t};
}

SweepResult SweepSeeds(const std::function<ScenarioOptions(uint64_t)>& make, SweepOptions options) {
  SweepResult result;
  uint64_t first = options.first_seed;
  int count = options.seeds;
  if (std::optional<uint64_t> replay = ReplaySeed(options.name)) {
    std::cerr << "sqsim sweep" << Named(options.name) << ": SQSIM_SEED is set: replaying seed "
              << *replay << " only (instead of " << options.seeds << " seeds from "
              << options.first_seed << ")\n";
    first = *replay;
    count = 1;
    result.replayed = true;
  }
  const int shard_count = std::max(1, options.shard_count);
  const int shard_index = result.replayed ? 0 : options.shard_index;
  for (int i = 0; i < count; ++i) {
    if (!result.replayed && i % shard_count != shard_index) continue;
    const ScenarioOptions scenario = make(first + static_cast<uint64_t>(i));
    ScenarioReport report = RunScenario(scenario);
    ++result.runs;
    for (const auto& [id, n] : report.faults_fired) result.rule_runs[id] += n > 0 ? 1 : 0;
    if (report.ok) continue;
    result.failing_seeds.push_back(report.seed);
    if (options.verbose) {
      std::cerr << "sqsim sweep" << Named(options.name) << ": FAILED at seed " << report.seed
                << " (run " << result.runs << " of " << count << ")\n";
      if (!result.failure) std::cerr << report.Describe();
      if (!options.name.empty()) {
        std::cerr << "replay this sweep only: SQSIM_SEED='" << options.name << ":" << report.seed
                  << "'\n";
      }
    }
    if (result.failure) continue;  // counting: the first failure is the one kept
    if (!options.trace_file.empty()) {
      std::ofstream file(options.trace_file);
      file << "seed " << report.seed << "\n" << report.full_trace << "\n";
    }
    result.failure = std::move(report);
    if (options.mode == SweepMode::kStopAtFirstFailure) break;
  }
  return result;
}

}  // namespace sqsim::testing
