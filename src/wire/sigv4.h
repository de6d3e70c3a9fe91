// AWS Signature Version 4: signing requests (the AwsClient side) and checking
// signatures (the sqsim-server side).
//
// Both sides are pure functions of the request, the credentials, the region,
// the service and a time the caller passes in: nothing here reads a clock, so
// a test or the simulator decides what "now" is.
//
// The canonical request follows the AWS specification for services other
// than S3 and matches botocore's `SigV4Auth` byte for byte
// (tests/aws/sigv4_oracle.py checks this):
//   - the path has its dot segments and empty segments removed and is then
//     URI-encoded once more ("double encoding": `%20` in the target becomes
//     `%2520`), keeping `/`;
//   - the query string is split on `&` and `=`, each key and value
//     percent-decoded and re-encoded (RFC 3986 unreserved characters stay,
//     everything else becomes upper-case `%XX`), and the pairs sorted by key,
//     then value. For a query string that is already canonically encoded, as
//     every AWS SDK sends it, this is exactly botocore's canonical form;
//   - every header is signed except hop-by-hop ones and those that proxies
//     rewrite (botocore's list: connection, expect, keep-alive,
//     proxy-authenticate, proxy-authorization, te, trailer,
//     transfer-encoding, upgrade, user-agent, x-amzn-trace-id); names are
//     lower-cased, values trimmed with inner runs of whitespace collapsed to
//     one space, repeated headers joined with `,` in wire order;
//   - the payload hash, when signing, is the value of `X-Amz-Content-SHA256`
//     when the request has one, else the hex SHA-256 of the body; when
//     verifying, it is always the body's own hash (see VerifySigV4).
//
// Deviation from botocore: a `Date` header is signed as an ordinary header;
// botocore would rewrite it and drop `X-Amz-Date`. SDKs do not send `Date`.
//
// Thread safety: the functions are reentrant; they share no state.

#ifndef SQSIM_WIRE_SIGV4_H_
#define SQSIM_WIRE_SIGV4_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/aws/credentials.h"
#include "sqsim/status.h"
#include "sqsim/types.h"
#include "wire/http_message.h"

namespace sqsim::internal {

// How far a request's X-Amz-Date may be from the server's clock. SQS allows
// 15 minutes either way: its "Signature expired" errors read
// "... (20150619T102213Z - 15 min.)" (aws/aws-sdk-php#642, aws/aws-sdk-go#487).
inline constexpr Duration kSigV4MaxClockSkew = std::chrono::minutes(15);

// Signs `request` in place for `service` in `region` at time `now`:
//   - removes any old `Authorization` header;
//   - sets `Host` to `host_header` unless the request already has one;
//   - sets `X-Amz-Date` to `now` (seconds precision, "20150830T123600Z");
//   - sets `X-Amz-Security-Token` when `credentials` has a session token;
//   - adds `Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/
//     <service>/aws4_request, SignedHeaders=<...>, Signature=<hex>`.
// Sign last: a header added afterwards is not covered by the signature.
// REQUIRES: `host_header` is non-empty or the request has a `Host` header.
void SignRequest(HttpRequest& request, const aws::AwsCredentials& credentials,
                 std::string_view region, std::string_view service, Timestamp now,
                 std::string_view host_header);

// The parts of an `Authorization: AWS4-HMAC-SHA256 ...` header.
struct SigV4Authorization {
  std::string access_key_id{};
  std::string date{};                         // the scope's "YYYYMMDD"
  std::string region{};                       // e.g. "us-east-1"
  std::string service{};                      // e.g. "sqs"
  std::vector<std::string> signed_headers{};  // lower-case, in the header's order
  std::string signature{};                    // lower-case hex
};

// Parses an Authorization header value. Returns kIncompleteSignature, naming
// what is missing or malformed, when the algorithm is not AWS4-HMAC-SHA256 or
// Credential, SignedHeaders or Signature is absent or malformed.
Result<SigV4Authorization> ParseSigV4Authorization(std::string_view header_value);

// Checks the SigV4 signature of `request` as SQS does. Returns OK when the
// request carries a valid `Authorization` header for `expected_service` whose
// `X-Amz-Date` lies within `max_skew` of `now`. Errors, in the order checked:
//   - kMissingAuthenticationToken: no Authorization header. Presigned URLs
//     (`X-Amz-Signature` in the query string) are not supported and get this
//     error too, with a message that says so;
//   - kIncompleteSignature: a malformed Authorization header, or no
//     `X-Amz-Date` header, or an `X-Amz-Date` that is not "YYYYMMDDTHHMMSSZ";
//   - kSignatureDoesNotMatch: the credential scope names another service or
//     another region than `expected_region` ("Credential should be scoped to
//     a valid region, not '<region>'. ", SQS's message), or its date is not
//     the date of `X-Amz-Date`;
//   - kInvalidClientTokenId: `secret_for_key` returns nullopt for the access
//     key id ("The security token included in the request is invalid.");
//   - kSignatureDoesNotMatch "Signature expired: ..." or "Signature not yet
//     current: ...": `X-Amz-Date` is more than `max_skew` away from `now`.
//     SQS reports this code (not RequestExpired), and these messages;
//   - kSignatureDoesNotMatch: a signed header is missing or the signature
//     differs ("The request signature we calculated does not match ...").
// The payload hash in the canonical request is the SHA-256 of the body as
// received, whatever `X-Amz-Content-SHA256` declares: the signature binds the
// body, so a captured request cannot carry another body (a declared hash is
// an ordinary header, signed if listed). `UNSIGNED-PAYLOAD` is S3's option
// (the SigV4 documentation describes it for S3 only, and SDKs sign SQS
// payloads); a request signed with it does not verify.
// The session token, if any, is signed but not checked against an issuer.
// `secret_for_key` is called at most once, during the call.
Status VerifySigV4(
    const HttpRequest& request,
    const std::function<std::optional<std::string>(std::string_view access_key_id)>& secret_for_key,
    std::string_view expected_service, std::string_view expected_region, Timestamp now,
    Duration max_skew = kSigV4MaxClockSkew);

// "20150830T123600Z" for `t` (truncated to whole seconds, UTC).
std::string FormatAmzDate(Timestamp t);
// Parses "YYYYMMDDTHHMMSSZ"; nullopt when malformed or not a real date.
std::optional<Timestamp> ParseAmzDate(std::string_view text);

// The canonical request SigV4 hashes, over the headers named in
// `signed_headers` (lower-case, in that order) and with `payload_hash` as
// the last line. Exposed for tests and for debugging signature mismatches.
// REQUIRES: every name in `signed_headers` is present in `request`.
std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash);

}  // namespace sqsim::internal

#endif  // SQSIM_WIRE_SIGV4_H_
