// The host wakes only as many waiting long polls as a change can feed: a
// send of one message to a standard queue with many waiting receives wakes
// one of them, not all (issue: 3,000 waiters made a send 40x slower). The
// tests count wake-ups, never time.

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "host/host.h"

namespace sqsim::internal {
namespace {

namespace asio = boost::asio;

// Waits until woken; the host's clock stands still in these tests, so no
// deadline ever passes.
class WokenOnlyWaiter final : public PollWaiter {
 public:
  WokenOnlyWaiter(asio::io_context& io, Timestamp now) : timer_(io), now_(now) {}
  Timestamp Now() override { return now_; }
  asio::awaitable<void> WaitUntil(Timestamp /*until*/) override {
    timer_.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  void Wake() override { timer_.cancel(); }

 private:
  asio::steady_timer timer_;
  Timestamp now_;
};

class LongPollWakeTest : public ::testing::Test {
 protected:
  LongPollWakeTest() : host_(Host::Create(SimulatorOptions::Exact(1)).value()) {}
  // Ends the polls still waiting before their host, waiters and requests go.
  ~LongPollWakeTest() override {
    host_->Close();
    io_.poll();
  }

  std::string CreateQueue(const std::string& name, bool fifo = false) {
    CreateQueueRequest request{.queue_name = name};
    if (fifo) request.attributes = {{"FifoQueue", "true"}};
    return host_->Call(request, kNow).value().queue_url;
  }

  // Starts `count` long polls of 20 s on `url`, each taking up to
  // `max_messages`, and runs them until they all wait.
  void StartPolls(const std::string& url, int count, int max_messages) {
    for (int i = 0; i < count; ++i) {
      requests_.push_back(
          {.queue_url = url, .max_number_of_messages = max_messages, .wait_time_seconds = 20});
      waiters_.push_back(std::make_unique<WokenOnlyWaiter>(io_, kNow));
      results_.emplace_back();
      asio::co_spawn(io_, Poll(requests_.back(), *waiters_.back(), results_.back()),
                     asio::detached);
    }
    io_.poll();
  }

  asio::awaitable<void> Poll(const ReceiveMessageRequest& request, PollWaiter& waiter,
                             std::optional<size_t>& received) {
    LongPoll poll = host_->StartReceive(request, kNow);
    // (No co_await inside a conditional expression: GCC 12 destroys its
    // temporaries twice.)
    Result<ReceiveMessageResponse> result = ReceiveMessageResponse{};
    if (poll.Done(kNow)) {
      result = host_->Finish(poll, kNow);
    } else {
      result = co_await host_->Wait(poll, waiter);
    }
    received = result.ok() ? result->messages.size() : 0;
  }

  void Send(const std::string& url, int messages) {
    SendMessageBatchRequest batch{.queue_url = url};
    for (int i = 0; i < messages; ++i) {
      SendMessageBatchRequestEntry entry{.id = "e" + std::to_string(i),
                                         .message_body = "m" + std::to_string(i)};
      if (fifo_) {
        entry.message_deduplication_id = "d" + std::to_string(sent_);
        entry.message_group_id = "g" + std::to_string(sent_);
      }
      ++sent_;
      batch.entries.push_back(std::move(entry));
    }
    ASSERT_TRUE(host_->Call(batch, kNow).ok());
  }

  // How many polls have ended, and the messages they received in all.
  std::pair<int, size_t> Ended() const {
    int ended = 0;
    size_t messages = 0;
    for (const std::optional<size_t>& r : results_) {
      if (!r) continue;
      ++ended;
      messages += *r;
    }
    return {ended, messages};
  }

  static inline const Timestamp kNow = Timestamp(std::chrono::seconds(1767225600));
  asio::io_context io_;
  std::unique_ptr<Host> host_;
  bool fifo_ = false;
  int sent_ = 0;
  std::deque<ReceiveMessageRequest> requests_;
  std::deque<std::unique_ptr<WokenOnlyWaiter>> waiters_;
  std::deque<std::optional<size_t>> results_;
};

TEST_F(LongPollWakeTest, OneMessageWakesOneOfAThousandWaitingPolls) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 1000, 1);
  ASSERT_EQ(host_->waiting_receive_count(), 1000u);
  const int64_t before = host_->early_wake_count();
  Send(url, 1);
  EXPECT_EQ(host_->early_wake_count() - before, 1);
  io_.poll();
  EXPECT_EQ(Ended(), std::make_pair(1, size_t{1}));
  EXPECT_EQ(host_->waiting_receive_count(), 999u);
}

TEST_F(LongPollWakeTest, ABatchWakesAsManyPollsAsItsMessagesNeed) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 10, 1);
  Send(url, 3);
  EXPECT_EQ(host_->early_wake_count(), 3);
  io_.poll();
  EXPECT_EQ(Ended(), std::make_pair(3, size_t{3}));
  EXPECT_EQ(host_->waiting_receive_count(), 7u);
}

TEST_F(LongPollWakeTest, OnePollThatTakesTenIsEnoughForTenMessages) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 5, 10);
  Send(url, 10);
  EXPECT_EQ(host_->early_wake_count(), 1);
  io_.poll();
  EXPECT_EQ(Ended(), std::make_pair(1, size_t{10}));
}

// A poll woken but not yet resumed still counts: a second send wakes the
// next poll, not the same one again (both messages are received).
TEST_F(LongPollWakeTest, APollWokenButNotYetResumedIsCountedForTheNextSend) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 4, 1);
  Send(url, 1);
  Send(url, 1);
  EXPECT_EQ(host_->early_wake_count(), 1 + 2);  // the second send sees 2 visible
  io_.poll();
  EXPECT_EQ(Ended(), std::make_pair(2, size_t{2}));
}

TEST_F(LongPollWakeTest, NothingVisibleWakesNobody) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 3, 1);
  ASSERT_TRUE(
      host_
          ->Call(SendMessageRequest{.queue_url = url, .message_body = "later", .delay_seconds = 60},
                 kNow)
          .ok());
  EXPECT_EQ(host_->early_wake_count(), 0);
}

// FIFO: a visible message may sit behind a group in flight, so a count
// cannot say which poll can take it; every poll looks.
TEST_F(LongPollWakeTest, FifoQueueWakesEveryPoll) {
  fifo_ = true;
  const std::string url = CreateQueue("q.fifo", /*fifo=*/true);
  StartPolls(url, 4, 1);
  Send(url, 1);
  EXPECT_EQ(host_->early_wake_count(), 4);
  io_.poll();
  EXPECT_EQ(Ended(), std::make_pair(1, size_t{1}));
  EXPECT_EQ(host_->waiting_receive_count(), 3u);
}

// A deleted queue wakes every poll, which ends with its error.
TEST_F(LongPollWakeTest, DeletingTheQueueWakesEveryPoll) {
  const std::string url = CreateQueue("q");
  StartPolls(url, 3, 1);
  ASSERT_TRUE(host_->Call(DeleteQueueRequest{.queue_url = url}, kNow).ok());
  EXPECT_EQ(host_->early_wake_count(), 3);
  io_.poll();
  EXPECT_EQ(Ended().first, 3);
}

}  // namespace
}  // namespace sqsim::internal
