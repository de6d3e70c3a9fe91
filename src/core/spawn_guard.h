// GuardForSpawn: wraps a coroutine about to be co_spawned with cancellation;
// IsCancellation: tells a cancelled coroutine's exception from a failure.
//
// Asio 1.81's co_spawn entry point, after a coroutine that never suspended
// for real, posts once more before calling the completion handler; in a
// coroutine that was cancelled, that co_await throws operation_aborted
// outside co_spawn's own try block, and the exception escapes from
// io_context::run/poll instead of reaching the handler. The guard catches
// the coroutine's exception, resets the cancellation state (so that the post
// does not throw), and rethrows it: the handler sees it, as it should.

#ifndef SQSIM_SRC_CORE_SPAWN_GUARD_H_
#define SQSIM_SRC_CORE_SPAWN_GUARD_H_

#include <exception>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

namespace sqsim::internal {

inline boost::asio::awaitable<void> GuardForSpawn(boost::asio::awaitable<void> coroutine) {
  std::exception_ptr error;
  try {
    co_await std::move(coroutine);
  } catch (...) {
    error = std::current_exception();
  }
  co_await boost::asio::this_coro::reset_cancellation_state();
  if (error) std::rethrow_exception(error);
}

// True when `error` is Asio's cancellation of a wait (operation_aborted):
// the coroutine was stopped from outside (a crash, a shutdown), it did not
// fail.
inline bool IsCancellation(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const boost::system::system_error& e) {
    return e.code() == boost::asio::error::operation_aborted;
  } catch (...) {
    return false;
  }
}

}  // namespace sqsim::internal

#endif  // SQSIM_SRC_CORE_SPAWN_GUARD_H_
