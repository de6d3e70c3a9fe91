// AwsClient against real SQS implementations on loopback: every SQS action,
// the error paths, batches and long polling, through the same encoder,
// signer, transport and decoder that talk to real SQS. Each common test runs
// against both peers:
//   - moto_server (moto 5.2.1), a Python SQS implementation;
//   - sqsim-server, the simulator over HTTP (in-process, on a free port).
//
// Where moto deviates from documented SQS the `MotoDeviation` tests pin
// moto's actual answer, so the deviation table in the README stays true (if a
// moto upgrade fixes one, its test fails), and the `Documented` tests show
// sqsim-server giving the documented answer.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "support/moto.h"

namespace sqsim::aws {
namespace {

using ::sqsim::test::SharedMoto;
using ::sqsim::test::UniqueQueueName;

enum class Peer { kMoto, kSqsimServer };

std::string PeerName(const ::testing::TestParamInfo<Peer>& info) {
  return info.param == Peer::kMoto ? "Moto" : "SqsimServer";
}

// One sqsim-server per test process, on a free port, real time.
const std::string& SharedSqsimServer() {
  static std::unique_ptr<http::Server> server = [] {
    auto created = http::Server::Create({.port = 0, .log_level = http::LogLevel::kQuiet});
    EXPECT_TRUE(created.ok()) << created.status();
    (*created)->Start();
    return std::move(*created);
  }();
  static const std::string url = server->endpoint_url();
  return url;
}

const AwsCredentials kTesting{.access_key_id = "testing", .secret_access_key = "testing"};

class AwsClientPeerTest : public ::testing::TestWithParam<Peer> {
 protected:
  void SetUp() override {
    std::string endpoint;
    if (GetParam() == Peer::kMoto) {
      SQSIM_REQUIRE_MOTO();
      endpoint = SharedMoto().url;
    } else {
      endpoint = SharedSqsimServer();
    }
    auto created = AwsClient::Create(
        {.region = "us-east-1", .endpoint_url = endpoint, .credentials = kTesting});
    ASSERT_TRUE(created.ok()) << created.status();
    endpoint_ = endpoint;
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

  std::string endpoint_;
  std::unique_ptr<AwsClient> client_;
};

TEST_P(AwsClientPeerTest, CreateQueueReturnsAUrlThatGetQueueUrlFindsAgain) {
  const std::string name = UniqueQueueName("aws");
  auto created = client_->CreateQueue({.queue_name = name});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->queue_url.ends_with("/" + name)) << created->queue_url;

  auto found = client_->GetQueueUrl({.queue_name = name});
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->queue_url, created->queue_url);
}

TEST_P(AwsClientPeerTest, GetQueueUrlOfAMissingQueueIsQueueDoesNotExist) {
  auto found = client_->GetQueueUrl({.queue_name = UniqueQueueName("missing")});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), ErrorCode::kQueueDoesNotExist) << found.status();
  EXPECT_EQ(found.status().http_status(), 400);
}

TEST_P(AwsClientPeerTest, ListQueuesFiltersByPrefix) {
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

TEST_P(AwsClientPeerTest, SetQueueAttributesIsVisibleInGetQueueAttributes) {
  const std::string url = NewQueue();
  ASSERT_TRUE(
      client_->SetQueueAttributes({.queue_url = url, .attributes = {{"VisibilityTimeout", "45"}}})
          .ok());
  auto attributes = client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
  ASSERT_TRUE(attributes.ok()) << attributes.status();
  EXPECT_EQ(attributes->attributes["VisibilityTimeout"], "45");
  EXPECT_TRUE(attributes->attributes.contains("QueueArn"));
}

TEST_P(AwsClientPeerTest, DeleteQueueMakesTheQueueUnknown) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->DeleteQueue({.queue_url = url}).ok());
  auto attributes = client_->GetQueueAttributes({.queue_url = url, .attribute_names = {"All"}});
  ASSERT_FALSE(attributes.ok());
  EXPECT_EQ(attributes.status().code(), ErrorCode::kQueueDoesNotExist) << attributes.status();
}

