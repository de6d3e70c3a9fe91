// AwsClient: encode (src/wire), sign (sigv4), send (http_transport), decode,
// verify MD5s, retry (retry.h). All of a client's network work runs on one
// strand, so the transport, the retry quota and the jitter generator need no
// locks. Credentials come from a CredentialsCache (credentials_cache.h):
// while they are fresh, every attempt reads them without waiting; when they
// need a refresh, the attempt's coroutine hops to a refresh thread for the
// blocking Fetch and back to the strand, which meanwhile serves other calls.

#include "sqsim/aws/aws_client.h"
#include "sqsim/aws/sns_client.h"

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "aws/credentials.h"
#include "aws/credentials_cache.h"
#include "aws/endpoint.h"
#include "aws/http_transport.h"
#include "aws/response_checks.h"
#include "aws/retry.h"
#include "wire/json_codec.h"
#include "wire/sigv4.h"
#include "wire/sns_query_codec.h"

namespace sqsim::aws {

namespace asio = boost::asio;
using internal::HttpRequest;
using internal::HttpResponse;

namespace {

// The part of the timeout a call may spend waiting on the server: a long
// poll legitimately holds the response for WaitTimeSeconds.
template <typename Request>
Duration ServerWait(const Request&) {
  return Duration::zero();
}
Duration ServerWait(const ReceiveMessageRequest& request) {
  return std::chrono::seconds(request.wait_time_seconds.value_or(0) > 0 ? *request.wait_time_seconds
                                                                        : 0);
}

// What differs between the two wire protocols a client speaks: SQS's JSON
// protocol (AwsClient) and SNS's query protocol (SnsAwsClient). The rest of
// a call (sign, send, retry, credentials) is the same.
struct SqsJsonProtocol {
  using ActionType = Action;
  static constexpr std::string_view kService = "sqs";
  template <typename Request>
  static std::string Encode(const Request& request) {
    return wire::EncodeJsonRequest(request);
  }
  static void Prepare(HttpRequest& http, Action action) {
    http.headers.Set("Content-Type", wire::kJsonContentType);
    http.headers.Set("X-Amz-Target",
                     std::string(wire::kTargetPrefix) + std::string(ActionName(action)));
    // Asks SQS for the query-compatible error code in x-amzn-query-error,
    // as botocore does for query-compatible services.
    http.headers.Set("x-amzn-query-mode", "true");
  }
  static Status Error(const HttpResponse& response) {
    const std::string* query_error = response.headers.Find("x-amzn-query-error");
    return wire::DecodeJsonError(response.status, response.body,
                                 query_error != nullptr ? *query_error : std::string());
  }
  template <typename Response>
  static Status Decode(const std::string& body, Response* response) {
    return wire::DecodeJsonResponse(body, response);
  }
};

struct SnsQueryProtocol {
  using ActionType = wire::SnsAction;
  static constexpr std::string_view kService = "sns";
  template <typename Request>
  static std::string Encode(const Request& request) {
    return wire::EncodeSnsQueryRequest(request);
  }
  static void Prepare(HttpRequest& http, wire::SnsAction) {
    http.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  }
  static Status Error(const HttpResponse& response) {
    return wire::DecodeSnsQueryError(response.status, response.body);
  }
  template <typename Response>
  static Status Decode(const std::string& body, Response* response) {
    return wire::DecodeSnsQueryResponse(body, response);
  }
};

}  // namespace

class AwsClientImpl {
 public:
  AwsClientImpl(AwsClientOptions options, internal::AwsConfig config, internal::Endpoint endpoint)
      : options_(std::move(options)),
        config_(std::move(config)),
        endpoint_(std::move(endpoint)),
        endpoint_url_(endpoint_.Url()),
        owned_env_(options_.env == nullptr ? NewRealEnv(/*seed=*/0x5eed) : nullptr),
        env_(options_.env != nullptr ? options_.env : owned_env_.get()),
        jitter_(env_->rng().Fork("aws-client-retry-jitter")),
        io_(options_.executor ? nullptr : std::make_unique<asio::io_context>(1)),
        strand_(asio::make_strand(options_.executor ? *options_.executor
                                                    : asio::any_io_executor(io_->get_executor()))),
        transport_(strand_,
                   internal::TransportOptions{
                       .connect_timeout = options_.connect_timeout,
                       .ca_file = options_.ca_file,
                       .verify_peer = options_.verify_tls,
                   }),
        retry_(internal::RetryOptions{.max_attempts = std::max(1, options_.max_attempts)}),
        credentials_(std::make_shared<internal::CredentialsCache>(config_.credentials_provider,
                                                                  config_.credentials)) {
    // Credentials without an expiration never need a refresh, nor its thread.
    if (config_.credentials.expiration) refresher_.emplace(1);
    if (io_) {
      work_.emplace(io_->get_executor());
      thread_ = std::thread([this] { io_->run(); });
    }
  }

