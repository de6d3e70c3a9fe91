// Receipt handles: opaque to users, self-describing to the simulator.
//
// A handle encodes which queue incarnation, slot and generation the message
// occupied, which receive produced it (the receive count) and when, plus a
// nonce drawn from the simulator's seed and a keyed check value. Decoding
// verifies the check value, so garbage, a truncated handle or a handle edited
// by hand is rejected as SQS rejects it (ReceiptHandleIsInvalid), and the
// fields let the engine tell current, expired, stale and deleted handles
// apart without any per-handle storage.

#ifndef SQSIM_SIM_RECEIPT_HANDLE_H_
#define SQSIM_SIM_RECEIPT_HANDLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqsim::internal {

struct ReceiptHandleFields {
  uint32_t queue_id = 0;  // queue incarnation (a re-created queue differs)
  uint32_t slot = 0;
  uint32_t generation = 0;
  uint32_t receive_count = 0;  // the ApproximateReceiveCount this receive set
  int64_t received_us = 0;     // virtual time of the receive
  uint64_t nonce = 0;
};

// Encodes `fields` with a check value keyed by `secret`.
std::string EncodeReceiptHandle(const ReceiptHandleFields& fields, uint64_t secret);

// Decodes a handle made by EncodeReceiptHandle with the same secret; nullopt
// for anything else.
std::optional<ReceiptHandleFields> DecodeReceiptHandle(std::string_view handle, uint64_t secret);

}  // namespace sqsim::internal

#endif  // SQSIM_SIM_RECEIPT_HANDLE_H_