TEST_P(AwsClientPeerTest, SendReceiveDeleteRoundTripsBodyAndAllAttributeKinds) {
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
                                           .message_attribute_names = {"All"},
                                           .wait_time_seconds = 1});
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

TEST_P(AwsClientPeerTest, InvalidDelaySecondsIsInvalidParameterValue) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessage({.queue_url = url, .message_body = "x", .delay_seconds = 1000});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), ErrorCode::kInvalidParameterValue) << sent.status();
  EXPECT_NE(sent.status().message().find("DelaySeconds"), std::string::npos);
}

TEST_P(AwsClientPeerTest, DeleteWithAMalformedReceiptHandleIsReceiptHandleIsInvalid) {
  const std::string url = NewQueue();
  auto deleted = client_->DeleteMessage({.queue_url = url, .receipt_handle = "not-a-handle"});
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.status().code(), ErrorCode::kReceiptHandleIsInvalid) << deleted.status();
}

TEST_P(AwsClientPeerTest, SendMessageBatchReportsPerEntryResults) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessageBatch({.queue_url = url,
                                         .entries = {{.id = "a", .message_body = "one"},
                                                     {.id = "b", .message_body = "two"},
                                                     {.id = "c", .message_body = "three"}}});
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(sent->successful.size(), 3u);
  EXPECT_TRUE(sent->failed.empty());
}

TEST_P(AwsClientPeerTest, SendMessageBatchWithDuplicateIdsIsBatchEntryIdsNotDistinct) {
  const std::string url = NewQueue();
  auto sent = client_->SendMessageBatch(
      {.queue_url = url,
       .entries = {{.id = "a", .message_body = "one"}, {.id = "a", .message_body = "two"}}});
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.status().code(), ErrorCode::kBatchEntryIdsNotDistinct) << sent.status();
}

TEST_P(AwsClientPeerTest, DeleteAndChangeVisibilityBatchesSucceedForReceivedMessages) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_
                  ->SendMessageBatch({.queue_url = url,
                                      .entries = {{.id = "a", .message_body = "one"},
                                                  {.id = "b", .message_body = "two"}}})
                  .ok());
  auto received = client_->ReceiveMessage(
      {.queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 1});
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

TEST_P(AwsClientPeerTest, ChangeMessageVisibilityZeroMakesTheMessageReceivableAgain) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->SendMessage({.queue_url = url, .message_body = "retry me"}).ok());
  auto first = client_->ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
  ASSERT_TRUE(first.ok() && first->messages.size() == 1);
  ASSERT_TRUE(client_
                  ->ChangeMessageVisibility({.queue_url = url,
                                             .receipt_handle = first->messages[0].receipt_handle,
                                             .visibility_timeout = 0})
                  .ok());
  auto second =
      client_->ReceiveMessage({.queue_url = url,
                               .message_system_attribute_names = {"ApproximateReceiveCount"},
                               .wait_time_seconds = 1});
  ASSERT_TRUE(second.ok() && second->messages.size() == 1);
  EXPECT_EQ(second->messages[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_P(AwsClientPeerTest, PurgeQueueRemovesEveryMessage) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->SendMessage({.queue_url = url, .message_body = "gone"}).ok());
  ASSERT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
  auto received = client_->ReceiveMessage({.queue_url = url});
  ASSERT_TRUE(received.ok());
  EXPECT_TRUE(received->messages.empty());
}

TEST_P(AwsClientPeerTest, TagsAreAddedListedAndRemoved) {
  const std::string url = NewQueue();
  ASSERT_TRUE(
      client_->TagQueue({.queue_url = url, .tags = {{"team", "grading"}, {"env", "test"}}}).ok());
  ASSERT_TRUE(client_->UntagQueue({.queue_url = url, .tag_keys = {"env"}}).ok());
  auto tags = client_->ListQueueTags({.queue_url = url});
  ASSERT_TRUE(tags.ok()) << tags.status();
  EXPECT_EQ(tags->tags, (TagMap{{"team", "grading"}}));
}

