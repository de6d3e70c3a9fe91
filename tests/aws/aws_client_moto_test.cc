// AwsClient against a real moto_server on loopback: every SQS action, the
// error paths moto implements, batches and long polling, through the same
// encoder, signer, transport and decoder that talk to real SQS.
//
// Where moto deviates from documented SQS the `MotoDeviation` tests pin
// moto's actual answer, so the deviation table in the README stays true: if a
// moto upgrade fixes one, its test fails and the table needs updating.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "sqsim/aws/aws_client.h"
#include "support/moto.h"

namespace sqsim::aws {
namespace {

using ::sqsim::test::SharedMoto;
using ::sqsim::test::UniqueQueueName;

class AwsClientMotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SQSIM_REQUIRE_MOTO();
    auto created = AwsClient::Create({
        .region = "us-east-1",
        .endpoint_url = SharedMoto().url,
        .credentials = AwsCredentials{.access_key_id = "testing", .secret_access_key = "testing"},
    });
    ASSERT_TRUE(created.ok()) << created.status();
    client_ = std::move(*created);
  }

  std::string NewQueue(QueueAttributeMap attributes = {}, const std::string& suffix = "") {
    auto created = client_->CreateQueue(
        {.queue_name = UniqueQueueName("aws") + suffix, .attributes = std::move(attributes)});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->queue_url : std::string();
  }

  std::string ArnOf(const std::string& url) {
    auto attributes =
        client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"QueueArn"}});
    EXPECT_TRUE(attributes.ok()) << attributes.status();
    return attributes.ok() ? attributes->attributes["QueueArn"] : std::string();
  }

  std::unique_ptr<AwsClient> client_;
};

TEST_F(AwsClientMotoTest, CreateQueueReturnsAUrlThatGetQueueUrlFindsAgain) {
  const std::string name = UniqueQueueName("aws");
  auto created = client_->CreateQueue({.queue_name = name});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->queue_url.ends_with("/" + name)) << created->queue_url;

  auto found = client_->GetQueueUrl({.queue_name = name});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->queue_url, created->queue_url);
}

TEST_F(AwsClientMotoTest, GetQueueUrlOfAMissingQueueIsQueueDoesNotExist) {
  auto found = client_->GetQueueUrl({.queue_name = UniqueQueueName("missing")});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), ErrorCode::kQueueDoesNotExist) << found.status();
  EXPECT_EQ(found.status().http_status(), 400);
}

TEST_F(AwsClientMotoTest, ListQueuesFiltersByPrefix) {
  const std::string prefix = UniqueQueueName("list");
  for (const char* suffix : {"-a", "-b"}) {
    ASSERT_TRUE(client_->CreateQueue({.queue_name = prefix + suffix}).ok());
  }
  auto listed = client_->ListQueues({.queue_name_prefix = prefix});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->queue_urls.size(), 2u);
  EXPECT_TRUE(listed->queue_urls[0].ends_with(prefix + "-a") ||
              listed->queue_urls[1].ends_with(prefix + "-a"));
}

TEST_F(AwsClientMotoTest, SetQueueAttributesIsVisibleInGetQueueAttributes) {
  const std::string url = NewQueue();
  ASSERT_TRUE(
      client_->SetQueueAttributes({.queue_url = url, .attributes = {{"VisibilityTimeout", "45"}}})
          .ok());
  auto attributes = client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
  ASSERT_TRUE(attributes.ok()) << attributes.status();
  EXPECT_EQ(attributes->attributes["VisibilityTimeout"], "45");
  EXPECT_TRUE(attributes->attributes.contains("QueueArn"));
}

TEST_F(AwsClientMotoTest, DeleteQueueMakesTheQueueUnknown) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->DeleteQueue({.queue_url = url}).ok());
  auto attributes = client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
  ASSERT_FALSE(attributes.ok());
  EXPECT_EQ(attributes.status().code(), ErrorCode::kQueueDoesNotExist) << attributes.status();
}

