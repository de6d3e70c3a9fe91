// Router: one HTTP request in, one reply out; no sockets.
//
// Tells the protocols apart (a `/_sqsim/` path is admin; an `X-Amz-Target`
// header is the JSON protocol; anything else is the query protocol),
// verifies SigV4 when access keys are configured, decodes the request,
// applies the fault plan's client-boundary effects, runs the action on the
// Backend and encodes the response or error the way SQS does.
//
// Errors that are not about a particular action:
//   unknown or missing action (bad X-Amz-Target, no Action=)  InvalidAction, 400
//     (SQS's query-compatible code; botocore raises ClientError "InvalidAction")
//   a body the codec cannot read                               the codec's error
//   a body over the size limit (Reject)                        InvalidParameterValue, 413
//
// Thread safety: none; runs on the server's thread.

#ifndef SQSIM_SERVER_ROUTER_H_
#define SQSIM_SERVER_ROUTER_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "fault/client_fault.h"
#include "server/backend.h"
#include "sqsim/env.h"
#include "sqsim/status.h"
#include "wire/http_message.h"
#include "wire/query_codec.h"
#include "wire/sns_query_codec.h"

namespace sqsim::internal {

inline constexpr std::string_view kAdminPrefix = "/_sqsim/";

struct Reply {
  int status = 200;
  std::string_view content_type = "application/x-amz-json-1.0";
  std::string body{};
  // `x-amzn-query-error` (JSON protocol errors); empty: none.
  std::string query_error{};
  // `x-amzn-RequestId`; empty: none (admin replies).
  std::string request_id{};
  // A kLoseResponse fault fired: close the connection without answering.
  bool drop_connection = false;
  // What the log line names: the action, or the admin path.
  std::string label{};
};

struct RouterOptions {
  // "http://<host>:<port>": prefixed to path-only QueueUrls.
  std::string endpoint{};
  // Access key id -> secret; empty: no authentication.
  std::map<std::string, std::string> access_keys{};
  // Access key id -> the IAM principal ARN its requests act as (IAM decides
  // each of them). A key without one acts as the server itself: never
  // evaluated.
  std::map<std::string, std::string> principals{};
  // The region a signature's credential scope must name.
  std::string region = "us-east-1";
  // Control endpoints (see control_access.h): Host names accepted besides IP
  // literals and localhost, and the token that opens them (empty: none).
  std::vector<std::string> control_hosts{};
  std::string admin_token{};
  // Whose clock signatures are checked against (clients sign with their
  // real clock, whatever the virtual time is); nullptr: the real world
  // (NewRealEnv). Tests pass an Env with a clock of their own. Must outlive
  // the router.
  Env* signing_env = nullptr;
};

class TraceHeaderCarrier;  // router.cc

class Router {
 public:
  // `backend` must outlive the router.
  Router(Backend* backend, RouterOptions options);

  boost::asio::awaitable<Reply> Handle(HttpRequest request);

  // Handle in two steps, so that the server pays for a coroutine only when
  // a request must wait: Route answers at once (`reply`), or hands back
  // what is left to do (`later`: a long poll, or a fault's latency), which
  // Complete runs.
  struct Outcome {
    std::optional<Reply> reply{};
    std::optional<boost::asio::awaitable<Reply>> later{};
  };
  Outcome Route(const HttpRequest& request);
  boost::asio::awaitable<Reply> Complete(Outcome outcome);

  // The reply to a request refused before its body was read (`head` has no
  // body): `status` in the request's protocol, with HTTP `http_status`.
  Reply Reject(const HttpRequest& head, const Status& status, int http_status);

 private:
  enum class Protocol { kJson, kQuery };

  Outcome RouteJson(const HttpRequest& request, std::string request_id);
  Outcome RouteQuery(const HttpRequest& request, std::string request_id);
  // SNS's query protocol on the same port (Action=Publish&...): decoded,
  // run on the backend's SnsHost and answered in SNS's XML.
  Reply RouteSns(wire::SnsAction action, const wire::FormFields& form, std::string request_id);
  template <typename Request>
  Reply RunSns(wire::SnsAction action, const wire::FormFields& form, std::string request_id);
  Outcome Dispatch(Action action, Protocol protocol, const HttpRequest& http,
                   const wire::FormFields* form, std::string path_queue_url,
                   std::string request_id);
  template <typename Request, typename Response>
  Outcome Run(Action action, Protocol protocol, const HttpRequest& http,
              const wire::FormFields* form, std::string path_queue_url, std::string request_id);
  // The call itself when it needs no waiting (nullopt: a receive that
  // reaches the backend, which may have to wait).
  template <typename Request, typename Response>
  std::optional<Result<Response>> CallAtOnce(Request& request, ClientFault& fault,
                                             const iam::Caller* caller);
  // The part of Run after a wait: the fault's latency, then the call (a
  // receive may suspend), then the reply.
  template <typename Request, typename Response>
  boost::asio::awaitable<Reply> RunLater(Action action, Protocol protocol, Request request,
                                         ClientFault fault, std::string request_id,
                                         TraceHeaderCarrier trace_header,
                                         std::optional<iam::Caller> caller);
  template <typename Response>
  Reply Answer(Action action, Protocol protocol, Result<Response> result, const ClientFault& fault,
               std::string request_id) const;
  Status Authenticate(const HttpRequest& request) const;
  // The principal an authenticated request acts as, by its access key;
  // nullopt when its key maps to none.
  std::optional<iam::Caller> CallerOf(const HttpRequest& request) const;
  Reply Error(Protocol protocol, const Status& status, std::string request_id) const;
  Reply OutOfMemory(Protocol protocol) const;

  Backend* backend_;
  RouterOptions options_;
  std::unique_ptr<Env> owned_env_;
  Env* signing_env_;
};

// Admin endpoints (admin.cc): `request.target` starts with kAdminPrefix and
// the request passed CheckControlAccess.
Reply HandleAdmin(Backend& backend, const HttpRequest& request);
// An admin endpoint's error reply: {"error": message} with `status`.
Reply AdminFailure(int status, std::string message);

}  // namespace sqsim::internal

#endif  // SQSIM_SERVER_ROUTER_H_
