#include "aws/test_http_server.h"

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace sqsim::internal::test {

std::optional<std::string> RecordedRequest::Header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (boost::beast::iequals(key, name)) return value;
  }
  return std::nullopt;
}

class TestHttpServer::Impl {
 public:
  explicit Impl(TestHttpServerOptions options)
      : options_(std::move(options)),
        acceptor_(ioc_, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0)) {
    if (!options_.cert_file.empty()) {
      ssl_context_.emplace(boost::asio::ssl::context::tls_server);
      ssl_context_->use_certificate_chain_file(options_.cert_file);
      ssl_context_->use_private_key_file(options_.key_file, boost::asio::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    boost::asio::co_spawn(ioc_, AcceptLoop(), boost::asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~Impl() {
    ioc_.stop();
    thread_.join();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  uint16_t port() const { return port_; }
  int accept_count() const { return accepts_.load(); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  void CloseIdleConnections(size_t expected) {
    for (int i = 0; i < 60000 && IdleCount() < expected; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    std::promise<void> done;
    boost::asio::post(ioc_, [this, &done] {
      for (auto& [id, stream] : idle_) stream->close();
      done.set_value();
    });
    done.get_future().wait();
  }

  size_t IdleCount() {
    std::promise<size_t> count;
    boost::asio::post(ioc_, [this, &count] { count.set_value(idle_.size()); });
    return count.get_future().get();
  }

 private:
  using tcp = boost::asio::ip::tcp;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
  static constexpr auto kAwait = boost::asio::as_tuple(boost::asio::use_awaitable);

  // Lists a connection in `idle_` while it waits for a request.
  class IdleMark {
   public:
    IdleMark(std::map<int, boost::beast::tcp_stream*>& idle, int id,
             boost::beast::tcp_stream* stream)
        : idle_(idle), id_(id) {
      idle_[id_] = stream;
    }
    ~IdleMark() { idle_.erase(id_); }
    IdleMark(const IdleMark&) = delete;
    IdleMark& operator=(const IdleMark&) = delete;

   private:
    std::map<int, boost::beast::tcp_stream*>& idle_;
    int id_;
  };

  boost::asio::awaitable<void> AcceptLoop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(kAwait);
      if (ec) co_return;
      const int id = ++accepts_;
      boost::asio::co_spawn(ioc_, Session(std::move(socket), id), boost::asio::detached);
    }
  }

  boost::asio::awaitable<void> Session(tcp::socket socket, int id) {
    boost::beast::tcp_stream tcp_stream(std::move(socket));
    if (!ssl_context_) {
      co_await Serve(tcp_stream, id, "");
      co_return;
    }
    TlsStream stream(std::move(tcp_stream), *ssl_context_);
    auto [ec] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server, kAwait);
    if (ec) co_return;
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    co_await Serve(stream, id, sni != nullptr ? sni : "");
  }

  template <typename Stream>
  boost::asio::awaitable<void> Serve(Stream& stream, int id, std::string sni) {
    namespace http = boost::beast::http;
    boost::beast::tcp_stream& lowest = boost::beast::get_lowest_layer(stream);
    boost::beast::flat_buffer buffer;
    for (int index = 0;; ++index) {
      http::request<http::string_body> request;
      boost::system::error_code ec;
      {
        IdleMark mark(idle_, id, &lowest);
        std::tie(ec, std::ignore) = co_await http::async_read(stream, buffer, request, kAwait);
      }
      if (ec) co_return;
      Record(request, id, sni);
      const std::string action(request["X-Test-Action"]);
      if (action.starts_with("stall:")) {
        boost::asio::steady_timer timer(ioc_);
        timer.expires_after(std::chrono::milliseconds(std::stoi(action.substr(6))));
        co_await timer.async_wait(kAwait);
      }
      if (action.starts_with("barrier:")) {
        const size_t wanted = std::stoul(action.substr(8));
        boost::asio::steady_timer timer(ioc_);
        while (requests().size() < wanted) {
          timer.expires_after(std::chrono::milliseconds(1));
          co_await timer.async_wait(kAwait);
        }
      }
      if (action == "drop" || (action == "drop-if-reused" && index > 0)) co_return;
      if (action == "reset") {
        co_await ResetMidResponse(stream);
        co_return;
      }
      if (options_.responder && action.empty()) {
        ScriptedResponse scripted = options_.responder(requests().back());
        if (scripted.delay.count() > 0) {
          boost::asio::steady_timer timer(ioc_);
          timer.expires_after(scripted.delay);
          co_await timer.async_wait(kAwait);
        }
        http::response<http::string_body> response(static_cast<http::status>(scripted.status), 11);
        for (const auto& [name, value] : scripted.headers) response.set(name, value);
        response.body() = std::move(scripted.body);
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        std::tie(ec, std::ignore) = co_await http::async_write(stream, response, kAwait);
        if (ec || !request.keep_alive()) co_return;
        continue;
      }
      http::response<http::string_body> response(http::status::ok, action == "http10" ? 10 : 11);
      response.set("X-Connection-Id", std::to_string(id));
      response.set("X-Request-Index", std::to_string(index));
      response.set(http::field::content_type, "text/plain");
      response.body() = action.starts_with("body:") ? std::string(std::stoul(action.substr(5)), 'x')
                                                    : std::move(request.body());
      const bool close =
          options_.close_after_response || action == "http10" || !request.keep_alive();
      response.keep_alive(!close);
      response.prepare_payload();
      std::tie(ec, std::ignore) = co_await http::async_write(stream, response, kAwait);
      if (ec || close) co_return;
    }
  }

  // Sends a response that promises 1000 body bytes, delivers 10, gives the
  // client time to read them, then aborts the connection with a RST.
  template <typename Stream>
  boost::asio::awaitable<void> ResetMidResponse(Stream& stream) {
    static constexpr std::string_view kPartial =
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
    co_await boost::asio::async_write(stream, boost::asio::buffer(kPartial), kAwait);
    boost::asio::steady_timer timer(ioc_);
    timer.expires_after(std::chrono::milliseconds(100));
    co_await timer.async_wait(kAwait);
    tcp::socket& socket = boost::beast::get_lowest_layer(stream).socket();
    boost::system::error_code ignored;
    socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }

  template <typename Request>
  void Record(const Request& request, int id, const std::string& sni) {
    RecordedRequest recorded;
    recorded.method = std::string(request.method_string());
    recorded.target = std::string(request.target());
    for (const auto& field : request) {
      recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    recorded.body = request.body();
    recorded.connection_id = id;
    recorded.sni = sni;
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(std::move(recorded));
  }

  // Declaration order matters: ioc_ is destroyed before the state that the
  // suspended sessions it destroys still touch (idle_, ssl_context_).
  TestHttpServerOptions options_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::atomic<int> accepts_{0};
  std::optional<boost::asio::ssl::context> ssl_context_;
  std::map<int, boost::beast::tcp_stream*> idle_;  // server thread only
  boost::asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::thread thread_;
};

TestHttpServer::TestHttpServer(TestHttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

TestHttpServer::~TestHttpServer() = default;

uint16_t TestHttpServer::port() const { return impl_->port(); }
int TestHttpServer::accept_count() const { return impl_->accept_count(); }
std::vector<RecordedRequest> TestHttpServer::requests() const { return impl_->requests(); }

void TestHttpServer::CloseIdleConnections(size_t expected) {
  impl_->CloseIdleConnections(expected);
}

size_t TestHttpServer::IdleCount() { return impl_->IdleCount(); }

}  // namespace sqsim::internal::test
