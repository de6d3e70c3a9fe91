// Where AwsClient finds its credentials, region and endpoint when the caller
// does not pass them: the AWS SDKs' lookup chain, restricted to the sources
// that need no network.
//
// Credentials, first match wins:
//   1. `AwsConfigRequest::credentials`;
//   2. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN, or the
//      legacy AWS_SECURITY_TOKEN) - skipped when `AwsConfigRequest::profile`
//      names a profile, as botocore skips its env provider then;
//   3. the shared credentials file, AWS_SHARED_CREDENTIALS_FILE or
//      ~/.aws/credentials, section `[<profile>]`;
//   4. the config file, AWS_CONFIG_FILE or ~/.aws/config, section
//      `[profile <profile>]` (`[default]` for the default profile).
// Keys: aws_access_key_id, aws_secret_access_key, aws_session_token (or
// aws_security_token). The profile is `AwsConfigRequest::profile`, else
// AWS_PROFILE, else "default". Not supported (a profile that relies on one
// gets an error naming it): credential_process, SSO, role_arn/assume-role,
// web identity, and the ECS/EC2 metadata endpoints.
//
// Region: `AwsConfigRequest::region`, AWS_REGION, AWS_DEFAULT_REGION, then
// `region` in the config file profile.
//
// Endpoint URL (for service id "SQS"): `AwsConfigRequest::endpoint_url`,
// AWS_ENDPOINT_URL_SQS, the `sqs` entry's `endpoint_url` in the
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
// safe to call from the calling thread.

#ifndef SQSIM_SRC_AWS_CREDENTIALS_H_
#define SQSIM_SRC_AWS_CREDENTIALS_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

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
  // Default: AWS_PROFILE, else "default".
  std::optional<std::string> profile{};
  // Default: look it up.
  std::optional<std::string> region{};
  // Default: look it up.
  std::optional<std::string> endpoint_url{};
};

struct AwsConfig {
  aws::AwsCredentials credentials{};
  std::string region{};
  std::optional<std::string> endpoint_url{};  // none: derive from the region
};

// The credentials, per the chain above. Errors:
//   - kMissingAuthenticationToken: no source has credentials (the message
//     lists every place looked at) - the same code SQS gives a request
//     without them;
//   - kInvalidParameterValue: a source has only half a key pair, explicit
//     credentials are empty, the named profile exists in neither file, the
//     profile needs an unsupported provider, or a shared file is unreadable
//     or malformed (the message names the file and line).
Result<aws::AwsCredentials> ResolveCredentials(const AwsConfigRequest& request,
                                               const ConfigSources& sources);

// The region. Errors: kMissingParameter when no source sets one (the message
// lists what was looked at); kInvalidParameterValue for a malformed config
// file or a named profile that does not exist.
Result<std::string> ResolveRegion(const AwsConfigRequest& request, const ConfigSources& sources);

// The endpoint URL, or nullopt when none is configured. Errors:
// kInvalidParameterValue for a malformed config file or a missing named profile.
Result<std::optional<std::string>> ResolveEndpointUrl(const AwsConfigRequest& request,
                                                      const ConfigSources& sources);

// All three; the first error wins, in the order credentials, region, endpoint.
Result<AwsConfig> ResolveAwsConfig(const AwsConfigRequest& request, const ConfigSources& sources);

}  // namespace sqsim::internal

#endif  // SQSIM_SRC_AWS_CREDENTIALS_H_
