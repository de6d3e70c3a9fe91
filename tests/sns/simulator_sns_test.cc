// SNS in the Simulator: topics deliver into the simulator's queues as the
// service principal sns.amazonaws.com, to registered functions, with SNS's
// retries, subscription dead-letter queues and delivery faults.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "sqsim/simulator.h"
#include "sqsim/sns/queue_policy.h"

namespace sqsim::sns::simulator_sns_test {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr std::string_view kAccount = "123456789012";

std::string QueueArn(const std::string& name) {
  return "arn:aws:sqs:us-east-1:" + std::string(kAccount) + ":" + name;
}

// The queue policy that lets one topic send to the queue `queue`.
std::string AllowTopic(const std::string& queue, const std::string& topic_arn) {
  return sns::QueuePolicyAllowingTopic(QueueArn(queue), topic_arn);
}

class SimulatorSnsTest : public ::testing::Test {
 protected:
  // Exact: a short poll sees every visible message (no sampling), so a
  // delivery shows in the next receive.
  static SimulatorOptions Options(FaultPlan faults = {}) {
    SimulatorOptions options = SimulatorOptions::Exact();
    options.seed = 5;
    options.faults = std::move(faults);
    return options;
  }
  void SetUp() override { sim_ = Simulator::Create(Options()).value(); }

  std::string Topic(const std::string& name, TopicAttributeMap attributes = {}) {
    return sim_->sns().CreateTopic({.name = name, .attributes = attributes}).value().topic_arn;
  }
  // A queue that lets `topic_arn` send to it ("" for no policy).
  std::string Queue(const std::string& name, const std::string& topic_arn,
                    std::map<std::string, std::string> attributes = {}) {
    if (!topic_arn.empty()) attributes["Policy"] = AllowTopic(name, topic_arn);
    return sim_->CreateQueue({.queue_name = name, .attributes = attributes}).value().queue_url;
  }
  std::string SubscribeQueue(const std::string& topic_arn, const std::string& queue,
                             SubscriptionAttributeMap attributes = {}) {
    return sim_->sns()
        .Subscribe({.topic_arn = topic_arn,
                    .protocol = "sqs",
                    .endpoint = QueueArn(queue),
                    .attributes = attributes})
        .value()
        .subscription_arn;
  }
  std::vector<Message> Receive(const std::string& url) {
    return sim_
        ->ReceiveMessage(
            {.queue_url = url, .message_attribute_names = {"All"}, .max_number_of_messages = 10})
        .value()
        .messages;
  }
  std::string Publish(const std::string& topic_arn, const std::string& message) {
    return sim_->sns().Publish({.topic_arn = topic_arn, .message = message}).value().message_id;
  }

  std::unique_ptr<Simulator> sim_;
};

TEST_F(SimulatorSnsTest, PublishDeliversTheNotificationEnvelopeIntoASubscribedQueue) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", topic);
  SubscribeQueue(topic, "notifications");
  const std::string id = Publish(topic, R"({"student":7})");

  const std::vector<Message> got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  const nlohmann::json envelope = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(envelope["Type"], "Notification");
  EXPECT_EQ(envelope["MessageId"], id);
  EXPECT_EQ(envelope["TopicArn"], topic);
  EXPECT_EQ(envelope["Message"], R"({"student":7})");
  EXPECT_EQ(sim_->sns_delivery_stats(), (DeliveryStats{.deliveries = 1, .delivered = 1}));
}

TEST_F(SimulatorSnsTest, OneMessageReachesEveryQueueSubscribedToTheTopic) {
  const std::string topic = Topic("student-enrolled");
  std::vector<std::string> urls;
  for (const char* name : {"notifications", "analytics", "payments"}) {
    urls.push_back(Queue(name, topic));
    SubscribeQueue(topic, name);
  }
  Publish(topic, "enrolled");
  for (const std::string& url : urls) EXPECT_EQ(Receive(url).size(), 1u) << url;
}

