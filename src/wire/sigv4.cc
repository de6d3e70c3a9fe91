#include "wire/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "core/digest.h"

namespace sqsim::internal {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Headers botocore never signs: hop-by-hop headers and those that proxies and
// HTTP stacks add or rewrite on the way (botocore.auth.SIGNED_HEADERS_BLACKLIST).
constexpr std::array<std::string_view, 11> kUnsignedHeaders = {"connection",
                                                               "expect",
                                                               "keep-alive",
                                                               "proxy-authenticate",
                                                               "proxy-authorization",
                                                               "te",
                                                               "trailer",
                                                               "transfer-encoding",
                                                               "upgrade",
                                                               "user-agent",
                                                               "x-amzn-trace-id"};

constexpr std::string_view kSignatureMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// RFC 3986 percent-encoding with upper-case hex, as SigV4 requires.
std::string UriEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a '%' not followed by two hex digits stays literal, so
// that re-encoding turns it into "%25" rather than failing the request.
std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// RFC 3986 section 5.2.4 plus the removal of empty segments ("//") that AWS
// services expect; the same result as botocore.utils.remove_dot_segments.
std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) out.push_back('/');
  return out;
}

std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      const std::string_view key = pair.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      pairs.emplace_back(UriEncode(PercentDecode(key), false),
                         UriEncode(PercentDecode(value), false));
    }
    start = end + 1;
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(key).append("=").append(value);
  }
  return out;
}

// The ASCII characters Python's str.split() treats as whitespace, so that
// the trimmed value equals botocore's `' '.join(value.split())`.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

// Trimall: no leading or trailing whitespace, inner runs become one space.
std::string TrimAll(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c);
    }
  }
  return out;
}

bool IsSignable(std::string_view lower_name) {
  if (lower_name == "authorization") return false;
  return std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lower_name) ==
         kUnsignedHeaders.end();
}

// The headers SignRequest signs: every signable header, lower-cased, sorted,
// each name once.
std::vector<std::string> HeadersToSign(const HttpHeaders& headers) {
  std::vector<std::string> names;
  for (const HttpHeader& header : headers.list()) {
    std::string name = ToLower(header.name);
    if (IsSignable(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string Join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.push_back(separator);
    out.append(parts[i]);
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &out_len);
  return std::string(reinterpret_cast<const char*>(out), out_len);
}

std::string PayloadHash(const HttpRequest& request) {
  if (const std::string* declared = request.headers.Find("X-Amz-Content-SHA256")) {
    return *declared;
  }
  return Sha256Hex(request.body);
}

// The hex signature of `canonical_request` under the key derived from
// `secret` for (date, region, service).
std::string ComputeSignature(std::string_view secret, std::string_view amz_date,
                             std::string_view region, std::string_view service,
                             std::string_view canonical_request) {
  const std::string_view date = amz_date.substr(0, 8);
  const std::string scope =
      std::string(date) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" +
                                     scope + "\n" + Sha256Hex(canonical_request);
  // The derived key changes once a day per (secret, region, service): keep
  // the last one per thread instead of four HMACs on every request (the
  // SDKs cache it too). Thread-local, so the functions stay reentrant.
  struct DerivedKey {
    std::string secret, date, region, service, key;
  };
  thread_local DerivedKey cached;
  if (cached.key.empty() || cached.secret != secret || cached.date != date ||
      cached.region != region || cached.service != service) {
    std::string key = Hmac("AWS4" + std::string(secret), date);
    key = Hmac(key, region);
    key = Hmac(key, service);
    key = Hmac(key, "aws4_request");
    cached = DerivedKey{std::string(secret), std::string(date), std::string(region),
                        std::string(service), std::move(key)};
  }
  const std::string signature = Hmac(cached.key, string_to_sign);
  return HexEncode(reinterpret_cast<const uint8_t*>(signature.data()), signature.size());
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool HasHeader(const HttpRequest& request, std::string_view name) {
  return request.headers.Find(name) != nullptr;
}

Status Incomplete(std::string message) {
  return Status(ErrorCode::kIncompleteSignature, std::move(message));
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// "Signature expired: ..." / "Signature not yet current: ...", as SQS words
// them, or OK when `request_time` is within `max_skew` of `now`.
Status CheckClockSkew(Timestamp request_time, std::string_view amz_date, Timestamp now,
                      Duration max_skew) {
  const std::string minutes =
      std::to_string(std::chrono::duration_cast<std::chrono::minutes>(max_skew).count());
  if (request_time < now - max_skew) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "Signature expired: " + std::string(amz_date) + " is now earlier than " +
                      FormatAmzDate(now - max_skew) + " (" + FormatAmzDate(now) + " - " + minutes +
                      " min.)");
  }
  if (request_time > now + max_skew) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "Signature not yet current: " + std::string(amz_date) + " is still later than " +
                      FormatAmzDate(now + max_skew) + " (" + FormatAmzDate(now) + " + " + minutes +
                      " min.)");
  }
  return Status::Ok();
}

