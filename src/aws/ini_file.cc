#include "aws/ini_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace sqsim::internal {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t IndentOf(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && (line[n] == ' ' || line[n] == '\t')) ++n;
  return n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Status ParseError(std::string_view origin, int line_number, std::string_view what) {
  return Status(ErrorCode::kInvalidParameterValue, "cannot parse " + std::string(origin) +
                                                       " line " + std::to_string(line_number) +
                                                       ": " + std::string(what));
}

}  // namespace

const IniFile::Section* IniFile::Find(std::string_view name) const {
  auto it = sections.find(name);
  return it == sections.end() ? nullptr : &it->second;
}

Result<IniFile> ParseIni(std::string_view text, std::string_view origin) {
  IniFile ini;
  IniFile::Section* section = nullptr;
  std::string* value = nullptr;  // the value a continuation line extends
  size_t key_indent = 0;
  int line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    const std::string_view content = Trim(line);
    if (content.empty()) {
      value = nullptr;
      continue;
    }
    if (content.front() == '#' || content.front() == ';') continue;
    if (value != nullptr && IndentOf(line) > key_indent) {
      value->append("\n").append(content);
      continue;
    }
    value = nullptr;
    if (content.front() == '[') {
      if (content.back() != ']') return ParseError(origin, line_number, "unterminated '['");
      section = &ini.sections[std::string(Trim(content.substr(1, content.size() - 2)))];
      continue;
    }
    const size_t delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      return ParseError(origin, line_number, "expected 'key = value'");
    }
    if (section == nullptr) {
      return ParseError(origin, line_number, "'key = value' before any [section]");
    }
    value = &(*section)[Lower(Trim(content.substr(0, delimiter)))];
    *value = std::string(Trim(content.substr(delimiter + 1)));
    key_indent = IndentOf(line);
  }
  return ini;
}

Result<std::optional<IniFile>> ReadIniFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<IniFile>();
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status(ErrorCode::kInvalidParameterValue, "cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return Status(ErrorCode::kInvalidParameterValue, "cannot read " + path);
  }
  Result<IniFile> ini = ParseIni(text.str(), path);
  if (!ini.ok()) return ini.status();
  return std::optional<IniFile>(std::move(ini).value());
}

IniFile::Section ParseNestedIniValue(std::string_view value) {
  IniFile::Section nested;
  while (!value.empty()) {
    const size_t newline = value.find('\n');
    const std::string_view line = Trim(value.substr(0, newline));
    value = newline == std::string_view::npos ? std::string_view() : value.substr(newline + 1);
    const size_t eq = line.find('=');
    if (line.empty() || eq == std::string_view::npos) continue;
    nested[Lower(Trim(line.substr(0, eq)))] = std::string(Trim(line.substr(eq + 1)));
  }
  return nested;
}

}  // namespace sqsim::internal
