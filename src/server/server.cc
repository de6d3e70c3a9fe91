// Server: sockets, HTTP/1.1 sessions (Boost.Beast, C++20 coroutines) and the
// io_context thread that drives the single-threaded backend.
//
// One io_context runs everything: the acceptor, one coroutine per
// connection, long-poll timers. A request is read, handed to the Router
// (which calls the engine synchronously, or suspends a long poll), and the
// reply written before the next request of the connection is read, so
// pipelined requests are answered in order. Every socket operation has a
// deadline except waiting for the reply itself (a long poll lasts up to 20 s,
// or longer in manual time); one timer enforces them all (Connection).

#include "sqsim/http/server.h"

#include <array>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server/backend.h"
#include "server/queues_config.h"
#include "server/router.h"
#include "sim/validation.h"

namespace sqsim {
namespace internal {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kBodyTimeout = std::chrono::seconds(60);  // reading one request
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr auto kDrainTimeout = std::chrono::seconds(2);        // after refusing a body
constexpr auto kRepeatLogInterval = std::chrono::seconds(10);  // for repeated failures
constexpr auto kRefuseTimeout = std::chrono::seconds(1);       // answering over the limit
constexpr size_t kHeaderLimit = 64 * 1024;
constexpr size_t kDrainLimit = size_t{64} << 20;

// Errors that mean the bytes were not HTTP (as opposed to the peer going
// away or a timeout): they deserve a 400 before the connection closes.
bool IsMalformed(const boost::system::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::body_limit;
}

// Parses one request straight into an HttpRequest that the connection
// reuses (its strings and header list keep their capacity from one request
// to the next). Beast's own request parser stored every header in a node of
// its own, an allocation each, which the server then copied anyway.
class RequestParser final : public bhttp::basic_parser<true> {
 public:
  explicit RequestParser(HttpRequest& request) : request_(request) {
    request_.method.clear();
    request_.target.clear();
    request_.headers.Clear();
    request_.body.clear();
  }

 private:
  void on_request_impl(bhttp::verb, beast::string_view method, beast::string_view target, int,
                       beast::error_code&) override {
    request_.method.assign(method.data(), method.size());
    request_.target.assign(target.data(), target.size());
  }
  void on_response_impl(int, beast::string_view, int, beast::error_code&) override {}
  void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value,
                     beast::error_code&) override {
    request_.headers.Add({name.data(), name.size()}, {value.data(), value.size()});
  }
  void on_header_impl(beast::error_code&) override {}
  // The parser has checked a Content-Length against the body limit first.
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) request_.body.reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
    request_.body.append(body.data(), body.size());
    return body.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  HttpRequest& request_;
};

constexpr auto kDeadlineCheck = std::chrono::milliseconds(500);  // see Connection

// A client connection: its socket, and when it must next have made
// progress. Beast's tcp_stream armed and cancelled a timer around every read
// and write (a tenth of the server's user time under load, and two
// allocations per request); a connection only moves its deadline, and one
// timer for the whole server closes every connection whose deadline has
// passed (ServerImpl::EnforceDeadlines, every kDeadlineCheck, so a deadline
// holds to within that). Closing the socket ends the pending operation.
struct Connection {
  using Clock = std::chrono::steady_clock;
  explicit Connection(tcp::socket s) : socket(std::move(s)) {}
  void ExpiresAfter(Clock::duration timeout) { deadline = Clock::now() + timeout; }
  void ExpiresNever() { deadline = Clock::time_point::max(); }

  tcp::socket socket;
  Clock::time_point deadline = Clock::time_point::max();
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string HostForUrl(const http::ServerOptions& options) {
  std::string host = options.advertised_host;
  if (host.empty()) {
    host = options.bind_address;
    if (host == "0.0.0.0" || host == "::") host = "localhost";
  }
  if (host.find(':') != std::string::npos && !host.starts_with('[')) host = "[" + host + "]";
  return host;
}

}  // namespace

class ServerImpl {
 public:
  explicit ServerImpl(http::ServerOptions options) : options_(std::move(options)) {}

  ~ServerImpl() {
    Stop();
    if (thread_.joinable()) thread_.join();
    // Destroy suspended sessions and long polls (their frames unregister
    // from the backend) before the backend itself.
    acceptor_.reset();
    signals_.reset();
    deadline_timer_.reset();  // an I/O object: before its io_context
    io_.reset();
  }

  Status Open();

