#include "aws/credentials.h"

#include <array>
#include <cctype>
#include <cstdlib>
#include <utility>

#include "aws/ini_file.h"

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

// Names the first provider the profile asks for that sqsim lacks, if any.
std::optional<std::string> UnsupportedProvider(const IniFile::Section* section) {
  static constexpr std::array<std::string_view, 5> kKeys = {
      "credential_process", "sso_session", "sso_start_url", "role_arn", "web_identity_token_file"};
  for (std::string_view key : kKeys) {
    if (Lookup(section, key)) return std::string(key);
  }
  return std::nullopt;
}

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower = *value;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true";
}

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

Result<aws::AwsCredentials> ResolveCredentials(const AwsConfigRequest& request,
                                               const ConfigSources& sources) {
  if (request.credentials) {
    if (request.credentials->access_key_id.empty() ||
        request.credentials->secret_access_key.empty()) {
      return Status(ErrorCode::kInvalidParameterValue,
                    "explicit AWS credentials need both an access key id and a secret access key");
    }
    return *request.credentials;
  }
  const Profile profile = ChooseProfile(request, sources);
  if (!request.profile) {
    std::optional<std::string> token = sources.Get("AWS_SESSION_TOKEN");
    if (!token) token = sources.Get("AWS_SECURITY_TOKEN");
    Result<std::optional<aws::AwsCredentials>> env =
        FromParts(sources.Get("AWS_ACCESS_KEY_ID"), sources.Get("AWS_SECRET_ACCESS_KEY"), token,
                  "the environment", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    if (!env.ok()) return env.status();
    if (*env) return **env;
  }
  Result<SharedFiles> files = ReadSharedFiles(sources);
  if (!files.ok()) return files.status();
  if (Status exists = CheckProfileExists(*files, profile); !exists.ok()) return exists;

  const IniFile::Section* sections[] = {CredentialsSection(*files, profile),
                                        ConfigSection(*files, profile)};
  const std::string where[] = {files->credentials_path + " [" + profile.name + "]",
                               files->config_path + " profile '" + profile.name + "'"};
  for (int i = 0; i < 2; ++i) {
    Result<std::optional<aws::AwsCredentials>> found = FromSection(sections[i], where[i]);
    if (!found.ok()) return found.status();
    if (*found) return **found;
  }
  for (int i = 0; i < 2; ++i) {
    if (std::optional<std::string> provider = UnsupportedProvider(sections[i])) {
      return Status(ErrorCode::kInvalidParameterValue,
                    where[i] + " sets " + *provider +
                        ", a credential provider sqsim does not support; use static keys");
    }
  }
  return Status(ErrorCode::kMissingAuthenticationToken,
                "no AWS credentials found: looked at explicit credentials, "
                "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY" +
                    std::string(request.profile ? " (skipped: a profile was named)" : "") + ", " +
                    where[0] + " and " + where[1]);
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
  const IniFile::Section* section = ConfigSection(*files, profile);
  if (IsTrue(sources.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
      IsTrue(Lookup(section, "ignore_configured_endpoint_urls"))) {
    return Url();
  }
  if (Url env = sources.Get("AWS_ENDPOINT_URL_SQS")) return env;
  if (Url services = Lookup(section, "services"); services && files->config) {
    if (Url sqs = Lookup(files->config->Find("services " + *services), "sqs")) {
      IniFile::Section nested = ParseNestedIniValue(*sqs);
      if (Url url = Lookup(&nested, "endpoint_url")) return url;
    }
  }
  if (Url env = sources.Get("AWS_ENDPOINT_URL")) return env;
  return Lookup(section, "endpoint_url");
}

Result<AwsConfig> ResolveAwsConfig(const AwsConfigRequest& request, const ConfigSources& sources) {
  Result<aws::AwsCredentials> credentials = ResolveCredentials(request, sources);
  if (!credentials.ok()) return credentials.status();
  Result<std::string> region = ResolveRegion(request, sources);
  if (!region.ok()) return region.status();
  Result<std::optional<std::string>> endpoint = ResolveEndpointUrl(request, sources);
  if (!endpoint.ok()) return endpoint.status();
  return AwsConfig{.credentials = std::move(credentials).value(),
                   .region = std::move(region).value(),
                   .endpoint_url = std::move(endpoint).value()};
}

}  // namespace sqsim::internal