TEST_F(SimulatorSnsTest, AQueueWhosePolicyDoesNotAllowTheTopicGetsNothing) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", /*topic_arn=*/"");
  SubscribeQueue(topic, "notifications");
  Publish(topic, "enrolled");

  EXPECT_TRUE(Receive(url).empty());
  // AccessDenied is a client-side error: one attempt, no retries.
  EXPECT_EQ(sim_->sns_delivery_stats(),
            (DeliveryStats{.deliveries = 1, .failed_attempts = 1, .dropped = 1}));
  EXPECT_THAT(sim_->trace().FormatLast(3), HasSubstr("sns-dropped notifications AccessDenied"));
}

TEST_F(SimulatorSnsTest, APolicyForAnotherTopicDoesNotLetThisOneSend) {
  const std::string topic = Topic("student-enrolled");
  const std::string other = Topic("course-created");
  const std::string url = Queue("notifications", other);
  SubscribeQueue(topic, "notifications");
  Publish(topic, "enrolled");
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_EQ(sim_->sns_delivery_stats().dropped, 1);
}

// The documented policy for an SQS subscription, field by field; an ARN that
// is not plain text comes out escaped, as valid JSON.
TEST(QueuePolicyAllowingTopic, IsTheDocumentedPolicyForAnSqsSubscription) {
  const nlohmann::json policy = nlohmann::json::parse(
      QueuePolicyAllowingTopic("arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:sns:t"));
  EXPECT_EQ(policy["Version"], "2012-10-17");
  ASSERT_EQ(policy["Statement"].size(), 1u);
  const nlohmann::json& statement = policy["Statement"][0];
  EXPECT_EQ(statement["Effect"], "Allow");
  EXPECT_EQ(statement["Principal"]["Service"], "sns.amazonaws.com");
  EXPECT_EQ(statement["Action"], "sqs:SendMessage");
  EXPECT_EQ(statement["Resource"], "arn:aws:sqs:us-east-1:123456789012:q");
  EXPECT_EQ(statement["Condition"]["ArnEquals"]["aws:SourceArn"], "arn:aws:sns:t");
  const nlohmann::json odd = nlohmann::json::parse(QueuePolicyAllowingTopic("a\"b", "c\\d"));
  EXPECT_EQ(odd["Statement"][0]["Resource"], "a\"b");
  EXPECT_EQ(odd["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"], "c\\d");
}

TEST_F(SimulatorSnsTest, AFailedDeliveryGoesToTheSubscriptionsDeadLetterQueue) {
  const std::string topic = Topic("student-enrolled");
  Queue("notifications", /*topic_arn=*/"");  // denies SNS
  const std::string dlq = Queue("notifications-dlq", topic);
  SubscribeQueue(
      topic, "notifications",
      {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + QueueArn("notifications-dlq") + R"("})"}});
  const std::string id = Publish(topic, "enrolled");

  const std::vector<Message> dead = Receive(dlq);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(dead[0].body)["MessageId"], id);
  ASSERT_TRUE(dead[0].message_attributes.contains("ErrorCode"));
  EXPECT_EQ(dead[0].message_attributes.at("ErrorCode").string_value, "AccessDenied");
  EXPECT_TRUE(dead[0].message_attributes.contains("ErrorMessage"));
  EXPECT_TRUE(dead[0].message_attributes.contains("RequestID"));
  EXPECT_EQ(sim_->sns_delivery_stats().dead_lettered, 1);
}

TEST_F(SimulatorSnsTest, ADeletedQueueIsNotRetriedAndDeadLettersAtOnce) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", topic);
  const std::string dlq = Queue("notifications-dlq", topic);
  SubscribeQueue(
      topic, "notifications",
      {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + QueueArn("notifications-dlq") + R"("})"}});
  ASSERT_TRUE(sim_->DeleteQueue({.queue_url = url}).ok());
  Publish(topic, "enrolled");
  ASSERT_EQ(Receive(dlq).size(), 1u);
  EXPECT_EQ(sim_->sns_delivery_stats().failed_attempts, 1);
}

