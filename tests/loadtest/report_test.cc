// Report writers: ToJson's exact text and escaping, ToSvg's well-formedness
// on edge cases and what it draws, the axes' ticks, and ToHtml's content.

#include "sqsim/loadtest/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "loadtest/report_axis.h"
#include "loadtest/report_text.h"

namespace sqsim::loadtest {
namespace report_test {

using report_internal::Axis;
using report_internal::AxisTitle;
using report_internal::LinearAxis;
using report_internal::LogAxis;
using report_internal::TickLabels;
using report_internal::TimeAxis;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// ---- A small XML reader, just enough to check the SVG ---------------------

struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;  // character data directly inside, entities left as is
};

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == ':';
}

// Whether text[i] ('&') starts a reference XML knows without a DTD.
bool IsReference(std::string_view text, size_t i) {
  const size_t semicolon = text.find(';', i);
  if (semicolon == std::string_view::npos) return false;
  const std::string_view name = text.substr(i + 1, semicolon - i - 1);
  if (name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos") {
    return true;
  }
  if (name.size() < 2 || name[0] != '#') return false;
  for (char c : name.substr(1)) {
    if (!((c >= '0' && c <= '9') || c == 'x')) return false;
  }
  return true;
}

// Reads `text` as XML: one root element, every tag closed in order,
// attributes quoted, every '&' a reference, no '<' in attribute values.
// Returns what is wrong, or "" (and every element, in document order).
std::string ReadXml(std::string_view text, std::vector<Element>* elements) {
  std::vector<size_t> open;  // indices into *elements
  bool root_done = false;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '&' && !IsReference(text, i)) return "bad reference at " + std::to_string(i);
    if (c != '<') {
      if (open.empty()) {
        if (c != ' ' && c != '\n') return "text outside the root at " + std::to_string(i);
      } else {
        (*elements)[open.back()].text.push_back(c);
      }
      ++i;
      continue;
    }
    if (text.substr(i, 2) == "</") {
      size_t end = i + 2;
      while (end < text.size() && IsNameCharacter(text[end])) ++end;
      const std::string name(text.substr(i + 2, end - i - 2));
      if (end >= text.size() || text[end] != '>') return "bad end tag at " + std::to_string(i);
      if (open.empty() || (*elements)[open.back()].name != name) {
        return "unbalanced </" + name + "> at " + std::to_string(i);
      }
      open.pop_back();
      if (open.empty()) root_done = true;
      i = end + 1;
      continue;
    }
    if (root_done) return "a second root at " + std::to_string(i);
    size_t at = i + 1;
    while (at < text.size() && IsNameCharacter(text[at])) ++at;
    Element element{std::string(text.substr(i + 1, at - i - 1)), {}, {}};
    if (element.name.empty()) return "bad start tag at " + std::to_string(i);
    bool self_closing = false;
    while (true) {
      while (at < text.size() && (text[at] == ' ' || text[at] == '\n')) ++at;
      if (at >= text.size()) return "unterminated tag " + element.name;
      if (text.substr(at, 2) == "/>") {
        self_closing = true;
        at += 2;
        break;
      }
      if (text[at] == '>') {
        ++at;
        break;
      }
      const size_t name_begin = at;
      while (at < text.size() && IsNameCharacter(text[at])) ++at;
      const std::string attribute(text.substr(name_begin, at - name_begin));
      if (attribute.empty() || text.substr(at, 2) != "=\"") {
        return "bad attribute in " + element.name + " at " + std::to_string(at);
      }
      const size_t value_begin = at + 2;
      const size_t value_end = text.find('"', value_begin);
      if (value_end == std::string_view::npos) return "unterminated attribute " + attribute;
      const std::string_view value = text.substr(value_begin, value_end - value_begin);
      if (value.find('<') != std::string_view::npos) return "'<' in attribute " + attribute;
      for (size_t k = 0; k < value.size(); ++k) {
        if (value[k] == '&' && !IsReference(value, k)) return "bad reference in " + attribute;
      }
      if (!element.attributes.emplace(attribute, std::string(value)).second) {
        return "duplicate attribute " + attribute;
      }
      at = value_end + 1;
    }
    elements->push_back(std::move(element));
    if (!self_closing) {
      open.push_back(elements->size() - 1);
    } else if (open.empty()) {
      root_done = true;
    }
    i = at;
  }
  if (!open.empty()) return "unclosed <" + (*elements)[open.back()].name + ">";
  if (!root_done) return "no root element";
  return "";
}

