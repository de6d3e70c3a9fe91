// ServiceTime: a model of how long a consumer's handler takes, for capacity
// studies without the real handler: fixed, exponential or log-normal, and
// a probability that the handler fails (its message is left for the
// visibility timeout to return, as when a real handler throws).

#ifndef SQSIM_LOADTEST_SERVICE_TIME_H_
#define SQSIM_LOADTEST_SERVICE_TIME_H_

#include <string>

#include "sqsim/random.h"
#include "sqsim/types.h"

namespace sqsim::loadtest {

class ServiceTime {
 public:
  static ServiceTime Fixed(Duration d);
  // Exponential with mean `mean` (the M in M/M/c).
  static ServiceTime Exponential(Duration mean);
  // Log-normal with median `median` and shape `sigma`: the long tail of
  // real handlers (a slow database call now and then).
  static ServiceTime LogNormal(Duration median, double sigma);

  // The same model whose handler fails with probability `p` (0..1).
  ServiceTime WithFailureProbability(double p) const;

  Duration Draw(Rng& rng) const;
  bool DrawFailure(Rng& rng) const {
    return failure_probability_ > 0 && rng.Bernoulli(failure_probability_);
  }

  // The mean service time, in seconds.
  double MeanSeconds() const;
  double failure_probability() const { return failure_probability_; }
  // "exponential(mean 0.2 s)", for reports.
  std::string Describe() const;

 private:
  enum class Kind { kFixed, kExponential, kLogNormal };
  Kind kind_ = Kind::kFixed;
  Duration scale_{};
  double sigma_ = 0;
  double failure_probability_ = 0;
};

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_SERVICE_TIME_H_