  uint16_t port() const { return port_; }
  const std::string& endpoint() const { return endpoint_; }

  void Run() {
    Begin();
    io_->run();
  }
  void Start() {
    Begin();
    thread_ = std::thread([this] { io_->run(); });
  }
  void Stop() {
    if (stopping_.exchange(true)) {
      if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
      return;
    }
    // Close everything on the io thread, then let run() return.
    asio::post(*io_, [this] {
      CloseAll();
      io_->stop();
    });
    if (!started_) io_->stop();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  void Begin();
  void CloseAll();
  asio::awaitable<void> Accept();
  asio::awaitable<void> Session(tcp::socket socket);
  asio::awaitable<void> EnforceDeadlines();
  asio::awaitable<void> Write(Connection& connection, Reply& reply, bool keep_alive,
                              boost::system::error_code& ec,
                              std::chrono::steady_clock::duration timeout = kWriteTimeout);
  asio::awaitable<void> RefuseBody(Connection& connection, beast::flat_buffer& buffer,
                                   const HttpRequest& head);
  asio::awaitable<void> BadRequest(Connection& connection, const boost::system::error_code& why);
  asio::awaitable<void> RefuseConnection(tcp::socket socket);
  // Keeps `connection` in connections_ (and, for a session, counted in
  // sessions_) for as long as it lives.
  class Registration {
   public:
    Registration(ServerImpl& server, Connection& connection, bool session)
        : server_(server), connection_(connection), session_(session) {
      server_.connections_.insert(&connection_);
      if (session_) ++server_.sessions_;
    }
    ~Registration() {
      server_.connections_.erase(&connection_);
      if (session_) --server_.sessions_;
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    ServerImpl& server_;
    Connection& connection_;
    bool session_;
  };
  // One line per request; nothing is formatted unless it will be logged.
  void LogRequest(const std::string& method, const Reply& reply,
                  std::chrono::steady_clock::time_point started) const {
    if (options_.log_level < http::LogLevel::kRequests) return;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    char line[256];
    std::snprintf(line, sizeof line, "%s %s %d %.2fms%s", method.c_str(), reply.label.c_str(),
                  reply.status, ms, reply.drop_connection ? " (response dropped: fault)" : "");
    Log(http::LogLevel::kRequests, line);
  }
  // Logs `line` at most once per kRepeatLogInterval for `repeats`, saying
  // how many were left out since: a flood of failures (no file descriptors
  // left, too many connections) makes one line per interval, not one each.
  struct RepeatedLog {
    std::optional<std::chrono::steady_clock::time_point> last;
    int64_t left_out = 0;
  };
  void LogRepeated(RepeatedLog& repeats, const std::string& line) {
    const auto now = std::chrono::steady_clock::now();
    if (repeats.last && now - *repeats.last < kRepeatLogInterval) {
      ++repeats.left_out;
      return;
    }
    Log(http::LogLevel::kErrors,
        repeats.left_out == 0
            ? line
            : line + " (and " + std::to_string(repeats.left_out) + " more since the last report)");
    repeats.last = now;
    repeats.left_out = 0;
  }
  void Log(http::LogLevel level, const std::string& line) const {
    if (options_.log_level < level) return;
    if (options_.log_sink) {
      options_.log_sink(line);
    } else {
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  }

  http::ServerOptions options_;
  uint16_t port_ = 0;
  std::string endpoint_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Router> router_;
  std::unordered_set<Connection*> connections_;  // every open client connection
  size_t sessions_ = 0;                          // of which serve requests
  std::unique_ptr<asio::steady_timer> deadline_timer_;
  RepeatedLog accept_failures_;
  RepeatedLog refused_connections_;
  std::unique_ptr<asio::io_context> io_ = std::make_unique<asio::io_context>(1);
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  std::thread thread_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
};

Status ServerImpl::Open() {
  if (!IsValidAccountId(options_.account_id)) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "account_id must be 12 digits, got '" + options_.account_id + "'");
  }
  if (options_.region.empty()) return Status(ErrorCode::kInvalidParameterValue, "region is empty");
  if (options_.max_body_bytes == 0) {
    return Status(ErrorCode::kInvalidParameterValue, "max_body_bytes must be positive");
  }
  std::vector<CreateQueueRequest> queues;
  if (!options_.queues_config.empty()) {
    Result<std::vector<CreateQueueRequest>> parsed =
        ParseQueuesConfig(options_.queues_config, options_.region, options_.account_id);
    if (!parsed.ok()) return parsed.status();
    queues = std::move(parsed).value();
  }

  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options_.bind_address, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "bind address is not an IP address: '" + options_.bind_address + "'");
  }
  const tcp::endpoint where(address, options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(*io_);
  const auto fail = [&](const char* step) {
    return Status(ErrorCode::kNetworkError,
                  std::string("cannot ") + step + " " + options_.bind_address + ":" +
                      std::to_string(options_.port) + ": " + ec.message());
  };
  if (acceptor_->open(where.protocol(), ec); ec) return fail("open a socket for");
  if (acceptor_->set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return fail("configure");
  }
  if (acceptor_->bind(where, ec); ec) return fail("bind");
  if (acceptor_->listen(asio::socket_base::max_listen_connections, ec); ec)
    return fail("listen on");
  port_ = acceptor_->local_endpoint().port();
  endpoint_ = "http://" + HostForUrl(options_) + ":" + std::to_string(port_);

  SimulatorOptions sim = options_.realism ? SimulatorOptions{} : SimulatorOptions::Exact();
  sim.seed = options_.seed;
  sim.region = options_.region;
  sim.account_id = options_.account_id;
  sim.endpoint = endpoint_;
  sim.faults = options_.faults;
  sim.identity_policies = options_.identity_policies;
  sim.kms_keys = options_.kms_keys;
  sim.limits.max_stored_messages = options_.max_stored_messages;
  sim.limits.max_stored_bytes = options_.max_stored_bytes;
  sim.limits.max_queues = options_.max_queues;
  if (options_.idle_timeout <= std::chrono::milliseconds::zero()) {
    return Status(ErrorCode::kInvalidParameterValue, "idle_timeout must be positive");
  }
  if (options_.max_connections < 0) {
    return Status(ErrorCode::kInvalidParameterValue, "max_connections must be >= 0");
  }
  if (Status valid = sim.Validate(); !valid.ok()) return valid;
  Timestamp start = sim.start_time;
  if (options_.start_time) {
    start = *options_.start_time;
  } else if (options_.time_mode == http::TimeMode::kReal) {
    start = NewRealEnv(/*seed=*/0)->Now();
  }
  Result<std::unique_ptr<Backend>> backend = Backend::Create(
      *io_, std::move(sim), TimeSource(options_.time_mode, start), std::move(queues));
  if (!backend.ok()) return backend.status();
  backend_ = std::move(backend).value();
  std::vector<std::string> control_hosts;  // the names that may reach the control endpoints
  if (!options_.advertised_host.empty()) control_hosts.push_back(Lower(options_.advertised_host));
  router_ = std::make_unique<Router>(backend_.get(),
                                     RouterOptions{.endpoint = endpoint_,
                                                   .access_keys = options_.access_keys,
                                                   .principals = options_.access_key_principals,
                                                   .region = options_.region,
                                                   .control_hosts = std::move(control_hosts),
                                                   .admin_token = options_.admin_token});
  return Status::Ok();
}

