// Report -> one self-contained HTML5 page: inline CSS, the charts as inline
// SVG, no scripts and nothing fetched, so the file can be mailed or
// attached to a ticket and still open.

#include <string>
#include <string_view>

#include "loadtest/report_text.h"
#include "sqsim/loadtest/report.h"

namespace sqsim::loadtest {
namespace {

using report_internal::AppendXmlEscaped;

constexpr std::string_view kStyle = R"(
body{margin:24px auto;max-width:940px;padding:0 16px;color:#16191f;background:#ffffff;
font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;
font-size:14px;line-height:1.45}
h1{font-size:22px;font-weight:600;margin:0 0 4px}
.subtitle{color:#545b64;margin:0 0 20px;white-space:pre-line}
table{border-collapse:collapse;margin:0 0 24px;min-width:360px}
caption{text-align:left;font-weight:600;font-size:15px;padding:0 0 6px}
th,td{padding:4px 12px;border-bottom:1px solid #e9ebed;text-align:left;vertical-align:top}
th{background:#f2f3f3;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:0 0 24px;padding:8px;border:1px solid #e9ebed;border-radius:6px}
figure svg{display:block;max-width:100%;height:auto}
)";

// Numbers read best right-aligned in their column: a cell that starts like
// a number ("1250", "-3.5", "$0.40", "99.5%", "1.2k") is one.
bool LooksNumeric(std::string_view cell) {
  size_t i = 0;
  if (i < cell.size() && (cell[i] == '-' || cell[i] == '+')) ++i;
  if (i < cell.size() && cell[i] == '$') ++i;
  return i < cell.size() && cell[i] >= '0' && cell[i] <= '9';
}

void AppendTable(std::string* out, const Table& table) {
  out->append("<table>\n");
  if (!table.title.empty()) {
    out->append("<caption>");
    AppendXmlEscaped(out, table.title);
    out->append("</caption>\n");
  }
  if (!table.header.empty()) {
    out->append("<thead><tr>");
    for (const std::string& cell : table.header) {
      out->append("<th>");
      AppendXmlEscaped(out, cell);
      out->append("</th>");
    }
    out->append("</tr></thead>\n");
  }
  out->append("<tbody>\n");
  for (const std::vector<std::string>& row : table.rows) {
    out->append("<tr>");
    for (const std::string& cell : row) {
      out->append(LooksNumeric(cell) ? "<td class=\"num\">" : "<td>");
      AppendXmlEscaped(out, cell);
      out->append("</td>");
    }
    out->append("</tr>\n");
  }
  out->append("</tbody>\n</table>\n");
}

}  // namespace

std::string ToHtml(const Report& report) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  // A page needs a non-empty title to be told apart in tabs and history.
  AppendXmlEscaped(&out, report.title.empty() ? "sqsim report" : report.title);
  out.append("</title>\n<style>");
  out.append(kStyle);
  out.append("</style>\n</head>\n<body>\n<header>\n");
  if (!report.title.empty()) {
    out.append("<h1>");
    AppendXmlEscaped(&out, report.title);
    out.append("</h1>\n");
  }
  if (!report.subtitle.empty()) {
    out.append("<p class=\"subtitle\">");
    AppendXmlEscaped(&out, report.subtitle);
    out.append("</p>\n");
  }
  out.append("</header>\n<main>\n");
  for (const Table& table : report.tables) AppendTable(&out, table);
  for (const Chart& chart : report.charts) {
    out.append("<figure>\n");
    out.append(ToSvg(chart));
    out.append("</figure>\n");
  }
  out.append("</main>\n</body>\n</html>\n");
  return out;
}

}  // namespace sqsim::loadtest
