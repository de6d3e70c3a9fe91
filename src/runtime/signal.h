// Signal: coroutines on one executor wait for the next NotifyAll().
//
// The runtime's condition variable: a waiter checks its condition, and if it
// does not hold, waits for the next notification and checks again. Waits
// honour Asio cancellation (they end with operation_aborted). Not
// thread-safe: use it from the executor's one thread.

#ifndef SQSIM_SRC_RUNTIME_SIGNAL_H_
#define SQSIM_SRC_RUNTIME_SIGNAL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sqsim::runtime::internal {

class Signal {
 public:
  explicit Signal(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  // Suspends until the next NotifyAll(), or a NotifyOne() that picks this
  // waiter.
  boost::asio::awaitable<void> Wait() {
    namespace asio = boost::asio;
    return asio::async_initiate<const asio::use_awaitable_t<>, void(boost::system::error_code)>(
        [this](Handler handler) {
          const uint64_t id = next_id_++;
          asio::cancellation_slot slot = asio::get_associated_cancellation_slot(handler);
          if (slot.is_connected()) {
            slot.assign([this, id](asio::cancellation_type type) {
              if (type != asio::cancellation_type::none) Cancel(id);
            });
          }
          // In place: Boost 1.81's move assignment of any_completion_handler
          // recurses; its move construction is fine.
          waiters_.emplace_back(id, std::move(handler));
          ++waiting_;
        },
        asio::use_awaitable);
  }

  // Resumes every coroutine waiting now, in the order they began to wait
  // (one after another, from one posted function).
  void NotifyAll() {
    if (waiting_ == 0) return;
    std::vector<Waiter> woken;
    woken.swap(waiters_);
    std::vector<Handler> handlers;
    handlers.reserve(waiting_);
    waiting_ = 0;
    first_ = 0;
    for (Waiter& waiter : woken) {
      if (!waiter.handler) continue;
      ClearSlot(*waiter.handler);
      handlers.emplace_back(std::move(*waiter.handler));
    }
    // Keep the storage: most waiters come back.
    woken.clear();
    waiters_.swap(woken);
    boost::asio::post(executor_, [handlers = std::move(handlers)]() mutable {
      for (Handler& handler : handlers) std::move(handler)(boost::system::error_code());
    });
  }

  // Resumes the coroutine that has waited longest, if any.
  void NotifyOne() {
    for (; first_ < waiters_.size(); ++first_) {
      if (waiters_[first_].handler) {
        Take(waiters_[first_], {});
        return;
      }
    }
  }

  // How many coroutines wait now.
  size_t waiting() const { return waiting_; }

 private:
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;
  struct Waiter {
    Waiter(uint64_t id, Handler h) : id(id), handler(std::in_place, std::move(h)) {}
    uint64_t id;
    std::optional<Handler> handler;  // empty once resumed
  };

  void Cancel(uint64_t id) {
    for (size_t i = first_; i < waiters_.size(); ++i) {
      if (waiters_[i].id == id && waiters_[i].handler) {
        Take(waiters_[i], boost::asio::error::operation_aborted);
        return;
      }
    }
  }

  // Resumes `waiter`'s coroutine; the slot stays, empty, until no one waits
  // (erasing would move-assign handlers).
  void Take(Waiter& waiter, boost::system::error_code error) {
    Handler handler(std::move(*waiter.handler));
    waiter.handler.reset();
    if (--waiting_ == 0) {
      waiters_.clear();
      first_ = 0;
    }
    Resume(std::move(handler), error);
  }

  static void ClearSlot(Handler& handler) {
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) slot.clear();
  }

  void Resume(Handler handler, boost::system::error_code error) {
    ClearSlot(handler);
    boost::asio::post(executor_,
                      [h = std::move(handler), error]() mutable { std::move(h)(error); });
  }

  boost::asio::any_io_executor executor_;
  std::vector<Waiter> waiters_;  // in the order they began to wait
  size_t waiting_ = 0;           // waiters_ with a handler
  size_t first_ = 0;             // waiters_ before it have none
  uint64_t next_id_ = 1;
};

}  // namespace sqsim::runtime::internal

#endif  // SQSIM_SRC_RUNTIME_SIGNAL_H_
