// sqsim-server: the SQS simulator over HTTP, for any AWS SDK or tool.
//
// Parses the command line into ServerOptions, prints the endpoint URL as the
// first line of stdout (so scripts and tests can read the chosen port), and
// serves until SIGINT or SIGTERM.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "sqsim/http/server.h"

namespace {

constexpr const char* kUsage = R"(usage: sqsim-server [options]

A deterministic Amazon SQS simulator speaking the SQS JSON and query
protocols, for any AWS SDK or the aws CLI.

options:
  --port N             TCP port; 0 picks a free one (default 9324)
  --bind ADDR          address to listen on (default 127.0.0.1)
  --host NAME          host named in queue URLs (default: the bind address)
  --config FILE        JSON file of queues to create at start (and on reset)
  --seed N             seed of every random choice (default 1)
  --time real|manual   real: virtual time follows the wall clock (default);
                       manual: time moves only via POST /_sqsim/time/advance
  --region NAME        region in queue ARNs, and the one signatures must be
                       scoped to (default us-east-1)
  --account-id ID      12-digit account in queue URLs (default 000000000000)
  --access-key ID:SECRET[:PRINCIPAL_ARN]
                       verify SigV4 signatures; repeatable. Without it any
                       credentials are accepted, but a request with an
                       Origin header (a web page's) is refused. With a
                       principal (arn:aws:iam::ACCOUNT:role/NAME, ...), the
                       key's requests act as it and IAM decides each one
  --identity-policy PRINCIPAL_ARN=FILE
                       an identity policy (JSON) of that principal, named
                       after the file; repeatable
  --kms-key alias/NAME[=POLICY_FILE]
                       a KMS key for SSE-KMS queues (KmsMasterKeyId), with
                       KMS's default key policy or the file's; repeatable.
                       alias/aws/sqs always exists; other keys are KmsNotFound
  --admin-token TOKEN  the control endpoints need X-Sqsim-Admin-Token: TOKEN
                       (with --access-key they need it or a signed request)
  --faults FILE        fault plan (the library's FaultPlan JSON)
  --exact              no simulated imprecision: strict order, full short polls
  --max-body-bytes N   largest request body (default 4194304)
  --max-messages N     messages stored across all queues; a send beyond it
                       gets 503 ServiceUnavailable (default 10000000; 0: none)
  --max-bytes N        bytes of message bodies stored (default 4294967296)
  --max-queues N       queues; CreateQueue beyond it gets 503 (default 100000)
  --max-connections N  open connections; a new one beyond it is answered 503
                       and closed (default 10000)
  --quiet              no log output; --verbose logs every request (default)
  --errors-only        log start-up and errors only
  --help               this text

The first line on stdout is the endpoint URL, e.g. http://127.0.0.1:9324

config file:
  {"queues":[{"name":"orders-dlq"},
             {"name":"orders","attributes":{"VisibilityTimeout":"30"},
              "dead_letter_queue":"orders-dlq","max_receive_count":5,
              "tags":{"team":"billing"}},
             {"name":"grades.fifo","attributes":{"FifoQueue":"true"}}]}

admin endpoints (JSON; for programs, not web pages: a request with an Origin
header, or whose Host is not an IP address, localhost or --host, is refused,
and POST and PUT need Content-Type: application/json; health is always open):
  GET  /_sqsim/health                   liveness, time and seed
  GET  /_sqsim/time                     the virtual time
  POST /_sqsim/time/advance             {"seconds":60} or {"ms":500}
  POST /_sqsim/seed                     {"seed":7}: reset with a new seed
  PUT  /_sqsim/faults                   install a fault plan (resets)
  GET  /_sqsim/faults                   the plan and how often rules fired
  GET  /_sqsim/queues/NAME/messages     peek at stored messages (changes nothing), paged:
                                       ?limit=N (1..1000, default 100; at most 1 MiB
                                       of bodies) &cursor=C (an earlier next_cursor)
  GET  /_sqsim/queues/NAME/metrics      CloudWatch-shaped queue metrics, one-minute
                                       datapoints in virtual time: ?metric=NAME
                                       (default all) &period=SECONDS (default 60)
  GET  /_sqsim/metrics                  the same for every queue (deleted ones too)
  GET  /_sqsim/trace[?format=text]      the event trace and its hash
  POST /_sqsim/reset                    drop everything; re-create config queues

examples:
  sqsim-server --port 9324 --config queues.json --seed 42
  sqsim-server --port 0 --time manual --quiet
  aws --endpoint-url http://127.0.0.1:9324 sqs create-queue --queue-name orders
  curl -H 'Content-Type: application/json' -d '{"seconds":60}' \
       http://127.0.0.1:9324/_sqsim/time/advance
)";

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "sqsim-server: %s\n", message.c_str());
  return 2;
}

