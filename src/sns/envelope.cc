#include "sns/envelope.h"

#include <openssl/evp.h>

#include <array>

#include "core/digest.h"
#include "sns/sns_text.h"
#include "sqsim/status.h"

namespace sqsim::sns::internal {
namespace {

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += "  \"";
  out += name;
  out += "\" : ";
  out += JsonQuote(value);
  out += ",\n";
}

// The documented string to sign of a Notification: each present field's name
// and value on their own lines, in this order.
std::string StringToSign(const NotificationFields& fields) {
  std::string text = "Message\n" + std::string(fields.message) + "\nMessageId\n" +
                     std::string(fields.message_id) + "\n";
  if (fields.subject) text += "Subject\n" + std::string(*fields.subject) + "\n";
  text += "Timestamp\n" + NotificationTimestamp(fields.timestamp) + "\nTopicArn\n" +
          std::string(fields.topic_arn) + "\nType\nNotification\n";
  return text;
}

}  // namespace

std::string NotificationTimestamp(Timestamp t) { return FormatTimestamp(t); }

std::string SigningCertUrl(std::string_view endpoint) {
  // SNS names its certificate by a 32-hex-digit id; sqsim's is fixed.
  return std::string(endpoint) + "/SimpleNotificationService-" +
         sqsim::internal::Md5Hex("sqsim SNS signing certificate") + ".pem";
}

std::string PlaceholderSignature(const NotificationFields& fields) {
  // 256 bytes, the size of SNS's RSA-2048 signature: eight SHA-256 blocks of
  // the string to sign, each prefixed with its index.
  const std::string to_sign = StringToSign(fields);
  std::string signature;
  for (char block = 0; block < 8; ++block) {
    const std::string input = std::string(1, block) + to_sign;
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
    unsigned int size = 0;
    const int ok =
        EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha256(), nullptr);
    SQSIM_ASSERT(ok == 1 && size == 32, "SHA-256 failed");
    signature.append(reinterpret_cast<const char*>(digest.data()), size);
  }
  return sqsim::internal::Base64Encode(signature);
}

std::string NotificationEnvelope(const NotificationFields& fields) {
  std::string out = "{\n";
  AppendField(out, "Type", "Notification");
  AppendField(out, "MessageId", fields.message_id);
  if (fields.sequence_number) AppendField(out, "SequenceNumber", *fields.sequence_number);
  AppendField(out, "TopicArn", fields.topic_arn);
  if (fields.subject) AppendField(out, "Subject", *fields.subject);
  AppendField(out, "Message", fields.message);
  AppendField(out, "Timestamp", NotificationTimestamp(fields.timestamp));
  if (!fields.sequence_number) {
    AppendField(out, "SignatureVersion", fields.signature_version);
    AppendField(out, "Signature", PlaceholderSignature(fields));
    AppendField(out, "SigningCertURL", SigningCertUrl(fields.endpoint));
  }
  const std::string unsubscribe =
      std::string(fields.endpoint) +
      "/?Action=Unsubscribe&SubscriptionArn=" + std::string(fields.subscription_arn);
  const bool has_attributes = fields.message_attributes && !fields.message_attributes->empty();
  out += "  \"UnsubscribeURL\" : " + JsonQuote(unsubscribe);
  if (has_attributes) {
    out += ",\n  \"MessageAttributes\" : {\n";
    bool first = true;
    for (const auto& [name, value] : *fields.message_attributes) {
      if (!first) out += ",\n";
      first = false;
      // Binary values travel base64-encoded in the envelope.
      const std::string text = value.binary_value && !value.string_value
                                   ? sqsim::internal::Base64Encode(*value.binary_value)
                                   : value.string_value.value_or("");
      out += "    " + JsonQuote(name) + " : {\"Type\":" + JsonQuote(value.data_type) +
             ",\"Value\":" + JsonQuote(text) + "}";
    }
    out += "\n  }";
  }
  out += "\n}";
  return out;
}

sqsim::MessageAttributeMap ToSqsMessageAttributes(const MessageAttributeMap& attributes) {
  sqsim::MessageAttributeMap out;
  for (const auto& [name, value] : attributes) {
    sqsim::MessageAttributeValue& sqs = out[name];
    sqs.data_type = value.data_type;
    if (value.data_type.starts_with("Binary")) {
      sqs.binary_value = value.binary_value;
    } else {
      sqs.string_value = value.string_value;
    }
  }
  return out;
}

}  // namespace sqsim::sns::internal
