// SNS over the wire: boto3's sns client and the aws CLI against
// sqsim-server, whose topics deliver into its queues (boto3_sns.py holds
// the boto3 checks).

#include <cctype>
#include <cstdio>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/server_test_util.h"
#include "sqsim/sns/queue_policy.h"

namespace sqsim::testing {
namespace server_sns_test {

// ServerOptions' default account.
const std::string kAccount = http::ServerOptions{}.account_id;

TEST(ServerSnsTest, Boto3PublishesToTopicsThatDeliverIntoTheServersQueues) {
  http::ServerOptions options{.realism = false};
  options.access_keys = {{"AKIDADMIN", "secret"}};
  std::unique_ptr<http::Server> server = StartServer(std::move(options));
  ASSERT_NE(server, nullptr);
  auto [status, out] = RunCommand("python3 " + (ServerTestDir() / "boto3_sns.py").string() + " " +
                                  server->endpoint_url() + " " + kAccount + " 2>&1");
  if (status == 3) GTEST_SKIP() << "boto3 is not importable: " << out;
  const size_t last = out.rfind("\n{");
  const nlohmann::json results =
      nlohmann::json::parse(last == std::string::npos ? out : out.substr(last + 1), nullptr, false);
  ASSERT_TRUE(results.is_object()) << "boto3_sns.py output:\n" << out;
  const std::vector<std::string> checks = {"publish_delivers_the_envelope_into_a_subscribed_queue",
                                           "raw_delivery_and_filter_policy",
                                           "lists_attributes_and_tags",
                                           "publish_batch_delivers_every_entry",
                                           "a_fifo_topic_delivers_to_a_fifo_queue",
                                           "errors_have_sns_codes_and_statuses",
                                           "a_wrong_secret_is_refused",
                                           "an_sns_action_signed_for_sqs_is_refused"};
  for (const std::string& check : checks) {
    ASSERT_TRUE(results.contains(check)) << "no check named " << check << "\n" << out;
    EXPECT_EQ(results[check], "ok") << check << ":\n" << results[check].get<std::string>();
  }
  EXPECT_EQ(results.size(), checks.size()) << out;
}

// The aws CLI's sns commands, with dummy credentials from the environment.
class AwsCliSnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand("aws --version >/dev/null 2>&1").first != 0) {
      GTEST_SKIP() << "the aws CLI is not on PATH";
    }
    server_ = StartServer({.realism = false});
    ASSERT_NE(server_, nullptr);
  }
  std::pair<int, std::string> Aws(const std::string& service, const std::string& args) {
    return RunCommand(
        "AWS_ACCESS_KEY_ID=dummy AWS_SECRET_ACCESS_KEY=dummy AWS_DEFAULT_REGION=us-east-1 "
        "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --output json "
        "--endpoint-url " +
        server_->endpoint_url() + " " + service + " " + args + " 2>&1");
  }
  std::unique_ptr<http::Server> server_;
};

TEST_F(AwsCliSnsTest, PublishReachesASubscribedQueue) {
  auto [created, topic_json] = Aws("sns", "create-topic --name cli-topic");
  ASSERT_EQ(created, 0) << topic_json;
  const std::string topic = nlohmann::json::parse(topic_json)["TopicArn"];
  const std::string queue_arn = "arn:aws:sqs:us-east-1:" + kAccount + ":cli-queue";
  const nlohmann::json attributes = {{"Policy", sns::QueuePolicyAllowingTopic(queue_arn, topic)}};
  auto [queue, url_json] =
      Aws("sqs", "create-queue --queue-name cli-queue --attributes '" + attributes.dump() + "'");
  ASSERT_EQ(queue, 0) << url_json;
  const std::string url = nlohmann::json::parse(url_json)["QueueUrl"];
  auto [subscribed, sub_out] =
      Aws("sns", "subscribe --topic-arn " + topic + " --protocol sqs --notification-endpoint " +
                     queue_arn + " --attributes RawMessageDelivery=true");
  ASSERT_EQ(subscribed, 0) << sub_out;
  auto [published, pub_out] = Aws("sns", "publish --topic-arn " + topic + " --message from-cli");
  ASSERT_EQ(published, 0) << pub_out;
  auto [received, got] =
      Aws("sqs", "receive-message --queue-url " + url + " --wait-time-seconds 1");
  ASSERT_EQ(received, 0) << got;
  EXPECT_EQ(nlohmann::json::parse(got)["Messages"][0]["Body"], "from-cli");
}

