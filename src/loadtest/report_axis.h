// Chart axes for the SVG writer: where the ticks go and what they say.
// Private to the load-test library.
//
// Three kinds of axis:
//  - linear: Heckbert's "nice numbers" (Graphics Gems, 1990): ticks every
//    1, 2 or 5 times a power of ten, the axis widened to whole steps
//    (0..97 gives 0, 20, ..., 100). Labels are compact: 1.5k, 20M, 0.25.
//  - log10: ticks at powers of ten (every k-th one when there are many
//    decades); the axis works in log10 units.
//  - time: the x axis of a run, in seconds, when the run is long enough
//    that seconds stop being readable (see TimeAxis). Ticks land on whole
//    clock steps (15 s, 1 min, 5 min, 1 h, ...) and read as a clock.

#ifndef SQSIM_LOADTEST_REPORT_AXIS_H_
#define SQSIM_LOADTEST_REPORT_AXIS_H_

#include <string>
#include <string_view>
#include <vector>

namespace sqsim::loadtest::report_internal {

enum class TickStyle {
  kNumber,        // 0, 0.5, 1.5k, 20M, 3G
  kPowerOfTen,    // ticks are log10 values; labels 0.01, 1, 100, 10k
  kMinutes,       // seconds shown as m:ss ("2:30"), for axes below an hour
  kHours,         // seconds shown as h:mm ("1:30"), steps of whole minutes
  kHoursSeconds,  // seconds shown as h:mm:ss, past an hour with sub-minute steps
};

struct Axis {
  double lo = 0;  // the axis' ends, in axis units (log10 units for log axes)
  double hi = 1;  // > lo
  double step = 1;
  std::vector<double> ticks{};  // ascending, within [lo, hi]
  TickStyle style = TickStyle::kNumber;
};

// Values beyond this magnitude are clamped before any axis arithmetic so
// that hi - lo stays finite.
inline constexpr double kMaxMagnitude = 1e300;

// A linear axis covering [data_lo, data_hi] with about `target_ticks`
// ticks. An empty or one-value range is widened around the value (to
// [0, 1] for zero). REQUIRES: data_lo <= data_hi, both finite;
// target_ticks >= 2.
Axis LinearAxis(double data_lo, double data_hi, int target_ticks);

// A log10 axis covering [data_lo, data_hi], in log10 units, whole decades.
// REQUIRES: 0 < data_lo <= data_hi, both finite.
Axis LogAxis(double data_lo, double data_hi);

// Whether an x axis label says its values are seconds of time: it mentions
// "time" and either "(s)" or "second" (ASCII case-insensitive).
bool IsTimeInSeconds(std::string_view label);

// An axis in seconds for [data_lo, data_hi]: below two minutes of span, a
// linear axis (seconds read fine); from two minutes, clock steps (15 s,
// 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, 1 day, then 1-2-5 days)
// shown as m:ss while every tick is under an hour, else h:mm (h:mm:ss when
// the step is under a minute). Same REQUIRES as LinearAxis.
Axis TimeAxis(double data_lo, double data_hi, int target_ticks);

// The label of each of axis.ticks.
std::vector<std::string> TickLabels(const Axis& axis);

// The axis title to show for `label` on `axis`: for clock styles, the unit
// in it is replaced by the clock format ("virtual time (s)" becomes
// "virtual time (h:mm)"), or the format is appended; otherwise `label`.
std::string AxisTitle(std::string_view label, const Axis& axis);

}  // namespace sqsim::loadtest::report_internal

#endif  // SQSIM_LOADTEST_REPORT_AXIS_H_