TEST_P(AwsClientPeerTest, AddPermissionShowsInThePolicyAndRemovePermissionTakesItOut) {
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

TEST_P(AwsClientPeerTest, ListDeadLetterSourceQueuesFindsTheQueueThatRedrivesThere) {
  const std::string dlq = NewQueue({}, "-dlq");
  const std::string policy =
      R"({"deadLetterTargetArn":")" + ArnOf(dlq) + R"(","maxReceiveCount":"2"})";
  const std::string source = NewQueue({{"RedrivePolicy", policy}});
  auto sources = client_->ListDeadLetterSourceQueues({.queue_url = dlq});
  ASSERT_TRUE(sources.ok()) << sources.status();
  EXPECT_EQ(sources->queue_urls, std::vector<std::string>{source});
}

TEST_P(AwsClientPeerTest, FifoQueueKeepsGroupOrder) {
  const std::string url =
      NewQueue({{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}}, ".fifo");
  for (const char* body : {"first", "second", "third"}) {
    auto sent = client_->SendMessage(
        {.queue_url = url, .message_body = body, .message_group_id = "course-7"});
    ASSERT_TRUE(sent.ok()) << sent.status();
  }
  auto received = client_->ReceiveMessage(
      {.queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 1});
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 3u);
  EXPECT_EQ(received->messages[0].body, "first");
  EXPECT_EQ(received->messages[2].body, "third");
}

TEST_P(AwsClientPeerTest, LongPollReturnsAsSoonAsAMessageArrives) {
  const std::string url = NewQueue();
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto producer_client = AwsClient::Create(
        {.region = "us-east-1", .endpoint_url = endpoint_, .credentials = kTesting});
    ASSERT_TRUE(producer_client.ok());
    EXPECT_TRUE((*producer_client)->SendMessage({.queue_url = url, .message_body = "late"}).ok());
  });
  // The longest wait SQS allows: the producer's 0.5 s head start stays far
  // inside it however busy the machine is.
  auto received = client_->ReceiveMessage({.queue_url = url, .wait_time_seconds = 20});
  producer.join();
  ASSERT_TRUE(received.ok()) << received.status();
  ASSERT_EQ(received->messages.size(), 1u);
  EXPECT_EQ(received->messages[0].body, "late");
}

TEST_P(AwsClientPeerTest, LongPollOnAnEmptyQueueReturnsNothingAfterTheWait) {
  const std::string url = NewQueue();
  auto received = client_->ReceiveMessage({.queue_url = url, .wait_time_seconds = 1});
  ASSERT_TRUE(received.ok()) << received.status();
  EXPECT_TRUE(received->messages.empty());
}

TEST_P(AwsClientPeerTest, CoroutineFormRunsManyCallsConcurrently) {
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

INSTANTIATE_TEST_SUITE_P(Peers, AwsClientPeerTest,
                         ::testing::Values(Peer::kMoto, Peer::kSqsimServer), PeerName);

// ---- Where moto differs from documented SQS (README: "moto deviations") ----

class MotoDeviationTest : public AwsClientPeerTest {};
class DocumentedBehaviourTest : public AwsClientPeerTest {};

TEST_P(MotoDeviationTest, MessageMoveTasksAreNotImplemented) {
  const std::string dlq = NewQueue({}, "-dlq");
  const std::string arn = ArnOf(dlq);
  // moto answers HTTP 500, which the standard retry mode retries; one attempt
  // keeps the test quick.
  auto created = AwsClient::Create({.region = "us-east-1",
                                    .endpoint_url = endpoint_,
                                    .credentials = kTesting,
                                    .max_attempts = 1});
  ASSERT_TRUE(created.ok()) << created.status();
  AwsClient& once = **created;
  auto started = once.StartMessageMoveTask({.source_arn = arn});
  ASSERT_FALSE(started.ok());  // SQS: starts a task (or ResourceNotFound for a non-DLQ)
  EXPECT_EQ(started.status().http_status(), 500) << started.status();
  auto listed = once.ListMessageMoveTasks({.source_arn = arn});
  ASSERT_FALSE(listed.ok());  // SQS: lists the source's tasks
  EXPECT_EQ(listed.status().http_status(), 500) << listed.status();
  auto cancelled = once.CancelMessageMoveTask({.task_handle = "no-such-task"});
  ASSERT_FALSE(cancelled.ok());  // SQS: ResourceNotFoundException for an unknown handle
  EXPECT_EQ(cancelled.status().http_status(), 500) << cancelled.status();
}

TEST_P(MotoDeviationTest, ASecondPurgeWithinSixtySecondsSucceeds) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
  // SQS: PurgeQueueInProgress for 60 seconds after a purge.
  EXPECT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
}

