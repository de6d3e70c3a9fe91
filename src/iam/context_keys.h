// The request context as condition keys: what value a key such as
// aws:SourceArn has for a request.

#ifndef SQSIM_IAM_CONTEXT_KEYS_H_
#define SQSIM_IAM_CONTEXT_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "sqsim/iam.h"

namespace sqsim::iam::internal {

// The values of condition key `key` (matched case-insensitively) for
// `request`; empty when the key is absent from the context.
// aws:CurrentTime is RFC 3339 UTC with microseconds, aws:SecureTransport
// "true" or "false"; aws:PrincipalArn and aws:PrincipalAccount are absent for
// a service principal.
std::vector<std::string> ContextValues(std::string_view key, const Request& request);

// Formats `t` as RFC 3339 UTC with microseconds: 2026-01-02T03:04:05.000006Z.
std::string FormatRfc3339Micros(Timestamp t);

}  // namespace sqsim::iam::internal

#endif  // SQSIM_IAM_CONTEXT_KEYS_H_
