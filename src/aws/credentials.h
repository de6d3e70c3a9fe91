// Where AwsClient finds its credentials, region and endpoint when the caller
// does not pass them: the AWS SDKs' (botocore's) lookup chains.
//
// Credentials: `AwsConfigRequest::credentials` (static) or
// `::credentials_provider` (the caller's), else botocore's default chain for
// the profile (`AwsConfigRequest::profile`, else AWS_PROFILE, else
// "default"), first match wins:
//   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+
//      AWS_SESSION_TOKEN, or the legacy AWS_SECURITY_TOKEN) - skipped when
//      `AwsConfigRequest::profile` names a profile, as botocore skips its env
//      provider then;
//   2. assume-role: the profile sets role_arn (and not
//      web_identity_token_file) -> STS AssumeRole signed with the source
//      credentials: those of `source_profile` (resolved with steps 3-6 of
//      that profile, environment skipped, or, when it sets role_arn too and
//      no static keys, by assuming that role first: chains of any length; a
//      profile that comes back is a cycle, except a profile naming itself
//      that has static keys) or of `credential_source` (Environment,
//      Ec2InstanceMetadata or EcsContainer: steps 1, 8 or 7). external_id,
//      role_session_name and duration_seconds are passed on; mfa_serial is
//      rejected (sqsim cannot prompt for a code);
//   3. assume-role-with-web-identity: AWS_WEB_IDENTITY_TOKEN_FILE,
//      AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME (environment skipped as in 1),
//      else the profile's web_identity_token_file, role_arn,
//      role_session_name -> STS AssumeRoleWithWebIdentity, unsigned, with the
//      token file read again at every refresh;
//   (a profile with sso_session or sso_start_url is rejected here: SSO is
//   not supported)
//   4. static keys in the shared credentials file, AWS_SHARED_CREDENTIALS_FILE
//      or ~/.aws/credentials, section `[<profile>]`;
//   5. the profile's credential_process (process_provider.h);
//   6. static keys in the config file, AWS_CONFIG_FILE or ~/.aws/config,
//      section `[profile <profile>]` (`[default]` for the default profile);
//   7. container-role: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on
//      169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI, with
//      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE or
//      AWS_CONTAINER_AUTHORIZATION_TOKEN (metadata_providers.h);
//   8. iam-role: the EC2 instance metadata service, IMDSv2 with botocore's
//      IMDSv1 fallback, at AWS_EC2_METADATA_SERVICE_ENDPOINT, the profile's
//      ec2_metadata_service_endpoint, or http://169.254.169.254
//      (http://[fd00:ec2::254] when AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or
//      ec2_metadata_service_endpoint_mode is IPv6); skipped when
//      AWS_EC2_METADATA_DISABLED is "true". It is the last resort: when it
//      cannot deliver either, the error is kMissingAuthenticationToken.
// Profile keys are read from the profile's sections in both files, the
// credentials file winning (botocore merges them so). Static keys are
// aws_access_key_id, aws_secret_access_key, aws_session_token (or
// aws_security_token).
//
// The STS endpoint (steps 2, 3), like the SQS one below: AWS_ENDPOINT_URL_STS,
// the `sts` entry of the profile's `[services]` section, AWS_ENDPOINT_URL,
// the profile's endpoint_url (none when endpoint URLs are ignored), else the
// regional https://sts.<region>.amazonaws.com (the SDKs' default today;
// https://sts.amazonaws.com when no region is known).
//
// Errors: kMissingAuthenticationToken when no source has credentials;
// kInvalidParameterValue for bad configuration; a source that cannot deliver
// returns its own error (an STS error code, kNetworkError, ...), the message
// always naming the provider (see the *_providers.h headers).
//
// Region: `AwsConfigRequest::region`, AWS_REGION, AWS_DEFAULT_REGION, then
// `region` in the config file profile.
//
// Endpoint URL (for `AwsConfigRequest::service`, "sqs" below; "sns" alike):
// `AwsConfigRequest::endpoint_url`, AWS_ENDPOINT_URL_SQS, the `sqs` entry's
// `endpoint_url` in the
// `[services <name>]` section the profile names with `services = <name>`,
// AWS_ENDPOINT_URL, then the profile's own `endpoint_url`; none when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
// ignore_configured_endpoint_urls is "true" (the explicit option still
// counts). No endpoint is not an error: the client derives one from the region.
//
// An empty environment variable counts as unset. `~/` at the start of a path
// variable means the home directory.
//
// Thread safety: the functions are reentrant; ConfigSources' getenv must be
// safe to call from the calling thread. Resolution reads the environment and
// the files once; the providers it returns re-read only token files.

