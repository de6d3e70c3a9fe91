// fauxqs, the Node SNS/SQS emulator, as a second SNS peer for differential
// tests.
//
// The first test that asks starts one fauxqs on a free loopback port, for
// the rest of the process. fauxqs is an npm package: .ci/deps.sh installs it
// under build/peers (`npm install --prefix build/peers fauxqs`), or
// SQSIM_FAUXQS_CLI names its dist/cli.js. Where node or the package is
// missing, the tests that need it skip, saying so.

#ifndef SQSIM_TESTS_SUPPORT_FAUXQS_H_
#define SQSIM_TESTS_SUPPORT_FAUXQS_H_

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "support/child_process.h"

namespace sqsim::test {

struct FauxqsEndpoint {
  std::string url{};                 // "http://127.0.0.1:<port>", empty when unavailable
  std::string unavailable_reason{};  // why there is no fauxqs
};

// Where .ci/deps.sh puts fauxqs, relative to the source tree.
inline std::filesystem::path FauxqsCli() {
  if (const char* cli = std::getenv("SQSIM_FAUXQS_CLI")) return cli;
  return std::filesystem::path(SQSIM_TESTS_DIR) / ".." / "build" / "peers" / "node_modules" /
         "fauxqs" / "dist" / "cli.js";
}

inline const FauxqsEndpoint& SharedFauxqs() {
  static const FauxqsEndpoint endpoint = [] {
    const std::filesystem::path cli = FauxqsCli();
    if (!OnPath("node")) {
      return FauxqsEndpoint{.unavailable_reason = "node is not on PATH; fauxqs cannot run"};
    }
    if (!std::filesystem::exists(cli)) {
      return FauxqsEndpoint{.unavailable_reason =
                                "fauxqs is not installed at " + cli.string() +
                                " (npm install --prefix build/peers fauxqs, as .ci/deps.sh does)"};
    }
    const uint16_t port = FreeLoopbackPort();
    static std::unique_ptr<ChildProcess> process = std::make_unique<ChildProcess>(
        std::vector<std::string>{"env", "FAUXQS_PORT=" + std::to_string(port),
                                 "FAUXQS_HOST=127.0.0.1", "node", cli.string()});
    for (int i = 0; i < 300 && process->running(); ++i) {
      if (AcceptsConnections(port)) {
        return FauxqsEndpoint{.url = "http://127.0.0.1:" + std::to_string(port)};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return FauxqsEndpoint{.unavailable_reason = "fauxqs did not start on port " +
                                                std::to_string(port) + " within 15 s"};
  }();
  return endpoint;
}

}  // namespace sqsim::test

#define SQSIM_REQUIRE_FAUXQS()                                          \
  do {                                                                  \
    if (::sqsim::test::SharedFauxqs().url.empty())                      \
      GTEST_SKIP() << ::sqsim::test::SharedFauxqs().unavailable_reason; \
  } while (0)

#endif  // SQSIM_TESTS_SUPPORT_FAUXQS_H_
