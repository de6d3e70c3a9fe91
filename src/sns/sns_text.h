// Small text helpers the SNS engine shares: ARNs as SNS counts them, JSON
// string literals as SNS (a Java service) writes them, ids drawn from an Rng,
// and the opaque pagination tokens of the List* calls.

#ifndef SQSIM_SRC_SNS_SNS_TEXT_H_
#define SQSIM_SRC_SNS_SNS_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_quote.h"
#include "sqsim/random.h"
#include "sqsim/status.h"

namespace sqsim::sns::internal {

// JSON string literals as Jackson writes them (core/json_quote.h).
using ::sqsim::internal::JsonQuote;

// "arn:partition:service:region:account:resource"; the resource keeps any
// further colons (a subscription ARN's resource is "topic:uuid").
struct ArnParts {
  std::string partition;
  std::string service;
  std::string region;
  std::string account;
  std::string resource;
};

// Splits `arn` the way SNS does: six colon-separated elements at least.
// Returns nullopt when there are fewer.
std::optional<ArnParts> ParseArn(std::string_view arn);

// How many colon-separated elements `arn` has ("" has 1), for SNS's
// "An ARN must have at least 6 elements, not N".
size_t ArnElementCount(std::string_view arn);

// InvalidParameter "Invalid parameter: <parameter> Reason: An ARN must have at
// least 6 elements, not N" (AWS's recorded answer for TopicArn,
// SubscriptionArn).
Status ArnTooShort(std::string_view parameter, std::string_view arn);

// SNS's InvalidParameter with its usual "Invalid parameter: " prefix.
Status InvalidParameter(std::string_view detail);

// A random (version 4) UUID in its 36-character lower-case form.
std::string NewUuid(Rng& rng);
// `bytes` random bytes as lower-case hex.
std::string RandomHex(Rng& rng, size_t bytes);

// True when `text` is a boolean as SNS accepts one ("true" or "false", in
// any case); sets `value`.
bool ParseBoolean(std::string_view text, bool& value);

// Pagination: the token after the item with creation sequence `sequence`,
// and back. Tokens are opaque base64 text; a token sqsim did not issue (or
// issued for another listing, `kind`) decodes to nullopt.
std::string EncodePageToken(std::string_view kind, uint64_t sequence);
std::optional<uint64_t> DecodePageToken(std::string_view kind, std::string_view token);

}  // namespace sqsim::sns::internal

#endif  // SQSIM_SRC_SNS_SNS_TEXT_H_