TEST_F(AwsCliSnsTest, PublishingToAMissingTopicExitsWithNotFound) {
  auto [status, out] =
      Aws("sns", "publish --topic-arn arn:aws:sns:us-east-1:" + kAccount + ":missing --message x");
  EXPECT_TRUE(status == 254 || status == 255) << status << ": " << out;
  EXPECT_NE(out.find("NotFound"), std::string::npos) << out;
}

// Percent-encodes `text` for a form value.
std::string FormEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

// A server whose first SNS delivery a fault delays by `delay`, with a topic
// "slow" delivering into queue "slow-queue"; `Receive` long-polls the queue.
class DelayedDeliveryTest : public ::testing::Test {
 protected:
  void Start(http::TimeMode mode, Duration delay) {
    http::ServerOptions options{.time_mode = mode, .realism = false};
    options.faults.rules = {{.id = "slow-sns",
                             .effect = FaultEffect::kSnsDeliveryDelay,
                             .on_calls = {1},
                             .latency = delay}};
    server_ = StartServer(std::move(options));
    ASSERT_NE(server_, nullptr);
    connection_ = std::make_unique<TestConnection>(server_->port());
    const std::string topic = "arn:aws:sns:us-east-1:" + kAccount + ":slow";
    const std::string queue = "arn:aws:sqs:us-east-1:" + kAccount + ":slow-queue";
    Form("Action=CreateTopic&Version=2010-03-31&Name=slow");
    Form(
        "Action=CreateQueue&Version=2012-11-05&QueueName=slow-queue&Attribute.1.Name=Policy"
        "&Attribute.1.Value=" +
        FormEncode(sns::QueuePolicyAllowingTopic(queue, topic)));
    Form("Action=Subscribe&Version=2010-03-31&TopicArn=" + FormEncode(topic) +
         "&Protocol=sqs&Endpoint=" + FormEncode(queue));
    Form("Action=Publish&Version=2010-03-31&TopicArn=" + FormEncode(topic) + "&Message=late");
  }
  std::string Form(const std::string& body) {
    std::optional<HttpReply> reply = connection_->Form("/", body);
    EXPECT_TRUE(reply.has_value());
    if (!reply) return "";
    EXPECT_EQ(reply->status, 200) << reply->body;
    return reply->body;
  }
  std::string Receive(int wait_seconds) {
    return Form(
        "Action=ReceiveMessage&Version=2012-11-05&WaitTimeSeconds=" + std::to_string(wait_seconds) +
        "&QueueUrl=" + FormEncode(server_->endpoint_url() + "/" + kAccount + "/slow-queue"));
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<TestConnection> connection_;
};

// Deliveries a fault delays (and SNS's retries) run on the server's clock:
// in manual time mode, when an admin advance reaches them.
TEST_F(DelayedDeliveryTest, ArrivesWhenManualTimeReachesIt) {
  Start(http::TimeMode::kManual, std::chrono::seconds(30));
  EXPECT_EQ(Receive(0).find("<Body>"), std::string::npos);  // not yet
  std::optional<HttpReply> advanced = connection_->Request(
      "POST", "/_sqsim/time/advance", R"({"seconds":30})", {{"Content-Type", "application/json"}});
  ASSERT_TRUE(advanced.has_value());
  ASSERT_EQ(advanced->status, 200) << advanced->body;
  EXPECT_THAT(Receive(0), ::testing::HasSubstr(R"("Message" : "late")"));
}

// In real time mode a timer on the server's io_context runs it; a long poll
// that waits for it is woken by the delivery.
TEST_F(DelayedDeliveryTest, ArrivesInRealTimeAndWakesALongPoll) {
  Start(http::TimeMode::kReal, std::chrono::milliseconds(200));
  EXPECT_THAT(Receive(20), ::testing::HasSubstr(R"("Message" : "late")"));
}

}  // namespace server_sns_test
}  // namespace sqsim::testing