TEST_F(AwsClientMotoTest, SendReceiveDeleteRoundTripsBodyAndAllAttributeKinds) {
  const std::string url = NewQueue();
  const std::string binary("\x00\x01\xfe\xff", 4);
  auto sent = client_->SendMessage({
      .queue_url = url,
      .message_body = "enrol student 42 in course 7 \xc3\xa9",
      .message_attributes = {{"kind", {.string_value = "enrolment", .data_type = "String"}},
                             {"count", {.string_value = "3", .data_type = "Number"}},
                             {"blob", {.binary_value = binary, .data_type = "Binary"}}},
  });
  ASSERT_TRUE(sent.ok()) << sent.status();  // MD5s verified by the client
  EXPECT_FALSE(sent->message_id.empty());

  auto received = client_->ReceiveMessage({.queue_url = url,
                                           .message_system_attribute_names = {"All"},
                                           .message_attribute_names = {"All"}});
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 1u);
  const Message& message = received->messages[0];
  EXPECT_EQ(message.message_id, sent->message_id);
  EXPECT_EQ(message.body, "enrol student 42 in course 7 \xc3\xa9");
  EXPECT_EQ(message.message_attributes.at("blob").binary_value, binary);
  EXPECT_EQ(message.message_attributes.at("count").string_value, "3");
  EXPECT_EQ(message.attributes.at("ApproximateReceiveCount"), "1");

  ASSERT_TRUE(
      client_->DeleteMessage({.queue_url = url, .receipt_handle = message.receipt_handle}).ok());
  auto again = client_->ReceiveMessage({.queue_url = url});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->messages.empty());
}

TEST_F(AwsClientMotoTest, InvalidDelaySecondsIsInvalidParameterValue) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessage({.queue_url = url, .message_body = "x", .delay_seconds = 1000});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), ErrorCode::kInvalidParameterValue) << sent.status();
  EXPECT_NE(sent.status().message().find("DelaySeconds"), std::string::npos);
}

TEST_F(AwsClientMotoTest, DeleteWithAMalformedReceiptHandleIsReceiptHandleIsInvalid) {
  const std::string url = NewQueue();
  auto deleted = client_->DeleteMessage({.queue_url = url, .receipt_handle = "not-a-handle"});
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.status().code(), ErrorCode::kReceiptHandleIsInvalid) << deleted.status();
}

TEST_F(AwsClientMotoTest, SendMessageBatchReportsPerEntryResults) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessageBatch({.queue_url = url,
                                         .entries = {{.id = "a", .message_body = "one"},
                                                     {.id = "b", .message_body = "two"},
                                                     {.id = "c", .message_body = "three"}}});
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->successful.size(), 3u);
  EXPECT_TRUE(sent->failed.empty());
}

TEST_F(AwsClientMotoTest, SendMessageBatchWithDuplicateIdsIsBatchEntryIdsNotDistinct) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessageBatch(
      {.queue_url = url,
       .entries = {{.id = "a", .message_body = "one"}, {.id = "a", .message_body = "two"}}});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), ErrorCode::kBatchEntryIdsNotDistinct) << sent.status();
}

TEST_F(AwsClientMotoTest, DeleteAndChangeVisibilityBatchesSucceedForReceivedMessages) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_
                  ->SendMessageBatch({.queue_url = url,
                                      .entries = {{.id = "a", .message_body = "one"},
                                                  {.id = "b", .message_body = "two"}}})
                  .ok());
  auto received = client_->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 2u);

  auto changed = client_->ChangeMessageVisibilityBatch(
      {.queue_url = url,
       .entries = {{.id = "x",
                    .receipt_handle = received->messages[0].receipt_handle,
                    .visibility_timeout = 60},
                   {.id = "y",
                    .receipt_handle = received->messages[1].receipt_handle,
                    .visibility_timeout = 60}}});
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->successful.size(), 2u);

  auto deleted = client_->DeleteMessageBatch(
      {.queue_url = url,
       .entries = {{.id = "x", .receipt_handle = received->messages[0].receipt_handle},
                   {.id = "y", .receipt_handle = received->messages[1].receipt_handle}}});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->successful.size(), 2u);
}

