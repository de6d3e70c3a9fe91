// Typed access to the system attributes a consumer reads, instead of
// std::stoi(m.attributes.at("ApproximateReceiveCount")).
//
// Each returns nullopt when the receive did not ask for the attribute (ask
// with message_system_attribute_names = {"All"} or by name) or when its text
// is not what SQS sends.

#ifndef SQSIM_RUNTIME_ATTRIBUTES_H_
#define SQSIM_RUNTIME_ATTRIBUTES_H_

#include <optional>
#include <string>

#include "sqsim/types.h"

namespace sqsim::runtime {

// ApproximateReceiveCount: 1 on the first delivery.
std::optional<int> ReceiveCount(const Message& m);
// ApproximateFirstReceiveTimestamp and SentTimestamp (epoch milliseconds).
std::optional<Timestamp> FirstReceiveTime(const Message& m);
std::optional<Timestamp> SentTime(const Message& m);
// MessageGroupId, MessageDeduplicationId, SequenceNumber (FIFO queues).
std::optional<std::string> GroupId(const Message& m);
std::optional<std::string> DeduplicationId(const Message& m);
std::optional<std::string> SequenceNumber(const Message& m);
// A message attribute's string value (String and Number types).
std::optional<std::string> StringAttribute(const Message& m, const std::string& name);

}  // namespace sqsim::runtime

#endif  // SQSIM_RUNTIME_ATTRIBUTES_H_
