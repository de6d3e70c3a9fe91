// The real-world Env: system clock, Asio steady timers, stderr logging.

#include "sqsim/env.h"

#include <iostream>
#include <mutex>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace sqsim {

void Env::Log(std::string_view) {}

bool Env::MaybeFault(std::string_view) { return false; }

namespace {

class RealEnv final : public Env {
 public:
  explicit RealEnv(uint64_t seed) : rng_(seed) {}

  Timestamp Now() override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }

  boost::asio::awaitable<void> Sleep(Duration d) override {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }

  Rng& rng() override { return rng_; }

  void Log(std::string_view line) override {
    std::lock_guard<std::mutex> lock(log_mutex_);
    std::cerr << line << '\n';
  }

 private:
  SeededRng rng_;
  std::mutex log_mutex_;
};

}  // namespace

std::unique_ptr<Env> NewRealEnv(uint64_t seed) { return std::make_unique<RealEnv>(seed); }

}  // namespace sqsim