  ~AwsClientImpl() {
    if (io_) {
      work_.reset();  // run() returns once the calls in flight have finished
      thread_.join();
    }
    if (refresher_) refresher_->join();  // a refresh in flight holds only the cache
  }

  const std::string& region() const { return config_.region; }
  const std::string& endpoint_url() const { return endpoint_url_; }

  // Runs `Call` on the strand and waits for it (blocking form).
  template <typename Protocol, typename Response, typename Request>
  Result<Response> Blocking(typename Protocol::ActionType action, const Request& request) {
    return *asio::co_spawn(strand_, Wrapped<Protocol, Response>(action, request), asio::use_future)
                .get();
  }

  // Runs `Call` on the strand and resumes the caller on its own executor.
  template <typename Protocol, typename Response, typename Request>
  asio::awaitable<Result<Response>> Async(typename Protocol::ActionType action, Request request) {
    std::optional<Result<Response>> result =
        co_await OnStrand(Wrapped<Protocol, Response>(action, std::move(request)));
    co_return std::move(*result);
  }

 private:
  // Awaits `work` run on the strand, forwarding the caller's cancellation
  // (a consumer's stop cancels its long poll). Not co_spawn with
  // use_awaitable: Asio 1.81's co_spawn forwards a cancellation from the
  // caller's thread by posting to the strand a pointer into state that the
  // call, completing on the strand meanwhile, frees (a use after free found
  // by UBSan when a stop cancelled a poll as it returned). Here the
  // cancellation is emitted on the strand only, into state both sides own,
  // and only while the call runs.
  template <typename T>
  asio::awaitable<T> OnStrand(asio::awaitable<T> work) {
    struct Shared {
      asio::cancellation_signal signal;  // the call's; used on the strand only
      bool done = false;                 // on the strand only
    };
    return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, T)>(
        [this](auto handler, asio::awaitable<T> work) {
          auto shared = std::make_shared<Shared>();
          auto caller_slot = asio::get_associated_cancellation_slot(handler);
          if (caller_slot.is_connected()) {
            caller_slot.assign([shared, strand = strand_](asio::cancellation_type type) {
              asio::post(strand, [shared, type] {
                if (!shared->done) shared->signal.emit(type);
              });
            });
          }
          const asio::any_io_executor caller = asio::get_associated_executor(handler);
          asio::co_spawn(strand_, std::move(work),
                         asio::bind_cancellation_slot(
                             shared->signal.slot(), [shared, caller, handler = std::move(handler)](
                                                        std::exception_ptr error, T value) mutable {
                               shared->done =
                                   true;  // on the strand: no cancellation reaches it now
                               asio::post(caller, [handler = std::move(handler), error,
                                                   value = std::move(value)]() mutable {
                                 auto slot = asio::get_associated_cancellation_slot(handler);
                                 if (slot.is_connected()) slot.clear();
                                 std::move(handler)(error, std::move(value));
                               });
                             }));
        },
        asio::use_awaitable, std::move(work));
  }

  // co_spawn needs a default-constructible result type; Result<T> is not.
  template <typename Protocol, typename Response, typename Request>
  asio::awaitable<std::optional<Result<Response>>> Wrapped(typename Protocol::ActionType action,
                                                           Request request) {
    co_return co_await Call<Protocol, Response>(action, std::move(request));
  }

