// AwsCredentials: the secret that signs requests to AWS with SigV4.
//
// An access key id names the key; the secret access key never leaves the
// process (SigV4 derives a per-day, per-region, per-service signing key from
// it). Temporary credentials from STS, SSO or an instance role add a session
// token, which travels with every request in `X-Amz-Security-Token`.
//
// AwsClientOptions takes one of these when the caller wants to pass keys
// explicitly; otherwise the client looks them up the way the AWS SDKs do
// (environment, then the shared `~/.aws/credentials` and `~/.aws/config`
// files).
//
// Thread safety: a plain value; distinct objects are safe to use from
// different threads, a shared one only for reading.

#ifndef SQSIM_AWS_CREDENTIALS_H_
#define SQSIM_AWS_CREDENTIALS_H_

#include <optional>
#include <string>

namespace sqsim::aws {

struct AwsCredentials {
  // The public half, e.g. "AKIAIOSFODNN7EXAMPLE". Default: empty.
  std::string access_key_id{};
  // The private half, e.g. "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".
  // Default: empty.
  std::string secret_access_key{};
  // Set for temporary credentials only; sent as `X-Amz-Security-Token`.
  // Default: none.
  std::optional<std::string> session_token{};

  friend bool operator==(const AwsCredentials&, const AwsCredentials&) = default;
};

}  // namespace sqsim::aws

#endif  // SQSIM_AWS_CREDENTIALS_H_
