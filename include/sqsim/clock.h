// Clock: where time comes from. `SystemClock` reads the wall clock;
// `ManualClock` moves only when told (absl's SimulatedClock). The simulator
// keeps its own virtual clock and exposes it through the same interface, so
// code that takes a `Clock&` never reads the system clock directly.
//
// Thread safety: SystemClock is safe for concurrent use. ManualClock is safe
// for concurrent Now()/Advance() (it holds an atomic).

#ifndef SQSIM_CLOCK_H_
#define SQSIM_CLOCK_H_

#include <atomic>

#include "sqsim/types.h"

namespace sqsim {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time, in microseconds since the Unix epoch.
  virtual Timestamp Now() const = 0;
};

// The real wall clock (std::chrono::system_clock).
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// A clock that never ticks on its own.
//
//   ManualClock clock(Timestamp{} + std::chrono::hours(1));
//   clock.Advance(std::chrono::seconds(30));
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{}) : now_us_(start.time_since_epoch().count()) {}

  Timestamp Now() const override { return Timestamp(Duration(now_us_.load())); }
  // REQUIRES: d >= 0 (time never goes backwards).
  void Advance(Duration d);
  // REQUIRES: t >= Now().
  void SetTime(Timestamp t);

 private:
  std::atomic<int64_t> now_us_;
};

// Formats `t` as RFC 3339 UTC with millisecond precision
// ("2026-01-01T00:00:00.000Z"), for logs and traces.
std::string FormatTimestamp(Timestamp t);

// Milliseconds since the Unix epoch, the unit of SentTimestamp.
inline int64_t ToEpochMillis(Timestamp t) { return t.time_since_epoch().count() / 1000; }
// Whole seconds since the Unix epoch, the unit of CreatedTimestamp.
inline int64_t ToEpochSeconds(Timestamp t) { return t.time_since_epoch().count() / 1000000; }

}  // namespace sqsim

#endif  // SQSIM_CLOCK_H_