#ifndef SQSIM_SRC_AWS_CREDENTIALS_H_
#define SQSIM_SRC_AWS_CREDENTIALS_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/provider_context.h"
#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"

namespace sqsim::internal {

// The outside world the lookup reads, injectable so that tests need neither
// a real environment nor a real home directory.
struct ConfigSources {
  // Returns the environment variable `name`, or nullopt. Default (empty):
  // std::getenv.
  std::function<std::optional<std::string>(std::string_view name)> getenv{};
  // What `~` means. Default (nullopt): $HOME as `getenv` reports it.
  std::optional<std::string> home_dir{};

  // The variable's value, or nullopt when unset or empty.
  std::optional<std::string> Get(std::string_view name) const;
};

// What the caller set explicitly; each field wins over every other source.
struct AwsConfigRequest {
  // Default: look them up.
  std::optional<aws::AwsCredentials> credentials{};
  // The caller's provider; at most one of this and `credentials`.
  std::shared_ptr<aws::CredentialsProvider> credentials_provider{};
  // Default: AWS_PROFILE, else "default".
  std::optional<std::string> profile{};
  // Default: look it up.
  std::optional<std::string> region{};
  // Default: look it up.
  std::optional<std::string> endpoint_url{};
  // Whose endpoint is looked up: "sqs" (AWS_ENDPOINT_URL_SQS, the profile's
  // `sqs` services entry) or "sns".
  std::string service = "sqs";
};

struct AwsConfig {
  // The provider's first answer, and the provider that refreshes them.
  aws::AwsCredentials credentials{};
  std::shared_ptr<aws::CredentialsProvider> credentials_provider{};
  std::string region{};
  std::optional<std::string> endpoint_url{};  // none: derive from the region
};

// The provider the chain above selects, without fetching (reading no
// network, running no process). Errors: kMissingAuthenticationToken when no
// source is configured and instance metadata is disabled; kInvalidParameterValue
// when a source has only half a key pair, explicit credentials are empty or
// come with a provider, the named profile (or a source_profile) exists in
// neither file, the profile needs an unsupported provider (SSO, mfa_serial)
// or is inconsistent (role_arn without a source, both source_profile and
// credential_source, a source_profile cycle, a bad duration_seconds or
// container URL), or a shared file is unreadable or malformed (the message
// names the file and line). `context` configures the network providers.
Result<std::shared_ptr<aws::CredentialsProvider>> ResolveCredentialsProvider(
    const AwsConfigRequest& request, const ConfigSources& sources,
    const ProviderContext& context = {});

// ResolveCredentialsProvider, then its first Fetch (whose errors are the
// provider's, and kMissingAuthenticationToken when instance metadata, the last
// resort, has nothing either).
Result<aws::AwsCredentials> ResolveCredentials(const AwsConfigRequest& request,
                                               const ConfigSources& sources,
                                               const ProviderContext& context = {});

// The region. Errors: kMissingParameter when no source sets one (the message
// lists what was looked at); kInvalidParameterValue for a malformed config
// file or a named profile that does not exist.
Result<std::string> ResolveRegion(const AwsConfigRequest& request, const ConfigSources& sources);

// The endpoint URL, or nullopt when none is configured. Errors:
// kInvalidParameterValue for a malformed config file or a missing named profile.
Result<std::optional<std::string>> ResolveEndpointUrl(const AwsConfigRequest& request,
                                                      const ConfigSources& sources);

// All three; the first configuration error wins, in the order credentials,
// region, endpoint; then the first Fetch.
Result<AwsConfig> ResolveAwsConfig(const AwsConfigRequest& request, const ConfigSources& sources,
                                   const ProviderContext& context = {});

}  // namespace sqsim::internal

#endif  // SQSIM_SRC_AWS_CREDENTIALS_H_
