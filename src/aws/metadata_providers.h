// The providers that ask a local metadata endpoint for a role's credentials:
//   - container-role (ECS, EKS Pod Identity): GET <url> with the
//     authorization token, if any, as the Authorization header; the answer
//     is {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"};
//   - iam-role (EC2 instance metadata, IMDSv2): PUT /latest/api/token with
//     X-aws-ec2-metadata-token-ttl-seconds: 21600, then, with the token in
//     X-aws-ec2-metadata-token, GET /latest/meta-data/iam/security-credentials/
//     (the role name) and .../<role> (the credentials, with "Code":
//     "Success"). Like botocore, when the token PUT answers 403, 404 or 405,
//     or does not answer at all, it falls back to IMDSv1 (the same GETs
//     without a token) unless IMDSv1 is disabled; a 400 is an error.
// One attempt per fetch, bounded by botocore's timeouts (2 s per container
// request, 1 s per IMDS request); a failed refresh is retried by the next
// call that needs credentials (see CredentialsCache).
//
// Thread safety: the providers are thread-safe (each Fetch holds a lock).

#ifndef SQSIM_AWS_METADATA_PROVIDERS_H_
#define SQSIM_AWS_METADATA_PROVIDERS_H_

#include <memory>
#include <optional>
#include <string>

#include "aws/provider_context.h"
#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"

namespace sqsim::internal {

// ECS's fixed address for AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
inline constexpr std::string_view kEcsContainerHost = "http://169.254.170.2";
inline constexpr std::string_view kDefaultImdsEndpoint = "http://169.254.169.254";

struct ContainerParams {
  // The full URL: kEcsContainerHost + the relative URI, or the full URI.
  std::string url{};
  // Read at every fetch; wins over `authorization_token`, as in botocore.
  std::optional<std::string> authorization_token_file{};
  std::optional<std::string> authorization_token{};
};

// kInvalidParameterValue when the URL is malformed, or is plain http to a
// host other than a loopback address, localhost, 169.254.170.2,
// 169.254.170.23 or fd00:ec2::23 (botocore's list; https may go anywhere).
// Errors from Fetch: kInvalidParameterValue for an unreadable token file or
// a token with CR/LF; the transport's kNetworkError / kTimeout;
// kMissingAuthenticationToken for a non-200 answer; kMalformedResponse for a
// bad document.
Result<std::shared_ptr<aws::CredentialsProvider>> NewContainerProvider(ContainerParams params,
                                                                       ProviderContext context);

struct InstanceMetadataParams {
  // AWS_EC2_METADATA_SERVICE_ENDPOINT, ec2_metadata_service_endpoint, or the
  // default (IPv4; [fd00:ec2::254] in IPv6 mode).
  std::string endpoint = std::string(kDefaultImdsEndpoint);
  // AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled: no fallback.
  bool v1_disabled = false;
};

// kInvalidParameterValue for a malformed endpoint. Errors from Fetch: the
// transport's kNetworkError / kTimeout, kMissingAuthenticationToken for a
// non-200 answer (or a token failure with IMDSv1 disabled),
// kMalformedResponse for a bad document.
Result<std::shared_ptr<aws::CredentialsProvider>> NewInstanceMetadataProvider(
    InstanceMetadataParams params, ProviderContext context);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_METADATA_PROVIDERS_H_