bool IsPresigned(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return false;
  const std::string_view query = target.substr(q);
  return query.find("X-Amz-Signature=") != std::string_view::npos ||
         query.find("X-Amz-Algorithm=") != std::string_view::npos;
}

}  // namespace

std::string FormatAmzDate(Timestamp t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<Timestamp> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> int {
    int value = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4), month = number(4, 2), day = number(6, 2);
  const int hour = number(9, 2), minute = number(11, 2), second = number(13, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(year),
                           std::chrono::month(static_cast<unsigned>(month)),
                           std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return time_point_cast<microseconds>(sys_days(ymd) + hours(hour) + minutes(minute) +
                                       seconds(second));
}

std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view payload_hash) {
  const std::string_view target = request.target;
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);

  std::string out = request.method;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  out.append("\n").append(UriEncode(NormalizePath(path), true));
  out.append("\n").append(CanonicalQuery(query)).append("\n");
  for (const std::string& name : signed_headers) {
    std::vector<std::string> values;
    for (const HttpHeader& header : request.headers.list()) {
      if (EqualsIgnoreCase(header.name, name)) values.push_back(TrimAll(header.value));
    }
    SQSIM_ASSERT(!values.empty(), "CanonicalRequest: a signed header is missing");
    out.append(name).append(":").append(Join(values, ',')).append("\n");
  }
  out.append("\n").append(Join(signed_headers, ';'));
  out.append("\n").append(payload_hash);
  return out;
}

void SignRequest(HttpRequest& request, const aws::AwsCredentials& credentials,
                 std::string_view region, std::string_view service, Timestamp now,
                 std::string_view host_header) {
  request.headers.Remove("Authorization");
  if (!HasHeader(request, "Host")) {
    SQSIM_ASSERT(!host_header.empty(), "SignRequest needs a Host header or host_header");
    request.headers.Add("Host", host_header);
  }
  const std::string amz_date = FormatAmzDate(now);
  request.headers.Set("X-Amz-Date", amz_date);
  if (credentials.session_token) {
    request.headers.Set("X-Amz-Security-Token", *credentials.session_token);
  }
  const std::vector<std::string> signed_headers = HeadersToSign(request.headers);
  const std::string canonical = CanonicalRequest(request, signed_headers, PayloadHash(request));
  const std::string signature =
      ComputeSignature(credentials.secret_access_key, amz_date, region, service, canonical);
  request.headers.Add("Authorization",
                      std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                          amz_date.substr(0, 8) + "/" + std::string(region) + "/" +
                          std::string(service) + "/aws4_request" + ", SignedHeaders=" +
                          Join(signed_headers, ';') + ", Signature=" + signature);
}

