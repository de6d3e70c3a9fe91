#include "sqsim/trace.h"

#include <cstdio>

#include "sqsim/clock.h"

namespace sqsim {
namespace {

void Mix(uint64_t& h, const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    h ^= bytes[i];
    h *= 1099511628211ull;
  }
}

template <typename T>
void MixValue(uint64_t& h, T value) {
  Mix(h, &value, sizeof value);
}

std::string_view KindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kCall:
      return "call";
    case TraceKind::kQueueCreated:
      return "queue-created";
    case TraceKind::kQueueDeleted:
      return "queue-deleted";
    case TraceKind::kMessageSent:
      return "sent";
    case TraceKind::kMessageDelivered:
      return "delivered";
    case TraceKind::kMessageDeleted:
      return "deleted";
    case TraceKind::kVisibilityChanged:
      return "visibility";
    case TraceKind::kMessageExpired:
      return "expired";
    case TraceKind::kMessagePurged:
      return "purged";
    case TraceKind::kMovedToDeadLetter:
      return "moved-to-dlq";
    case TraceKind::kTimeAdvanced:
      return "time";
  }
  return "?";
}

}  // namespace

std::string FormatUuid(const std::array<uint8_t, 16>& b) {
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

void Trace::Append(const TraceEvent& e) {
  // Hash the fields, not the struct bytes: padding is indeterminate.
  MixValue(hash_, e.time.time_since_epoch().count());
  MixValue(hash_, static_cast<uint8_t>(e.kind));
  MixValue(hash_, static_cast<uint8_t>(e.action));
  MixValue(hash_, static_cast<uint8_t>(e.code));
  MixValue(hash_, e.queue);
  Mix(hash_, e.message_id.data(), e.message_id.size());
  MixValue(hash_, e.value);
  ++count_;
  if (capacity_ == 0) return;
  if (events_.size() == capacity_) events_.pop_front();
  events_.push_back(e);
}

uint32_t Trace::InternQueue(const std::string& name) {
  queue_names_.push_back(name);
  return static_cast<uint32_t>(queue_names_.size() - 1);
}

std::string Trace::Format(const TraceEvent& e) const {
  std::string line = FormatTimestamp(e.time);
  line += ' ';
  if (e.kind == TraceKind::kCall) {
    line += ActionName(e.action);
  } else {
    line += KindName(e.kind);
  }
  if (e.queue != 0 && e.queue < queue_names_.size()) {
    line += ' ';
    line += queue_names_[e.queue];
  }
  if (e.kind == TraceKind::kCall) {
    line += ' ';
    line += e.code == ErrorCode::kOk ? std::string_view("OK") : GetErrorInfo(e.code).name;
    return line;
  }
  if (e.message_id != std::array<uint8_t, 16>{}) {
    line += ' ';
    line += FormatUuid(e.message_id);
  }
  if (e.value != 0) line += " value=" + std::to_string(e.value);
  return line;
}

std::string Trace::FormatLast(size_t n) const {
  std::string out;
  const size_t start = events_.size() > n ? events_.size() - n : 0;
  for (size_t i = start; i < events_.size(); ++i) {
    out += Format(events_[i]);
    out += '\n';
  }
  return out;
}

}  // namespace sqsim
