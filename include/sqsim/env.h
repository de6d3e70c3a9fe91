// Env: everything user code needs from its environment besides SQS itself —
// the current time, sleeping, randomness and logging.
//
// Write consumers and producers against `Env&` instead of reading the system
// clock or sleeping for real. Under the simulator, `Simulator::env()` gives an
// Env whose time is virtual: `co_await env.Sleep(30s)` returns as soon as the
// simulator has moved its clock 30 seconds on, which costs no real time.
// In production `NewRealEnv()` gives the wall clock and Asio timers.
//
// Env is sqsim's one clock: whatever needs the time (user code, AwsClient's
// SigV4 dates and backoff, sqsim-server's signature checks) takes an Env, so
// a test that wants to control time substitutes one Env (an EnvWrapper
// overriding Now, say) rather than a separate clock object.
//
// `EnvWrapper` forwards every call to another Env, so a test can override a
// single method (leveldb's EnvWrapper).
//
// Thread safety: the real Env's Now(), Sleep() and Log() are safe for
// concurrent use, its rng() is not (Fork it per thread). The simulator's Env
// belongs to the simulator's single thread.

#ifndef SQSIM_ENV_H_
#define SQSIM_ENV_H_

#include <memory>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "sqsim/random.h"
#include "sqsim/types.h"

namespace sqsim {

class Env {
 public:
  virtual ~Env() = default;

  // The current time (virtual under the simulator).
  virtual Timestamp Now() = 0;

  // Suspends the calling coroutine for `d`. REQUIRES: the coroutine runs on
  // the executor this Env belongs to (the simulator's, for the simulator's
  // Env; any Asio executor for the real one).
  virtual boost::asio::awaitable<void> Sleep(Duration d) = 0;

  // The random source. Deterministic from the seed under the simulator.
  virtual Rng& rng() = 0;

  // Writes one line of diagnostic output. Default: discards it.
  virtual void Log(std::string_view line);

  // A fault point in user code (FoundationDB's BUGGIFY): returns true when
  // the fault plan says fault point `point` fires now, so that the caller
  // can simulate a crash or an error right there:
  //
  //   charge(payment);
  //   if (env.MaybeFault("payment.after-charge")) co_return;  // "crash"
  //   co_await client.AsyncDeleteMessage(del);
  //
  // Under the simulator the decision comes from SimulatorOptions::faults
  // (kFaultPoint rules) and the seed; elsewhere it is always false.
  virtual bool MaybeFault(std::string_view point);
};

// Forwards every call to `target`, which must outlive the wrapper.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}

  Timestamp Now() override { return target_->Now(); }
  boost::asio::awaitable<void> Sleep(Duration d) override { return target_->Sleep(d); }
  Rng& rng() override { return target_->rng(); }
  void Log(std::string_view line) override { target_->Log(line); }
  bool MaybeFault(std::string_view point) override { return target_->MaybeFault(point); }

  Env* target() const { return target_; }

 private:
  Env* target_;
};

// The real world: the system clock, Asio steady timers, a SeededRng seeded
// with `seed`, and log lines written to stderr.
std::unique_ptr<Env> NewRealEnv(uint64_t seed);

}  // namespace sqsim

#endif  // SQSIM_ENV_H_
