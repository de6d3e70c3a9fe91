#include "aws/endpoint.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace sqsim::internal {
namespace {

Status Invalid(std::string_view url, std::string_view why) {
  return Status(ErrorCode::kInvalidParameterValue,
                "invalid endpoint URL '" + std::string(url) + "': " + std::string(why));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Host names: RFC 1123 letters, digits, hyphens and dots, plus '_' because
// container host names (docker compose services) often carry one.
bool IsHostNameChar(char c) { return IsAlnum(c) || c == '-' || c == '.' || c == '_'; }

// A URL path may hold RFC 3986 pchars and '/'; anything else (spaces,
// controls, quotes) would have to be percent-encoded first.
bool IsPathChar(char c) {
  static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:@/%";
  return IsAlnum(c) || kAllowed.find(c) != std::string_view::npos;
}

bool IsIpv6Literal(const std::string& host) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

uint16_t DefaultPort(bool tls) { return tls ? 443 : 80; }

}  // namespace

std::string Endpoint::HostHeader() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != DefaultPort(tls)) {
    // Appended in two steps: GCC 12 at -O3 misreads `":" + std::to_string()`
    // as an overlapping memcpy (-Wrestrict, GCC bug 105329).
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

std::string Endpoint::Url() const {
  return std::string(tls ? "https://" : "http://") + HostHeader() + base_path;
}

namespace {

// Parses "host", "host:port", "[v6]" or "[v6]:port" into `endpoint`, whose
// `tls` is already set.
Status ParseAuthority(std::string_view url, std::string_view authority, Endpoint& endpoint) {
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(url, "unterminated IPv6 address");
    endpoint.host = ToLower(authority.substr(1, close - 1));
    if (!IsIpv6Literal(endpoint.host)) return Invalid(url, "malformed IPv6 address");
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid(url, "unexpected text after IPv6 address");
      has_port = true;
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.find(':');
    endpoint.host = ToLower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = authority.substr(colon + 1);
    }
    if (endpoint.host.empty()) return Invalid(url, "missing host");
    for (char c : endpoint.host) {
      if (!IsHostNameChar(c)) return Invalid(url, "invalid character in host name");
    }
    if (endpoint.host.front() == '.' || endpoint.host.find("..") != std::string::npos) {
      return Invalid(url, "empty label in host name");
    }
  }

  endpoint.port = DefaultPort(endpoint.tls);
  if (has_port) {
    unsigned value = 0;
    const char* end = port_text.data() + port_text.size();
    auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (port_text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535) {
      return Invalid(url, "port must be a number from 1 to 65535");
    }
    endpoint.port = static_cast<uint16_t>(value);
  }
  return Status::Ok();
}

}  // namespace

Result<Endpoint> ParseEndpointUrl(std::string_view url) {
  Endpoint endpoint;
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return Invalid(url, "expected http://host or https://host");
  }
  const std::string scheme = ToLower(url.substr(0, scheme_end));
  if (scheme == "https") {
    endpoint.tls = true;
  } else if (scheme == "http") {
    endpoint.tls = false;
  } else {
    return Invalid(url, "unsupported scheme '" + scheme + "' (use http or https)");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Invalid(url, "a query or fragment is not allowed");
  }
  const size_t path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path =
      path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(url, "user info is not allowed");
  }
  if (Status status = ParseAuthority(url, authority, endpoint); !status.ok()) return status;

  for (char c : path) {
    if (!IsPathChar(c)) return Invalid(url, "invalid character in path");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  endpoint.base_path = std::string(path);
  return endpoint;
}

Result<std::string> DefaultEndpointUrl(std::string_view service, std::string_view region) {
  // botocore's region rule: one valid DNS label.
  const bool valid =
      !region.empty() && region.size() <= 63 && IsAlnum(region.front()) && IsAlnum(region.back()) &&
      std::all_of(region.begin(), region.end(), [](char c) { return IsAlnum(c) || c == '-'; });
  if (!valid) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "invalid region '" + std::string(region) +
                      "': expected letters, digits and hyphens, e.g. us-east-1");
  }
  struct Partition {
    std::string_view region_prefix;
    std::string_view dns_suffix;
  };
  // From botocore data/partitions.json (regionRegex -> dnsSuffix). "us-iso-"
  // cannot match "us-isob-" because of the hyphen, so the order is free.
  static constexpr std::array<Partition, 6> kPartitions = {{
      {"cn-", "amazonaws.com.cn"},
      {"us-iso-", "c2s.ic.gov"},
      {"us-isob-", "sc2s.sgov.gov"},
      {"us-isof-", "csp.hci.ic.gov"},
      {"eu-isoe-", "cloud.adc-e.uk"},
      {"eusc-", "amazonaws.eu"},
  }};
  const std::string lower = ToLower(region);
  std::string_view suffix = "amazonaws.com";  // aws, aws-us-gov and unknown regions
  for (const Partition& partition : kPartitions) {
    if (lower.starts_with(partition.region_prefix)) suffix = partition.dns_suffix;
  }
  return "https://" + std::string(service) + "." + lower + "." + std::string(suffix);
}

Result<std::string> DefaultSqsEndpointUrl(std::string_view region) {
  return DefaultEndpointUrl("sqs", region);
}

}  // namespace sqsim::internal
