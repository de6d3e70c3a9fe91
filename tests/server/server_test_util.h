// Helpers for the sqsim-server tests: an in-process server on an ephemeral
// loopback port, a blocking HTTP client over real sockets, and a runner for
// the Python (boto3, aws CLI) drivers.

#ifndef SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_
#define SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_

#include <sys/wait.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "sqsim/http/server.h"

namespace sqsim::testing {

// Starts `options` (port forced to 0, logging off) on its internal thread.
inline std::unique_ptr<http::Server> StartServer(http::ServerOptions options = {}) {
  options.port = 0;
  options.log_level = http::LogLevel::kQuiet;
  Result<std::unique_ptr<http::Server>> server = http::Server::Create(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  (*server)->Start();
  return std::move(server).value();
}

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// One keep-alive connection to the server, blocking.
class TestConnection {
 public:
  explicit TestConnection(uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  // Sends raw bytes (anything, well-formed or not).
  void SendRaw(std::string_view bytes) {
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()));
  }
  void ShutdownSend() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  }

  // Reads one response; nullopt when the connection closed first.
  std::optional<HttpReply> Read() {
    namespace bhttp = boost::beast::http;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    boost::system::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    if (ec) return std::nullopt;
    HttpReply reply;
    reply.status = static_cast<int>(parser.get().result_int());
    reply.body = parser.get().body();
    for (const auto& f : parser.get()) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(f.value());
    }
    return reply;
  }

  // True when the server closed the connection (reads EOF).
  bool ClosedByServer() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(boost::asio::buffer(&byte, 1), ec);
    return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  }

  std::optional<HttpReply> Request(std::string_view method, std::string_view target,
                                   std::string_view body,
                                   std::vector<std::pair<std::string, std::string>> headers) {
    std::string text =
        std::string(method) + " " + std::string(target) +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
    text += "\r\n";
    text += body;
    SendRaw(text);
    return Read();
  }

  // A JSON-protocol call: POST / with X-Amz-Target: AmazonSQS.<action>.
  std::optional<HttpReply> Json(std::string_view action, const nlohmann::json& body) {
    return Request("POST", "/", body.dump(),
                   {{"X-Amz-Target", "AmazonSQS." + std::string(action)},
                    {"Content-Type", "application/x-amz-json-1.0"}});
  }

  // A query-protocol call: form-encoded POST to `target`.
  std::optional<HttpReply> Form(std::string_view target, std::string_view form) {
    return Request("POST", target, form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// Waits until `count` long polls are parked in the server (its health
// endpoint's `waiting_receives`), so that a test acts on a waiting poll for
// certain rather than after a guessed sleep. False if that never happens
// within a minute of real time (a broken server, not a slow machine).
inline bool AwaitWaitingReceives(uint16_t port, int count) {
  TestConnection health(port);
  for (int attempt = 0; attempt < 60000; ++attempt) {
    std::optional<HttpReply> r = health.Request("GET", "/_sqsim/health", "", {});
    if (!r || r->status != 200) return false;
    if (r->json().value("waiting_receives", -1) >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

// tests/server/, where the Python drivers live.
inline std::filesystem::path ServerTestDir() {
  return std::filesystem::path(__FILE__).parent_path();
}

// Runs a shell command; returns its exit status and stdout.
inline std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, out};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0) out.append(chunk, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace sqsim::testing

#endif  // SQSIM_TESTS_SERVER_SERVER_TEST_UTIL_H_
