// TestHttpServer: a small HTTP/1.1 (optionally TLS) server on 127.0.0.1 for
// the transport tests. It runs on its own thread and io_context, listens on
// an ephemeral port, records every request, and echoes the request body.
// Each request chooses a misbehaviour with the `X-Test-Action` header:
//
//   stall:<ms>      wait <ms> before answering
//   barrier:<n>     wait until n requests have arrived (on any connection)
//                   before answering: holds concurrent requests in flight
//                   together, whatever the scheduler does
//   drop            close the connection without answering
//   drop-if-reused  like drop, except for the first request of a connection
//   reset           send the headers and part of the body, then a TCP RST
//   http10          answer as HTTP/1.0 without keep-alive, then close
//   body:<n>        answer with an n-byte body instead of the echo
//
// Responses carry `X-Connection-Id` (1 for the first accepted connection)
// and `X-Request-Index` (0 for a connection's first request).
//
// Thread safety: the accessors and CloseIdleConnections() may be called from
// any thread.
//
// The server (Boost.Asio coroutines, Boost.Beast, OpenSSL) lives in
// test_http_server.cc, compiled once into sqsim_test_support, so the tests
// that include this header do not compile Beast each.

#ifndef SQSIM_TESTS_AWS_TEST_HTTP_SERVER_H_
#define SQSIM_TESTS_AWS_TEST_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sqsim::internal::test {

struct RecordedRequest {
  std::string method{};
  std::string target{};
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  int connection_id = 0;
  std::string sni{};  // the TLS server name the client sent, if any

  // The value of the first header named `name` (compared
  // case-insensitively), or nullopt.
  std::optional<std::string> Header(const std::string& name) const;
};

// A canned answer, for tests of code above the transport (AwsClient).
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  std::chrono::milliseconds delay{0};  // wait this long before answering
};

struct TestHttpServerOptions {
  // Every response says `Connection: close` and the server closes, as moto's
  // server does. Default: false.
  bool close_after_response = false;
  // Serve TLS with this PEM certificate chain and key when both are set.
  std::string cert_file{};
  std::string key_file{};
  // When set, answers every request that has no X-Test-Action (called on the
  // server's thread, after the request is recorded).
  std::function<ScriptedResponse(const RecordedRequest&)> responder{};
};

class TestHttpServer {
 public:
  explicit TestHttpServer(TestHttpServerOptions options = {});
  ~TestHttpServer();

  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  uint16_t port() const;
  int accept_count() const;
  std::vector<RecordedRequest> requests() const;

  // Closes every connection waiting for a request, as a server's idle
  // timeout would, and returns once they are closed. A session goes back to
  // waiting only after writing its response, which the client may already
  // have read, so this first waits until `expected` connections are idle
  // (giving up after a minute: a busy machine may be slow, never that slow).
  void CloseIdleConnections(size_t expected = 1);

  size_t IdleCount();

 private:
  class Impl;  // the io_context, its thread, the sessions and the record
  std::unique_ptr<Impl> impl_;
};

}  // namespace sqsim::internal::test

#endif  // SQSIM_TESTS_AWS_TEST_HTTP_SERVER_H_