Result<SigV4Authorization> ParseSigV4Authorization(std::string_view header_value) {
  header_value = TrimOws(header_value);
  const size_t space = header_value.find(' ');
  const std::string_view algorithm = header_value.substr(0, space);
  if (algorithm != kAlgorithm) {
    return Incomplete("Unsupported AWS 'algorithm': '" + std::string(algorithm) +
                      "'. Use AWS4-HMAC-SHA256.");
  }
  std::optional<std::string_view> credential, signed_headers, signature;
  std::string_view rest = space == std::string_view::npos ? "" : header_value.substr(space + 1);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view item = TrimOws(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Incomplete(
          "Authorization header requires each component to be of the form "
          "'key=value', got '" +
          std::string(item) + "'");
    }
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "Credential") credential = value;
    if (key == "SignedHeaders") signed_headers = value;
    if (key == "Signature") signature = value;
  }
  std::string missing;
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!missing.empty()) return Incomplete(missing + "Authorization=" + std::string(header_value));

  SigV4Authorization auth;
  const std::vector<std::string> scope = Split(*credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[1].size() != 8 || scope[2].empty() ||
      scope[3].empty() || scope[4] != "aws4_request") {
    return Incomplete(
        "Credential should be of the form "
        "'<key>/<YYYYMMDD>/<region>/<service>/aws4_request', got '" +
        std::string(*credential) + "'");
  }
  auth.access_key_id = scope[0];
  auth.date = scope[1];
  auth.region = scope[2];
  auth.service = scope[3];
  auth.signed_headers = Split(*signed_headers, ';');
  for (const std::string& name : auth.signed_headers) {
    if (name.empty() || name != ToLower(name)) {
      return Incomplete(
          "SignedHeaders must be a ';'-separated list of lower-case header names, got '" +
          std::string(*signed_headers) + "'");
    }
  }
  if (signature->size() != 64 || !IsLowerHex(*signature)) {
    return Incomplete("Signature must be 64 lower-case hex digits, got '" +
                      std::string(*signature) + "'");
  }
  auth.signature = std::string(*signature);
  return auth;
}

Status VerifySigV4(
    const HttpRequest& request,
    const std::function<std::optional<std::string>(std::string_view access_key_id)>& secret_for_key,
    std::string_view expected_service, std::string_view expected_region, Timestamp now,
    Duration max_skew) {
  const std::string* header = request.headers.Find("Authorization");
  if (header == nullptr) {
    if (IsPresigned(request.target)) {
      return Status(ErrorCode::kMissingAuthenticationToken,
                    "Request is missing Authentication Token: presigned URLs (X-Amz-Signature "
                    "in the query string) are not supported; sign with an Authorization header");
    }
    return Status(ErrorCode::kMissingAuthenticationToken,
                  "Request is missing Authentication Token");
  }
  Result<SigV4Authorization> parsed = ParseSigV4Authorization(*header);
  if (!parsed.ok()) return parsed.status();
  const SigV4Authorization& auth = *parsed;

  const std::string* amz_date = request.headers.Find("X-Amz-Date");
  if (amz_date == nullptr) {
    return Incomplete(
        "Authorization header requires existence of either a 'X-Amz-Date' or a "
        "'Date' header. Authorization=" +
        *header);
  }
  const std::optional<Timestamp> request_time = ParseAmzDate(*amz_date);
  if (!request_time) {
    return Incomplete("X-Amz-Date must be in the ISO8601 basic format 'YYYYMMDDTHHMMSSZ', got '" +
                      *amz_date + "'");
  }
  if (auth.service != expected_service) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "Credential should be scoped to correct service: '" +
                      std::string(expected_service) + "'. ");
  }
  if (auth.region != expected_region) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "Credential should be scoped to a valid region, not '" + auth.region + "'. ");
  }
  if (auth.date != amz_date->substr(0, 8)) {
    return Status(ErrorCode::kSignatureDoesNotMatch,
                  "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                  "from HTTP: '" +
                      auth.date + "' != '" + amz_date->substr(0, 8) + "', from 'X-Amz-Date'.");
  }
  const std::optional<std::string> secret = secret_for_key(auth.access_key_id);
  if (!secret) {
    return Status(ErrorCode::kInvalidClientTokenId,
                  "The security token included in the request is invalid.");
  }
  if (Status skew = CheckClockSkew(*request_time, *amz_date, now, max_skew); !skew.ok()) {
    return skew;
  }
  for (const std::string& name : auth.signed_headers) {
    if (!HasHeader(request, name)) {
      return Status(ErrorCode::kSignatureDoesNotMatch, std::string(kSignatureMismatchMessage) +
                                                           " (signed header '" + name +
                                                           "' is missing from the request)");
    }
  }
  // The body's own hash, never a declared one: the signature must bind the
  // body that arrived.
  const std::string canonical =
      CanonicalRequest(request, auth.signed_headers, Sha256Hex(request.body));
  const std::string expected =
      ComputeSignature(*secret, *amz_date, auth.region, auth.service, canonical);
  if (CRYPTO_memcmp(expected.data(), auth.signature.data(), expected.size()) != 0) {
    return Status(ErrorCode::kSignatureDoesNotMatch, std::string(kSignatureMismatchMessage));
  }
  return Status::Ok();
}

}  // namespace sqsim::internal
