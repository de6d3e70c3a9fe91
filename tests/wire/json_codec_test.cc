// Round trips for every action and the codec's documented choices about
// optional members, binary values, types and ranges.

#include "wire/json_codec.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqsim/testing/matchers.h"
#include "wire/json_samples.h"

namespace sqsim::wire {
namespace {

using ::nlohmann::json;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using testing::FullAttributes;
using ::testing::HasSubstr;
using testing::Sample;

// Encode, decode, encode again: the two bodies must be equal. Object keys are
// sorted by nlohmann::json, so equal values give equal bytes. The oracle test
// proves the first body carries every member, so nothing can be dropped
// silently on either side.
template <typename Request>
void ExpectRequestRoundTrip(const Request& original) {
  const std::string body = EncodeJsonRequest(original);
  Request decoded{};
  ASSERT_THAT(DecodeJsonRequest(body, &decoded), IsOk()) << body;
  EXPECT_EQ(EncodeJsonRequest(decoded), body);
}

template <typename Response>
void ExpectResponseRoundTrip(const Response& original) {
  const std::string body = EncodeJsonResponse(original);
  Response decoded{};
  ASSERT_THAT(DecodeJsonResponse(body, &decoded), IsOk()) << body;
  EXPECT_EQ(EncodeJsonResponse(decoded), body);
}

#define SQSIM_ROUND_TRIP_TESTS(Name)                                                           \
  TEST(JsonCodecRoundTrip, Name##Request) { ExpectRequestRoundTrip(Sample<Name##Request>()); } \
  TEST(JsonCodecRoundTrip, Name##Response) { ExpectResponseRoundTrip(Sample<Name##Response>()); }
SQSIM_FOR_EACH_ACTION(SQSIM_ROUND_TRIP_TESTS)
#undef SQSIM_ROUND_TRIP_TESTS

TEST(JsonCodec, SendMessageRoundTripKeepsBinaryAttributeBytes) {
  const SendMessageRequest original = Sample<SendMessageRequest>();
  SendMessageRequest decoded;
  ASSERT_THAT(DecodeJsonRequest(EncodeJsonRequest(original), &decoded), IsOk());
  EXPECT_EQ(decoded.message_attributes, original.message_attributes);
  EXPECT_EQ(decoded.message_system_attributes, original.message_system_attributes);
  EXPECT_EQ(decoded.delay_seconds, original.delay_seconds);
  EXPECT_EQ(decoded.message_group_id, original.message_group_id);
}

TEST(JsonCodec, ReceiveMessageRoundTripKeepsEveryMessageMember) {
  const ReceiveMessageResponse original = Sample<ReceiveMessageResponse>();
  ReceiveMessageResponse decoded;
  ASSERT_THAT(DecodeJsonResponse(EncodeJsonResponse(original), &decoded), IsOk());
  EXPECT_EQ(decoded.messages, original.messages);
}

TEST(JsonCodec, BinaryValuesTravelAsBase64) {
  SendMessageRequest request{.queue_url = "u", .message_body = "b"};
  request.message_attributes["bin"] = {.binary_value = std::string("\x00\xff", 2),
                                       .binary_list_values = {"hi"},
                                       .data_type = "Binary"};
  const json body = json::parse(EncodeJsonRequest(request));
  EXPECT_EQ(body["MessageAttributes"]["bin"]["BinaryValue"], "AP8=");
  EXPECT_EQ(body["MessageAttributes"]["bin"]["BinaryListValues"], json::array({"aGk="}));
}

TEST(JsonCodec, EncoderUsesTheModelsOddMemberNames) {
  EXPECT_TRUE(
      json::parse(EncodeJsonRequest(CreateQueueRequest{.queue_name = "q", .tags = {{"k", "v"}}}))
          .contains("tags"));
  EXPECT_TRUE(
      json::parse(EncodeJsonResponse(ListDeadLetterSourceQueuesResponse{.queue_urls = {"u"}}))
          .contains("queueUrls"));
  EXPECT_TRUE(json::parse(EncodeJsonResponse(ListQueueTagsResponse{.tags = {{"k", "v"}}}))
                  .contains("Tags"));
}

TEST(JsonCodec, EncoderOmitsUnsetOptionalsAndEmptyContainers) {
  EXPECT_EQ(EncodeJsonRequest(ReceiveMessageRequest{.queue_url = "u"}), R"({"QueueUrl":"u"})");
  EXPECT_EQ(EncodeJsonResponse(ReceiveMessageResponse{}), "{}");
  EXPECT_EQ(EncodeJsonResponse(ListQueueTagsResponse{}), "{}");
  EXPECT_EQ(EncodeJsonResponse(DeleteQueueResponse{}), "{}");
}

// SQS's JSON responses leave out empty lists even where the model marks
// them required: a batch that fully succeeded has no "Failed" member (AWS
// responses recorded in LocalStack's AWS-validated snapshots; the query
// protocol's ListDeadLetterSourceQueuesResult is empty for a DLQ without
// sources). Requests keep them: an empty batch must reach the server as one.
// (Members go out in the order of the service model's shapes: Id,
// SenderFault, Code.)
TEST(JsonCodec, ResponsesLeaveOutEmptyRequiredListsAndRequestsKeepThem) {
  EXPECT_EQ(EncodeJsonResponse(DeleteMessageBatchResponse{}), "{}");
  EXPECT_EQ(EncodeJsonResponse(SendMessageBatchResponse{.successful = {{.id = "a"}}}),
            R"({"Successful":[{"Id":"a"}]})");
  EXPECT_EQ(EncodeJsonResponse(ChangeMessageVisibilityBatchResponse{
                .failed = {{.id = "b", .sender_fault = true, .code = "C"}}}),
            R"({"Failed":[{"Id":"b","SenderFault":true,"Code":"C"}]})");
  EXPECT_EQ(EncodeJsonResponse(ListDeadLetterSourceQueuesResponse{}), "{}");
  EXPECT_EQ(EncodeJsonRequest(DeleteMessageBatchRequest{.queue_url = "u"}),
            R"({"QueueUrl":"u","Entries":[]})");
}

TEST(JsonCodec, EncoderAlwaysWritesPlainNumbersAndBooleans) {
  EXPECT_EQ(
      EncodeJsonRequest(ChangeMessageVisibilityRequest{.queue_url = "u", .receipt_handle = "r"}),
      R"({"QueueUrl":"u","ReceiptHandle":"r","VisibilityTimeout":0})");
}

TEST(JsonCodec, EncoderReplacesInvalidUtf8InsteadOfThrowing) {
  const std::string body =
      EncodeJsonRequest(SendMessageRequest{.queue_url = "u", .message_body = "a\xff"});
  SendMessageRequest decoded;
  ASSERT_THAT(DecodeJsonRequest(body, &decoded), IsOk());
  EXPECT_EQ(decoded.message_body, "a\xef\xbf\xbd");
}

TEST(JsonCodec, ResponseDecoderIgnoresUnknownMembers) {
  GetQueueUrlResponse response;
  ASSERT_THAT(DecodeJsonResponse(R"({"QueueUrl":"u","Future":{"x":[1,2]}})", &response), IsOk());
  EXPECT_EQ(response.queue_url, "u");
}

TEST(JsonCodec, ResponseDecoderAcceptsMissingMembers) {
  SendMessageBatchResponse response;
  EXPECT_THAT(DecodeJsonResponse("{}", &response), IsOk());
  EXPECT_TRUE(response.successful.empty());
}

TEST(JsonCodec, DecodersAcceptAnEmptyBodyAsAnEmptyObject) {
  DeleteQueueResponse response;
  EXPECT_THAT(DecodeJsonResponse("", &response), IsOk());
  ListQueuesRequest request;
  EXPECT_THAT(DecodeJsonRequest("", &request), IsOk());
}

TEST(JsonCodec, DecodersTreatNullAsAbsent) {
  ListQueuesRequest request;
  ASSERT_THAT(DecodeJsonRequest(R"({"MaxResults":null,"NextToken":null})", &request), IsOk());
  EXPECT_FALSE(request.max_results.has_value());
  EXPECT_FALSE(request.next_token.has_value());
}

TEST(JsonCodec, RequestDecoderLeavesMissingRequiredMembersEmpty) {
  SendMessageRequest request;
  ASSERT_THAT(DecodeJsonRequest("{}", &request), IsOk());
  EXPECT_EQ(request.queue_url, "");
  EXPECT_EQ(request.message_body, "");
}

TEST(JsonCodec, RequestDecoderRejectsAWrongTypeWithSerializationException) {
  ReceiveMessageRequest request;
  EXPECT_THAT(DecodeJsonRequest(R"({"QueueUrl":"u","MaxNumberOfMessages":"5"})", &request),
              StatusIs(ErrorCode::kSerializationException, HasSubstr("MaxNumberOfMessages")));
}

TEST(JsonCodec, RequestDecoderErrorNamesTheNestedMember) {
  SendMessageBatchRequest request;
  EXPECT_THAT(
      DecodeJsonRequest(
          R"({"Entries":[{"Id":"a"},{"Id":"b","MessageAttributes":{"x":{"BinaryValue":7}}}]})",
          &request),
      StatusIs(ErrorCode::kSerializationException,
               HasSubstr("Entries[1].MessageAttributes.x.BinaryValue")));
}

TEST(JsonCodec, RequestDecoderRejectsNonObjectBodies) {
  DeleteQueueRequest request;
  EXPECT_THAT(DecodeJsonRequest("[]", &request), StatusIs(ErrorCode::kSerializationException));
  EXPECT_THAT(DecodeJsonRequest("not json", &request),
              StatusIs(ErrorCode::kSerializationException));
}

TEST(JsonCodec, RequestDecoderRejectsNonIntegralNumbers) {
  ListQueuesRequest request;
  EXPECT_THAT(DecodeJsonRequest(R"({"MaxResults":5.0})", &request),
              StatusIs(ErrorCode::kSerializationException));
}

TEST(JsonCodec, RequestDecoderAcceptsTheFullIntRange) {
  ListQueuesRequest request;
  ASSERT_THAT(DecodeJsonRequest(R"({"MaxResults":-2147483648})", &request), IsOk());
  EXPECT_EQ(request.max_results, -2147483648LL);
  ASSERT_THAT(DecodeJsonRequest(R"({"MaxResults":2147483647})", &request), IsOk());
  EXPECT_EQ(request.max_results, 2147483647);
}

TEST(JsonCodec, RequestDecoderRejectsIntegersOutsideIntRange) {
  ListQueuesRequest request;
  EXPECT_THAT(DecodeJsonRequest(R"({"MaxResults":2147483648})", &request),
              StatusIs(ErrorCode::kSerializationException, HasSubstr("out of range")));
  EXPECT_THAT(DecodeJsonRequest(R"({"MaxResults":-2147483649})", &request),
              StatusIs(ErrorCode::kSerializationException, HasSubstr("out of range")));
}

TEST(JsonCodec, ResponseDecoderReadsLongsBeyondIntRange) {
  CancelMessageMoveTaskResponse response;
  ASSERT_THAT(
      DecodeJsonResponse(R"({"ApproximateNumberOfMessagesMoved":9223372036854775807})", &response),
      IsOk());
  EXPECT_EQ(response.approximate_number_of_messages_moved, 9223372036854775807LL);
  EXPECT_THAT(
      DecodeJsonResponse(R"({"ApproximateNumberOfMessagesMoved":9223372036854775808})", &response),
      StatusIs(ErrorCode::kMalformedResponse));
}

TEST(JsonCodec, ResponseDecoderRejectsAWrongTypeAsMalformed) {
  ReceiveMessageResponse response;
  EXPECT_THAT(DecodeJsonResponse(R"({"Messages":{"Body":"x"}})", &response),
              StatusIs(ErrorCode::kMalformedResponse, HasSubstr("Messages")));
}

TEST(JsonCodec, ResponseDecoderRejectsInvalidBase64AsMalformed) {
  ReceiveMessageResponse response;
  EXPECT_THAT(
      DecodeJsonResponse(
          R"({"Messages":[{"MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"Zh=="}}}]})",
          &response),
      StatusIs(ErrorCode::kMalformedResponse, HasSubstr("invalid base64")));
}

