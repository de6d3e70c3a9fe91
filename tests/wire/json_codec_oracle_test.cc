// botocore as the oracle for the JSON codec: botocore_codec_oracle.py
// serializes our request params with botocore's own serializer and parses our
// response and error bodies with botocore's parser, for every action. If
// python3 cannot import botocore, every test here is skipped and says why.
//
// All cases go to one python3 process (started once for the suite) to keep
// the suite fast.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "wire/json_codec.h"
#include "wire/json_samples.h"

namespace sqsim::wire {
namespace {

using ::nlohmann::json;

std::filesystem::path OracleScript() {
  return (std::filesystem::path(SQSIM_TESTS_DIR) / "wire") / "botocore_codec_oracle.py";
}

// Runs the oracle on `cases`; returns its results, or sets `*error`.
json RunOracle(const json& cases, std::string* error) {
  char input_path[] = "/tmp/sqsim_oracle_XXXXXX";
  const int fd = mkstemp(input_path);
  if (fd < 0) {
    *error = "mkstemp failed";
    return {};
  }
  close(fd);
  std::ofstream(input_path) << json({{"cases", cases}}).dump();
  const std::string command =
      "python3 '" + OracleScript().string() + "' < '" + input_path + "' 2>&1";
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
    const int rc = pclose(pipe);
    if (rc != 0) *error = "oracle exited with " + std::to_string(rc) + ": " + output;
  } else {
    *error = "popen failed";
  }
  std::remove(input_path);
  if (!error->empty()) return {};
  json parsed = json::parse(output, nullptr, false);
  if (parsed.is_discarded() || !parsed.contains("results")) {
    *error = "oracle printed no results: " + output;
    return {};
  }
  return parsed["results"];
}

// Error statuses checked against botocore's error parser.
std::vector<Status> SampleErrors() {
  std::vector<Status> errors;
  for (int i = 1; i <= static_cast<int>(ErrorCode::kSignatureDoesNotMatch); ++i) {
    errors.emplace_back(static_cast<ErrorCode>(i), "message " + std::to_string(i));
  }
  return errors;
}

class BotocoreOracle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::system("python3 -c 'import botocore' > /dev/null 2>&1") != 0) {
      skip_reason_ = new std::string("python3 cannot import botocore; the oracle needs it");
      return;
    }
    codecs_ = new std::vector<testing::SampleCodec>(testing::AllSampleCodecs());
    json cases = json::array();
    for (const testing::SampleCodec& codec : *codecs_) {
      cases.push_back(
          {{"kind", "request"}, {"operation", codec.action}, {"body", codec.request_body}});
      cases.push_back(
          {{"kind", "response"}, {"operation", codec.action}, {"body", codec.response_body}});
    }
    for (const Status& status : SampleErrors()) {
      const JsonErrorResponse response = EncodeJsonError(status);
      cases.push_back({{"kind", "error"},
                       {"status", response.http_status},
                       {"body", response.body},
                       {"headers", {{"x-amzn-query-error", response.query_error_header}}}});
    }
    std::string error;
    results_ = new json(RunOracle(cases, &error));
    if (!error.empty()) oracle_error_ = new std::string(error);
  }

  static void TearDownTestSuite() {
    delete codecs_;
    delete results_;
    delete skip_reason_;
    delete oracle_error_;
    codecs_ = nullptr;
    results_ = nullptr;
    skip_reason_ = nullptr;
    oracle_error_ = nullptr;
  }

  void SetUp() override {
    if (skip_reason_ != nullptr) GTEST_SKIP() << *skip_reason_;
    ASSERT_EQ(oracle_error_, nullptr) << *oracle_error_;
    ASSERT_EQ(results_->size(), codecs_->size() * 2 + SampleErrors().size());
  }

  static const json& RequestResult(size_t i) { return (*results_)[2 * i]; }
  static const json& ResponseResult(size_t i) { return (*results_)[2 * i + 1]; }
  static const json& ErrorResult(size_t i) { return (*results_)[2 * codecs_->size() + i]; }

  static std::vector<testing::SampleCodec>* codecs_;
  static json* results_;
  static std::string* skip_reason_;
  static std::string* oracle_error_;
};

