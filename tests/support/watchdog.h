// Watchdog: turns a hang into a failure that names what hung.
//
// A property run that loops for ever (a model or engine bug that never lets
// time move) would otherwise sit at 100 % CPU until ctest's timeout, with no
// word on which case it was running. A guarded section registers a
// description of its case; if it is still running after the limit, the
// watchdog prints that description to stderr and aborts the process, so the
// test fails with the sequence that hung (and the seed its run printed).
//
// Thread safety: one watchdog thread per process; Guard may be used from any
// thread, one guarded section at a time per Guard.

#ifndef SQSIM_TESTS_SUPPORT_WATCHDOG_H_
#define SQSIM_TESTS_SUPPORT_WATCHDOG_H_

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace sqsim::test {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  // The process-wide watchdog (its thread starts on first use and is
  // detached: it only ever sleeps, wakes and, on a hang, aborts).
  static Watchdog& Get() {
    static Watchdog* watchdog = new Watchdog();
    return *watchdog;
  }

  // Guards the scope it lives in: `description` is printed if the scope is
  // still running `limit` after it began.
  class Guard {
   public:
    Guard(std::string description, std::chrono::seconds limit)
        : id_(Get().Arm(std::move(description), Clock::now() + limit)) {}
    ~Guard() { Get().Disarm(id_); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    uint64_t id_;
  };

 private:
  struct Section {
    std::string description;
    Clock::time_point deadline;
  };

  Watchdog() {
    std::thread([this] { Watch(); }).detach();
  }

  uint64_t Arm(std::string description, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    const uint64_t id = next_id_++;
    sections_[id] = {std::move(description), deadline};
    changed_.notify_all();
    return id;
  }

  void Disarm(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    sections_.erase(id);
  }

  void Watch() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (sections_.empty()) {
        changed_.wait(lock);
        continue;
      }
      Clock::time_point earliest = Clock::time_point::max();
      for (const auto& [id, section] : sections_) {
        if (section.deadline <= Clock::now()) {
          std::fprintf(stderr, "\nwatchdog: still running after its time limit, aborting:\n%s\n",
                       section.description.c_str());
          std::fflush(stderr);
          std::abort();
        }
        earliest = std::min(earliest, section.deadline);
      }
      changed_.wait_until(lock, earliest);
    }
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::map<uint64_t, Section> sections_;
  uint64_t next_id_ = 1;
};

}  // namespace sqsim::test

#endif  // SQSIM_TESTS_SUPPORT_WATCHDOG_H_