TEST(JsonCodec, FailedDecodeLeavesTheOutputUntouched) {
  GetQueueUrlResponse response{.queue_url = "before"};
  EXPECT_THAT(DecodeJsonResponse(R"({"QueueUrl":1})", &response),
              StatusIs(ErrorCode::kMalformedResponse));
  EXPECT_EQ(response.queue_url, "before");
}

TEST(JsonCodec, ReceiveMessageRequestKeepsBothAttributeNameLists) {
  ReceiveMessageRequest request;
  ASSERT_THAT(DecodeJsonRequest(
                  R"({"AttributeNames":["All"],"MessageSystemAttributeNames":["SentTimestamp"]})",
                  &request),
              IsOk());
  EXPECT_THAT(request.attribute_names, ::testing::ElementsAre("All"));
  EXPECT_THAT(request.message_system_attribute_names, ::testing::ElementsAre("SentTimestamp"));
}

TEST(JsonCodec, SampleAttributesCoverEveryValueMember) {
  // Guards the samples themselves: the round trips above are only as strong
  // as the values they carry.
  const MessageAttributeMap attributes = FullAttributes();
  const MessageAttributeValue& full = attributes.at("full");
  EXPECT_TRUE(full.string_value && full.binary_value && !full.string_list_values.empty() &&
              !full.binary_list_values.empty() && !full.data_type.empty());
}

}  // namespace
}  // namespace sqsim::wire
