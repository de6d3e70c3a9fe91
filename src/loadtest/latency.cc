#include "loadtest/latency.h"

#include <algorithm>
#include <cmath>

namespace sqsim::loadtest::internal {

double Percentile(std::span<float> samples, double p) {
  // Nearest rank: the smallest value with at least p% of the samples at or
  // below it.
  const size_t n = samples.size();
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  std::nth_element(samples.begin(), samples.begin() + static_cast<ptrdiff_t>(rank - 1),
                   samples.end());
  return samples[rank - 1];
}

LatencySummary Summarize(std::span<float> samples) {
  LatencySummary s;
  s.count = static_cast<int64_t>(samples.size());
  if (samples.empty()) return s;
  double sum = 0;
  float max = samples[0];
  for (float v : samples) {
    sum += v;
    max = std::max(max, v);
  }
  s.mean = sum / static_cast<double>(samples.size());
  s.max = max;
  s.p50 = Percentile(samples, 50);
  s.p90 = Percentile(samples, 90);
  s.p99 = Percentile(samples, 99);
  return s;
}

}  // namespace sqsim::loadtest::internal
