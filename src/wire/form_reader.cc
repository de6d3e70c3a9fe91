// The non-template half of form_reader.h: item names and index enumeration.

#include "wire/form_reader.h"

#include <set>

namespace sqsim::wire {
namespace {

// The index that `text` spells, or 0 when it is not a canonical positive
// decimal that fits an int (so `0`, `01`, `+1` and `1x` are not indexes).
int ParseIndex(std::string_view text) {
  if (text.empty() || text.size() > 9 || text[0] == '0') return 0;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string IndexedKey(std::string_view prefix, int index) {
  return std::string(prefix) + "." + std::to_string(index);
}

std::vector<int> FormIndexes(const FormFields& form, const std::string& prefix) {
  const std::string start = prefix + ".";
  std::set<int> indexes;
  // Keys sharing the prefix are contiguous in the ordered map.
  for (auto it = form.lower_bound(start);
       it != form.end() && it->first.compare(0, start.size(), start) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(start.size());
    const int index = ParseIndex(rest.substr(0, rest.find('.')));
    if (index > 0) indexes.insert(index);
  }
  return {indexes.begin(), indexes.end()};
}

}  // namespace sqsim::wire