std::vector<double> Numbers(std::string_view text) {
  std::vector<double> numbers;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == ',') {
      ++i;
      continue;
    }
    double value = kNaN;
    const auto result = std::from_chars(text.data() + i, text.data() + text.size(), value);
    if (result.ec != std::errc()) return {kNaN};
    numbers.push_back(value);
    i = static_cast<size_t>(result.ptr - text.data());
  }
  return numbers;
}

// The x and y coordinates an element puts on the canvas.
std::vector<std::pair<double, double>> Positions(const Element& e) {
  std::vector<std::pair<double, double>> positions;
  const auto number = [&](const char* name) {
    const std::vector<double> n = Numbers(e.attributes.at(name));
    return n.size() == 1 ? n[0] : kNaN;
  };
  const auto has = [&](const char* name) { return e.attributes.count(name) > 0; };
  if (e.name == "polyline") {
    const std::vector<double> n = Numbers(e.attributes.at("points"));
    if (n.size() % 2 != 0) return {{kNaN, kNaN}};
    for (size_t k = 0; k < n.size(); k += 2) positions.push_back({n[k], n[k + 1]});
  } else if (e.name == "circle") {
    positions.push_back({number("cx"), number("cy")});
  } else if (e.name == "line") {
    positions.push_back({number("x1"), number("y1")});
    positions.push_back({number("x2"), number("y2")});
  } else if ((e.name == "rect" || e.name == "text") && has("x")) {
    positions.push_back({number("x"), number("y")});
    if (has("width")) positions.push_back({number("x") + number("width"), number("y")});
  }
  return positions;
}

// "" when `svg` is well-formed XML with an <svg> root, mentions no NaN or
// infinity, and draws everything inside its viewBox; else what is wrong.
std::string SvgProblem(const std::string& svg) {
  std::string lower = svg;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("nan") != std::string::npos) return "mentions nan";
  if (lower.find("inf") != std::string::npos) return "mentions inf";
  std::vector<Element> elements;
  const std::string problem = ReadXml(svg, &elements);
  if (!problem.empty()) return problem;
  if (elements[0].name != "svg") return "the root is not <svg>";
  const std::vector<double> view_box = Numbers(elements[0].attributes["viewBox"]);
  if (view_box.size() != 4 || view_box[0] != 0 || view_box[1] != 0) return "bad viewBox";
  for (const Element& e : elements) {
    for (const auto& [x, y] : Positions(e)) {
      if (!(x >= 0 && x <= view_box[2] && y >= 0 && y <= view_box[3])) {
        return "<" + e.name + "> at (" + std::to_string(x) + ", " + std::to_string(y) +
               ") outside the viewBox";
      }
    }
  }
  return "";
}

std::vector<Element> Elements(const std::string& svg) {
  std::vector<Element> elements;
  EXPECT_EQ(ReadXml(svg, &elements), "");
  return elements;
}

std::vector<Element> ElementsNamed(const std::string& svg, std::string_view name) {
  std::vector<Element> named;
  for (Element& e : Elements(svg)) {
    if (e.name == name) named.push_back(std::move(e));
  }
  return named;
}

// The texts of the <text> elements inside the <g class="..."> group.
std::vector<std::string> GroupTexts(const std::string& svg, std::string_view group_class) {
  const std::string open = "<g class=\"" + std::string(group_class) + "\"";
  const size_t begin = svg.find(open);
  if (begin == std::string::npos) return {};
  const size_t end = svg.find("</g>", begin);
  std::vector<std::string> texts;
  for (const Element& e : Elements("<svg>" + svg.substr(begin, end + 4 - begin) + "</svg>")) {
    if (e.name == "text") texts.push_back(e.text);
  }
  return texts;
}

