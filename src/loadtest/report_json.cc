// Report -> JSON, written directly (no DOM): objects one member a line, and
// arrays of numbers or strings on one line, so that a report diffs
// readably while a 100,000-point series stays one line.

#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "loadtest/report_text.h"
#include "wire/json_text.h"
#include "sqsim/loadtest/report.h"

namespace sqsim::loadtest {
namespace {

using report_internal::FormatShortest;

// RFC 8259 strings, as sqsim writes them on the wire: quote, backslash
// and C0 controls escaped, UTF-8 passed through, invalid bytes as U+FFFD.
void AppendString(std::string* out, std::string_view text) { wire::AppendJsonString(out, text); }

// JSON has no NaN or infinity: a value that is not finite is as good as
// missing.
void AppendNumber(std::string* out, std::optional<double> value) {
  if (value && std::isfinite(*value)) {
    out->append(FormatShortest(*value));
  } else {
    out->append("null");
  }
}

// Writes one nesting level of objects and arrays of objects, one member or
// element a line, indented by two spaces a level.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  void OpenObject() { Open('{'); }
  void CloseObject() { Close('}'); }
  void OpenArray() { Open('['); }
  void CloseArray() { Close(']'); }

  // Starts an element of the enclosing array (objects in arrays only).
  void Element() { NextLine(); }
  // Starts a member: `"key": `.
  void Key(std::string_view key) {
    NextLine();
    AppendString(out_, key);
    out_->append(": ");
  }

  void String(std::string_view text) { AppendString(out_, text); }
  void Bool(bool value) { out_->append(value ? "true" : "false"); }
  void Number(std::optional<double> value) { AppendNumber(out_, value); }

  // ["a", "b"] and [1, null, 2.5] on one line.
  void Strings(const std::vector<std::string>& texts) {
    out_->push_back('[');
    for (size_t i = 0; i < texts.size(); ++i) {
      if (i > 0) out_->append(", ");
      AppendString(out_, texts[i]);
    }
    out_->push_back(']');
  }
  template <typename Value>  // double or std::optional<double>
  void Numbers(const std::vector<Value>& values) {
    out_->push_back('[');
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_->append(", ");
      AppendNumber(out_, values[i]);
    }
    out_->push_back(']');
  }

 private:
  void Open(char bracket) {
    out_->push_back(bracket);
    ++depth_;
    first_ = true;
  }
  void Close(char bracket) {
    --depth_;
    // An empty container stays on one line: {} and [].
    if (!first_) Newline();
    out_->push_back(bracket);
    first_ = false;
  }
  void NextLine() {
    if (!first_) out_->push_back(',');
    first_ = false;
    Newline();
  }
  void Newline() {
    out_->push_back('\n');
    out_->append(2 * depth_, ' ');
  }

  std::string* out_;
  int depth_ = 0;
  bool first_ = true;
};

void WriteTable(Writer& w, const Table& table) {
  w.OpenObject();
  w.Key("title");
  w.String(table.title);
  w.Key("header");
  w.Strings(table.header);
  w.Key("rows");
  w.OpenArray();
  for (const std::vector<std::string>& row : table.rows) {
    w.Element();
    w.Strings(row);
  }
  w.CloseArray();
  w.CloseObject();
}

void WriteBand(Writer& w, const StateBand& band) {
  w.OpenObject();
  w.Key("name");
  w.String(band.name);
  w.Key("spans");
  w.OpenArray();
  for (const StateSpan& span : band.spans) {
    w.Element();
    w.OpenObject();
    w.Key("x_begin");
    w.Number(span.x_begin);
    w.Key("x_end");
    w.Number(span.x_end);
    w.Key("state");
    w.String(span.state);
    w.CloseObject();
  }
  w.CloseArray();
  w.CloseObject();
}

void WriteChart(Writer& w, const Chart& chart) {
  w.OpenObject();
  w.Key("title");
  w.String(chart.title);
  w.Key("x_label");
  w.String(chart.x_label);
  w.Key("y_label");
  w.String(chart.y_label);
  w.Key("log_y");
  w.Bool(chart.log_y);
  w.Key("x");
  w.Numbers(chart.x);
  w.Key("series");
  w.OpenArray();
  for (const ChartSeries& series : chart.series) {
    w.Element();
    w.OpenObject();
    w.Key("name");
    w.String(series.name);
    w.Key("y");
    w.Numbers(series.y);
    w.CloseObject();
  }
  w.CloseArray();
  w.Key("bands");
  w.OpenArray();
  for (const StateBand& band : chart.bands) {
    w.Element();
    WriteBand(w, band);
  }
  w.CloseArray();
  w.CloseObject();
}

}  // namespace

std::string ToJson(const Report& report) {
  std::string out;
  Writer w(&out);
  w.OpenObject();
  w.Key("title");
  w.String(report.title);
  w.Key("subtitle");
  w.String(report.subtitle);
  w.Key("tables");
  w.OpenArray();
  for (const Table& table : report.tables) {
    w.Element();
    WriteTable(w, table);
  }
  w.CloseArray();
  w.Key("charts");
  w.OpenArray();
  for (const Chart& chart : report.charts) {
    w.Element();
    WriteChart(w, chart);
  }
  w.CloseArray();
  w.CloseObject();
  out.push_back('\n');
  return out;
}

}  // namespace sqsim::loadtest
