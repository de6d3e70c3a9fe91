// Value types shared by the SQS requests and responses: messages, message
// attributes, batch error entries and move-task entries, plus the time types.
//
// Every struct is a plain aggregate whose members are the SQS API's members in
// snake_case (`MD5OfBody` -> `md5_of_body`). Optional API members are
// `std::optional` or empty containers; maps are ordered so that iteration (and
// therefore everything derived from it) is deterministic. Binary values are
// raw bytes held in `std::string`, never base64 (the wire codec encodes them).
//
// Thread safety: plain values.

#ifndef SQSIM_TYPES_H_
#define SQSIM_TYPES_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sqsim {

// A point in time with wall-clock meaning (SentTimestamp, SigV4 dates), in
// microseconds since the Unix epoch. Virtual under the simulator.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

// The latest instant sqsim's clocks reach: 9999-12-31T23:59:59Z, the last one
// an RFC 3339 timestamp can write. Timestamp itself reaches about 292,000
// years: from any time up to this one, adding any SQS duration (14 days of
// retention at most) cannot overflow. Virtual clocks stop here, and advancing
// a server's clock past it is refused.
inline constexpr Timestamp kLatestTime{std::chrono::seconds(253402300799)};

// t + d for a time t in [epoch, kLatestTime], but never past kLatestTime: a
// wait "forever" (Duration::max()) ends there instead of overflowing.
// A negative d gives t.
constexpr Timestamp ClampedAdd(Timestamp t, Duration d) {
  if (d <= Duration::zero() || t >= kLatestTime) return t;
  return kLatestTime - t <= d ? kLatestTime : t + d;
}

// Formats `t` as RFC 3339 UTC with millisecond precision
// ("2026-01-01T00:00:00.000Z"), for logs and traces.
std::string FormatTimestamp(Timestamp t);

// Milliseconds since the Unix epoch, the unit of SentTimestamp.
inline int64_t ToEpochMillis(Timestamp t) { return t.time_since_epoch().count() / 1000; }
// Whole seconds since the Unix epoch, the unit of CreatedTimestamp.
inline int64_t ToEpochSeconds(Timestamp t) { return t.time_since_epoch().count() / 1000000; }

// A user message attribute (`MessageAttributeValue`) or a message system
// attribute (`MessageSystemAttributeValue`); both have the same shape.
//
// `data_type` is `String`, `Number` or `Binary`, optionally followed by
// `.label` (`Number.int`). String and Number values travel in `string_value`,
// Binary values in `binary_value` (raw bytes). The list members are
// "reserved, not implemented" in SQS; SQS rejects them and so does sqsim.
struct MessageAttributeValue {
  std::optional<std::string> string_value{};
  std::optional<std::string> binary_value{};
  std::vector<std::string> string_list_values{};
  std::vector<std::string> binary_list_values{};
  std::string data_type{};

  friend bool operator==(const MessageAttributeValue&, const MessageAttributeValue&) = default;
};

using MessageAttributeMap = std::map<std::string, MessageAttributeValue>;

// A message as ReceiveMessage returns it (`Message`).
struct Message {
  std::string message_id{};
  std::string receipt_handle{};
  std::string md5_of_body{};
  std::string body{};
  // System attributes by name (`SentTimestamp`, `ApproximateReceiveCount`, ...),
  // only those the receive asked for.
  std::map<std::string, std::string> attributes{};
  // Present only when at least one user attribute was selected and returned.
  std::optional<std::string> md5_of_message_attributes{};
  MessageAttributeMap message_attributes{};

  friend bool operator==(const Message&, const Message&) = default;
};

// One failed entry of a batch call (`BatchResultErrorEntry`). `code` is the
// SQS error name as it appears on the wire (e.g. `InvalidParameterValue`).
struct BatchResultErrorEntry {
  std::string id{};
  bool sender_fault = true;
  std::string code{};
  std::optional<std::string> message{};

  friend bool operator==(const BatchResultErrorEntry&, const BatchResultErrorEntry&) = default;
};

// Queue attributes as SQS carries them: attribute name -> string value
// (numbers and booleans as text, e.g. {"VisibilityTimeout", "30"}).
using QueueAttributeMap = std::map<std::string, std::string>;
using TagMap = std::map<std::string, std::string>;

}  // namespace sqsim

#endif  // SQSIM_TYPES_H_
