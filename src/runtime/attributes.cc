// Typed system attributes.

#include "sqsim/runtime/attributes.h"

#include <charconv>

namespace sqsim::runtime {

namespace {

const std::string* Find(const Message& m, const char* name) {
  auto it = m.attributes.find(name);
  return it == m.attributes.end() ? nullptr : &it->second;
}

template <typename T>
std::optional<T> Number(const Message& m, const char* name) {
  const std::string* text = Find(m, name);
  if (text == nullptr || text->empty()) return std::nullopt;
  T value{};
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

std::optional<Timestamp> Millis(const Message& m, const char* name) {
  const std::optional<int64_t> millis = Number<int64_t>(m, name);
  if (!millis) return std::nullopt;
  return Timestamp(std::chrono::milliseconds(*millis));
}

std::optional<std::string> Text(const Message& m, const char* name) {
  const std::string* text = Find(m, name);
  return text == nullptr ? std::nullopt : std::optional<std::string>(*text);
}

}  // namespace

std::optional<int> ReceiveCount(const Message& m) {
  return Number<int>(m, "ApproximateReceiveCount");
}
std::optional<Timestamp> FirstReceiveTime(const Message& m) {
  return Millis(m, "ApproximateFirstReceiveTimestamp");
}
std::optional<Timestamp> SentTime(const Message& m) { return Millis(m, "SentTimestamp"); }
std::optional<std::string> GroupId(const Message& m) { return Text(m, "MessageGroupId"); }
std::optional<std::string> DeduplicationId(const Message& m) {
  return Text(m, "MessageDeduplicationId");
}
std::optional<std::string> SequenceNumber(const Message& m) { return Text(m, "SequenceNumber"); }

std::optional<std::string> StringAttribute(const Message& m, const std::string& name) {
  auto it = m.message_attributes.find(name);
  if (it == m.message_attributes.end() || !it->second.string_value) return std::nullopt;
  return *it->second.string_value;
}

}  // namespace sqsim::runtime
