// IAM evaluation applied to calls: Simulator::ClientFor, PutIdentityPolicy and
// the queue's Policy attribute, with the guide's producer, consumer and
// SNS-topic policies as the cases.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/simulator.h"

namespace sqsim {
namespace simulator_iam_test {

using ::testing::HasSubstr;

const std::string kEnrollmentRole = "arn:aws:iam::123456789012:role/EnrollmentServiceRole";
const std::string kNotificationRole = "arn:aws:iam::123456789012:role/NotificationServiceRole";
const std::string kQueueArn = "arn:aws:sqs:us-east-1:123456789012:enrollment-events-queue";
const std::string kTopicArn = "arn:aws:sns:us-east-1:123456789012:student-enrolled";

// The guide's producer policy: send, and look the queue up; nothing else.
constexpr std::string_view kProducerPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
    "Resource": "arn:aws:sqs:us-east-1:123456789012:enrollment-events-queue"
  }]
})";

// The guide's consumer policy: receive, delete, extend; never send.
constexpr std::string_view kConsumerPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
               "sqs:ChangeMessageVisibility"],
    "Resource": "arn:aws:sqs:us-east-1:123456789012:enrollment-events-queue"
  }]
})";

// The queue policy that lets one SNS topic (and only it) deliver.
constexpr std::string_view kTopicQueuePolicy = R"({
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "AllowStudentEnrolledTopic",
    "Effect": "Allow",
    "Principal": {"Service": "sns.amazonaws.com"},
    "Action": "sqs:SendMessage",
    "Resource": "arn:aws:sqs:us-east-1:123456789012:enrollment-events-queue",
    "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:student-enrolled"}}
  }]
})";

class SimulatorIamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim_ = Simulator::Create({.seed = 7}).value();
    url_ = sim_->CreateQueue({.queue_name = "enrollment-events-queue"}).value().queue_url;
    ASSERT_TRUE(sim_->PutIdentityPolicy(kEnrollmentRole, "producer", kProducerPolicy).ok());
    ASSERT_TRUE(sim_->PutIdentityPolicy(kNotificationRole, "consumer", kConsumerPolicy).ok());
  }

  std::unique_ptr<Simulator> sim_;
  std::string url_;
};

TEST_F(SimulatorIamTest, ProducerMaySend) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  EXPECT_TRUE(producer->SendMessage({.queue_url = url_, .message_body = "enrolled"}).ok());
}

TEST_F(SimulatorIamTest, ProducerMayNotReceiveAndGetsSqsAccessDenied) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  ASSERT_TRUE(producer->SendMessage({.queue_url = url_, .message_body = "enrolled"}).ok());
  Result<ReceiveMessageResponse> got = producer->ReceiveMessage({.queue_url = url_});
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(got.status().http_status(), 403);
  EXPECT_EQ(got.status().message(),
            "User: " + kEnrollmentRole +
                " is not authorized to perform: sqs:receivemessage on resource: " + kQueueArn +
                " because no identity-based policy allows the sqs:receivemessage action");
  // The denied receive left the message where it was.
  EXPECT_EQ(sim_->Peek("enrollment-events-queue")->at(0).receive_count, 0);
}

TEST_F(SimulatorIamTest, ConsumerMayReceiveDeleteAndExtendButNotSend) {
  ASSERT_TRUE(sim_->SendMessage({.queue_url = url_, .message_body = "enrolled"}).ok());
  auto consumer = sim_->ClientFor({.arn = kNotificationRole});
  Result<ReceiveMessageResponse> got = consumer->ReceiveMessage({.queue_url = url_});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  const std::string handle = got->messages[0].receipt_handle;
  EXPECT_TRUE(consumer
                  ->ChangeMessageVisibility(
                      {.queue_url = url_, .receipt_handle = handle, .visibility_timeout = 60})
                  .ok());
  EXPECT_TRUE(consumer->DeleteMessage({.queue_url = url_, .receipt_handle = handle}).ok());
  Result<SendMessageResponse> sent =
      consumer->SendMessage({.queue_url = url_, .message_body = "x"});
  EXPECT_EQ(sent.status().code(), ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, BatchActionsAreAuthorisedAsTheirBaseAction) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  Result<SendMessageBatchResponse> sent = producer->SendMessageBatch(
      {.queue_url = url_, .entries = {{.id = "a", .message_body = "1"}}});
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->successful.size(), 1u);
  auto consumer = sim_->ClientFor({.arn = kNotificationRole});
  Result<DeleteMessageBatchResponse> deleted = consumer->DeleteMessageBatch(
      {.queue_url = url_, .entries = {{.id = "a", .receipt_handle = "x"}}});
  EXPECT_TRUE(deleted.ok());  // allowed; the handle itself then fails per entry
}

