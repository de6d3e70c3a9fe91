// Report: what a load test or a sweep shows, as data (JSON) and as a picture
// (a self-contained SVG, or an HTML page holding the SVG charts and the
// summary tables).
//
// The model is deliberately plain: a report is a title, summary tables and
// charts; a chart is a set of series over one x axis (virtual time in
// seconds for a run, the swept parameter for a sweep), plus optional state
// bands (an alarm's OK / ALARM / INSUFFICIENT_DATA over time). A load test
// (sqsim/loadtest/load_test.h) builds one from its result; users can build
// their own.

#ifndef SQSIM_LOADTEST_REPORT_H_
#define SQSIM_LOADTEST_REPORT_H_

#include <optional>
#include <string>
#include <vector>

namespace sqsim::loadtest {

// One line of a chart: y values at the chart's x values (nullopt: no value
// there, the line breaks). y[i] goes with x[i]; a y shorter than x is
// missing at the end, values past the end of x are not drawn. A NaN or
// infinite y (or x) counts as missing.
struct ChartSeries {
  std::string name{};
  std::vector<std::optional<double>> y{};
};

// A state over an interval of x, drawn as a coloured band under the chart
// (for example an alarm's state). `state` is free text; "ALARM", "OK" and
// "INSUFFICIENT_DATA" get CloudWatch's colours (red #d13212, green #1d8102,
// grey #879596); other states get further colours in order of their first
// appearance in the chart. The state's name is written in the span when it
// fits. A span is clipped to the chart's x axis; one whose end is not after
// its beginning is not drawn; a span of less than a pixel is drawn one
// pixel wide, so that a moment in ALARM stays visible.
struct StateSpan {
  double x_begin = 0;
  double x_end = 0;
  std::string state{};
};
struct StateBand {
  std::string name{};
  std::vector<StateSpan> spans{};
};

struct Chart {
  std::string title{};
  std::string x_label{};    // "virtual time (s)", "consumers"
  std::string y_label{};    // "messages", "seconds"
  std::vector<double> x{};  // increasing
  std::vector<ChartSeries> series{};
  std::vector<StateBand> bands{};
  // Plot y on a log10 scale (values <= 0 are left out; the y axis title
  // gets " (log scale)" appended).
  bool log_y = false;
};

// A two-column (or wider) table: the summary of a run, the cost report.
struct Table {
  std::string title{};
  std::vector<std::string> header{};
  std::vector<std::vector<std::string>> rows{};
};

struct Report {
  std::string title{};
  std::string subtitle{};  // what was run: seed, duration, parameters
  std::vector<Table> tables{};
  std::vector<Chart> charts{};
};

// The whole report as one JSON document (every series and table; a missing
// value is null). Deterministic: the same report gives the same bytes.
//
// Members appear in the order of the structs above, with the structs' names
// ("title", "subtitle", "tables", "charts"; a chart's "title", "x_label",
// "y_label", "log_y", "x", "series", "bands"; ...). Objects are written one
// member a line, indented by two spaces; arrays of numbers or strings (x, y,
// a header, a row) stay on one line. The text ends with a newline.
// Numbers are the shortest decimal that reads back as the same double; NaN
// and infinities, which JSON cannot express, are written as null like a
// missing value. Strings are escaped per RFC 8259 (\" \\ \b \f \n \r \t,
// \u00XX for other control characters); other characters are passed
// through as UTF-8, and bytes that are not UTF-8 become U+FFFD.
std::string ToJson(const Report& report);

// One chart as a self-contained SVG document (no scripts, no external
// fonts or styles), axes with ticks, a legend, and the state bands.
//
// Layout: 900 x 360 pixels, top to bottom the title, the legend, an 800 x
// 240 plot, one strip per state band (30 pixels each) under the plot,
// the x tick labels and the x axis title. The picture grows taller, never
// narrower, when the legend needs more than one row or there are bands, so
// that the plots of a page's charts line up.
//
// Axes: ticks every 1, 2 or 5 times a power of ten ("nice numbers"), the
// axis widened to whole ticks (0..97 is drawn 0..100), labels compact
// (950, 1.5k, 20M, 3G, 0.25). A linear y axis always includes zero. With
// log_y, y ticks are powers of ten and values <= 0 are left out (the line
// breaks there). When x_label says the x values are seconds of time (it
// contains "time" and "(s)" or "second", in any case) and they span two
// minutes or more, the x ticks fall on clock steps (15 s, 1 min, 5 min,
// 1 h, ...) and read m:ss while every tick is under an hour, h:mm past it
// (h:mm:ss if the step is under a minute); the axis title then says so
// ("virtual time (s)" is shown as "virtual time (h:mm)").
//
// Series: one polyline per unbroken run of values, a dot for a value alone
// between gaps, and a dot at every value of a series of at most 40 (a
// sweep's measurements). Colours are Okabe and Ito's colour-blind-safe
// palette; series past the seventh repeat them dashed. Runs are thinned
// to at most four points per pixel column (the first, lowest, highest and
// last of the column, in order), which draws the same picture: 10 series
// of 100,000 points render in tens of milliseconds, and a one-sample spike
// keeps its height.
//
// Output is deterministic and diffs cleanly: coordinates have one decimal,
// nothing depends on the locale or the clock. All text is escaped for XML;
// no input (empty, one point, NaN, infinities, +-1e308) yields a NaN
// coordinate or anything outside the viewBox.
std::string ToSvg(const Chart& chart);

// The whole report as one self-contained HTML page: the tables, then each
// chart's SVG inline. Opens in any browser without a network.
//
// HTML5 in UTF-8 with inline CSS and no scripts: the title as heading and
// page title, the subtitle (its line breaks kept), each Table as an HTML
// table (its title as caption; cells that start like a number, such as
// "1,250", "-3.5", "$0.40", are right-aligned), then each chart's ToSvg
// inline, scaled down to fit narrow windows. All text is escaped.
std::string ToHtml(const Report& report);

}  // namespace sqsim::loadtest

#endif  // SQSIM_LOADTEST_REPORT_H_
