#include "aws/test_tls_certs.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sqsim::internal::test {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// A certificate for `key` named `common_name`; self-signed when `issuer` is
// null (then it is a CA), otherwise a server certificate for `san`.
CertPtr MakeCert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                 const char* san, long serial) {
  CertPtr cert(X509_new(), X509_free);
  X509* x = cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509* signer = issuer != nullptr ? issuer : x;
  bool ok = true;
  if (issuer == nullptr) {
    ok = AddExtension(x, signer, NID_basic_constraints, "critical,CA:TRUE") &&
         AddExtension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         AddExtension(x, signer, NID_subject_key_identifier, "hash");
  } else {
    ok = AddExtension(x, signer, NID_basic_constraints, "critical,CA:FALSE") &&
         AddExtension(x, signer, NID_ext_key_usage, "serverAuth") &&
         AddExtension(x, signer, NID_subject_alt_name, san);
  }
  if (!ok || X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    return CertPtr(nullptr, X509_free);
  }
  return cert;
}

bool WriteCert(const std::string& path, X509* cert) {
  BIO* bio = BIO_new_file(path.c_str(), "w");
  if (bio == nullptr) return false;
  const bool ok = PEM_write_bio_X509(bio, cert) == 1;
  BIO_free(bio);
  return ok;
}

bool WriteKey(const std::string& path, EVP_PKEY* key) {
  BIO* bio = BIO_new_file(path.c_str(), "w");
  if (bio == nullptr) return false;
  const bool ok = PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  BIO_free(bio);
  return ok;
}

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), EVP_PKEY_free); }

}  // namespace

std::optional<TestPki> MakeTestPki() {
  std::string dir_template = (std::filesystem::temp_directory_path() / "sqsim-tls-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) return std::nullopt;
  TestPki pki;
  pki.dir = dir_template;
  pki.ca_cert = pki.dir + "/ca.pem";
  pki.server_cert = pki.dir + "/server.pem";
  pki.server_key = pki.dir + "/server-key.pem";
  pki.other_cert = pki.dir + "/other.pem";
  pki.other_key = pki.dir + "/other-key.pem";

  KeyPtr ca_key = NewKey();
  KeyPtr server_key = NewKey();
  KeyPtr other_key = NewKey();
  if (!ca_key || !server_key || !other_key) return std::nullopt;
  CertPtr ca = MakeCert(ca_key.get(), "sqsim test CA", nullptr, nullptr, nullptr, 1);
  if (!ca) return std::nullopt;
  CertPtr server = MakeCert(server_key.get(), "localhost", ca.get(), ca_key.get(),
                            "DNS:localhost,IP:127.0.0.1", 2);
  CertPtr other =
      MakeCert(other_key.get(), "other.example", ca.get(), ca_key.get(), "DNS:other.example", 3);
  if (!server || !other) return std::nullopt;
  if (!WriteCert(pki.ca_cert, ca.get()) || !WriteCert(pki.server_cert, server.get()) ||
      !WriteKey(pki.server_key, server_key.get()) || !WriteCert(pki.other_cert, other.get()) ||
      !WriteKey(pki.other_key, other_key.get())) {
    return std::nullopt;
  }
  return pki;
}

void RemoveTestPki(const TestPki& pki) {
  std::error_code ignored;
  std::filesystem::remove_all(pki.dir, ignored);
}

}  // namespace sqsim::internal::test