TEST_F(SimulatorIamTest, PrincipalWithoutPoliciesIsDeniedEverything) {
  auto stranger = sim_->ClientFor({.arn = "arn:aws:iam::123456789012:user/intern"});
  EXPECT_EQ(stranger->ListQueues({}).status().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(stranger->GetQueueAttributes({.queue_url = url_}).status().code(),
            ErrorCode::kAccessDenied);
  EXPECT_EQ(stranger->CreateQueue({.queue_name = "mine"}).status().code(),
            ErrorCode::kAccessDenied);
  EXPECT_FALSE(sim_->GetQueueUrl({.queue_name = "mine"}).ok());  // nothing was created
}

TEST_F(SimulatorIamTest, AccountRootNeedsNoPolicy) {
  auto root = sim_->ClientFor({.arn = "arn:aws:iam::123456789012:root"});
  EXPECT_TRUE(root->ListQueues({}).ok());
  EXPECT_TRUE(root->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

TEST_F(SimulatorIamTest, DeniedCallIsTracedAndCounted) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  const int64_t before = sim_->call_counts()[Action::kPurgeQueue];
  EXPECT_EQ(producer->PurgeQueue({.queue_url = url_}).status().code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(sim_->call_counts()[Action::kPurgeQueue], before + 1);
  const std::vector<TraceEvent> events = sim_->trace().events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, Action::kPurgeQueue);
  EXPECT_EQ(events.back().code, ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, DeniedCallOnMissingQueueIsAccessDeniedNotQueueDoesNotExist) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  Result<SendMessageResponse> sent = producer->SendMessage(
      {.queue_url = "https://sqs.us-east-1.amazonaws.com/123456789012/nope", .message_body = "x"});
  EXPECT_EQ(sent.status().code(), ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, QueuePolicyAloneAllowsSameAccountPrincipal) {
  ASSERT_TRUE(
      sim_->SetQueueAttributes({.queue_url = url_, .attributes = {{"Policy", R"({"Statement": [{
      "Effect": "Allow", "Principal": {"AWS": ")" + kNotificationRole + R"("},
      "Action": "sqs:SendMessage", "Resource": "*"}]})"}}})
          .ok());
  auto consumer = sim_->ClientFor({.arn = kNotificationRole});
  EXPECT_TRUE(consumer->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

TEST_F(SimulatorIamTest, QueuePolicyDenyOverridesIdentityAllow) {
  ASSERT_TRUE(
      sim_->SetQueueAttributes({.queue_url = url_, .attributes = {{"Policy", R"({"Statement": [{
      "Effect": "Deny", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*",
      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})"}}})
          .ok());
  auto plain_http = sim_->ClientFor({.arn = kEnrollmentRole}, {.secure_transport = false});
  Result<SendMessageResponse> sent =
      plain_http->SendMessage({.queue_url = url_, .message_body = "x"});
  EXPECT_EQ(sent.status().code(), ErrorCode::kAccessDenied);
  EXPECT_THAT(sent.status().message(),
              HasSubstr("with an explicit deny in a resource-based policy"));
  auto https = sim_->ClientFor({.arn = kEnrollmentRole});
  EXPECT_TRUE(https->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

TEST_F(SimulatorIamTest, SnsTopicMaySendOnlyForItsOwnSourceArn) {
  ASSERT_TRUE(sim_->SetQueueAttributes({.queue_url = url_,
                                        .attributes = {{"Policy", std::string(kTopicQueuePolicy)}}})
                  .ok());
  auto topic = sim_->ClientFor({.service = "sns.amazonaws.com"}, {.source_arn = kTopicArn});
  EXPECT_TRUE(topic->SendMessage({.queue_url = url_, .message_body = "event"}).ok());
  auto other_topic = sim_->ClientFor({.service = "sns.amazonaws.com"},
                                     {.source_arn = "arn:aws:sns:us-east-1:999999999999:evil"});
  Result<SendMessageResponse> sent =
      other_topic->SendMessage({.queue_url = url_, .message_body = "event"});
  EXPECT_EQ(sent.status().code(), ErrorCode::kAccessDenied);
  EXPECT_THAT(sent.status().message(),
              HasSubstr("User: sns.amazonaws.com is not authorized to perform: sqs:sendmessage"));
}

TEST_F(SimulatorIamTest, CrossAccountNeedsBothSides) {
  const std::string partner = "arn:aws:iam::444455556666:role/partner";
  ASSERT_TRUE(sim_->PutIdentityPolicy(partner, "send", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:SendMessage", "Resource": "*"}})")
                  .ok());
  auto client = sim_->ClientFor({.arn = partner});
  EXPECT_EQ(client->SendMessage({.queue_url = url_, .message_body = "x"}).status().code(),
            ErrorCode::kAccessDenied);  // the queue does not trust the account yet
  ASSERT_TRUE(
      sim_->SetQueueAttributes({.queue_url = url_, .attributes = {{"Policy", R"({"Statement": [{
      "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sqs:SendMessage",
      "Resource": "*"}]})"}}})
          .ok());
  EXPECT_TRUE(client->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

TEST_F(SimulatorIamTest, RoleSessionActsWithItsRolesPolicies) {
  auto session = sim_->ClientFor(
      {.arn = "arn:aws:sts::123456789012:assumed-role/EnrollmentServiceRole/pod-1"});
  EXPECT_TRUE(session->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
  EXPECT_EQ(session->ReceiveMessage({.queue_url = url_}).status().code(), ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, ConditionsSeeVirtualTime) {
  const std::string night = "arn:aws:iam::123456789012:role/night-batch";
  // Allowed only after the simulator's start day.
  ASSERT_TRUE(sim_->PutIdentityPolicy(night, "later", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:SendMessage", "Resource": "*",
      "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-01-02T00:00:00Z"}}}})")
                  .ok());
  auto client = sim_->ClientFor({.arn = night});
  const bool allowed_at_start = client->SendMessage({.queue_url = url_, .message_body = "x"}).ok();
  const bool start_is_later =
      sim_->Now() >
      Timestamp(std::chrono::sys_days(std::chrono::year{2026} / 1 / 2).time_since_epoch());
  EXPECT_EQ(allowed_at_start, start_is_later);
  sim_->RunFor(std::chrono::hours(24 * 400));
  EXPECT_TRUE(client->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

TEST_F(SimulatorIamTest, AsyncCallsAreEvaluatedToo) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  std::optional<ErrorCode> code;
  sim_->Spawn([](Client& client, std::string url,
                 std::optional<ErrorCode>& out) -> boost::asio::awaitable<void> {
    ReceiveMessageRequest request{.queue_url = url, .wait_time_seconds = 5};
    Result<ReceiveMessageResponse> got = co_await client.AsyncReceiveMessage(request);
    out = got.status().code();
  }(*producer, url_, code));
  sim_->RunUntilIdle();
  EXPECT_EQ(code, ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, ExplainAccessNamesTheDecidingStatement) {
  ASSERT_TRUE(sim_->SetQueueAttributes({.queue_url = url_,
                                        .attributes = {{"Policy", std::string(kTopicQueuePolicy)}}})
                  .ok());
  iam::Explanation e = sim_->ExplainAccess(
      {.principal = {.service = "sns.amazonaws.com"}, .context = {.source_arn = kTopicArn}},
      Action::kSendMessage, url_);
  EXPECT_TRUE(e.allowed());
  ASSERT_EQ(e.allowing.size(), 1u);
  EXPECT_EQ(e.allowing[0].sid, "AllowStudentEnrolledTopic");
}

TEST_F(SimulatorIamTest, InvalidIdentityPolicyIsRejected) {
  Status s = sim_->PutIdentityPolicy(kEnrollmentRole, "bad", R"({"Statement": "nope"})");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidAttributeValue);  // iam::ParsePolicy's error
  EXPECT_EQ(sim_->PutIdentityPolicy("", "p", kProducerPolicy).code(),
            ErrorCode::kInvalidParameterValue);
}

TEST_F(SimulatorIamTest, DeletingThePolicyRevokesAccess) {
  auto producer = sim_->ClientFor({.arn = kEnrollmentRole});
  ASSERT_TRUE(producer->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
  EXPECT_TRUE(sim_->DeleteIdentityPolicy(kEnrollmentRole, "producer"));
  EXPECT_FALSE(sim_->DeleteIdentityPolicy(kEnrollmentRole, "producer"));
  EXPECT_EQ(producer->SendMessage({.queue_url = url_, .message_body = "x"}).status().code(),
            ErrorCode::kAccessDenied);
}

TEST_F(SimulatorIamTest, SimulatorsOwnCallsAreNeverEvaluated) {
  ASSERT_TRUE(
      sim_->SetQueueAttributes({.queue_url = url_, .attributes = {{"Policy", R"({"Statement": [{
      "Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]})"}}})
          .ok());
  EXPECT_TRUE(sim_->SendMessage({.queue_url = url_, .message_body = "x"}).ok());
}

}  // namespace simulator_iam_test
}  // namespace sqsim