TEST_F(SimulatorSnsTest, RawMessageDeliverySendsTheMessageWithItsAttributes) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("analytics", topic);
  SubscribeQueue(topic, "analytics", {{"RawMessageDelivery", "true"}});
  ASSERT_TRUE(
      sim_->sns()
          .Publish({.topic_arn = topic,
                    .message = "enrolled",
                    .message_attributes = {{"course",
                                            {.data_type = "String", .string_value = "maths"}}}})
          .ok());
  const std::vector<Message> got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, "enrolled");
  ASSERT_TRUE(got[0].message_attributes.contains("course"));
  EXPECT_EQ(got[0].message_attributes.at("course").string_value, "maths");
}

TEST_F(SimulatorSnsTest, AFilterPolicyKeepsMessagesThatDoNotMatchOutOfTheQueue) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("welcome-packs", topic);
  SubscribeQueue(topic, "welcome-packs", {{"FilterPolicy", R"({"paid":["true"]})"}});
  for (const char* paid : {"true", "false"}) {
    ASSERT_TRUE(
        sim_->sns()
            .Publish(
                {.topic_arn = topic,
                 .message = std::string("paid=") + paid,
                 .message_attributes = {{"paid", {.data_type = "String", .string_value = paid}}}})
            .ok());
  }
  const std::vector<Message> got = Receive(url);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(got[0].body)["Message"], "paid=true");
  EXPECT_EQ(sim_->sns_delivery_stats().deliveries, 1);
}

TEST_F(SimulatorSnsTest, AFifoTopicPassesGroupAndDeduplicationIdsToAFifoQueue) {
  const std::string topic =
      Topic("grades.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
  const std::string url = Queue("grades.fifo", topic, {{"FifoQueue", "true"}});
  SubscribeQueue(topic, "grades.fifo");
  for (int i = 0; i < 2; ++i) {  // the same message twice: deduplicated by the topic
    ASSERT_TRUE(sim_->sns()
                    .Publish({.topic_arn = topic, .message = "A+", .message_group_id = "student-7"})
                    .ok());
  }
  const std::vector<Message> got = sim_->ReceiveMessage({.queue_url = url,
                                                         .message_system_attribute_names = {"All"},
                                                         .max_number_of_messages = 10})
                                       .value()
                                       .messages;
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attributes.at("MessageGroupId"), "student-7");
  EXPECT_TRUE(got[0].attributes.contains("MessageDeduplicationId"));
}

TEST_F(SimulatorSnsTest, AnSseKmsQueueWithTheAwsManagedKeyRefusesSns) {
  // alias/aws/sqs admits only the account's own principals, so SNS cannot
  // use it: AWS's documented reason to give such queues a customer key.
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("payments", topic, {{"KmsMasterKeyId", "alias/aws/sqs"}});
  SubscribeQueue(topic, "payments");
  Publish(topic, "enrolled");
  EXPECT_TRUE(Receive(url).empty());
  EXPECT_THAT(sim_->trace().FormatLast(3), HasSubstr("sns-dropped payments KmsAccessDenied"));
}

// ---- Functions ------------------------------------------------------------

TEST_F(SimulatorSnsTest, AFunctionSubscriptionReceivesTheNotification) {
  const std::string topic = Topic("student-enrolled");
  std::vector<FunctionDelivery> calls;
  sim_->RegisterFunction("analytics", [&calls](FunctionDelivery d) -> boost::asio::awaitable<void> {
    calls.push_back(std::move(d));
    co_return;
  });
  ASSERT_TRUE(
      sim_->sns()
          .Subscribe({.topic_arn = topic, .protocol = "sqsim-function", .endpoint = "analytics"})
          .ok());
  const std::string id = Publish(topic, "enrolled");
  sim_->RunUntilIdle();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].message_id, id);
  EXPECT_EQ(calls[0].attempt, 1);
  EXPECT_EQ(nlohmann::json::parse(calls[0].body)["Message"], "enrolled");
}

