// Server: the simulator over HTTP, for every AWS SDK (`sqsim-server`).
//
// A Server listens on a TCP port and speaks both SQS wire protocols:
//
//  * JSON (awsJson1_0, current SDKs): `POST /` with
//    `X-Amz-Target: AmazonSQS.<Action>` and a JSON body;
//  * query (API 2012-11-05, older SDKs and tools): form-encoded
//    `Action=<Action>&...` in a POST body or a GET query string, answered in
//    XML. The request target may be the queue's path (`/<account>/<name>`)
//    instead of a `QueueUrl` parameter.
//
// Queue URLs are `http://<host>:<port>/<account-id>/<queue-name>`; a QueueUrl
// is accepted with any host (`localhost` for `127.0.0.1`, say), as a path
// (`/<account-id>/<name>`) or as a bare queue name. Every response carries an
// `x-amzn-RequestId`; JSON errors carry `__type` and `x-amzn-query-error`
// exactly as SQS sends them, so SDKs raise the usual exceptions.
//
// Requests that name no known action (an `X-Amz-Target` other than
// `AmazonSQS.<one of the 23 actions>`, or no `Action=`) get SQS's
// query-compatible `InvalidAction` error (HTTP 400); a body that is not JSON
// gets `SerializationException`; a body over `max_body_bytes` gets HTTP 413
// with `InvalidParameterValue`; bytes that are not HTTP get a plain 400 and
// the connection is closed. A bad request never changes stored messages.
//
// Behind the sockets runs the simulator's engine on a virtual clock:
//
//  * TimeMode::kReal: virtual time follows the wall clock (plus whatever
//    `/_sqsim/time/advance` added), so delays, visibility timeouts and long
//    polls take real time, as against SQS;
//  * TimeMode::kManual: time moves only through `/_sqsim/time/advance`. A
//    long poll then waits until a message arrives or time is advanced past
//    its WaitTimeSeconds.
//
// Admin endpoints live under the reserved path `/_sqsim/` (JSON in and out;
// protected as `admin_token` below says):
//
//   GET  /_sqsim/health                     {"status":"ok","waiting_receives":N,...}
//   GET  /_sqsim/time                       {"now":"2026-...Z","now_us":...,"mode":"real"}
//   POST /_sqsim/time/advance               {"seconds":N} or {"ms":N}; wakes long polls
//   POST /_sqsim/seed                       {"seed":N}: reset with a new seed
//   PUT  /_sqsim/faults                     a FaultPlan (fault.h JSON): reset with it
//   GET  /_sqsim/faults                     the plan and how often each rule fired
//   GET  /_sqsim/queues/<name>/messages     peek: stored messages with their
//                                           state, visibility deadline and receive
//                                           count; changes nothing; paged
//                                           (?limit=N&cursor=C, next_cursor)
//   GET  /_sqsim/trace[?format=text]        the trace (hash, events)
//   POST /_sqsim/reset                      back to the start state: no messages,
//                                           the configured queues, same seed and plan
//
// A reset (seed, faults, reset) drops every queue and message, re-creates the
// configured queues and ends waiting long polls with no messages. In manual
// mode the clock returns to the start time; in real mode it keeps following
// the wall clock (virtual time never runs backwards for a live client).
// Fault plans apply as in the library: delivery effects inside the engine,
// client-boundary effects per request (kError: the error response;
// kLoseResponse: the action takes effect and the connection is closed
// without a response; kLatency: the response is delayed by that much wall
// time in both modes; kEmptyReceive: an empty ReceiveMessage).
//
//   auto server = Server::Create({.port = 0, .time_mode = TimeMode::kManual}).value();
//   server->Start();                          // serves on an internal thread
//   std::string url = server->endpoint_url(); // "http://127.0.0.1:41234"
//   ... point an SDK at `url` ...
//   server->Stop();
//
// Thread safety: Create, port() and endpoint_url() from any one thread;
// Stop() may be called from any thread, also while Run() blocks in another.
// The simulation itself runs on one thread (the one in Run(), or Start()'s).

