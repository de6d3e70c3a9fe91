// HttpTransport: sends one HTTP/1.1 request to an Endpoint over plain TCP or
// TLS and returns the whole response, keeping idle connections alive for
// reuse. It is the socket edge of the AWS adapter: Boost.Beast and OpenSSL's
// TLS stay inside http_transport.cc, and every failure comes back as a Status
// (kNetworkError, kTimeout, kMalformedResponse, kInvalidParameterValue); no
// exception leaves Send.
//
// Connections are pooled per (tls, host, port). A connection returns to the
// pool only after a complete response that allows keep-alive (HTTP/1.1
// without `Connection: close`, or HTTP/1.0 with `Connection: keep-alive`);
// concurrent Sends never share a connection. When a connection taken from the
// pool turns out to have been closed by the server while idle (EOF or reset
// before any response byte), the request is sent once more on a fresh
// connection; every other failure is returned to the caller, whose retry
// policy decides.
//
// Thread safety: not thread-safe. Construct it with the executor of a strand
// or of a single-threaded io_context and call every member from that
// executor. Send keeps the transport's state alive while it runs, so the
// HttpTransport object may be destroyed while Sends are suspended; the
// executor's execution context (io_context) must outlive the transport and
// every Send, because pooled sockets belong to it.
//
//   HttpTransport transport(io.get_executor(), {});
//   Result<HttpResponse> response = co_await transport.Send(endpoint, std::move(request),
//                                                           std::chrono::seconds(10));

#ifndef SQSIM_AWS_HTTP_TRANSPORT_H_
#define SQSIM_AWS_HTTP_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "aws/endpoint.h"
#include "wire/http_message.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

struct TransportOptions {
  // Upper bound on DNS resolution plus TCP connect for one new connection
  // (the request's own timeout still applies when shorter). Default: 5 s.
  Duration connect_timeout = std::chrono::seconds(5);
  // Idle keep-alive connections kept per endpoint; extra ones are closed.
  // 0 disables pooling. Default: 64.
  size_t max_idle_connections_per_endpoint = 64;
  // A PEM file of extra trusted CA certificates, added to the system store
  // (tests use a self-signed CA). Default: none.
  std::optional<std::string> ca_file{};
  // Verify the server's certificate chain and that it names the host (DNS
  // name or IP address). Turning this off is for tests only. Default: true.
  bool verify_peer = true;
  // Larger response bodies fail with kMalformedResponse. SQS responses are at
  // most a few MiB (10 messages of 1 MiB each plus attributes). Default: 16 MiB.
  size_t max_response_body_bytes = 16 * 1024 * 1024;
};

class HttpTransport {
 public:
  // All calls must come from `executor` (a strand or a single-threaded
  // io_context's executor). A `ca_file` that cannot be loaded makes every
  // https Send fail with kInvalidParameterValue naming the file (the
  // constructor cannot return a Status, and plain http does not need it).
  HttpTransport(boost::asio::any_io_executor executor, TransportOptions options);
  ~HttpTransport();

  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Sends `request` to `endpoint` and returns the complete response, whatever
  // its HTTP status. The transport sends `request.target` unchanged, and sets
  // Host (endpoint.HostHeader()), User-Agent and `Connection: keep-alive`
  // when absent, and Content-Length always. The whole exchange (DNS,
  // connect, TLS handshake, write, read, and the one stale-connection retry)
  // ends within `timeout`.
  // Errors: kInvalidParameterValue for a method, target or header that is not
  // valid HTTP (e.g. a CR/LF in a value); kNetworkError for DNS failure,
  // refused or reset connections, a connection closed mid-response and TLS
  // handshake failures (the message says "certificate verify failed: <why>"
  // for certificate problems); kTimeout when `timeout` or the connect timeout
  // expires; kMalformedResponse for an unparsable response or one larger than
  // the size limits. A connection that saw an error is closed, never reused.
  // `endpoint` must stay alive until the returned awaitable completes (it
  // does when the call is co_awaited directly).
  boost::asio::awaitable<Result<HttpResponse>> Send(const Endpoint& endpoint, HttpRequest request,
                                                    Duration timeout);

  // Idle connections currently pooled, over all endpoints (for tests).
  size_t idle_connection_count() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_HTTP_TRANSPORT_H_
