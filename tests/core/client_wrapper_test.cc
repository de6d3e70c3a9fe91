// ClientWrapper: decorators override only what they change.

#include "sqsim/client_wrapper.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/simulator.h"
#include "sqsim/testing/matchers.h"

namespace sqsim {
namespace {

using ::sqsim::testing::HasBody;
using ::sqsim::testing::IsOk;
using ::testing::ElementsAre;

// Tags every body it sends; everything else goes straight through.
class TaggingClient final : public ClientWrapper {
 public:
  using ClientWrapper::ClientWrapper;
  Result<SendMessageResponse> SendMessage(const SendMessageRequest& request) override {
    SendMessageRequest tagged = request;
    tagged.message_body = "[tagged] " + request.message_body;
    return ClientWrapper::SendMessage(tagged);
  }
};

TEST(ClientWrapper, ForwardsWhatItDoesNotOverride) {
  auto sim = Simulator::Create(SimulatorOptions::Exact()).value();
  TaggingClient client(sim.get());
  EXPECT_EQ(client.target(), sim.get());
  auto created = client.CreateQueue({.queue_name = "orders"});
  ASSERT_THAT(created, IsOk());
  ASSERT_THAT(client.SendMessage({.queue_url = created->queue_url, .message_body = "o-1"}), IsOk());
  auto got = client.ReceiveMessage({.queue_url = created->queue_url});
  ASSERT_THAT(got, IsOk());
  EXPECT_THAT(got->messages, ElementsAre(HasBody("[tagged] o-1")));
  EXPECT_EQ(sim->call_counts()[Action::kReceiveMessage], 1);
}

TEST(ClientWrapper, ForwardsTheCoroutineFormToTheTargetsCoroutineForm) {
  auto sim = Simulator::Create(SimulatorOptions::Exact()).value();
  TaggingClient client(sim.get());
  const std::string url = client.CreateQueue({.queue_name = "orders"})->queue_url;
  std::optional<Result<SendMessageResponse>> sent;
  sim->Spawn([](Client& c, std::string url,
                std::optional<Result<SendMessageResponse>>& out) -> boost::asio::awaitable<void> {
    SendMessageRequest send{.queue_url = url, .message_body = "o-2"};
    out.emplace(co_await c.AsyncSendMessage(send));
  }(client, url, sent));
  sim->RunUntilIdle();
  ASSERT_TRUE(sent.has_value());
  EXPECT_THAT(*sent, IsOk());
  // Only the blocking SendMessage is overridden: the coroutine form is the
  // target's own, untagged.
  auto got = sim->ReceiveMessage({.queue_url = url});
  EXPECT_THAT(got->messages, ElementsAre(HasBody("o-2")));
}

}  // namespace
}  // namespace sqsim