#ifndef SQSIM_HTTP_SERVER_H_
#define SQSIM_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sqsim/fault.h"
#include "sqsim/status.h"
#include "sqsim/types.h"

namespace sqsim::internal {
class ServerImpl;
}

namespace sqsim::http {

enum class TimeMode {
  kReal,    // virtual time = wall clock at start + elapsed time (+ advances)
  kManual,  // virtual time moves only when /_sqsim/time/advance says so
};

enum class LogLevel {
  kQuiet,     // nothing
  kErrors,    // start-up and failures (connection errors, bad requests)
  kRequests,  // plus one line per request: method, action, status, latency
};

struct ServerOptions {
  // TCP port to listen on; 0 picks a free one (see Server::port()).
  // Default: 9324 (the port ElasticMQ uses, so existing configs work).
  uint16_t port = 9324;

  // Address to bind. Default: "127.0.0.1" (loopback only).
  std::string bind_address = "127.0.0.1";

  // Host that queue URLs name. Empty: the bind address, or "localhost" when
  // binding every interface ("0.0.0.0" or "::"). Default: "".
  std::string advertised_host{};

  // Seed of every random choice (message ids, receipt handles, sampling,
  // faults, request ids). Default: 1.
  uint64_t seed = 1;

  TimeMode time_mode = TimeMode::kReal;

  // When the virtual clock starts. Unset: the wall clock at start-up in
  // kReal mode; 2026-01-01T00:00:00Z in kManual mode (deterministic runs).
  // Default: unset.
  std::optional<Timestamp> start_time{};

  // Region and account id of queue URLs and ARNs. The account defaults to
  // the one LocalStack and ElasticMQ use, so their example URLs work.
  // Default: "us-east-1", "000000000000".
  std::string region = "us-east-1";
  std::string account_id = "000000000000";

  // Queues to create at start (and after every reset), as JSON:
  //   {"queues":[{"name":"orders-dlq"},
  //              {"name":"orders","attributes":{"VisibilityTimeout":"30"},
  //               "dead_letter_queue":"orders-dlq","max_receive_count":5,
  //               "tags":{"team":"billing"}},
  //              {"name":"grades.fifo","attributes":{"FifoQueue":"true"}}]}
  // Dead-letter queues are created before the queues that name them. Empty:
  // no queues. Default: "".
  std::string queues_config{};

  // Access key id -> secret key. Empty: any credentials (or none) are
  // accepted, but a request with an Origin header (a web page's, which could
  // otherwise post a form such as Action=DeleteQueue) is refused with 403
  // AccessDenied. Otherwise every SQS request must carry a valid SigV4
  // signature by one of these keys, dated within 15 minutes of the wall
  // clock (not the virtual clock: clients sign with real time).
  // Default: empty.
  std::map<std::string, std::string> access_keys{};

  // Access key id (one of `access_keys`) -> the IAM principal its requests
  // act as: a user or role ARN ("arn:aws:iam::000000000000:role/enrollment")
  // or an STS role session's. Each such request is first decided by IAM's
  // evaluation logic over the principal's `identity_policies` and the queue's
  // Policy attribute (sqsim/iam.h); a denied one is answered AccessDenied
  // (HTTP 403) with SQS's message, which SDKs raise as usual. The server
  // speaks plain HTTP, so aws:SecureTransport is false; aws:SourceIp is
  // absent. A key without a principal acts as the server itself and is never
  // evaluated. Default: empty (nothing is evaluated, as before).
  std::map<std::string, std::string> access_key_principals{};

  // Identity policies: principal ARN -> policy name -> policy JSON (the
  // library's SimulatorOptions::identity_policies); kept across resets.
  // Default: none.
  std::map<std::string, std::map<std::string, std::string>> identity_policies{};

  // KMS keys for SSE-KMS queues to name (KmsMasterKeyId), by alias: alias ->
  // key policy JSON ("" for KMS's default policy); kept across resets. The
  // AWS managed alias/aws/sqs always exists. A queue naming any other key
  // fails its sends and receives with KmsNotFound, as on SQS. Default: none.
  std::map<std::string, std::string> kms_keys{};

