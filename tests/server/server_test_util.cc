#include "server/server_test_util.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace sqsim::testing {

std::unique_ptr<http::Server> StartServer(http::ServerOptions options) {
  options.port = 0;
  options.log_level = http::LogLevel::kQuiet;
  Result<std::unique_ptr<http::Server>> server = http::Server::Create(std::move(options));
  EXPECT_TRUE(server.ok()) << server.status();
  if (!server.ok()) return nullptr;
  (*server)->Start();
  return std::move(server).value();
}

struct TestConnection::Socket {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;
};

TestConnection::TestConnection(uint16_t port) : socket_(std::make_unique<Socket>()) {
  socket_->socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
}

TestConnection::~TestConnection() = default;

void TestConnection::SendRaw(std::string_view bytes) {
  boost::asio::write(socket_->socket, boost::asio::buffer(bytes.data(), bytes.size()));
}

void TestConnection::ShutdownSend() {
  boost::system::error_code ec;
  socket_->socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
}

std::optional<HttpReply> TestConnection::Read() {
  namespace bhttp = boost::beast::http;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 << 20);
  boost::system::error_code ec;
  bhttp::read(socket_->socket, socket_->buffer, parser, ec);
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

bool TestConnection::ClosedByServerWithin(std::chrono::seconds limit) {
  // A receive timeout on the blocking socket: the read fails with EAGAIN
  // when nothing arrives in time.
  const timeval timeout{.tv_sec = static_cast<time_t>(limit.count()), .tv_usec = 0};
  setsockopt(socket_->socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const bool closed = ClosedByServer();
  const timeval forever{};
  setsockopt(socket_->socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof forever);
  return closed;
}

bool TestConnection::ClosedByServer() {
  char byte;
  boost::system::error_code ec;
  socket_->socket.read_some(boost::asio::buffer(&byte, 1), ec);
  return ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
}

std::optional<HttpReply> TestConnection::Request(
    std::string_view method, std::string_view target, std::string_view body,
    std::vector<std::pair<std::string, std::string>> headers) {
  // Host: 127.0.0.1 unless `headers` names one.
  const bool has_host = std::any_of(headers.begin(), headers.end(), [](const auto& header) {
    return header.first == "Host" || header.first == "host";
  });
  std::string text = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n" +
                     (has_host ? "" : "Host: 127.0.0.1\r\n") +
                     "Content-Length: " + std::to_string(body.size()) + "\r\n";
  for (const auto& [name, value] : headers) text += name + ": " + value + "\r\n";
  text += "\r\n";
  text += body;
  SendRaw(text);
  return Read();
}

std::optional<HttpReply> TestConnection::Json(std::string_view action, const nlohmann::json& body) {
  return Request("POST", "/", body.dump(),
                 {{"X-Amz-Target", "AmazonSQS." + std::string(action)},
                  {"Content-Type", "application/x-amz-json-1.0"}});
}

std::optional<HttpReply> TestConnection::Form(std::string_view target, std::string_view form) {
  return Request("POST", target, form, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

bool AwaitWaitingReceives(uint16_t port, int count) {
  TestConnection health(port);
  for (int attempt = 0; attempt < 60000; ++attempt) {
    std::optional<HttpReply> r = health.Request("GET", "/_sqsim/health", "", {});
    if (!r || r->status != 200) return false;
    if (r->json().value("waiting_receives", -1) >= count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

std::pair<int, std::string> RunCommand(const std::string& command) {
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
