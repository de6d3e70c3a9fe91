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

}  // namespace

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

Status Router::Authenticate(const HttpRequest& request) const {
  if (options_.access_keys.empty()) return Status::Ok();
  const auto secret_for = [this](std::string_view key) -> std::optional<std::string> {
    auto it = options_.access_keys.find(std::string(key));
    if (it == options_.access_keys.end()) return std::nullopt;
    return it->second;
  };
  return VerifySigV4(request, secret_for, "sqs", options_.region, signing_env_->Now());
}

asio::awaitable<Reply> Router::Handle(HttpRequest request) {
  if (PathOf(request.target).starts_with(kAdminPrefix)) {
    const ControlAccessPolicy policy{.host_names = options_.control_hosts,
                                     .admin_token = options_.admin_token,
                                     .signatures_required = !options_.access_keys.empty()};
    const std::optional<ControlRefusal> refused = CheckControlAccess(
        request, policy, [this](const HttpRequest& r) { return Authenticate(r); });
    if (refused) {
      Reply reply = AdminFailure(refused->http_status, refused->message);
      reply.label = std::string(PathOf(request.target));
      co_return reply;
    }
    co_return HandleAdmin(*backend_, request);
  }
  std::string request_id = backend_->NewRequestId();
  const bool json = request.headers.Find("X-Amz-Target") != nullptr;
  // A web page in a browser on this machine can send a "simple"
  // cross-origin POST of the query protocol (DeleteQueue, say) that needs
  // no preflight; every such request carries an Origin header. Without
  // signatures nothing else would stop it, so the SQS API refuses it. (No
  // browser SDK can use the server anyway: it answers no CORS preflight.)
  if (options_.access_keys.empty()) {
    if (const std::string* origin = request.headers.Find("Origin")) {
      Reply reply = Error(json ? Protocol::kJson : Protocol::kQuery,
                          Status(ErrorCode::kAccessDenied,
                                 "sqsim-server refuses browser requests (Origin: " + *origin +
                                     ") unless it verifies signatures (--access-key)."),
                          std::move(request_id));
      reply.label = "?";
      co_return reply;
    }
  }
  // Authentication first, before the action is looked at: an unsigned or
  // badly signed request gets the authentication error whatever it asks,
  // an unknown action included, as from SQS.
  if (Status s = Authenticate(request); !s.ok()) {
    Reply reply = Error(json ? Protocol::kJson : Protocol::kQuery, s, std::move(request_id));
    reply.label = "?";
    co_return reply;
  }
  // Out of memory inside a request: SQS's retryable InternalFailure (500)
  // rather than a dropped connection. The server's limits (stored messages
  // and bytes, queues, connections) keep a well-behaved run far from this.
  try {
    if (json) co_return co_await HandleJson(request, std::move(request_id));
    co_return co_await HandleQuery(request, std::move(request_id));
  } catch (const std::bad_alloc&) {
    // Answered below.
  }
  Reply reply = Error(
      json ? Protocol::kJson : Protocol::kQuery,
      Status(ErrorCode::kInternalFailure, "The server ran out of memory handling the request."),
      backend_->NewRequestId());
  reply.label = "?";
  co_return reply;
}

asio::awaitable<Reply> Router::HandleJson(HttpRequest& request, std::string request_id) {
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
    co_return reply;
  }
  co_return co_await Dispatch(*action, Protocol::kJson, request, nullptr, {},
                              std::move(request_id));
}

asio::awaitable<Reply> Router::HandleQuery(HttpRequest& request, std::string request_id) {
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
    co_return reply;
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
    co_return reply;
  }
  // Query clients may address the queue by the request path instead.
  std::string path_queue_url;
  const std::string_view path = PathOf(request.target);
  if (path.size() > 1) path_queue_url = options_.endpoint + std::string(path);
  co_return co_await Dispatch(*action, Protocol::kQuery, request, &*form, std::move(path_queue_url),
                              std::move(request_id));
}

asio::awaitable<Reply> Router::Dispatch(Action action, Protocol protocol, const HttpRequest& http,
                                        const wire::FormFields* form, std::string path_queue_url,
                                        std::string request_id) {
  switch (action) {
#define SQSIM_ROUTE(Name)                                  \
  case Action::k##Name:                                    \
    co_return co_await Run<Name##Request, Name##Response>( \
        action, protocol, http, form, std::move(path_queue_url), std::move(request_id));
    SQSIM_FOR_EACH_ACTION(SQSIM_ROUTE)
#undef SQSIM_ROUTE
  }
  co_return Error(protocol, InvalidAction("unreachable action"), std::move(request_id));
}

template <typename Request, typename Response>
asio::awaitable<Reply> Router::Run(Action action, Protocol protocol, const HttpRequest& http,
                                   const wire::FormFields* form, std::string path_queue_url,
                                   std::string request_id) {
  Request request;
  const Status decoded = protocol == Protocol::kJson ? wire::DecodeJsonRequest(http.body, &request)
                                                     : wire::DecodeQueryRequest(*form, &request);
  if (!decoded.ok()) {
    Reply reply = Error(protocol, decoded, std::move(request_id));
    reply.label = ActionName(action);
    co_return reply;
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
  const ClientFault fault = PlanClientFault(
      backend_->DecideClientFault(action, QueueNameOf(request)), action, Duration::zero());
  if (fault.wait && *fault.wait > Duration::zero()) {
    asio::steady_timer timer(co_await asio::this_coro::executor, *fault.wait);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  Result<Response> result = Status(ErrorCode::kInternalFailure, "no result");
  if (fault.outcome == ClientFault::Outcome::kFail) {
    result = fault.error;
  } else if (fault.outcome == ClientFault::Outcome::kEmptyReceive) {
    result = Response{};
  } else if constexpr (std::is_same_v<Request, ReceiveMessageRequest>) {
    result = co_await backend_->Receive(std::move(request));
  } else if constexpr (requires { request.entries; }) {
    std::vector<BatchResultErrorEntry> failed;
    if (fault.outcome == ClientFault::Outcome::kFailEntries) {
      failed = TakeFailedEntries(fault, request);
    }
    result =
        AddFailedEntries(request.entries.empty() && !failed.empty() ? Result<Response>(Response{})
                                                                    : backend_->Call(request),
                         std::move(failed));
  } else {
    result = backend_->Call(request);
  }

  Reply reply;
  if (result.ok()) trace_header.HideDigests(*result);
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
  co_return reply;
}

}  // namespace sqsim::internal
