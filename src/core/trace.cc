#include "sqsim/trace.h"

#include <cstdio>

namespace sqsim {
namespace {

// Folds one 64-bit word into the running hash (a multiply-xorshift step;
// word-at-a-time because tracing sits on every operation's path).
void MixWord(uint64_t& h, uint64_t word) {
  h ^= word;
  h *= 0x9e3779b97f4a7c15ull;
  h ^= h >> 29;
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
    case TraceKind::kDeduplicated:
      return "deduplicated";
    case TraceKind::kFault:
      return "fault";
    case TraceKind::kTimeAdvanced:
      return "time";
  }
  return "?";
}

}  // namespace

std::string FormatUuid(const std::array<uint8_t, 16>& b) {
  // Hand-rolled: this runs for every message sent and received.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t pos = 0;
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;
    out[pos++] = kHex[b[i] >> 4];
    out[pos++] = kHex[b[i] & 15];
  }
  return out;
}

void Trace::Append(const TraceEvent& e) {
  // Hash the fields, not the struct bytes: padding is indeterminate.
  uint64_t id_lo = 0, id_hi = 0;
  for (int i = 0; i < 8; ++i) {
    id_lo |= uint64_t{e.message_id[i]} << (8 * i);
    id_hi |= uint64_t{e.message_id[8 + i]} << (8 * i);
  }
  MixWord(hash_, static_cast<uint64_t>(e.time.time_since_epoch().count()));
  const uint64_t action = e.action ? static_cast<uint8_t>(*e.action) : 0xff;
  MixWord(hash_, uint64_t{static_cast<uint8_t>(e.kind)} | action << 8 |
                     uint64_t{static_cast<uint8_t>(e.code)} << 16 | uint64_t{e.queue} << 32);
  if (e.fault_rule != 0) MixWord(hash_, e.fault_rule);
  MixWord(hash_, id_lo);
  MixWord(hash_, id_hi);
  MixWord(hash_, static_cast<uint64_t>(e.value));
  ++count_;
  if (capacity_ == 0) return;
  if (ring_.size() < capacity_) {
    ring_.push_back(e);
  } else {
    ring_[next_] = e;
    next_ = (next_ + 1) % capacity_;
  }
}

std::vector<TraceEvent> Trace::events() const {
  std::vector<TraceEvent> out;
  out.reserve(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) out.push_back(ring_[(next_ + i) % ring_.size()]);
  return out;
}

uint32_t Trace::InternName(const std::string& name) {
  names_.push_back(name);
  return static_cast<uint32_t>(names_.size() - 1);
}

std::string Trace::Format(const TraceEvent& e) const {
  std::string line = FormatTimestamp(e.time);
  line += ' ';
  line += e.action ? ActionName(*e.action) : KindName(e.kind);
  for (uint32_t name : {e.queue, e.fault_rule}) {
    if (name == 0 || name >= names_.size()) continue;
    line += ' ';
    line += names_[name];
  }
  if (e.kind == TraceKind::kFault && e.code != ErrorCode::kOk) {
    line += ' ';
    line += GetErrorInfo(e.code).name;
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
  const std::vector<TraceEvent> all = events();
  std::string out;
  const size_t start = all.size() > n ? all.size() - n : 0;
  for (size_t i = start; i < all.size(); ++i) {
    out += Format(all[i]);
    out += '\n';
  }
  return out;
}

}  // namespace sqsim
