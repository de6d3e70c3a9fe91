// What a subscriber receives: the JSON envelope SNS wraps a notification in,
// or the raw message, and the SQS message attributes raw delivery maps.
//
// The envelope is byte-for-byte the layout SNS sends (AWS SNS Developer
// Guide, "HTTP/HTTPS notification JSON format", and messages SNS delivered to
// SQS queues): pretty-printed with two-space indentation and " : " between
// name and value, fields in the order
//   Type, MessageId, [SequenceNumber], TopicArn, [Subject], Message,
//   Timestamp, [SignatureVersion, Signature, SigningCertURL], UnsubscribeURL,
//   [MessageAttributes]
// where each attribute is one compact line {"Type":"...","Value":"..."}.
// FIFO topics carry SequenceNumber and no signature fields; standard topics
// the reverse. Attributes are listed by name (SNS's own order is not
// documented and varies).
//
// Signature: SNS signs with its private key, which sqsim does not have. The
// Signature is a deterministic placeholder of a real one's size: base64 of
// 256 bytes derived by SHA-256 from the documented string to sign, so equal
// notifications carry equal signatures, but no certificate verifies it.

#ifndef SQSIM_SRC_SNS_ENVELOPE_H_
#define SQSIM_SRC_SNS_ENVELOPE_H_

#include <optional>
#include <string>
#include <string_view>

#include "sqsim/sns/types.h"
#include "sqsim/types.h"

namespace sqsim::sns::internal {

struct NotificationFields {
  std::string_view message_id{};
  std::optional<std::string_view> sequence_number{};  // FIFO topics
  std::string_view topic_arn{};
  std::optional<std::string_view> subject{};
  std::string_view message{};
  Timestamp timestamp{};
  std::string_view signature_version{};  // "1" or "2"; unused for FIFO topics
  std::string_view subscription_arn{};
  const MessageAttributeMap* message_attributes = nullptr;  // null or empty: none
  // e.g. "https://sns.us-east-1.amazonaws.com", no trailing slash.
  std::string_view endpoint{};
};

// The notification envelope, as SNS delivers it to SQS, Lambda and HTTP(S)
// subscriptions without raw message delivery.
std::string NotificationEnvelope(const NotificationFields& fields);

// The placeholder signature (see above): base64, 344 characters.
std::string PlaceholderSignature(const NotificationFields& fields);

// "https://sns.<region>.amazonaws.com/SimpleNotificationService-<id>.pem".
std::string SigningCertUrl(std::string_view endpoint);

// SNS's time format: UTC, milliseconds, "2012-05-02T00:54:06.655Z".
std::string NotificationTimestamp(Timestamp t);

// SNS message attributes as SQS message attributes for raw delivery: the
// same names and data types (String.Array stays "String.Array", which SQS
// reads as a String with a custom label), string values as string values,
// binary as binary.
sqsim::MessageAttributeMap ToSqsMessageAttributes(const MessageAttributeMap& attributes);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_ENVELOPE_H_