std::vector<testing::SampleCodec>* BotocoreOracle::codecs_ = nullptr;
json* BotocoreOracle::results_ = nullptr;
std::string* BotocoreOracle::skip_reason_ = nullptr;
std::string* BotocoreOracle::oracle_error_ = nullptr;

TEST_F(BotocoreOracle, CoversEveryAction) { EXPECT_EQ(codecs_->size(), size_t{kActionCount}); }

TEST_F(BotocoreOracle, RequestBodyEqualsBotocoresSerialization) {
  for (size_t i = 0; i < codecs_->size(); ++i) {
    const testing::SampleCodec& codec = (*codecs_)[i];
    SCOPED_TRACE(codec.action);
    ASSERT_FALSE(RequestResult(i).contains("exception")) << RequestResult(i)["exception"];
    EXPECT_EQ(json::parse(codec.request_body), RequestResult(i)["botocore_body"]);
  }
}

TEST_F(BotocoreOracle, RequestBodyHasEveryModelMemberUnderItsOwnName) {
  for (size_t i = 0; i < codecs_->size(); ++i) {
    SCOPED_TRACE((*codecs_)[i].action);
    EXPECT_EQ(RequestResult(i)["problems"], json::array()) << (*codecs_)[i].request_body;
  }
}

TEST_F(BotocoreOracle, TargetHeaderIsPrefixPlusActionName) {
  for (size_t i = 0; i < codecs_->size(); ++i) {
    EXPECT_EQ(RequestResult(i)["target"], std::string(kTargetPrefix) + (*codecs_)[i].action);
  }
}

TEST_F(BotocoreOracle, BotocoreParsesResponseBodyToTheSameValues) {
  for (size_t i = 0; i < codecs_->size(); ++i) {
    const testing::SampleCodec& codec = (*codecs_)[i];
    SCOPED_TRACE(codec.action);
    ASSERT_FALSE(ResponseResult(i).contains("exception")) << ResponseResult(i)["exception"];
    EXPECT_EQ(ResponseResult(i)["parsed"], json::parse(codec.response_body));
  }
}

TEST_F(BotocoreOracle, ResponseBodyHasEveryModelMemberUnderItsOwnName) {
  for (size_t i = 0; i < codecs_->size(); ++i) {
    SCOPED_TRACE((*codecs_)[i].action);
    EXPECT_EQ(ResponseResult(i)["problems"], json::array()) << (*codecs_)[i].response_body;
  }
}

TEST_F(BotocoreOracle, ErrorCodeIsTheQueryCodeAsOnAws) {
  const std::vector<Status> errors = SampleErrors();
  for (size_t i = 0; i < errors.size(); ++i) {
    SCOPED_TRACE(errors[i].ToString());
    EXPECT_EQ(ErrorResult(i)["error"]["Code"], std::string(errors[i].query_code()));
    EXPECT_EQ(ErrorResult(i)["error"]["Message"], errors[i].message());
  }
}

TEST_F(BotocoreOracle, ErrorShapeNameReachesBotocoreAsQueryErrorCode) {
  // botocore's SQS handler picks the modeled exception class by this name.
  const std::vector<Status> errors = SampleErrors();
  for (size_t i = 0; i < errors.size(); ++i) {
    SCOPED_TRACE(errors[i].ToString());
    EXPECT_EQ(ErrorResult(i)["error"]["QueryErrorCode"], std::string(errors[i].json_type()));
    EXPECT_EQ(ErrorResult(i)["error"]["Type"], errors[i].sender_fault() ? "Sender" : "Receiver");
  }
}

}  // namespace
}  // namespace sqsim::wire