  // One call: encode once, then attempt, classify and back off until the
  // retry strategy says stop.
  template <typename Protocol, typename Response, typename Request>
  asio::awaitable<Result<Response>> Call(typename Protocol::ActionType action, Request request) {
    const std::string body = Protocol::Encode(request);
    const Duration timeout = options_.request_timeout + ServerWait(request);
    internal::RetryToken token;
    for (int attempt = 1;; ++attempt) {
      std::optional<Result<aws::AwsCredentials>> credentials = co_await Credentials();
      if (!credentials->ok()) co_return credentials->status();
      HttpRequest http = BuildRequest<Protocol>(action, body, **credentials);
      Result<HttpResponse> sent = co_await transport_.Send(endpoint_, std::move(http), timeout);
      int http_status = 0;
      Status failure;
      if (!sent.ok()) {
        failure = sent.status();
      } else if (sent->status / 100 != 2) {
        http_status = sent->status;
        failure = Protocol::Error(*sent);
      } else {
        retry_.OnSuccess(token);
        Response response;
        Status decoded = Protocol::Decode(sent->body, &response);
        if (!decoded.ok()) co_return decoded;
        if constexpr (std::is_same_v<Protocol, SqsJsonProtocol>) {  // SQS's MD5s
          if (options_.verify_md5) {
            Status checked = internal::CheckResponseDigests(request, response);
            if (!checked.ok()) co_return checked;
          }
        }
        co_return response;
      }
      if (!retry_.ShouldRetry(failure, attempt, token, http_status)) co_return failure;
      const Duration delay = retry_.Backoff(attempt, *jitter_);
      co_await env_->Sleep(delay);
    }
  }

  // The credentials to sign with now: at once while they are fresh, else
  // after a refresh on the refresh thread (see the top of the file).
  asio::awaitable<std::optional<Result<aws::AwsCredentials>>> Credentials() {
    const Timestamp now = env_->Now();
    if (std::optional<aws::AwsCredentials> current = credentials_->Current(now)) {
      co_return std::move(*current);
    }
    co_return co_await RefreshOnRefresher(now);
  }

  // Runs the blocking CredentialsCache::Get on the refresh thread and resumes
  // the caller on its own executor (the strand). No cancellation is
  // forwarded: a refresh runs to its end, and the cache keeps what it got.
  asio::awaitable<std::optional<Result<aws::AwsCredentials>>> RefreshOnRefresher(Timestamp now) {
    using Value = std::optional<Result<aws::AwsCredentials>>;
    return asio::async_initiate<const asio::use_awaitable_t<>, void(Value)>(
        [](auto handler, asio::any_io_executor refresher,
           std::shared_ptr<internal::CredentialsCache> cache, Timestamp now) {
          asio::post(refresher, [handler = std::move(handler), cache = std::move(cache),
                                 now]() mutable {
            Value value = cache->Get(now);
            const asio::any_io_executor caller = asio::get_associated_executor(handler);
            asio::post(caller, [handler = std::move(handler), value = std::move(value)]() mutable {
              std::move(handler)(std::move(value));
            });
          });
        },
        asio::use_awaitable, asio::any_io_executor(refresher_->get_executor()), credentials_, now);
  }

  template <typename Protocol>
  HttpRequest BuildRequest(typename Protocol::ActionType action, const std::string& body,
                           const aws::AwsCredentials& credentials) const {
    HttpRequest http;
    http.method = "POST";
    // botocore's rule: the endpoint's own path, or "/" when it has none.
    http.target = endpoint_.base_path.empty() ? "/" : endpoint_.base_path;
    Protocol::Prepare(http, action);
    http.body = body;
    internal::SignRequest(http, credentials, config_.region, Protocol::kService, env_->Now(),
                          endpoint_.HostHeader());
    return http;
  }

  AwsClientOptions options_;
  internal::AwsConfig config_;
  internal::Endpoint endpoint_;
  std::string endpoint_url_;
  std::unique_ptr<Env> owned_env_;
  Env* env_;
  std::unique_ptr<Rng> jitter_;
  std::unique_ptr<asio::io_context> io_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  asio::strand<asio::any_io_executor> strand_;
  internal::HttpTransport transport_;
  internal::StandardRetryStrategy retry_;
  // Shared with refreshes in flight, which may outlive a call's coroutine.
  std::shared_ptr<internal::CredentialsCache> credentials_;
  // The refresh thread; only when the credentials expire.
  std::optional<asio::thread_pool> refresher_;
};

