// WhenAll and WhenAny: run coroutines concurrently on the caller's executor
// and wait for all of them, or for the first, with cancellation.
//
//   // Handle ten messages in parallel, in virtual time on a Simulator or in
//   // real time on any Asio executor:
//   std::vector<boost::asio::awaitable<void>> handlers;
//   for (const Message& m : got->messages) handlers.push_back(Handle(m));
//   co_await sqsim::WhenAll(std::move(handlers));
//
//   // A long poll that gives up when shutdown is requested:
//   std::vector<boost::asio::awaitable<void>> race;
//   race.push_back(Poll());
//   race.push_back(WaitForShutdown());
//   size_t first = co_await sqsim::WhenAny(std::move(race));
//
// Cancellation is Asio's per-operation cancellation: a cancelled coroutine's
// pending wait ends with boost::asio::error::operation_aborted (thrown from
// its co_await), and so does every later co_await in it. The waits that
// honour it: Env::Sleep on the Simulator and the real Env, a Simulator's
// AsyncReceiveMessage long poll (the poll is abandoned: no message is
// received for it), and Asio's own timers and sockets. Cancelling the caller
// of WhenAll or WhenAny cancels every task it runs.
//
// Order: tasks start in vector order; on the Simulator the run stays
// deterministic (one thread, events in a fixed order).

#ifndef SQSIM_WHEN_H_
#define SQSIM_WHEN_H_

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

namespace sqsim {

// Runs `tasks` concurrently and returns when every one has ended. When a
// task throws, the others are cancelled; once all have ended, the first
// exception thrown is rethrown. An empty vector returns at once.
boost::asio::awaitable<void> WhenAll(std::vector<boost::asio::awaitable<void>> tasks);

// Runs `tasks` concurrently; when the first one ends, cancels the others,
// waits for them to end, and returns the first one's index (or rethrows its
// exception). `tasks` must not be empty.
boost::asio::awaitable<size_t> WhenAny(std::vector<boost::asio::awaitable<void>> tasks);

// WhenAll for tasks with results: the results in the tasks' order.
template <typename T>
boost::asio::awaitable<std::vector<T>> WhenAll(std::vector<boost::asio::awaitable<T>> tasks) {
  std::vector<std::optional<T>> slots(tasks.size());
  std::vector<boost::asio::awaitable<void>> runs;
  runs.reserve(tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    runs.push_back(
        [](boost::asio::awaitable<T> task, std::optional<T>& slot) -> boost::asio::awaitable<void> {
          slot.emplace(co_await std::move(task));
        }(std::move(tasks[i]), slots[i]));
  }
  co_await WhenAll(std::move(runs));
  std::vector<T> results;
  results.reserve(slots.size());
  for (std::optional<T>& slot : slots) results.push_back(std::move(*slot));
  co_return results;
}

}  // namespace sqsim

#endif  // SQSIM_WHEN_H_
