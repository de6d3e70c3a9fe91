// PeekedMessage: one stored message as a test sees it without receiving it
// (Simulator::Peek, sqsim-server's peek endpoint): its state as of now and
// what SQS keeps about it.

#ifndef SQSIM_PEEK_H_
#define SQSIM_PEEK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/types.h"

namespace sqsim {

struct PeekedMessage {
  std::string message_id{};
  std::string body{};
  std::string state{};  // "delayed", "visible" or "in_flight", as of now
  Timestamp sent{};
  std::optional<Timestamp> visible_at{};  // delayed / in flight: when it becomes visible
  uint32_t receive_count = 0;
  std::optional<Timestamp> first_received{};
  std::optional<std::string> group_id{};
  std::optional<std::string> deduplication_id{};
  std::optional<std::string> sequence_number{};
  std::vector<std::string> attribute_names{};  // its message attributes' names
};

}  // namespace sqsim

#endif  // SQSIM_PEEK_H_
