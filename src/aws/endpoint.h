// Endpoint: where an HTTP(S) request goes (scheme, host, port and a base
// path), parsed from a URL such as "https://sqs.eu-west-1.amazonaws.com" or
// "http://localhost:4566". The transport keys its connection pool by
// (tls, host, port); callers put `base_path` in front of the request target
// before signing, because SigV4 signs the path that goes on the wire.
//
// Thread safety: Endpoint is a value; the functions are pure.

#ifndef SQSIM_AWS_ENDPOINT_H_
#define SQSIM_AWS_ENDPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sqsim/status.h"

namespace sqsim::internal {

struct Endpoint {
  // True for https.
  bool tls = true;
  // A DNS name, a dotted IPv4 address or an IPv6 address *without* brackets
  // ("::1"), lower-cased.
  std::string host{};
  uint16_t port = 443;
  // The URL's path without a trailing slash: "" for "https://h" and
  // "https://h/", "/prefix" for "https://h/prefix/".
  std::string base_path{};

  // The value of the Host header: the host (bracketed when IPv6), plus
  // ":port" when the port is not the scheme's default (80 / 443).
  std::string HostHeader() const;
  // "scheme://" + HostHeader() + base_path; parsing it gives back `*this`.
  std::string Url() const;

  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// Parses an absolute http or https URL: scheme (case-insensitive), a host
// name, IPv4 address or bracketed IPv6 address, an optional port (1-65535) and
// an optional path. Returns kInvalidParameterValue, naming the URL and the
// problem, for anything else: another scheme, user info ("user@host"), a query
// or fragment, an empty host, a bad port, or characters that cannot appear in
// a host name.
Result<Endpoint> ParseEndpointUrl(std::string_view url);

// The public SQS endpoint of `region`: "https://sqs.<region>.<dns suffix>".
// The DNS suffix comes from the partition, as in botocore's
// data/partitions.json: amazonaws.com.cn for cn-*, c2s.ic.gov for us-iso-*,
// sc2s.sgov.gov for us-isob-*, csp.hci.ic.gov for us-isof-*, cloud.adc-e.uk
// for eu-isoe-*, amazonaws.eu for eusc-*, and amazonaws.com for the aws and
// aws-us-gov partitions and for any region no partition claims (botocore's
// fallback too). FIPS and dual-stack variants are not covered: pass their URL
// explicitly.
// Returns kInvalidParameterValue when `region` is not a valid DNS label
// (letters, digits and inner hyphens, at most 63 characters); that keeps a
// region such as "evil.com/x" from choosing the host.
Result<std::string> DefaultSqsEndpointUrl(std::string_view region);
// The same for another service's endpoint prefix ("sns"): its public
// endpoint "https://<service>.<region>.<dns suffix>".
Result<std::string> DefaultEndpointUrl(std::string_view service, std::string_view region);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_ENDPOINT_H_
