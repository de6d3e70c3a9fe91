// Router: protocol detection, authentication, decode -> backend -> encode.

#include "server/router.h"

#include <new>
#include <set>
#include <string>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "fault/client_fault.h"
#include "fault/request_queue_name.h"
#include "server/control_access.h"
#include "wire/json_codec.h"
#include "wire/sigv4.h"

namespace sqsim::internal {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kXmlContentType = "text/xml";

std::string_view PathOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

Status InvalidAction(std::string what) {
  return Status(ErrorCode::kInvalidAction, std::move(what));
}

// X-Ray propagation: SQS gives every message of a SendMessage or
// SendMessageBatch request the request's X-Amzn-Trace-Id header as its
// AWSTraceHeader system attribute, unless the message sets that attribute
// itself, which wins (AWS X-Ray Developer Guide, "Amazon SQS and AWS X-Ray").
// The sender did not send the attribute, so its response carries no
// MD5OfMessageSystemAttributes for it (an SDK checks the digest of what it
// sent).
}  // namespace

class TraceHeaderCarrier {
 public:
  template <typename Request>
  void Carry(const HttpRequest& http, Request& request) {
    const std::string* header = http.headers.Find("X-Amzn-Trace-Id");
    if (header == nullptr || header->empty()) return;
    if constexpr (std::is_same_v<Request, SendMessageRequest>) {
      if (Carry(*header, request.message_system_attributes)) carried_ids_.insert("");
    } else if constexpr (std::is_same_v<Request, SendMessageBatchRequest>) {
      for (SendMessageBatchRequestEntry& entry : request.entries) {
        if (Carry(*header, entry.message_system_attributes)) carried_ids_.insert(entry.id);
      }
    }
  }

  template <typename Response>
  void HideDigests(Response& response) const {
    if (carried_ids_.empty()) return;
    if constexpr (std::is_same_v<Response, SendMessageResponse>) {
      response.md5_of_message_system_attributes.reset();
    } else if constexpr (std::is_same_v<Response, SendMessageBatchResponse>) {
      for (SendMessageBatchResultEntry& entry : response.successful) {
        if (carried_ids_.contains(entry.id)) entry.md5_of_message_system_attributes.reset();
      }
    }
  }

 private:
  static bool Carry(std::string_view header, MessageAttributeMap& system_attributes) {
    if (system_attributes.contains("AWSTraceHeader")) return false;
    system_attributes["AWSTraceHeader"] = {.string_value = std::string(header),
                                           .data_type = "String"};
    return true;
  }

  std::set<std::string> carried_ids_;  // "" for a SendMessage
};

Router::Router(Backend* backend, RouterOptions options)
    : backend_(backend),
      options_(std::move(options)),
      owned_env_(options_.signing_env == nullptr ? NewRealEnv(/*seed=*/0) : nullptr),
      signing_env_(options_.signing_env != nullptr ? options_.signing_env : owned_env_.get()) {}

Reply Router::Error(Protocol protocol, const Status& status, std::string request_id) const {
  Reply reply;
  if (protocol == Protocol::kJson) {
    wire::JsonErrorResponse e = wire::EncodeJsonError(status);
    reply.status = e.http_status;
    reply.body = std::move(e.body);
    reply.query_error = std::move(e.query_error_header);
  } else {
    wire::QueryErrorResponse e = wire::EncodeQueryError(status, request_id);
    reply.status = e.http_status;
    reply.body = std::move(e.body);
    reply.content_type = kXmlContentType;
  }
  reply.request_id = std::move(request_id);
  return reply;
}

Reply Router::Reject(const HttpRequest& head, const Status& status, int http_status) {
  const bool json = head.headers.Find("X-Amz-Target") != nullptr;
  Reply reply = Error(json ? Protocol::kJson : Protocol::kQuery, status, backend_->NewRequestId());
  reply.status = http_status;
  reply.label = "-";
  return reply;
}

namespace {

// The service a request's signature is scoped to: "sns" for a client of
// SNS's query protocol, else "sqs" (also for an unsigned or malformed
// request, which VerifySigV4 then refuses on its own terms).
std::string_view SignedService(const HttpRequest& request) {
  const std::string* header = request.headers.Find("Authorization");
  if (header == nullptr) return "sqs";
  Result<SigV4Authorization> authorization = ParseSigV4Authorization(*header);
  return authorization.ok() && authorization->service == "sns" ? "sns" : "sqs";
}

// A signature scoped to the other service than the action's, in AWS's words.
Status WrongService(std::string_view service) {
  return Status(ErrorCode::kSignatureDoesNotMatch,
                "Credential should be scoped to correct service: '" + std::string(service) + "'. ");
}

}  // namespace

