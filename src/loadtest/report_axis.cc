#include "loadtest/report_axis.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "loadtest/report_text.h"

namespace sqsim::loadtest::report_internal {
namespace {

// Past this many ticks something degenerate happened (a step lost in the
// rounding of huge values); such an axis falls back to its two ends.
constexpr int kMaxTicks = 100;

// Clock labels stop making sense (and llround overflows) past this.
constexpr double kMaxClockSeconds = 1e12;

double Clamp(double v) { return std::clamp(v, -kMaxMagnitude, kMaxMagnitude); }

// Heckbert's nice number: 1, 2, 5 or 10 times a power of ten, near `x`
// (rounded to the nearest when `round`, else the smallest at least `x`).
double NiceNumber(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double power = std::pow(10.0, exponent);
  const double fraction = x / power;
  double nice;
  if (round) {
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  } else {
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  }
  return nice * power;
}

// Widens a zero-length range around its value so an axis has some extent.
void Widen(double* lo, double* hi) {
  if (*hi > *lo) return;
  const double v = *lo;
  const double half = v == 0 ? 1 : std::fabs(v) * 0.1;
  *lo = v == 0 ? 0 : v - half;
  *hi = v + half;
}

// Ticks at every multiple of `step` in [lo, hi], the axis snapped out to
// whole steps. False when rounding makes that meaningless.
bool FillSteppedTicks(double lo, double hi, double step, Axis* axis) {
  if (!(step > 0) || !std::isfinite(step)) return false;
  const double first = std::floor(lo / step);
  const double last = std::ceil(hi / step);
  const double count = last - first;
  if (!std::isfinite(count) || !(count >= 1) || count > kMaxTicks) return false;
  axis->lo = first * step;
  axis->hi = last * step;
  if (!(axis->hi > axis->lo) || !std::isfinite(axis->hi - axis->lo)) return false;
  axis->step = step;
  axis->ticks.clear();
  for (int i = 0; i <= static_cast<int>(count); ++i) axis->ticks.push_back((first + i) * step);
  return true;
}

Axis TwoEnds(double lo, double hi) {
  Axis axis;
  axis.lo = lo;
  axis.hi = hi;
  axis.step = hi - lo;
  axis.ticks = {lo, hi};
  return axis;
}

std::string StripTrailingZeros(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// `value` with about as many significant digits as telling ticks `step`
// apart needs, in the shortest of fixed or exponent notation.
std::string FormatGeneral(double value, double step) {
  const double digits = std::ceil(std::log10(std::fabs(value) / step)) + 1;
  const int precision = std::isfinite(digits) ? static_cast<int>(std::clamp(digits, 1.0, 17.0)) : 3;
  char text[64];
  const auto result =
      std::to_chars(text, text + sizeof text, value, std::chars_format::general, precision);
  return std::string(text, result.ptr);
}

// 0, 0.25, 950, 1.5k, 20M, 3G, 1.2T: SI suffixes from the value's own
// magnitude, as many decimals as `step` needs at that magnitude.
std::string FormatCompact(double value, double step) {
  if (value == 0) return "0";
  const double magnitude = std::fabs(value);
  struct Suffix {
    double divisor;
    const char* text;
  };
  static constexpr Suffix kSuffixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""}};
  Suffix suffix = kSuffixes[4];
  for (const Suffix& s : kSuffixes) {
    if (magnitude >= s.divisor) {
      suffix = s;
      break;
    }
  }
  const double decimals = std::max(0.0, std::ceil(-std::log10(step / suffix.divisor) - 1e-9));
  if (magnitude >= 1e15 || !(decimals <= 6)) return FormatGeneral(value, step);
  return StripTrailingZeros(FormatFixed(value / suffix.divisor, static_cast<int>(decimals))) +
         suffix.text;
}

std::string FormatPowerOfTen(double exponent) {
  const int e = static_cast<int>(std::lround(exponent));
  if (e < -3 || e > 14) return "1e" + std::to_string(e);
  return FormatCompact(std::pow(10.0, e), std::pow(10.0, e));
}

std::string TwoDigits(int64_t v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10);
}

