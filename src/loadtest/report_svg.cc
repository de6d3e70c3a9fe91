// Chart -> SVG. Layout, top to bottom: the title, the legend (wrapping onto
// more rows when the names need them), the plot (a fixed 800 x 240 so that
// charts on one page line up), one strip per state band, the x tick labels
// and the x axis title. Without bands and with one legend row the picture
// is 900 x 360.
//
// Every number is printed with one decimal and every colour is a constant,
// so the same chart gives the same bytes and two runs' charts diff cleanly.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loadtest/report_axis.h"
#include "loadtest/report_text.h"
#include "sqsim/loadtest/report.h"

namespace sqsim::loadtest {
namespace {

using report_internal::Axis;
using report_internal::AxisTitle;
using report_internal::CharacterCount;
using report_internal::FormatFixed;
using report_internal::FormatShortest;
using report_internal::IsTimeInSeconds;
using report_internal::LinearAxis;
using report_internal::LogAxis;
using report_internal::TickLabels;
using report_internal::TickStyle;
using report_internal::TimeAxis;
using report_internal::Utf8SequenceLength;
using report_internal::XmlEscaped;

constexpr double kWidth = 900;
constexpr double kPlotLeft = 72;
constexpr double kPlotRight = kWidth - 28;
constexpr double kPlotWidth = kPlotRight - kPlotLeft;
constexpr double kPlotHeight = 240;
constexpr double kTitleX = 16;
constexpr double kTitleBaseline = 26;
constexpr double kLegendTop = 38;
constexpr double kLegendRowHeight = 18;
constexpr double kLegendGap = 14;  // between the legend and the plot
constexpr double kBandsGap = 6;    // between the plot and the first band
constexpr double kBandPitch = 30;  // a band's name (14) + strip (12) + gap (4)
constexpr double kBandStripOffset = 14;
constexpr double kBandStripHeight = 12;
constexpr double kBottomMargin = 50;  // x tick labels, x axis title, padding
constexpr int kXTargetTicks = 8;
constexpr int kYTargetTicks = 5;
// Series with at most this many points get a dot at each point: a sweep's
// few measured values should show as measurements, not just a line.
constexpr size_t kMaxPointsWithMarkers = 40;
constexpr size_t kMaxLegendNameCharacters = 48;

// Average advance of a character of the sans-serif fonts we ask for, per
// pixel of font size: enough to lay out the legend and decide whether a
// state's name fits in its span (SVG cannot measure text by itself).
constexpr double kCharacterWidthPerPixel = 0.6;

constexpr std::string_view kFontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
constexpr std::string_view kTextColor = "#16191f";
constexpr std::string_view kMutedTextColor = "#545b64";
constexpr std::string_view kGridColor = "#e9ebed";
constexpr std::string_view kMinorGridColor = "#f4f5f6";
constexpr std::string_view kAxisColor = "#687078";
constexpr std::string_view kZeroLineColor = "#aab7b8";
constexpr std::string_view kEmptyBandColor = "#f2f3f3";

// Okabe & Ito's colour-blind-safe palette without its yellow (too pale on
// white), black softened to charcoal. Series past the seventh repeat the
// colours with a dash pattern, so sixteen or more stay distinguishable.
constexpr std::string_view kSeriesColors[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00",
                                              "#cc79a7", "#56b4e9", "#333333"};
constexpr std::string_view kSeriesDashes[] = {"", "6 3", "2 3", "8 3 2 3"};

// CloudWatch's alarm state colours; other states take the fallback colours
// in order of first appearance in the chart (all dark enough for white
// text).
constexpr std::string_view kAlarmColor = "#d13212";
constexpr std::string_view kOkColor = "#1d8102";
constexpr std::string_view kInsufficientDataColor = "#879596";
constexpr std::string_view kFallbackStateColors[] = {"#0073bb", "#8c4fff", "#c45500", "#067f68",
                                                     "#5f6b7a"};

std::string N(double v) { return FormatFixed(v, 1); }

double TextWidth(std::string_view text, double font_size) {
  return static_cast<double>(CharacterCount(text)) * font_size * kCharacterWidthPerPixel;
}

// At most `max_characters` characters of `text`, cut at a character
// boundary, with an ellipsis when cut.
std::string Shortened(std::string_view text, size_t max_characters) {
  if (CharacterCount(text) <= max_characters) return std::string(text);
  size_t i = 0;
  for (size_t kept = 0; kept + 1 < max_characters && i < text.size(); ++kept) {
    size_t invalid = 0;
    const size_t length = Utf8SequenceLength(text, i, &invalid);
    i += length > 0 ? length : invalid;
  }
  return std::string(text.substr(0, i)) + "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
}

struct SeriesStyle {
  std::string_view color;
  std::string_view dash;
};

SeriesStyle StyleOf(size_t index) {
  constexpr size_t kColors = std::size(kSeriesColors);
  return {kSeriesColors[index % kColors],
          kSeriesDashes[(index / kColors) % std::size(kSeriesDashes)]};
}

std::string DashAttribute(std::string_view dash) {
  return dash.empty() ? "" : " stroke-dasharray=\"" + std::string(dash) + "\"";
}

struct LegendItem {
  double x = 0;
  double y = 0;  // the row's middle
  std::string text{};
};

// Flows the legend entries left to right from the plot's left edge, a new
// row when an entry would pass the plot's right edge.
std::vector<LegendItem> LayOutLegend(const Chart& chart, int* rows) {
  constexpr double kSwatch = 22;   // the line sample and the gap after it
  constexpr double kSpacing = 18;  // between entries
  std::vector<LegendItem> items;
  double x = kPlotLeft;
  int row = 0;
  for (const ChartSeries& series : chart.series) {
    std::string text = Shortened(series.name, kMaxLegendNameCharacters);
    const double width = kSwatch + TextWidth(text, 12);
    if (x > kPlotLeft && x + width > kPlotRight) {
      x = kPlotLeft;
      ++row;
    }
    items.push_back({x, kLegendTop + kLegendRowHeight * (row + 0.5), std::move(text)});
    x += width + kSpacing;
  }
  *rows = row + 1;  // one row even when empty, so charts line up on a page
  return items;
}

struct Frame {
  double plot_top = 0;
  double plot_bottom = 0;
  double bands_top = 0;
  double height = 0;
  Axis x_axis{};
  Axis y_axis{};
  bool log_y = false;

