// ActorLife: one life of a scenario actor (one process, between its start
// and its crash, stop or end): its coroutines, and what the plan's actor
// effects do to all of them at once.
//
// Every coroutine of the life (the main one and the children it spawns) is
// co_spawned with its own cancellation signal. A crash (a Crash thrown in any
// of them, or a kCrash rule) records the crash and cancels every coroutine:
// each one's current wait ends with operation_aborted, and so does any later
// co_await in it (Asio's throw-if-cancelled), so a process that died runs no
// further step. A pause moves `paused_until`; every coroutine waits it out
// at its next checkpoint (a call through the actor's client, a sleep through
// its Env). A stop request turns stopping() true and, after the grace
// period, kills a life that is still running.

#ifndef SQSIM_SRC_TESTING_ACTOR_LIFE_H_
#define SQSIM_SRC_TESTING_ACTOR_LIFE_H_

#include <exception>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>

#include "sqsim/env.h"
#include "sqsim/fault.h"
#include "sqsim/testing/crash.h"
#include "sqsim/testing/history.h"
#include "sqsim/testing/recording_client.h"

namespace sqsim::testing::internal {

// What a life needs from its scenario run.
struct ActorSetting {
  boost::asio::any_io_executor executor;
  Env* env = nullptr;  // the simulator's
  FaultInjector* faults = nullptr;
  History* history = nullptr;
  Duration stop_grace{};
  const bool* run_stopping = nullptr;  // true once the run is over
};

class ActorLife;

// The Env an actor sees: the simulator's, with the actor's fault points
// (after each sleep; at each MaybeFault) and its pauses.
class ActorEnv final : public Env {
 public:
  ActorEnv(ActorLife* life, Env* inner) : life_(life), inner_(inner) {}
  Timestamp Now() override { return inner_->Now(); }
  boost::asio::awaitable<void> Sleep(Duration d) override;
  Rng& rng() override { return inner_->rng(); }
  void Log(std::string_view line) override { inner_->Log(line); }
  bool MaybeFault(std::string_view point) override;

 private:
  ActorLife* life_;
  Env* inner_;
};

class ActorLife final : public ActorControl, public std::enable_shared_from_this<ActorLife> {
 public:
  ActorLife(ActorSetting setting, std::string name);

  const std::string& name() const { return name_; }
  Env& env() { return env_; }
  // The run is over, or this actor was asked to stop.
  bool stopping() const { return *setting_.run_stopping || stop_requested_; }

  // Starts a coroutine of this life: the first one started is the main one
  // (when it returns, the process exits and the others are cancelled). A
  // life that has ended starts nothing.
  void Start(boost::asio::awaitable<void> coroutine);
  // Waits until every coroutine started has ended.
  boost::asio::awaitable<void> Ended();

  // How it ended: the crash that killed it; the exception (not a Crash)
  // that escaped one of its coroutines; whether it was asked to stop.
  const std::optional<Crash>& crash() const { return crash_; }
  std::exception_ptr failure() const { return failure_; }
  bool stop_requested() const { return stop_requested_; }

  // The effects, recorded in the history.
  void CrashAll(const Crash& crash);
  void Pause(Duration pause, const std::string& point);
  void RequestStop(const std::string& point);
  // Throws Crash once the life is ending; waits while it is paused.
  boost::asio::awaitable<void> Checkpoint();

  // Decides the plan's actor rules (kCrash, kPause, kStop) at `point` and
  // applies the one that fires.
  void Decide(const std::string& point);

  // ActorControl: a call's fault points. A fault-point rule firing there
  // crashes the actor too (RecordingClient's documented behaviour).
  boost::asio::awaitable<void> At(std::string point) override;
  void AtBlocking(const std::string& point) override;
  void AfterReturn(const std::string& point) override;

 private:
  struct Coroutine {
    boost::asio::cancellation_signal cancel;
    bool running = true;
  };
  void DecideAtCall(const std::string& point);
  void OnEnded(Coroutine& coroutine, bool main, std::exception_ptr error);
  // Cancels every running coroutine.
  void EndAll();
  void Record(OpType type, std::string detail);

  ActorSetting setting_;
  std::string name_;
  ActorEnv env_;
  std::list<Coroutine> coroutines_;  // stable addresses for the signals
  int running_ = 0;
  bool ending_ = false;
  Timestamp paused_until_{};
  bool stop_requested_ = false;
  std::optional<Crash> crash_;
  std::exception_ptr failure_;
  std::optional<boost::asio::any_completion_handler<void()>> on_ended_;
};

}  // namespace sqsim::testing::internal

#endif  // SQSIM_SRC_TESTING_ACTOR_LIFE_H_
