// AwsCredentials: the secret that signs requests to AWS with SigV4, and
// CredentialsProvider: where a client gets fresh ones when they expire.
//
// An access key id names the key; the secret access key never leaves the
// process (SigV4 derives a per-day, per-region, per-service signing key from
// it). Temporary credentials from STS, a container or an instance role add a
// session token, which travels with every request in `X-Amz-Security-Token`,
// and an expiration.
//
// AwsClientOptions takes either fixed credentials, or a CredentialsProvider
// of the caller's own (a secrets manager, a vault, a test double), or
// neither: then the client looks them up the way the AWS SDKs do (see
// sqsim/aws/aws_client.h for the chain).
//
// Thread safety: AwsCredentials is a plain value; distinct objects are safe to
// use from different threads, a shared one only for reading. See
// CredentialsProvider for its contract.

#ifndef SQSIM_AWS_CREDENTIALS_H_
#define SQSIM_AWS_CREDENTIALS_H_

#include <optional>
#include <string>

#include "sqsim/status.h"
#include "sqsim/types.h"

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
  // When temporary credentials stop working. None (the default) means they do
  // not expire: a client keeps using them for its whole life.
  std::optional<Timestamp> expiration{};

  friend bool operator==(const AwsCredentials&, const AwsCredentials&) = default;
};

// A source of credentials that may change over time.
//
// AwsClient calls Fetch() once in AwsClient::Create (a failure fails
// Create), then again whenever the credentials it holds come near their
// expiration: it tries to refresh from 15 minutes before the expiration on
// (advisory: a failed refresh keeps the old credentials) and must refresh
// from 10 minutes before (mandatory: a failed refresh fails the call that
// needed it), as botocore does. Credentials without an expiration are never
// refreshed.
//
// Fetch may block (network, a subprocess): the client calls it on a thread
// of its own, never on its I/O thread, and never concurrently with itself
// for one client. A provider shared by several clients must be thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // Fresh credentials, or why there are none. The Status reaches the caller
  // of the AwsClient call (or of Create) unchanged.
  virtual Result<AwsCredentials> Fetch() = 0;
};

}  // namespace sqsim::aws

#endif  // SQSIM_AWS_CREDENTIALS_H_
