// Workloads: when producers send, and what.
//
// An ArrivalProcess gives the arrival times of one producer's messages as
// offsets from the start of a run. It is a rate curve (messages per second
// over time: constant, steps, a burst, a daily curve) with either Poisson
// arrivals (a non-homogeneous Poisson process, drawn by thinning) or evenly
// spaced ones, or a replay of recorded offsets. A MessageShape draws each
// message's body size and attributes, and GroupKeys its FIFO message group.
// Every draw comes from the Rng passed in, so one seed gives one workload.

#ifndef SQSIM_LOADTEST_WORKLOAD_H_
#define SQSIM_LOADTEST_WORKLOAD_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/random.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::loadtest {

// The rate at one point of the curve.
struct RatePoint {
  Duration at{};          // offset from the start of the run
  double per_second = 0;  // >= 0
};

class ArrivalProcess {
 public:
  // `per_second` arrivals evenly spaced (1 / rate apart).
  static ArrivalProcess Constant(double per_second);
  // A Poisson process of rate `per_second` (exponential gaps).
  static ArrivalProcess Poisson(double per_second);
  // Piecewise-constant rate: each step's rate holds from its `at` until the
  // next step's (rate 0 before the first). Poisson arrivals unless `even`.
  static ArrivalProcess Steps(std::vector<RatePoint> steps, bool even = false);
  // `base_per_second`, and `peak_per_second` during [start, start + length)
  // (the guide's Monday-morning burst). Poisson arrivals.
  static ArrivalProcess Burst(double base_per_second, double peak_per_second, Duration start,
                              Duration length);
  // A day's curve from 24 hourly rates (the rate at the start of each hour,
  // linearly interpolated between them, hour 23 back to hour 0), repeating
  // every 24 hours from the start of the run. Poisson arrivals.
  static ArrivalProcess Daily(const std::array<double, 24>& hourly_per_second);
  // Recorded arrivals: one offset in seconds from the start per line
  // (decimal, e.g. "0.25"), optionally the first field of a CSV line;
  // lines may be in any order, blank lines and lines starting with '#' are
  // skipped, a header line whose first field is not a number too.
  // kInvalidParameterValue for a negative offset or a malformed number.
  static Result<ArrivalProcess> ReplayCsv(std::string_view csv);

  // The arrivals, one by one in time order. Deterministic given the Rng:
  // the same draws give the same offsets. The process must outlive it.
  class Stream {
   public:
    explicit Stream(const ArrivalProcess& process) : process_(&process) {}
    // The next arrival's offset from the start (never before the previous
    // one), nullopt when there are no more.
    std::optional<Duration> Next(Rng& rng);

   private:
    const ArrivalProcess* process_;
    std::optional<Duration> last_{};
    size_t replay_index_ = 0;
  };
  Stream Start() const { return Stream(*this); }

  // The rate at offset `t` (for replays: 0).
  double RateAt(Duration t) const;
  // The expected number of arrivals in [0, t) (for replays: the count).
  double ExpectedArrivals(Duration t) const;

 private:
  enum class Kind { kCurve, kReplay };
  Kind kind_ = Kind::kCurve;
  std::vector<RatePoint> points_{};
  bool interpolate_ = false;
  bool poisson_ = true;
  Duration repeat_every_{};  // zero: no repetition
  double max_rate_ = 0;
  std::vector<Duration> replay_{};  // sorted

  // The end of the curve's last nonzero stretch, when it has one (a curve
  // that does not repeat and ends at rate 0).
  std::optional<Duration> End() const;
  std::optional<Duration> NextEven(std::optional<Duration> last) const;
  std::optional<Duration> NextPoisson(Duration from, Rng& rng) const;
};

// A message body size distribution, in bytes.
class SizeDistribution {
 public:
  static SizeDistribution Fixed(int64_t bytes);
  // Uniform over [min, max].
  static SizeDistribution Uniform(int64_t min, int64_t max);
  // Log-normal with the given median and shape sigma, clamped to
  // [min, max]: most messages small, a long tail of large ones.
  static SizeDistribution LogNormal(int64_t median, double sigma, int64_t min, int64_t max);

  int64_t Draw(Rng& rng) const;

 private:
  enum class Kind { kFixed, kUniform, kLogNormal };
  Kind kind_ = Kind::kFixed;
  int64_t a_ = 0, b_ = 0, c_ = 0;
  double sigma_ = 0;
};

// A message attribute a producer adds, with probability `probability`.
struct AttributeShape {
  std::string name{};
  std::string data_type = "String";  // String or Number
  SizeDistribution value_size = SizeDistribution::Fixed(16);
  double probability = 1;
};

struct MessageShape {
  SizeDistribution body_size = SizeDistribution::Fixed(256);
  std::vector<AttributeShape> attributes{};
  // SendMessage's DelaySeconds for each message (standard queues), 0..900.
  int delay_seconds = 0;
};

// FIFO message groups: which group each message goes to.
class GroupKeys {
 public:
  // Every message in one group ("g0").
  static GroupKeys Single();
  // Uniform over `groups` groups "g0".."g{n-1}".
  static GroupKeys Uniform(int groups);
  // Zipf over `groups` groups with exponent `s` (> 0): group "g0" is the
  // hottest; P(g_k) is proportional to 1 / (k + 1)^s.
  static GroupKeys Zipf(int groups, double s);

  // The index of the group of the next message.
  int Draw(Rng& rng) const;
  int groups() const { return groups_; }

 private:
  int groups_ = 1;
  std::vector<double> cumulative_{};  // Zipf only
};

// Standard draws used by workloads and service-time models.
double DrawExponential(Rng& rng, double mean);
double DrawStandardNormal(Rng& rng);

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_WORKLOAD_H_