size_t Count(std::string_view text, std::string_view what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

std::vector<double> Ramp(size_t n) {
  std::vector<double> x;
  for (size_t i = 0; i < n; ++i) x.push_back(static_cast<double>(i));
  return x;
}

std::vector<std::optional<double>> Values(std::initializer_list<double> values) {
  return std::vector<std::optional<double>>(values.begin(), values.end());
}

Chart LineChart(size_t series, size_t points) {
  Chart chart{.title = "lines", .x_label = "step", .y_label = "messages"};
  chart.x = Ramp(points);
  for (size_t s = 0; s < series; ++s) {
    ChartSeries line{.name = "series " + std::to_string(s)};
    for (size_t i = 0; i < points; ++i) line.y.push_back(static_cast<double>(i * (s + 1) % 17));
    chart.series.push_back(std::move(line));
  }
  return chart;
}

// The checker the SVG tests rely on must itself catch what it looks for.
TEST(ReportSvgCheck, RejectsBrokenOrOutOfBoundsSvg) {
  const std::string head = "<svg viewBox=\"0 0 100 50\">";
  EXPECT_EQ(SvgProblem(head + "<polyline points=\"1.0,2.0 99.5,49.5\"/></svg>"), "");
  EXPECT_NE(SvgProblem(head + "<g><polyline points=\"1,2\"/></svg>"), "");
  EXPECT_NE(SvgProblem(head + "<text x=\"1\" y=\"2\">a & b</text></svg>"), "");
  EXPECT_NE(SvgProblem(head + "<polyline points=\"1,2 101,3\"/></svg>"), "");
  EXPECT_NE(SvgProblem(head + "<circle cx=\"nan\" cy=\"1\"/></svg>"), "");
  EXPECT_NE(SvgProblem(head + "<line x1=\"0\" y1=\"0\" x2=\"3\" y2=\"-1\"/></svg>"), "");
}

// ---- ToJson ----------------------------------------------------------------

TEST(ReportJson, WritesATinyReportExactly) {
  Report report{.title = "run", .subtitle = "seed 7"};
  report.tables.push_back(
      {.title = "summary", .header = {"metric", "value"}, .rows = {{"sent", "3"}}});
  Chart chart{.title = "depth", .x_label = "virtual time (s)", .y_label = "messages"};
  chart.x = {0, 60.5};
  chart.series.push_back({.name = "visible", .y = {2, std::nullopt}});
  chart.bands.push_back({.name = "alarm", .spans = {{.x_begin = 0, .x_end = 60.5, .state = "OK"}}});
  report.charts.push_back(chart);

  EXPECT_EQ(ToJson(report), R"json({
  "title": "run",
  "subtitle": "seed 7",
  "tables": [
    {
      "title": "summary",
      "header": ["metric", "value"],
      "rows": [
        ["sent", "3"]
      ]
    }
  ],
  "charts": [
    {
      "title": "depth",
      "x_label": "virtual time (s)",
      "y_label": "messages",
      "log_y": false,
      "x": [0, 60.5],
      "series": [
        {
          "name": "visible",
          "y": [2, null]
        }
      ],
      "bands": [
        {
          "name": "alarm",
          "spans": [
            {
              "x_begin": 0,
              "x_end": 60.5,
              "state": "OK"
            }
          ]
        }
      ]
    }
  ]
}
)json");
}

TEST(ReportJson, WritesAnEmptyReportWithEmptyArrays) {
  EXPECT_EQ(ToJson(Report{}),
            "{\n  \"title\": \"\",\n  \"subtitle\": \"\",\n  "
            "\"tables\": [],\n  \"charts\": []\n}\n");
}

TEST(ReportJson, EscapesQuotesBackslashesAndControlCharacters) {
  const Report report{.title = std::string("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f", 14)};
  EXPECT_NE(ToJson(report).find(R"("title": "q\"b\\s/\b\f\n\r\t\u0001\u001f)"
                                "\x7f\""),
            std::string::npos)
      << ToJson(report);
}

TEST(ReportJson, EscapesAControlCharacterInTheMiddleOfTheString) {
  const Report report{.title = std::string("a\0b", 3)};
  EXPECT_NE(ToJson(report).find(R"("title": "a\u0000b")"), std::string::npos);
}

TEST(ReportJson, PassesNonAsciiThroughAsUtf8) {
  const std::string text = "d\xC3\xA9j\xC3\xA0 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\x88";
  const Report report{.title = text};
  EXPECT_NE(ToJson(report).find("\"title\": \"" + text + "\""), std::string::npos);
}

TEST(ReportJson, ReplacesBytesThatAreNotUtf8) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a
  // surrogate.
  const Report report{.title = "a\x80z\xE6\x97z\xC0\xAFz\xED\xA0\x80z"};
  EXPECT_NE(ToJson(report).find("\"title\": \"a\xEF\xBF\xBDz\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBDz"
                                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\""),
            std::string::npos)
      << ToJson(report);
}

