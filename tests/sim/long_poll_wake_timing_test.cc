// Long polls return as soon as a message becomes visible, also when the
// host wakes only some of the waiting polls (one per message it can feed):
// visibility changes that bring messages back at different times each reach
// a waiting poll when they fall due, not at the polls' deadlines.

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using boost::asio::awaitable;

class LongPollWakeTimingTest : public SimulatorTest {
 protected:
  // A long poll of up to 20 s taking one message; records when it returned.
  void StartPoll(std::vector<Duration>* returned_after) {
    sim_->Spawn([](Simulator* sim, std::string url,
                   std::vector<Duration>* returned_after) -> awaitable<void> {
      const Timestamp start = sim->Now();
      ReceiveMessageRequest receive{
          .queue_url = url, .max_number_of_messages = 1, .wait_time_seconds = 20};
      auto got = co_await sim->AsyncReceiveMessage(receive);
      EXPECT_THAT(got, IsOk());
      if (got.ok() && got->messages.size() == 1) returned_after->push_back(sim->Now() - start);
    }(sim_.get(), url_, returned_after));
  }

  std::string url_ = MakeQueue("orders");
};

// Two in-flight messages are shortened to 5 s and 10 s at the same instant,
// before the first woken poll has looked again: each waiting poll still
// returns when its message comes back (6 s and 11 s), not at 20 s.
TEST_F(LongPollWakeTimingTest, ShortenedVisibilitiesReachWaitingPollsWhenTheyFallDue) {
  Send(url_, "a");
  Send(url_, "b");
  const std::vector<Message> held = Receive(url_, 2, /*visibility=*/30);
  ASSERT_EQ(held.size(), 2u);
  std::vector<Duration> returned_after;
  StartPoll(&returned_after);
  StartPoll(&returned_after);
  sim_->RunFor(1s);
  ASSERT_THAT(
      sim_->ChangeMessageVisibility(
          {.queue_url = url_, .receipt_handle = held[0].receipt_handle, .visibility_timeout = 5}),
      IsOk());
  ASSERT_THAT(
      sim_->ChangeMessageVisibility(
          {.queue_url = url_, .receipt_handle = held[1].receipt_handle, .visibility_timeout = 10}),
      IsOk());
  sim_->RunFor(30s);
  EXPECT_EQ(returned_after, (std::vector<Duration>{6s, 11s}));
}

// The same with sends: three messages sent at once to three waiting polls
// that take one each wake exactly those three.
TEST_F(LongPollWakeTimingTest, ABatchSentToThreeWaitingPollsReturnsAllThreeAtOnce) {
  std::vector<Duration> returned_after;
  for (int i = 0; i < 3; ++i) StartPoll(&returned_after);
  sim_->RunFor(2s);
  SendMessageBatchRequest batch{.queue_url = url_};
  for (const char* id : {"a", "b", "c"}) batch.entries.push_back({.id = id, .message_body = id});
  ASSERT_THAT(sim_->SendMessageBatch(batch), IsOk());
  sim_->RunFor(30s);
  EXPECT_EQ(returned_after, (std::vector<Duration>{2s, 2s, 2s}));
}

}  // namespace
}  // namespace sqsim
