// Who may use the control endpoints (/_sqsim/): they read message bodies,
// reset state, install faults and move the clock, so a request must come
// from a program on purpose, never from a web page a browser happens to show.
//
// The policy, in the order checked:
//   1. No `Origin` header: browsers send one with every cross-origin request
//      they make (and with every POST), other clients never do, and the
//      server serves no pages of its own. A request with one gets 403.
//   2. `Host` names this server: an IP literal, "localhost", or one of
//      `host_names` (the advertised host). A DNS-rebinding page reaches
//      127.0.0.1 under a name of its own and gets 403.
//   3. A request that changes state (any method but GET and HEAD) has
//      `Content-Type: application/json`, which no HTML form can send and
//      which a cross-origin script cannot send without a preflight the
//      server never grants; 415 otherwise.
//   4. When `signatures_required` (the server verifies SigV4) or an
//      `admin_token` is set, every endpoint but `health` needs the token in
//      `X-Sqsim-Admin-Token` or, with signatures required, a request signed
//      by one of the server's keys (as any SQS request); 403 otherwise.

#ifndef SQSIM_SERVER_CONTROL_ACCESS_H_
#define SQSIM_SERVER_CONTROL_ACCESS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqsim/status.h"
#include "wire/http_message.h"

namespace sqsim::internal {

struct ControlAccessPolicy {
  // Host names accepted besides IP literals and "localhost" (lower case).
  std::vector<std::string> host_names{};
  // Opens the control endpoints when sent as X-Sqsim-Admin-Token; empty: no
  // token.
  std::string admin_token{};
  // Whether SQS requests must be signed; then control requests must be
  // signed too (or carry the token).
  bool signatures_required = false;
};

struct ControlRefusal {
  int http_status = 403;
  std::string message;
};

// nullopt when `request` (whose target is under /_sqsim/) may proceed.
// `verify_signature` checks a SigV4-signed request as the SQS endpoints do.
std::optional<ControlRefusal> CheckControlAccess(
    const HttpRequest& request, const ControlAccessPolicy& policy,
    const std::function<Status(const HttpRequest&)>& verify_signature);

}  // namespace sqsim::internal

#endif  // SQSIM_SERVER_CONTROL_ACCESS_H_
