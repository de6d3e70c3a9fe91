#include "aws/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "aws/ini_file.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::internal {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::IsOkAndHolds;
using ::sqsim::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;

// A fake home directory and environment per test.
class CredentialsTest : public ::testing::Test {
 protected:
  CredentialsTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    home_ = std::filesystem::path(::testing::TempDir()) /
            (std::string("sqsim_credentials_") + info->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_ / ".aws");
  }
  ~CredentialsTest() override { std::filesystem::remove_all(home_); }

  void Write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  void WriteCredentials(const std::string& text) { Write(home_ / ".aws" / "credentials", text); }
  void WriteConfig(const std::string& text) { Write(home_ / ".aws" / "config", text); }

  ConfigSources Sources() const {
    return ConfigSources{
        .getenv = [env = env_](std::string_view name) -> std::optional<std::string> {
          auto it = env.find(std::string(name));
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        .home_dir = home_.string()};
  }

  Result<aws::AwsCredentials> Credentials(const AwsConfigRequest& request = {}) const {
    return ResolveCredentials(request, Sources());
  }

  std::filesystem::path home_;
  std::map<std::string, std::string> env_;
};

aws::AwsCredentials Keys(std::string id, std::string secret,
                         std::optional<std::string> token = std::nullopt) {
  return {.access_key_id = std::move(id),
          .secret_access_key = std::move(secret),
          .session_token = std::move(token)};
}

TEST_F(CredentialsTest, ExplicitCredentialsWin) {
  env_ = {{"AWS_ACCESS_KEY_ID", "ENV"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}};
  EXPECT_THAT(Credentials({.credentials = Keys("EXPLICIT", "s")}),
              IsOkAndHolds(Keys("EXPLICIT", "s")));
}

TEST_F(CredentialsTest, EmptyExplicitCredentialsAreInvalid) {
  EXPECT_THAT(Credentials({.credentials = Keys("", "s")}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(CredentialsTest, EnvironmentBeatsSharedFiles) {
  WriteCredentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = file-secret\n");
  env_ = {{"AWS_ACCESS_KEY_ID", "ENV"},
          {"AWS_SECRET_ACCESS_KEY", "env-secret"},
          {"AWS_SESSION_TOKEN", "env-token"}};
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("ENV", "env-secret", "env-token")));
}

TEST_F(CredentialsTest, HalfAKeyPairInTheEnvironmentIsAnError) {
  env_ = {{"AWS_ACCESS_KEY_ID", "ENV"}};
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kInvalidParameterValue,
                                      HasSubstr("AWS_SECRET_ACCESS_KEY is missing")));
}

TEST_F(CredentialsTest, EmptyEnvironmentVariablesCountAsUnset) {
  env_ = {{"AWS_ACCESS_KEY_ID", ""}, {"AWS_SECRET_ACCESS_KEY", ""}};
  WriteCredentials("[default]\naws_access_key_id = FILE\naws_secret_access_key = s\n");
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("FILE", "s")));
}

TEST_F(CredentialsTest, NamedProfileSkipsTheEnvironment) {
  env_ = {{"AWS_ACCESS_KEY_ID", "ENV"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}};
  WriteCredentials("[dev]\naws_access_key_id = DEV\naws_secret_access_key = dev-secret\n");
  EXPECT_THAT(Credentials({.profile = "dev"}), IsOkAndHolds(Keys("DEV", "dev-secret")));
}

TEST_F(CredentialsTest, SharedCredentialsFileDefaultProfile) {
  WriteCredentials(
      "# comment\n[default]\naws_access_key_id=AKID\naws_secret_access_key = secret\n"
      "aws_session_token = token\n\n[other]\naws_access_key_id = X\naws_secret_access_key = Y\n");
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("AKID", "secret", "token")));
}

TEST_F(CredentialsTest, AwsProfileSelectsTheProfile) {
  env_ = {{"AWS_PROFILE", "other"}};
  WriteCredentials(
      "[default]\naws_access_key_id = D\naws_secret_access_key = d\n"
      "[other]\naws_access_key_id = O\naws_secret_access_key = o\n");
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("O", "o")));
}

