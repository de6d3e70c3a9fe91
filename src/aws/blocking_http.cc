#include "aws/blocking_http.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace sqsim::internal {

class BlockingHttpClient::Impl {
 public:
  explicit Impl(TransportOptions options) : transport_(io_.get_executor(), std::move(options)) {}

  Result<HttpResponse> Send(const Endpoint& endpoint, HttpRequest request, Duration timeout) {
    std::optional<Result<HttpResponse>> result;
    boost::asio::co_spawn(
        io_, Wrapped(transport_, endpoint, std::move(request), timeout),
        [&result](std::exception_ptr error, std::optional<Result<HttpResponse>> response) {
          if (error) std::rethrow_exception(error);
          result = std::move(response);
        });
    io_.restart();
    io_.run();  // returns when the Send has completed (Send bounds itself by `timeout`)
    return std::move(*result);
  }

 private:
  // co_spawn needs a default-constructible result type; Result<T> is not.
  static boost::asio::awaitable<std::optional<Result<HttpResponse>>> Wrapped(
      HttpTransport& transport, const Endpoint& endpoint, HttpRequest request, Duration timeout) {
    co_return co_await transport.Send(endpoint, std::move(request), timeout);
  }

  // Declaration order: the transport's pooled sockets belong to io_.
  boost::asio::io_context io_{1};
  HttpTransport transport_;
};

BlockingHttpClient::BlockingHttpClient(TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

BlockingHttpClient::~BlockingHttpClient() = default;

Result<HttpResponse> BlockingHttpClient::Send(const Endpoint& endpoint, HttpRequest request,
                                              Duration timeout) {
  return impl_->Send(endpoint, std::move(request), timeout);
}

Result<UrlTarget> ParseUrlTarget(std::string_view url) {
  const size_t scheme_end = url.find("://");
  const size_t path_start =
      scheme_end == std::string_view::npos ? std::string_view::npos : url.find('/', scheme_end + 3);
  const size_t query_start = url.find('?', scheme_end == std::string_view::npos ? 0 : scheme_end);
  // The authority ends at the path or, for "http://h?x", at the query.
  const size_t authority_end = std::min(path_start, query_start);
  if (url.find('#') != std::string_view::npos) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "invalid URL '" + std::string(url) + "': a fragment is not allowed");
  }
  Result<Endpoint> endpoint = ParseEndpointUrl(url.substr(0, authority_end));
  if (!endpoint.ok()) return endpoint.status();
  UrlTarget out{.endpoint = std::move(endpoint).value()};
  if (authority_end != std::string_view::npos) {
    out.target = std::string(url.substr(authority_end));
    if (out.target.front() == '?') out.target.insert(0, "/");
  }
  return out;
}

}  // namespace sqsim::internal