Status Router::Authenticate(const HttpRequest& request) const {
  if (options_.access_keys.empty()) return Status::Ok();
  const auto secret_for = [this](std::string_view key) -> std::optional<std::string> {
    auto it = options_.access_keys.find(std::string(key));
    if (it == options_.access_keys.end()) return std::nullopt;
    return it->second;
  };
  return VerifySigV4(request, secret_for, SignedService(request), options_.region,
                     signing_env_->Now());
}

std::optional<iam::Caller> Router::CallerOf(const HttpRequest& request) const {
  if (options_.principals.empty()) return std::nullopt;
  const std::string* header = request.headers.Find("Authorization");
  if (header == nullptr) return std::nullopt;
  Result<SigV4Authorization> authorization = ParseSigV4Authorization(*header);
  if (!authorization.ok()) return std::nullopt;
  auto it = options_.principals.find(authorization->access_key_id);
  if (it == options_.principals.end()) return std::nullopt;
  // The server speaks plain HTTP, so aws:SecureTransport is false, as it
  // would be for SQS's HTTP endpoint; aws:SourceIp is not known here and is
  // left absent.
  return iam::Caller{.principal = {.arn = it->second},
                     .context = {.secure_transport = false, .region = options_.region}};
}

Reply Router::OutOfMemory(Protocol protocol) const {
  Reply reply = Error(
      protocol,
      Status(ErrorCode::kInternalFailure, "The server ran out of memory handling the request."),
      backend_->NewRequestId());
  reply.label = "?";
  return reply;
}

asio::awaitable<Reply> Router::Handle(HttpRequest request) {
  Outcome outcome = Route(request);
  if (outcome.reply) co_return std::move(*outcome.reply);
  co_return co_await Complete(std::move(outcome));
}

asio::awaitable<Reply> Router::Complete(Outcome outcome) {
  if (outcome.reply) co_return std::move(*outcome.reply);
  // The protocol of an out-of-memory answer: the part left to run knows it,
  // but a failed allocation may be that of its own frame; JSON is SDKs'
  // usual protocol (a query client still reads the 500 as retryable).
  try {
    co_return co_await std::move(*outcome.later);
  } catch (const std::bad_alloc&) {
    // Answered below.
  }
  co_return OutOfMemory(Protocol::kJson);
}

Router::Outcome Router::Route(const HttpRequest& request) {
  if (PathOf(request.target).starts_with(kAdminPrefix)) {
    const ControlAccessPolicy policy{.host_names = options_.control_hosts,
                                     .admin_token = options_.admin_token,
                                     .signatures_required = !options_.access_keys.empty()};
    const std::optional<ControlRefusal> refused = CheckControlAccess(
        request, policy, [this](const HttpRequest& r) { return Authenticate(r); });
    if (refused) {
      Reply reply = AdminFailure(refused->http_status, refused->message);
      reply.label = std::string(PathOf(request.target));
      return {.reply = std::move(reply)};
    }
    return {.reply = HandleAdmin(*backend_, request)};
  }
  std::string request_id = backend_->NewRequestId();
  const bool json = request.headers.Find("X-Amz-Target") != nullptr;
  const Protocol protocol = json ? Protocol::kJson : Protocol::kQuery;
  // A web page in a browser on this machine can send a "simple"
  // cross-origin POST of the query protocol (DeleteQueue, say) that needs
  // no preflight; every such request carries an Origin header. Without
  // signatures nothing else would stop it, so the SQS API refuses it. (No
  // browser SDK can use the server anyway: it answers no CORS preflight.)
  if (options_.access_keys.empty()) {
    if (const std::string* origin = request.headers.Find("Origin")) {
      Reply reply = Error(protocol,
                          Status(ErrorCode::kAccessDenied,
                                 "sqsim-server refuses browser requests (Origin: " + *origin +
                                     ") unless it verifies signatures (--access-key)."),
                          std::move(request_id));
      reply.label = "?";
      return {.reply = std::move(reply)};
    }
  }
  // Authentication first, before the action is looked at: an unsigned or
  // badly signed request gets the authentication error whatever it asks,
  // an unknown action included, as from SQS.
  if (Status s = Authenticate(request); !s.ok()) {
    Reply reply = Error(protocol, s, std::move(request_id));
    reply.label = "?";
    return {.reply = std::move(reply)};
  }
  // Out of memory inside a request: SQS's retryable InternalFailure (500)
  // rather than a dropped connection. The server's limits (stored messages
  // and bytes, queues, connections) keep a well-behaved run far from this,
  // and the engine leaves no change half-done (sends are all or nothing).
  try {
    if (json) return RouteJson(request, std::move(request_id));
    return RouteQuery(request, std::move(request_id));
  } catch (const std::bad_alloc&) {
    return {.reply = OutOfMemory(protocol)};
  }
}

