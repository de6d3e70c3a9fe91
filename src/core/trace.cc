#include "sqsim/trace.h"

#include <cstdio>

#include "core/digest.h"

namespace sqsim {
namespace {

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
    case TraceKind::kNote:
      return "note";
    case TraceKind::kSnsCall:
      return "sns";
    case TraceKind::kSnsDelivered:
      return "sns-delivered";
    case TraceKind::kSnsDeliveryFailed:
      return "sns-delivery-failed";
    case TraceKind::kSnsDeadLettered:
      return "sns-dead-lettered";
    case TraceKind::kSnsDropped:
      return "sns-dropped";
  }
  return "?";
}

}  // namespace

std::string FormatUuid(const std::array<uint8_t, 16>& b) {
  // Group by group, with no per-byte test: this runs for every message sent
  // and received.
  std::string out(36, '-');
  char* o = out.data();
  internal::HexEncodeTo(b.data(), 4, o);
  internal::HexEncodeTo(b.data() + 4, 2, o + 9);
  internal::HexEncodeTo(b.data() + 6, 2, o + 14);
  internal::HexEncodeTo(b.data() + 8, 2, o + 19);
  internal::HexEncodeTo(b.data() + 10, 6, o + 24);
  return out;
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
  if ((e.kind == TraceKind::kFault || e.kind == TraceKind::kSnsDeliveryFailed ||
       e.kind == TraceKind::kSnsDeadLettered || e.kind == TraceKind::kSnsDropped) &&
      e.code != ErrorCode::kOk) {
    line += ' ';
    line += GetErrorInfo(e.code).name;
  }
  if (e.kind == TraceKind::kCall || e.kind == TraceKind::kSnsCall) {
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
