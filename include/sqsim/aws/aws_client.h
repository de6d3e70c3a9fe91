// AwsClient: the `Client` interface on real Amazon SQS, or on any endpoint
// that speaks the SQS JSON protocol (sqsim-server, moto, LocalStack,
// ElasticMQ).
//
// Consumer code written against `Client` and tested on the `Simulator` runs
// unchanged on this client:
//
//   auto client = sqsim::aws::AwsClient::Create({.region = "eu-west-1"}).value();
//   auto url = client->GetQueueUrl({.queue_name = "enrollments"});
//
// What it does on every call: encodes the request in the SQS JSON protocol
// (`X-Amz-Target: AmazonSQS.<Action>`), signs it with SigV4, sends it over a
// pooled keep-alive HTTP(S) connection (Boost.Beast; TLS verified against the
// system CA store), decodes the response or the error into the same
// `Result`/`Status` the simulator returns, checks the MD5 digests SQS sends
// (as the AWS SDKs do), and retries as the SDKs' "standard" retry mode does.
//
// Configuration is resolved like the AWS SDKs and CLI do it, first match wins:
//   region:      options.region, AWS_REGION, AWS_DEFAULT_REGION, the
//                profile's `region` in ~/.aws/config;
//   endpoint:    options.endpoint_url, AWS_ENDPOINT_URL_SQS, the profile's
//                `[services]` sqs endpoint_url, AWS_ENDPOINT_URL, the
//                profile's `endpoint_url`, else https://sqs.<region>.amazonaws.com;
//   credentials: options.credentials or options.credentials_provider (at most
//                one of them), else botocore's default chain (the profile is
//                options.profile, AWS_PROFILE, else "default"):
//     1. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
//        (skipped when options.profile is set);
//     2. assume role: the profile's role_arn with source_profile (chained)
//        or credential_source (Environment, Ec2InstanceMetadata,
//        EcsContainer), plus external_id, role_session_name,
//        duration_seconds -> STS AssumeRole;
//     3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+
//        AWS_ROLE_SESSION_NAME), or the profile's web_identity_token_file /
//        role_arn / role_session_name -> STS AssumeRoleWithWebIdentity;
//     4. static keys in ~/.aws/credentials;
//     5. the profile's credential_process;
//     6. static keys in ~/.aws/config;
//     7. the ECS/EKS container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
//        or _FULL_URI);
//     8. the EC2 instance metadata service (IMDSv2), unless
//        AWS_EC2_METADATA_DISABLED=true.
//     SSO profiles and mfa_serial are not supported (a clear error). The
//     details, and the STS endpoint, are in src/aws/credentials.h.
// Temporary credentials are refreshed before they expire (see
// CredentialsProvider in sqsim/aws/credentials.h for the windows).
// Create() fails with a Status that says what it looked at when no region or
// no credentials can be found, and with the source's error when a configured
// source cannot deliver (e.g. STS answers AccessDenied).
//
// Threads: the client runs its network I/O on one internal thread (or on the
// executor given in the options). Both forms of every action are safe to call
// from any number of threads and coroutines at once; the coroutine form
// resumes the caller on the caller's own executor. The blocking form must not
// be called from the client's own I/O thread or executor (it would wait for
// itself). A client whose credentials expire has one more thread, on which
// it refreshes them (blocking STS, process or metadata calls never stall the
// I/O thread; a call that needs fresh credentials waits for them there).

#ifndef SQSIM_AWS_AWS_CLIENT_H_
#define SQSIM_AWS_AWS_CLIENT_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "sqsim/aws/credentials.h"
#include "sqsim/client.h"
#include "sqsim/env.h"

namespace sqsim::aws {

struct AwsClientOptions {
  // AWS region, e.g. "eu-west-1". Resolved as described above when unset.
  std::optional<std::string> region{};
  // Base URL of the service, e.g. "http://127.0.0.1:9324" for sqsim-server.
  std::optional<std::string> endpoint_url{};
  // Static credentials. Resolved as described above when unset.
  std::optional<AwsCredentials> credentials{};
  // The caller's own source of (refreshable) credentials, instead of static
  // ones or the default chain. Setting both this and `credentials` is an
  // error (kInvalidParameterValue).
  std::shared_ptr<CredentialsProvider> credentials_provider{};
  // Shared-config profile name; AWS_PROFILE or "default" when unset.
  std::optional<std::string> profile{};

  // Total attempts per call in the standard retry mode (the SDKs' default is
  // 3); 1 turns retries off.
  int max_attempts = 3;
  // Bound on establishing a connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  // Bound on one attempt once connected. ReceiveMessage gets its
  // WaitTimeSeconds on top, so a 20-second long poll is never cut short.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);

  // Extra trusted CA certificates (PEM file), e.g. a test's self-signed CA.
  std::optional<std::string> ca_file{};
  // Verify TLS certificates and host names. Turn off only for local tests.
  bool verify_tls = true;
  // Check MD5OfMessageBody / MD5OfBody / MD5OfMessageAttributes of sends and
  // receives, as the AWS SDKs do; a mismatch fails the call with
  // kMalformedResponse.
  bool verify_md5 = true;

  // Time for signatures, credential expiry checks, sleeps between retries and
  // the randomness of their jitter. Null: the real world (NewRealEnv). A test may pass an Env whose
  // Sleep returns at once, making retries instant and deterministic.
  // Sleep is awaited on the client's I/O executor (see Threads above).
  Env* env = nullptr;
  // Run the I/O on this executor instead of an internal thread. Someone must
  // run it; blocking calls must then come from other threads.
  std::optional<boost::asio::any_io_executor> executor{};
};

class AwsClientImpl;

class AwsClient final : public Client {
 public:
  // Resolves region, credentials and endpoint (see above), fetches the first
  // credentials (this may block on STS, a process or a metadata endpoint)
  // and starts the I/O thread. Fails with kInvalidParameterValue for a
  // malformed endpoint URL or region or credential configuration, with
  // kMissingAuthenticationToken when no credentials exist, and with the
  // credential source's error when it cannot deliver.
  static Result<std::unique_ptr<AwsClient>> Create(AwsClientOptions options = {});

  // Waits for calls in flight, then stops the I/O thread.
  ~AwsClient() override;
  AwsClient(const AwsClient&) = delete;
  AwsClient& operator=(const AwsClient&) = delete;

  const std::string& region() const;
  // The resolved endpoint, e.g. "https://sqs.eu-west-1.amazonaws.com".
  const std::string& endpoint_url() const;

#define SQSIM_AWS_CLIENT_DECLARE(Name)                                \
  Result<Name##Response> Name(const Name##Request& request) override; \
  boost::asio::awaitable<Result<Name##Response>> Async##Name(Name##Request request) override;
  SQSIM_FOR_EACH_ACTION(SQSIM_AWS_CLIENT_DECLARE)
#undef SQSIM_AWS_CLIENT_DECLARE

 private:
  explicit AwsClient(std::unique_ptr<AwsClientImpl> impl);
  std::unique_ptr<AwsClientImpl> impl_;
};

}  // namespace sqsim::aws

#endif  // SQSIM_AWS_AWS_CLIENT_H_