Router::Outcome Router::RouteJson(const HttpRequest& request, std::string request_id) {
  const std::string_view target = *request.headers.Find("X-Amz-Target");
  std::optional<Action> action;
  if (target.starts_with(wire::kTargetPrefix)) {
    action = ActionFromName(target.substr(wire::kTargetPrefix.size()));
  }
  if (!action) {
    Reply reply =
        Error(Protocol::kJson,
              InvalidAction("The action or operation requested is invalid: X-Amz-Target '" +
                            std::string(target) + "'"),
              std::move(request_id));
    reply.label = "?";
    return {.reply = std::move(reply)};
  }
  return Dispatch(*action, Protocol::kJson, request, nullptr, {}, std::move(request_id));
}

Router::Outcome Router::RouteQuery(const HttpRequest& request, std::string request_id) {
  // Parameters come from the query string and, for a form POST, the body
  // (the body wins on a repeated name).
  Result<wire::FormFields> form = wire::ParseForm(QueryOf(request.target));
  if (form.ok() && !request.body.empty()) {
    Result<wire::FormFields> body = wire::ParseForm(request.body);
    if (!body.ok()) {
      form = body.status();
    } else {
      for (auto& [name, value] : *body) (*form)[name] = std::move(value);
    }
  }
  if (!form.ok()) {
    Reply reply = Error(Protocol::kQuery, form.status(), std::move(request_id));
    reply.label = "?";
    return {.reply = std::move(reply)};
  }
  const bool signed_requests = !options_.access_keys.empty();
  if (std::optional<wire::SnsAction> sns = wire::SnsQueryAction(*form)) {
    if (signed_requests && SignedService(request) != "sns") {
      Reply reply = Error(Protocol::kQuery, WrongService("sns"), std::move(request_id));
      reply.label = std::string(wire::SnsActionName(*sns));
      return {.reply = std::move(reply)};
    }
    return {.reply = RouteSns(*sns, *form, std::move(request_id))};
  }
  if (signed_requests && SignedService(request) != "sqs") {
    Reply reply = Error(Protocol::kQuery, WrongService("sqs"), std::move(request_id));
    reply.label = "?";
    return {.reply = std::move(reply)};
  }
  auto name = form->find("Action");
  std::optional<Action> action;
  if (name != form->end()) action = ActionFromName(name->second);
  if (!action) {
    Reply reply = Error(
        Protocol::kQuery,
        InvalidAction(name == form->end()
                          ? std::string("The request names no Action")
                          : "The action or operation requested is invalid: '" + name->second + "'"),
        std::move(request_id));
    reply.label = "?";
    return {.reply = std::move(reply)};
  }
  // Query clients may address the queue by the request path instead.
  std::string path_queue_url;
  const std::string_view path = PathOf(request.target);
  if (path.size() > 1) path_queue_url = options_.endpoint + std::string(path);
  return Dispatch(*action, Protocol::kQuery, request, &*form, std::move(path_queue_url),
                  std::move(request_id));
}

Reply Router::RouteSns(wire::SnsAction action, const wire::FormFields& form,
                       std::string request_id) {
  switch (action) {
#define SQSIM_ROUTE_SNS(Name)    \
  case wire::SnsAction::k##Name: \
    return RunSns<sns::Name##Request>(action, form, std::move(request_id));
    SQSIM_SNS_FOR_EACH_ACTION(SQSIM_ROUTE_SNS)
#undef SQSIM_ROUTE_SNS
  }
  return Error(Protocol::kQuery, InvalidAction("unreachable SNS action"), std::move(request_id));
}

template <typename Request>
Reply Router::RunSns(wire::SnsAction action, const wire::FormFields& form, std::string request_id) {
  Reply reply;
  reply.content_type = kXmlContentType;
  reply.label = std::string(wire::SnsActionName(action));
  Request request;
  Status failed = wire::DecodeSnsQueryRequest(form, &request);
  if (failed.ok()) {
    auto result = backend_->CallSns(request);
    if (result.ok()) {
      reply.body = wire::EncodeSnsQueryResponse(*result, request_id);
      reply.request_id = std::move(request_id);
      return reply;
    }
    failed = result.status();
  }
  wire::QueryErrorResponse error = wire::EncodeSnsQueryError(failed, request_id);
  reply.status = error.http_status;
  reply.body = std::move(error.body);
  reply.request_id = std::move(request_id);
  return reply;
}

Router::Outcome Router::Dispatch(Action action, Protocol protocol, const HttpRequest& http,
                                 const wire::FormFields* form, std::string path_queue_url,
                                 std::string request_id) {
  switch (action) {
#define SQSIM_ROUTE(Name)                                                   \
  case Action::k##Name:                                                     \
    return Run<Name##Request, Name##Response>(action, protocol, http, form, \
                                              std::move(path_queue_url), std::move(request_id));
    SQSIM_FOR_EACH_ACTION(SQSIM_ROUTE)
#undef SQSIM_ROUTE
  }
  return {.reply = Error(protocol, InvalidAction("unreachable action"), std::move(request_id))};
}

