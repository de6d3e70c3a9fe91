// The control endpoints' access policy (see control_access.h).

#include "server/control_access.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace sqsim::internal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The host part of a Host header: "[::1]:9324" -> "::1", "a:80" -> "a".
std::string HostName(std::string_view host) {
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    return std::string(host.substr(1, close == std::string_view::npos ? host.npos : close - 1));
  }
  const size_t colon = host.find(':');
  // More than one colon: a bare IPv6 literal, not host:port.
  if (colon != std::string_view::npos && host.find(':', colon + 1) == std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return std::string(host);
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

bool TokenMatches(const std::string* given, const std::string& token) {
  return given != nullptr && !token.empty() && given->size() == token.size() &&
         CRYPTO_memcmp(given->data(), token.data(), token.size()) == 0;
}

bool ChangesState(const std::string& method) { return method != "GET" && method != "HEAD"; }

std::string_view AdminPath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  constexpr std::string_view kPrefix = "/_sqsim/";
  return target.starts_with(kPrefix) ? target.substr(kPrefix.size()) : target;
}

}  // namespace

std::optional<ControlRefusal> CheckControlAccess(
    const HttpRequest& request, const ControlAccessPolicy& policy,
    const std::function<Status(const HttpRequest&)>& verify_signature) {
  if (request.headers.Find("Origin") != nullptr) {
    return ControlRefusal{403,
                          "the control endpoints refuse requests from web pages (this one has an "
                          "Origin header); call them from a program or the command line"};
  }
  if (const std::string* host = request.headers.Find("Host")) {
    const std::string name = Lower(HostName(*host));
    const bool known = IsIpLiteral(name) || name == "localhost" ||
                       std::find(policy.host_names.begin(), policy.host_names.end(), name) !=
                           policy.host_names.end();
    if (!known) {
      return ControlRefusal{403,
                            "the control endpoints answer only requests whose Host is this "
                            "server (an IP address, localhost or the advertised host)"};
    }
  }
  if (ChangesState(request.method)) {
    const std::string* type = request.headers.Find("Content-Type");
    if (type == nullptr || !Lower(*type).starts_with("application/json")) {
      return ControlRefusal{415,
                            "control requests that change state need Content-Type: "
                            "application/json (curl: -H 'Content-Type: application/json')"};
    }
  }
  const bool guarded = policy.signatures_required || !policy.admin_token.empty();
  if (!guarded || AdminPath(request.target) == "health") return std::nullopt;
  if (TokenMatches(request.headers.Find("X-Sqsim-Admin-Token"), policy.admin_token)) {
    return std::nullopt;
  }
  if (policy.signatures_required && request.headers.Find("Authorization") != nullptr) {
    const Status verified = verify_signature(request);
    if (verified.ok()) return std::nullopt;
    return ControlRefusal{403, "control request signature: " + verified.ToString()};
  }
  return ControlRefusal{403,
                        "the control endpoints need X-Sqsim-Admin-Token (--admin-token)" +
                            std::string(policy.signatures_required
                                            ? " or a request signed with one of the --access-key "
                                              "keys"
                                            : "")};
}

}  // namespace sqsim::internal
