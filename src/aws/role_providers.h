// The two providers that get credentials from STS for an IAM role:
//   - assume-role: AssumeRole, signed with the credentials of a source
//     provider (a source profile, possibly itself a role, or the
//     environment, a container or instance metadata);
//   - assume-role-with-web-identity: AssumeRoleWithWebIdentity, unsigned,
//     with the OIDC token read from a file at every fetch (EKS rotates it).
// Both return temporary credentials with STS's expiration.
//
// Thread safety: the providers are thread-safe (each Fetch holds a lock).

#ifndef SQSIM_AWS_ROLE_PROVIDERS_H_
#define SQSIM_AWS_ROLE_PROVIDERS_H_

#include <memory>
#include <optional>
#include <string>

#include "aws/provider_context.h"
#include "aws/sts_client.h"
#include "sqsim/aws/credentials.h"

namespace sqsim::internal {

struct AssumeRoleParams {
  std::string role_arn{};
  // Default: "sqsim-session-<unix seconds>" (botocore: "botocore-session-...").
  std::optional<std::string> role_session_name{};
  std::optional<std::string> external_id{};
  // Default: STS's (one hour).
  std::optional<int> duration_seconds{};
};

// Errors from Fetch: the source's error (its message prefixed with this
// provider's name), or CallSts's.
std::shared_ptr<aws::CredentialsProvider> NewAssumeRoleProvider(
    AssumeRoleParams params, std::shared_ptr<aws::CredentialsProvider> source, StsEndpoint sts,
    ProviderContext context);

struct WebIdentityParams {
  std::string token_file{};
  std::string role_arn{};
  std::optional<std::string> role_session_name{};  // default as above
};

// Errors from Fetch: kInvalidParameterValue when the token file cannot be
// read or is empty, or CallSts's.
std::shared_ptr<aws::CredentialsProvider> NewWebIdentityProvider(WebIdentityParams params,
                                                                 StsEndpoint sts,
                                                                 ProviderContext context);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_ROLE_PROVIDERS_H_
