// Admin endpoints under /_sqsim/: time, seed, faults, peek, metrics, trace, reset.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/router.h"
#include "wire/query_codec.h"

namespace sqsim::internal {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kJsonType = "application/json";

Reply JsonReply(int status, const Json& body) {
  Reply reply;
  reply.status = status;
  reply.content_type = kJsonType;
  // Message bodies are arbitrary text: never let a bad byte throw.
  reply.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return reply;
}

Reply Failure(int status, std::string message) { return AdminFailure(status, std::move(message)); }

Json TimeJson(const Backend& backend) {
  const Timestamp now = backend.Now();
  return Json{{"now", FormatTimestamp(now)},
              {"now_us", now.time_since_epoch().count()},
              {"mode", backend.time().mode() == http::TimeMode::kManual ? "manual" : "real"}};
}

// Parses the request body as a JSON object (an empty body is `{}`).
std::optional<Json> BodyObject(const HttpRequest& request) {
  if (request.body.empty()) return Json::object();
  Json j = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

Reply Advance(Backend& backend, const HttpRequest& request) {
  std::optional<Json> body = BodyObject(request);
  if (!body) return Failure(400, "body must be a JSON object like {\"seconds\":60}");
  Duration d{0};
  auto seconds = body->find("seconds");
  auto ms = body->find("ms");
  if (seconds != body->end() && seconds->is_number() && seconds->get<double>() >= 0 &&
      seconds->get<double>() < 1e12) {
    d = Duration(static_cast<int64_t>(seconds->get<double>() * 1e6));
  } else if (ms != body->end() && ms->is_number() && ms->get<double>() >= 0 &&
             ms->get<double>() < 1e15) {
    d = Duration(static_cast<int64_t>(ms->get<double>() * 1e3));
  } else {
    return Failure(400, "give a non-negative \"seconds\" or \"ms\" number");
  }
  if (Status advanced = backend.Advance(d); !advanced.ok()) {
    return Failure(400, advanced.message());
  }
  return JsonReply(200, TimeJson(backend));
}

Reply Seed(Backend& backend, const HttpRequest& request) {
  std::optional<Json> body = BodyObject(request);
  auto seed = body ? body->find("seed") : Json::iterator();
  if (!body || seed == body->end() || !seed->is_number_unsigned()) {
    return Failure(400, "body must be {\"seed\":<non-negative integer>}");
  }
  if (Status s = backend.Reset(seed->get<uint64_t>(), std::nullopt); !s.ok()) {
    return Failure(500, s.ToString());
  }
  return JsonReply(200, Json{{"seed", backend.seed()}});
}

Reply PutFaults(Backend& backend, const HttpRequest& request) {
  Result<FaultPlan> plan = FaultPlan::FromJson(request.body);
  if (!plan.ok()) return Failure(400, plan.status().message());
  if (Status s = backend.Reset(std::nullopt, std::move(plan).value()); !s.ok()) {
    return Failure(500, s.ToString());
  }
  return JsonReply(200, Json{{"rules", backend.options().faults.rules.size()}});
}

Reply GetFaults(Backend& backend) {
  Json fired = Json::object();
  for (const auto& [id, count] : backend.injector().fired()) fired[id] = count;
  Json plan = Json::parse(backend.options().faults.ToJson(), nullptr, false);
  return JsonReply(200, Json{{"plan", plan}, {"fired", fired}});
}

// Peek pages: `limit` messages (default 100, at most 1,000) and, past the
// first message, at most 1 MiB of bodies per reply, so that the engine
// thread never builds an unbounded reply; `cursor` (from the previous
// page's `next_cursor`) continues.
constexpr size_t kPeekDefaultLimit = 100;
constexpr size_t kPeekMaxLimit = 1000;
constexpr size_t kPeekPageBodyBytes = size_t{1} << 20;

// Parses a decimal query value in [min, max]; nullopt when malformed.
template <typename T>
std::optional<T> ParseBounded(std::string_view text, T min, T max) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

Reply Peek(Backend& backend, std::string_view name, std::string_view query) {
  Result<wire::FormFields> params = wire::ParseForm(query);
  if (!params.ok()) return Failure(400, "malformed query string: " + params.status().message());
  size_t limit = kPeekDefaultLimit;
  if (auto text = params->find("limit"); text != params->end()) {
    std::optional<size_t> parsed = ParseBounded<size_t>(text->second, 1, kPeekMaxLimit);
    if (!parsed) return Failure(400, "limit must be an integer from 1 to 1000");
    limit = *parsed;
  }
  uint32_t cursor = 0;
  if (auto text = params->find("cursor"); text != params->end()) {
    std::optional<uint32_t> parsed = ParseBounded<uint32_t>(text->second, 0, UINT32_MAX);
    if (!parsed) return Failure(400, "cursor must be a next_cursor of an earlier page");
    cursor = *parsed;
  }
  std::optional<Host::PeekPage> page =
      backend.Peek(std::string(name), cursor, limit, kPeekPageBodyBytes);
  if (!page) return Failure(404, "no queue named '" + std::string(name) + "'");
  const std::vector<PeekedMessage>& messages = page->messages;
  Json list = Json::array();
  for (const PeekedMessage& m : messages) {
    Json j{{"message_id", m.message_id},
           {"body", m.body},
           {"state", m.state},
           {"sent", FormatTimestamp(m.sent)},
           {"receive_count", m.receive_count}};
    if (m.visible_at) j["visible_at"] = FormatTimestamp(*m.visible_at);
    if (m.first_received) j["first_received"] = FormatTimestamp(*m.first_received);
    if (m.group_id) j["message_group_id"] = *m.group_id;
    if (m.deduplication_id) j["message_deduplication_id"] = *m.deduplication_id;
    if (m.sequence_number) j["sequence_number"] = *m.sequence_number;
    if (!m.attribute_names.empty()) j["message_attributes"] = m.attribute_names;
    list.push_back(std::move(j));
  }
  Json reply{
      {"queue", name}, {"now", FormatTimestamp(backend.Now())}, {"messages", std::move(list)}};
  if (page->next_cursor) reply["next_cursor"] = *page->next_cursor;
  return JsonReply(200, reply);
}

// Which metrics and which period a metrics request asks for: `metric`
// names one (default: every one), `period` is in seconds (a multiple of 60;
// default 60).
struct MetricsQuery {
  std::vector<QueueMetric> metrics;
  int64_t period_seconds = 60;
};

std::variant<MetricsQuery, Reply> ParseMetricsQuery(std::string_view query) {
  Result<wire::FormFields> params = wire::ParseForm(query);
  if (!params.ok()) return Failure(400, "malformed query string: " + params.status().message());
  MetricsQuery parsed;
  if (auto text = params->find("metric"); text != params->end()) {
    std::optional<QueueMetric> metric = QueueMetricFromName(text->second);
    if (!metric) return Failure(400, "no queue metric named '" + text->second + "'");
    parsed.metrics.push_back(*metric);
  } else {
    for (int m = 0; m < kQueueMetricCount; ++m)
      parsed.metrics.push_back(static_cast<QueueMetric>(m));
  }
  if (auto text = params->find("period"); text != params->end()) {
    std::optional<int64_t> period = ParseBounded<int64_t>(text->second, 60, int64_t{1} << 32);
    if (!period || *period % 60 != 0) return Failure(400, "period must be a multiple of 60");
    parsed.period_seconds = *period;
  }
  return parsed;
}

// One queue's metrics, each as CloudWatch's GetMetricStatistics answers.
std::variant<Json, Reply> QueueMetricsJson(Backend& backend, std::string_view name,
                                           const MetricsQuery& query) {
  Json list = Json::array();
  for (QueueMetric metric : query.metrics) {
    Result<std::vector<MetricDatapoint>> datapoints =
        backend.QueueMetrics({.queue_name = std::string(name),
                              .metric = metric,
                              .period = std::chrono::seconds(query.period_seconds)});
    if (!datapoints.ok()) {
      return Failure(datapoints.status().code() == ErrorCode::kQueueDoesNotExist ? 404 : 400,
                     datapoints.status().message());
    }
    Json points = Json::array();
    for (const MetricDatapoint& d : *datapoints) {
      points.push_back(Json{{"Timestamp", FormatTimestamp(d.timestamp)},
                            {"SampleCount", d.sample_count},
                            {"Sum", d.sum},
                            {"Average", d.average()},
                            {"Minimum", d.minimum},
                            {"Maximum", d.maximum}});
    }
    list.push_back(Json{{"Label", std::string(QueueMetricName(metric))},
                        {"Unit", std::string(QueueMetricUnit(metric))},
                        {"Datapoints", std::move(points)}});
  }
  return list;
}

// GET /_sqsim/queues/NAME/metrics: one queue's metrics.
Reply Metrics(Backend& backend, std::string_view name, std::string_view query) {
  std::variant<MetricsQuery, Reply> parsed = ParseMetricsQuery(query);
  if (Reply* failure = std::get_if<Reply>(&parsed)) return std::move(*failure);
  const MetricsQuery& q = std::get<MetricsQuery>(parsed);
  std::variant<Json, Reply> metrics = QueueMetricsJson(backend, name, q);
  if (Reply* failure = std::get_if<Reply>(&metrics)) return std::move(*failure);
  return JsonReply(200, Json{{"queue", name},
                             {"now", FormatTimestamp(backend.Now())},
                             {"period", q.period_seconds},
                             {"metrics", std::move(std::get<Json>(metrics))}});
}

// GET /_sqsim/metrics: the metrics of every queue that exists or reported
// (deleted queues keep their datapoints, as in CloudWatch), by name.
Reply AllMetrics(Backend& backend, std::string_view query) {
  std::variant<MetricsQuery, Reply> parsed = ParseMetricsQuery(query);
  if (Reply* failure = std::get_if<Reply>(&parsed)) return std::move(*failure);
  const MetricsQuery& q = std::get<MetricsQuery>(parsed);
  Json queues = Json::array();
  for (const std::string& name : backend.MetricQueueNames()) {
    std::variant<Json, Reply> metrics = QueueMetricsJson(backend, name, q);
    if (Reply* failure = std::get_if<Reply>(&metrics)) return std::move(*failure);
    queues.push_back(Json{{"queue", name}, {"metrics", std::move(std::get<Json>(metrics))}});
  }
  return JsonReply(200, Json{{"now", FormatTimestamp(backend.Now())},
                             {"period", q.period_seconds},
                             {"queues", std::move(queues)}});
}

Reply TraceReply(Backend& backend, std::string_view query) {
  const Trace& trace = backend.trace();
  char hash[17];
  const auto end = std::to_chars(hash, hash + 16, trace.hash(), 16).ptr;
  const std::string hash_text(hash, end);
  if (query.find("format=text") != std::string_view::npos) {
    Reply reply;
    reply.content_type = "text/plain";
    reply.body = "# hash " + hash_text + ", " + std::to_string(trace.event_count()) + " events\n" +
                 trace.FormatLast(trace.event_count());
    return reply;
  }
  Json events = Json::array();
  for (const TraceEvent& e : trace.events()) events.push_back(trace.Format(e));
  return JsonReply(200, Json{{"hash", hash_text},
                             {"event_count", trace.event_count()},
                             {"events", std::move(events)}});
}

}  // namespace

Reply AdminFailure(int status, std::string message) {
  return JsonReply(status, Json{{"error", std::move(message)}});
}

Reply HandleAdmin(Backend& backend, const HttpRequest& request) {
  std::string_view target = request.target;
  std::string_view query;
  if (const size_t q = target.find('?'); q != std::string_view::npos) {
    query = target.substr(q + 1);
    target = target.substr(0, q);
  }
  const std::string_view path = target.substr(kAdminPrefix.size());
  const std::string& method = request.method;
  Reply reply;
  if (path == "health" && method == "GET") {
    Json j = TimeJson(backend);
    j["status"] = "ok";
    j["seed"] = backend.seed();
    j["waiting_receives"] = backend.waiting_receive_count();
    reply = JsonReply(200, j);
  } else if (path == "time" && method == "GET") {
    reply = JsonReply(200, TimeJson(backend));
  } else if (path == "time/advance" && method == "POST") {
    reply = Advance(backend, request);
  } else if (path == "seed" && method == "POST") {
    reply = Seed(backend, request);
  } else if (path == "faults" && method == "PUT") {
    reply = PutFaults(backend, request);
  } else if (path == "faults" && method == "GET") {
    reply = GetFaults(backend);
  } else if (path == "metrics" && method == "GET") {
    reply = AllMetrics(backend, query);
  } else if (path == "trace" && method == "GET") {
    reply = TraceReply(backend, query);
  } else if (path == "reset" && method == "POST") {
    if (Status s = backend.Reset(std::nullopt, std::nullopt); !s.ok()) {
      reply = Failure(500, s.ToString());
    } else {
      reply = JsonReply(200, Json{{"reset", true}, {"seed", backend.seed()}});
    }
  } else if (path.size() > 16 && path.starts_with("queues/") && path.ends_with("/messages") &&
             method == "GET") {
    const std::string_view name =
        path.substr(7, path.size() - 7 - std::string_view("/messages").size());
    reply = Peek(backend, name, query);
  } else if (path.size() > 15 && path.starts_with("queues/") && path.ends_with("/metrics") &&
             method == "GET") {
    const std::string_view name =
        path.substr(7, path.size() - 7 - std::string_view("/metrics").size());
    reply = Metrics(backend, name, query);
  } else {
    reply = Failure(404, "no admin endpoint " + method + " " + std::string(target) +
                             " (see sqsim-server --help)");
  }
  reply.label = std::string(target);
  return reply;
}

}  // namespace sqsim::internal
