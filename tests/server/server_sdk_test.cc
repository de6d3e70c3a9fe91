// Real SDKs against sqsim-server: boto3 through every action, the aws CLI,
// and the sqsim-server program itself.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "server/server_test_util.h"

extern char** environ;

namespace sqsim::testing {
namespace {

constexpr char kAccessKey[] = "AKIDSQSIMTEST";
constexpr char kSecret[] = "sqsim-test-secret";

// Each test runs a group of boto3_suite.py checks in one Python process
// (start-up costs ~1 s) and reports every failing check by name.
class Boto3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    open_ = StartServer({.realism = false});
    signed_ = StartServer({.access_keys = {{kAccessKey, kSecret}}});
    ASSERT_NE(open_, nullptr);
    ASSERT_NE(signed_, nullptr);
  }

  void ExpectChecksPass(const std::vector<std::string>& checks) {
    std::string command = "python3 " + (ServerTestDir() / "boto3_suite.py").string() + " " +
                          open_->endpoint_url() + " " + signed_->endpoint_url() + " " + kAccessKey +
                          " " + kSecret;
    for (const std::string& check : checks) command += " " + check;
    auto [status, out] = RunCommand(command + " 2>&1");
    if (status == 3 || status == 127) GTEST_SKIP() << "boto3 is not importable: " << out;
    const size_t last = out.rfind("\n{");
    const nlohmann::json results = nlohmann::json::parse(
        last == std::string::npos ? out : out.substr(last + 1), nullptr, false);
    ASSERT_TRUE(results.is_object()) << "boto3_suite.py output:\n" << out;
    for (const std::string& check : checks) {
      ASSERT_TRUE(results.contains(check)) << "no check named " << check << "\n" << out;
      EXPECT_EQ(results[check], "ok") << check << ":\n" << results[check].get<std::string>();
    }
  }

  std::unique_ptr<http::Server> open_;
  std::unique_ptr<http::Server> signed_;
};

TEST_F(Boto3Test, QueueManagementActionsAndErrors) {
  ExpectChecksPass({"queue_lifecycle", "permissions_add_and_remove",
                    "purge_empties_queue_once_per_minute", "invalid_attribute_errors",
                    "nonexistent_queue_raises_modeled_exception"});
}

TEST_F(Boto3Test, MessageActionsAndBatchesWithVerifiedMd5s) {
  ExpectChecksPass({"send_receive_delete_with_verified_md5s",
                    "change_visibility_makes_message_visible_again",
                    "batches_report_entry_failures", "batch_request_errors"});
}

TEST_F(Boto3Test, LongPolling) {
  ExpectChecksPass({"long_poll_returns_message_sent_meanwhile", "long_poll_times_out_empty"});
}

TEST_F(Boto3Test, FifoAndDeadLetterRedrive) {
  ExpectChecksPass({"fifo_orders_and_deduplicates", "dead_letter_queue_and_redrive"});
}

TEST_F(Boto3Test, SigV4Verification) {
  ExpectChecksPass({"sigv4_accepts_configured_key", "sigv4_rejects_wrong_secret",
                    "sigv4_rejects_unknown_key", "sigv4_rejects_unsigned_request"});
}

// The aws CLI, with dummy credentials from the environment.
class AwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (RunCommand("aws --version >/dev/null 2>&1").first != 0) {
      GTEST_SKIP() << "the aws CLI is not on PATH";
    }
    server_ = StartServer({.realism = false});
    ASSERT_NE(server_, nullptr);
  }
  std::pair<int, std::string> Aws(const std::string& args) {
    return RunCommand(
        "AWS_ACCESS_KEY_ID=dummy AWS_SECRET_ACCESS_KEY=dummy AWS_DEFAULT_REGION=us-east-1 "
        "AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --output json "
        "--endpoint-url " +
        server_->endpoint_url() + " sqs " + args + " 2>&1");
  }
  std::unique_ptr<http::Server> server_;
};

TEST_F(AwsCliTest, CreateSendReceiveRoundTrip) {
  auto [created, url_json] = Aws("create-queue --queue-name cli");
  ASSERT_EQ(created, 0) << url_json;
  const std::string url = nlohmann::json::parse(url_json)["QueueUrl"];
  auto [sent, sent_out] = Aws("send-message --queue-url " + url + " --message-body from-cli");
  ASSERT_EQ(sent, 0) << sent_out;
  auto [received, got] = Aws("receive-message --queue-url " + url + " --wait-time-seconds 1");
  ASSERT_EQ(received, 0) << got;
  EXPECT_EQ(nlohmann::json::parse(got)["Messages"][0]["Body"], "from-cli");
}

TEST_F(AwsCliTest, MissingQueueExitsWithServiceError) {
  auto [status, out] = Aws("get-queue-url --queue-name missing");
  // A service error: 255 from aws CLI v1, 254 from v2.
  EXPECT_TRUE(status == 254 || status == 255) << status << ": " << out;
  EXPECT_NE(out.find("NonExistentQueue"), std::string::npos) << out;
}

#ifdef SQSIM_SERVER_BINARY
TEST(ServerProgramTest, HelpExitsZeroAndShowsExamples) {
  auto [status, out] = RunCommand(std::string(SQSIM_SERVER_BINARY) + " --help");
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("--time real|manual"), std::string::npos) << out;
  EXPECT_NE(out.find("/_sqsim/time/advance"), std::string::npos) << out;
}

TEST(ServerProgramTest, BadConfigExitsNonZeroWithMessage) {
  const std::filesystem::path config =
      std::filesystem::temp_directory_path() / "sqsim_server_bad_config.json";
  { std::ofstream(config) << R"({"queues":[{"name":"a","dead_letter_queue":"nowhere"}]})"; }
  auto [status, out] = RunCommand(std::string(SQSIM_SERVER_BINARY) + " --port 0 --config " +
                                  config.string() + " 2>&1");
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("nowhere"), std::string::npos) << out;
}

TEST(ServerProgramTest, PrintsUrlFirstServesConfigAndStopsOnSigterm) {
  const std::filesystem::path config =
      std::filesystem::temp_directory_path() / "sqsim_server_config.json";
  { std::ofstream(config) << R"({"queues":[{"name":"jobs"}]})"; }
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string config_path = config.string();
  const char* argv[] = {
      SQSIM_SERVER_BINARY, "--port", "0", "--quiet", "--time", "manual", "--config",
      config_path.c_str(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, SQSIM_SERVER_BINARY, &actions, nullptr,
                        const_cast<char* const*>(argv), environ),
            0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string url;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') url += c;
  close(out[0]);
  EXPECT_TRUE(url.starts_with("http://127.0.0.1:")) << url;
  if (url.starts_with("http://127.0.0.1:")) {
    const auto port = static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    TestConnection connection(port);
    std::optional<HttpReply> r = connection.Json("GetQueueUrl", {{"QueueName", "jobs"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->json()["QueueUrl"], url + "/000000000000/jobs");
  }
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}
#endif

}  // namespace
}  // namespace sqsim::testing
