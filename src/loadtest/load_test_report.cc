// LoadTestResult::ToReport and SweepResult::ToReport: a run's or a sweep's
// numbers as charts and tables (report.h).

#include <algorithm>
#include <cstdio>
#include <string>

#include "sqsim/loadtest/load_test.h"

namespace sqsim::loadtest {
namespace {

double Seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

std::string Number(double v, const char* format = "%.6g") {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string Count(int64_t v) { return std::to_string(v); }

std::string Latency(const LatencySummary& s) {
  if (s.count == 0) return "-";
  return "mean " + Number(s.mean, "%.3f") + " s, p50 " + Number(s.p50, "%.3f") + ", p90 " +
         Number(s.p90, "%.3f") + ", p99 " + Number(s.p99, "%.3f") + ", max " +
         Number(s.max, "%.3f");
}

std::string DurationText(Duration d) {
  const int64_t s = d.count() / 1'000'000;
  char text[48];
  if (s % 3600 == 0 && s >= 3600) {
    std::snprintf(text, sizeof text, "%lld h", static_cast<long long>(s / 3600));
  } else if (s % 60 == 0 && s >= 60) {
    std::snprintf(text, sizeof text, "%lld min", static_cast<long long>(s / 60));
  } else {
    std::snprintf(text, sizeof text, "%g s", Seconds(d));
  }
  return text;
}

// The alarms' states as bands over the run, in the order they first
// changed.
std::vector<StateBand> AlarmBands(const LoadTestResult& r) {
  std::vector<std::string> names;
  for (const AlarmTransition& t : r.alarm_transitions) {
    if (std::find(names.begin(), names.end(), t.alarm) == names.end()) names.push_back(t.alarm);
  }
  std::vector<StateBand> bands;
  for (const std::string& name : names) {
    bands.push_back(
        AlarmStateBand(r.alarm_transitions, name, r.start, r.start + r.duration + r.drain));
  }
  return bands;
}

}  // namespace

Report LoadTestResult::ToReport() const {
  Report report;
  report.title = title;
  report.subtitle = "queue " + queue_name + ", " + DurationText(duration) + " of virtual time" +
                    (drain > Duration(0) ? " + " + DurationText(drain) + " drain" : "") +
                    ", seed " + std::to_string(seed) + ", period " + DurationText(period);

  Table summary{.title = "Summary", .header = {"measure", "value"}};
  auto row = [&](std::string name, std::string value) {
    summary.rows.push_back({std::move(name), std::move(value)});
  };
  row("messages sent", Count(sent));
  row("send failures", Count(send_failures));
  row("handled (Done)", Count(completed));
  row("handler failures", Count(failed));
  row("left in queue at the end", Count(left_in_queue));
  row("in dead-letter queue at the end", Count(dead_lettered));
  row("throughput in (msg/s)", Number(throughput_in, "%.3f"));
  row("throughput out (msg/s)", Number(throughput_out, "%.3f"));
  row("wait (send to handler start)", Latency(wait));
  row("end-to-end (send to handled)", Latency(end_to_end));
  row("Little's law: L, lambda x W", Number(mean_in_system, "%.3f") + ", " +
                                         Number(completion_rate * mean_time_in_system, "%.3f"));
  row("peak consumers", std::to_string(peak_consumers));
  row("receives (empty)",
      Count(consumer_stats.receives) + " (" + Count(consumer_stats.empty_receives) + ")");
  row("alarm transitions", Count(static_cast<int64_t>(alarm_transitions.size())));
  if (!alarm_actions.empty()) {
    const auto failed = std::count_if(alarm_actions.begin(), alarm_actions.end(),
                                      [](const AlarmActionResult& a) { return !a.status.ok(); });
    row("alarm notifications (failed)",
        Count(static_cast<int64_t>(alarm_actions.size())) + " (" + Count(failed) + ")");
  }
  row("cost of the run (USD)", Number(cost.run_usd, "%.6f"));
  row("cost per 30-day month (USD)", Number(cost.monthly_usd, "%.2f"));
  char hash[32];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(trace_hash));
  row("trace hash", hash);
  report.tables.push_back(std::move(summary));

  if (!alarm_transitions.empty()) {
    Table alarms{.title = "Alarm transitions",
                 .header = {"time (s)", "alarm", "from", "to", "reason"}};
    for (const AlarmTransition& t : alarm_transitions) {
      alarms.rows.push_back({Number(Seconds(t.time - start), "%.0f"), t.alarm,
                             std::string(AlarmStateName(t.from)), std::string(AlarmStateName(t.to)),
                             t.reason});
    }
    report.tables.push_back(std::move(alarms));
  }
  if (!alarm_actions.empty()) {
    Table notifications{.title = "Alarm notifications (SNS)",
                        .header = {"time (s)", "alarm", "state", "topic", "result"}};
    for (const AlarmActionResult& a : alarm_actions) {
      notifications.rows.push_back(
          {Number(Seconds(a.time - start), "%.0f"), a.alarm, std::string(AlarmStateName(a.state)),
           a.topic_arn,
           a.status.ok() ? "published " + a.message_id
                         : std::string(a.status.query_code()) + ": " + a.status.message()});
    }
    report.tables.push_back(std::move(notifications));
  }
  report.tables.push_back(cost.ToTable());

