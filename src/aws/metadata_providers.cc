#include "aws/metadata_providers.h"

#include <arpa/inet.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "aws/blocking_http.h"
#include "aws/credential_document.h"

namespace sqsim::internal {
namespace {

constexpr Duration kContainerTimeout = std::chrono::seconds(2);
constexpr Duration kImdsTimeout = std::chrono::seconds(1);
constexpr std::string_view kImdsTokenTtlSeconds = "21600";

bool IsLoopback(const std::string& host) {
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  return ::inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

Status Prefixed(std::string_view name, const Status& status) {
  return Status(status.code(), std::string(name) + ": " + status.message());
}

Status NotOk(std::string_view name, std::string_view what, const HttpResponse& response) {
  return Status(ErrorCode::kMissingAuthenticationToken,
                std::string(name) + ": " + std::string(what) + " answered HTTP " +
                    std::to_string(response.status) +
                    (response.body.empty() ? std::string() : ": " + response.body.substr(0, 200)));
}

TransportOptions MetadataTransport(const ProviderContext& context, Duration timeout) {
  TransportOptions options = context.transport;
  options.connect_timeout = timeout;
  return options;
}

class ContainerProvider final : public aws::CredentialsProvider {
 public:
  ContainerProvider(ContainerParams params, UrlTarget url, ProviderContext context)
      : params_(std::move(params)),
        name_("container-role (" + params_.url + ")"),
        url_(std::move(url)),
        http_(MetadataTransport(context, kContainerTimeout)) {}

  Result<aws::AwsCredentials> Fetch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    HttpRequest request;
    request.method = "GET";
    request.target = url_.target;
    request.headers.Set("Accept", "application/json");
    Result<std::optional<std::string>> token = AuthorizationToken();
    if (!token.ok()) return token.status();
    if (*token) request.headers.Set("Authorization", **token);
    Result<HttpResponse> response =
        http_.Send(url_.endpoint, std::move(request), kContainerTimeout);
    if (!response.ok()) return Prefixed(name_, response.status());
    if (response->status != 200) return NotOk(name_, "the container endpoint", *response);
    return ParseCredentialDocument(response->body, {}, name_);
  }

 private:
  Result<std::optional<std::string>> AuthorizationToken() const {
    std::optional<std::string> token = params_.authorization_token;
    if (params_.authorization_token_file) {
      std::ifstream in(*params_.authorization_token_file, std::ios::binary);
      if (!in) {
        return Status(ErrorCode::kInvalidParameterValue,
                      name_ + ": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" +
                          *params_.authorization_token_file + "': " + std::strerror(errno));
      }
      std::ostringstream text;
      text << in.rdbuf();
      token = text.str();
    }
    if (token && token->find_first_of("\r\n") != std::string::npos) {
      return Status(ErrorCode::kInvalidParameterValue,
                    name_ +
                        ": the container authorization token contains CR or LF, which a "
                        "header value cannot");
    }
    return token;
  }

  const ContainerParams params_;
  const std::string name_;
  const UrlTarget url_;
  std::mutex mutex_;
  BlockingHttpClient http_;  // guarded by mutex_
};

class InstanceMetadataProvider final : public aws::CredentialsProvider {
 public:
  InstanceMetadataProvider(InstanceMetadataParams params, UrlTarget base, ProviderContext context)
      : params_(std::move(params)),
        name_("iam-role (EC2 instance metadata at " + params_.endpoint + ")"),
        base_(std::move(base)),
        http_(MetadataTransport(context, kImdsTimeout)) {}