TEST_F(SimulatorSnsTest, AFunctionThatThrowsIsRetriedAsSnsRetriesLambda) {
  const std::string topic = Topic("student-enrolled");
  std::vector<std::pair<int, Timestamp>> attempts;
  Simulator* sim = sim_.get();
  sim_->RegisterFunction("flaky",
                         [&attempts, sim](FunctionDelivery d) -> boost::asio::awaitable<void> {
                           attempts.emplace_back(d.attempt, sim->Now());
                           if (d.attempt < 6) throw std::runtime_error("downstream unavailable");
                           co_return;
                         });
  ASSERT_TRUE(
      sim_->sns()
          .Subscribe({.topic_arn = topic, .protocol = "sqsim-function", .endpoint = "flaky"})
          .ok());
  const Timestamp start = sim_->Now();
  Publish(topic, "enrolled");
  sim_->RunUntilIdle();
  // Attempts 1-3 back to back, then 1 second apart, then backing off.
  ASSERT_EQ(attempts.size(), 6u);
  EXPECT_EQ(attempts[2].second, start);
  EXPECT_EQ(attempts[3].second, start + 1s);
  EXPECT_EQ(attempts[4].second, start + 2s);
  EXPECT_EQ(attempts[5].second, start + 3s);
  EXPECT_EQ(sim_->sns_delivery_stats(),
            (DeliveryStats{.deliveries = 1, .delivered = 1, .failed_attempts = 5}));
}

TEST_F(SimulatorSnsTest, AFunctionThatAlwaysFailsIsGivenUpAfter23Days) {
  const std::string topic = Topic("student-enrolled");
  const std::string dlq = Queue("analytics-dlq", topic);
  int attempts = 0;
  sim_->RegisterFunction("broken", [&attempts](FunctionDelivery) -> boost::asio::awaitable<void> {
    ++attempts;
    throw std::runtime_error("bug");
    co_return;
  });
  ASSERT_TRUE(
      sim_->sns()
          .Subscribe({.topic_arn = topic,
                      .protocol = "sqsim-function",
                      .endpoint = "broken",
                      .attributes = {{"RedrivePolicy", R"({"deadLetterTargetArn":")" +
                                                           QueueArn("analytics-dlq") + R"("})"}}})
          .ok());
  const Timestamp start = sim_->Now();
  Publish(topic, "enrolled");
  sim_->RunUntilIdle();
  EXPECT_EQ(attempts, 100015);
  const auto days =
      std::chrono::duration_cast<std::chrono::hours>(sim_->Now() - start).count() / 24;
  EXPECT_EQ(days, 23);
  EXPECT_EQ(Receive(dlq).size(), 1u);
}

TEST_F(SimulatorSnsTest, AnUnregisteredFunctionIsAClientErrorAndNotRetried) {
  const std::string topic = Topic("student-enrolled");
  ASSERT_TRUE(
      sim_->sns()
          .Subscribe({.topic_arn = topic, .protocol = "sqsim-function", .endpoint = "nobody"})
          .ok());
  Publish(topic, "enrolled");
  sim_->RunUntilIdle();
  EXPECT_EQ(sim_->sns_delivery_stats(),
            (DeliveryStats{.deliveries = 1, .failed_attempts = 1, .dropped = 1}));
}

// ---- Faults ---------------------------------------------------------------

class SimulatorSnsFaultTest : public SimulatorSnsTest {
 protected:
  void WithFault(FaultRule rule) {
    sim_ = Simulator::Create(Options({.rules = {std::move(rule)}})).value();
  }
};

TEST_F(SimulatorSnsFaultTest, ADeliveryDelayFaultDeliversLate) {
  WithFault({.id = "slow-sns",
             .effect = FaultEffect::kSnsDeliveryDelay,
             .queue = "notifications",
             .on_calls = {1},
             .latency = 30s});
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", topic);
  SubscribeQueue(topic, "notifications");
  Publish(topic, "enrolled");
  EXPECT_TRUE(Receive(url).empty());
  sim_->RunFor(29s);
  EXPECT_TRUE(Receive(url).empty());
  sim_->RunFor(1s);
  EXPECT_EQ(Receive(url).size(), 1u);
}

TEST_F(SimulatorSnsFaultTest, ADuplicateDeliveryFaultDeliversTheMessageTwice) {
  WithFault({.id = "twice", .effect = FaultEffect::kSnsDuplicateDelivery, .on_calls = {1}});
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", topic);
  SubscribeQueue(topic, "notifications");
  const std::string id = Publish(topic, "enrolled");
  const std::vector<Message> got = Receive(url);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].body, got[1].body);  // the same notification: same MessageId
  EXPECT_EQ(nlohmann::json::parse(got[1].body)["MessageId"], id);
  EXPECT_EQ(sim_->sns_delivery_stats().duplicates, 1);
}