  double X(double x) const {
    const double px = kPlotLeft + (x - x_axis.lo) / (x_axis.hi - x_axis.lo) * kPlotWidth;
    return std::clamp(px, kPlotLeft, kPlotRight);
  }
  // The y position of a value in axis units (log10 units on a log axis).
  double YUnits(double units) const {
    const double py =
        plot_bottom - (units - y_axis.lo) / (y_axis.hi - y_axis.lo) * (plot_bottom - plot_top);
    return std::clamp(py, plot_top, plot_bottom);
  }
  double Y(double value) const { return YUnits(log_y ? std::log10(value) : value); }
};

// Whether point i of `series` can be drawn: it has an x and a finite y
// (positive on a log axis).
bool Plottable(const Chart& chart, const ChartSeries& series, size_t i) {
  if (i >= chart.x.size() || i >= series.y.size()) return false;
  const std::optional<double>& y = series.y[i];
  if (!y || !std::isfinite(*y) || !std::isfinite(chart.x[i])) return false;
  return !chart.log_y || *y > 0;
}

Axis MakeXAxis(const Chart& chart) {
  double lo = INFINITY, hi = -INFINITY;
  const auto include = [&](double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (double x : chart.x) include(x);
  if (lo > hi) {  // no x: a chart of bands only
    for (const StateBand& band : chart.bands) {
      for (const StateSpan& span : band.spans) {
        include(span.x_begin);
        include(span.x_end);
      }
    }
  }
  if (lo > hi) lo = hi = 0;
  if (IsTimeInSeconds(chart.x_label)) return TimeAxis(lo, hi, kXTargetTicks);
  return LinearAxis(lo, hi, kXTargetTicks);
}

// A linear y axis always includes zero: depths, rates and latencies are
// read against it, and a line that looks flat near the top of a zoomed
// axis misleads.
Axis MakeYAxis(const Chart& chart) {
  double lo = INFINITY, hi = -INFINITY;
  for (const ChartSeries& series : chart.series) {
    for (size_t i = 0; i < series.y.size(); ++i) {
      if (!Plottable(chart, series, i)) continue;
      lo = std::min(lo, *series.y[i]);
      hi = std::max(hi, *series.y[i]);
    }
  }
  if (chart.log_y) return lo <= hi ? LogAxis(lo, hi) : LogAxis(1, 10);
  if (lo > hi) return LinearAxis(0, 1, kYTargetTicks);
  return LinearAxis(std::min(lo, 0.0), std::max(hi, 0.0), kYTargetTicks);
}

class SvgWriter {
 public:
  explicit SvgWriter(const Chart& chart) : chart_(chart) {}

  std::string Render() {
    int legend_rows = 0;
    const std::vector<LegendItem> legend = LayOutLegend(chart_, &legend_rows);
    f_.plot_top = kLegendTop + legend_rows * kLegendRowHeight + kLegendGap;
    f_.plot_bottom = f_.plot_top + kPlotHeight;
    f_.bands_top = f_.plot_bottom + kBandsGap;
    const double bands_height =
        chart_.bands.empty() ? 0
                             : kBandsGap + kBandPitch * static_cast<double>(chart_.bands.size());
    f_.height = f_.plot_bottom + bands_height + kBottomMargin;
    f_.x_axis = MakeXAxis(chart_);
    f_.y_axis = MakeYAxis(chart_);
    f_.log_y = chart_.log_y;

    Open();
    DrawGrid();
    DrawAxisLabels(f_.plot_bottom + bands_height);
    DrawSeries();
    DrawLegend(legend);
    DrawBands();
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  void Open() {
    const std::string height = FormatFixed(f_.height, 0);
    out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + FormatFixed(kWidth, 0) +
            "\" height=\"" + height + "\" viewBox=\"0 0 " + FormatFixed(kWidth, 0) + " " + height +
            "\" font-family=\"" + std::string(kFontFamily) + "\" font-size=\"12\" role=\"img\">\n";
    out_ += "<title>" + XmlEscaped(chart_.title) + "</title>\n";
    out_ +=
        "<rect width=\"" + N(kWidth) + "\" height=\"" + N(f_.height) + "\" fill=\"#ffffff\"/>\n";
    out_ += "<text x=\"" + N(kTitleX) + "\" y=\"" + N(kTitleBaseline) +
            "\" font-size=\"15\" font-weight=\"600\" fill=\"" + std::string(kTextColor) + "\">" +
            XmlEscaped(chart_.title) + "</text>\n";
  }

  void Line(double x1, double y1, double x2, double y2, std::string_view color) {
    out_ += "<line x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) + "\" y2=\"" + N(y2) +
            "\" stroke=\"" + std::string(color) + "\"/>\n";
  }

  void DrawGrid() {
    out_ += "<g class=\"grid\" stroke-width=\"1\">\n";
    const Axis& y = f_.y_axis;
    if (y.style == TickStyle::kPowerOfTen && y.step == 1 && y.hi - y.lo <= 4) {
      // Minor lines at 2..9 times each power of ten show the log scale.
      for (double decade = y.lo; decade < y.hi; ++decade) {
        for (int k = 2; k <= 9; ++k) {
          const double py = f_.YUnits(decade + std::log10(k));
          Line(kPlotLeft, py, kPlotRight, py, kMinorGridColor);
        }
      }
    }
    for (double tick : y.ticks) {
      const bool zero = y.style == TickStyle::kNumber && tick == 0 && y.lo < 0;
      const double py = f_.YUnits(tick);
      Line(kPlotLeft, py, kPlotRight, py, zero ? kZeroLineColor : kGridColor);
    }
    for (double tick : f_.x_axis.ticks) {
      const double px = f_.X(tick);
      Line(px, f_.plot_top, px, f_.plot_bottom, kGridColor);
    }
    Line(kPlotLeft, f_.plot_bottom, kPlotRight, f_.plot_bottom, kAxisColor);
    out_ += "</g>\n";
  }

  void DrawAxisLabels(double x_labels_top) {
    const std::string muted(kMutedTextColor);
    out_ += "<g class=\"y-ticks\" font-size=\"11\" fill=\"" + muted + "\" text-anchor=\"end\">\n";
    const std::vector<std::string> y_labels = TickLabels(f_.y_axis);
    for (size_t i = 0; i < y_labels.size(); ++i) {
      out_ += "<text x=\"" + N(kPlotLeft - 8) + "\" y=\"" + N(f_.YUnits(f_.y_axis.ticks[i]) + 4) +
              "\">" + XmlEscaped(y_labels[i]) + "</text>\n";
    }
    out_ += "</g>\n";
    out_ +=
        "<g class=\"x-ticks\" font-size=\"11\" fill=\"" + muted + "\" text-anchor=\"middle\">\n";
    const std::vector<std::string> x_labels = TickLabels(f_.x_axis);
    for (size_t i = 0; i < x_labels.size(); ++i) {
      out_ += "<text x=\"" + N(f_.X(f_.x_axis.ticks[i])) + "\" y=\"" + N(x_labels_top + 16) +
              "\">" + XmlEscaped(x_labels[i]) + "</text>\n";
    }
    out_ += "</g>\n";
    const std::string x_title = AxisTitle(chart_.x_label, f_.x_axis);
    if (!x_title.empty()) {
      out_ += "<text x=\"" + N((kPlotLeft + kPlotRight) / 2) + "\" y=\"" + N(x_labels_top + 36) +
              "\" text-anchor=\"middle\" fill=\"" + std::string(kTextColor) + "\">" +
              XmlEscaped(x_title) + "</text>\n";
    }
    std::string y_title = chart_.y_label;
    if (chart_.log_y && !y_title.empty()) y_title += " (log scale)";
    if (!y_title.empty()) {
      const std::string x = N(18), y = N((f_.plot_top + f_.plot_bottom) / 2);
      out_ += "<text x=\"" + x + "\" y=\"" + y + "\" transform=\"rotate(-90 " + x + " " + y +
              ")\" text-anchor=\"middle\" fill=\"" + std::string(kTextColor) + "\">" +
              XmlEscaped(y_title) + "</text>\n";
    }
  }

  bool HasPlottablePoint() const {
    for (const ChartSeries& series : chart_.series) {
      for (size_t i = 0; i < series.y.size(); ++i) {
        if (Plottable(chart_, series, i)) return true;
      }
    }
    return false;
  }

  void DrawSeries() {
    if (!HasPlottablePoint()) {
      out_ += "<text x=\"" + N((kPlotLeft + kPlotRight) / 2) + "\" y=\"" +
              N((f_.plot_top + f_.plot_bottom) / 2) + "\" text-anchor=\"middle\" fill=\"" +
              std::string(kMutedTextColor) + "\">no data</text>\n";
      return;
    }
    for (size_t s = 0; s < chart_.series.size(); ++s) DrawOneSeries(s);
  }

  // One <polyline> per unbroken run of points (a missing value breaks the
  // line), a dot for a point alone between gaps. A run is thinned per
  // pixel column: of the points falling in one column only the first, the
  // lowest, the highest and the last are kept, in their order. That draws
  // the same picture (a column is one pixel wide) with at most four points
  // a column, so 100,000 points cost no more than 3,200, and a one-sample
  // spike still reaches its height.
  void DrawOneSeries(size_t index) {
    const ChartSeries& series = chart_.series[index];
    const SeriesStyle style = StyleOf(index);
    size_t plottable = 0;
    for (size_t i = 0; i < series.y.size(); ++i) plottable += Plottable(chart_, series, i);
    const bool markers = plottable <= kMaxPointsWithMarkers;
    out_ += "<g class=\"series\" fill=\"none\" stroke=\"" + std::string(style.color) +
            "\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
            DashAttribute(style.dash) + ">\n<title>" + XmlEscaped(series.name) + "</title>\n";
    std::vector<std::pair<double, double>> run;
    const size_t n = std::min(chart_.x.size(), series.y.size());
    for (size_t i = 0; i <= n; ++i) {
      if (i < n && Plottable(chart_, series, i)) {
        run.push_back({f_.X(chart_.x[i]), f_.Y(*series.y[i])});
        continue;
      }
      if (!run.empty()) DrawRun(run, style, markers);
      run.clear();
    }
    out_ += "</g>\n";
  }

  void DrawRun(const std::vector<std::pair<double, double>>& run, const SeriesStyle& style,
               bool markers) {
    std::vector<std::string> points;
    const auto keep = [&](const std::pair<double, double>& p) {
      std::string point = N(p.first) + "," + N(p.second);
      if (points.empty() || points.back() != point) points.push_back(std::move(point));
    };
    size_t begin = 0;
    while (begin < run.size()) {
      const int64_t column = static_cast<int64_t>(std::floor(run[begin].first));
      size_t end = begin, lowest = begin, highest = begin;
      while (end < run.size() && static_cast<int64_t>(std::floor(run[end].first)) == column) {
        // Screen y grows downwards: the lowest value has the largest y.
        if (run[end].second > run[lowest].second) lowest = end;
        if (run[end].second < run[highest].second) highest = end;
        ++end;
      }
      size_t kept[] = {begin, lowest, highest, end - 1};
      std::sort(std::begin(kept), std::end(kept));
      for (size_t k = 0; k < std::size(kept); ++k) {
        if (k == 0 || kept[k] != kept[k - 1]) keep(run[kept[k]]);
      }
      begin = end;
    }
    if (points.size() > 1) {
      out_ += "<polyline points=\"";
      for (size_t k = 0; k < points.size(); ++k) {
        if (k > 0) out_ += ' ';
        out_ += points[k];
      }
      out_ += "\"/>\n";
    }
    const auto dot = [&](const std::string& point) {
      const size_t comma = point.find(',');
      out_ += "<circle cx=\"" + point.substr(0, comma) + "\" cy=\"" + point.substr(comma + 1) +
              "\" r=\"2.5\" fill=\"" + std::string(style.color) + "\" stroke=\"none\"/>\n";
    };
    if (markers) {
      for (const std::pair<double, double>& p : run) dot(N(p.first) + "," + N(p.second));
    } else if (points.size() == 1) {
      dot(points[0]);
    }
  }

  void DrawLegend(const std::vector<LegendItem>& items) {
    if (items.empty()) return;
    out_ += "<g class=\"legend\" fill=\"" + std::string(kTextColor) + "\">\n";
    for (size_t i = 0; i < items.size(); ++i) {
      const SeriesStyle style = StyleOf(i);
      const LegendItem& item = items[i];
      out_ += "<line x1=\"" + N(item.x) + "\" y1=\"" + N(item.y) + "\" x2=\"" + N(item.x + 16) +
              "\" y2=\"" + N(item.y) + "\" stroke=\"" + std::string(style.color) +
              "\" stroke-width=\"2.5\"" + DashAttribute(style.dash) + "/>\n";
      out_ += "<text x=\"" + N(item.x + 22) + "\" y=\"" + N(item.y + 4) + "\">" +
              XmlEscaped(item.text) + "</text>\n";
    }
    out_ += "</g>\n";
  }

  std::string_view StateColor(const std::string& state) {
    if (state == "ALARM") return kAlarmColor;
    if (state == "OK") return kOkColor;
    if (state == "INSUFFICIENT_DATA") return kInsufficientDataColor;
    auto [it, inserted] = other_states_.try_emplace(state, other_states_.size());
    return kFallbackStateColors[it->second % std::size(kFallbackStateColors)];
  }

  void DrawBands() {
    for (size_t b = 0; b < chart_.bands.size(); ++b) {
      const StateBand& band = chart_.bands[b];
      const double top = f_.bands_top + kBandPitch * static_cast<double>(b);
      const double strip = top + kBandStripOffset;
      out_ += "<g class=\"band\">\n<text x=\"" + N(kPlotLeft) + "\" y=\"" + N(top + 10) +
              "\" font-size=\"11\" fill=\"" + std::string(kMutedTextColor) + "\">" +
              XmlEscaped(band.name) + "</text>\n";
      out_ += "<rect x=\"" + N(kPlotLeft) + "\" y=\"" + N(strip) + "\" width=\"" + N(kPlotWidth) +
              "\" height=\"" + N(kBandStripHeight) + "\" fill=\"" + std::string(kEmptyBandColor) +
              "\"/>\n";
      for (const StateSpan& span : band.spans) DrawSpan(span, strip);
      out_ += "</g>\n";
    }
  }

  void DrawSpan(const StateSpan& span, double strip) {
    if (std::isnan(span.x_begin) || std::isnan(span.x_end) || !(span.x_end > span.x_begin)) {
      return;
    }
    const double begin = std::max(span.x_begin, f_.x_axis.lo);
    const double end = std::min(span.x_end, f_.x_axis.hi);
    if (!(end > begin)) return;
    const double left = f_.X(begin);
    // A moment in ALARM must stay visible however short.
    const double width = std::max(f_.X(end) - left, 1.0);
    const std::string_view color = StateColor(span.state);
    out_ += "<rect x=\"" + N(left) + "\" y=\"" + N(strip) + "\" width=\"" + N(width) +
            "\" height=\"" + N(kBandStripHeight) + "\" fill=\"" + std::string(color) +
            "\"><title>" + XmlEscaped(span.state) + " from " + FormatShortest(begin) + " to " +
            FormatShortest(end) + "</title></rect>\n";
    constexpr double kStateFontSize = 9;
    if (TextWidth(span.state, kStateFontSize) + 8 <= width) {
      out_ += "<text x=\"" + N(left + width / 2) + "\" y=\"" + N(strip + 9) +
              "\" font-size=\"9\" fill=\"#ffffff\" text-anchor=\"middle\">" +
              XmlEscaped(span.state) + "</text>\n";
    }
  }

  const Chart& chart_;
  Frame f_{};
  std::string out_{};
  // Fallback colour index of each state that is not one of CloudWatch's.
  std::map<std::string, size_t> other_states_{};
};

}  // namespace

std::string ToSvg(const Chart& chart) { return SvgWriter(chart).Render(); }

}  // namespace sqsim::loadtest