namespace {

// A client's core for `service` ("sqs" or "sns"): its configuration (the
// credential chain, the region, the service's endpoint) resolved.
Result<std::unique_ptr<AwsClientImpl>> MakeImpl(AwsClientOptions options,
                                                std::string_view service) {
  internal::ProviderContext context{
      .transport = {.connect_timeout = options.connect_timeout,
                    .ca_file = options.ca_file,
                    .verify_peer = options.verify_tls},
      .sts_timeout = options.request_timeout,
  };
  if (Env* env = options.env) context.now = [env] { return env->Now(); };
  Result<internal::AwsConfig> config = internal::ResolveAwsConfig(
      internal::AwsConfigRequest{
          .credentials = options.credentials,
          .credentials_provider = options.credentials_provider,
          .profile = options.profile,
          .region = options.region,
          .endpoint_url = options.endpoint_url,
          .service = std::string(service),
      },
      internal::ConfigSources{}, context);
  if (!config.ok()) return config.status();
  std::string url;
  if (config->endpoint_url) {
    url = *config->endpoint_url;
  } else {
    Result<std::string> standard = internal::DefaultEndpointUrl(service, config->region);
    if (!standard.ok()) return standard.status();
    url = *standard;
  }
  Result<internal::Endpoint> endpoint = internal::ParseEndpointUrl(url);
  if (!endpoint.ok()) return endpoint.status();
  if (options.max_attempts < 1) {
    return Status(ErrorCode::kInvalidParameterValue, "AwsClientOptions::max_attempts must be >= 1");
  }
  return std::make_unique<AwsClientImpl>(std::move(options), std::move(*config),
                                         std::move(*endpoint));
}

}  // namespace

Result<std::unique_ptr<AwsClient>> AwsClient::Create(AwsClientOptions options) {
  Result<std::unique_ptr<AwsClientImpl>> impl = MakeImpl(std::move(options), "sqs");
  if (!impl.ok()) return impl.status();
  return std::unique_ptr<AwsClient>(new AwsClient(std::move(*impl)));
}

AwsClient::AwsClient(std::unique_ptr<AwsClientImpl> impl) : impl_(std::move(impl)) {}
AwsClient::~AwsClient() = default;

const std::string& AwsClient::region() const { return impl_->region(); }
const std::string& AwsClient::endpoint_url() const { return impl_->endpoint_url(); }

#define SQSIM_AWS_CLIENT_DEFINE(Name)                                                          \
  Result<Name##Response> AwsClient::Name(const Name##Request& request) {                       \
    return impl_->Blocking<SqsJsonProtocol, Name##Response>(Action::k##Name, request);         \
  }                                                                                            \
  asio::awaitable<Result<Name##Response>> AwsClient::Async##Name(Name##Request request) {      \
    return impl_->Async<SqsJsonProtocol, Name##Response>(Action::k##Name, std::move(request)); \
  }
SQSIM_FOR_EACH_ACTION(SQSIM_AWS_CLIENT_DEFINE)
#undef SQSIM_AWS_CLIENT_DEFINE

Result<std::unique_ptr<SnsAwsClient>> SnsAwsClient::Create(AwsClientOptions options) {
  Result<std::unique_ptr<AwsClientImpl>> impl = MakeImpl(std::move(options), "sns");
  if (!impl.ok()) return impl.status();
  return std::unique_ptr<SnsAwsClient>(new SnsAwsClient(std::move(*impl)));
}

SnsAwsClient::SnsAwsClient(std::unique_ptr<AwsClientImpl> impl) : impl_(std::move(impl)) {}
SnsAwsClient::~SnsAwsClient() = default;

const std::string& SnsAwsClient::region() const { return impl_->region(); }
const std::string& SnsAwsClient::endpoint_url() const { return impl_->endpoint_url(); }

#define SQSIM_SNS_AWS_CLIENT_DEFINE(Name)                                                   \
  Result<sns::Name##Response> SnsAwsClient::Name(const sns::Name##Request& request) {       \
    return impl_->Blocking<SnsQueryProtocol, sns::Name##Response>(wire::SnsAction::k##Name, \
                                                                  request);                 \
  }                                                                                         \
  asio::awaitable<Result<sns::Name##Response>> SnsAwsClient::Async##Name(                   \
      sns::Name##Request request) {                                                         \
    return impl_->Async<SnsQueryProtocol, sns::Name##Response>(wire::SnsAction::k##Name,    \
                                                               std::move(request));         \
  }
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_AWS_CLIENT_DEFINE)
#undef SQSIM_SNS_AWS_CLIENT_DEFINE

}  // namespace sqsim::aws