TEST_F(AwsClientMotoTest, ChangeMessageVisibilityZeroMakesTheMessageReceivableAgain) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->SendMessage({.queue_url = url, .message_body = "retry me"}).ok());
  auto first = client_->ReceiveMessage({.queue_url = url});
  ASSERT_TRUE(first.ok() && first->messages.size() == 1);
  ASSERT_TRUE(client_
                  ->ChangeMessageVisibility({.queue_url = url,
                                             .receipt_handle = first->messages[0].receipt_handle,
                                             .visibility_timeout = 0})
                  .ok());
  auto second = client_->ReceiveMessage(
      {.queue_url = url, .message_system_attribute_names = {"ApproximateReceiveCount"}});
  ASSERT_TRUE(second.ok() && second->messages.size() == 1);
  EXPECT_EQ(second->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(AwsClientMotoTest, PurgeQueueRemovesEveryMessage) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->SendMessage({.queue_url = url, .message_body = "gone"}).ok());
  ASSERT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
  auto received = client_->ReceiveMessage({.queue_url = url});
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->messages.empty());
}

TEST_F(AwsClientMotoTest, TagsAreAddedListedAndRemoved) {
  const std::string url = NewQueue();
  ASSERT_TRUE(
      client_->TagQueue({.queue_url = url, .tags = {{"team", "grading"}, {"env", "test"}}}).ok());
  ASSERT_TRUE(client_->UntagQueue({.queue_url = url, .tag_keys = {"env"}}).ok());
  auto tags = client_->ListQueueTags({.queue_url = url});
  ASSERT_TRUE(tags.ok()) << tags.status();
  EXPECT_EQ(tags->tags, (TagMap{{"team", "grading"}}));
}

TEST_F(AwsClientMotoTest, AddPermissionShowsInThePolicyAndRemovePermissionTakesItOut) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_
                  ->AddPermission({.queue_url = url,
                                   .label = "graders",
                                   .aws_account_ids = {"111122223333"},
                                   .actions = {"SendMessage"}})
                  .ok());
  auto policy = client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"Policy"}});
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_NE(policy->attributes["Policy"].find("graders"), std::string::npos);
  ASSERT_TRUE(client_->RemovePermission({.queue_url = url, .label = "graders"}).ok());
}

TEST_F(AwsClientMotoTest, ListDeadLetterSourceQueuesFindsTheQueueThatRedrivesThere) {
  const std::string dlq = NewQueue({}, "-dlq");
  const std::string policy =
      R"({"deadLetterTargetArn":")" + ArnOf(dlq) + R"(","maxReceiveCount":"2"})";
  const std::string source = NewQueue({{"RedrivePolicy", policy}});
  auto sources = client_->ListDeadLetterSourceQueues({.queue_url = dlq});
  ASSERT_TRUE(sources.ok()) << sources.status();
  EXPECT_EQ(sources->queue_urls, std::vector<std::string>{source});
}

TEST_F(AwsClientMotoTest, FifoQueueKeepsGroupOrder) {
  const std::string url =
      NewQueue({{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}}, ".fifo");
  for (const char* body : {"first", "second", "third"}) {
    auto sent = client_->SendMessage(
        {.queue_url = url, .message_body = body, .message_group_id = "course-7"});
    ASSERT_TRUE(sent.ok()) << sent.status();
  }
  auto received = client_->ReceiveMessage({.queue_url = url, .max_number_of_messages = 10});
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 3u);
  EXPECT_EQ(received->messages[0].body, "first");
  EXPECT_EQ(received->messages[2].body, "third");
}

