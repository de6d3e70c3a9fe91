// IAM over the wire: sqsim-server maps access keys to principals, and boto3
// sees a denied call as SQS's AccessDenied (boto3_iam.py holds the checks).

#include <gtest/gtest.h>

#include "server/server_test_util.h"

namespace sqsim::testing {
namespace server_iam_test {

constexpr std::string_view kProducerPolicy = R"({"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
  "Resource": "arn:aws:sqs:us-east-1:000000000000:enrollment-events-queue"}]})";
constexpr std::string_view kConsumerPolicy = R"({"Version": "2012-10-17", "Statement": [{
  "Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
  "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
  "Resource": "arn:aws:sqs:us-east-1:000000000000:enrollment-events-queue"}]})";
const std::string kProducer = "arn:aws:iam::000000000000:role/EnrollmentServiceRole";
const std::string kConsumer = "arn:aws:iam::000000000000:role/NotificationServiceRole";

TEST(ServerIamTest, Boto3SeesAccessDeniedForWhatThePrincipalMayNotDo) {
  http::ServerOptions options{.realism = false};
  options.access_keys = {
      {"AKIDADMIN", "secret"}, {"AKIDPRODUCER", "secret"}, {"AKIDCONSUMER", "secret"}};
  options.access_key_principals = {{"AKIDPRODUCER", kProducer}, {"AKIDCONSUMER", kConsumer}};
  options.identity_policies = {{kProducer, {{"producer", std::string(kProducerPolicy)}}},
                               {kConsumer, {{"consumer", std::string(kConsumerPolicy)}}}};
  options.kms_keys = {{"alias/payments-key", ""}};
  std::unique_ptr<http::Server> server = StartServer(std::move(options));
  ASSERT_NE(server, nullptr);
  auto [status, out] = RunCommand("python3 " + (ServerTestDir() / "boto3_iam.py").string() + " " +
                                  server->endpoint_url() + " 2>&1");
  if (status == 3) GTEST_SKIP() << "boto3 is not importable: " << out;
  const size_t last = out.rfind("\n{");
  const nlohmann::json results =
      nlohmann::json::parse(last == std::string::npos ? out : out.substr(last + 1), nullptr, false);
  ASSERT_TRUE(results.is_object()) << "boto3_iam.py output:\n" << out;
  const std::vector<std::string> checks = {
      "producer_may_send",
      "producer_receive_is_access_denied_with_sqs_message",
      "consumer_may_receive_and_delete_but_not_send",
      "admin_key_without_principal_is_never_evaluated",
      "queue_policy_denying_plain_http_denies_principals",
      "sse_kms_queue_uses_the_configured_key_and_reports_kms_errors"};
  for (const std::string& check : checks) {
    ASSERT_TRUE(results.contains(check)) << "no check named " << check << "\n" << out;
    EXPECT_EQ(results[check], "ok") << check << ":\n" << results[check].get<std::string>();
  }
}

TEST(ServerIamTest, InvalidIdentityPolicyFailsAtStart) {
  http::ServerOptions options;
  options.port = 0;
  options.identity_policies = {{kProducer, {{"broken", R"({"Statement": 7})"}}}};
  Result<std::unique_ptr<http::Server>> server = http::Server::Create(std::move(options));
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), ErrorCode::kInvalidParameterValue);
  EXPECT_NE(server.status().message().find("identity policy 'broken' of " + kProducer),
            std::string::npos)
      << server.status().message();
}

}  // namespace server_iam_test
}  // namespace sqsim::testing
