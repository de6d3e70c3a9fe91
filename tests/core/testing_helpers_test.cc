// The gMock helpers of sqsim::testing: MockClient and the message matchers.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"
#include "sqsim/testing/mock_client.h"

namespace sqsim::testing {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Return;
using ::testing::StartsWith;

TEST(MockClient, ReturnsScriptedResponse) {
  MockClient client;
  EXPECT_CALL(client, SendMessage(Field(&SendMessageRequest::message_body, "hello")))
      .WillOnce(Return(SendMessageResponse{.message_id = "m-1"}));
  auto sent = client.SendMessage({.queue_url = "q", .message_body = "hello"});
  ASSERT_THAT(sent, IsOk());
  EXPECT_EQ(sent->message_id, "m-1");
}

TEST(MockClient, CoroutineFormForwardsToTheBlockingMock) {
  MockClient client;
  EXPECT_CALL(client, GetQueueUrl(_))
      .WillOnce(Return(Result<GetQueueUrlResponse>(
          Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."))));
  std::optional<Result<GetQueueUrlResponse>> got;
  boost::asio::io_context io;
  boost::asio::co_spawn(
      io,
      [](MockClient* client,
         std::optional<Result<GetQueueUrlResponse>>* got) -> boost::asio::awaitable<void> {
        GetQueueUrlRequest request{.queue_name = "missing"};
        got->emplace(co_await client->AsyncGetQueueUrl(request));
      }(&client, &got),
      boost::asio::detached);
  io.run();
  ASSERT_TRUE(got.has_value());
  EXPECT_THAT(*got, StatusIs(ErrorCode::kQueueDoesNotExist));
}

// Retry logic under a scripted answer, in virtual time: the code under test
// runs as an actor on a Simulator's executor and sleeps through its Env, so
// backing off for seconds takes no real time and its timing is exact.
TEST(MockClient, RunsOnTheSimulatorsVirtualTimeExecutor) {
  MockClient client;
  EXPECT_CALL(client, SendMessage(_))
      .WillOnce(Return(Result<SendMessageResponse>(Status(ErrorCode::kRequestThrottled, "slow"))))
      .WillOnce(Return(Result<SendMessageResponse>(Status(ErrorCode::kRequestThrottled, "slow"))))
      .WillOnce(Return(SendMessageResponse{.message_id = "m-1"}));
  auto sim = Simulator::Create(SimulatorOptions::Exact(1)).value();
  std::string sent_id;
  sim->Spawn([](Client& sqs, Env& env, std::string* sent_id) -> boost::asio::awaitable<void> {
    Duration backoff = std::chrono::seconds(1);
    for (int attempt = 0; attempt < 5; ++attempt) {
      SendMessageRequest send{.queue_url = "orders", .message_body = "order-1"};
      auto sent = co_await sqs.AsyncSendMessage(send);
      if (sent.ok()) {
        *sent_id = sent->message_id;
        co_return;
      }
      co_await env.Sleep(backoff);
      backoff *= 2;
    }
  }(client, sim->env(), &sent_id));
  EXPECT_TRUE(sim->RunUntilIdle());
  EXPECT_EQ(sent_id, "m-1");
  EXPECT_EQ(sim->Now() - sim->options().start_time, std::chrono::seconds(3));  // 1 s + 2 s
}

TEST(MockClient, CallWithoutExpectationReturnsInternalFailure) {
  ::testing::NiceMock<MockClient> client;
  EXPECT_THAT(client.PurgeQueue({.queue_url = "q"}),
              StatusIs(ErrorCode::kInternalFailure, HasSubstr("no expectation for PurgeQueue")));
}

TEST(MessageMatchers, MatchBodyAndAttributes) {
  Message m{.body = "payload",
            .attributes = {{"ApproximateReceiveCount", "2"}},
            .message_attributes = {{"kind", {.string_value = "payment", .data_type = "String"}}}};
  EXPECT_THAT(m, HasBody("payload"));
  EXPECT_THAT(m, HasBody(StartsWith("pay")));
  EXPECT_THAT(m, Not(HasBody("other")));
  EXPECT_THAT(m, HasMessageAttribute("kind", "payment"));
  EXPECT_THAT(m, Not(HasMessageAttribute("missing", "x")));
  EXPECT_THAT(m, HasSystemAttribute("ApproximateReceiveCount", "2"));
  EXPECT_THAT(std::vector<Message>{m}, ElementsAre(HasBody("payload")));
}

TEST(StatusMatchers, StatusIsChecksCodeAndMessage) {
  Status s(ErrorCode::kOverLimit, "too many");
  EXPECT_THAT(s, StatusIs(ErrorCode::kOverLimit));
  EXPECT_THAT(s, StatusIs(ErrorCode::kOverLimit, HasSubstr("many")));
  EXPECT_THAT(s, Not(StatusIs(ErrorCode::kQueueDoesNotExist)));
  EXPECT_THAT(Status(), IsOk());
  EXPECT_THAT(Result<int>(3), IsOkAndHolds(3));
  EXPECT_THAT(Result<int>(3), Not(IsOkAndHolds(4)));
}

}  // namespace
}  // namespace sqsim::testing
