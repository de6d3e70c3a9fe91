// Trace: what the simulator did, event by event, in virtual time.
//
// Every API call and every change of a message's state (sent, delivered,
// deleted, visibility changed, expired, purged) appends one compact event.
// The trace keeps the most recent `capacity` events for inspection and folds
// every event into a 64-bit hash, so two runs can be compared cheaply: same
// seed and same program give the same hash (TigerBeetle's VOPR contract).
//
// Thread safety: owned by one simulator; not thread-safe.

#ifndef SQSIM_TRACE_H_
#define SQSIM_TRACE_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/actions.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim {

enum class TraceKind : uint8_t {
  kCall,               // an API call completed; `action`, `code`
  kQueueCreated,       // `queue`
  kQueueDeleted,       // `queue`
  kMessageSent,        // `message_id`; value = delay in seconds
  kMessageDelivered,   // value = ApproximateReceiveCount after this receive
  kMessageDeleted,     //
  kVisibilityChanged,  // value = new visibility timeout in seconds
  kMessageExpired,     // retention period ended
  kMessagePurged,      // removed by PurgeQueue
  kMovedToDeadLetter,  // moved to the queue's DLQ; `queue` is the source
  kDeduplicated,       // a FIFO send inside the deduplication window; not enqueued
  kFault,              // a fault rule fired; `fault_rule`, `code`; value = FaultEffect
  kTimeAdvanced,       // the virtual clock jumped; value = microseconds
  kNote,               // a note of the caller's; `queue` = its name, value = its value
  // SNS (Simulator::sns()): `queue` names the action or the subscriber.
  kSnsCall,            // an SNS call completed; `queue` = the action, `code` its result
  kSnsDelivered,       // delivered to `queue` (a queue or function); value = attempt
  kSnsDeliveryFailed,  // an attempt to deliver to `queue` failed with `code`; value = attempt
  kSnsDeadLettered,    // given up on `queue` (`code`: why); sent to the subscription's DLQ
  kSnsDropped,         // given up on `queue` (`code`: why) with no DLQ to send it to
};

// One event. Compact (no strings) so that tracing costs little; names are
// interned (Trace::InternName) and events hold their indexes.
struct TraceEvent {
  Timestamp time;
  TraceKind kind;
  std::optional<Action> action = std::nullopt;  // kCall: the action; otherwise none
  ErrorCode code = ErrorCode::kOk;              // kCall: its result; kFault: the injected error
  uint32_t queue = 0;                           // the queue's interned name; 0 = none
  uint32_t fault_rule = 0;                      // kFault: the rule id's interned name
  std::array<uint8_t, 16> message_id{};         // all zero = none
  int64_t value = 0;
};

class Trace {
 public:
  // Keeps the last `capacity` events; 0 keeps none (the hash still covers
  // every event).
  explicit Trace(size_t capacity) : capacity_(capacity) {}

  // Inline because every call and every message transition appends: built
  // in place at the call site, the event's fields reach the hash and the
  // ring without a round trip through memory (an out-of-line copy reloads
  // the event with wider loads than the stores that built it, which stalls).
  [[gnu::always_inline]] void Append(const TraceEvent& event) {
    // Hash the fields, not the struct bytes: padding is indeterminate. The
    // fields are first combined into one record word, each multiplied by its
    // own odd constant (independent products the CPU computes side by side),
    // and only that word goes through the running hash's serial step. A
    // change in any one field changes the record word (multiplying by an odd
    // constant is a bijection), and the step is a bijection of the running
    // hash for a given word, so it changes the final hash.
    const uint64_t action = event.action ? static_cast<uint8_t>(*event.action) : 0xff;
    const uint64_t header = uint64_t{static_cast<uint8_t>(event.kind)} | action << 8 |
                            uint64_t{static_cast<uint8_t>(event.code)} << 16 |
                            uint64_t{event.queue} << 32;
    const uint64_t record =
        static_cast<uint64_t>(event.time.time_since_epoch().count()) * 0x9e3779b97f4a7c15ull ^
        header * 0xc2b2ae3d27d4eb4full ^ uint64_t { event.fault_rule } * 0x165667b19e3779f9ull ^
        IdWord(event.message_id.data()) * 0xd6e8feb86659fd93ull ^
        IdWord(event.message_id.data() + 8) * 0xff51afd7ed558ccdull ^
        static_cast<uint64_t>(event.value) * 0xc4ceb9fe1a85ec53ull;
    hash_ ^= record;
    hash_ *= 0x9e3779b97f4a7c15ull;
    hash_ ^= hash_ >> 29;
    ++count_;
    if (capacity_ == 0) return;
    // Once full, the ring is a fixed array of records overwritten in turn:
    // no allocation, and no division to wrap the index.
    if (ring_.size() < capacity_) {
      ring_.push_back(event);
    } else {
      ring_[next_] = event;
      if (++next_ == capacity_) next_ = 0;
    }
  }
  // Makes sure the next `n` Appends allocate nothing, so that a change can
  // allocate everything it needs before it commits and then record itself
  // without failing halfway (the engine's all-or-nothing sends).
  void Reserve(size_t n) {
    const size_t wanted = std::min(capacity_, ring_.size() + n);
    if (wanted > ring_.capacity())
      ring_.reserve(std::min(capacity_, std::max(wanted, 2 * ring_.capacity())));
  }
  // Registers a name (a queue's, or a fault rule's id) and returns its
  // index, for TraceEvent::queue or TraceEvent::fault_rule.
  uint32_t InternName(const std::string& name);

  // A 64-bit hash over every event ever appended, in order: the fields of
  // each event combined into one word, folded in with a multiply-xorshift
  // step (not a cryptographic hash; equal traces give equal hashes on every
  // platform, and traces differing in one field of one event never collide).
  uint64_t hash() const { return hash_; }
  uint64_t event_count() const { return count_; }
  // The retained events, oldest first.
  std::vector<TraceEvent> events() const;

  // One line per event:
  // "2026-01-01T00:00:01.000Z SendMessage orders OK" /
  // "2026-01-01T00:00:01.000Z delivered orders 6f1c...-... value=1" /
  // "2026-01-01T00:00:01.000Z fault throttle ThrottlingException value=1".
  std::string Format(const TraceEvent& event) const;
  // The last `n` retained events, one per line.
  std::string FormatLast(size_t n) const;

 private:
  // The little-endian word of 8 id bytes, the same on every platform.
  static uint64_t IdWord(const uint8_t* bytes) {
    uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
  }

  size_t capacity_;
  uint64_t hash_ = 1469598103934665603ull;
  uint64_t count_ = 0;
  std::vector<TraceEvent> ring_;  // circular once full; next_ is the oldest
  size_t next_ = 0;
  std::vector<std::string> names_{""};
};

// Formats 16 id bytes as a lower-case UUID ("8-4-4-4-12").
std::string FormatUuid(const std::array<uint8_t, 16>& bytes);

}  // namespace sqsim

#endif  // SQSIM_TRACE_H_