TEST_F(SimulatorSnsFaultTest, AFailedDeliveryToOneSubscriptionIsRetriedAndArrives) {
  WithFault({.id = "outage",
             .effect = FaultEffect::kSnsDeliveryFailure,
             .queue = "analytics",
             .on_calls = {1, 2, 3, 4}});
  const std::string topic = Topic("student-enrolled");
  const std::string analytics = Queue("analytics", topic);
  const std::string payments = Queue("payments", topic);
  SubscribeQueue(topic, "analytics");
  SubscribeQueue(topic, "payments");
  Publish(topic, "enrolled");
  EXPECT_EQ(Receive(payments).size(), 1u);  // the other subscription is untouched
  EXPECT_TRUE(Receive(analytics).empty());  // attempts 1-3 failed, the 4th waits 1 s
  sim_->RunFor(1s);                         // attempt 4 fails too; the 5th is 1 s later
  sim_->RunFor(1s);
  EXPECT_EQ(Receive(analytics).size(), 1u);
  EXPECT_EQ(sim_->sns_delivery_stats().failed_attempts, 4);
  EXPECT_EQ(sim_->faults().fired().at("outage"), 4);
}

TEST_F(SimulatorSnsFaultTest, TheSameSeedGivesTheSameTrace) {
  auto run = [] {
    auto sim =
        Simulator::Create({.seed = 11,
                           .faults = {.rules = {{.id = "dup",
                                                 .effect = FaultEffect::kSnsDuplicateDelivery,
                                                 .probability = 0.3},
                                                {.id = "slow",
                                                 .effect = FaultEffect::kSnsDeliveryDelay,
                                                 .probability = 0.3,
                                                 .latency = 5s},
                                                {.id = "fail",
                                                 .effect = FaultEffect::kSnsDeliveryFailure,
                                                 .probability = 0.3}}}})
            .value();
    const std::string topic = sim->sns().CreateTopic({.name = "t"}).value().topic_arn;
    for (const char* name : {"a", "b"}) {
      sim->CreateQueue({.queue_name = name, .attributes = {{"Policy", AllowTopic(name, topic)}}})
          .value();
      sim->sns()
          .Subscribe({.topic_arn = topic, .protocol = "sqs", .endpoint = QueueArn(name)})
          .value();
    }
    for (int i = 0; i < 50; ++i) {
      (void)sim->sns().Publish({.topic_arn = topic, .message = "m" + std::to_string(i)});
      sim->RunFor(1s);
    }
    sim->RunUntilIdle();
    return std::make_pair(sim->trace_hash(), sim->sns_delivery_stats());
  };
  const auto first = run();
  EXPECT_EQ(first, run());
  EXPECT_GT(first.second.duplicates, 0);
  EXPECT_GT(first.second.failed_attempts, 0);
  // Every delivery arrived, once or (duplicated) twice.
  EXPECT_EQ(first.second.delivered, first.second.deliveries + first.second.duplicates);
}

TEST_F(SimulatorSnsTest, TheCoroutineFormPublishesFromAnActor) {
  const std::string topic = Topic("student-enrolled");
  const std::string url = Queue("notifications", topic);
  SubscribeQueue(topic, "notifications");
  sns::Client& client = sim_->sns();
  sim_->Spawn([](sns::Client& client, std::string topic) -> boost::asio::awaitable<void> {
    PublishRequest request{.topic_arn = topic, .message = "from an actor"};
    Result<PublishResponse> published = co_await client.AsyncPublish(request);
    EXPECT_TRUE(published.ok());
  }(client, topic));
  sim_->RunUntilIdle();
  EXPECT_EQ(Receive(url).size(), 1u);
}

}  // namespace sqsim::sns::simulator_sns_test
