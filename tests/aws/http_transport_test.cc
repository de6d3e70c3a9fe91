// HttpTransport against a real server on loopback (tests/aws/test_http_server.h):
// pooling, the stale-connection retry, timeouts, error mapping and TLS
// verification. The client runs on an io_context in the test thread.

#include "aws/http_transport.h"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "aws/test_http_server.h"
#include "aws/test_tls_certs.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::internal {
namespace {

namespace net = boost::asio;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using test::RecordedRequest;
using test::TestHttpServer;
using test::TestHttpServerOptions;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

constexpr Duration kTimeout = std::chrono::seconds(10);

HttpRequest Post(std::string body, std::string action = "") {
  HttpRequest request;
  request.method = "POST";
  request.target = "/queue?Action=Test";
  request.body = std::move(body);
  if (!action.empty()) request.headers.Set("X-Test-Action", action);
  return request;
}

std::string HeaderOf(const HttpResponse& response, std::string_view name) {
  const std::string* value = response.headers.Find(name);
  return value != nullptr ? *value : "";
}

// A port nothing listens on: bind an ephemeral port, then release it.
uint16_t UnusedPort() {
  net::io_context io;
  net::ip::tcp::acceptor acceptor(io, {net::ip::address_v4::loopback(), 0});
  return acceptor.local_endpoint().port();
}

class HttpTransportTest : public ::testing::Test {
 protected:
  static Endpoint LocalEndpoint(const TestHttpServer& server, bool tls = false) {
    return Endpoint{.tls = tls, .host = "127.0.0.1", .port = server.port()};
  }

  // Sends the requests concurrently (one coroutine each) and runs the
  // client io_context until all have finished.
  std::vector<Result<HttpResponse>> SendAll(HttpTransport& transport, const Endpoint& endpoint,
                                            std::vector<HttpRequest> requests,
                                            Duration timeout = kTimeout) {
    std::vector<std::optional<Result<HttpResponse>>> results(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      net::co_spawn(
          io_,
          [&, i]() -> net::awaitable<void> {
            results[i].emplace(co_await transport.Send(endpoint, std::move(requests[i]), timeout));
          },
          net::detached);
    }
    io_.restart();
    io_.run();
    std::vector<Result<HttpResponse>> out;
    for (auto& result : results) {
      // io_.run() returns only when every coroutine has finished.
      SQSIM_ASSERT(result.has_value(), "a Send coroutine never completed");
      out.push_back(std::move(*result));
    }
    return out;
  }

  Result<HttpResponse> SendOne(HttpTransport& transport, const Endpoint& endpoint,
                               HttpRequest request, Duration timeout = kTimeout) {
    std::vector<HttpRequest> requests;
    requests.push_back(std::move(request));
    return std::move(SendAll(transport, endpoint, std::move(requests), timeout).front());
  }

  net::io_context io_;
};

TEST_F(HttpTransportTest, ReturnsTheServersResponse) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  Result<HttpResponse> response = SendOne(transport, LocalEndpoint(server), Post("hello"));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  EXPECT_EQ(HeaderOf(*response, "Content-Type"), "text/plain");
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
  EXPECT_EQ(server.requests()[0].target, "/queue?Action=Test");
  EXPECT_EQ(server.requests()[0].body, "hello");
}

TEST_F(HttpTransportTest, SetsHostUserAgentContentLengthAndKeepAlive) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("12345")), IsOk());
  const RecordedRequest request = server.requests().at(0);
  EXPECT_THAT(request.Header("Host"), Optional("127.0.0.1:" + std::to_string(server.port())));
  EXPECT_THAT(request.Header("User-Agent"), Optional(StartsWith("sqsim/")));
  EXPECT_THAT(request.Header("Content-Length"), Optional(std::string("5")));
  EXPECT_THAT(request.Header("Connection"), Optional(std::string("keep-alive")));
}

TEST_F(HttpTransportTest, KeepsCallerSuppliedHeaders) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  HttpRequest request = Post("x");
  request.headers.Set("User-Agent", "my-app/2");
  request.headers.Set("X-Amz-Target", "AmazonSQS.SendMessage");
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), std::move(request)), IsOk());
  const RecordedRequest recorded = server.requests().at(0);
  EXPECT_THAT(recorded.Header("User-Agent"), Optional(std::string("my-app/2")));
  EXPECT_THAT(recorded.Header("X-Amz-Target"), Optional(std::string("AmazonSQS.SendMessage")));
}

TEST_F(HttpTransportTest, ReusesKeepAliveConnection) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  Result<HttpResponse> first = SendOne(transport, LocalEndpoint(server), Post("1"));
  Result<HttpResponse> second = SendOne(transport, LocalEndpoint(server), Post("2"));
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(server.accept_count(), 1);
  EXPECT_EQ(HeaderOf(*second, "X-Request-Index"), "1");
  EXPECT_EQ(transport.idle_connection_count(), 1u);
}