TEST(ReportJson, WritesMissingValuesAsNull) {
  Report report;
  report.charts.push_back(
      {.x = {1, 2, 3}, .series = {{.name = "s", .y = {std::nullopt, 4, std::nullopt}}}});
  EXPECT_NE(ToJson(report).find("\"y\": [null, 4, null]"), std::string::npos);
}

TEST(ReportJson, WritesNonFiniteValuesAsNull) {
  Report report;
  Chart chart{.x = {kNaN, 1, kInfinity}};
  chart.series.push_back({.name = "s", .y = {-kInfinity, kNaN, 2}});
  chart.bands.push_back(
      {.name = "b", .spans = {{.x_begin = -kInfinity, .x_end = kNaN, .state = "OK"}}});
  report.charts.push_back(chart);
  const std::string json = ToJson(report);
  EXPECT_NE(json.find("\"x\": [null, 1, null]"), std::string::npos);
  EXPECT_NE(json.find("\"y\": [null, null, 2]"), std::string::npos);
  EXPECT_NE(json.find("\"x_begin\": null"), std::string::npos);
  EXPECT_NE(json.find("\"x_end\": null"), std::string::npos);
}

TEST(ReportJson, PrintsNumbersThatReadBackExactly) {
  const std::vector<double> values = {0.1,  1.0 / 3, -2.5e-300, 123456789.125,
                                      1e21, 6.02e23, 4.9e-324,  1.7976931348623157e308};
  Report report;
  report.charts.push_back({.x = values});
  const std::string json = ToJson(report);
  const size_t begin = json.find("\"x\": [") + 6;
  const std::vector<double> read = Numbers(json.substr(begin, json.find(']', begin) - begin));
  EXPECT_EQ(read, values);
}

// ---- Axes ------------------------------------------------------------------

