// BlockingHttpClient: one HTTP(S) request at a time, on the calling thread.
//
// The credential providers fetch from STS and the metadata endpoints while a
// client is being created or while its refresh thread waits, never from an
// Asio executor, so a synchronous call is the simplest correct shape. It
// runs the ordinary HttpTransport on an io_context of its own, which the
// calling thread drives until the response (or the timeout) arrives: no
// other executor is involved, so it cannot wait on itself.
//
//   BlockingHttpClient http({.connect_timeout = std::chrono::seconds(1)});
//   Result<HttpResponse> response = http.Send(endpoint, std::move(request), timeout);
//
// Thread safety: not thread-safe; one caller at a time (the providers call it
// under their refresh lock).

#ifndef SQSIM_AWS_BLOCKING_HTTP_H_
#define SQSIM_AWS_BLOCKING_HTTP_H_

#include <memory>
#include <string>
#include <string_view>

#include "aws/endpoint.h"
#include "aws/http_transport.h"
#include "sqsim/status.h"
#include "wire/http_message.h"

namespace sqsim::internal {

class BlockingHttpClient {
 public:
  explicit BlockingHttpClient(TransportOptions options);
  ~BlockingHttpClient();

  BlockingHttpClient(const BlockingHttpClient&) = delete;
  BlockingHttpClient& operator=(const BlockingHttpClient&) = delete;

  // HttpTransport::Send, waited for. Same errors.
  Result<HttpResponse> Send(const Endpoint& endpoint, HttpRequest request, Duration timeout);

 private:
  class Impl;  // the io_context and the transport, kept out of this header
  std::unique_ptr<Impl> impl_;
};

// An absolute URL split into where to connect and what to ask for there.
struct UrlTarget {
  Endpoint endpoint{};
  std::string target = "/";  // path and query, e.g. "/v2/credentials?id=1"
};

// Splits "http://host:port/path?query" (ParseEndpointUrl's rules for the
// scheme and authority). kInvalidParameterValue, naming the URL, otherwise.
Result<UrlTarget> ParseUrlTarget(std::string_view url);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_BLOCKING_HTTP_H_
