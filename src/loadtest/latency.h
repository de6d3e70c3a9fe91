// Nearest-rank percentiles of latency samples, for the load test's
// summaries and per-period series.

#ifndef SQSIM_SRC_LOADTEST_LATENCY_H_
#define SQSIM_SRC_LOADTEST_LATENCY_H_

#include <span>
#include <vector>

#include "sqsim/loadtest/load_test.h"

namespace sqsim::loadtest::internal {

// Summarises `samples` (seconds); reorders them.
LatencySummary Summarize(std::span<float> samples);

// The p-th percentile (0 < p <= 100), nearest rank; reorders `samples`.
// REQUIRES: !samples.empty().
double Percentile(std::span<float> samples, double p);

}  // namespace sqsim::loadtest::internal

#endif  // SQSIM_SRC_LOADTEST_LATENCY_H_
