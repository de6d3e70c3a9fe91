// RawSqsConnection: the thinnest client that can drive an SQS JSON-protocol
// endpoint, for measuring servers rather than clients (wrk's role, but able
// to carry a receipt handle from a receive to its delete). One keep-alive
// HTTP/1.1 connection; requests carry a dummy Authorization header, which is
// enough for sqsim-server without --access-key and for moto_server, neither
// of which checks signatures; no retries, no MD5 checks. When the server
// closes the connection (moto does after every response), the next call
// reconnects.
//
// Thread safety: one connection belongs to one coroutine at a time.

#ifndef SQSIM_BENCH_RAW_SQS_CONNECTION_H_
#define SQSIM_BENCH_RAW_SQS_CONNECTION_H_

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace sqsim::bench {

class RawSqsConnection {
 public:
  RawSqsConnection(boost::asio::any_io_executor executor, uint16_t port)
      : stream_(executor), port_(port) {}

  // Sends `AmazonSQS.<action>` with `body`; returns the response body of a
  // 2xx answer, nullopt for anything else.
  boost::asio::awaitable<std::optional<std::string>> Call(std::string_view action,
                                                          std::string body) {
    namespace http = boost::beast::http;
    constexpr auto kAwait = boost::asio::as_tuple(boost::asio::use_awaitable);
    if (!connected_) {
      const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), port_);
      auto [ec] = co_await stream_.async_connect(endpoint, kAwait);
      if (ec) co_return std::nullopt;
      stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
      connected_ = true;
    }
    http::request<http::string_body> request(http::verb::post, "/", 11);
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::content_type, "application/x-amz-json-1.0");
    request.set("X-Amz-Target", std::string("AmazonSQS.") + std::string(action));
    request.set(http::field::authorization,
                "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/sqs/aws4_request, "
                "SignedHeaders=host, Signature=0");
    request.body() = std::move(body);
    request.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(stream_, request, kAwait);
    http::response<http::string_body> response;
    auto [read_ec, read] = co_await http::async_read(stream_, buffer_, response, kAwait);
    if (write_ec || read_ec || !response.keep_alive()) {
      boost::system::error_code ignored;
      stream_.socket().close(ignored);
      connected_ = false;
      buffer_.clear();
    }
    if (write_ec || read_ec || response.result_int() / 100 != 2) co_return std::nullopt;
    co_return std::move(response.body());
  }

 private:
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  uint16_t port_;
  bool connected_ = false;
};

// The first `"<member>": "<value>"` string value in a JSON response (spaces
// around the colon allowed: moto writes them), or "". Enough for QueueUrl and
// ReceiptHandle, which contain no escapes.
inline std::string JsonStringMember(std::string_view json, std::string_view member) {
  const std::string key = "\"" + std::string(member) + "\"";
  size_t at = json.find(key);
  if (at == std::string_view::npos) return "";
  at += key.size();
  auto skip_spaces = [&] {
    while (at < json.size() && json[at] == ' ') ++at;
  };
  skip_spaces();
  if (at >= json.size() || json[at] != ':') return "";
  ++at;
  skip_spaces();
  if (at >= json.size() || json[at] != '"') return "";
  const size_t value = at + 1;
  const size_t end = json.find('"', value);
  return end == std::string_view::npos ? "" : std::string(json.substr(value, end - value));
}

}  // namespace sqsim::bench

#endif  // SQSIM_BENCH_RAW_SQS_CONNECTION_H_
