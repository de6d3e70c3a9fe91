// SignRequest against botocore's SigV4Auth (tests/aws/sigv4_oracle.py) on
// ~200 seeded random requests: the Authorization headers must be identical
// byte for byte. Skips when python3 cannot import botocore.
//
// Query strings are generated canonically encoded, as every SDK sends them:
// botocore signs the query string exactly as given, sqsim decodes and
// re-encodes it (see sigv4.h), and the two agree only on such input.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/digest.h"
#include "sqsim/random.h"
#include "sqsim/testing/matchers.h"
#include "wire/sigv4.h"

namespace sqsim::internal {
namespace {

using ::sqsim::testing::IsOk;

constexpr uint64_t kSeed = 20260301;
constexpr int kCases = 200;

struct Case {
  HttpRequest request{};  // before signing
  std::string url{};      // scheme://host + target, for botocore
  std::string host{};
  aws::AwsCredentials credentials{};
  std::string region{};
  std::string service{};
  Timestamp time{};
};

template <typename T>
const T& Pick(Rng& rng, const std::vector<T>& items) {
  return items[rng.Uniform(items.size())];
}

std::string RandomFrom(Rng& rng, std::string_view alphabet, size_t min_len, size_t max_len) {
  std::string out;
  const size_t len = min_len + rng.Uniform(max_len - min_len + 1);
  for (size_t i = 0; i < len; ++i) out.push_back(alphabet[rng.Uniform(alphabet.size())]);
  return out;
}

std::string AwsEncode(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
  return out;
}

std::string RandomBytes(Rng& rng, size_t max_len) {
  std::string out;
  const size_t len = rng.Uniform(max_len + 1);
  for (size_t i = 0; i < len; ++i) out.push_back(static_cast<char>(rng.Uniform(256)));
  return out;
}

// A raw origin-form path: segments of URI characters, escapes, dot segments
// and empty segments.
std::string RandomPath(Rng& rng) {
  static const std::vector<std::string> kSpecial = {".",   "..",        "",    "%20",
                                                    "%2F", "%E2%82%AC", "%7e", "a%2520b"};
  std::string path;
  const size_t segments = rng.Uniform(5);
  for (size_t i = 0; i < segments; ++i) {
    path += "/";
    if (rng.OneIn(3)) {
      path += Pick(rng, kSpecial);
    } else {
      path += RandomFrom(rng, "abcXYZ019-._~!$&'()*+,;=:@", 1, 8);
    }
  }
  if (path.empty() || rng.OneIn(4)) path += "/";
  return path;
}

std::string RandomQuery(Rng& rng) {
  std::vector<std::string> keys;
  std::string query;
  const size_t pairs = rng.Uniform(6);
  for (size_t i = 0; i < pairs; ++i) {
    std::string key = !keys.empty() && rng.OneIn(3) ? Pick(rng, keys) : RandomBytes(rng, 6);
    if (key.empty()) key = "k";
    keys.push_back(key);
    if (!query.empty()) query += "&";
    query += AwsEncode(key);
    if (rng.OneIn(6)) continue;  // a bare key: "flag"
    query += "=" + AwsEncode(rng.OneIn(4) ? std::string() : RandomBytes(rng, 8));
  }
  return query;
}

std::string RandomCase(Rng& rng, std::string name) {
  for (char& c : name) {
    if (std::isalpha(static_cast<unsigned char>(c)) && rng.OneIn(3)) {
      c = static_cast<char>(rng.OneIn(2) ? std::toupper(c) : std::tolower(c));
    }
  }
  return name;
}

std::string RandomHeaderValue(Rng& rng) {
  std::string value;
  const size_t words = rng.Uniform(4);
  if (rng.OneIn(3)) value += RandomFrom(rng, " \t", 1, 3);
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) value += RandomFrom(rng, " \t", 1, 4);
    value += RandomFrom(rng, "abcXYZ0189!#$%&'*+-.^_`|~/:;=?@[](){},\"\\<>", 1, 10);
  }
  if (rng.OneIn(3)) value += RandomFrom(rng, " \t", 1, 3);
  return value;
}

