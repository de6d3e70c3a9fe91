#include "sqsim/loadtest/workload.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

namespace sqsim::loadtest {
namespace {

constexpr double kMicrosPerSecond = 1e6;

Duration SecondsToDuration(double seconds) {
  return Duration(static_cast<int64_t>(std::llround(seconds * kMicrosPerSecond)));
}

double DurationToSeconds(Duration d) { return static_cast<double>(d.count()) / kMicrosPerSecond; }

}  // namespace

double DrawExponential(Rng& rng, double mean) {
  // 1 - U lies in (0, 1]: the log is finite.
  return -mean * std::log(1.0 - rng.NextDouble());
}

double DrawStandardNormal(Rng& rng) {
  // Box-Muller; one value per two draws keeps it stateless.
  const double u1 = 1.0 - rng.NextDouble();
  const double u2 = rng.NextDouble();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
}

// ---- ArrivalProcess ---------------------------------------------------------

ArrivalProcess ArrivalProcess::Constant(double per_second) {
  return Steps({{.at = Duration(0), .per_second = per_second}}, /*even=*/true);
}

ArrivalProcess ArrivalProcess::Poisson(double per_second) {
  return Steps({{.at = Duration(0), .per_second = per_second}}, /*even=*/false);
}

ArrivalProcess ArrivalProcess::Steps(std::vector<RatePoint> steps, bool even) {
  ArrivalProcess p;
  std::stable_sort(steps.begin(), steps.end(),
                   [](const RatePoint& a, const RatePoint& b) { return a.at < b.at; });
  for (RatePoint& s : steps) s.per_second = std::max(0.0, s.per_second);
  p.points_ = std::move(steps);
  p.poisson_ = !even;
  for (const RatePoint& s : p.points_) p.max_rate_ = std::max(p.max_rate_, s.per_second);
  return p;
}

ArrivalProcess ArrivalProcess::Burst(double base_per_second, double peak_per_second, Duration start,
                                     Duration length) {
  return Steps({{.at = Duration(0), .per_second = base_per_second},
                {.at = start, .per_second = peak_per_second},
                {.at = start + length, .per_second = base_per_second}});
}

ArrivalProcess ArrivalProcess::Daily(const std::array<double, 24>& hourly_per_second) {
  std::vector<RatePoint> points;
  for (int h = 0; h < 24; ++h) {
    points.push_back({.at = std::chrono::hours(h), .per_second = hourly_per_second[h]});
  }
  ArrivalProcess p = Steps(std::move(points));
  p.interpolate_ = true;
  p.repeat_every_ = std::chrono::hours(24);
  return p;
}

Result<ArrivalProcess> ArrivalProcess::ReplayCsv(std::string_view csv) {
  ArrivalProcess p;
  p.kind_ = Kind::kReplay;
  size_t line_number = 0;
  bool first_content_line = true;
  while (!csv.empty()) {
    const size_t eol = csv.find('\n');
    std::string_view line = csv.substr(0, eol);
    csv = eol == std::string_view::npos ? std::string_view() : csv.substr(eol + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    std::string_view field = line.substr(0, line.find(','));
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
    double seconds = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), seconds);
    const bool number = ec == std::errc() && end == field.data() + field.size();
    if (!number && first_content_line) {  // a header
      first_content_line = false;
      continue;
    }
    first_content_line = false;
    if (!number || !std::isfinite(seconds)) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "Replay line " + std::to_string(line_number) + ": '" + std::string(field) +
                        "' is not an offset in seconds.");
    }
    if (seconds < 0) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "Replay line " + std::to_string(line_number) + ": the offset is negative.");
    }
    p.replay_.push_back(SecondsToDuration(seconds));
  }
  std::stable_sort(p.replay_.begin(), p.replay_.end());
  return p;
}

double ArrivalProcess::RateAt(Duration t) const {
  if (kind_ == Kind::kReplay || points_.empty()) return 0;
  if (repeat_every_ > Duration(0)) t = Duration(t.count() % repeat_every_.count());
  // The last point at or before t.
  auto after = std::upper_bound(points_.begin(), points_.end(), t,
                                [](Duration v, const RatePoint& p) { return v < p.at; });
  if (after == points_.begin()) {
    if (!interpolate_ || repeat_every_ == Duration(0)) return 0;
    // Before the first point of a repeating curve: between the last point
    // (one period earlier) and the first.
    const RatePoint& a = points_.back();
    const RatePoint& b = points_.front();
    const double span = DurationToSeconds(b.at + repeat_every_ - a.at);
    const double x = DurationToSeconds(t + repeat_every_ - a.at);
    return span > 0 ? a.per_second + (b.per_second - a.per_second) * x / span : a.per_second;
  }
  const RatePoint& a = *(after - 1);
  if (!interpolate_) return a.per_second;
  const RatePoint* b = nullptr;
  Duration b_at{};
  if (after != points_.end()) {
    b = &*after;
    b_at = b->at;
  } else if (repeat_every_ > Duration(0)) {
    b = &points_.front();
    b_at = b->at + repeat_every_;
  } else {
    return a.per_second;
  }
  const double span = DurationToSeconds(b_at - a.at);
  const double x = DurationToSeconds(t - a.at);
  return span > 0 ? a.per_second + (b->per_second - a.per_second) * x / span : a.per_second;
}

