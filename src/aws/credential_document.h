// The JSON documents that credential sources answer with, and the ISO 8601
// times in them:
//   credential_process: {"Version": 1, "AccessKeyId", "SecretAccessKey",
//                        "SessionToken"?, "Expiration"?}
//   container endpoint and EC2 instance metadata: {"AccessKeyId",
//                        "SecretAccessKey", "Token", "Expiration", and for
//                        IMDS "Code": "Success"}
//
// Thread safety: pure functions.

#ifndef SQSIM_AWS_CREDENTIAL_DOCUMENT_H_
#define SQSIM_AWS_CREDENTIAL_DOCUMENT_H_

#include <optional>
#include <string_view>

#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {

// "2026-12-06T11:21:24Z", "2026-12-06T11:21:24.652469Z" or with an offset
// ("+01:00") instead of Z, as STS, IMDS, ECS and credential processes write
// it. nullopt when malformed.
std::optional<Timestamp> ParseIso8601(std::string_view text);

struct CredentialDocumentFormat {
  // The session token's key: "Token" (metadata endpoints) or "SessionToken"
  // (credential_process).
  std::string_view token_key = "Token";
  // Session token and expiration must be present (metadata endpoints; a
  // process may hand out long-term keys).
  bool temporary = true;
  // "Version" must be the number 1 (credential_process).
  bool version_1 = false;
};

// Parses `body`. Errors: kMalformedResponse, with a message that starts with
// `source` and says what is wrong (not JSON, a missing or non-string key, a
// wrong Version, an unparsable Expiration, an IMDS Code other than Success).
Result<aws::AwsCredentials> ParseCredentialDocument(std::string_view body,
                                                    const CredentialDocumentFormat& format,
                                                    std::string_view source);

}  // namespace sqsim::internal

#endif  // SQSIM_AWS_CREDENTIAL_DOCUMENT_H_
