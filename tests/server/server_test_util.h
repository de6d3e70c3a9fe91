// Helpers for the sqsim-server tests: an in-process server on an ephemeral
// loopback port, a blocking HTTP client over real sockets, and a runner for
// the Python (boto3, aws CLI) drivers.
//
// The client's sockets and HTTP parser (Boost.Asio, Boost.Beast) live in
// server_test_util.cc, compiled once into sqsim_test_support, so the tests
// that include this header do not compile Beast each.

#ifndef SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_
#define SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sqsim/http/server.h"

namespace sqsim::testing {

// Starts `options` (port forced to 0, logging off) on its internal thread.
// Fails the current test (and returns null) when the server cannot start.
std::unique_ptr<http::Server> StartServer(http::ServerOptions options = {});

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One keep-alive connection to the server, blocking.
class TestConnection {
 public:
  // Connects to 127.0.0.1:`port`; throws boost::system::system_error when
  // the connection is refused.
  explicit TestConnection(uint16_t port);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  // Sends raw bytes (anything, well-formed or not).
  void SendRaw(std::string_view bytes);
  void ShutdownSend();

  // Reads one response; nullopt when the connection closed first.
  std::optional<HttpReply> Read();

  // True when the server closed the connection (reads EOF).
  bool ClosedByServer();
  // The same, but false if nothing happens within `limit`.
  bool ClosedByServerWithin(std::chrono::seconds limit);

  std::optional<HttpReply> Request(std::string_view method, std::string_view target,
                                   std::string_view body,
                                   std::vector<std::pair<std::string, std::string>> headers);

  // A JSON-protocol call: POST / with X-Amz-Target: AmazonSQS.<action>.
  std::optional<HttpReply> Json(std::string_view action, const nlohmann::json& body);

  // A query-protocol call: form-encoded POST to `target`.
  std::optional<HttpReply> Form(std::string_view target, std::string_view form);

 private:
  struct Socket;  // the Asio socket and Beast's read buffer
  std::unique_ptr<Socket> socket_;
};

// Waits until `count` long polls are parked in the server (its health
// endpoint's `waiting_receives`), so that a test acts on a waiting poll for
// certain rather than after a guessed sleep. False if that never happens
// within a minute of real time (a broken server, not a slow machine).
bool AwaitWaitingReceives(uint16_t port, int count);

// tests/server/, where the Python drivers live.
inline std::filesystem::path ServerTestDir() {
  return std::filesystem::path(SQSIM_TESTS_DIR) / "server";
}

// Runs a shell command; returns its exit status and stdout.
std::pair<int, std::string> RunCommand(const std::string& command);

}  // namespace sqsim::testing

#endif  // SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_