bool ParseUnsigned(std::string_view text, uint64_t max, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (max - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

// Applies a flag that takes no value; false when `arg` is not one.
bool ApplySwitch(std::string_view arg, sqsim::http::ServerOptions* options) {
  if (arg == "--quiet") {
    options->log_level = sqsim::http::LogLevel::kQuiet;
  } else if (arg == "--verbose") {
    options->log_level = sqsim::http::LogLevel::kRequests;
  } else if (arg == "--errors-only") {
    options->log_level = sqsim::http::LogLevel::kErrors;
  } else if (arg == "--exact") {
    options->realism = false;
  } else {
    return false;
  }
  return true;
}

// Applies `arg value`; returns an error message, empty on success.
std::string ApplyOption(std::string_view arg, const std::string& value,
                        sqsim::http::ServerOptions* options) {
  uint64_t number = 0;
  if (arg == "--port") {
    if (!ParseUnsigned(value, 65535, &number)) return "--port needs 0..65535";
    options->port = static_cast<uint16_t>(number);
  } else if (arg == "--bind") {
    options->bind_address = value;
  } else if (arg == "--host") {
    options->advertised_host = value;
  } else if (arg == "--seed") {
    if (!ParseUnsigned(value, UINT64_MAX, &number)) return "--seed needs an integer";
    options->seed = number;
  } else if (arg == "--time") {
    if (value != "real" && value != "manual") return "--time must be real or manual";
    options->time_mode =
        value == "real" ? sqsim::http::TimeMode::kReal : sqsim::http::TimeMode::kManual;
  } else if (arg == "--region") {
    options->region = value;
  } else if (arg == "--account-id") {
    options->account_id = value;
  } else if (arg == "--max-body-bytes") {
    if (!ParseUnsigned(value, uint64_t{1} << 32, &number) || number == 0) {
      return "--max-body-bytes needs a positive integer";
    }
    options->max_body_bytes = static_cast<size_t>(number);
  } else if (arg == "--max-messages" || arg == "--max-bytes" || arg == "--max-queues" ||
             arg == "--max-connections") {
    const uint64_t most =
        arg == "--max-messages" || arg == "--max-bytes" ? uint64_t{1} << 62 : uint64_t{INT32_MAX};
    if (!ParseUnsigned(value, most, &number)) return std::string(arg) + " needs an integer >= 0";
    if (arg == "--max-messages") options->max_stored_messages = static_cast<int64_t>(number);
    if (arg == "--max-bytes") options->max_stored_bytes = static_cast<int64_t>(number);
    if (arg == "--max-queues") options->max_queues = static_cast<int>(number);
    if (arg == "--max-connections") options->max_connections = static_cast<int>(number);
  } else if (arg == "--access-key") {
    // ID:SECRET, or ID:SECRET:ARN (the ARN has colons of its own).
    const size_t colon = value.find(':');
    const size_t second = colon == std::string::npos ? colon : value.find(':', colon + 1);
    const size_t secret_end = second == std::string::npos ? value.size() : second;
    if (colon == std::string::npos || colon == 0 || colon + 1 >= secret_end) {
      return "--access-key needs ID:SECRET or ID:SECRET:PRINCIPAL_ARN";
    }
    const std::string id = value.substr(0, colon);
    options->access_keys[id] = value.substr(colon + 1, secret_end - colon - 1);
    if (second != std::string::npos) {
      const std::string arn = value.substr(second + 1);
      if (!arn.starts_with("arn:")) return "--access-key: '" + arn + "' is not a principal ARN";
      options->access_key_principals[id] = arn;
    }
  } else if (arg == "--kms-key") {
    const size_t equals = value.find('=');
    std::string policy;
    if (equals != std::string::npos && !ReadFile(value.substr(equals + 1), &policy)) {
      return "cannot read key policy " + value.substr(equals + 1);
    }
    options->kms_keys[value.substr(0, equals)] = std::move(policy);
  } else if (arg == "--identity-policy") {
    const size_t equals = value.rfind('=');
    if (equals == std::string::npos || !value.starts_with("arn:") || equals + 1 == value.size()) {
      return "--identity-policy needs PRINCIPAL_ARN=FILE";
    }
    const std::string path = value.substr(equals + 1);
    std::string text;
    if (!ReadFile(path, &text)) return "cannot read identity policy " + path;
    std::string name = path.substr(path.find_last_of('/') + 1);
    if (const size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    options->identity_policies[value.substr(0, equals)][name] = std::move(text);
  } else if (arg == "--admin-token") {
    if (value.empty()) return "--admin-token needs a token";
    options->admin_token = value;
  } else if (arg == "--config") {
    if (!ReadFile(value, &options->queues_config)) return "cannot read config " + value;
  } else if (arg == "--faults") {
    std::string text;
    if (!ReadFile(value, &text)) return "cannot read fault plan " + value;
    sqsim::Result<sqsim::FaultPlan> plan = sqsim::FaultPlan::FromJson(text);
    if (!plan.ok()) return value + ": " + plan.status().message();
    options->faults = std::move(plan).value();
  } else {
    return "unknown option " + std::string(arg) + " (see --help)";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  sqsim::http::ServerOptions options;
  options.handle_signals = true;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (ApplySwitch(arg, &options)) continue;
    if (i + 1 >= argc) return Fail("unknown option or missing value: " + std::string(arg));
    if (std::string error = ApplyOption(arg, argv[++i], &options); !error.empty()) {
      return Fail(error);
    }
  }

  sqsim::Result<std::unique_ptr<sqsim::http::Server>> server =
      sqsim::http::Server::Create(std::move(options));
  if (!server.ok()) return Fail(server.status().message());
  std::printf("%s\n", (*server)->endpoint_url().c_str());
  std::fflush(stdout);
  (*server)->Run();
  return 0;
}
