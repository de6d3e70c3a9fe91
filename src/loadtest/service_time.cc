#include "sqsim/loadtest/service_time.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sqsim/loadtest/workload.h"

namespace sqsim::loadtest {

ServiceTime ServiceTime::Fixed(Duration d) {
  ServiceTime s;
  s.scale_ = std::max(Duration(0), d);
  return s;
}

ServiceTime ServiceTime::Exponential(Duration mean) {
  ServiceTime s = Fixed(mean);
  s.kind_ = Kind::kExponential;
  return s;
}

ServiceTime ServiceTime::LogNormal(Duration median, double sigma) {
  ServiceTime s = Fixed(median);
  s.kind_ = Kind::kLogNormal;
  s.sigma_ = std::max(0.0, sigma);
  return s;
}

ServiceTime ServiceTime::WithFailureProbability(double p) const {
  ServiceTime s = *this;
  s.failure_probability_ = std::clamp(p, 0.0, 1.0);
  return s;
}

Duration ServiceTime::Draw(Rng& rng) const {
  const double scale = static_cast<double>(scale_.count());
  switch (kind_) {
    case Kind::kFixed:
      return scale_;
    case Kind::kExponential:
      return Duration(std::llround(DrawExponential(rng, scale)));
    case Kind::kLogNormal:
      // Capped at a day: a draw far in the tail must not overflow.
      return Duration(
          std::llround(std::min(scale * std::exp(sigma_ * DrawStandardNormal(rng)), 8.64e10)));
  }
  return scale_;
}

double ServiceTime::MeanSeconds() const {
  const double scale = static_cast<double>(scale_.count()) / 1e6;
  return kind_ == Kind::kLogNormal ? scale * std::exp(sigma_ * sigma_ / 2) : scale;
}

std::string ServiceTime::Describe() const {
  char text[96];
  const double scale = static_cast<double>(scale_.count()) / 1e6;
  switch (kind_) {
    case Kind::kFixed:
      std::snprintf(text, sizeof text, "fixed %g s", scale);
      break;
    case Kind::kExponential:
      std::snprintf(text, sizeof text, "exponential (mean %g s)", scale);
      break;
    case Kind::kLogNormal:
      std::snprintf(text, sizeof text, "log-normal (median %g s, sigma %g)", scale, sigma_);
      break;
  }
  std::string out = text;
  if (failure_probability_ > 0) {
    std::snprintf(text, sizeof text, ", fails %g%%", failure_probability_ * 100);
    out += text;
  }
  return out;
}

}  // namespace sqsim::loadtest
