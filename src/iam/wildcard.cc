#include "iam/wildcard.h"

#include <cstddef>
#include <vector>

namespace sqsim::iam::internal {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return AsciiLower(a) == AsciiLower(b);
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point (the last `*`): linear in
  // practice and never exponential, unlike naive recursion.
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// The six fields of an ARN, or fewer when `arn` has fewer than five colons.
std::vector<std::string_view> ArnFields(std::string_view arn) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (fields.size() < 5) {
    size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    fields.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  fields.push_back(arn.substr(start));
  return fields;
}

}  // namespace

bool ArnMatch(std::string_view pattern, std::string_view arn) {
  std::vector<std::string_view> want = ArnFields(pattern);
  if (want.size() != 6) return !pattern.starts_with("arn:") && WildcardMatch(pattern, arn);
  std::vector<std::string_view> have = ArnFields(arn);
  if (have.size() != 6) return false;
  for (size_t i = 0; i < 6; ++i) {
    if (!WildcardMatch(want[i], have[i])) return false;
  }
  return true;
}

}  // namespace sqsim::iam::internal
