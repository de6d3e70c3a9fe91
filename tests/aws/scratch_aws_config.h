// A scratch directory holding the shared AWS config files, and an
// environment that points at them (with instance metadata off, so that no
// test reaches for 169.254.169.254), for the credential provider tests.

#ifndef SQSIM_TESTS_AWS_SCRATCH_AWS_CONFIG_H_
#define SQSIM_TESTS_AWS_SCRATCH_AWS_CONFIG_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"

namespace sqsim::internal::test {

class ScratchAwsConfig {
 protected:
  // `prefix` names the directory, followed by the running test's name.
  explicit ScratchAwsConfig(const std::string& prefix) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) / (prefix + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    env_ = {{"AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").string()},
            {"AWS_CONFIG_FILE", (dir_ / "config").string()},
            {"AWS_EC2_METADATA_DISABLED", "true"}};
  }
  ~ScratchAwsConfig() { std::filesystem::remove_all(dir_); }

  // Writes `text` to file `name` in the directory; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    const std::filesystem::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  // The environment `env_` and the directory as home.
  ConfigSources Sources() const {
    return ConfigSources{
        .getenv = [env = env_](std::string_view name) -> std::optional<std::string> {
          auto it = env.find(std::string(name));
          if (it == env.end()) return std::nullopt;
          return it->second;
        },
        .home_dir = dir_.string()};
  }

  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
};

}  // namespace sqsim::internal::test

#endif  // SQSIM_TESTS_AWS_SCRATCH_AWS_CONFIG_H_