TEST_F(CredentialsTest, ConfigFileProfileSectionsHaveAPrefix) {
  WriteConfig(
      "[default]\naws_access_key_id = D\naws_secret_access_key = d\n"
      "[profile  ci]\naws_access_key_id = CI\naws_secret_access_key = ci\n"
      "[ci]\naws_access_key_id = WRONG\naws_secret_access_key = wrong\n");
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("D", "d")));
  EXPECT_THAT(Credentials({.profile = "ci"}), IsOkAndHolds(Keys("CI", "ci")));
}

TEST_F(CredentialsTest, CredentialsFileBeatsConfigFile) {
  WriteCredentials("[default]\naws_access_key_id = CRED\naws_secret_access_key = c\n");
  WriteConfig("[default]\naws_access_key_id = CONF\naws_secret_access_key = c\n");
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("CRED", "c")));
}

TEST_F(CredentialsTest, FileLocationsFollowTheEnvironment) {
  const std::filesystem::path elsewhere = home_ / "elsewhere" / "creds";
  Write(elsewhere, "[default]\naws_access_key_id = MOVED\naws_secret_access_key = m\n");
  WriteCredentials("[default]\naws_access_key_id = HOME\naws_secret_access_key = h\n");
  env_ = {{"AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds"}};
  EXPECT_THAT(Credentials(), IsOkAndHolds(Keys("MOVED", "m")));
}

TEST_F(CredentialsTest, MissingNamedProfileIsAnError) {
  WriteCredentials("[default]\naws_access_key_id = D\naws_secret_access_key = d\n");
  EXPECT_THAT(Credentials({.profile = "nope"}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("'nope' not found")));
}

TEST_F(CredentialsTest, SsoIsAnUnsupportedProviderAndIsNamed) {
  WriteConfig("[profile sso]\nsso_session = corp\nregion = eu-west-1\n");
  EXPECT_THAT(Credentials({.profile = "sso"}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("sso_session")));
}

TEST_F(CredentialsTest, NoCredentialsSaysWhereItLooked) {
  env_ = {{"AWS_EC2_METADATA_DISABLED", "true"}};  // the last resort, off: no network
  EXPECT_THAT(Credentials(), StatusIs(ErrorCode::kMissingAuthenticationToken,
                                      AllOf(HasSubstr("AWS_ACCESS_KEY_ID"),
                                            HasSubstr((home_ / ".aws" / "credentials").string()),
                                            HasSubstr((home_ / ".aws" / "config").string()))));
}

TEST_F(CredentialsTest, MalformedFileNamesFileAndLine) {
  WriteCredentials("[default]\naws_access_key_id AKID\n");
  EXPECT_THAT(Credentials(),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("credentials line 2")));
}

TEST_F(CredentialsTest, RegionOptionThenAwsRegionThenDefaultRegionThenConfig) {
  WriteConfig("[default]\nregion = from-config\n");
  EXPECT_THAT(ResolveRegion({}, Sources()), IsOkAndHolds(Eq("from-config")));
  env_["AWS_DEFAULT_REGION"] = "from-default-region";
  EXPECT_THAT(ResolveRegion({}, Sources()), IsOkAndHolds(Eq("from-default-region")));
  env_["AWS_REGION"] = "from-aws-region";
  EXPECT_THAT(ResolveRegion({}, Sources()), IsOkAndHolds(Eq("from-aws-region")));
  EXPECT_THAT(ResolveRegion({.region = "from-option"}, Sources()), IsOkAndHolds(Eq("from-option")));
}

TEST_F(CredentialsTest, RegionComesFromTheChosenProfile) {
  WriteConfig("[default]\nregion = us-east-1\n[profile eu]\nregion = eu-west-1\n");
  env_ = {{"AWS_PROFILE", "eu"}};
  EXPECT_THAT(ResolveRegion({}, Sources()), IsOkAndHolds(Eq("eu-west-1")));
}

TEST_F(CredentialsTest, NoRegionIsMissingParameter) {
  EXPECT_THAT(ResolveRegion({}, Sources()),
              StatusIs(ErrorCode::kMissingParameter, HasSubstr("AWS_DEFAULT_REGION")));
}

