// TimeSource: the server's virtual clock, in real or manual mode.
//
// Real mode: now = start + (steady time elapsed since start) + advanced.
// Reading the steady clock (not the wall clock) keeps virtual time monotonic
// when the system clock is adjusted; the engine requires that. Manual mode:
// now = start + advanced.
//
// Thread safety: none; used on the server's thread only.

#ifndef SQSIM_SERVER_TIME_SOURCE_H_
#define SQSIM_SERVER_TIME_SOURCE_H_

#include <chrono>
#include <optional>

#include "sqsim/http/server.h"
#include "sqsim/types.h"

namespace sqsim::internal {

class TimeSource {
 public:
  TimeSource(http::TimeMode mode, Timestamp start);

  http::TimeMode mode() const { return mode_; }
  Timestamp start() const { return start_; }

  Timestamp Now() const;
  // Moves virtual time forward by `d`; refused (InvalidParameterValue, time
  // unchanged) when it would pass kLatestTime. REQUIRES: d >= 0.
  Status Advance(Duration d);
  // Manual mode: back to the start time (a reset). Real mode: no effect.
  void Rewind();

  // The steady-clock instant at which virtual time reaches `t`, or nullopt
  // in manual mode (time only moves when advanced).
  std::optional<std::chrono::steady_clock::time_point> SteadyAt(Timestamp t) const;

 private:
  http::TimeMode mode_;
  Timestamp start_;
  std::chrono::steady_clock::time_point steady_start_;
  Duration advanced_{0};
};

}  // namespace sqsim::internal

#endif  // SQSIM_SERVER_TIME_SOURCE_H_