TEST_P(MotoDeviationTest, FifoSendsReturnNoSequenceNumber) {
  const std::string url =
      NewQueue({{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}}, ".fifo");
  auto sent =
      client_->SendMessage({.queue_url = url, .message_body = "x", .message_group_id = "g"});
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_FALSE(sent->sequence_number.has_value());  // SQS: always set for FIFO queues
}

TEST_P(MotoDeviationTest, AnUnknownAttributeNameIsAccepted) {
  const std::string url = NewQueue();
  // SQS: InvalidAttributeName.
  EXPECT_TRUE(client_->SetQueueAttributes({.queue_url = url, .attributes = {{"Bogus", "1"}}}).ok());
}

INSTANTIATE_TEST_SUITE_P(Moto, MotoDeviationTest, ::testing::Values(Peer::kMoto), PeerName);

// The same requests against sqsim-server get the documented answers.

TEST_P(DocumentedBehaviourTest, MessageMoveTasksRunAndAreListed) {
  const std::string dlq = NewQueue({}, "-dlq");
  const std::string policy =
      R"({"deadLetterTargetArn":")" + ArnOf(dlq) + R"(","maxReceiveCount":"1"})";
  const std::string source = NewQueue({{"RedrivePolicy", policy}});
  ASSERT_TRUE(client_->SendMessage({.queue_url = dlq, .message_body = "stuck"}).ok());
  auto started = client_->StartMessageMoveTask({.source_arn = ArnOf(dlq)});
  ASSERT_TRUE(started.ok()) << started.status();
  auto listed = client_->ListMessageMoveTasks({.source_arn = ArnOf(dlq)});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->results.size(), 1u);
  auto cancelled = client_->CancelMessageMoveTask({.task_handle = started->task_handle});
  // The task may already have finished moving its one message.
  EXPECT_TRUE(cancelled.ok() || cancelled.status().code() == ErrorCode::kResourceNotFoundException)
      << cancelled.status();
  (void)source;
}

TEST_P(DocumentedBehaviourTest, ASecondPurgeWithinSixtySecondsIsPurgeQueueInProgress) {
  const std::string url = NewQueue();
  ASSERT_TRUE(client_->PurgeQueue({.queue_url = url}).ok());
  auto again = client_->PurgeQueue({.queue_url = url});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kPurgeQueueInProgress) << again.status();
}

TEST_P(DocumentedBehaviourTest, FifoSendsReturnASequenceNumber) {
  const std::string url =
      NewQueue({{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}}, ".fifo");
  auto sent =
      client_->SendMessage({.queue_url = url, .message_body = "x", .message_group_id = "g"});
  ASSERT_TRUE(sent.ok()) << sent.status();
  ASSERT_TRUE(sent->sequence_number.has_value());
  EXPECT_EQ(sent->sequence_number->size(), 20u);
}

TEST_P(DocumentedBehaviourTest, AnUnknownAttributeNameIsInvalidAttributeName) {
  const std::string url = NewQueue();
  auto set = client_->SetQueueAttributes({.queue_url = url, .attributes = {{"Bogus", "1"}}});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), ErrorCode::kInvalidAttributeName) << set.status();
}

INSTANTIATE_TEST_SUITE_P(SqsimServer, DocumentedBehaviourTest,
                         ::testing::Values(Peer::kSqsimServer), PeerName);

}  // namespace
}  // namespace sqsim::aws
