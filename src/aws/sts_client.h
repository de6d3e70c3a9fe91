// STS as the credential providers call it: the query protocol (a form-encoded
// POST of `Action=<action>&Version=2011-06-15&...`, signed with SigV4 for
// service "sts", or unsigned for AssumeRoleWithWebIdentity as botocore sends
// it) and its XML answers:
//
//   <AssumeRoleResponse><AssumeRoleResult><Credentials>
//     <AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>
//   </Credentials>...
//   <ErrorResponse><Error><Type/><Code/><Message/></Error>...
//
// Thread safety: the functions are reentrant; `http` belongs to the caller.

#ifndef SQSIM_AWS_STS_CLIENT_H_
#define SQSIM_AWS_STS_CLIENT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/blocking_http.h"
#include "aws/endpoint.h"
#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

struct StsEndpoint {
  Endpoint endpoint{};
  // The region in the SigV4 scope: the client's, or us-east-1 for the
  // global endpoint.
  std::string signing_region{};
};

// The SDKs' default (sts_regional_endpoints = regional, botocore's default
// since 2024): https://sts.<region>.<the partition's DNS suffix>; without a
// region, the global https://sts.amazonaws.com signed for us-east-1.
// kInvalidParameterValue for a region that is not a DNS label.
Result<StsEndpoint> DefaultStsEndpoint(const std::optional<std::string>& region);

// A configured endpoint URL (AWS_ENDPOINT_URL_STS and friends), signed for
// `region` (us-east-1 when none).
Result<StsEndpoint> StsEndpointFromUrl(std::string_view url,
                                       const std::optional<std::string>& region);

struct StsCall {
  std::string action{};  // "AssumeRole" or "AssumeRoleWithWebIdentity"
  std::vector<std::pair<std::string, std::string>> parameters{};
  // Signs the request when set; unsigned otherwise.
  std::optional<aws::AwsCredentials> signer{};
  Timestamp now{};  // the SigV4 date
  Duration timeout{};
  // Names the caller in error messages, e.g. "assume-role (arn:...)".
  std::string provider{};
};

// Sends `call` and returns the <Credentials> of the answer. Errors, each
// message starting with `call.provider`:
//   - an STS error answer: the code STS names when sqsim knows it
//     (kAccessDenied, kInvalidClientTokenId, ...), else kUnknownError with
//     the STS code as its wire names; the message says
//     "STS <action> failed: <Code> (HTTP <status>): <Message>";
//   - the transport's kNetworkError / kTimeout;
//   - kMalformedResponse for an answer without credentials.
Result<aws::AwsCredentials> CallSts(BlockingHttpClient& http, const StsEndpoint& sts,
                                    const StsCall& call);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_STS_CLIENT_H_