std::string FormatClock(double seconds, TickStyle style) {
  const int64_t rounded = std::llround(seconds);
  const int64_t s = std::llabs(rounded);
  const std::string sign = rounded < 0 ? "-" : "";
  switch (style) {
    case TickStyle::kMinutes:
      return sign + std::to_string(s / 60) + ":" + TwoDigits(s % 60);
    case TickStyle::kHours:
      return sign + std::to_string(s / 3600) + ":" + TwoDigits(s / 60 % 60);
    default:
      return sign + std::to_string(s / 3600) + ":" + TwoDigits(s / 60 % 60) + ":" +
             TwoDigits(s % 60);
  }
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

Axis LinearAxis(double data_lo, double data_hi, int target_ticks) {
  double lo = Clamp(data_lo), hi = Clamp(data_hi);
  Widen(&lo, &hi);
  const double range = NiceNumber(hi - lo, /*round=*/false);
  const double step = NiceNumber(range / (target_ticks - 1), /*round=*/true);
  Axis axis;
  if (!FillSteppedTicks(lo, hi, step, &axis)) return TwoEnds(lo, hi);
  return axis;
}

Axis LogAxis(double data_lo, double data_hi) {
  // The epsilon keeps exact powers of ten (log10(1000) = 2.9999...) on
  // their decade rather than widening the axis by one.
  double lo = std::floor(std::log10(data_lo) + 1e-12);
  double hi = std::ceil(std::log10(data_hi) - 1e-12);
  if (hi <= lo) hi = lo + 1;
  // At most about seven labels: every k-th decade when there are many.
  const double every = std::ceil((hi - lo) / 6);
  Axis axis;
  if (!FillSteppedTicks(lo, hi, every, &axis)) axis = TwoEnds(lo, hi);
  axis.style = TickStyle::kPowerOfTen;
  return axis;
}

bool IsTimeInSeconds(std::string_view label) {
  const std::string lower = AsciiLower(label);
  const auto has = [&](std::string_view word) { return lower.find(word) != std::string::npos; };
  return has("time") && (has("(s)") || has("second"));
}

Axis TimeAxis(double data_lo, double data_hi, int target_ticks) {
  const double lo = Clamp(data_lo), hi = Clamp(data_hi);
  const double span = hi - lo;
  if (span < 120 || std::max(std::fabs(lo), std::fabs(hi)) > kMaxClockSeconds) {
    return LinearAxis(lo, hi, target_ticks);
  }
  static constexpr double kClockSteps[] = {15,   30,   60,   120,   300,   600,  900,
                                           1800, 3600, 7200, 10800, 21600, 43200};
  const double wanted = span / (target_ticks - 1);
  double step = 0;
  for (double candidate : kClockSteps) {
    if (candidate >= wanted) {
      step = candidate;
      break;
    }
  }
  if (step == 0) step = 86400 * NiceNumber(wanted / 86400, /*round=*/false);
  if (step < 86400 && wanted > 43200) step = 86400;
  Axis axis;
  if (!FillSteppedTicks(lo, hi, step, &axis)) return LinearAxis(lo, hi, target_ticks);
  const double largest = std::max(std::fabs(axis.lo), std::fabs(axis.hi));
  if (largest < 3600) {
    axis.style = TickStyle::kMinutes;
  } else {
    axis.style = std::fmod(step, 60) == 0 ? TickStyle::kHours : TickStyle::kHoursSeconds;
  }
  return axis;
}

std::vector<std::string> TickLabels(const Axis& axis) {
  std::vector<std::string> labels;
  for (double tick : axis.ticks) {
    switch (axis.style) {
      case TickStyle::kNumber:
        labels.push_back(FormatCompact(tick, axis.step));
        break;
      case TickStyle::kPowerOfTen:
        labels.push_back(FormatPowerOfTen(tick));
        break;
      default:
        labels.push_back(FormatClock(tick, axis.style));
    }
  }
  return labels;
}

std::string AxisTitle(std::string_view label, const Axis& axis) {
  std::string format;
  switch (axis.style) {
    case TickStyle::kMinutes:
      format = "m:ss";
      break;
    case TickStyle::kHours:
      format = "h:mm";
      break;
    case TickStyle::kHoursSeconds:
      format = "h:mm:ss";
      break;
    default:
      return std::string(label);
  }
  const std::string lower = AsciiLower(label);
  for (std::string_view unit : {"(s)", "(seconds)", "(second)"}) {
    const size_t at = lower.find(unit);
    if (at != std::string::npos) {
      return std::string(label.substr(0, at)) + "(" + format + ")" +
             std::string(label.substr(at + unit.size()));
    }
  }
  return std::string(label) + " (" + format + ")";
}

}  // namespace sqsim::loadtest::report_internal