void ServerImpl::Begin() {
  SQSIM_ASSERT(!started_, "Server::Run or Start called twice");
  started_ = true;
  if (options_.handle_signals) {
    signals_ = std::make_unique<asio::signal_set>(*io_, SIGINT, SIGTERM);
    signals_->async_wait([this](const boost::system::error_code& ec, int) {
      if (ec) return;
      Log(http::LogLevel::kErrors, "sqsim-server: signal received, stopping");
      stopping_ = true;
      CloseAll();
      io_->stop();
    });
  }
  Log(http::LogLevel::kErrors,
      "sqsim-server listening on " + endpoint_ + " (time " +
          (options_.time_mode == http::TimeMode::kManual ? "manual" : "real") + ", seed " +
          std::to_string(options_.seed) + ", account " + options_.account_id + ", " +
          (options_.access_keys.empty() ? "any credentials" : "SigV4 verified") + ")");
  asio::co_spawn(*io_, Accept(), asio::detached);
  deadline_timer_ = std::make_unique<asio::steady_timer>(*io_);
  asio::co_spawn(*io_, EnforceDeadlines(), asio::detached);
}

asio::awaitable<void> ServerImpl::EnforceDeadlines() {
  while (!stopping_) {
    deadline_timer_->expires_after(kDeadlineCheck);
    boost::system::error_code ec;
    co_await deadline_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec || stopping_) co_return;
    const auto now = Connection::Clock::now();
    boost::system::error_code ignored;
    for (Connection* connection : connections_) {
      if (connection->deadline <= now) connection->socket.close(ignored);
    }
  }
}

