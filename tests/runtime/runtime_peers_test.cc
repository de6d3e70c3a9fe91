// The same Consumer and Producer over AwsClient, in real time, against
// sqsim-server and moto_server on loopback: the runtime needs nothing from
// the simulator.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "sqsim/aws/aws_client.h"
#include "sqsim/http/server.h"
#include "sqsim/runtime/consumer.h"
#include "sqsim/runtime/producer.h"
#include "sqsim/when.h"
#include "support/moto.h"

namespace sqsim::runtime {
namespace {

using boost::asio::awaitable;
using ::sqsim::test::SharedMoto;
using ::sqsim::test::UniqueQueueName;
using namespace std::chrono_literals;

enum class Peer { kMoto, kSqsimServer };

std::string PeerName(const ::testing::TestParamInfo<Peer>& info) {
  return info.param == Peer::kMoto ? "Moto" : "SqsimServer";
}

const std::string& SqsimServerUrl() {
  static std::unique_ptr<http::Server> server = [] {
    auto created = http::Server::Create({.port = 0, .log_level = http::LogLevel::kQuiet});
    EXPECT_TRUE(created.ok()) << created.status();
    (*created)->Start();
    return std::move(*created);
  }();
  static const std::string url = server->endpoint_url();
  return url;
}

class RuntimePeerTest : public ::testing::TestWithParam<Peer> {
 protected:
  void SetUp() override {
    std::string endpoint;
    if (GetParam() == Peer::kMoto) {
      SQSIM_REQUIRE_MOTO();
      endpoint = SharedMoto().url;
    } else {
      endpoint = SqsimServerUrl();
    }
    auto created =
        aws::AwsClient::Create({.region = "us-east-1",
                                .endpoint_url = endpoint,
                                .credentials = aws::AwsCredentials{
                                    .access_key_id = "testing", .secret_access_key = "testing"}});
    ASSERT_TRUE(created.ok()) << created.status();
    client_ = std::move(*created);
    auto queue = client_->CreateQueue({.queue_name = UniqueQueueName("runtime")});
    ASSERT_TRUE(queue.ok()) << queue.status();
    url_ = queue->queue_url;
  }

  std::unique_ptr<aws::AwsClient> client_;
  std::unique_ptr<Env> env_ = NewRealEnv(1);
  std::string url_;
};

awaitable<void> SendMany(Producer& producer, int first, int n, int* ok) {
  for (int i = first; i < first + n; ++i) {
    SendMessageRequest send{.message_body = "order-" + std::to_string(i)};
    if ((co_await producer.Send(std::move(send))).ok()) ++*ok;
  }
}

TEST_P(RuntimePeerTest, AProducerAndAConsumerMoveEveryMessageOnce) {
  boost::asio::io_context io;
  Producer producer(*client_, *env_, {.queue_url = url_});
  std::set<std::string> handled;
  int handled_calls = 0;
  Consumer consumer(*client_, *env_,
                    {.queue_url = url_, .wait_time_seconds = 1, .heartbeat_interval = 2s},
                    [&](Delivery& d) -> awaitable<Outcome> {
                      ++handled_calls;
                      handled.insert(d.message().body);
                      if (handled.size() == 30) consumer.Stop();
                      co_return Outcome::Done();
                    });
  int sent = 0;
  std::optional<Status> status;
  for (int i = 0; i < 3; ++i) {
    boost::asio::co_spawn(io, SendMany(producer, i * 10, 10, &sent), boost::asio::detached);
  }
  boost::asio::co_spawn(
      io,
      [](Consumer& c, std::optional<Status>* s) -> awaitable<void> {
        s->emplace(co_await c.Run());
      }(consumer, &status),
      boost::asio::detached);
  io.run();
  EXPECT_EQ(sent, 30);
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->ok()) << *status;
  EXPECT_EQ(handled.size(), 30u);
  EXPECT_EQ(handled_calls, 30);
  EXPECT_EQ(consumer.stats().deleted, 30);
  EXPECT_GE(producer.stats().batches, 3);  // gathered, not one call per message
  auto left =
      client_->GetQueueAttributes({.queue_url = url_,
                                   .attribute_names = {"ApproximateNumberOfMessages",
                                                       "ApproximateNumberOfMessagesNotVisible"}});
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_EQ(left->attributes["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ(left->attributes["ApproximateNumberOfMessagesNotVisible"], "0");
}

TEST_P(RuntimePeerTest, RunBlockingServesAThreadBasedProgramUntilStopped) {
  ASSERT_TRUE(client_->SendMessage({.queue_url = url_, .message_body = "hello"}).ok());
  std::atomic<int> handled = 0;
  Consumer consumer(*client_, *env_, {.queue_url = url_, .wait_time_seconds = 1},
                    [&](Delivery&) -> awaitable<Outcome> {
                      ++handled;
                      co_return Outcome::Done();
                    });
  Status result = Status(ErrorCode::kInternalFailure, "not run");
  std::thread worker([&] { result = consumer.RunBlocking(); });
  while (handled.load() == 0) std::this_thread::sleep_for(10ms);
  consumer.Stop();  // from another thread
  worker.join();
  EXPECT_TRUE(result.ok()) << result;
  EXPECT_EQ(handled.load(), 1);
}

INSTANTIATE_TEST_SUITE_P(Peers, RuntimePeerTest, ::testing::Values(Peer::kMoto, Peer::kSqsimServer),
                         PeerName);

// The real Env's sleeps honour cancellation: a heartbeat that is no longer
// needed does not hold io_context::run() for its whole interval.
TEST(RealEnv, ACancelledSleepEndsAtOnce) {
  boost::asio::io_context io;
  std::unique_ptr<Env> env = NewRealEnv(1);
  size_t first = 99;
  const auto start = std::chrono::steady_clock::now();
  boost::asio::co_spawn(
      io,
      [](Env& env, size_t* first) -> awaitable<void> {
        std::vector<awaitable<void>> race;
        race.push_back(env.Sleep(1h));
        race.push_back(env.Sleep(10ms));
        *first = co_await WhenAny(std::move(race));
      }(*env, &first),
      boost::asio::detached);
  io.run();  // would block for an hour if the long sleep were not cancelled
  EXPECT_EQ(first, 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10min);
}

}  // namespace
}  // namespace sqsim::runtime