TEST_F(CredentialsTest, NoEndpointConfiguredIsNotAnError) {
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Eq(std::nullopt)));
}

TEST_F(CredentialsTest, EndpointPrecedenceFollowsTheSdks) {
  WriteConfig(
      "[default]\nendpoint_url = http://profile\nservices = local\n"
      "[services local]\nsqs =\n  endpoint_url = http://services-sqs\n");
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Optional(Eq("http://services-sqs"))));
  env_["AWS_ENDPOINT_URL"] = "http://env-global";
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Optional(Eq("http://services-sqs"))));
  env_["AWS_ENDPOINT_URL_SQS"] = "http://env-sqs";
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Optional(Eq("http://env-sqs"))));
  EXPECT_THAT(ResolveEndpointUrl({.endpoint_url = "http://option"}, Sources()),
              IsOkAndHolds(Optional(Eq("http://option"))));
}

TEST_F(CredentialsTest, GlobalEndpointBeatsProfileEndpoint) {
  WriteConfig("[default]\nendpoint_url = http://profile\n");
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Optional(Eq("http://profile"))));
  env_["AWS_ENDPOINT_URL"] = "http://env-global";
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Optional(Eq("http://env-global"))));
}

TEST_F(CredentialsTest, IgnoreConfiguredEndpointUrlsDropsAllButTheOption) {
  WriteConfig("[default]\nendpoint_url = http://profile\n");
  env_ = {{"AWS_ENDPOINT_URL_SQS", "http://env-sqs"},
          {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}};
  EXPECT_THAT(ResolveEndpointUrl({}, Sources()), IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(ResolveEndpointUrl({.endpoint_url = "http://option"}, Sources()),
              IsOkAndHolds(Optional(Eq("http://option"))));
}

TEST_F(CredentialsTest, ResolveAwsConfigCombinesAllThree) {
  env_ = {{"AWS_ACCESS_KEY_ID", "A"},
          {"AWS_SECRET_ACCESS_KEY", "S"},
          {"AWS_REGION", "eu-central-1"},
          {"AWS_ENDPOINT_URL_SQS", "http://localhost:9324"}};
  Result<AwsConfig> config = ResolveAwsConfig({}, Sources());
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->credentials, Keys("A", "S"));
  EXPECT_EQ(config->region, "eu-central-1");
  EXPECT_EQ(config->endpoint_url, "http://localhost:9324");
}

TEST_F(CredentialsTest, ResolveAwsConfigReportsMissingRegion) {
  env_ = {{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SECRET_ACCESS_KEY", "S"}};
  EXPECT_THAT(ResolveAwsConfig({}, Sources()), StatusIs(ErrorCode::kMissingParameter));
}

TEST(IniFile, ParsesSectionsKeysAndContinuations) {
  Result<IniFile> ini = ParseIni(
      "; comment\n[ a ]\nKey = value # not a comment\nother: x = y\n"
      "[services s]\nsqs =\n  endpoint_url = http://e\n  other = 1\nafter = z\n",
      "test");
  ASSERT_THAT(ini, IsOk());
  ASSERT_NE(ini->Find("a"), nullptr);
  EXPECT_EQ(ini->Find("a")->at("key"), "value # not a comment");
  EXPECT_EQ(ini->Find("a")->at("other"), "x = y");
  const IniFile::Section* services = ini->Find("services s");
  ASSERT_NE(services, nullptr);
  EXPECT_EQ(services->at("sqs"), "\nendpoint_url = http://e\nother = 1");
  EXPECT_EQ(services->at("after"), "z");
  EXPECT_EQ(ParseNestedIniValue(services->at("sqs")).at("endpoint_url"), "http://e");
}

TEST(IniFile, KeyBeforeSectionIsAnError) {
  EXPECT_THAT(ParseIni("key = value\n", "f"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("f line 1")));
}

TEST(IniFile, MissingFileIsEmptyNotAnError) {
  EXPECT_THAT(ReadIniFile("/nonexistent/sqsim/credentials"), IsOkAndHolds(Eq(std::nullopt)));
}

}  // namespace
}  // namespace sqsim::internal