TEST(ReportAxis, NiceTicksForZeroToNinetySevenAreSteppedByTwenty) {
  EXPECT_EQ(LinearAxis(0, 97, 5).ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
}

TEST(ReportAxis, NiceTicksForAUnitRangeAreSteppedByFifths) {
  EXPECT_EQ(TickLabels(LinearAxis(0, 1, 5)),
            (std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1"}));
}

TEST(ReportAxis, NiceTicksAcrossZeroAreSteppedByFive) {
  EXPECT_EQ(LinearAxis(-3.2, 7.9, 5).ticks, (std::vector<double>{-5, 0, 5, 10}));
}

TEST(ReportAxis, TickLabelsUseSiSuffixes) {
  EXPECT_EQ(TickLabels(LinearAxis(0, 1400, 5)),
            (std::vector<std::string>{"0", "500", "1k", "1.5k"}));
  EXPECT_EQ(TickLabels(LinearAxis(0, 2.6e6, 5)), (std::vector<std::string>{"0", "1M", "2M", "3M"}));
  EXPECT_EQ(TickLabels(LinearAxis(0, 4e9, 5)),
            (std::vector<std::string>{"0", "1G", "2G", "3G", "4G"}));
}

TEST(ReportAxis, AOneValueRangeIsWidenedAroundIt) {
  const Axis axis = LinearAxis(50, 50, 5);
  EXPECT_LT(axis.lo, 50);
  EXPECT_GT(axis.hi, 50);
  const Axis zero = LinearAxis(0, 0, 5);
  EXPECT_EQ(zero.lo, 0);
  EXPECT_EQ(zero.hi, 1);
}

TEST(ReportAxis, LogTicksArePowersOfTen) {
  const Axis axis = LogAxis(3, 4500);
  EXPECT_EQ(TickLabels(axis), (std::vector<std::string>{"1", "10", "100", "1k", "10k"}));
}

TEST(ReportAxis, LogTicksSkipDecadesWhenThereAreMany) {
  EXPECT_EQ(TickLabels(LogAxis(1e-6, 1e6)),
            (std::vector<std::string>{"1e-6", "1e-4", "0.01", "1", "100", "10k", "1M"}));
}

TEST(ReportAxis, ShortTimeSpansAreLabelledInSeconds) {
  EXPECT_EQ(TickLabels(TimeAxis(0, 90, 8)),
            (std::vector<std::string>{"0", "10", "20", "30", "40", "50", "60", "70", "80", "90"}));
}

TEST(ReportAxis, TimeSpansUnderAnHourAreLabelledAsMinutesAndSeconds) {
  const Axis axis = TimeAxis(0, 600, 8);
  EXPECT_EQ(TickLabels(axis),
            (std::vector<std::string>{"0:00", "2:00", "4:00", "6:00", "8:00", "10:00"}));
  EXPECT_EQ(AxisTitle("virtual time (s)", axis), "virtual time (m:ss)");
}

TEST(ReportAxis, LongTimeSpansAreLabelledAsHoursAndMinutes) {
  const Axis axis = TimeAxis(0, 7000, 8);
  EXPECT_EQ(TickLabels(axis), (std::vector<std::string>{"0:00", "0:30", "1:00", "1:30", "2:00"}));
  EXPECT_EQ(AxisTitle("virtual time (s)", axis), "virtual time (h:mm)");
  EXPECT_EQ(AxisTitle("time in seconds", axis), "time in seconds (h:mm)");
}

// ---- ToSvg -----------------------------------------------------------------

struct EdgeCase {
  std::string name;
  Chart chart;
};

void PrintTo(const EdgeCase& edge_case, std::ostream* os) { *os << edge_case.name; }

std::vector<EdgeCase> EdgeCases() {
  std::vector<EdgeCase> cases;
  cases.push_back({"NoSeries", Chart{.title = "empty", .x = {0, 1, 2}}});
  cases.push_back({"NothingAtAll", Chart{}});
  cases.push_back({"EmptyX", Chart{.series = {{.name = "s", .y = Values({1, 2, 3})}}}});
  cases.push_back({"OnePoint", Chart{.x = {5}, .series = {{.name = "s", .y = Values({7})}}}});
  cases.push_back(
      {"AllEqualY", Chart{.x = Ramp(4), .series = {{.name = "s", .y = Values({3, 3, 3, 3})}}}});
  cases.push_back(
      {"AllZeroY", Chart{.x = Ramp(3), .series = {{.name = "s", .y = Values({0, 0, 0})}}}});
  cases.push_back(
      {"AllMissingY",
       Chart{.x = Ramp(3),
             .series = {{.name = "s", .y = {std::nullopt, std::nullopt, std::nullopt}}}}});
  cases.push_back(
      {"NegativeValues",
       Chart{.x = Ramp(4), .series = {{.name = "s", .y = Values({-5, -1e4, 2, -0.5})}}}});
  cases.push_back({"HugeRange", Chart{.x = {-1e308, 0, 1e308},
                                      .series = {{.name = "s",
                                                  .y = Values({-1.7976931348623157e308, 4.9e-324,
                                                               1.7976931348623157e308})}}}});
  cases.push_back(
      {"TinyRange", Chart{.x = {1, 1 + 1e-12, 1 + 2e-12},
                          .series = {{.name = "s", .y = Values({1e-300, 2e-300, 0})}}}});
  cases.push_back(
      {"NonFiniteValues",
       Chart{
           .x = {0, kNaN, 2, kInfinity, 4},
           .series = {{.name = "s", .y = Values({kNaN, 1, -kInfinity, 3, kInfinity})}},
           .bands = {{.name = "b",
                      .spans = {{.x_begin = kNaN, .x_end = 1, .state = "OK"},
                                {.x_begin = -kInfinity, .x_end = kInfinity, .state = "ALARM"}}}}}});
  cases.push_back(
      {"YLongerThanX", Chart{.x = {0, 1}, .series = {{.name = "s", .y = Values({1, 2, 3, 4})}}}});
  cases.push_back({"XNotIncreasing",
                   Chart{.x = {3, 1, 2, 0}, .series = {{.name = "s", .y = Values({1, 2, 3, 4})}}}});
  cases.push_back(
      {"LogWithNothingPositive",
       Chart{.x = Ramp(3), .series = {{.name = "s", .y = Values({0, -1, -2})}}, .log_y = true}});
  cases.push_back(
      {"LogHugeRange", Chart{.x = Ramp(3),
                             .series = {{.name = "s", .y = Values({4.9e-324, 1, 1e308})}},
                             .log_y = true}});
  cases.push_back(
      {"BandsOnly",
       Chart{.x_label = "virtual time (s)",
             .bands = {{.name = "alarm",
                        .spans = {{.x_begin = 0, .x_end = 600, .state = "OK"},
                                  {.x_begin = 900, .x_end = 600, .state = "ALARM"}}}}}});
  cases.push_back({"SpansOutsideTheAxis",
                   Chart{.x = Ramp(3),
                         .series = {{.name = "s", .y = Values({1, 2, 3})}},
                         .bands = {{.name = "b",
                                    .spans = {{.x_begin = -50, .x_end = -10, .state = "OK"},
                                              {.x_begin = -5, .x_end = 500, .state = "ALARM"}}}}}});
  cases.push_back(
      {"LongAndOddNames",
       Chart{.title = "<&>\"'\x01\xff",
             .x_label = std::string(300, 'x'),
             .y_label = "]]>",
             .x = Ramp(2),
             .series = {{.name = std::string(200, 'n') + "\xE6\x97\xA5", .y = Values({1, 2})}}}});
  cases.push_back({"ManySeries", LineChart(30, 50)});
  return cases;
}

class ReportSvgEdgeCaseTest : public ::testing::TestWithParam<EdgeCase> {};

TEST_P(ReportSvgEdgeCaseTest, IsWellFormedAndDrawsInsideTheViewBox) {
  EXPECT_EQ(SvgProblem(ToSvg(GetParam().chart)), "");
}

INSTANTIATE_TEST_SUITE_P(ReportSvg, ReportSvgEdgeCaseTest, ::testing::ValuesIn(EdgeCases()),
                         [](const ::testing::TestParamInfo<EdgeCase>& info) {
                           return info.param.name;
                         });

TEST(ReportSvg, IsNineHundredByThreeHundredSixtyWithoutBands) {
  const Element root = Elements(ToSvg(LineChart(2, 10)))[0];
  EXPECT_EQ(root.attributes.at("width"), "900");
  EXPECT_EQ(root.attributes.at("height"), "360");
  EXPECT_EQ(root.attributes.at("viewBox"), "0 0 900 360");
}

TEST(ReportSvg, DrawsOnePolylinePerSeries) {
  EXPECT_EQ(ElementsNamed(ToSvg(LineChart(3, 200)), "polyline").size(), 3u);
}

TEST(ReportSvg, BreaksTheLineAtAMissingValue) {
  Chart chart{.x = Ramp(5), .series = {{.name = "s", .y = {1, 2, std::nullopt, 4, 5}}}};
  const std::vector<Element> lines = ElementsNamed(ToSvg(chart), "polyline");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Numbers(lines[0].attributes.at("points")).size(), 4u);
  EXPECT_EQ(Numbers(lines[1].attributes.at("points")).size(), 4u);
}

TEST(ReportSvg, DrawsAPointBetweenGapsAsADot) {
  std::vector<std::optional<double>> y(100, 1.0);
  y[49] = y[51] = std::nullopt;
  const std::string svg = ToSvg(Chart{.x = Ramp(100), .series = {{.name = "s", .y = y}}});
  EXPECT_EQ(ElementsNamed(svg, "polyline").size(), 2u);
  EXPECT_EQ(ElementsNamed(svg, "circle").size(), 1u);
}

TEST(ReportSvg, MarksEachPointOfAShortSeries) {
  const std::string svg = ToSvg(LineChart(1, 7));
  EXPECT_EQ(ElementsNamed(svg, "circle").size(), 7u);
}

TEST(ReportSvg, HasALegendEntryPerSeries) {
  Chart chart = LineChart(3, 10);
  chart.series[1].name = "p99 <latency> & more";
  EXPECT_EQ(GroupTexts(ToSvg(chart), "legend"),
            (std::vector<std::string>{"series 0", "p99 &lt;latency&gt; &amp; more", "series 2"}));
}

TEST(ReportSvg, GivesEachSeriesADifferentStroke) {
  const std::string svg = ToSvg(LineChart(14, 10));
  std::vector<std::string> strokes;
  for (const Element& e : ElementsNamed(svg, "g")) {
    if (e.attributes.count("class") && e.attributes.at("class") == "series") {
      const auto dash = e.attributes.find("stroke-dasharray");
      strokes.push_back(e.attributes.at("stroke") + "/" +
                        (dash == e.attributes.end() ? "" : dash->second));
    }
  }
  ASSERT_EQ(strokes.size(), 14u);
  std::sort(strokes.begin(), strokes.end());
  EXPECT_EQ(std::unique(strokes.begin(), strokes.end()), strokes.end());
}

TEST(ReportSvg, WrapsALongLegendOntoMoreRowsAndGrowsTaller) {
  Chart chart = LineChart(12, 10);
  for (ChartSeries& s : chart.series) s.name += " with a rather long descriptive name";
  const Element root = Elements(ToSvg(chart))[0];
  EXPECT_GT(std::stod(root.attributes.at("height")), 360);
}

TEST(ReportSvg, ColoursStateBandsWithCloudWatchColours) {
  Chart chart = LineChart(1, 100);
  chart.bands.push_back({.name = "depth alarm",
                         .spans = {{.x_begin = 0, .x_end = 10, .state = "INSUFFICIENT_DATA"},
                                   {.x_begin = 10, .x_end = 40, .state = "OK"},
                                   {.x_begin = 40, .x_end = 60, .state = "ALARM"},
                                   {.x_begin = 60, .x_end = 99, .state = "PAUSED"}}});
  const std::string svg = ToSvg(chart);
  EXPECT_NE(svg.find("fill=\"#879596\"><title>INSUFFICIENT_DATA from 0 to 10</title>"),
            std::string::npos);
  EXPECT_NE(svg.find("fill=\"#1d8102\"><title>OK from 10 to 40</title>"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#d13212\"><title>ALARM from 40 to 60</title>"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#0073bb\"><title>PAUSED from 60 to 99</title>"), std::string::npos);
}

TEST(ReportSvg, NamesEachBand) {
  Chart chart = LineChart(1, 10);
  chart.bands.push_back(
      {.name = "HighDepth", .spans = {{.x_begin = 0, .x_end = 9, .state = "OK"}}});
  chart.bands.push_back({.name = "OldAge", .spans = {{.x_begin = 0, .x_end = 9, .state = "OK"}}});
  const std::string svg = ToSvg(chart);
  EXPECT_NE(svg.find(">HighDepth</text>"), std::string::npos);
  EXPECT_NE(svg.find(">OldAge</text>"), std::string::npos);
  EXPECT_EQ(Elements(svg)[0].attributes.at("height"),
            "426");  // 360 + 6 + 2 x 30
}

TEST(ReportSvg, LogScaleLeavesOutNonPositiveValues) {
  Chart chart{.x = Ramp(6), .series = {{.name = "s", .y = Values({10, 100, 0, -3, 1000, 10000})}}};
  chart.log_y = true;
  const std::vector<Element> lines = ElementsNamed(ToSvg(chart), "polyline");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Numbers(lines[0].attributes.at("points")).size() / 2, 2u);
  EXPECT_EQ(Numbers(lines[1].attributes.at("points")).size() / 2, 2u);
}

TEST(ReportSvg, LogScaleIsLabelledInPowersOfTen) {
  Chart chart{.x = Ramp(3), .series = {{.name = "s", .y = Values({2, 30, 400})}}, .log_y = true};
  EXPECT_EQ(GroupTexts(ToSvg(chart), "y-ticks"),
            (std::vector<std::string>{"1", "10", "100", "1k"}));
}

TEST(ReportSvg, LabelsTheYAxisWithNiceTicks) {
  Chart chart{.x = Ramp(3), .series = {{.name = "s", .y = Values({5, 97, 40})}}};
  EXPECT_EQ(GroupTexts(ToSvg(chart), "y-ticks"),
            (std::vector<std::string>{"0", "20", "40", "60", "80", "100"}));
}

TEST(ReportSvg, LabelsALongRunsTimeAxisAsHoursAndMinutes) {
  Chart chart{.x_label = "virtual time (s)",
              .x = {0, 1800, 3600},
              .series = {{.name = "s", .y = Values({1, 2, 3})}}};
  const std::string svg = ToSvg(chart);
  EXPECT_EQ(GroupTexts(svg, "x-ticks"),
            (std::vector<std::string>{"0:00", "0:10", "0:20", "0:30", "0:40", "0:50", "1:00"}));
  EXPECT_NE(svg.find(">virtual time (h:mm)</text>"), std::string::npos);
}

TEST(ReportSvg, EscapesTextForXml) {
  Chart chart = LineChart(1, 3);
  chart.title = "a<b & \"c\" 'd'";
  const std::string svg = ToSvg(chart);
  EXPECT_NE(svg.find("<title>a&lt;b &amp; &quot;c&quot; &#39;d&#39;</title>"), std::string::npos);
  EXPECT_EQ(SvgProblem(svg), "");
}

TEST(ReportSvg, ReplacesCharactersXmlCannotHold) {
  Chart chart = LineChart(1, 3);
  // A control character, a byte that is not UTF-8, and a tab (which XML allows).
  chart.title = std::string("a") + '\x01' + "b" + '\xff' + "c\tok";
  const std::string svg = ToSvg(chart);
  EXPECT_NE(svg.find("<title>a\xEF\xBF\xBD"
                     "b\xEF\xBF\xBD"
                     "c\tok</title>"),
            std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
}

TEST(ReportSvg, NeverPrintsNegativeZero) {
  EXPECT_EQ(report_internal::FormatFixed(-0.04, 1), "0.0");
  EXPECT_EQ(report_internal::FormatFixed(-0.0, 1), "0.0");
  EXPECT_EQ(report_internal::FormatFixed(-0.06, 1), "-0.1");
}

TEST(ReportSvg, PrintsCoordinatesWithOneDecimal) {
  const std::vector<Element> lines = ElementsNamed(ToSvg(LineChart(2, 300)), "polyline");
  ASSERT_FALSE(lines.empty());
  for (const Element& line : lines) {
    const std::string& points = line.attributes.at("points");
    size_t start = 0;
    while (start < points.size()) {
      const size_t end = std::min(points.find_first_of(" ,", start), points.size());
      const std::string number = points.substr(start, end - start);
      ASSERT_EQ(number.find('.'), number.size() - 2) << number;
      start = end + 1;
    }
  }
}

TEST(ReportSvg, IsTheSameBytesForTheSameChart) {
  Chart chart = LineChart(4, 500);
  chart.bands.push_back({.name = "a",
                         .spans = {{.x_begin = 0, .x_end = 100, .state = "X"},
                                   {.x_begin = 100, .x_end = 200, .state = "Y"}}});
  const Chart copy = chart;
  EXPECT_EQ(ToSvg(chart), ToSvg(copy));
}

TEST(ReportSvg, ThinsPointsToAFewPerPixelColumnButKeepsASpike) {
  Chart chart{.x = Ramp(100000)};
  std::vector<std::optional<double>> y(100000);
  for (size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 7);
  y[54321] = 1000;  // the top of a 0..1000 axis
  chart.series.push_back({.name = "s", .y = y});
  const std::vector<Element> lines = ElementsNamed(ToSvg(chart), "polyline");
  ASSERT_EQ(lines.size(), 1u);
  const std::vector<double> coordinates = Numbers(lines[0].attributes.at("points"));
  EXPECT_LE(coordinates.size() / 2, 4u * 801);
  double top = 1e9;
  for (size_t k = 1; k < coordinates.size(); k += 2) top = std::min(top, coordinates[k]);
  EXPECT_EQ(top, 70.0);  // the plot's top edge
}

// ---- ToHtml ----------------------------------------------------------------

TEST(ReportHtml, IsAStandaloneUtf8Page) {
  const std::string html = ToHtml(Report{.title = "run", .charts = {LineChart(1, 5)}});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(ReportHtml, ShowsTheTitleAndSubtitleEscaped) {
  const std::string html = ToHtml(Report{.title = "R&D <run>", .subtitle = "seed \"7\""});
  EXPECT_NE(html.find("<title>R&amp;D &lt;run&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>R&amp;D &lt;run&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find(">seed &quot;7&quot;</p>"), std::string::npos);
}

TEST(ReportHtml, ShowsEveryTableCellEscaped) {
  Report report;
  report.tables.push_back({.title = "cost <USD>",
                           .header = {"item", "a&b"},
                           .rows = {{"requests", "1,200"}, {"<total>", "$0.40"}}});
  const std::string html = ToHtml(report);
  for (const char* cell :
       {"<caption>cost &lt;USD&gt;</caption>", "<th>item</th>", "<th>a&amp;b</th>",
        "<td>requests</td>", ">1,200</td>", "<td>&lt;total&gt;</td>", ">$0.40</td>"}) {
    EXPECT_NE(html.find(cell), std::string::npos) << cell;
  }
}

TEST(ReportHtml, InlinesEachChartsSvg) {
  Chart first = LineChart(1, 5), second = LineChart(2, 5);
  first.title = "first chart";
  second.title = "second chart";
  const std::string html = ToHtml(Report{.charts = {first, second}});
  EXPECT_EQ(Count(html, "<svg "), 2u);
  EXPECT_NE(html.find(ToSvg(first)), std::string::npos);
  EXPECT_NE(html.find(ToSvg(second)), std::string::npos);
}

}  // namespace report_test
}  // namespace sqsim::loadtest
