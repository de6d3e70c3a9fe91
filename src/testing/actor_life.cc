// ActorLife: crash, pause and stop reaching every coroutine of an actor.

#include "testing/actor_life.h"

#include <algorithm>
#include <cstdio>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "core/spawn_guard.h"

namespace sqsim::testing::internal {

namespace asio = boost::asio;

namespace {

std::string Seconds(Duration d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s",
                std::chrono::duration_cast<std::chrono::duration<double>>(d).count());
  return text;
}

}  // namespace

// ---- ActorEnv ----------------------------------------------------------------

asio::awaitable<void> ActorEnv::Sleep(Duration d) {
  co_await inner_->Sleep(d);
  co_await life_->At("sleep");
}

bool ActorEnv::MaybeFault(std::string_view point) {
  // The application's own point: its fault-point rules answer the question;
  // the actor rules naming it act on the whole actor.
  const bool fired = inner_->MaybeFault(point);
  life_->Decide(std::string(point));
  return fired;
}

// ---- ActorLife ---------------------------------------------------------------

ActorLife::ActorLife(ActorSetting setting, std::string name)
    : setting_(std::move(setting)), name_(std::move(name)), env_(this, setting_.env) {}

void ActorLife::Start(asio::awaitable<void> coroutine) {
  if (ending_) return;
  const bool main = coroutines_.empty();
  Coroutine& started = coroutines_.emplace_back();
  ++running_;
  asio::co_spawn(
      setting_.executor, sqsim::internal::GuardForSpawn(std::move(coroutine)),
      asio::bind_cancellation_slot(started.cancel.slot(), [self = shared_from_this(), &started,
                                                           main](std::exception_ptr error) {
        self->OnEnded(started, main, error);
      }));
}

asio::awaitable<void> ActorLife::Ended() {
  return asio::async_initiate<const asio::use_awaitable_t<>, void()>(
      [this](asio::any_completion_handler<void()> handler) {
        if (running_ == 0) {
          // (Posting an any_completion_handler itself recurses in Boost 1.81.)
          asio::post(setting_.executor, [h = std::move(handler)]() mutable { std::move(h)(); });
        } else {
          // emplace: Boost 1.81's move assignment of any_completion_handler
          // recurses; its move construction is fine.
          on_ended_.emplace(std::move(handler));
        }
      },
      asio::use_awaitable);
}

void ActorLife::OnEnded(Coroutine& coroutine, bool main, std::exception_ptr error) {
  coroutine.running = false;
  --running_;
  if (error) {
    try {
      std::rethrow_exception(error);
    } catch (const Crash& crash) {
      CrashAll(crash);
    } catch (const boost::system::system_error& e) {
      // A coroutine this life cancelled, ending as it should.
      const bool cancelled_by_us = ending_ && e.code() == asio::error::operation_aborted;
      if (!cancelled_by_us && !failure_) failure_ = error;
      EndAll();
    } catch (...) {
      if (!failure_) failure_ = error;
      EndAll();
    }
  } else if (main) {
    EndAll();  // the process exits with its main coroutine
  }
  if (running_ == 0 && on_ended_) {
    asio::post(setting_.executor, [h = std::move(*on_ended_)]() mutable { std::move(h)(); });
    on_ended_.reset();
  }
}

void ActorLife::EndAll() {
  if (ending_) return;
  ending_ = true;
  for (Coroutine& c : coroutines_) {
    if (c.running) c.cancel.emit(asio::cancellation_type::terminal);
  }
}

void ActorLife::Record(OpType type, std::string detail) {
  setting_.history->Record({.time = setting_.env->Now(),
                            .actor = name_,
                            .type = type,
                            .outcome = OpOutcome::kOk,
                            .detail = std::move(detail)});
}

void ActorLife::CrashAll(const Crash& crash) {
  if (ending_) return;
  crash_ = crash;
  Record(OpType::kCrash, crash.point());
  EndAll();
}

void ActorLife::Pause(Duration pause, const std::string& point) {
  if (ending_) return;
  paused_until_ = std::max(paused_until_, ClampedAdd(setting_.env->Now(), pause));
  Record(OpType::kPause, point + ", " + Seconds(pause));
}

void ActorLife::RequestStop(const std::string& point) {
  if (ending_ || stop_requested_) return;
  stop_requested_ = true;
  Record(OpType::kStop, point);
  // As an orchestrator does after SIGTERM: a process still running when the
  // grace period is over is killed.
  asio::co_spawn(
      setting_.executor,
      [](std::shared_ptr<ActorLife> self) -> asio::awaitable<void> {
        co_await self->setting_.env->Sleep(self->setting_.stop_grace);
        if (self->running_ > 0) self->CrashAll(Crash("stop: still running after the grace period"));
      }(shared_from_this()),
      asio::detached);
}

asio::awaitable<void> ActorLife::Checkpoint() {
  while (true) {
    if (ending_) throw Crash(crash_ ? crash_->point() : "");
    const Timestamp now = setting_.env->Now();
    if (now >= paused_until_) co_return;
    co_await setting_.env->Sleep(paused_until_ - now);
  }
}

void ActorLife::Decide(const std::string& point) {
  if (ending_) return;
  const FaultRule* rule = setting_.faults->DecideAtActorPoint(point, name_, setting_.env->Now());
  if (rule == nullptr) return;
  switch (rule->effect) {
    case FaultEffect::kCrash:
      CrashAll(Crash(point));
      break;
    case FaultEffect::kPause:
      Pause(rule->pause, point);
      break;
    case FaultEffect::kStop:
      RequestStop(point);
      break;
    default:
      break;  // DecideAtActorPoint returns actor rules only
  }
}

void ActorLife::DecideAtCall(const std::string& point) {
  if (ending_) return;
  if (setting_.env->MaybeFault(point)) CrashAll(Crash(point));
  Decide(point);
}

asio::awaitable<void> ActorLife::At(std::string point) {
  DecideAtCall(point);
  // Thrown before any co_await: in a cancelled coroutine a co_await throws
  // operation_aborted, and callers (RecordingClient) look for the Crash.
  if (ending_) throw Crash(crash_ ? crash_->point() : point);
  co_await Checkpoint();
}

void ActorLife::AtBlocking(const std::string& point) {
  DecideAtCall(point);
  if (ending_) throw Crash(crash_ ? crash_->point() : point);
}

void ActorLife::AfterReturn(const std::string& point) { DecideAtCall(point); }

}  // namespace sqsim::testing::internal
