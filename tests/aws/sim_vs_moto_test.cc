// The first differential check: one consumer, written once against
// `Client`, runs on the simulator and on moto_server through AwsClient, and
// must reach the same outcome on both — which messages were processed, which
// ended in the dead-letter queue, and what is left.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sqsim/aws/aws_client.h"
#include "sqsim/simulator.h"
#include "support/moto.h"

namespace sqsim {
namespace {

using ::sqsim::test::SharedMoto;
using ::sqsim::test::UniqueQueueName;

struct PipelineOutcome {
  std::vector<std::string> processed{};      // sorted bodies the consumer handled and deleted
  std::vector<std::string> dead_lettered{};  // sorted bodies found in the dead-letter queue
  std::string left_visible{};                // ApproximateNumberOfMessages of the main queue
  std::string left_in_flight{};              // ApproximateNumberOfMessagesNotVisible
  friend bool operator==(const PipelineOutcome&, const PipelineOutcome&) = default;
};

// Enrolment requests arrive in batches; the consumer processes each and
// deletes it, except "poison" requests it cannot parse: those it hands back at
// once (visibility 0), so after two receives SQS moves them to the DLQ.
// Stops after two long polls in a row come back empty.
PipelineOutcome RunEnrollmentPipeline(Client& client, const std::string& prefix) {
  PipelineOutcome outcome;
  auto dlq = client.CreateQueue({.queue_name = prefix + "-dlq"});
  EXPECT_TRUE(dlq.ok()) << dlq.status();
  auto dlq_arn =
      client.GetQueueAttributes({.queue_url = dlq->queue_url, .attribute_names = {"QueueArn"}});
  EXPECT_TRUE(dlq_arn.ok()) << dlq_arn.status();
  const std::string redrive = R"({"deadLetterTargetArn":")" + dlq_arn->attributes["QueueArn"] +
                              R"(","maxReceiveCount":"2"})";
  auto queue =
      client.CreateQueue({.queue_name = prefix + "-enrolments",
                          .attributes = {{"RedrivePolicy", redrive}, {"VisibilityTimeout", "30"}}});
  EXPECT_TRUE(queue.ok()) << queue.status();
  const std::string url = queue->queue_url;

  for (int batch = 0; batch < 3; ++batch) {
    SendMessageBatchRequest send{.queue_url = url};
    for (int i = 0; i < 5; ++i) {
      const int n = batch * 5 + i;
      send.entries.push_back(
          {.id = "e" + std::to_string(i),
           .message_body = (n % 7 == 3 ? "poison-" : "enrol-") + std::to_string(n)});
    }
    auto sent = client.SendMessageBatch(send);
    EXPECT_TRUE(sent.ok() && sent->failed.empty()) << sent.status();
  }

  for (int empty_in_a_row = 0; empty_in_a_row < 2;) {
    auto received = client.ReceiveMessage(
        {.queue_url = url, .max_number_of_messages = 10, .wait_time_seconds = 1});
    EXPECT_TRUE(received.ok()) << received.status();
    if (!received.ok() || received->messages.empty()) {
      ++empty_in_a_row;
      continue;
    }
    empty_in_a_row = 0;
    DeleteMessageBatchRequest done{.queue_url = url};
    for (const Message& message : received->messages) {
      if (message.body.starts_with("poison-")) {
        auto returned = client.ChangeMessageVisibility(
            {.queue_url = url, .receipt_handle = message.receipt_handle, .visibility_timeout = 0});
        EXPECT_TRUE(returned.ok()) << returned.status();
        continue;
      }
      outcome.processed.push_back(message.body);
      done.entries.push_back({.id = "d" + std::to_string(done.entries.size()),
                              .receipt_handle = message.receipt_handle});
    }
    if (!done.entries.empty()) {
      auto deleted = client.DeleteMessageBatch(done);
      EXPECT_TRUE(deleted.ok() && deleted->failed.empty()) << deleted.status();
    }
  }

  for (int empty_in_a_row = 0; empty_in_a_row < 2;) {
    auto received =
        client.ReceiveMessage({.queue_url = dlq->queue_url, .max_number_of_messages = 10});
    if (!received.ok() || received->messages.empty()) {
      ++empty_in_a_row;
      continue;
    }
    for (const Message& message : received->messages) {
      outcome.dead_lettered.push_back(message.body);
      EXPECT_TRUE(client
                      .DeleteMessage(
                          {.queue_url = dlq->queue_url, .receipt_handle = message.receipt_handle})
                      .ok());
    }
  }

  auto left =
      client.GetQueueAttributes({.queue_url = url,
                                 .attribute_names = {"ApproximateNumberOfMessages",
                                                     "ApproximateNumberOfMessagesNotVisible"}});
  EXPECT_TRUE(left.ok()) << left.status();
  outcome.left_visible = left->attributes["ApproximateNumberOfMessages"];
  outcome.left_in_flight = left->attributes["ApproximateNumberOfMessagesNotVisible"];
  std::sort(outcome.processed.begin(), outcome.processed.end());
  std::sort(outcome.dead_lettered.begin(), outcome.dead_lettered.end());
  return outcome;
}

TEST(SimulatorVersusMotoTest, TheEnrollmentPipelineEndsTheSameOnBoth) {
  SQSIM_REQUIRE_MOTO();
  auto simulator = Simulator::Create({.seed = 7});
  ASSERT_TRUE(simulator.ok()) << simulator.status();
  const PipelineOutcome on_simulator = RunEnrollmentPipeline(**simulator, "school");

  auto moto = aws::AwsClient::Create({.region = "us-east-1",
                                      .endpoint_url = SharedMoto().url,
                                      .credentials = aws::AwsCredentials{"testing", "testing"}});
  ASSERT_TRUE(moto.ok()) << moto.status();
  const PipelineOutcome on_moto = RunEnrollmentPipeline(**moto, UniqueQueueName("school"));

  // The expected outcome, so that two equally wrong runs cannot pass.
  EXPECT_EQ(on_simulator.processed.size(), 13u);
  EXPECT_EQ(on_simulator.dead_lettered, (std::vector<std::string>{"poison-10", "poison-3"}));
  EXPECT_EQ(on_simulator.left_visible, "0");
  EXPECT_EQ(on_simulator.left_in_flight, "0");
  EXPECT_EQ(on_moto, on_simulator);
}

}  // namespace
}  // namespace sqsim
