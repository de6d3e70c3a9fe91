#include "aws/credentials.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

#include "aws/ini_file.h"
#include "aws/metadata_providers.h"
#include "aws/process_provider.h"
#include "aws/role_providers.h"
#include "aws/sts_client.h"

namespace sqsim::internal {
namespace {

// The profile a lookup uses, and whether the caller chose it (a chosen
// profile must exist; the implicit "default" may be absent).
struct Profile {
  std::string name;
  bool explicit_choice = false;
};

// The two shared files, read once per lookup.
struct SharedFiles {
  std::string credentials_path;
  std::string config_path;
  std::optional<IniFile> credentials;
  std::optional<IniFile> config;
};

Profile ChooseProfile(const AwsConfigRequest& request, const ConfigSources& sources) {
  if (request.profile) return {*request.profile, true};
  if (std::optional<std::string> env = sources.Get("AWS_PROFILE")) return {*env, true};
  return {"default", false};
}

std::string HomeDir(const ConfigSources& sources) {
  if (sources.home_dir) return *sources.home_dir;
  return sources.Get("HOME").value_or("");
}

std::string ExpandHome(const std::string& path, const ConfigSources& sources) {
  if (path == "~" || path.starts_with("~/")) return HomeDir(sources) + path.substr(1);
  return path;
}

std::string SharedPath(const ConfigSources& sources, std::string_view env_name,
                       std::string_view default_name) {
  if (std::optional<std::string> env = sources.Get(env_name)) return ExpandHome(*env, sources);
  return HomeDir(sources) + "/.aws/" + std::string(default_name);
}

Result<SharedFiles> ReadSharedFiles(const ConfigSources& sources) {
  SharedFiles files;
  files.credentials_path = SharedPath(sources, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
  files.config_path = SharedPath(sources, "AWS_CONFIG_FILE", "config");
  Result<std::optional<IniFile>> credentials = ReadIniFile(files.credentials_path);
  if (!credentials.ok()) return credentials.status();
  files.credentials = std::move(credentials).value();
  Result<std::optional<IniFile>> config = ReadIniFile(files.config_path);
  if (!config.ok()) return config.status();
  files.config = std::move(config).value();
  return files;
}

const IniFile::Section* CredentialsSection(const SharedFiles& files, const Profile& profile) {
  return files.credentials ? files.credentials->Find(profile.name) : nullptr;
}

// `[default]` or `[profile default]` for the default profile, `[profile
// <name>]` (any blanks between the words) for the others, as botocore maps them.
const IniFile::Section* ConfigSection(const SharedFiles& files, const Profile& profile) {
  if (!files.config) return nullptr;
  if (profile.name == "default") {
    if (const IniFile::Section* section = files.config->Find("default")) return section;
  }
  for (const auto& [name, section] : files.config->sections) {
    if (!name.starts_with("profile") || name.size() <= 7 || (name[7] != ' ' && name[7] != '\t')) {
      continue;
    }
    const size_t start = name.find_first_not_of(" \t", 7);
    if (start != std::string::npos && name.substr(start) == profile.name) return &section;
  }
  return nullptr;
}

std::optional<std::string> Lookup(const IniFile::Section* section, std::string_view key) {
  if (section == nullptr) return std::nullopt;
  auto it = section->find(key);
  if (it == section->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// A chosen profile must exist in one of the files (botocore's ProfileNotFound).
Status CheckProfileExists(const SharedFiles& files, const Profile& profile) {
  if (!profile.explicit_choice || CredentialsSection(files, profile) != nullptr ||
      ConfigSection(files, profile) != nullptr) {
    return Status::Ok();
  }
  return Status(ErrorCode::kInvalidParameterValue, "AWS profile '" + profile.name +
                                                       "' not found in " + files.credentials_path +
                                                       " or " + files.config_path);
}

Status PartialCredentials(std::string_view where, std::string_view missing) {
  return Status(ErrorCode::kInvalidParameterValue, "partial AWS credentials in " +
                                                       std::string(where) + ": " +
                                                       std::string(missing) + " is missing");
}

// Credentials from one source: nullopt when it has neither key, an error when
// it has only one.
Result<std::optional<aws::AwsCredentials>> FromParts(std::optional<std::string> key_id,
                                                     std::optional<std::string> secret,
                                                     std::optional<std::string> token,
                                                     std::string_view where,
                                                     std::string_view key_id_name,
                                                     std::string_view secret_name) {
  if (!key_id && !secret) return std::optional<aws::AwsCredentials>();
  if (!key_id) return PartialCredentials(where, key_id_name);
  if (!secret) return PartialCredentials(where, secret_name);
  return std::optional<aws::AwsCredentials>(aws::AwsCredentials{
      .access_key_id = *key_id, .secret_access_key = *secret, .session_token = token});
}

Result<std::optional<aws::AwsCredentials>> FromSection(const IniFile::Section* section,
                                                       std::string_view where) {
  std::optional<std::string> token = Lookup(section, "aws_session_token");
  if (!token) token = Lookup(section, "aws_security_token");
  return FromParts(Lookup(section, "aws_access_key_id"), Lookup(section, "aws_secret_access_key"),
                   token, where, "aws_access_key_id", "aws_secret_access_key");
}

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower = *value;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true";
}

// The endpoint URL configured for `service` ("sqs", "sts"): AWS_ENDPOINT_URL_<SERVICE>,
// the service's entry in the profile's `[services]` section, AWS_ENDPOINT_URL,
// the profile's endpoint_url; none when configured endpoints are ignored.
std::optional<std::string> ConfiguredEndpoint(const SharedFiles& files, const Profile& profile,
                                              const ConfigSources& sources,
                                              std::string_view service) {
  using Url = std::optional<std::string>;
  const IniFile::Section* section = ConfigSection(files, profile);
  if (IsTrue(sources.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
      IsTrue(Lookup(section, "ignore_configured_endpoint_urls"))) {
    return Url();
  }
  std::string env_name = "AWS_ENDPOINT_URL_";
  for (char c : service) env_name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (Url env = sources.Get(env_name)) return env;
  if (Url services = Lookup(section, "services"); services && files.config) {
    if (Url entry = Lookup(files.config->Find("services " + *services), service)) {
      IniFile::Section nested = ParseNestedIniValue(*entry);
      if (Url url = Lookup(&nested, "endpoint_url")) return url;
    }
  }
  if (Url env = sources.Get("AWS_ENDPOINT_URL")) return env;
  return Lookup(section, "endpoint_url");
}

using ProviderPtr = std::shared_ptr<aws::CredentialsProvider>;
using MaybeProvider = std::optional<ProviderPtr>;

Status BadConfig(std::string message) {
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

class StaticProvider final : public aws::CredentialsProvider {
 public:
  explicit StaticProvider(aws::AwsCredentials credentials) : credentials_(std::move(credentials)) {}
  Result<aws::AwsCredentials> Fetch() override { return credentials_; }

 private:
  const aws::AwsCredentials credentials_;
};

ProviderPtr Static(aws::AwsCredentials credentials) {
  return std::make_shared<StaticProvider>(std::move(credentials));
}

// Instance metadata is the chain's last resort: when it cannot deliver, the
// answer is that there are no credentials, and where the chain looked.
class LastResortProvider final : public aws::CredentialsProvider {
 public:
  LastResortProvider(ProviderPtr inner, std::string looked_at)
      : inner_(std::move(inner)), looked_at_(std::move(looked_at)) {}
  Result<aws::AwsCredentials> Fetch() override {
    Result<aws::AwsCredentials> fetched = inner_->Fetch();
    if (fetched.ok()) return fetched;
    return Status(
        ErrorCode::kMissingAuthenticationToken,
        "no AWS credentials found: looked at " + looked_at_ + " and " + fetched.status().message());
  }

 private:
  const ProviderPtr inner_;
  const std::string looked_at_;
};

// The default chain for one lookup: the environment and files as read once,
// and the profiles visited while following source_profile.
class Chain {
 public:
  Chain(const AwsConfigRequest& request, const ConfigSources& sources,
        const ProviderContext& context, SharedFiles files, Profile profile)
      : request_(request),
        sources_(sources),
        context_(context),
        files_(std::move(files)),
        profile_(std::move(profile)) {}

  Result<ProviderPtr> Resolve() {
    if (Status exists = CheckProfileExists(files_, profile_); !exists.ok()) return exists;
    const bool use_env = !request_.profile;
    if (use_env) {
      Result<MaybeProvider> env = Environment();
      if (!env.ok() || *env) return Unwrap(std::move(env));
    }
    std::vector<std::string> visited = {profile_.name};
    Result<MaybeProvider> role = AssumeRole(profile_.name, visited);
    if (!role.ok() || *role) return Unwrap(std::move(role));
    Result<MaybeProvider> from_profile = ProfileProviders(profile_.name, use_env);
    if (!from_profile.ok() || *from_profile) return Unwrap(std::move(from_profile));
    Result<MaybeProvider> container = Container();
    if (!container.ok() || *container) return Unwrap(std::move(container));
    const std::string looked_at =
        "explicit credentials, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" +
        std::string(use_env ? "" : " (skipped: a profile was named)") + ", " +
        CredentialsWhere(profile_.name) + " and " + ConfigWhere(profile_.name) +
        " (role_arn, web_identity_token_file, credential_process, static keys)" +
        std::string(use_env ? ", AWS_WEB_IDENTITY_TOKEN_FILE" : "") +
        ", AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI";
    if (ImdsDisabled()) {
      return Status(ErrorCode::kMissingAuthenticationToken,
                    "no AWS credentials found: looked at " + looked_at +
                        " (EC2 instance metadata is disabled by AWS_EC2_METADATA_DISABLED)");
    }
    Result<ProviderPtr> imds = InstanceMetadata(profile_.name);
    if (!imds.ok()) return imds.status();
    return ProviderPtr(std::make_shared<LastResortProvider>(std::move(imds).value(), looked_at));
  }

 private:
  static Result<ProviderPtr> Unwrap(Result<MaybeProvider> found) {
    if (!found.ok()) return found.status();
    return **found;
  }

  std::string CredentialsWhere(const std::string& name) const {
    return files_.credentials_path + " [" + name + "]";
  }
  std::string ConfigWhere(const std::string& name) const {
    return files_.config_path + " profile '" + name + "'";
  }

  // A profile key, the credentials file winning over the config file.
  std::optional<std::string> Get(const std::string& name, std::string_view key) const {
    const Profile profile{name};
    if (std::optional<std::string> value = Lookup(CredentialsSection(files_, profile), key)) {
      return value;
    }
    return Lookup(ConfigSection(files_, profile), key);
  }

  bool Exists(const std::string& name) const {
    const Profile profile{name};
    return CredentialsSection(files_, profile) != nullptr ||
           ConfigSection(files_, profile) != nullptr;
  }

  bool HasStaticKeys(const std::string& name) const {
    return Get(name, "aws_access_key_id") || Get(name, "aws_secret_access_key");
  }

  bool HasAssumeRole(const std::string& name) const {
    return Get(name, "role_arn") && !Get(name, "web_identity_token_file");
  }

  // Step 1.
  Result<MaybeProvider> Environment() const {
    std::optional<std::string> token = sources_.Get("AWS_SESSION_TOKEN");
    if (!token) token = sources_.Get("AWS_SECURITY_TOKEN");
    Result<std::optional<aws::AwsCredentials>> env =
        FromParts(sources_.Get("AWS_ACCESS_KEY_ID"), sources_.Get("AWS_SECRET_ACCESS_KEY"), token,
                  "the environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    if (!env.ok()) return env.status();
    if (!*env) return MaybeProvider();
    return MaybeProvider(Static(**env));
  }

  // Step 2 for profile `name`; `visited` lists the profiles followed so far.
  Result<MaybeProvider> AssumeRole(const std::string& name, std::vector<std::string>& visited) {
    if (!HasAssumeRole(name)) return MaybeProvider();
    const std::string where = "AWS profile '" + name + "'";
    if (Get(name, "mfa_serial")) {
      return BadConfig(where +
                       " sets mfa_serial: assuming a role with MFA is not supported "
                       "(sqsim cannot prompt for a token code)");
    }
    AssumeRoleParams params{.role_arn = *Get(name, "role_arn"),
                            .role_session_name = Get(name, "role_session_name"),
                            .external_id = Get(name, "external_id")};
    if (std::optional<std::string> duration = Get(name, "duration_seconds")) {
      int seconds = 0;
      auto [end, ec] =
          std::from_chars(duration->data(), duration->data() + duration->size(), seconds);
      if (ec != std::errc() || end != duration->data() + duration->size() || seconds <= 0) {
        return BadConfig(where + ": duration_seconds '" + *duration +
                         "' is not a positive number of seconds");
      }
      params.duration_seconds = seconds;
    }
    const std::optional<std::string> source_profile = Get(name, "source_profile");
    const std::optional<std::string> credential_source = Get(name, "credential_source");
    if (source_profile && credential_source) {
      return BadConfig(where + " sets both source_profile and credential_source");
    }
    if (!source_profile && !credential_source) {
      return BadConfig(where + " sets role_arn but neither source_profile nor credential_source");
    }
    Result<ProviderPtr> source = credential_source
                                     ? FromCredentialSource(*credential_source, where)
                                     : FromSourceProfile(name, *source_profile, visited);
    if (!source.ok()) return source.status();
    Result<StsEndpoint> sts = Sts();
    if (!sts.ok()) return sts.status();
    return MaybeProvider(NewAssumeRoleProvider(std::move(params), std::move(source).value(),
                                               std::move(sts).value(), context_));
  }

  Result<ProviderPtr> FromSourceProfile(const std::string& parent, const std::string& source,
                                        std::vector<std::string>& visited) {
    if (!Exists(source)) {
      return BadConfig("the source_profile '" + source + "' of AWS profile '" + parent +
                       "' does not exist");
    }
    if (std::find(visited.begin(), visited.end(), source) != visited.end() &&
        (source != parent || !HasStaticKeys(source))) {
      std::string path;
      for (const std::string& name : visited) path += name + " -> ";
      return BadConfig("AWS profiles form a source_profile cycle: " + path + source);
    }
    visited.push_back(source);
    if (HasStaticKeys(source) || !HasAssumeRole(source)) {
      Result<MaybeProvider> found = ProfileProviders(source, /*use_env=*/false);
      if (!found.ok()) return found.status();
      if (!*found) {
        return BadConfig("the source_profile '" + source + "' of AWS profile '" + parent +
                         "' has no credentials");
      }
      return **found;
    }
    Result<MaybeProvider> role = AssumeRole(source, visited);
    if (!role.ok()) return role.status();
    return **role;
  }

  Result<ProviderPtr> FromCredentialSource(const std::string& source, const std::string& where) {
    Result<MaybeProvider> found = MaybeProvider();
    if (source == "Environment") {
      found = Environment();
    } else if (source == "EcsContainer") {
      found = Container();
    } else if (source == "Ec2InstanceMetadata") {
      if (ImdsDisabled()) {
        return BadConfig(where +
                         " has credential_source Ec2InstanceMetadata, but "
                         "AWS_EC2_METADATA_DISABLED is true");
      }
      Result<ProviderPtr> imds = InstanceMetadata(profile_.name);
      if (!imds.ok()) return imds.status();
      return imds;
    } else {
      return BadConfig(where + ": credential_source '" + source +
                       "' is not one of Environment, Ec2InstanceMetadata, EcsContainer");
    }
    if (!found.ok()) return found.status();
    if (!*found) {
      return BadConfig(where + ": its credential_source " + source + " has no credentials");
    }
    return **found;
  }

  // Steps 3-6 for profile `name`.
  Result<MaybeProvider> ProfileProviders(const std::string& name, bool use_env) {
    Result<MaybeProvider> web = WebIdentity(name, use_env);
    if (!web.ok() || *web) return web;
    for (std::string_view key : {"sso_session", "sso_start_url"}) {
      if (Get(name, key)) {
        return BadConfig("AWS profile '" + name + "' sets " + std::string(key) +
                         ": SSO is a credential provider sqsim does not support");
      }
    }
    const Profile profile{name};
    Result<std::optional<aws::AwsCredentials>> from_credentials =
        FromSection(CredentialsSection(files_, profile), CredentialsWhere(name));
    if (!from_credentials.ok()) return from_credentials.status();
    if (*from_credentials) return MaybeProvider(Static(**from_credentials));
    if (std::optional<std::string> command = Get(name, "credential_process")) {
      return MaybeProvider(NewProcessProvider(*command));
    }
    Result<std::optional<aws::AwsCredentials>> from_config =
        FromSection(ConfigSection(files_, profile), ConfigWhere(name));
    if (!from_config.ok()) return from_config.status();
    if (*from_config) return MaybeProvider(Static(**from_config));
    return MaybeProvider();
  }

  // Step 3: each setting from the environment (when `use_env`), else from
  // the profile, as botocore reads them.
  Result<MaybeProvider> WebIdentity(const std::string& name, bool use_env) {
    auto setting = [&](std::string_view env, std::string_view key) {
      std::optional<std::string> value = use_env ? sources_.Get(env) : std::nullopt;
      return value ? value : Get(name, key);
    };
    std::optional<std::string> token_file =
        setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!token_file) return MaybeProvider();
    std::optional<std::string> role_arn = setting("AWS_ROLE_ARN", "role_arn");
    if (!role_arn) {
      return BadConfig("web identity token file '" + *token_file +
                       "' is configured but no role: set AWS_ROLE_ARN or role_arn in AWS "
                       "profile '" +
                       name + "'");
    }
    Result<StsEndpoint> sts = Sts();
    if (!sts.ok()) return sts.status();
    return MaybeProvider(NewWebIdentityProvider(
        {.token_file = *token_file,
         .role_arn = *role_arn,
         .role_session_name = setting("AWS_ROLE_SESSION_NAME", "role_session_name")},
        std::move(sts).value(), context_));
  }

  // Step 7: environment only, as in botocore.
  Result<MaybeProvider> Container() const {
    ContainerParams params{
        .authorization_token_file = sources_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"),
        .authorization_token = sources_.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN")};
    if (std::optional<std::string> relative =
            sources_.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      params.url = std::string(kEcsContainerHost) + *relative;
    } else if (std::optional<std::string> full =
                   sources_.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      params.url = *full;
    } else {
      return MaybeProvider();
    }
    Result<ProviderPtr> provider = NewContainerProvider(std::move(params), context_);
    if (!provider.ok()) return provider.status();
    return MaybeProvider(std::move(provider).value());
  }

  bool ImdsDisabled() const { return IsTrue(sources_.Get("AWS_EC2_METADATA_DISABLED")); }

  // Step 8, configured from the environment and profile `name`.
  Result<ProviderPtr> InstanceMetadata(const std::string& name) const {
    auto setting = [&](std::string_view env, std::string_view key) {
      std::optional<std::string> value = sources_.Get(env);
      return value ? value : Get(name, key);
    };
    InstanceMetadataParams params{
        .v1_disabled = IsTrue(setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"))};
    std::optional<std::string> mode =
        setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode");
    if (std::optional<std::string> endpoint =
            setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")) {
      params.endpoint = *endpoint;
    } else if (mode && (*mode == "IPv6" || *mode == "ipv6")) {
      params.endpoint = "http://[fd00:ec2::254]";
    }
    return NewInstanceMetadataProvider(std::move(params), context_);
  }

  // The STS endpoint for the roles, resolved when first needed.
  Result<StsEndpoint> Sts() {
    if (!sts_) {
      Result<std::string> region = ResolveRegion(request_, sources_);
      const std::optional<std::string> known =
          region.ok() ? std::optional<std::string>(*region) : std::nullopt;
      std::optional<std::string> url = ConfiguredEndpoint(files_, profile_, sources_, "sts");
      sts_.emplace(url ? StsEndpointFromUrl(*url, known) : DefaultStsEndpoint(known));
    }
    return *sts_;
  }

  const AwsConfigRequest& request_;
  const ConfigSources& sources_;
  const ProviderContext& context_;
  const SharedFiles files_;
  const Profile profile_;
  std::optional<Result<StsEndpoint>> sts_;
};

}  // namespace

std::optional<std::string> ConfigSources::Get(std::string_view name) const {
  std::optional<std::string> value;
  if (getenv) {
    value = getenv(name);
  } else if (const char* raw = std::getenv(std::string(name).c_str())) {
    value = raw;
  }
  if (value && value->empty()) return std::nullopt;
  return value;
}

Result<std::shared_ptr<aws::CredentialsProvider>> ResolveCredentialsProvider(
    const AwsConfigRequest& request, const ConfigSources& sources, const ProviderContext& context) {
  if (request.credentials && request.credentials_provider) {
    return BadConfig("pass either explicit AWS credentials or a credentials provider, not both");
  }
  if (request.credentials_provider) return request.credentials_provider;
  if (request.credentials) {
    if (request.credentials->access_key_id.empty() ||
        request.credentials->secret_access_key.empty()) {
      return BadConfig(
          "explicit AWS credentials need both an access key id and a secret access key");
    }
    return Static(*request.credentials);
  }
  Result<SharedFiles> files = ReadSharedFiles(sources);
  if (!files.ok()) return files.status();
  return Chain(request, sources, context, std::move(files).value(), ChooseProfile(request, sources))
      .Resolve();
}

Result<aws::AwsCredentials> ResolveCredentials(const AwsConfigRequest& request,
                                               const ConfigSources& sources,
                                               const ProviderContext& context) {
  Result<std::shared_ptr<aws::CredentialsProvider>> provider =
      ResolveCredentialsProvider(request, sources, context);
  if (!provider.ok()) return provider.status();
  return (*provider)->Fetch();
}

Result<std::string> ResolveRegion(const AwsConfigRequest& request, const ConfigSources& sources) {
  if (request.region && !request.region->empty()) return *request.region;
  if (std::optional<std::string> env = sources.Get("AWS_REGION")) return *env;
  if (std::optional<std::string> env = sources.Get("AWS_DEFAULT_REGION")) return *env;
  Result<SharedFiles> files = ReadSharedFiles(sources);
  if (!files.ok()) return files.status();
  const Profile profile = ChooseProfile(request, sources);
  if (Status exists = CheckProfileExists(*files, profile); !exists.ok()) return exists;
  if (std::optional<std::string> region = Lookup(ConfigSection(*files, profile), "region")) {
    return *region;
  }
  return Status(ErrorCode::kMissingParameter,
                "no AWS region found: looked at the region option, AWS_REGION, "
                "AWS_DEFAULT_REGION and 'region' in " +
                    files->config_path + " profile '" + profile.name + "'");
}

Result<std::optional<std::string>> ResolveEndpointUrl(const AwsConfigRequest& request,
                                                      const ConfigSources& sources) {
  using Url = std::optional<std::string>;
  if (request.endpoint_url && !request.endpoint_url->empty()) return Url(*request.endpoint_url);
  Result<SharedFiles> files = ReadSharedFiles(sources);
  if (!files.ok()) return files.status();
  const Profile profile = ChooseProfile(request, sources);
  if (Status exists = CheckProfileExists(*files, profile); !exists.ok()) return exists;
  return ConfiguredEndpoint(*files, profile, sources, request.service);
}

Result<AwsConfig> ResolveAwsConfig(const AwsConfigRequest& request, const ConfigSources& sources,
                                   const ProviderContext& context) {
  Result<std::shared_ptr<aws::CredentialsProvider>> provider =
      ResolveCredentialsProvider(request, sources, context);
  if (!provider.ok()) return provider.status();
  Result<std::string> region = ResolveRegion(request, sources);
  if (!region.ok()) return region.status();
  Result<std::optional<std::string>> endpoint = ResolveEndpointUrl(request, sources);
  if (!endpoint.ok()) return endpoint.status();
  // Last: the only step that may touch the network or run a process.
  Result<aws::AwsCredentials> credentials = (*provider)->Fetch();
  if (!credentials.ok()) return credentials.status();
  return AwsConfig{.credentials = std::move(credentials).value(),
                   .credentials_provider = std::move(provider).value(),
                   .region = std::move(region).value(),
                   .endpoint_url = std::move(endpoint).value()};
}

}  // namespace sqsim::internal
