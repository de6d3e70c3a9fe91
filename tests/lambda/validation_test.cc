// The event source mapping's option checks (Lambda's errors, word for word)
// and the SQS event's shape and JSON.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lambda/batch_response.h"
#include "lambda/mapping_fixture.h"
#include "sqsim/lambda/event_source_mapping.h"
#include "sqsim/lambda/sqs_event.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::lambda {
namespace esm_validation_test {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;

constexpr const char* kQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
constexpr const char* kFifoQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo";

// The error Validate gives `options`, which must be one.
Status ErrorOf(EventSourceMappingOptions options) {
  Status s = EventSourceMapping::Validate(options);
  EXPECT_FALSE(s.ok());
  return s;
}

TEST(EventSourceMappingValidation, DefaultsAreValid) {
  EXPECT_THAT(EventSourceMapping::Validate({.queue_url = kQueue}), IsOk());
  EXPECT_THAT(EventSourceMapping::Validate({.queue_url = kFifoQueue}), IsOk());
}

TEST(EventSourceMappingValidation, QueueIsRequired) {
  Status s = ErrorOf({});
  EXPECT_THAT(s, StatusIs(ErrorCode::kValidationError));
  EXPECT_EQ(s.json_type(), "ValidationException");
  EXPECT_EQ(s.message(),
            "1 validation error detected: Value null at 'eventSourceArn' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(EventSourceMappingValidation, BatchSizeOutsideTheModelRange) {
  EXPECT_EQ(ErrorOf({.queue_url = kQueue, .batch_size = 0}).message(),
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
  EXPECT_EQ(
      ErrorOf({.queue_url = kQueue, .batch_size = 10001, .maximum_batching_window_in_seconds = 1})
          .message(),
      "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy "
      "constraint: Member must have value less than or equal to 10000");
}

TEST(EventSourceMappingValidation, BatchingWindowOutsideTheModelRange) {
  EXPECT_THAT(ErrorOf({.queue_url = kQueue, .maximum_batching_window_in_seconds = -1}),
              StatusIs(ErrorCode::kValidationError));
  EXPECT_EQ(ErrorOf({.queue_url = kQueue, .maximum_batching_window_in_seconds = 301}).message(),
            "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed "
            "to satisfy constraint: Member must have value less than or equal to 300");
}

TEST(EventSourceMappingValidation, FunctionResponseTypesMustBeReportBatchItemFailures) {
  EXPECT_THAT(EventSourceMapping::Validate(
                  {.queue_url = kQueue, .function_response_types = {"ReportBatchItemFailures"}}),
              IsOk());
  EXPECT_EQ(ErrorOf({.queue_url = kQueue, .function_response_types = {"Partial"}}).message(),
            "1 validation error detected: Value '[Partial]' at 'functionResponseTypes' failed to "
            "satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value "
            "set: [ReportBatchItemFailures]]");
  EXPECT_THAT(
      ErrorOf({.queue_url = kQueue,
               .function_response_types = {"ReportBatchItemFailures", "ReportBatchItemFailures"}})
          .message(),
      ::testing::HasSubstr("Member must have length less than or equal to 1"));
}

TEST(EventSourceMappingValidation, MaximumConcurrencyIsTwoToOneThousand) {
  EXPECT_THAT(EventSourceMapping::Validate({.queue_url = kQueue, .maximum_concurrency = 2}),
              IsOk());
  EXPECT_EQ(ErrorOf({.queue_url = kQueue, .maximum_concurrency = 1}).message(),
            "1 validation error detected: Value '1' at 'scalingConfig.maximumConcurrency' failed "
            "to satisfy constraint: Member must have value greater than or equal to 2");
  EXPECT_THAT(ErrorOf({.queue_url = kQueue, .maximum_concurrency = 1001}),
              StatusIs(ErrorCode::kValidationError));
}

TEST(EventSourceMappingValidation, FunctionTimeoutIsOneToNineHundredSeconds) {
  EXPECT_THAT(EventSourceMapping::Validate({.queue_url = kQueue, .function_timeout_seconds = 900}),
              IsOk());
  EXPECT_THAT(ErrorOf({.queue_url = kQueue, .function_timeout_seconds = 0}),
              StatusIs(ErrorCode::kValidationError));
  EXPECT_EQ(ErrorOf({.queue_url = kQueue, .function_timeout_seconds = 901}).message(),
            "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: "
            "Member must have value less than or equal to 900");
}

TEST(EventSourceMappingValidation, ReservedConcurrencyIsNotNegative) {
  EXPECT_THAT(
      EventSourceMapping::Validate({.queue_url = kQueue, .reserved_concurrent_executions = 0}),
      IsOk());
  EXPECT_THAT(ErrorOf({.queue_url = kQueue, .reserved_concurrent_executions = -1}),
              StatusIs(ErrorCode::kValidationError));
}

TEST(EventSourceMappingValidation, EveryModelViolationIsReported) {
  EXPECT_EQ(
      ErrorOf({.queue_url = kQueue, .batch_size = 0, .maximum_batching_window_in_seconds = 400})
          .message(),
      "2 validation errors detected: Value '0' at 'batchSize' failed to satisfy constraint: "
      "Member must have value greater than or equal to 1; Value '400' at "
      "'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have "
      "value less than or equal to 300");
}

TEST(EventSourceMappingValidation, BatchSizeAboveTenNeedsABatchingWindow) {
  Status s = ErrorOf({.queue_url = kQueue, .batch_size = 11});
  EXPECT_THAT(s, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(s.json_type(), "InvalidParameterValueException");
  EXPECT_EQ(s.message(),
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
            "greater than 10");
  EXPECT_THAT(
      EventSourceMapping::Validate(
          {.queue_url = kQueue, .batch_size = 10000, .maximum_batching_window_in_seconds = 1}),
      IsOk());
}

TEST(EventSourceMappingValidation, FifoQueueHasNoBatchingWindow) {
  EXPECT_EQ(
      ErrorOf({.queue_url = kFifoQueue, .batch_size = 100, .maximum_batching_window_in_seconds = 5})
          .message(),
      "Batching window is not supported for FIFO queues");
}

TEST(EventSourceMappingValidation, FifoQueueBatchSizeIsAtMostTen) {
  Status s = ErrorOf({.queue_url = kFifoQueue, .batch_size = 11});
  EXPECT_THAT(s, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(s.message(), "Maximum batch size must be between 1 and 10 inclusive");
}

// ---- The event -------------------------------------------------------------

TEST(SqsEventJson, StandardRecordHasTheDocumentedShape) {
  SqsRecord r{
      .message_id = "059f36b4-87a3-44ab-83d2-661975830a7d",
      .receipt_handle = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
      .body = "Test message.",
      .attributes = {.approximate_receive_count = "1",
                     .sent_timestamp = "1545082649183",
                     .sender_id = "AIDAIENQZJOLO23YVJ4VO",
                     .approximate_first_receive_timestamp = "1545082649185"},
      .message_attributes = {{"myAttribute", {.string_value = "myValue", .data_type = "String"}}},
      .md5_of_body = "e4e68fb7bd0e697a0ae8f1bb342846b3",
      .event_source_arn = "arn:aws:sqs:us-east-2:123456789012:my-queue",
      .aws_region = "us-east-2"};
  EXPECT_EQ(ToJson(SqsEvent{.records = {r}}),
            R"({"Records":[{"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d",)"
            R"("receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...","body":"Test message.",)"
            R"("attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183",)"
            R"("SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":)"
            R"("1545082649185"},"messageAttributes":{"myAttribute":{"stringValue":"myValue",)"
            R"("stringListValues":[],"binaryListValues":[],"dataType":"String"}},)"
            R"("md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs",)"
            R"("eventSourceARN":"arn:aws:sqs:us-east-2:123456789012:my-queue",)"
            R"("awsRegion":"us-east-2"}]})");
}

TEST(SqsEventJson, FifoAttributesSitWhereTheDocumentedExampleHasThem) {
  SqsRecordAttributes a{.approximate_receive_count = "1",
                        .sent_timestamp = "1573251510774",
                        .sender_id = "AIDAIO23YVJENQZJOL4VO",
                        .approximate_first_receive_timestamp = "1573251510774",
                        .sequence_number = "18849496460467696128",
                        .message_group_id = "1",
                        .message_deduplication_id = "1"};
  const std::string json = ToJson(SqsRecord{.attributes = a});
  EXPECT_THAT(json, ::testing::HasSubstr(
                        R"("attributes":{"ApproximateReceiveCount":"1","SentTimestamp":)"
                        R"("1573251510774","SequenceNumber":"18849496460467696128",)"
                        R"("MessageGroupId":"1","SenderId":"AIDAIO23YVJENQZJOL4VO",)"
                        R"("MessageDeduplicationId":"1","ApproximateFirstReceiveTimestamp":)"
                        R"("1573251510774"})"));
}

TEST(SqsEventJson, BodyIsEscapedAndBinaryIsBase64) {
  SqsRecord r{.body = "a\"b\\c\n\x01",
              .message_attributes = {{"raw", {.binary_value = "hi", .data_type = "Binary"}}}};
  const std::string json = ToJson(r);
  EXPECT_THAT(json, ::testing::HasSubstr(R"("body":"a\"b\\c\n\u0001")"));
  EXPECT_THAT(json, ::testing::HasSubstr(R"("raw":{"binaryValue":"aGk=")"));
  EXPECT_EQ(EventJsonSize(1, json.size()), ToJson(SqsEvent{.records = {r}}).size());
  EXPECT_EQ(EventJsonSize(2, 2 * json.size()), ToJson(SqsEvent{.records = {r, r}}).size());
}

class SqsEventFromQueueTest : public esm_test::MappingTest {};

TEST_F(SqsEventFromQueueTest, RecordCarriesTheQueueAndTheMessage) {
  const std::string url = MakeQueue("orders.fifo", {{"FifoQueue", "true"}});
  SendMessageRequest send{
      .queue_url = url,
      .message_body = "enrol",
      .message_attributes = {{"course", {.string_value = "math", .data_type = "String"}}},
      .message_deduplication_id = "d-1",
      .message_group_id = "student-7"};
  ASSERT_THAT(sim_->SendMessage(send), IsOk());
  std::vector<SqsRecord> records;
  EventSourceMapping mapping(
      *sim_, sim_->env(), {.queue_url = url},
      [&](const SqsEvent& event,
          InvocationContext&) -> boost::asio::awaitable<Result<BatchResponse>> {
        records = event.records;
        co_return BatchResponse::Success();
      });
  std::optional<Status> status;
  Start(mapping, &status);
  sim_->RunFor(std::chrono::seconds(1));
  ASSERT_EQ(records.size(), 1u);
  const SqsRecord& r = records[0];
  EXPECT_EQ(r.body, "enrol");
  EXPECT_EQ(r.event_source, "aws:sqs");
  EXPECT_EQ(r.event_source_arn, ArnOf(url));
  EXPECT_EQ(r.aws_region, sim_->options().region);
  EXPECT_EQ(r.attributes.approximate_receive_count, "1");
  EXPECT_FALSE(r.attributes.sender_id.empty());
  EXPECT_FALSE(r.attributes.sent_timestamp.empty());
  EXPECT_EQ(r.attributes.message_group_id, "student-7");
  EXPECT_EQ(r.attributes.message_deduplication_id, "d-1");
  EXPECT_TRUE(r.attributes.sequence_number.has_value());
  EXPECT_EQ(r.message_attributes.at("course").string_value, "math");
  EXPECT_TRUE(r.md5_of_message_attributes.has_value());
  StopAndWait(mapping, &status);
}

// ---- Partial batch responses -----------------------------------------------

TEST(RecordsToDelete, KeepsTheReportedFailuresAndDeletesTheRest) {
  const std::vector<SqsRecord> records = {
      {.message_id = "a"}, {.message_id = "b"}, {.message_id = "c"}};
  EXPECT_EQ(internal::RecordsToDelete(records, BatchResponse::Failures({"b"}), true),
            (std::vector<size_t>{0, 2}));
  EXPECT_EQ(internal::RecordsToDelete(records, BatchResponse::Failures({"b"}), false),
            (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(internal::RecordsToDelete(records, BatchResponse::Success(), true),
            (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(internal::RecordsToDelete(records, BatchResponse::Failures({"b", "x"}), true),
            std::nullopt);
}

}  // namespace esm_validation_test
}  // namespace sqsim::lambda