void ServerImpl::CloseAll() {
  boost::system::error_code ignored;
  if (acceptor_) acceptor_->close(ignored);
  if (signals_) signals_->cancel(ignored);
  if (deadline_timer_) deadline_timer_->cancel();
  for (Connection* connection : connections_) connection->socket.close(ignored);
}

asio::awaitable<void> ServerImpl::Accept() {
  while (acceptor_->is_open()) {
    tcp::socket socket(*io_);
    boost::system::error_code ec;
    co_await acceptor_->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor_->is_open() || ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors, say: back off instead of spinning.
      LogRepeated(accept_failures_, "sqsim-server: accept failed: " + ec.message());
      asio::steady_timer pause(*io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (options_.max_connections > 0 &&
        sessions_ >= static_cast<size_t>(options_.max_connections)) {
      LogRepeated(refused_connections_,
                  "sqsim-server: " + std::to_string(sessions_) +
                      " connections open (--max-connections): a new one is answered 503 "
                      "and closed");
      asio::co_spawn(*io_, RefuseConnection(std::move(socket)), asio::detached);
      continue;
    }
    asio::co_spawn(*io_, Session(std::move(socket)), [this](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& x) {
        Log(http::LogLevel::kErrors, std::string("sqsim-server: session failed: ") + x.what());
      }
    });
  }
}

namespace {

// The response head is formatted by hand and sent with the body in one
// gathered write: Beast's serializer cost more per request than everything
// else the server does in user space (its buffer-sequence machinery was a
// fifth of a profile under load). The values are the server's own (status,
// content type, request id, error code), never client text. `head` is a
// buffer the caller may reuse.
void FormatHead(const Reply& reply, bool keep_alive, std::string& head) {
  const std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(reply.status));
  char number[24];
  head.clear();
  head.append("HTTP/1.1 ");
  head.append(number, std::to_chars(number, number + sizeof number, reply.status).ptr);
  head.append(" ").append(reason);
  head.append("\r\nServer: sqsim\r\nContent-Type: ").append(reply.content_type);
  if (!reply.request_id.empty()) head.append("\r\nx-amzn-RequestId: ").append(reply.request_id);
  if (!reply.query_error.empty()) {
    head.append("\r\nx-amzn-query-error: ").append(reply.query_error);
  }
  if (!keep_alive) head.append("\r\nConnection: close");
  head.append("\r\nContent-Length: ");
  head.append(number, std::to_chars(number, number + sizeof number, reply.body.size()).ptr);
  head.append("\r\n\r\n");
}

}  // namespace

asio::awaitable<void> ServerImpl::Write(Connection& connection, Reply& reply, bool keep_alive,
                                        boost::system::error_code& ec,
                                        std::chrono::steady_clock::duration timeout) {
  std::string head;
  FormatHead(reply, keep_alive, head);
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(reply.body)};
  connection.ExpiresAfter(timeout);
  co_await asio::async_write(connection.socket, buffers,
                             asio::redirect_error(asio::use_awaitable, ec));
}

