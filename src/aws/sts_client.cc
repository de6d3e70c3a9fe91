#include "aws/sts_client.h"

#include <cstdio>
#include <cstdlib>

#include "aws/credential_document.h"
#include "wire/sigv4.h"

namespace sqsim::internal {
namespace {

// RFC 3986 percent-encoding of everything but the unreserved characters, as
// botocore's query serializer writes form values.
std::string FormEncode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", u);
      out += hex;
    }
  }
  return out;
}

// The five predefined XML entities and numeric character references (ASCII
// only: credentials and STS messages are ASCII).
std::string XmlUnescape(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    bool replaced = false;
    for (const auto& [entity, c] : kEntities) {
      if (text.substr(i).starts_with(entity)) {
        out += c;
        i += entity.size();
        replaced = true;
        break;
      }
    }
    const size_t end = text.find(';', i);
    if (!replaced && text.substr(i).starts_with("&#") && end != std::string_view::npos) {
      const std::string number(text.substr(i + 2, end - i - 2));
      const long code = number.starts_with('x') ? std::strtol(number.c_str() + 1, nullptr, 16)
                                                : std::strtol(number.c_str(), nullptr, 10);
      if (code > 0 && code < 128) {
        out += static_cast<char>(code);
        i = end + 1;
        replaced = true;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

// The text of the first element named `name` in `xml` (no attributes, as STS
// writes them), or nullopt.
std::optional<std::string> ElementText(std::string_view xml, std::string_view name) {
  // Built by appending: GCC 12 at -O3 misreads "<" + std::string(name) as an
  // overlapping memcpy (-Wrestrict, GCC bug 105329).
  std::string open = "<";
  open.append(name).append(">");
  std::string close = "</";
  close.append(name).append(">");
  const size_t start = xml.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  const size_t text_start = start + open.size();
  const size_t end = xml.find(close, text_start);
  if (end == std::string_view::npos) return std::nullopt;
  return XmlUnescape(xml.substr(text_start, end - text_start));
}

Status StsError(const StsCall& call, int http_status, std::string_view body) {
  const std::optional<std::string> code = ElementText(body, "Code");
  const std::optional<std::string> message = ElementText(body, "Message");
  const std::string text =
      call.provider + ": STS " + call.action + " failed: " + code.value_or("no error code") +
      " (HTTP " + std::to_string(http_status) + ")" + (message ? ": " + *message : std::string());
  if (code) {
    if (std::optional<ErrorCode> known = ErrorCodeFromWireName(*code)) return Status(*known, text);
    Status unknown(ErrorCode::kUnknownError, text);
    unknown.set_wire_names(*code, *code);
    return unknown;
  }
  return Status(http_status >= 500 ? ErrorCode::kServiceUnavailable : ErrorCode::kUnknownError,
                text);
}

Result<aws::AwsCredentials> ParseCredentials(const StsCall& call, std::string_view body) {
  const std::optional<std::string> block = ElementText(body, "Credentials");
  auto malformed = [&call](const std::string& why) {
    return Status(ErrorCode::kMalformedResponse,
                  call.provider + ": STS " + call.action + " answer " + why);
  };
  if (!block) return malformed("has no <Credentials>");
  aws::AwsCredentials out;
  std::optional<std::string> key_id = ElementText(*block, "AccessKeyId");
  std::optional<std::string> secret = ElementText(*block, "SecretAccessKey");
  std::optional<std::string> token = ElementText(*block, "SessionToken");
  std::optional<std::string> expiration = ElementText(*block, "Expiration");
  if (!key_id || !secret || !token || !expiration || key_id->empty() || secret->empty()) {
    return malformed("lacks AccessKeyId, SecretAccessKey, SessionToken or Expiration");
  }
  out.access_key_id = std::move(*key_id);
  out.secret_access_key = std::move(*secret);
  out.session_token = std::move(*token);
  out.expiration = ParseIso8601(*expiration);
  if (!out.expiration) return malformed("has an unparsable Expiration '" + *expiration + "'");
  return out;
}

}  // namespace

Result<StsEndpoint> DefaultStsEndpoint(const std::optional<std::string>& region) {
  if (!region) return StsEndpointFromUrl("https://sts.amazonaws.com", std::nullopt);
  // The SQS endpoint carries the partition's DNS suffix; STS shares it.
  Result<std::string> sqs = DefaultSqsEndpointUrl(*region);
  if (!sqs.ok()) return sqs.status();
  return StsEndpointFromUrl("https://sts." + sqs->substr(std::string_view("https://sqs.").size()),
                            region);
}

Result<StsEndpoint> StsEndpointFromUrl(std::string_view url,
                                       const std::optional<std::string>& region) {
  Result<Endpoint> endpoint = ParseEndpointUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  return StsEndpoint{.endpoint = std::move(endpoint).value(),
                     .signing_region = region.value_or("us-east-1")};
}

Result<aws::AwsCredentials> CallSts(BlockingHttpClient& http, const StsEndpoint& sts,
                                    const StsCall& call) {
  HttpRequest request;
  request.method = "POST";
  request.target = sts.endpoint.base_path.empty() ? "/" : sts.endpoint.base_path;
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = "Action=" + FormEncode(call.action) + "&Version=2011-06-15";
  for (const auto& [name, value] : call.parameters) {
    request.body += '&';  // appended: see ElementText
    request.body += FormEncode(name);
    request.body += '=';
    request.body += FormEncode(value);
  }
  if (call.signer) {
    SignRequest(request, *call.signer, sts.signing_region, "sts", call.now,
                sts.endpoint.HostHeader());
  }
  Result<HttpResponse> response = http.Send(sts.endpoint, std::move(request), call.timeout);
  if (!response.ok()) {
    return Status(response.status().code(), call.provider + ": STS " + call.action + " at " +
                                                sts.endpoint.Url() + ": " +
                                                response.status().message());
  }
  if (response->status != 200) return StsError(call, response->status, response->body);
  return ParseCredentials(call, response->body);
}

}  // namespace sqsim::internal
