// Test-time PKI for the TLS transport tests: a self-signed CA and server
// certificates it signs, generated with OpenSSL's C API (EC P-256, SHA-256)
// and written as PEM files into a fresh temporary directory. Nothing is
// checked in, so nothing expires.
//
// Thread safety: MakeTestPki() may run concurrently; each call has its own
// directory.

#ifndef SQSIM_TESTS_AWS_TEST_TLS_CERTS_H_
#define SQSIM_TESTS_AWS_TEST_TLS_CERTS_H_

#include <optional>
#include <string>

namespace sqsim::internal::test {

struct TestPki {
  std::string dir{};          // remove it when done (RemoveTestPki)
  std::string ca_cert{};      // the CA certificate, to trust via TransportOptions::ca_file
  std::string server_cert{};  // SAN DNS:localhost, IP:127.0.0.1, signed by the CA
  std::string server_key{};
  std::string other_cert{};  // SAN DNS:other.example only, signed by the CA
  std::string other_key{};
};

// Generates the CA and both server certificates. Returns nullopt if OpenSSL
// or the file system fails.
std::optional<TestPki> MakeTestPki();

void RemoveTestPki(const TestPki& pki);

}  // namespace sqsim::internal::test

#endif  // SQSIM_TESTS_AWS_TEST_TLS_CERTS_H_
