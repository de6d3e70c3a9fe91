// SnsAwsClient: sns::Client over real Amazon SNS (or any SNS endpoint:
// sqsim-server, moto_server), so publisher code written against sns::Client
// runs on the simulator and on AWS alike.
//
//   auto sns = sqsim::aws::SnsAwsClient::Create({.region = "eu-west-1"}).value();
//   auto topic = sns->CreateTopic({.name = "student-enrolled"})->topic_arn;
//   sns->Publish({.topic_arn = topic, .message = R"({"student":7})"});
//
// It is AwsClient's machinery speaking SNS's query protocol (form-encoded
// requests, XML responses; API 2010-03-31) signed with SigV4 for service
// "sns": the same AwsClientOptions, the same credential chain and region
// lookup, the same transport, timeouts, retries (botocore's standard mode)
// and threads (see sqsim/aws/aws_client.h). The endpoint comes from
// `AwsClientOptions::endpoint_url`, AWS_ENDPOINT_URL_SNS, the profile's
// `sns` services entry, AWS_ENDPOINT_URL, the profile's endpoint_url, and
// otherwise https://sns.<region>.amazonaws.com (with the partition's DNS
// suffix). `verify_md5` does not apply: SNS returns no digests.
//
// Errors carry SNS's codes (sns::SnsErrorCode spells them): NotFound (404),
// InvalidParameter (400), AuthorizationError (403), ...; an SNS code sqsim
// does not know arrives as kUnknownError with the code in its message.
//
// Thread safety: as AwsClient.

#ifndef SQSIM_AWS_SNS_CLIENT_H_
#define SQSIM_AWS_SNS_CLIENT_H_

#include <memory>
#include <string>

#include "sqsim/aws/aws_client.h"
#include "sqsim/sns/client.h"

namespace sqsim::aws {

class SnsAwsClient final : public sns::Client {
 public:
  // As AwsClient::Create, for SNS's endpoint.
  static Result<std::unique_ptr<SnsAwsClient>> Create(AwsClientOptions options = {});

  // Waits for calls in flight, then stops the I/O thread.
  ~SnsAwsClient() override;
  SnsAwsClient(const SnsAwsClient&) = delete;
  SnsAwsClient& operator=(const SnsAwsClient&) = delete;

  const std::string& region() const;
  // The resolved endpoint, e.g. "https://sns.eu-west-1.amazonaws.com".
  const std::string& endpoint_url() const;

#define SQSIM_SNS_AWS_CLIENT_DECLARE(Name)                                                    \
  Result<sns::Name##Response> Name(const sns::Name##Request& request) override;               \
  boost::asio::awaitable<Result<sns::Name##Response>> Async##Name(sns::Name##Request request) \
      override;
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_AWS_CLIENT_DECLARE)
#undef SQSIM_SNS_AWS_CLIENT_DECLARE

 private:
  explicit SnsAwsClient(std::unique_ptr<AwsClientImpl> impl);
  std::unique_ptr<AwsClientImpl> impl_;
};

}  // namespace sqsim::aws

#endif  // SQSIM_AWS_SNS_CLIENT_H_
