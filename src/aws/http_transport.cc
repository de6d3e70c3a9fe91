#include "aws/http_transport.h"

#include <sys/socket.h>

#include <cerrno>
#include <exception>
#include <map>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace sqsim::internal {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using SteadyTime = std::chrono::steady_clock::time_point;
using BeastRequest = http::request<http::string_body>;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kAwait = net::as_tuple(net::use_awaitable);
constexpr std::string_view kUserAgent = "sqsim/0.1.0";
// Responses from SQS carry a handful of short headers; 64 KiB is generous.
constexpr uint32_t kMaxHeaderBytes = 64 * 1024;

// One keep-alive connection; `buffer` holds bytes read past a response, which
// must be empty before the connection may be reused.
struct Connection {
  explicit Connection(PlainStream s) : stream(std::in_place_type<PlainStream>, std::move(s)) {}
  explicit Connection(TlsStream s) : stream(std::in_place_type<TlsStream>, std::move(s)) {}

  beast::tcp_stream& Lowest() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); },
                      stream);
  }

  std::variant<PlainStream, TlsStream> stream;
  beast::flat_buffer buffer;
};

// The time budget of one Send, and how to name it in messages.
struct Deadline {
  SteadyTime at;
  Duration timeout;
  std::string where;  // "host:port"
};

// The outcome of writing a request and reading its response on one
// connection.
struct Exchange {
  Status status{};  // OK when `response` holds the response
  HttpResponse response{};
  // The connection failed the way an idle connection closed by the server
  // fails (EOF / reset) before any response byte arrived, so the server
  // cannot have answered and resending on a fresh connection is safe.
  bool nothing_received = false;
  bool reusable = false;
};

std::string HostPort(const Endpoint& endpoint) {
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  return (v6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

long long Millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

Status TimedOut(const Deadline& deadline, std::string_view phase) {
  return Status(ErrorCode::kTimeout, "request to " + deadline.where + " timed out after " +
                                         std::to_string(Millis(deadline.timeout)) + " ms while " +
                                         std::string(phase));
}

// How a server that closed an idle connection shows up on the next use.
bool IsClosedByPeer(const boost::system::error_code& ec) {
  return ec == net::error::eof || ec == http::error::end_of_stream ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::error::connection_aborted || ec == ssl::error::stream_truncated;
}

// Maps a failed write or read to a Status. `phase` is e.g. "reading the
// response from".
Status ExchangeFailure(const boost::system::error_code& ec, std::string_view phase,
                       const Deadline& deadline, size_t max_body) {
  if (ec == beast::error::timeout) return TimedOut(deadline, phase);
  const std::string where = deadline.where;
  if (ec == http::error::body_limit) {
    return Status(ErrorCode::kMalformedResponse, "response body from " + where + " exceeds " +
                                                     std::to_string(max_body) + " bytes");
  }
  if (ec == http::error::header_limit) {
    return Status(ErrorCode::kMalformedResponse, "response headers from " + where + " exceed " +
                                                     std::to_string(kMaxHeaderBytes) + " bytes");
  }
  const bool closed = ec == http::error::end_of_stream || ec == http::error::partial_message;
  if (ec.category() == http::make_error_code(http::error::bad_version).category() && !closed) {
    return Status(ErrorCode::kMalformedResponse,
                  "malformed HTTP response from " + where + ": " + ec.message());
  }
  return Status(ErrorCode::kNetworkError,
                std::string(phase) + " " + where + " failed: " + ec.message());
}

bool IsToken(std::string_view s) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kSpecials.find(c) == std::string_view::npos) return false;
  }
  return true;
}

// Control characters other than TAB (which RFC 9110 allows in field values)
// would let a value end the header line early: header injection.
bool HasControl(std::string_view s, bool allow_tab) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(allow_tab && c == '\t')) || u == 0x7f) return true;
  }
  return false;
}

Status InvalidRequest(std::string why) {
  return Status(ErrorCode::kInvalidParameterValue, "invalid HTTP request: " + why);
}