TEST_F(AwsClientMotoTest, LongPollReturnsAsSoonAsAMessageArrives) {
  const std::string url = NewQueue();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto producer_client = AwsClient::Create({.region = "us-east-1",
                                              .endpoint_url = SharedMoto().url,
                                              .credentials = AwsCredentials{"testing", "testing"}});
    ASSERT_TRUE(producer_client.ok());
    EXPECT_TRUE((*producer_client)->SendMessage({.queue_url = url, .message_body = "late"}).ok());
  });
  auto received = client_->ReceiveMessage({.queue_url = url, .wait_time_seconds = 10});
  producer.join();
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 1u);
  EXPECT_EQ(received->messages[0].body, "late");
}

TEST_F(AwsClientMotoTest, LongPollOnAnEmptyQueueReturnsNothingAfterTheWait) {
  const std::string url = NewQueue();
  auto received = client_->ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_TRUE(received->messages.empty());
}

TEST_F(AwsClientMotoTest, CoroutineFormRunsManyCallsConcurrently) {
  const std::string url = NewQueue();
  boost::asio::io_context io;
  int succeeded = 0;
  for (int i = 0; i < 8; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          SendMessageRequest request{.queue_url = url, .message_body = "m" + std::to_string(i)};
          auto sent = co_await client_->AsyncSendMessage(request);
          if (sent.ok()) ++succeeded;  // the coroutine resumes on `io`'s one thread
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(succeeded, 8);
  auto attributes = client_->GetQueueAttributes(
      {.queue_url = url, .attribute_names = {"ApproximateNumberOfMessages"}});
  ASSERT_TRUE(attributes.ok());
  EXPECT_EQ(attributes->attributes["ApproximateNumberOfMessages"], "8");
}

// ---- Where moto differs from documented SQS (README: "moto deviations") ----

TEST_F(AwsClientMotoTest, MotoDeviationMessageMoveTasksAreNotImplemented) {
  const std::string dlq = NewQueue({}, "-dlq");
  const std::string arn = ArnOf(dlq);
  // moto answers HTTP 500, which the standard retry mode retries; one attempt
  // keeps the test quick.
  auto created = AwsClient::Create({.region = "us-east-1",
                                    .endpoint_url = SharedMoto().url,
                                    .credentials = AwsCredentials{"testing", "testing"},
                                    .max_attempts = 1});
  ASSERT_TRUE(created.ok()) << created.status();
  AwsClient& once = **created;
  auto started = once.StartMessageMoveTask({.source_arn = arn});
  ASSERT_FALSE(started.ok());  // SQS: starts a task (or ResourceNotFound for a non-DLQ)
  EXPECT_EQ(started.status().http_status(), 500) << started.status();
  EXPECT_FALSE(once.ListMessageMoveTasks({.source_arn = arn}).ok());
  EXPECT_FALSE(once.CancelMessageMoveTask({.task_handle = "no-such-task"}).ok());
}

TEST_F(AwsClientMotoTest, MotoDeviationASecondPurgeWithinSixtySecondsSucceeds) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
  // SQS: PurgeQueueInProgress for 60 seconds after a purge.
  EXPECT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
}

TEST_F(AwsClientMotoTest, MotoDeviationFifoSendsReturnNoSequenceNumber) {
  const std::string url =
      NewQueue({{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}}, ".fifo");
  auto sent =
      client_->SendMessage({.queue_url = url, .message_body = "x", .message_group_id = "g"});
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_FALSE(sent->sequence_number.has_value());  // SQS: always set for FIFO queues
}

TEST_F(AwsClientMotoTest, MotoDeviationAnUnknownAttributeNameIsAccepted) {
  const std::string url = NewQueue();
  // SQS: InvalidAttributeName.
  EXPECT_TRUE(client_->SetQueueAttributes({.queue_url = url, .attributes = {{"Bogus", "1"}}}).ok());
}

}  // namespace
}  // namespace sqsim::aws
