// TimeSource: virtual time from the steady clock (real) or from advances only.

#include "server/time_source.h"

namespace sqsim::internal {

TimeSource::TimeSource(http::TimeMode mode, Timestamp start)
    : mode_(mode), start_(start), steady_start_(std::chrono::steady_clock::now()) {}

Timestamp TimeSource::Now() const {
  if (mode_ == http::TimeMode::kManual) return start_ + advanced_;
  const auto elapsed =
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - steady_start_);
  return start_ + elapsed + advanced_;
}

Status TimeSource::Advance(Duration d) {
  SQSIM_ASSERT(d >= Duration::zero(), "time never goes backwards");
  const Timestamp now = Now();
  if (now > kLatestTime || kLatestTime - now < d) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "advancing by " + std::to_string(d.count() / 1000000) +
                      " s would move the clock from " + FormatTimestamp(now) +
                      " past 9999-12-31T23:59:59Z, the latest time sqsim represents");
  }
  advanced_ += d;
  return Status::Ok();
}

void TimeSource::Rewind() {
  if (mode_ == http::TimeMode::kManual) advanced_ = Duration::zero();
}

std::optional<std::chrono::steady_clock::time_point> TimeSource::SteadyAt(Timestamp t) const {
  if (mode_ == http::TimeMode::kManual) return std::nullopt;
  return steady_start_ + (t - start_ - advanced_);
}

}  // namespace sqsim::internal
