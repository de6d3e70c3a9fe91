// HttpRequest / HttpResponse: a plain HTTP/1.1 message, independent of
// Boost.Beast, so that the SigV4 signer, the wire codec and the tests can
// build and inspect messages without pulling Beast into their translation
// units. Only the transport and the server convert to and from Beast types.

#ifndef SQSIM_WIRE_HTTP_MESSAGE_H_
#define SQSIM_WIRE_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <vector>

namespace sqsim::internal {

struct HttpHeader {
  std::string name{};
  std::string value{};
};

// Header names compare case-insensitively (RFC 9110); the order of `headers`
// is the order on the wire.
class HttpHeaders {
 public:
  // The value of the first header named `name`, or nullptr.
  const std::string* Find(std::string_view name) const;
  // Replaces every header named `name` by one with `value`.
  void Set(std::string_view name, std::string_view value);
  // Appends a header even if one with that name exists.
  void Add(std::string_view name, std::string_view value);
  void Remove(std::string_view name);
  // Removes every header, keeping the room for them.
  void Clear() { headers_.clear(); }

  const std::vector<HttpHeader>& list() const { return headers_; }

 private:
  std::vector<HttpHeader> headers_;
};

struct HttpRequest {
  std::string method = "POST";
  // Origin-form request target: path plus an optional "?query".
  std::string target = "/";
  HttpHeaders headers{};
  std::string body{};
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers{};
  std::string body{};
};

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace sqsim::internal

#endif  // SQSIM_WIRE_HTTP_MESSAGE_H_
