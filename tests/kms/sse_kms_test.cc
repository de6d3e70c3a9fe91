// SSE-KMS queues against the simulator's key registry: each key state and
// policy outcome as SQS reports it on SendMessage and ReceiveMessage, the
// data-key reuse period, and the kms-throttle fault.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/simulator.h"

namespace sqsim {
namespace sse_kms_test {

using ::testing::HasSubstr;

const std::string kProducer = "arn:aws:iam::123456789012:role/EnrollmentServiceRole";

class SseKmsTest : public ::testing::Test {
 protected:
  void SetUp() override { sim_ = Simulator::Create(SimulatorOptions::Exact(3)).value(); }

  // A queue encrypted with `key` (any form KmsMasterKeyId takes).
  std::string EncryptedQueue(const std::string& name, const std::string& key) {
    return sim_->CreateQueue({.queue_name = name, .attributes = {{"KmsMasterKeyId", key}}})
        .value()
        .queue_url;
  }

  kms::KeyMetadata NewKey(kms::CreateKeyOptions options = {}) {
    return sim_->kms().CreateKey(options, sim_->Now()).value();
  }

  Status Send(Client& client, const std::string& url) {
    return client.SendMessage({.queue_url = url, .message_body = "enrolled"}).status();
  }
  Status Send(const std::string& url) { return Send(*sim_, url); }

  std::unique_ptr<Simulator> sim_;
};

TEST_F(SseKmsTest, EnabledKeyEncryptsAndDecrypts) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(Send(url).ok());
  Result<ReceiveMessageResponse> got = sim_->ReceiveMessage({.queue_url = url});
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->messages.size(), 1u);
  // One GenerateDataKey for the send, one Decrypt for the receive.
  EXPECT_EQ(sim_->kms().Requests().at(key.arn), 2);
}

TEST_F(SseKmsTest, KeyIsFoundByIdArnAliasAndAliasArn) {
  const kms::KeyMetadata key = NewKey();
  ASSERT_TRUE(sim_->kms().CreateAlias("alias/payments", key.key_id).ok());
  for (const std::string& ref :
       {key.key_id, key.arn, std::string("alias/payments"),
        std::string("arn:aws:kms:us-east-1:123456789012:alias/payments")}) {
    EXPECT_TRUE(Send(EncryptedQueue("q" + std::to_string(ref.size()), ref)).ok()) << ref;
  }
}

TEST_F(SseKmsTest, MissingKeyIsKmsNotFound) {
  const std::string url = EncryptedQueue("payments", "alias/does-not-exist");
  Status s = Send(url);
  EXPECT_EQ(s.code(), ErrorCode::kKmsNotFound);
  EXPECT_EQ(s.http_status(), 400);
  EXPECT_THAT(s.message(), HasSubstr("alias/does-not-exist' is not found"));
  EXPECT_TRUE(sim_->Peek("payments")->empty());
}

TEST_F(SseKmsTest, DisabledKeyFailsOnceTheCachedDataKeyExpires) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(Send(url).ok());
  ASSERT_TRUE(sim_->kms().DisableKey(key.key_id).ok());
  // Within KmsDataKeyReusePeriodSeconds (300 by default) SQS reuses the data
  // key and does not ask KMS.
  EXPECT_TRUE(Send(url).ok());
  sim_->RunFor(std::chrono::seconds(301));
  Status s = Send(url);
  EXPECT_EQ(s.code(), ErrorCode::kKmsDisabled);
  EXPECT_EQ(s.message(), key.arn + " is disabled.");
  ASSERT_TRUE(sim_->kms().EnableKey(key.key_id).ok());
  EXPECT_TRUE(Send(url).ok());
}

TEST_F(SseKmsTest, ReuseCountsOneDataKeyPerPeriod) {
  const kms::KeyMetadata key = NewKey();
  const std::string url =
      sim_->CreateQueue(
              {.queue_name = "payments",
               .attributes = {{"KmsMasterKeyId", key.arn}, {"KmsDataKeyReusePeriodSeconds", "60"}}})
          .value()
          .queue_url;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Send(url).ok());
  EXPECT_EQ(sim_->kms().Requests().at(key.arn), 1);
  sim_->RunFor(std::chrono::seconds(61));
  ASSERT_TRUE(Send(url).ok());
  EXPECT_EQ(sim_->kms().Requests().at(key.arn), 2);
}

TEST_F(SseKmsTest, PendingDeletionIsKmsInvalidStateThenTheKeyIsGone) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  Result<Timestamp> deletion = sim_->kms().ScheduleKeyDeletion(key.key_id, 7, sim_->Now());
  ASSERT_TRUE(deletion.ok());
  EXPECT_EQ(*deletion, sim_->Now() + std::chrono::hours(24 * 7));
  Status s = Send(url);
  EXPECT_EQ(s.code(), ErrorCode::kKmsInvalidState);
  EXPECT_EQ(s.message(), key.arn + " is pending deletion.");
  sim_->RunFor(std::chrono::hours(24 * 7));
  EXPECT_EQ(Send(url).code(), ErrorCode::kKmsNotFound);
}

