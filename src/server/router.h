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

#include "server/backend.h"
#include "sqsim/env.h"
#include "sqsim/status.h"
#include "wire/http_message.h"
#include "wire/query_codec.h"

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

class Router {
 public:
  // `backend` must outlive the router.
  Router(Backend* backend, RouterOptions options);

  boost::asio::awaitable<Reply> Handle(HttpRequest request);

  // The reply to a request refused before its body was read (`head` has no
  // body): `status` in the request's protocol, with HTTP `http_status`.
  Reply Reject(const HttpRequest& head, const Status& status, int http_status);

 private:
  enum class Protocol { kJson, kQuery };

  boost::asio::awaitable<Reply> HandleJson(HttpRequest& request, std::string request_id);
  boost::asio::awaitable<Reply> HandleQuery(HttpRequest& request, std::string request_id);
  boost::asio::awaitable<Reply> Dispatch(Action action, Protocol protocol, const HttpRequest& http,
                                         const wire::FormFields* form, std::string path_queue_url,
                                         std::string request_id);
  template <typename Request, typename Response>
  boost::asio::awaitable<Reply> Run(Action action, Protocol protocol, const HttpRequest& http,
                                    const wire::FormFields* form, std::string path_queue_url,
                                    std::string request_id);
  Status Authenticate(const HttpRequest& request) const;
  Reply Error(Protocol protocol, const Status& status, std::string request_id) const;

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