Result<BeastRequest> BuildRequest(const Endpoint& endpoint, HttpRequest request) {
  if (!IsToken(request.method)) return InvalidRequest("bad method '" + request.method + "'");
  if (request.target.empty() || request.target.front() != '/' ||
      HasControl(request.target, false) || request.target.find(' ') != std::string::npos) {
    return InvalidRequest("target must be a path starting with '/' without spaces or controls");
  }
  for (const HttpHeader& header : request.headers.list()) {
    if (!IsToken(header.name)) return InvalidRequest("bad header name '" + header.name + "'");
    if (HasControl(header.value, true)) {
      return InvalidRequest("control character in the value of header " + header.name);
    }
  }
  try {
    BeastRequest out;
    const http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) {
      out.method_string(request.method);
    } else {
      out.method(verb);
    }
    out.target(request.target);
    out.version(11);
    for (const HttpHeader& header : request.headers.list()) out.insert(header.name, header.value);
    if (request.headers.Find("Host") == nullptr) out.set(http::field::host, endpoint.HostHeader());
    if (request.headers.Find("User-Agent") == nullptr) out.set(http::field::user_agent, kUserAgent);
    if (request.headers.Find("Connection") == nullptr) {
      out.set(http::field::connection, "keep-alive");
    }
    out.body() = std::move(request.body);
    out.prepare_payload();
    return out;
  } catch (const std::exception& e) {
    // Beast throws std::length_error for a header name or value over 64 KiB.
    return InvalidRequest(e.what());
  }
}

// Writes `request` and reads the whole response on `stream`, all before
// `deadline`.
template <typename Stream>
net::awaitable<Exchange> RoundTripOn(Stream& stream, beast::flat_buffer& buffer,
                                     const BeastRequest& request, const Deadline& deadline,
                                     size_t max_body) {
  Exchange out;
  beast::get_lowest_layer(stream).expires_at(deadline.at);
  auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
  if (write_ec) {
    out.status = ExchangeFailure(write_ec, "sending the request to", deadline, max_body);
    out.nothing_received = IsClosedByPeer(write_ec);
    co_return out;
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(max_body);
  if (request.method() == http::verb::head) parser.skip(true);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  if (read_ec) {
    out.status = ExchangeFailure(read_ec, "reading the response from", deadline, max_body);
    out.nothing_received = IsClosedByPeer(read_ec) && !parser.got_some() && buffer.size() == 0;
    co_return out;
  }
  beast::get_lowest_layer(stream).expires_never();
  out.reusable = parser.keep_alive() && request.keep_alive() && buffer.size() == 0;

  http::response<http::string_body> message = parser.release();
  out.response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.response.headers.Add(field.name_string(), field.value());
  }
  out.response.body = std::move(message.body());
  co_return out;
}

// True unless the server visibly closed the idle connection (a zero-byte
// peek) or sent something unasked on a plain connection. TLS connections
// may hold post-handshake records (session tickets), so data alone does not
// condemn them; the stale-connection retry covers what the peek misses.
bool StillOpen(Connection& connection) {
  char byte = 0;
  const ssize_t n =
      ::recv(connection.Lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
  if (n == 0) return false;
  return std::holds_alternative<TlsStream>(connection.stream);
}

}  // namespace

class HttpTransport::Impl {
 public:
  Impl(net::any_io_executor executor, TransportOptions options)
      : executor_(std::move(executor)), options_(std::move(options)) {
    InitTls();
  }

  static net::awaitable<Result<HttpResponse>> Send(std::shared_ptr<Impl> self,
                                                   const Endpoint& endpoint, HttpRequest request,
                                                   Duration timeout);

  size_t idle_connection_count() const {
    size_t count = 0;
    for (const auto& [key, connections] : idle_) count += connections.size();
    return count;
  }

 private:
  struct Key {
    bool tls;
    std::string host;
    uint16_t port;
    auto operator<=>(const Key&) const = default;
  };

  void InitTls();
  net::awaitable<Result<tcp::resolver::results_type>> Resolve(const Endpoint& endpoint,
                                                              const Deadline& deadline);
  net::awaitable<Result<std::unique_ptr<Connection>>> Connect(const Endpoint& endpoint,
                                                              const Deadline& deadline);
  net::awaitable<Result<std::unique_ptr<Connection>>> Handshake(PlainStream tcp,
                                                                const Endpoint& endpoint,
                                                                const Deadline& deadline);
  net::awaitable<Exchange> RoundTrip(Connection& connection, const BeastRequest& request,
                                     const Deadline& deadline);
  std::unique_ptr<Connection> TakeIdle(const Key& key);
  void ReturnIdle(const Key& key, std::unique_ptr<Connection> connection);

  net::any_io_executor executor_;
  TransportOptions options_;
  // Why https is unusable (a bad ca_file), or OK.
  Status tls_status_{};
  std::optional<ssl::context> ssl_context_;
  std::map<Key, std::vector<std::unique_ptr<Connection>>> idle_;
};