  std::vector<double> x;
  for (const PeriodSample& p : periods) x.push_back(Seconds(p.start + period));
  const std::vector<StateBand> bands = AlarmBands(*this);
  const std::string time_label = "virtual time (s)";
  auto column = [&](auto get) {
    std::vector<std::optional<double>> y;
    for (const PeriodSample& p : periods) y.push_back(get(p));
    return y;
  };
  const double period_seconds = Seconds(period);

  Chart depth{.title = "Queue depth", .x_label = time_label, .y_label = "messages", .x = x};
  depth.series.push_back({"visible", column([](const PeriodSample& p) { return p.visible; })});
  depth.series.push_back(
      {"in flight", column([](const PeriodSample& p) { return p.not_visible; })});
  depth.series.push_back({"delayed", column([](const PeriodSample& p) { return p.delayed; })});
  if (periods.size() > 0 && std::any_of(periods.begin(), periods.end(), [](const PeriodSample& p) {
        return p.dlq_visible.has_value();
      })) {
    depth.series.push_back(
        {"dead-letter queue", column([](const PeriodSample& p) { return p.dlq_visible; })});
  }
  depth.bands = bands;
  report.charts.push_back(std::move(depth));

  Chart age{
      .title = "Age of the oldest message", .x_label = time_label, .y_label = "seconds", .x = x};
  age.series.push_back({"ApproximateAgeOfOldestMessage",
                        column([](const PeriodSample& p) { return p.age_of_oldest_seconds; })});
  age.bands = bands;
  report.charts.push_back(std::move(age));

  Chart throughput{
      .title = "Throughput", .x_label = time_label, .y_label = "messages per second", .x = x};
  throughput.series.push_back({"sent", column([&](const PeriodSample& p) -> std::optional<double> {
                                 return static_cast<double>(p.arrivals) / period_seconds;
                               })});
  throughput.series.push_back(
      {"handled", column([&](const PeriodSample& p) -> std::optional<double> {
         return static_cast<double>(p.completed) / period_seconds;
       })});
  throughput.series.push_back(
      {"failed", column([&](const PeriodSample& p) -> std::optional<double> {
         return static_cast<double>(p.failed) / period_seconds;
       })});
  report.charts.push_back(std::move(throughput));

  Chart latency{.title = "End-to-end latency (send to handled)",
                .x_label = time_label,
                .y_label = "seconds",
                .x = x};
  latency.series.push_back({"p50", column([](const PeriodSample& p) { return p.latency_p50; })});
  latency.series.push_back({"p90", column([](const PeriodSample& p) { return p.latency_p90; })});
  latency.series.push_back({"p99", column([](const PeriodSample& p) { return p.latency_p99; })});
  latency.log_y = true;
  report.charts.push_back(std::move(latency));

  Chart fleet{.title = "Consumers", .x_label = time_label, .y_label = "consumers", .x = x};
  fleet.series.push_back({"running", column([](const PeriodSample& p) -> std::optional<double> {
                            return p.consumers;
                          })});
  fleet.bands = bands;
  report.charts.push_back(std::move(fleet));
  return report;
}

Report SweepResult::ToReport() const {
  Report report;
  report.title = "Sweep over " + parameter;
  report.subtitle = std::to_string(runs.size()) + " points";
  if (!runs.empty()) {
    // What every point shares: the queue, the run's length and the seed.
    const LoadTestResult& r = runs.front();
    report.subtitle += ", queue " + r.queue_name + ", " + DurationText(r.duration) +
                       " of virtual time each, seed " + std::to_string(r.seed);
  }
  Table table{.title = "Points",
              .header = {parameter, "throughput out (msg/s)", "p99 end-to-end (s)",
                         "max age of oldest (s)", "left in queue", "USD per month"}};
  Chart throughput{.title = "Throughput against " + parameter,
                   .x_label = parameter,
                   .y_label = "messages per second",
                   .x = x};
  Chart p99{.title = "p99 end-to-end latency against " + parameter,
            .x_label = parameter,
            .y_label = "seconds",
            .x = x};
  Chart cost{.title = "Cost per month against " + parameter,
             .x_label = parameter,
             .y_label = "USD",
             .x = x};
  ChartSeries in{.name = "sent"}, out{.name = "handled"}, latency{.name = "p99"},
      usd{.name = "monthly USD"};
  for (size_t i = 0; i < runs.size(); ++i) {
    const LoadTestResult& r = runs[i];
    double max_age = 0;
    for (const PeriodSample& p : r.periods)
      max_age = std::max(max_age, p.age_of_oldest_seconds.value_or(0));
    in.y.push_back(r.throughput_in);
    out.y.push_back(r.throughput_out);
    latency.y.push_back(r.end_to_end.count > 0 ? std::optional<double>(r.end_to_end.p99)
                                               : std::nullopt);
    usd.y.push_back(r.cost.monthly_usd);
    table.rows.push_back({Number(x[i]), Number(r.throughput_out, "%.3f"),
                          r.end_to_end.count > 0 ? Number(r.end_to_end.p99, "%.3f") : "-",
                          Number(max_age, "%.0f"), Count(r.left_in_queue),
                          Number(r.cost.monthly_usd, "%.2f")});
  }
  throughput.series = {std::move(in), std::move(out)};
  p99.series = {std::move(latency)};
  p99.log_y = true;
  cost.series = {std::move(usd)};
  report.tables.push_back(std::move(table));
  report.charts = {std::move(throughput), std::move(p99), std::move(cost)};
  return report;
}

}  // namespace sqsim::loadtest
