// WhenAll and WhenAny over Asio's parallel_group: each task is co_spawned
// on the caller's executor; the group forwards the caller's cancellation to
// every task and cancels the rest when its condition is met.

#include "sqsim/when.h"

#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/spawn_guard.h"
#include "sqsim/status.h"

namespace sqsim {

namespace asio = boost::asio;

namespace {

using Executor = asio::any_io_executor;

auto Spawned(const Executor& executor, std::vector<asio::awaitable<void>>& tasks) {
  using Op = decltype(asio::co_spawn(executor, internal::GuardForSpawn(std::move(tasks.front())),
                                     asio::deferred));
  std::vector<Op> ops;
  ops.reserve(tasks.size());
  for (asio::awaitable<void>& task : tasks) {
    ops.push_back(
        asio::co_spawn(executor, internal::GuardForSpawn(std::move(task)), asio::deferred));
  }
  return ops;
}

}  // namespace

asio::awaitable<void> WhenAll(std::vector<asio::awaitable<void>> tasks) {
  if (tasks.empty()) co_return;
  const Executor executor = co_await asio::this_coro::executor;
  auto [order, exceptions] =
      co_await asio::experimental::make_parallel_group(Spawned(executor, tasks))
          .async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable);
  // The first task to fail (in completion order) caused the others'
  // cancellation: its exception is the one that explains the failure.
  for (size_t index : order) {
    if (exceptions[index]) std::rethrow_exception(exceptions[index]);
  }
}

asio::awaitable<size_t> WhenAny(std::vector<asio::awaitable<void>> tasks) {
  SQSIM_ASSERT(!tasks.empty(), "WhenAny needs at least one task");
  const Executor executor = co_await asio::this_coro::executor;
  auto [order, exceptions] =
      co_await asio::experimental::make_parallel_group(Spawned(executor, tasks))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  const size_t first = order.front();
  if (exceptions[first]) std::rethrow_exception(exceptions[first]);
  co_return first;
}

}  // namespace sqsim