TEST_F(HttpTransportTest, DoesNotPoolConnectionCloseResponses) {
  TestHttpServer server(TestHttpServerOptions{.close_after_response = true});
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("1")), IsOk());
  EXPECT_EQ(transport.idle_connection_count(), 0u);
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("2")), IsOk());
  EXPECT_EQ(server.accept_count(), 2);
}

TEST_F(HttpTransportTest, DoesNotPoolHttp10ResponsesWithoutKeepAlive) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("1", "http10")), IsOk());
  EXPECT_EQ(transport.idle_connection_count(), 0u);
}

TEST_F(HttpTransportTest, ReplacesPooledConnectionTheServerClosedWhileIdle) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("1")), IsOk());
  server.CloseIdleConnections();
  Result<HttpResponse> second = SendOne(transport, LocalEndpoint(server), Post("2"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->body, "2");
  EXPECT_EQ(server.accept_count(), 2);
}

TEST_F(HttpTransportTest, RetriesOnceWhenReusedConnectionClosesBeforeResponding) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("1")), IsOk());
  Result<HttpResponse> second =
      SendOne(transport, LocalEndpoint(server), Post("2", "drop-if-reused"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->body, "2");
  EXPECT_EQ(HeaderOf(*second, "X-Connection-Id"), "2");
  EXPECT_EQ(server.accept_count(), 2);
  EXPECT_EQ(server.requests().size(), 3u);  // "1", the dropped "2", the resent "2"
}

TEST_F(HttpTransportTest, DoesNotRetryFreshConnectionClosedBeforeResponding) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server), Post("1", "drop")),
              StatusIs(ErrorCode::kNetworkError, HasSubstr("127.0.0.1")));
  EXPECT_EQ(server.accept_count(), 1);
}

TEST_F(HttpTransportTest, DoesNotRetryWhenConnectionResetsMidResponse) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("1")), IsOk());
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server), Post("2", "reset")),
              StatusIs(ErrorCode::kNetworkError, HasSubstr("reading the response from")));
  EXPECT_EQ(server.accept_count(), 1);
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(transport.idle_connection_count(), 0u);
}

TEST_F(HttpTransportTest, ConcurrentSendsEachGetTheirOwnConnection) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  constexpr int kRequests = 20;
  std::vector<HttpRequest> requests;
  for (int i = 0; i < kRequests; ++i)
    requests.push_back(Post("body-" + std::to_string(i), "barrier:20"));
  std::vector<Result<HttpResponse>> responses =
      SendAll(transport, LocalEndpoint(server), std::move(requests));
  std::set<std::string> connections;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_THAT(responses[i], IsOk()) << i;
    EXPECT_EQ(responses[i]->body, "body-" + std::to_string(i));
    connections.insert(HeaderOf(*responses[i], "X-Connection-Id"));
  }
  EXPECT_EQ(connections.size(), static_cast<size_t>(kRequests));
  EXPECT_EQ(server.accept_count(), kRequests);
  EXPECT_EQ(transport.idle_connection_count(), static_cast<size_t>(kRequests));
}

TEST_F(HttpTransportTest, CapsIdleConnectionsPerEndpoint) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {.max_idle_connections_per_endpoint = 3});
  std::vector<HttpRequest> requests;
  for (int i = 0; i < 6; ++i) requests.push_back(Post("x", "barrier:6"));
  for (const auto& response : SendAll(transport, LocalEndpoint(server), std::move(requests))) {
    ASSERT_THAT(response, IsOk());
  }
  EXPECT_EQ(transport.idle_connection_count(), 3u);
}

TEST_F(HttpTransportTest, RefusedConnectionIsNetworkError) {
  HttpTransport transport(io_.get_executor(), {});
  const uint16_t port = UnusedPort();
  const Endpoint endpoint{.tls = false, .host = "127.0.0.1", .port = port};
  EXPECT_THAT(SendOne(transport, endpoint, Post("x")),
              StatusIs(ErrorCode::kNetworkError,
                       AllOf(HasSubstr("connect to 127.0.0.1:" + std::to_string(port)),
                             HasSubstr("refused"))));
}

TEST_F(HttpTransportTest, UnresolvableHostIsNetworkError) {
  HttpTransport transport(io_.get_executor(), {});
  const Endpoint endpoint{.tls = false, .host = "no-such-host.invalid", .port = 80};
  EXPECT_THAT(SendOne(transport, endpoint, Post("x")),
              StatusIs(ErrorCode::kNetworkError, HasSubstr("cannot resolve host")));
}

