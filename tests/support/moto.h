// The moto_server the wire tests talk to.
//
// Under ctest, one moto_server serves the whole run: tests/support/moto_ctl.sh
// starts it as a ctest fixture and names its URL in the file that
// SQSIM_MOTO_ENDPOINT_FILE points to. When the test binary runs on its own,
// the first test that asks starts a private moto_server on a free loopback
// port, stopped when the process exits. Tests share one server, so each one
// names its queues after itself (UniqueQueueName).
//
// moto_server comes from moto (pip package, 5.2.1 on the CI machines); where
// it is missing the tests that need it skip, saying so.

#ifndef SQSIM_TESTS_SUPPORT_MOTO_H_
#define SQSIM_TESTS_SUPPORT_MOTO_H_

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "support/child_process.h"

namespace sqsim::test {

struct MotoEndpoint {
  std::string url{};                 // "http://127.0.0.1:<port>", empty when unavailable
  std::string unavailable_reason{};  // why there is no moto_server
};

inline const MotoEndpoint& SharedMoto() {
  static const MotoEndpoint endpoint = [] {
    if (const char* file = std::getenv("SQSIM_MOTO_ENDPOINT_FILE")) {
      std::ifstream in(file);
      std::string url;
      if (in && std::getline(in, url) && !url.empty()) return MotoEndpoint{.url = url};
    }
    if (!OnPath("moto_server")) {
      return MotoEndpoint{.unavailable_reason =
                              "moto_server is not on PATH (install moto: pip install "
                              "'moto[server]'); the tests against moto cannot run"};
    }
    const uint16_t port = FreeLoopbackPort();
    static std::unique_ptr<ChildProcess> process = std::make_unique<ChildProcess>(
        std::vector<std::string>{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)});
    for (int i = 0; i < 300 && process->running(); ++i) {
      if (AcceptsConnections(port))
        return MotoEndpoint{.url = "http://127.0.0.1:" + std::to_string(port)};
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return MotoEndpoint{.unavailable_reason = "moto_server did not start on port " +
                                              std::to_string(port) + " within 15 s"};
  }();
  return endpoint;
}

// "<prefix>-<test name>-<n>": unique within the run, valid as a queue name
// (letters, digits, '-' and '_', at most 80 characters).
inline std::string UniqueQueueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = prefix + "-" + (info != nullptr ? std::string(info->name()) : "q") + "-" +
                     std::to_string(getpid()) + "-" + std::to_string(counter++);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  if (name.size() > 75) name = name.substr(name.size() - 75);
  return name;
}

}  // namespace sqsim::test

#define SQSIM_REQUIRE_MOTO()                                          \
  do {                                                                \
    if (::sqsim::test::SharedMoto().url.empty())                      \
      GTEST_SKIP() << ::sqsim::test::SharedMoto().unavailable_reason; \
  } while (0)

#endif  // SQSIM_TESTS_SUPPORT_MOTO_H_
