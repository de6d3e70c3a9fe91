#include "wire/form_reader.h"

#include <charconv>
#include <set>

#include "sim/digest.h"

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
  std::string key(prefix);
  key += '.';
  key += std::to_string(index);
  return key;
}

Status InvalidParameterValue(std::string_view name, std::string_view value,
                             std::string_view reason) {
  std::string message = "Value ";
  message += value;
  message += " for parameter ";
  message += name;
  message += " is invalid. Reason: ";
  message += reason;
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

const std::string* FormReader::Find(const std::string& key) const {
  auto it = fields_.find(key);
  return it == fields_.end() ? nullptr : &it->second;
}

void FormReader::ReadString(const std::string& key, std::string* out) const {
  if (const std::string* value = Find(key)) *out = *value;
}

void FormReader::ReadString(const std::string& key, std::optional<std::string>* out) const {
  if (const std::string* value = Find(key)) *out = *value;
}

Status FormReader::ReadInt(const std::string& key, int* out) const {
  const std::string* text = Find(key);
  if (text == nullptr) return Status::Ok();
  // Java's Integer.parseInt, which SQS's query front end behaves like,
  // accepts a leading '+'; std::from_chars does not.
  std::string_view digits = *text;
  if (!digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  int value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  const bool sign_only = digits.empty() || ((*text)[0] == '+' && digits[0] == '-');
  if (sign_only || ec != std::errc() || ptr != end) {
    return InvalidParameterValue(key, *text, "must be an integer.");
  }
  *out = value;
  return Status::Ok();
}

Status FormReader::ReadInt(const std::string& key, std::optional<int>* out) const {
  if (Find(key) == nullptr) return Status::Ok();
  int value = 0;
  if (Status s = ReadInt(key, &value); !s.ok()) return s;
  *out = value;
  return Status::Ok();
}

Status FormReader::ReadBinary(const std::string& key, std::optional<std::string>* out) const {
  const std::string* text = Find(key);
  if (text == nullptr) return Status::Ok();
  std::optional<std::string> bytes = internal::Base64Decode(*text);
  if (!bytes.has_value()) return InvalidParameterValue(key, *text, "must be base64-encoded.");
  *out = std::move(bytes);
  return Status::Ok();
}

std::vector<int> FormReader::Indexes(std::string_view prefix) const {
  std::string start(prefix);
  start += '.';
  std::set<int> indexes;
  // Keys sharing the prefix are contiguous in the ordered map.
  for (auto it = fields_.lower_bound(start);
       it != fields_.end() && it->first.compare(0, start.size(), start) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(start.size());
    const int index = ParseIndex(rest.substr(0, rest.find('.')));
    if (index > 0) indexes.insert(index);
  }
  return {indexes.begin(), indexes.end()};
}

void FormReader::ReadStringList(const std::string& prefix, std::vector<std::string>* out) const {
  for (int index : Indexes(prefix)) {
    if (const std::string* value = Find(IndexedKey(prefix, index))) out->push_back(*value);
  }
}

Status FormReader::ReadBinaryList(const std::string& prefix, std::vector<std::string>* out) const {
  for (int index : Indexes(prefix)) {
    std::optional<std::string> bytes;
    if (Status s = ReadBinary(IndexedKey(prefix, index), &bytes); !s.ok()) return s;
    if (bytes.has_value()) out->push_back(std::move(*bytes));
  }
  return Status::Ok();
}

void FormReader::ReadStringMap(const std::string& prefix, std::string_view key_name,
                               std::string_view value_name,
                               std::map<std::string, std::string>* out) const {
  for (int index : Indexes(prefix)) {
    const std::string entry = IndexedKey(prefix, index) + ".";
    std::string key;
    std::string value;
    ReadString(entry + std::string(key_name), &key);
    ReadString(entry + std::string(value_name), &value);
    (*out)[std::move(key)] = std::move(value);
  }
}

}  // namespace sqsim::wire