  Result<aws::AwsCredentials> Fetch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<std::optional<std::string>> token = FetchToken();
    if (!token.ok()) return token.status();
    Result<HttpResponse> role = Get("latest/meta-data/iam/security-credentials/", *token);
    if (!role.ok()) return role.status();
    const std::string name = FirstLine(role->body);
    if (name.empty()) {
      return Status(ErrorCode::kMissingAuthenticationToken,
                    name_ + ": the instance has no IAM role attached");
    }
    Result<HttpResponse> credentials =
        Get("latest/meta-data/iam/security-credentials/" + name, *token);
    if (!credentials.ok()) return credentials.status();
    return ParseCredentialDocument(credentials->body, {}, name_);
  }

 private:
  static std::string FirstLine(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
  }

  std::string Target(std::string_view path) const {
    std::string target = base_.target;
    if (!target.ends_with('/')) target += '/';
    return target + std::string(path);
  }

  // The IMDSv2 session token, or nullopt to go on with IMDSv1.
  Result<std::optional<std::string>> FetchToken() {
    HttpRequest request;
    request.method = "PUT";
    request.target = Target("latest/api/token");
    request.headers.Set("x-aws-ec2-metadata-token-ttl-seconds", kImdsTokenTtlSeconds);
    Result<HttpResponse> response = http_.Send(base_.endpoint, std::move(request), kImdsTimeout);
    const bool v1_answer = response.ok() && (response->status == 403 || response->status == 404 ||
                                             response->status == 405);
    if (response.ok() && response->status == 200) return std::optional<std::string>(response->body);
    if (response.ok() && !v1_answer) return NotOk(name_, "the token request", *response);
    if (params_.v1_disabled) {
      return Status(ErrorCode::kMissingAuthenticationToken,
                    name_ + ": no IMDSv2 token (" +
                        (response.ok() ? "HTTP " + std::to_string(response->status)
                                       : response.status().message()) +
                        ") and IMDSv1 is disabled");
    }
    return std::optional<std::string>();
  }

  Result<HttpResponse> Get(const std::string& path, const std::optional<std::string>& token) {
    HttpRequest request;
    request.method = "GET";
    request.target = Target(path);
    if (token) request.headers.Set("x-aws-ec2-metadata-token", *token);
    Result<HttpResponse> response = http_.Send(base_.endpoint, std::move(request), kImdsTimeout);
    if (!response.ok()) return Prefixed(name_, response.status());
    if (response->status != 200) return NotOk(name_, "GET /" + path, *response);
    return response;
  }

  const InstanceMetadataParams params_;
  const std::string name_;
  const UrlTarget base_;
  std::mutex mutex_;
  BlockingHttpClient http_;  // guarded by mutex_
};

}  // namespace

Result<std::shared_ptr<aws::CredentialsProvider>> NewContainerProvider(ContainerParams params,
                                                                       ProviderContext context) {
  Result<UrlTarget> url = ParseUrlTarget(params.url);
  if (!url.ok()) return url.status();
  static constexpr std::array<std::string_view, 4> kAllowedHosts = {
      "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"};
  const std::string& host = url->endpoint.host;
  bool allowed = url->endpoint.tls || IsLoopback(host);
  for (std::string_view allowed_host : kAllowedHosts) allowed = allowed || host == allowed_host;
  if (!allowed) {
    return Status(ErrorCode::kInvalidParameterValue,
                  "container credentials URL '" + params.url + "': unsupported host '" + host +
                      "'; plain http may only reach a loopback address or one of "
                      "169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost");
  }
  std::shared_ptr<aws::CredentialsProvider> provider = std::make_shared<ContainerProvider>(
      std::move(params), std::move(url).value(), std::move(context));
  return provider;
}

Result<std::shared_ptr<aws::CredentialsProvider>> NewInstanceMetadataProvider(
    InstanceMetadataParams params, ProviderContext context) {
  Result<UrlTarget> base = ParseUrlTarget(params.endpoint);
  if (!base.ok()) return base.status();
  std::shared_ptr<aws::CredentialsProvider> provider = std::make_shared<InstanceMetadataProvider>(
      std::move(params), std::move(base).value(), std::move(context));
  return provider;
}

}  // namespace sqsim::internal