void HttpTransport::Impl::InitTls() {
  try {
    ssl_context_.emplace(ssl::context::tls_client);
  } catch (const std::exception& e) {
    tls_status_ =
        Status(ErrorCode::kNetworkError, std::string("cannot create a TLS context: ") + e.what());
    return;
  }
  SSL_CTX_set_min_proto_version(ssl_context_->native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (!options_.verify_peer) {
    ssl_context_->set_verify_mode(ssl::verify_none, ec);
    return;
  }
  ssl_context_->set_verify_mode(ssl::verify_peer, ec);
  // A machine without a system store can still trust `ca_file`, so a failure
  // here is not fatal: verification then fails with a clear reason.
  ssl_context_->set_default_verify_paths(ec);
  if (options_.ca_file) {
    ssl_context_->load_verify_file(*options_.ca_file, ec);
    if (ec) {
      tls_status_ = Status(ErrorCode::kInvalidParameterValue,
                           "cannot load ca_file '" + *options_.ca_file + "': " + ec.message());
    }
  }
}

// The resolver cannot abandon a getaddrinfo call in progress, so the wait
// runs on a timer that either the resolution or the deadline ends; a late
// resolution completes into the shared state and is dropped.
net::awaitable<Result<tcp::resolver::results_type>> HttpTransport::Impl::Resolve(
    const Endpoint& endpoint, const Deadline& deadline) {
  struct State {
    explicit State(const net::any_io_executor& executor) : wake(executor), resolver(executor) {}
    net::steady_timer wake;
    tcp::resolver resolver;
    bool done = false;
    boost::system::error_code ec{};
    tcp::resolver::results_type results{};
  };
  auto state = std::make_shared<State>(executor_);
  state->wake.expires_at(deadline.at);
  boost::system::error_code parse_ec;
  net::ip::make_address(endpoint.host, parse_ec);
  auto flags = tcp::resolver::numeric_service;
  if (!parse_ec) flags |= tcp::resolver::numeric_host;
  state->resolver.async_resolve(
      endpoint.host, std::to_string(endpoint.port), flags,
      [state](const boost::system::error_code& ec, tcp::resolver::results_type results) {
        state->done = true;
        state->ec = ec;
        state->results = std::move(results);
        state->wake.cancel();
      });
  co_await state->wake.async_wait(kAwait);  // ends by the resolution or the deadline
  if (!state->done) {
    state->resolver.cancel();
    co_return TimedOut(deadline, "resolving " + endpoint.host);
  }
  if (state->ec) {
    co_return Status(ErrorCode::kNetworkError,
                     "cannot resolve host '" + endpoint.host + "': " + state->ec.message());
  }
  co_return std::move(state->results);
}

net::awaitable<Result<std::unique_ptr<Connection>>> HttpTransport::Impl::Connect(
    const Endpoint& endpoint, const Deadline& deadline) {
  const SteadyTime connect_by = std::chrono::steady_clock::now() + options_.connect_timeout;
  const bool connect_bound = connect_by < deadline.at;
  const Deadline connect_deadline{connect_bound ? connect_by : deadline.at,
                                  connect_bound ? options_.connect_timeout : deadline.timeout,
                                  deadline.where};
  auto addresses = co_await Resolve(endpoint, connect_deadline);
  if (!addresses.ok()) co_return addresses.status();

  PlainStream tcp(executor_);
  tcp.expires_at(connect_deadline.at);
  auto [ec, connected] = co_await tcp.async_connect(*addresses, kAwait);
  if (ec == beast::error::timeout) co_return TimedOut(connect_deadline, "connecting");
  if (ec) {
    co_return Status(ErrorCode::kNetworkError,
                     "connect to " + deadline.where + " failed: " + ec.message());
  }
  boost::system::error_code ignored;
  tcp.socket().set_option(tcp::no_delay(true), ignored);  // requests are single writes
  if (!endpoint.tls) co_return std::make_unique<Connection>(std::move(tcp));
  co_return co_await Handshake(std::move(tcp), endpoint, deadline);
}

net::awaitable<Result<std::unique_ptr<Connection>>> HttpTransport::Impl::Handshake(
    PlainStream tcp, const Endpoint& endpoint, const Deadline& deadline) {
  std::optional<TlsStream> stream;
  try {
    stream.emplace(std::move(tcp), *ssl_context_);
  } catch (const std::exception& e) {
    co_return Status(ErrorCode::kNetworkError, std::string("cannot start TLS: ") + e.what());
  }
  SSL* ssl = stream->native_handle();
  boost::system::error_code parse_ec;
  net::ip::make_address(endpoint.host, parse_ec);
  const bool is_ip = !parse_ec;
  // SNI carries host names only (RFC 6066 forbids IP literals).
  if (!is_ip && SSL_set_tlsext_host_name(ssl, endpoint.host.c_str()) != 1) {
    co_return Status(ErrorCode::kNetworkError, "cannot set TLS SNI for " + endpoint.host);
  }
  if (options_.verify_peer) {
    // OpenSSL's own host check (rather than a verify callback) so that a
    // mismatch reports "hostname mismatch" / "IP address mismatch".
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int set =
        is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str())
              : X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), endpoint.host.size());
    if (set != 1) {
      co_return Status(ErrorCode::kNetworkError, "cannot verify TLS host " + endpoint.host);
    }
  }
  beast::get_lowest_layer(*stream).expires_at(deadline.at);
  auto [ec] = co_await stream->async_handshake(ssl::stream_base::client, kAwait);
  if (ec == beast::error::timeout) co_return TimedOut(deadline, "in the TLS handshake");
  if (ec) {
    const long verify = SSL_get_verify_result(ssl);
    const std::string detail =
        options_.verify_peer && verify != X509_V_OK
            ? std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify)
            : ec.message();
    co_return Status(ErrorCode::kNetworkError,
                     "TLS handshake with " + deadline.where + " failed: " + detail);
  }
  co_return std::make_unique<Connection>(std::move(*stream));
}