Case RandomRequest(Rng& rng) {
  static const std::vector<std::string> kOrigins = {
      "https://sqs.us-east-1.amazonaws.com", "http://localhost:9324", "http://127.0.0.1:4566",
      "https://sqs.eu-west-1.amazonaws.com", "https://example.amazonaws.com"};
  static const std::vector<std::string> kRegions = {"us-east-1", "eu-west-1", "ap-southeast-2",
                                                    "us-gov-west-1", "cn-north-1"};
  static const std::vector<std::string> kServices = {"sqs", "sqs", "service", "sns"};
  static const std::vector<std::string> kHeaderNames = {
      "Content-Type",    "X-Amz-Target",         "X-Amz-User-Agent", "My-Header",
      "amz-sdk-request", "Content-Length",       "User-Agent",       "X-Amz-Content-SHA256",
      "Accept-Encoding", "X-Amz-Security-Token", "Connection"};
  Case c;
  const std::string origin = Pick(rng, kOrigins);
  c.host = origin.substr(origin.find("//") + 2);
  std::string target = RandomPath(rng);
  if (rng.OneIn(2)) target += "?" + RandomQuery(rng);
  c.url = origin + target;
  c.request.method = rng.OneIn(5) ? "GET" : "POST";
  c.request.target = target;
  switch (rng.Uniform(3)) {
    case 0:
      break;  // empty body
    case 1:
      c.request.body = R"({"QueueUrl":"https://q", "MessageBody": "caf\u00e9"})";
      break;
    default:
      c.request.body = RandomBytes(rng, 64);
      break;
  }
  const size_t headers = rng.Uniform(7);
  for (size_t i = 0; i < headers; ++i) {
    const std::string name = RandomCase(rng, Pick(rng, kHeaderNames));
    std::string value = RandomHeaderValue(rng);
    if (EqualsIgnoreCase(name, "X-Amz-Content-SHA256")) value = Sha256Hex(c.request.body);
    c.request.headers.Add(name, value);
  }
  c.credentials.access_key_id = RandomFrom(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 20);
  c.credentials.secret_access_key =
      RandomFrom(rng, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", 40, 40);
  if (rng.OneIn(2)) c.credentials.session_token = RandomFrom(rng, "abcXYZ0189+/=", 20, 200);
  c.region = Pick(rng, kRegions);
  c.service = Pick(rng, kServices);
  // Any second between 2000 and 2040, plus a sub-second part SigV4 drops.
  c.time = Timestamp(std::chrono::seconds(946684800 + rng.Uniform(40ull * 365 * 86400))) +
           std::chrono::microseconds(rng.Uniform(1000000));
  return c;
}

nlohmann::json ToOracleJson(const Case& c) {
  nlohmann::json headers = nlohmann::json::array();
  for (const HttpHeader& header : c.request.headers.list()) {
    headers.push_back({header.name, header.value});
  }
  return {{"method", c.request.method},
          {"url", c.url},
          {"headers", headers},
          {"body_base64", Base64Encode(c.request.body)},
          {"access_key", c.credentials.access_key_id},
          {"secret_key", c.credentials.secret_access_key},
          {"token", c.credentials.session_token ? nlohmann::json(*c.credentials.session_token)
                                                : nlohmann::json(nullptr)},
          {"region", c.region},
          {"service", c.service},
          {"timestamp", FormatAmzDate(c.time)}};
}

// Runs the oracle on `input`; returns its parsed output, or a reason on failure.
std::optional<nlohmann::json> RunOracle(const nlohmann::json& input, std::string& error) {
  const std::filesystem::path script =
      (std::filesystem::path(SQSIM_TESTS_DIR) / "aws") / "sigv4_oracle.py";
  const std::filesystem::path input_file =
      std::filesystem::temp_directory_path() /
      ("sqsim_sigv4_oracle_" + std::to_string(::getpid()) + ".json");
  std::ofstream(input_file) << input.dump();
  const std::string command = "python3 '" + script.string() + "' < '" + input_file.string() + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    error = "popen failed";
    return std::nullopt;
  }
  std::string output;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;) output.append(buf, n);
  const int rc = ::pclose(pipe);
  std::filesystem::remove(input_file);
  if (rc != 0) {
    error = "oracle exited with status " + std::to_string(rc);
    return std::nullopt;
  }
  return nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
}

bool BotocoreAvailable() {
  return std::system("python3 -c 'import botocore' >/dev/null 2>&1") == 0;
}

TEST(SigV4Oracle, AuthorizationMatchesBotocoreOnRandomRequests) {
  if (!BotocoreAvailable()) GTEST_SKIP() << "python3 cannot import botocore; no oracle to compare";
  SeededRng rng(kSeed);
  std::vector<Case> cases;
  nlohmann::json input = nlohmann::json::array();
  for (int i = 0; i < kCases; ++i) {
    cases.push_back(RandomRequest(rng));
    input.push_back(ToOracleJson(cases.back()));
  }
  std::string error;
  const std::optional<nlohmann::json> output = RunOracle(input, error);
  ASSERT_TRUE(output.has_value() && !output->is_discarded()) << error;
  ASSERT_EQ(output->size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("seed " + std::to_string(kSeed) + ", case " + std::to_string(i) + ": " +
                 input[i].dump());
    HttpRequest signed_request = cases[i].request;
    SignRequest(signed_request, cases[i].credentials, cases[i].region, cases[i].service,
                cases[i].time, cases[i].host);
    EXPECT_EQ(*signed_request.headers.Find("Authorization"),
              (*output)[i]["authorization"].get<std::string>());
  }
}

TEST(SigV4Oracle, RandomSignedRequestsVerify) {
  SeededRng rng(kSeed);
  for (int i = 0; i < kCases; ++i) {
    Case c = RandomRequest(rng);
    SCOPED_TRACE("seed " + std::to_string(kSeed) + ", case " + std::to_string(i));
    SignRequest(c.request, c.credentials, c.region, c.service, c.time, c.host);
    auto secret = [&](std::string_view) {
      return std::optional<std::string>(c.credentials.secret_access_key);
    };
    EXPECT_THAT(VerifySigV4(c.request, secret, c.service, c.region, c.time), IsOk());
  }
}

}  // namespace
}  // namespace sqsim::internal