double ArrivalProcess::ExpectedArrivals(Duration t) const {
  if (kind_ == Kind::kReplay) {
    return static_cast<double>(std::lower_bound(replay_.begin(), replay_.end(), t) -
                               replay_.begin());
  }
  // The integral of the rate; piecewise linear, so the trapezoid rule on a
  // fine grid is exact between grid points that include every knot. A
  // one-second grid is fine enough for what this is for (checks, reports).
  const int64_t whole_seconds = t.count() / 1'000'000;
  double total = 0;
  for (int64_t s = 0; s < whole_seconds; ++s) {
    total += 0.5 * (RateAt(std::chrono::seconds(s)) + RateAt(std::chrono::seconds(s + 1)));
  }
  const double rest = DurationToSeconds(t - std::chrono::seconds(whole_seconds));
  total += rest * RateAt(std::chrono::seconds(whole_seconds));
  return total;
}

std::optional<Duration> ArrivalProcess::End() const {
  if (repeat_every_ > Duration(0) || points_.empty()) return std::nullopt;
  if (points_.back().per_second > 0) return std::nullopt;
  return points_.back().at;
}

std::optional<Duration> ArrivalProcess::NextEven(std::optional<Duration> last) const {
  Duration t = last.value_or(Duration(0));
  // The first arrival is at the first instant with a positive rate; each
  // later one is 1 / rate after the previous, at the rate where it was.
  double rate = RateAt(t);
  if (last && rate > 0) {
    t += std::max(Duration(1), SecondsToDuration(1.0 / rate));
    rate = RateAt(t);
  }
  if (rate > 0) return t;
  // A stretch at rate 0: the next step with a positive rate starts the
  // arrivals again.
  for (const RatePoint& p : points_) {
    if (p.at > t && p.per_second > 0) return p.at;
  }
  return std::nullopt;
}

std::optional<Duration> ArrivalProcess::NextPoisson(Duration from, Rng& rng) const {
  if (max_rate_ <= 0) return std::nullopt;
  const std::optional<Duration> end = End();
  // Thinning (Lewis and Shedler): candidates from a Poisson process at the
  // curve's maximum rate, each kept with probability rate(t) / max.
  Duration t = from;
  for (;;) {
    t += std::max(Duration(1), SecondsToDuration(DrawExponential(rng, 1.0 / max_rate_)));
    if (end && t >= *end) return std::nullopt;
    if (rng.NextDouble() * max_rate_ < RateAt(t)) return t;
  }
}

std::optional<Duration> ArrivalProcess::Stream::Next(Rng& rng) {
  const ArrivalProcess& p = *process_;
  std::optional<Duration> next;
  if (p.kind_ == Kind::kReplay) {
    if (replay_index_ < p.replay_.size()) next = p.replay_[replay_index_++];
  } else if (p.poisson_) {
    next = p.NextPoisson(last_.value_or(Duration(0)), rng);
  } else {
    next = p.NextEven(last_);
  }
  if (next) last_ = next;
  return next;
}

// ---- SizeDistribution ---------------------------------------------------------

SizeDistribution SizeDistribution::Fixed(int64_t bytes) {
  SizeDistribution d;
  d.a_ = std::max<int64_t>(0, bytes);
  return d;
}

SizeDistribution SizeDistribution::Uniform(int64_t min, int64_t max) {
  SizeDistribution d;
  d.kind_ = Kind::kUniform;
  d.a_ = std::max<int64_t>(0, std::min(min, max));
  d.b_ = std::max<int64_t>(0, std::max(min, max));
  return d;
}

SizeDistribution SizeDistribution::LogNormal(int64_t median, double sigma, int64_t min,
                                             int64_t max) {
  SizeDistribution d;
  d.kind_ = Kind::kLogNormal;
  d.a_ = std::max<int64_t>(1, median);
  d.b_ = std::max<int64_t>(0, std::min(min, max));
  d.c_ = std::max<int64_t>(0, std::max(min, max));
  d.sigma_ = std::max(0.0, sigma);
  return d;
}

int64_t SizeDistribution::Draw(Rng& rng) const {
  switch (kind_) {
    case Kind::kFixed:
      return a_;
    case Kind::kUniform:
      return a_ + static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(b_ - a_) + 1));
    case Kind::kLogNormal: {
      const double x = static_cast<double>(a_) * std::exp(sigma_ * DrawStandardNormal(rng));
      return std::clamp(static_cast<int64_t>(std::llround(std::min(x, 1e15))), b_, c_);
    }
  }
  return a_;
}

// ---- GroupKeys ------------------------------------------------------------------

GroupKeys GroupKeys::Single() { return Uniform(1); }

GroupKeys GroupKeys::Uniform(int groups) {
  GroupKeys g;
  g.groups_ = std::max(1, groups);
  return g;
}

GroupKeys GroupKeys::Zipf(int groups, double s) {
  GroupKeys g = Uniform(groups);
  double total = 0;
  for (int k = 0; k < g.groups_; ++k) {
    total += 1.0 / std::pow(k + 1, s);
    g.cumulative_.push_back(total);
  }
  for (double& c : g.cumulative_) c /= total;
  return g;
}

int GroupKeys::Draw(Rng& rng) const {
  if (cumulative_.empty()) return static_cast<int>(rng.Uniform(static_cast<uint64_t>(groups_)));
  const double u = rng.NextDouble();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return static_cast<int>(std::min<ptrdiff_t>(it - cumulative_.begin(), groups_ - 1));
}

}  // namespace sqsim::loadtest
