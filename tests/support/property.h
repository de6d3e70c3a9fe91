// Running RapidCheck properties so that CI is a function of the code.
//
// Every property in the default test run checks a fixed number of cases
// from a fixed seed (derived from the property's name), so a green CI stays
// green until the code changes. Random seeds belong to soak runs:
//
//   RC_PARAMS="seed=N"      replays seed N (any mode);
//   SQSIM_SOAK=1            a fresh seed, 100 times the CI case count;
//   SQSIM_SOAK=<n>, n > 1   a fresh seed, exactly n cases;
//   SQSIM_SOAK_SECONDS=<s>  fresh seeds, batch after batch, until s seconds
//                           of wall time have passed (the `soak` ctest label).
//
// Every run prints its seed and the RC_PARAMS that replays it, so a failure
// in a log is always reproducible.

#ifndef SQSIM_TESTS_SUPPORT_PROPERTY_H_
#define SQSIM_TESTS_SUPPORT_PROPERTY_H_

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include "support/build_kind.h"

namespace sqsim::test {

// Whether SQSIM_SOAK asks for a soak (set, non-empty and not "0").
inline bool Soaking() {
  const char* soak = std::getenv("SQSIM_SOAK");
  return soak != nullptr && *soak != '\0' && std::string_view(soak) != "0";
}

// The wall-clock budget of a time-boxed soak, in seconds (0: none).
inline int SoakSeconds() {
  const char* seconds = std::getenv("SQSIM_SOAK_SECONDS");
  return seconds == nullptr ? 0 : std::max(0, std::atoi(seconds));
}

// How many cases a property checks: `ci` normally (a quarter of them under
// the sanitizers, which look for memory errors in the same code paths rather
// than for rare cases: the optimised run of the same CI checks all `ci`);
// with SQSIM_SOAK=1 a hundred times more, with SQSIM_SOAK=<n> (n > 1)
// exactly n.
inline int SequenceCount(int ci) {
  if (!Soaking()) return kSanitized ? std::max(1, ci / 4) : ci;
  const int n = std::atoi(std::getenv("SQSIM_SOAK"));
  return n > 1 ? n : ci * 100;
}

// The seed RC_PARAMS names, if it names one.
inline std::optional<uint64_t> ReplaySeed() {
  const char* params = std::getenv("RC_PARAMS");
  if (params == nullptr || std::string_view(params).find("seed=") == std::string_view::npos) {
    return std::nullopt;
  }
  // RapidCheck has parsed it already; read its value rather than parse again.
  return rc::detail::configuration().testParams.seed;
}

// The fixed CI seed of property `name`: FNV-1a of the name, so that each
// property explores its own cases and renaming one is the only way to move it.
inline uint64_t FixedSeed(std::string_view name) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return h;
}

// A seed nobody chose: for soak runs only (never on a simulator path).
inline uint64_t FreshSeed() {
  std::random_device entropy;
  return (uint64_t{entropy()} << 32) | entropy();
}

// The seed of one run of `name` under the policy above.
inline uint64_t PropertySeed(std::string_view name) {
  if (std::optional<uint64_t> replay = ReplaySeed()) return *replay;
  return Soaking() || SoakSeconds() > 0 ? FreshSeed() : FixedSeed(name);
}

// Checks `property` once: `count` cases of at most `max_size` from `seed`.
// Prints the seed and how to replay it; returns RapidCheck's result.
template <typename Testable>
rc::detail::TestResult RunProperty(const std::string& name, uint64_t seed, int count, int max_size,
                                   Testable& property) {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.seed = seed;
  params.maxSuccess = count;
  params.maxSize = max_size;
  rc::detail::TestMetadata metadata;
  metadata.id = name;
  metadata.description = name;
  std::cout << "[ property ] " << name << ": " << count << " cases, seed " << seed
            << " (replay: RC_PARAMS=\"seed=" << seed << "\")" << std::endl;
  return rc::detail::checkTestable(property, metadata, params);
}

// RapidCheck's report of a result that is not a success, with the replay line.
inline std::string FailureReport(const rc::detail::TestResult& result, uint64_t seed) {
  std::ostringstream report;
  rc::detail::printResultMessage(result, report);
  report << "\nreplay with RC_PARAMS=\"seed=" << seed << "\"";
  return report.str();
}

// Checks `property` under the seed policy: one run of SequenceCount(ci_count)
// cases, or with SQSIM_SOAK_SECONDS batches of fresh seeds until the budget
// is spent. Fails the current gtest with the shrunk counterexample and its
// seed otherwise; returns whether the property held. A property whose test
// checks afterwards that its cases covered something (every fault effect
// fired) passes `every_case_sanitized`: it runs all `ci_count` cases under
// the sanitizers too.
template <typename Testable>
bool CheckProperty(const std::string& name, int ci_count, int max_size, Testable&& property,
                   bool every_case_sanitized = false) {
  const int budget = ReplaySeed() ? 0 : SoakSeconds();
  const auto start = std::chrono::steady_clock::now();
  int runs = 0;
  do {
    const uint64_t seed = PropertySeed(name);
    const rc::detail::TestResult result = RunProperty(
        name, seed, every_case_sanitized && !Soaking() ? ci_count : SequenceCount(ci_count),
        max_size, property);
    ++runs;
    if (!result.template is<rc::detail::SuccessResult>()) {
      ADD_FAILURE() << FailureReport(result, seed);
      return false;
    }
  } while (budget > 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(budget));
  if (budget > 0) std::cout << "[ property ] " << name << ": " << runs << " runs clean\n";
  return true;
}

}  // namespace sqsim::test

#endif  // SQSIM_TESTS_SUPPORT_PROPERTY_H_