TEST_F(HttpTransportTest, StalledResponseTimesOutWithinTheTimeout) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  // The server would answer after a minute; getting kTimeout at all shows
  // the 200 ms timeout ended the call, however slowly the machine runs.
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server), Post("x", "stall:60000"),
                      std::chrono::milliseconds(200)),
              StatusIs(ErrorCode::kTimeout, HasSubstr("timed out after 200 ms")));
}

TEST_F(HttpTransportTest, TimedOutConnectionIsNotReused) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("x", "stall:60000"),
                      std::chrono::milliseconds(100)),
              StatusIs(ErrorCode::kTimeout));
  EXPECT_EQ(transport.idle_connection_count(), 0u);
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server), Post("y")), IsOk());
  EXPECT_EQ(server.accept_count(), 2);
}

TEST_F(HttpTransportTest, OversizedResponseBodyIsMalformed) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {.max_response_body_bytes = 1024});
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server), Post("x", "body:4096")),
              StatusIs(ErrorCode::kMalformedResponse, HasSubstr("exceeds 1024 bytes")));
}

TEST_F(HttpTransportTest, RejectsHeaderInjectionWithoutConnecting) {
  TestHttpServer server;
  HttpTransport transport(io_.get_executor(), {});
  HttpRequest request = Post("x");
  request.headers.Set("X-Custom", "a\r\nX-Evil: 1");
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server), std::move(request)),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("X-Custom")));
  EXPECT_EQ(server.accept_count(), 0);
}

class HttpTransportTlsTest : public HttpTransportTest {
 protected:
  void SetUp() override {
    pki_ = test::MakeTestPki();
    ASSERT_TRUE(pki_.has_value()) << "cannot generate test certificates";
  }
  void TearDown() override {
    if (pki_) test::RemoveTestPki(*pki_);
  }

  TestHttpServerOptions ServerWith(const std::string& cert, const std::string& key) {
    return {.cert_file = cert, .key_file = key};
  }
  TransportOptions TrustingCa() { return {.ca_file = pki_->ca_cert}; }

  std::optional<test::TestPki> pki_;
};

TEST_F(HttpTransportTlsTest, SucceedsWhenTheCaIsTrusted) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), TrustingCa());
  Result<HttpResponse> response = SendOne(transport, LocalEndpoint(server, true), Post("secret"));
  ASSERT_THAT(response, IsOk());
  EXPECT_EQ(response->body, "secret");
}

TEST_F(HttpTransportTlsTest, SendsSniAndVerifiesHostNames) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), TrustingCa());
  const Endpoint endpoint{.tls = true, .host = "localhost", .port = server.port()};
  ASSERT_THAT(SendOne(transport, endpoint, Post("x")), IsOk());
  EXPECT_EQ(server.requests().at(0).sni, "localhost");
}

TEST_F(HttpTransportTlsTest, ReusesTlsConnection) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), TrustingCa());
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("1")), IsOk());
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("2")), IsOk());
  EXPECT_EQ(server.accept_count(), 1);
}

TEST_F(HttpTransportTlsTest, RetriesWhenReusedTlsConnectionClosesBeforeResponding) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), TrustingCa());
  ASSERT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("1")), IsOk());
  Result<HttpResponse> second =
      SendOne(transport, LocalEndpoint(server, true), Post("2", "drop-if-reused"));
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->body, "2");
  EXPECT_EQ(server.accept_count(), 2);
}

TEST_F(HttpTransportTlsTest, UntrustedCaFailsCertificateVerification) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), {});
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("x")),
              StatusIs(ErrorCode::kNetworkError, AllOf(HasSubstr("TLS handshake with 127.0.0.1:"),
                                                       HasSubstr("certificate verify failed"))));
}

TEST_F(HttpTransportTlsTest, HostnameMismatchFailsCertificateVerification) {
  TestHttpServer server(ServerWith(pki_->other_cert, pki_->other_key));
  HttpTransport transport(io_.get_executor(), TrustingCa());
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("x")),
              StatusIs(ErrorCode::kNetworkError,
                       AllOf(HasSubstr("certificate verify failed"), HasSubstr("mismatch"))));
}

TEST_F(HttpTransportTlsTest, DisabledVerificationAcceptsAnyCertificate) {
  TestHttpServer server(ServerWith(pki_->other_cert, pki_->other_key));
  HttpTransport transport(io_.get_executor(), {.verify_peer = false});
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("x")), IsOk());
}

TEST_F(HttpTransportTlsTest, UnreadableCaFileFailsTlsSends) {
  TestHttpServer server(ServerWith(pki_->server_cert, pki_->server_key));
  HttpTransport transport(io_.get_executor(), {.ca_file = pki_->dir + "/missing.pem"});
  EXPECT_THAT(SendOne(transport, LocalEndpoint(server, true), Post("x")),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("missing.pem")));
  EXPECT_EQ(server.accept_count(), 0);
}

}  // namespace
}  // namespace sqsim::internal