net::awaitable<Exchange> HttpTransport::Impl::RoundTrip(Connection& connection,
                                                        const BeastRequest& request,
                                                        const Deadline& deadline) {
  const size_t max_body = options_.max_response_body_bytes;
  if (auto* tls = std::get_if<TlsStream>(&connection.stream)) {
    co_return co_await RoundTripOn(*tls, connection.buffer, request, deadline, max_body);
  }
  co_return co_await RoundTripOn(std::get<PlainStream>(connection.stream), connection.buffer,
                                 request, deadline, max_body);
}

std::unique_ptr<Connection> HttpTransport::Impl::TakeIdle(const Key& key) {
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  std::unique_ptr<Connection> found;
  while (!found && !it->second.empty()) {
    // Most recently used first: the least likely to have been closed.
    std::unique_ptr<Connection> candidate = std::move(it->second.back());
    it->second.pop_back();
    if (StillOpen(*candidate)) found = std::move(candidate);
  }
  if (it->second.empty()) idle_.erase(it);
  return found;
}

void HttpTransport::Impl::ReturnIdle(const Key& key, std::unique_ptr<Connection> connection) {
  std::vector<std::unique_ptr<Connection>>& list = idle_[key];
  // Over the cap the connection is dropped here, which closes it.
  if (list.size() < options_.max_idle_connections_per_endpoint) {
    list.push_back(std::move(connection));
  }
  if (list.empty()) idle_.erase(key);
}

net::awaitable<Result<HttpResponse>> HttpTransport::Impl::Send(std::shared_ptr<Impl> self,
                                                               const Endpoint& endpoint,
                                                               HttpRequest request,
                                                               Duration timeout) {
  const Deadline deadline{std::chrono::steady_clock::now() + timeout, timeout, HostPort(endpoint)};
  Result<BeastRequest> built = BuildRequest(endpoint, std::move(request));
  if (!built.ok()) co_return built.status();
  if (endpoint.tls && !self->tls_status_.ok()) co_return self->tls_status_;

  const Key key{endpoint.tls, endpoint.host, endpoint.port};
  std::unique_ptr<Connection> connection = self->TakeIdle(key);
  const bool reused = connection != nullptr;
  if (!reused) {
    auto fresh = co_await self->Connect(endpoint, deadline);
    if (!fresh.ok()) co_return fresh.status();
    connection = std::move(fresh).value();
  }
  Exchange exchange = co_await self->RoundTrip(*connection, *built, deadline);
  if (!exchange.status.ok() && reused && exchange.nothing_received) {
    // The server closed the pooled connection while it sat idle; it never saw
    // this request, so one resend on a new connection is transparent.
    connection.reset();
    auto fresh = co_await self->Connect(endpoint, deadline);
    if (!fresh.ok()) co_return fresh.status();
    connection = std::move(fresh).value();
    exchange = co_await self->RoundTrip(*connection, *built, deadline);
  }
  if (!exchange.status.ok()) co_return exchange.status;
  if (exchange.reusable) self->ReturnIdle(key, std::move(connection));
  co_return std::move(exchange.response);
}

HttpTransport::HttpTransport(net::any_io_executor executor, TransportOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

HttpTransport::~HttpTransport() = default;

net::awaitable<Result<HttpResponse>> HttpTransport::Send(const Endpoint& endpoint,
                                                         HttpRequest request, Duration timeout) {
  // Not a coroutine itself: the shared_ptr is copied into the frame now, so
  // the state outlives this object if the caller destroys it mid-Send.
  return Impl::Send(impl_, endpoint, std::move(request), timeout);
}

size_t HttpTransport::idle_connection_count() const { return impl_->idle_connection_count(); }

}  // namespace sqsim::internal
