// The notification envelope, byte-compared with the documented example.

#include "sns/envelope.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace sqsim::sns::internal {
namespace sns_envelope_test {

// 2012-05-02T00:54:06.655Z, the documented example's Timestamp.
Timestamp ExampleTime() {
  return Timestamp{std::chrono::seconds(1335920046) + std::chrono::milliseconds(655)};
}

NotificationFields ExampleFields() {
  return NotificationFields{
      .message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
      .topic_arn = "arn:aws:sns:us-west-2:123456789012:MyTopic",
      .subject = "My First Message",
      .message = "Hello world!",
      .timestamp = ExampleTime(),
      .signature_version = "1",
      .subscription_arn =
          "arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96",
      .endpoint = "https://sns.us-west-2.amazonaws.com",
  };
}

// The AWS SNS Developer Guide's Notification example ("HTTP/HTTPS
// notification JSON format"), with sqsim's signature and certificate.
std::string DocumentedExample(const std::string& signature, const std::string& cert_url) {
  return "{\n"
         "  \"Type\" : \"Notification\",\n"
         "  \"MessageId\" : \"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\",\n"
         "  \"TopicArn\" : \"arn:aws:sns:us-west-2:123456789012:MyTopic\",\n"
         "  \"Subject\" : \"My First Message\",\n"
         "  \"Message\" : \"Hello world!\",\n"
         "  \"Timestamp\" : \"2012-05-02T00:54:06.655Z\",\n"
         "  \"SignatureVersion\" : \"1\",\n"
         "  \"Signature\" : \"" +
         signature +
         "\",\n"
         "  \"SigningCertURL\" : \"" +
         cert_url +
         "\",\n"
         "  \"UnsubscribeURL\" : "
         "\"https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-"
         "west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96\"\n"
         "}";
}

TEST(SnsEnvelope, MatchesTheDocumentedNotificationByteForByte) {
  const NotificationFields fields = ExampleFields();
  EXPECT_EQ(NotificationEnvelope(fields),
            DocumentedExample(PlaceholderSignature(fields),
                              SigningCertUrl("https://sns.us-west-2.amazonaws.com")));
}

TEST(SnsEnvelope, SigningCertUrlHasSnsShape) {
  const std::string url = SigningCertUrl("https://sns.us-west-2.amazonaws.com");
  const std::string prefix = "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-";
  ASSERT_TRUE(url.starts_with(prefix));
  ASSERT_TRUE(url.ends_with(".pem"));
  EXPECT_EQ(url.size(), prefix.size() + 32 + 4);
}

TEST(SnsEnvelope, OmitsSubjectWhenNotSet) {
  NotificationFields fields = ExampleFields();
  fields.subject = std::nullopt;
  EXPECT_EQ(NotificationEnvelope(fields).find("Subject"), std::string::npos);
}

TEST(SnsEnvelope, SignatureIsDeterministicBase64OfRsaSize) {
  const std::string signature = PlaceholderSignature(ExampleFields());
  EXPECT_EQ(signature.size(), 344u);  // base64 of 256 bytes
  EXPECT_EQ(signature, PlaceholderSignature(ExampleFields()));
  NotificationFields other = ExampleFields();
  other.message = "Hello again";
  EXPECT_NE(PlaceholderSignature(other), signature);
}

TEST(SnsEnvelope, MessageAttributesFollowUnsubscribeUrlOneLineEach) {
  NotificationFields fields = ExampleFields();
  const MessageAttributeMap attributes = {
      {"attr1", {.data_type = "Number", .string_value = "100.12"}},
      {"bin", {.data_type = "Binary", .binary_value = std::string("\x01\x02", 2)}},
  };
  fields.message_attributes = &attributes;
  const std::string body = NotificationEnvelope(fields);
  EXPECT_TRUE(
      body.ends_with("c9135db0-26c4-47ec-8998-413945fb5a96\",\n"
                     "  \"MessageAttributes\" : {\n"
                     "    \"attr1\" : {\"Type\":\"Number\",\"Value\":\"100.12\"},\n"
                     "    \"bin\" : {\"Type\":\"Binary\",\"Value\":\"AQI=\"}\n"
                     "  }\n"
                     "}"))
      << body;
}

TEST(SnsEnvelope, FifoTopicsCarrySequenceNumberAndNoSignature) {
  NotificationFields fields = ExampleFields();
  fields.sequence_number = "10000000000000000001";
  const std::string body = NotificationEnvelope(fields);
  EXPECT_NE(body.find("  \"MessageId\" : \"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\",\n"
                      "  \"SequenceNumber\" : \"10000000000000000001\",\n"
                      "  \"TopicArn\""),
            std::string::npos)
      << body;
  EXPECT_EQ(body.find("Signature"), std::string::npos);
  EXPECT_EQ(body.find("SigningCertURL"), std::string::npos);
  EXPECT_NE(body.find("  \"Timestamp\" : \"2012-05-02T00:54:06.655Z\",\n  \"UnsubscribeURL\""),
            std::string::npos);
}

TEST(SnsEnvelope, EscapesMessageAsJackson) {
  NotificationFields fields = ExampleFields();
  fields.message = "{\"a\":\"b/c\"}\n\t\x01 \xc3\xa9";
  EXPECT_NE(NotificationEnvelope(fields).find(
                "\"Message\" : \"{\\\"a\\\":\\\"b/c\\\"}\\n\\t\\u0001 \xc3\xa9\",\n"),
            std::string::npos);
}

TEST(SnsEnvelope, RawDeliveryMapsAttributesToSqsAttributes) {
  const MessageAttributeMap attributes = {
      {"n", {.data_type = "Number", .string_value = "99.12"}},
      {"s", {.data_type = "String.Array", .string_value = "[\"a\",1]"}},
      {"b", {.data_type = "Binary.png", .binary_value = "raw"}},
  };
  const sqsim::MessageAttributeMap sqs = ToSqsMessageAttributes(attributes);
  ASSERT_EQ(sqs.size(), 3u);
  EXPECT_EQ(sqs.at("n"),
            (sqsim::MessageAttributeValue{.string_value = "99.12", .data_type = "Number"}));
  EXPECT_EQ(sqs.at("s"), (sqsim::MessageAttributeValue{.string_value = "[\"a\",1]",
                                                       .data_type = "String.Array"}));
  EXPECT_EQ(sqs.at("b"),
            (sqsim::MessageAttributeValue{.binary_value = "raw", .data_type = "Binary.png"}));
}

}  // namespace sns_envelope_test
}  // namespace sqsim::sns::internal