// Answers a request whose body is too large, then reads and discards what
// the client still sends for a moment: closing at once could reset the
// connection before the client reads the answer.
asio::awaitable<void> ServerImpl::RefuseBody(Connection& connection, beast::flat_buffer& buffer,
                                             const HttpRequest& head) {
  Reply reply = router_->Reject(head,
                                Status(ErrorCode::kInvalidParameterValue,
                                       "Request body is larger than the limit of " +
                                           std::to_string(options_.max_body_bytes) + " bytes"),
                                413);
  Log(http::LogLevel::kRequests, head.method + " " + head.target + " 413 (body too large)");
  boost::system::error_code ec;
  co_await Write(connection, reply, /*keep_alive=*/false, ec);
  if (ec) co_return;
  connection.socket.shutdown(tcp::socket::shutdown_send, ec);
  connection.ExpiresAfter(kDrainTimeout);
  size_t drained = 0;
  while (!ec && drained < kDrainLimit) {
    buffer.clear();
    drained += co_await connection.socket.async_read_some(
        buffer.prepare(64 * 1024), asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> ServerImpl::BadRequest(Connection& connection,
                                             const boost::system::error_code& why) {
  Reply reply;
  reply.status = 400;
  reply.content_type = "text/plain";
  reply.body = "Bad Request: " + why.message() + "\n";
  Log(http::LogLevel::kErrors, "sqsim-server: malformed HTTP request: " + why.message());
  boost::system::error_code ec;
  co_await Write(connection, reply, /*keep_alive=*/false, ec);
  connection.socket.shutdown(tcp::socket::shutdown_send, ec);
}

// Over max_connections: answers 503 ServiceUnavailable (SDKs retry it) in
// the JSON protocol without reading the request, then closes. The write has
// a short deadline, so a client that does not read cannot hold the slot.
asio::awaitable<void> ServerImpl::RefuseConnection(tcp::socket socket) {
  Connection connection(std::move(socket));
  const Registration registration(*this, connection, /*session=*/false);
  HttpRequest json_head;
  json_head.headers.Set("X-Amz-Target", "AmazonSQS.");
  Reply reply = router_->Reject(
      json_head,
      Status(ErrorCode::kServiceUnavailable, "sqsim-server has its maximum of " +
                                                 std::to_string(options_.max_connections) +
                                                 " connections open (--max-connections)"),
      503);
  boost::system::error_code ec;
  co_await Write(connection, reply, /*keep_alive=*/false, ec, kRefuseTimeout);
  connection.socket.shutdown(tcp::socket::shutdown_send, ec);
  connection.socket.close(ec);
}

asio::awaitable<void> ServerImpl::Session(tcp::socket socket) {
  Connection connection(std::move(socket));
  const Registration registration(*this, connection, /*session=*/true);

  beast::flat_buffer buffer;
  HttpRequest request;  // reused: see RequestParser
  std::string head;     // reused: see FormatHead
  while (!stopping_) {
    RequestParser parser(request);
    parser.header_limit(kHeaderLimit);
    parser.body_limit(options_.max_body_bytes);
    boost::system::error_code ec;
    connection.ExpiresAfter(options_.idle_timeout);
    co_await bhttp::async_read_header(connection.socket, buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::body_limit) {  // Content-Length over the limit
      co_await RefuseBody(connection, buffer, request);
      co_return;
    }
    if (ec) {
      if (IsMalformed(ec)) co_await BadRequest(connection, ec);
      co_return;
    }
    connection.ExpiresAfter(kBodyTimeout);
    co_await bhttp::async_read(connection.socket, buffer, parser,
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::body_limit) {  // a chunked body that grew too large
      request.body.clear();
      co_await RefuseBody(connection, buffer, request);
      co_return;
    }
    if (ec) {
      if (IsMalformed(ec)) co_await BadRequest(connection, ec);
      co_return;
    }
    const bool keep_alive = parser.keep_alive();
    connection.ExpiresNever();  // a long poll takes as long as it takes

    // Per-request logging costs a clock read and a copy: only when on.
    const bool log_request = options_.log_level >= http::LogLevel::kRequests;
    const auto started =
        log_request ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    const std::string method = log_request ? request.method : std::string();
    // Most requests are answered at once; only a long poll or a fault's
    // latency needs the router's coroutine.
    Router::Outcome outcome = router_->Route(request);
    Reply reply;
    if (outcome.reply) {
      reply = std::move(*outcome.reply);
    } else {
      reply = co_await router_->Complete(std::move(outcome));
    }
    if (log_request) LogRequest(method, reply, started);
    if (reply.drop_connection || stopping_) {
      connection.socket.close(ec);
      co_return;
    }
    // Written here rather than through Write: no coroutine frame, and the
    // head's buffer is the connection's.
    FormatHead(reply, keep_alive, head);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(reply.body)};
    connection.ExpiresAfter(kWriteTimeout);
    co_await asio::async_write(connection.socket, buffers,
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !keep_alive) {
      connection.socket.shutdown(tcp::socket::shutdown_send, ec);
      co_return;
    }
  }
}

}  // namespace internal

namespace http {

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options) {
  auto impl = std::make_unique<internal::ServerImpl>(std::move(options));
  if (Status s = impl->Open(); !s.ok()) return s;
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<internal::ServerImpl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

uint16_t Server::port() const { return impl_->port(); }
std::string Server::endpoint_url() const { return impl_->endpoint(); }
void Server::Run() { impl_->Run(); }
void Server::Start() { impl_->Start(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace http
}  // namespace sqsim