TEST_F(SseKmsTest, CancelledDeletionLeavesTheKeyDisabled) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(sim_->kms().ScheduleKeyDeletion(key.key_id, 30, sim_->Now()).ok());
  ASSERT_TRUE(sim_->kms().CancelKeyDeletion(key.key_id).ok());
  EXPECT_EQ(sim_->kms().DescribeKey(key.key_id, sim_->Now())->state, kms::KeyState::kDisabled);
  EXPECT_EQ(Send(url).code(), ErrorCode::kKmsDisabled);
}

TEST_F(SseKmsTest, DeletionWindowOutsideSevenToThirtyDaysIsRejected) {
  const kms::KeyMetadata key = NewKey();
  EXPECT_EQ(sim_->kms().ScheduleKeyDeletion(key.key_id, 6, sim_->Now()).status().code(),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(sim_->kms().ScheduleKeyDeletion(key.key_id, 31, sim_->Now()).status().code(),
            ErrorCode::kInvalidParameterValue);
}

TEST_F(SseKmsTest, AsymmetricKeyIsKmsInvalidKeyUsage) {
  const kms::KeyMetadata key = NewKey({.key_usage = "SIGN_VERIFY", .key_spec = "RSA_2048"});
  EXPECT_EQ(Send(EncryptedQueue("payments", key.arn)).code(), ErrorCode::kKmsInvalidKeyUsage);
}

TEST_F(SseKmsTest, ReceiveWithMessagesNeedsTheKeyButAnEmptyReceiveDoesNot) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(sim_->kms().DisableKey(key.key_id).ok());
  EXPECT_TRUE(sim_->ReceiveMessage({.queue_url = url}).ok());  // nothing to decrypt
  ASSERT_TRUE(sim_->kms().EnableKey(key.key_id).ok());
  ASSERT_TRUE(Send(url).ok());
  ASSERT_TRUE(sim_->kms().DisableKey(key.key_id).ok());
  Result<ReceiveMessageResponse> got = sim_->ReceiveMessage({.queue_url = url});
  EXPECT_EQ(got.status().code(), ErrorCode::kKmsDisabled);
  EXPECT_EQ(sim_->Peek("payments")->at(0).receive_count, 0);  // not delivered
}

TEST_F(SseKmsTest, BatchSendFailsWholeWithTheKeysError) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(sim_->kms().DisableKey(key.key_id).ok());
  Result<SendMessageBatchResponse> sent = sim_->SendMessageBatch(
      {.queue_url = url,
       .entries = {{.id = "a", .message_body = "1"}, {.id = "b", .message_body = "2"}}});
  EXPECT_EQ(sent.status().code(), ErrorCode::kKmsDisabled);
  EXPECT_TRUE(sim_->Peek("payments")->empty());
}

TEST_F(SseKmsTest, PrincipalNeedsKmsPermissionUnderTheDefaultKeyPolicy) {
  const kms::KeyMetadata key = NewKey();
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(sim_->PutIdentityPolicy(kProducer, "send", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:SendMessage", "Resource": "*"}})")
                  .ok());
  auto producer = sim_->ClientFor({.arn = kProducer});
  Status denied = Send(*producer, url);
  EXPECT_EQ(denied.code(), ErrorCode::kKmsAccessDenied);
  EXPECT_THAT(denied.message(), HasSubstr("is not authorized to perform: kms:GenerateDataKey"));
  // The default key policy delegates to the account: an identity Allow of
  // kms:GenerateDataKey is enough.
  ASSERT_TRUE(sim_->PutIdentityPolicy(kProducer, "kms",
                                      R"({"Statement": {"Effect": "Allow",
      "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": ")" +
                                          key.arn + R"("}})")
                  .ok());
  EXPECT_TRUE(Send(*producer, url).ok());
}

TEST_F(SseKmsTest, GuideKeyPolicyNamingTheRoleSufficesWithoutIdentityKmsPermission) {
  // The guide's key policy: SQS through its service, and the producer role.
  const kms::KeyMetadata key = NewKey({.policy = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Allow SQS to use the key", "Effect": "Allow",
     "Principal": {"Service": "sqs.amazonaws.com"},
     "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": "sqs.us-east-1.amazonaws.com"}}},
    {"Sid": "Allow IAM roles to use the key", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::123456789012:role/EnrollmentServiceRole"},
     "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}]})"});
  const std::string url = EncryptedQueue("payments", key.arn);
  ASSERT_TRUE(sim_->PutIdentityPolicy(kProducer, "send", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:SendMessage", "Resource": "*"}})")
                  .ok());
  auto producer = sim_->ClientFor({.arn = kProducer});
  EXPECT_TRUE(Send(*producer, url).ok());
}

