#include "aws/role_providers.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>

#include "aws/credentials_cache.h"

namespace sqsim::internal {
namespace {

std::string SessionName(const std::optional<std::string>& configured, Timestamp now) {
  if (configured) return *configured;
  return "sqsim-session-" + std::to_string(ToEpochSeconds(now));
}

class AssumeRoleProvider final : public aws::CredentialsProvider {
 public:
  AssumeRoleProvider(AssumeRoleParams params, std::shared_ptr<aws::CredentialsProvider> source,
                     StsEndpoint sts, ProviderContext context)
      : params_(std::move(params)),
        name_("assume-role (" + params_.role_arn + ")"),
        source_(std::move(source)),
        sts_(std::move(sts)),
        context_(std::move(context)),
        http_(context_.transport) {}

  Result<aws::AwsCredentials> Fetch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    const Timestamp now = context_.now();
    Result<aws::AwsCredentials> source = source_.Get(now);
    if (!source.ok()) {
      return Status(source.status().code(),
                    name_ + ": no source credentials: " + source.status().message());
    }
    StsCall call{.action = "AssumeRole",
                 .parameters = {{"RoleArn", params_.role_arn},
                                {"RoleSessionName", SessionName(params_.role_session_name, now)}},
                 .signer = std::move(source).value(),
                 .now = now,
                 .timeout = context_.sts_timeout,
                 .provider = name_};
    if (params_.external_id) call.parameters.emplace_back("ExternalId", *params_.external_id);
    if (params_.duration_seconds) {
      call.parameters.emplace_back("DurationSeconds", std::to_string(*params_.duration_seconds));
    }
    return CallSts(http_, sts_, call);
  }

 private:
  const AssumeRoleParams params_;
  const std::string name_;
  CredentialsCache source_;  // a chained role's source is reused until it nears expiry
  const StsEndpoint sts_;
  const ProviderContext context_;
  std::mutex mutex_;
  BlockingHttpClient http_;  // guarded by mutex_
};

class WebIdentityProvider final : public aws::CredentialsProvider {
 public:
  WebIdentityProvider(WebIdentityParams params, StsEndpoint sts, ProviderContext context)
      : params_(std::move(params)),
        name_("assume-role-with-web-identity (" + params_.role_arn + ")"),
        sts_(std::move(sts)),
        context_(std::move(context)),
        http_(context_.transport) {}

  Result<aws::AwsCredentials> Fetch() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Result<std::string> token = ReadToken();
    if (!token.ok()) return token.status();
    const Timestamp now = context_.now();
    return CallSts(
        http_, sts_,
        StsCall{.action = "AssumeRoleWithWebIdentity",
                .parameters = {{"RoleArn", params_.role_arn},
                               {"RoleSessionName", SessionName(params_.role_session_name, now)},
                               {"WebIdentityToken", std::move(token).value()}},
                .now = now,
                .timeout = context_.sts_timeout,
                .provider = name_});
  }

 private:
  // The whole file, as botocore sends it (a JWT has no line breaks).
  Result<std::string> ReadToken() const {
    std::ifstream in(params_.token_file, std::ios::binary);
    if (!in) {
      return Status(ErrorCode::kInvalidParameterValue,
                    name_ + ": cannot read the web identity token file '" + params_.token_file +
                        "': " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().empty()) {
      return Status(ErrorCode::kInvalidParameterValue,
                    name_ + ": the web identity token file '" + params_.token_file + "' is empty");
    }
    return text.str();
  }

  const WebIdentityParams params_;
  const std::string name_;
  const StsEndpoint sts_;
  const ProviderContext context_;
  std::mutex mutex_;
  BlockingHttpClient http_;  // guarded by mutex_
};

}  // namespace

std::shared_ptr<aws::CredentialsProvider> NewAssumeRoleProvider(
    AssumeRoleParams params, std::shared_ptr<aws::CredentialsProvider> source, StsEndpoint sts,
    ProviderContext context) {
  return std::make_shared<AssumeRoleProvider>(std::move(params), std::move(source), std::move(sts),
                                              std::move(context));
}

std::shared_ptr<aws::CredentialsProvider> NewWebIdentityProvider(WebIdentityParams params,
                                                                 StsEndpoint sts,
                                                                 ProviderContext context) {
  return std::make_shared<WebIdentityProvider>(std::move(params), std::move(sts),
                                               std::move(context));
}

}  // namespace sqsim::internal
