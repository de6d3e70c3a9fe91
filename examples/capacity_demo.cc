// The guide's capacity question for the enrollment flow, answered in
// virtual time: how many notification consumers keep up with 1,000
// enrollments a minute and the Monday-morning burst (five times the rate
// for half an hour), without the "oldest message older than 5 minutes"
// alarm firing, and what does that cost a month?
//
// It sweeps the fleet size over 1..6 consumers (each handles up to 10
// messages at once; sending the notification takes a log-normal 300 ms
// median), runs three hours of traffic per point on both cores, prints the
// table, then runs the smallest fleet that passes once more on its own and
// writes both reports (HTML pages with the charts, JSON with every series)
// to the output directory.
//
// Usage: capacity_demo [--seed N] [--out DIR]

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "sqsim/loadtest/load_test.h"

namespace {

using namespace std::chrono_literals;
namespace lt = sqsim::loadtest;

lt::LoadTestOptions Enrollments(uint64_t seed, int consumers) {
  lt::LoadTestOptions o;
  o.title = "Notification consumers, " + std::to_string(consumers) +
            " instance(s): 1,000 enrollments a minute with a Monday-morning burst";
  o.seed = seed;
  o.duration = 3h;
  o.drain = 15min;
  o.queue.name = "student-enrolled-notifications";
  o.queue.attributes = {{"VisibilityTimeout", "60"}};
  o.queue.max_receive_count = 5;
  // 1,000 a minute, and five times that from 1:00 to 1:30.
  const double per_second = 1000.0 / 60;
  o.producers = {{.arrivals = lt::ArrivalProcess::Burst(per_second, 5 * per_second, 1h, 30min),
                  .messages = {.body_size = lt::SizeDistribution::LogNormal(600, 0.4, 200, 4096)}}};
  o.consumers.count = consumers;
  o.consumers.options.max_in_flight = 10;
  o.consumers.options.heartbeat_interval = 20s;
  o.consumers.service_time = lt::ServiceTime::LogNormal(300ms, 0.6).WithFailureProbability(0.001);
  o.alarms = {
      lt::OldestMessageAgeAlarm("oldest-message-over-5-minutes", o.queue.name, 5min),
      lt::QueueDepthAlarm("queue-depth-over-1000", o.queue.name, 1000),
      lt::DeadLetterQueueNotEmptyAlarm("dead-letter-queue-not-empty", o.queue.name + "-dlq")};
  return o;
}

bool Write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 42;
  std::filesystem::path out_dir = "capacity-report";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--out" && i + 1 < argc) {
      out_dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: capacity_demo [--seed N] [--out DIR]\n");
      return 2;
    }
  }
  std::printf("== Capacity: notification consumers for 1,000 enrollments a minute ==\n");
  std::printf("3 h of traffic, a 5x burst for 30 min at 1:00, per fleet size (seed %llu)\n\n",
              static_cast<unsigned long long>(seed));

  std::vector<lt::SweepPoint> points;
  for (int consumers = 1; consumers <= 6; ++consumers) {
    points.push_back(
        {.x = static_cast<double>(consumers), .options = Enrollments(seed, consumers)});
  }
  const lt::SweepResult sweep = lt::RunSweep("consumers", points).value();

  std::printf("%9s %12s %12s %14s %10s %12s  %s\n", "consumers", "handled/s", "p99 (s)",
              "oldest max (s)", "in DLQ", "USD/month", "oldest-age alarm");
  int chosen = 0;
  for (size_t i = 0; i < sweep.runs.size(); ++i) {
    const lt::LoadTestResult& r = sweep.runs[i];
    double oldest = 0;
    for (const lt::PeriodSample& p : r.periods) {
      oldest = std::max(oldest, p.age_of_oldest_seconds.value_or(0));
    }
    const sqsim::testing::CheckResult quiet =
        lt::CheckAlarmNeverEntered(r.alarm_transitions, "oldest-message-over-5-minutes");
    std::printf("%9.0f %12.2f %12.3f %14.0f %10lld %12.2f  %s\n", sweep.x[i], r.throughput_out,
                r.end_to_end.p99, oldest, static_cast<long long>(r.dead_lettered),
                r.cost.monthly_usd, quiet.ok ? "never fired" : "FIRED");
    if (quiet.ok && chosen == 0) chosen = static_cast<int>(sweep.x[i]);
  }
  if (chosen == 0) {
    std::printf("\nNo fleet size up to 6 keeps the oldest message under 5 minutes.\n");
    return 1;
  }
  std::printf("\nAnswer: %d consumer(s) keep up with the burst.\n", chosen);

  std::fflush(stdout);  // before the progress lines on stderr

  // The chosen fleet once more, with progress lines, for its own report.
  lt::LoadTestOptions run_options = Enrollments(seed, chosen);
  run_options.on_progress = [](const lt::Progress& p) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(p.elapsed).count();
    if (minutes % 30 != 0) return;
    std::fprintf(
        stderr, "  [%3lld%%] %lld min of %lld: sent %lld, handled %lld, backlog %lld\n",
        static_cast<long long>(100 * p.elapsed / p.total), static_cast<long long>(minutes),
        static_cast<long long>(std::chrono::duration_cast<std::chrono::minutes>(p.total).count()),
        static_cast<long long>(p.sent), static_cast<long long>(p.completed),
        static_cast<long long>(p.visible));
  };
  const lt::LoadTestResult run = lt::RunLoadTest(run_options).value();

  std::filesystem::create_directories(out_dir);
  const lt::Report run_report = run.ToReport();
  const lt::Report sweep_report = sweep.ToReport();
  bool ok = Write(out_dir / "run.html", lt::ToHtml(run_report)) &&
            Write(out_dir / "run.json", lt::ToJson(run_report)) &&
            Write(out_dir / "sweep.html", lt::ToHtml(sweep_report)) &&
            Write(out_dir / "sweep.json", lt::ToJson(sweep_report)) &&
            Write(out_dir / "queue-depth.svg", lt::ToSvg(run_report.charts[0])) &&
            Write(out_dir / "oldest-message-age.svg", lt::ToSvg(run_report.charts[1]));
  if (!ok) {
    std::fprintf(stderr, "could not write the reports to %s\n", out_dir.c_str());
    return 1;
  }
  std::printf("%s: sent %lld, handled %lld, p99 %.3f s, %.2f USD a month, trace %016llx\n",
              run.title.c_str(), static_cast<long long>(run.sent),
              static_cast<long long>(run.completed), run.end_to_end.p99, run.cost.monthly_usd,
              static_cast<unsigned long long>(run.trace_hash));
  std::printf("Reports: %s/run.html, %s/sweep.html (and .json, .svg)\n", out_dir.c_str(),
              out_dir.c_str());
  return 0;
}