  // The control endpoints (/_sqsim/: peek, reset, seed, faults, time) read
  // message bodies and change state, so they refuse browser requests
  // (an Origin header, a Host that is not an IP address, localhost or
  // `advertised_host`, a state change without Content-Type:
  // application/json). With `access_keys`, or with this token set, they
  // also need `X-Sqsim-Admin-Token: <token>` or (with `access_keys`) a
  // SigV4-signed request; GET /_sqsim/health stays open. Default: "".
  std::string admin_token{};

  // Faults to inject, decided from `seed`. Default: none.
  FaultPlan faults{};

  // Whether standard queues imitate SQS's imprecision (occasional
  // reordering, short polls that sample servers), as the library's
  // RealismOptions defaults do. false gives strict order and complete short
  // polls. Default: true.
  bool realism = true;

  // Largest request body accepted. A larger one gets HTTP 413 with an SQS
  // error (InvalidParameterValue, in the request's protocol) and the
  // connection is closed. SQS accepts 1 MiB payloads; JSON or form encoding
  // of a full batch needs some more. Default: 4 MiB.
  size_t max_body_bytes = size_t{4} << 20;

  // The server's capacity (0: no limit). Beyond the stored messages or
  // bytes (message bodies, across all queues) a send fails with
  // ServiceUnavailable (HTTP 503, which SDKs retry) and stores nothing;
  // beyond the queues CreateQueue fails the same way. Over
  // `max_connections` open connections a new one is answered 503
  // ServiceUnavailable and closed. Running out of file descriptors or
  // memory is logged at most once per 10 s; a request that fails to
  // allocate gets 500 InternalFailure (retryable) and leaves nothing
  // half-done: each message of a send is stored whole or not at all (a
  // batch may have stored some entries, as after a 500 from SQS), and no
  // stored message is lost or stranded.
  // Defaults: 10,000,000 messages, 4 GiB, 100,000 queues, 10,000
  // connections.
  int64_t max_stored_messages = 10'000'000;
  int64_t max_stored_bytes = int64_t{4} << 30;
  int max_queues = 100'000;
  int max_connections = 10'000;

  // How long a connection may take to send a request's header, counted
  // from the end of its previous request (or from its opening): an idle
  // keep-alive connection, or one that sends its header a byte at a time,
  // is closed after this. Reading a body has 60 s, writing a response 60 s
  // (a long poll's wait counts against nothing). Deadlines hold to within
  // half a second. Default: 120 s.
  std::chrono::milliseconds idle_timeout = std::chrono::seconds(120);

  // Where log lines go (one call per line, no newline). Unset: stderr.
  // Called on the server's thread. Default: unset.
  std::function<void(std::string_view line)> log_sink{};
  LogLevel log_level = LogLevel::kRequests;

  // Run() also returns on SIGINT or SIGTERM (for the command-line program).
  // Default: false.
  bool handle_signals = false;
};

class Server {
 public:
  // Binds the port, creates the configured queues and returns a server that
  // is not serving yet. Fails with kInvalidParameterValue when an option or
  // the queues config is malformed (the message names the queue and field),
  // and kNetworkError when the address cannot be bound.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options);

  // Stops (if serving) and releases the port.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when ServerOptions::port was 0).
  uint16_t port() const;
  // "http://<advertised host>:<port>": the SDKs' endpoint URL.
  std::string endpoint_url() const;

  // Serves on the calling thread until Stop() (or a signal, see
  // handle_signals). REQUIRES: neither Run() nor Start() was called before.
  void Run();
  // Serves on an internal thread and returns at once. Same REQUIRES.
  void Start();
  // Stops serving: closes the listener and every connection, and joins the
  // internal thread. Safe to call more than once and from any thread.
  void Stop();

 private:
  explicit Server(std::unique_ptr<sqsim::internal::ServerImpl> impl);
  std::unique_ptr<sqsim::internal::ServerImpl> impl_;
};

}  // namespace sqsim::http

#endif  // SQSIM_HTTP_SERVER_H_