template <typename Request, typename Response>
Router::Outcome Router::Run(Action action, Protocol protocol, const HttpRequest& http,
                            const wire::FormFields* form, std::string path_queue_url,
                            std::string request_id) {
  Request request;
  const Status decoded = protocol == Protocol::kJson ? wire::DecodeJsonRequest(http.body, &request)
                                                     : wire::DecodeQueryRequest(*form, &request);
  if (!decoded.ok()) {
    Reply reply = Error(protocol, decoded, std::move(request_id));
    reply.label = ActionName(action);
    return {.reply = std::move(reply)};
  }
  if constexpr (requires { request.queue_url; }) {
    if (request.queue_url.empty()) {
      request.queue_url = std::move(path_queue_url);
    } else if (request.queue_url.starts_with('/')) {
      request.queue_url = options_.endpoint + request.queue_url;  // path-only QueueUrl
    }
  }
  TraceHeaderCarrier trace_header;
  trace_header.Carry(http, request);

  // The plan's client-boundary fault, as FaultInjectingClient applies it,
  // except that an answer that never reaches SQS costs no round trip here
  // (the client's own network does), and a lost answer is a dropped
  // connection rather than a timeout status.
  ClientFault fault = PlanClientFault(backend_->DecideClientFault(action, QueueNameOf(request)),
                                      action, Duration::zero());
  std::optional<iam::Caller> caller = CallerOf(http);
  if (!fault.wait || *fault.wait == Duration::zero()) {
    if (std::optional<Result<Response>> result =
            CallAtOnce<Request, Response>(request, fault, caller ? &*caller : nullptr)) {
      if (result->ok()) trace_header.HideDigests(**result);
      return {.reply = Answer(action, protocol, std::move(*result), fault, std::move(request_id))};
    }
  }
  return {.later = RunLater<Request, Response>(action, protocol, std::move(request),
                                               std::move(fault), std::move(request_id),
                                               std::move(trace_header), std::move(caller))};
}

template <typename Request, typename Response>
std::optional<Result<Response>> Router::CallAtOnce(Request& request, ClientFault& fault,
                                                   const iam::Caller* caller) {
  if (fault.outcome == ClientFault::Outcome::kFail) return Result<Response>(fault.error);
  if (fault.outcome == ClientFault::Outcome::kEmptyReceive) return Result<Response>(Response{});
  if constexpr (std::is_same_v<Request, ReceiveMessageRequest>) {
    return std::nullopt;  // a receive may wait: RunLater
  } else if constexpr (requires { request.entries; }) {
    std::vector<BatchResultErrorEntry> failed;
    if (fault.outcome == ClientFault::Outcome::kFailEntries) {
      failed = TakeFailedEntries(fault, request);
    }
    return AddFailedEntries(request.entries.empty() && !failed.empty()
                                ? Result<Response>(Response{})
                                : backend_->Call(request, caller),
                            std::move(failed));
  } else {
    return backend_->Call(request, caller);
  }
}

template <typename Request, typename Response>
asio::awaitable<Reply> Router::RunLater(Action action, Protocol protocol, Request request,
                                        ClientFault fault, std::string request_id,
                                        TraceHeaderCarrier trace_header,
                                        std::optional<iam::Caller> caller) {
  if (fault.wait && *fault.wait > Duration::zero()) {
    asio::steady_timer timer(co_await asio::this_coro::executor, *fault.wait);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  std::optional<Result<Response>> result =
      CallAtOnce<Request, Response>(request, fault, caller ? &*caller : nullptr);
  if constexpr (std::is_same_v<Request, ReceiveMessageRequest>) {
    if (!result) {
      Result<Response> received = co_await backend_->Receive(std::move(request), caller);
      result = std::move(received);
    }
  }
  if (result->ok()) trace_header.HideDigests(**result);
  co_return Answer(action, protocol, std::move(*result), fault, std::move(request_id));
}

template <typename Response>
Reply Router::Answer(Action action, Protocol protocol, Result<Response> result,
                     const ClientFault& fault, std::string request_id) const {
  Reply reply;
  if (!result.ok()) {
    reply = Error(protocol, result.status(), std::move(request_id));
  } else if (protocol == Protocol::kJson) {
    reply.body = wire::EncodeJsonResponse(*result);
    reply.request_id = std::move(request_id);
  } else {
    reply.body = wire::EncodeQueryResponse(*result, request_id);
    reply.content_type = kXmlContentType;
    reply.request_id = std::move(request_id);
  }
  reply.drop_connection = fault.outcome == ClientFault::Outcome::kLoseResponse;
  reply.label = ActionName(action);
  return reply;
}

}  // namespace sqsim::internal
