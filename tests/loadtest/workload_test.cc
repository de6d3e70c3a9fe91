// Workloads: arrival processes, message shapes and FIFO group keys. One
// behaviour per test; statistical tests use fixed seeds and bounds of at
// least four standard deviations.

#include "sqsim/loadtest/workload.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace sqsim::loadtest {
namespace workload_test {

using namespace std::chrono_literals;

std::vector<Duration> Arrivals(const ArrivalProcess& process, Duration until, uint64_t seed = 7) {
  SeededRng rng(seed);
  std::vector<Duration> out;
  ArrivalProcess::Stream stream = process.Start();
  while (auto at = stream.Next(rng)) {
    if (*at >= until) break;
    out.push_back(*at);
  }
  return out;
}

int64_t CountIn(const std::vector<Duration>& arrivals, Duration from, Duration to) {
  return std::count_if(arrivals.begin(), arrivals.end(),
                       [&](Duration d) { return d >= from && d < to; });
}

TEST(ArrivalProcessTest, ConstantRateArrivalsAreEvenlySpaced) {
  const std::vector<Duration> a = Arrivals(ArrivalProcess::Constant(4), 10s);
  ASSERT_EQ(a.size(), 40u);
  EXPECT_EQ(a[0], 0s);
  for (size_t i = 1; i < a.size(); ++i) EXPECT_EQ(a[i] - a[i - 1], 250ms);
}

TEST(ArrivalProcessTest, PoissonCountMatchesTheRate) {
  // 100/s for 1000 s: 100,000 expected, standard deviation about 316.
  const std::vector<Duration> a = Arrivals(ArrivalProcess::Poisson(100), 1000s);
  EXPECT_NEAR(static_cast<double>(a.size()), 100'000, 1'300);
}

TEST(ArrivalProcessTest, PoissonGapsAreExponential) {
  // For exponential gaps the coefficient of variation is 1 (evenly spaced
  // arrivals have 0).
  const std::vector<Duration> a = Arrivals(ArrivalProcess::Poisson(50), 2000s);
  double sum = 0, sum_sq = 0;
  for (size_t i = 1; i < a.size(); ++i) {
    const double gap = static_cast<double>((a[i] - a[i - 1]).count());
    sum += gap;
    sum_sq += gap * gap;
  }
  const double n = static_cast<double>(a.size() - 1);
  const double mean = sum / n;
  const double cv = std::sqrt(sum_sq / n - mean * mean) / mean;
  EXPECT_NEAR(mean, 20'000, 400);  // microseconds
  EXPECT_NEAR(cv, 1.0, 0.03);
}

TEST(ArrivalProcessTest, SameSeedGivesSameArrivals) {
  const ArrivalProcess p = ArrivalProcess::Poisson(30);
  EXPECT_EQ(Arrivals(p, 100s, 3), Arrivals(p, 100s, 3));
  EXPECT_NE(Arrivals(p, 100s, 3), Arrivals(p, 100s, 4));
}

TEST(ArrivalProcessTest, StepsChangeTheRateAtEachStep) {
  const ArrivalProcess p = ArrivalProcess::Steps(
      {{.at = 0s, .per_second = 10}, {.at = 100s, .per_second = 0}, {.at = 200s, .per_second = 5}},
      /*even=*/true);
  const std::vector<Duration> a = Arrivals(p, 300s);
  EXPECT_EQ(CountIn(a, 0s, 100s), 1000);
  EXPECT_EQ(CountIn(a, 100s, 200s), 0);
  EXPECT_EQ(CountIn(a, 200s, 300s), 500);
}

TEST(ArrivalProcessTest, CurveEndingAtZeroEnds) {
  const ArrivalProcess p =
      ArrivalProcess::Steps({{.at = 0s, .per_second = 20}, {.at = 10s, .per_second = 0}});
  SeededRng rng(1);
  ArrivalProcess::Stream stream = p.Start();
  int n = 0;
  while (stream.Next(rng)) ++n;  // terminates: no arrival after 10 s
  EXPECT_NEAR(n, 200, 60);
}

TEST(ArrivalProcessTest, BurstRaisesTheRateForItsLength) {
  const ArrivalProcess p = ArrivalProcess::Burst(10, 100, 600s, 300s);
  EXPECT_EQ(p.RateAt(599s), 10);
  EXPECT_EQ(p.RateAt(600s), 100);
  EXPECT_EQ(p.RateAt(899s), 100);
  EXPECT_EQ(p.RateAt(900s), 10);
  const std::vector<Duration> a = Arrivals(p, 1200s);
  // 30,000 expected in the burst (sd 173), 9,000 outside (sd 95).
  EXPECT_NEAR(static_cast<double>(CountIn(a, 600s, 900s)), 30'000, 700);
  EXPECT_NEAR(static_cast<double>(CountIn(a, 0s, 600s) + CountIn(a, 900s, 1200s)), 9'000, 400);
}

TEST(ArrivalProcessTest, DailyCurveInterpolatesBetweenHoursAndRepeats) {
  std::array<double, 24> hourly{};
  hourly[8] = 10;
  hourly[9] = 30;
  const ArrivalProcess p = ArrivalProcess::Daily(hourly);
  EXPECT_DOUBLE_EQ(p.RateAt(8h), 10);
  EXPECT_DOUBLE_EQ(p.RateAt(8h + 30min), 20);
  EXPECT_DOUBLE_EQ(p.RateAt(9h), 30);
  EXPECT_DOUBLE_EQ(p.RateAt(9h + 30min), 15);
  EXPECT_DOUBLE_EQ(p.RateAt(24h + 8h + 30min), 20);
  EXPECT_DOUBLE_EQ(p.RateAt(3h), 0);
}

TEST(ArrivalProcessTest, DailyCurveWrapsFromHour23ToHour0) {
  std::array<double, 24> hourly{};
  hourly[23] = 40;
  hourly[0] = 0;
  const ArrivalProcess p = ArrivalProcess::Daily(hourly);
  EXPECT_DOUBLE_EQ(p.RateAt(23h + 45min), 10);
}

TEST(ArrivalProcessTest, DailyArrivalsFollowTheCurve) {
  std::array<double, 24> hourly{};
  hourly.fill(1);
  hourly[12] = 20;
  const ArrivalProcess p = ArrivalProcess::Daily(hourly);
  const std::vector<Duration> a = Arrivals(p, 24h);
  const double expected_noon = p.ExpectedArrivals(13h) - p.ExpectedArrivals(12h);
  EXPECT_NEAR(expected_noon, (20.0 + 1.0) / 2 * 3600, 1);  // ramps from 20/s to 1/s
  EXPECT_NEAR(static_cast<double>(CountIn(a, 12h, 13h)), expected_noon,
              4 * std::sqrt(expected_noon));
}

TEST(ArrivalProcessTest, ReplayReturnsTheRecordedOffsetsInOrder) {
  Result<ArrivalProcess> p =
      ArrivalProcess::ReplayCsv("offset_seconds,user\n2.5,a\n0.25,b\n\n# c\n2.5,d\n");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(Arrivals(*p, 1h), (std::vector<Duration>{250ms, 2500ms, 2500ms}));
}

TEST(ArrivalProcessTest, ReplayRejectsMalformedAndNegativeOffsets) {
  EXPECT_EQ(ArrivalProcess::ReplayCsv("1\nabc\n").status().code(),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(ArrivalProcess::ReplayCsv("-1\n").status().code(), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(ArrivalProcess::ReplayCsv("1\n2x\n").status().code(),
            ErrorCode::kInvalidParameterValue);
}

TEST(SizeDistributionTest, DrawsStayWithinTheirBounds) {
  SeededRng rng(5);
  const SizeDistribution uniform = SizeDistribution::Uniform(100, 200);
  const SizeDistribution tail = SizeDistribution::LogNormal(1000, 1.5, 10, 262'144);
  bool saw_min = false, saw_max = false;
  for (int i = 0; i < 20'000; ++i) {
    const int64_t u = uniform.Draw(rng);
    ASSERT_GE(u, 100);
    ASSERT_LE(u, 200);
    saw_min |= u == 100;
    saw_max |= u == 200;
    const int64_t t = tail.Draw(rng);
    ASSERT_GE(t, 10);
    ASSERT_LE(t, 262'144);
  }
  EXPECT_TRUE(saw_min && saw_max);
  EXPECT_EQ(SizeDistribution::Fixed(77).Draw(rng), 77);
}

TEST(SizeDistributionTest, LogNormalMedianIsTheGivenMedian) {
  SeededRng rng(9);
  const SizeDistribution d = SizeDistribution::LogNormal(1000, 1.0, 1, 1'000'000);
  int below = 0;
  const int n = 40'000;
  for (int i = 0; i < n; ++i) below += d.Draw(rng) < 1000;
  EXPECT_NEAR(below, n / 2, 4 * 100);  // sd = sqrt(n) / 2 = 100
}

TEST(GroupKeysTest, UniformSpreadsOverEveryGroup) {
  SeededRng rng(2);
  const GroupKeys g = GroupKeys::Uniform(4);
  std::map<int, int> counts;
  for (int i = 0; i < 40'000; ++i) ++counts[g.Draw(rng)];
  ASSERT_EQ(counts.size(), 4u);
  for (const auto& [group, n] : counts) EXPECT_NEAR(n, 10'000, 400) << group;
}

TEST(GroupKeysTest, ZipfMakesTheFirstGroupHot) {
  SeededRng rng(3);
  const GroupKeys g = GroupKeys::Zipf(10, 1.0);
  std::map<int, int> counts;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) ++counts[g.Draw(rng)];
  // P(g0) = 1 / H(10) = 0.3414; P(g9) = 0.0341.
  EXPECT_NEAR(counts[0], 0.3414 * n, 700);
  EXPECT_NEAR(counts[9], 0.03414 * n, 300);
  EXPECT_GT(counts[0], counts[1]);
}

}  // namespace workload_test
}  // namespace sqsim::loadtest