TEST_F(SseKmsTest, AwsManagedKeyServesTheAccountButNotSns) {
  const std::string url = EncryptedQueue("payments", "alias/aws/sqs");
  ASSERT_TRUE(sim_->PutIdentityPolicy(kProducer, "send", R"({"Statement": {"Effect": "Allow",
      "Action": "sqs:SendMessage", "Resource": "*"}})")
                  .ok());
  auto producer = sim_->ClientFor({.arn = kProducer});
  EXPECT_TRUE(Send(*producer, url).ok());
  Result<kms::KeyMetadata> managed = sim_->kms().DescribeKey("alias/aws/sqs", sim_->Now());
  ASSERT_TRUE(managed.ok());
  EXPECT_TRUE(managed->aws_managed);
  // A topic cannot deliver to a queue encrypted with the AWS managed key: its
  // policy admits only the account's own principals.
  ASSERT_TRUE(
      sim_->SetQueueAttributes({.queue_url = url, .attributes = {{"Policy", R"({"Statement": {
      "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
      "Action": "sqs:SendMessage", "Resource": "*"}})"}}})
          .ok());
  auto topic = sim_->ClientFor({.service = "sns.amazonaws.com"},
                               {.source_arn = "arn:aws:sns:us-east-1:123456789012:t"});
  EXPECT_EQ(Send(*topic, url).code(), ErrorCode::kKmsAccessDenied);
}

TEST_F(SseKmsTest, AwsManagedKeyCannotBeScheduledForDeletion) {
  ASSERT_TRUE(Send(EncryptedQueue("payments", "alias/aws/sqs")).ok());
  EXPECT_EQ(sim_->kms().ScheduleKeyDeletion("alias/aws/sqs", 7, sim_->Now()).status().code(),
            ErrorCode::kKmsInvalidState);
}

TEST_F(SseKmsTest, AliasRules) {
  const kms::KeyMetadata key = NewKey();
  EXPECT_EQ(sim_->kms().CreateAlias("payments", key.key_id).code(),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(sim_->kms().CreateAlias("alias/aws/mine", key.key_id).code(),
            ErrorCode::kInvalidParameterValue);
  ASSERT_TRUE(sim_->kms().CreateAlias("alias/payments", key.key_id).ok());
  EXPECT_EQ(sim_->kms().CreateAlias("alias/payments", key.key_id).code(),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(sim_->kms().CreateAlias("alias/other", "no-such-key").code(), ErrorCode::kKmsNotFound);
  ASSERT_TRUE(sim_->kms().DeleteAlias("alias/payments").ok());
  EXPECT_EQ(sim_->kms().DeleteAlias("alias/payments").code(), ErrorCode::kKmsNotFound);
}

TEST_F(SseKmsTest, KeysAreDeterministic) {
  auto other = Simulator::Create(SimulatorOptions::Exact(3)).value();
  EXPECT_EQ(NewKey().key_id, other->kms().CreateKey({}, other->Now())->key_id);
  EXPECT_NE(NewKey().key_id, NewKey().key_id);
}

TEST(SseKmsOptionsTest, KeysFromOptionsExistFromTheStart) {
  SimulatorOptions options = SimulatorOptions::Exact(1);
  options.kms_keys = {{"alias/payments", ""}};
  auto sim = Simulator::Create(options).value();
  const std::string url =
      sim->CreateQueue({.queue_name = "q", .attributes = {{"KmsMasterKeyId", "alias/payments"}}})
          ->queue_url;
  EXPECT_TRUE(sim->SendMessage({.queue_url = url, .message_body = "x"}).ok());
}

TEST(SseKmsOptionsTest, InvalidKeyOptionsAreRejected) {
  SimulatorOptions bad_alias;
  bad_alias.kms_keys = {{"alias/aws/mine", ""}};
  EXPECT_EQ(Simulator::Create(bad_alias).status().code(), ErrorCode::kInvalidParameterValue);
  SimulatorOptions bad_policy;
  bad_policy.kms_keys = {{"alias/payments", R"({"Statement": 1})"}};
  Result<std::unique_ptr<Simulator>> created = Simulator::Create(bad_policy);
  EXPECT_EQ(created.status().code(), ErrorCode::kInvalidParameterValue);
  EXPECT_THAT(created.status().message(), HasSubstr("the key policy of alias/payments"));
}

TEST(SseKmsFaultTest, KmsThrottleFaultFailsOnlyDataKeyRequests) {
  SimulatorOptions options = SimulatorOptions::Exact(5);
  options.faults.rules.push_back(
      {.id = "kms-busy", .effect = FaultEffect::kKmsThrottle, .on_calls = {1}});
  auto sim = Simulator::Create(options).value();
  const kms::KeyMetadata key = sim->kms().CreateKey({}, sim->Now()).value();
  const std::string url =
      sim->CreateQueue({.queue_name = "payments", .attributes = {{"KmsMasterKeyId", key.arn}}})
          ->queue_url;
  Status first = sim->SendMessage({.queue_url = url, .message_body = "x"}).status();
  EXPECT_EQ(first.code(), ErrorCode::kKmsThrottled);
  EXPECT_TRUE(sim->SendMessage({.queue_url = url, .message_body = "x"}).ok());
  EXPECT_EQ(sim->faults().fired().at("kms-busy"), 1);
}

}  // namespace sse_kms_test
}  // namespace sqsim
