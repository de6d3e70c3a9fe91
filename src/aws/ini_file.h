// IniFile: the INI dialect of the AWS shared `credentials` and `config`
// files, read the way botocore reads them (Python's configparser.RawConfigParser):
//   - `[section]` headers; the name is trimmed;
//   - `key = value` or `key: value`; keys are trimmed and lower-cased, values
//     trimmed; the first `=` or `:` separates them;
//   - lines whose first non-blank character is `#` or `;` are comments; there
//     are no inline comments (`region = us-east-1 # x` keeps the `# x`);
//   - a line indented deeper than its key continues that key's value, joined
//     with `\n`; this is how a `[services ...]` section nests settings:
//
//       [services local]
//       sqs =
//         endpoint_url = http://localhost:9324
//
// Unlike configparser, which rejects duplicates, a repeated section merges
// and a repeated key keeps its last value.
//
// Thread safety: a plain value.

#ifndef SQSIM_AWS_INI_FILE_H_
#define SQSIM_AWS_INI_FILE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sqsim/status.h"

namespace sqsim::internal {

struct IniFile {
  using Section = std::map<std::string, std::string, std::less<>>;
  std::map<std::string, Section, std::less<>> sections{};

  // The section named `name`, or nullptr.
  const Section* Find(std::string_view name) const;
};

// Parses INI text. `origin` (a path, say) names the text in error messages.
// Returns kInvalidParameterValue, naming origin and line, for a key=value line
// before any section, a line with no `=` or `:`, or an unterminated `[`.
Result<IniFile> ParseIni(std::string_view text, std::string_view origin);

// Reads and parses the file at `path`. Returns nullopt when the file does not
// exist (the AWS SDKs treat a missing shared file as empty), kInvalidParameterValue
// when it exists but cannot be read or parsed.
Result<std::optional<IniFile>> ReadIniFile(const std::string& path);

// The nested `key = value` lines of a value such as the `sqs` entry above.
// Lines that are blank or have no `=` are skipped.
IniFile::Section ParseNestedIniValue(std::string_view value);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_INI_FILE_H_
