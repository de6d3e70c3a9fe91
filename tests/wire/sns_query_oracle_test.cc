// botocore as the oracle for the SNS query codec, in every direction.
//
// Requests: botocore's QuerySerializer turns boto3 parameters into the form
// body an SDK sends; ParseForm + DecodeSnsQueryRequest must give back the
// same parameters, and our client's EncodeSnsQueryRequest must produce that
// very body, byte for byte. Responses and errors: botocore's QueryParser
// must read our XML as the expected dictionary. Foreign errors: for error
// XML written as AWS writes it, DecodeSnsQueryError must see the code and
// message botocore sees. All cases go through one python3 run
// (tests/wire/sns_query_oracle.py); without python3 or botocore the tests
// skip and say why.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sqsim/sns/client.h"
#include "wire/sns_query_codec.h"
#include "wire/sns_query_samples.h"

namespace sqsim::wire::sns_query_oracle_test {

using nlohmann::json;
using sns_query_samples::kRequestId;
using sns_query_samples::kTricky;
using sns_query_samples::OrderedJson;
using sns_query_samples::Sample;
using sns_query_samples::ToParams;
using sns_query_samples::ToParsed;

// ---- Cases -----------------------------------------------------------------------

using DecodeFn = std::function<Status(const FormFields&, OrderedJson*)>;

template <typename Request>
Status DecodeToParams(const FormFields& form, OrderedJson* params) {
  Request request;
  Status status = DecodeSnsQueryRequest(form, &request);
  if (status.ok()) *params = ToParams(request);
  return status;
}

struct RequestCase {
  std::string name;
  std::string operation;
  OrderedJson params;    // boto3 parameters; what decoding must give back
  std::string our_body;  // EncodeSnsQueryRequest of the same request
  DecodeFn decode;
};

template <typename Request>
RequestCase MakeRequestCase(std::string name, std::string operation, const Request& request) {
  return {std::move(name), std::move(operation), ToParams(request), EncodeSnsQueryRequest(request),
          DecodeToParams<Request>};
}

std::vector<RequestCase> MakeRequestCases() {
  std::vector<RequestCase> cases;
#define SQSIM_SNS_REQUEST_CASE(Name) \
  cases.push_back(MakeRequestCase(#Name, #Name, Sample<sns::Name##Request>()));
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_REQUEST_CASE)
#undef SQSIM_SNS_REQUEST_CASE
  // Only required members: optional ones must stay unset.
  cases.push_back(
      MakeRequestCase("ListTopicsWithoutMembers", "ListTopics", sns::ListTopicsRequest{}));
  cases.push_back(MakeRequestCase(
      "PublishWithoutOptionalMembers", "Publish",
      sns::PublishRequest{.topic_arn = sns_query_samples::kTopicArn, .message = "hello"}));
  cases.push_back(MakeRequestCase("CreateTopicWithoutAttributesOrTags", "CreateTopic",
                                  sns::CreateTopicRequest{.name = "t"}));
  cases.push_back(MakeRequestCase("SubscribeNotReturningArn", "Subscribe",
                                  sns::SubscribeRequest{.topic_arn = sns_query_samples::kTopicArn,
                                                        .protocol = "email",
                                                        .endpoint = "a@example.com",
                                                        .return_subscription_arn = false}));
  // Required lists that are empty: botocore sends `Name=`, and so do we.
  cases.push_back(
      MakeRequestCase("PublishBatchWithoutEntries", "PublishBatch",
                      sns::PublishBatchRequest{.topic_arn = sns_query_samples::kTopicArn}));
  cases.push_back(
      MakeRequestCase("UntagResourceWithoutKeys", "UntagResource",
                      sns::UntagResourceRequest{.resource_arn = sns_query_samples::kTopicArn}));
  // Set but empty optionals are sent as `Name=`.
  cases.push_back(MakeRequestCase(
      "PublishWithEmptySubject", "Publish",
      sns::PublishRequest{
          .topic_arn = sns_query_samples::kTopicArn, .message = "m", .subject = ""}));
  return cases;
}

const std::vector<RequestCase>& RequestCases() {
  static const auto* cases = new std::vector<RequestCase>(MakeRequestCases());
  return *cases;
}

struct ResponseCase {
  std::string name;
  std::string operation;
  std::string xml;  // our encoding
  json expected;    // what botocore must parse from it (RequestId added)
};

template <typename Response>
ResponseCase MakeResponseCase(std::string name, std::string operation, const Response& response) {
  return {std::move(name), std::move(operation), EncodeSnsQueryResponse(response, kRequestId),
          json::parse(ToParsed(response).dump())};
}

std::vector<ResponseCase> MakeResponseCases() {
  std::vector<ResponseCase> cases;
#define SQSIM_SNS_RESPONSE_CASE(Name) \
  cases.push_back(MakeResponseCase(#Name, #Name, Sample<sns::Name##Response>()));
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_RESPONSE_CASE)
#undef SQSIM_SNS_RESPONSE_CASE
  // Empty lists and maps parse as empty, not as absent.
  cases.push_back(
      MakeResponseCase("ListTopicsWithoutTopics", "ListTopics", sns::ListTopicsResponse{}));
  cases.push_back(MakeResponseCase("ListSubscriptionsWithoutSubscriptions", "ListSubscriptions",
                                   sns::ListSubscriptionsResponse{}));
  cases.push_back(MakeResponseCase("ListTagsForResourceWithoutTags", "ListTagsForResource",
                                   sns::ListTagsForResourceResponse{}));
  cases.push_back(
      MakeResponseCase("PublishBatchWithoutEntries", "PublishBatch", sns::PublishBatchResponse{}));
  cases.push_back(MakeResponseCase("GetTopicAttributesWithoutAttributes", "GetTopicAttributes",
                                   sns::GetTopicAttributesResponse{}));
  cases.push_back(MakeResponseCase("PublishWithoutSequenceNumber", "Publish",
                                   sns::PublishResponse{.message_id = "m"}));
  return cases;
}

const std::vector<ResponseCase>& ResponseCases() {
  static const auto* cases = new std::vector<ResponseCase>(MakeResponseCases());
  return *cases;
}

struct ErrorCase {
  std::string name;
  Status status;
  std::string type;  // Sender | Receiver
  std::string code;  // SNS's code, as botocore reports it
  int http_status;
};

const std::vector<ErrorCase>& ErrorCases() {
  static const auto* cases = new std::vector<ErrorCase>{
      {"NotFound", Status(ErrorCode::kNotFound, "Topic does not exist"), "Sender", "NotFound", 404},
      {"InvalidParameter", Status(ErrorCode::kInvalidParameter, kTricky), "Sender",
       "InvalidParameter", 400},
      {"TooManyEntriesInBatchRequest",
       Status(ErrorCode::kTooManyEntriesInBatchRequest,
              "The batch request contains more entries than permissible."),
       "Sender", "TooManyEntriesInBatchRequest", 400},
      {"ValidationError",
       Status(ErrorCode::kValidationError, "1 validation error detected: Value null at 'x'"),
       "Sender", "ValidationError", 400},
      {"AuthorizationError", Status(ErrorCode::kAuthorizationError, "not authorized"), "Sender",
       "AuthorizationError", 403},
      {"KMSThrottling", Status(ErrorCode::kSnsKmsThrottling, "slow down"), "Sender",
       "KMSThrottling", 400},
      {"InternalError", Status(ErrorCode::kInternalError, "boom <&>"), "Receiver", "InternalError",
       500},
      {"TransportCodeAsInternalError", Status(ErrorCode::kNetworkError, "upstream reset"),
       "Receiver", "InternalError", 500},
  };
  return *cases;
}

// Error bodies as AWS and other query services write them, indented.
struct ForeignErrorCase {
  std::string name;
  int http_status;
  std::string xml;
};

const std::vector<ForeignErrorCase>& ForeignErrorCases() {
  static const auto* cases = new std::vector<ForeignErrorCase>{
      {"AwsDocumentedNotFound", 404,
       "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
       "  <Error>\n    <Type>Sender</Type>\n    <Code>NotFound</Code>\n"
       "    <Message>Topic does not exist</Message>\n  </Error>\n"
       "  <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>\n</ErrorResponse>\n"},
      {"InvalidParameterWithEntities", 400,
       "<?xml version=\"1.0\"?><ErrorResponse><Error><Type>Sender</Type>"
       "<Code>InvalidParameter</Code><Message>Invalid parameter: Tags &amp; &lt;x&gt;</Message>"
       "</Error><RequestId>r</RequestId></ErrorResponse>"},
      {"BatchCodeWithoutSqsPrefix", 400,
       "<ErrorResponse><Error><Type>Sender</Type><Code>BatchEntryIdsNotDistinct</Code>"
       "<Message>Two or more batch entries in the request have the same Id.</Message></Error>"
       "<RequestId>r</RequestId></ErrorResponse>"},
      {"ResponseErrorsShape", 400,
       "<Response><Errors><Error><Code>InvalidParameter</Code><Message>m</Message></Error>"
       "</Errors><RequestID>r</RequestID></Response>"},
  };
  return *cases;
}

// ---- The oracle run ---------------------------------------------------------------

struct OracleRun {
  std::string skip_reason;  // set when python3 or botocore is missing
  std::string failure;      // set when the oracle itself failed
  json output;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

OrderedJson OracleInput() {
  OrderedJson input = {{"requests", OrderedJson::array()},
                       {"responses", OrderedJson::array()},
                       {"errors", OrderedJson::array()}};
  for (const RequestCase& c : RequestCases()) {
    input["requests"].push_back({{"operation", c.operation}, {"params", c.params}});
  }
  for (const ResponseCase& c : ResponseCases()) {
    input["responses"].push_back({{"operation", c.operation}, {"xml", c.xml}});
  }
  for (const ErrorCase& c : ErrorCases()) {
    QueryErrorResponse error = EncodeSnsQueryError(c.status, kRequestId);
    input["errors"].push_back(
        {{"operation", "Publish"}, {"status", error.http_status}, {"xml", error.body}});
  }
  for (const ForeignErrorCase& c : ForeignErrorCases()) {
    input["errors"].push_back(
        {{"operation", "Publish"}, {"status", c.http_status}, {"xml", c.xml}});
  }
  return input;
}

OracleRun Run() {
  OracleRun run;
  const std::filesystem::path script =
      (std::filesystem::path(SQSIM_TESTS_DIR) / "wire") / "sns_query_oracle.py";
  if (!std::filesystem::exists(script)) {
    run.skip_reason = "oracle script not found at " + script.string();
    return run;
  }
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("sqsim_sns_query_oracle_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "in.json") << OracleInput().dump();
  const std::string command = "python3 '" + script.string() + "' < '" + (dir / "in.json").string() +
                              "' > '" + (dir / "out.json").string() + "' 2> '" +
                              (dir / "err.txt").string() + "'";
  const int status = std::system(command.c_str());
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  const std::string out = ReadFile(dir / "out.json");
  const std::string err = ReadFile(dir / "err.txt");
  std::filesystem::remove_all(dir);
  if (exit_code == 127) {
    run.skip_reason = "python3 is not on PATH";
  } else if (exit_code == 3) {
    run.skip_reason = out;
  } else if (exit_code != 0) {
    run.failure = "oracle exited with " + std::to_string(exit_code) + ": " + err;
  } else {
    run.output = json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (run.output.is_discarded()) run.failure = "oracle wrote no JSON: " + out + err;
  }
  return run;
}

const OracleRun& Oracle() {
  static const auto* run = new OracleRun(Run());
  return *run;
}

#define SQSIM_REQUIRE_SNS_ORACLE()                                           \
  do {                                                                       \
    if (!Oracle().skip_reason.empty()) GTEST_SKIP() << Oracle().skip_reason; \
    ASSERT_EQ(Oracle().failure, "");                                         \
  } while (false)

// ---- Tests -------------------------------------------------------------------------

class SnsQueryRequestOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(SnsQueryRequestOracleTest, DecodesWhatBotocoreSerializes) {
  SQSIM_REQUIRE_SNS_ORACLE();
  const RequestCase& c = RequestCases()[GetParam()];
  const json& out = Oracle().output["requests"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  const std::string body = out["body"];
  Result<FormFields> form = ParseForm(body);
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(SnsQueryAction(*form), SnsActionFromName(c.operation));
  OrderedJson decoded;
  Status status = c.decode(*form, &decoded);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(decoded, c.params) << "form body: " << body;
}

TEST_P(SnsQueryRequestOracleTest, ClientEncodesTheBodyBotocoreSends) {
  SQSIM_REQUIRE_SNS_ORACLE();
  const RequestCase& c = RequestCases()[GetParam()];
  const json& out = Oracle().output["requests"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  EXPECT_EQ(c.our_body, out["body"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Botocore, SnsQueryRequestOracleTest,
                         ::testing::Range<size_t>(0, RequestCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return RequestCases()[info.param].name;
                         });

class SnsQueryResponseOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(SnsQueryResponseOracleTest, BotocoreParsesWhatWeEncode) {
  SQSIM_REQUIRE_SNS_ORACLE();
  const ResponseCase& c = ResponseCases()[GetParam()];
  const json& out = Oracle().output["responses"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"] << "\nxml: " << c.xml;
  json expected = c.expected;
  expected["ResponseMetadata"] = {{"RequestId", kRequestId}};
  EXPECT_EQ(out["parsed"], expected) << "xml: " << c.xml;
}

INSTANTIATE_TEST_SUITE_P(Botocore, SnsQueryResponseOracleTest,
                         ::testing::Range<size_t>(0, ResponseCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return ResponseCases()[info.param].name;
                         });

class SnsQueryErrorOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(SnsQueryErrorOracleTest, BotocoreReadsCodeMessageAndType) {
  SQSIM_REQUIRE_SNS_ORACLE();
  const ErrorCase& c = ErrorCases()[GetParam()];
  EXPECT_EQ(EncodeSnsQueryError(c.status, kRequestId).http_status, c.http_status);
  const json& out = Oracle().output["errors"][GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  const json& parsed = out["parsed"];
  EXPECT_EQ(parsed["Error"]["Code"], c.code);
  EXPECT_EQ(parsed["Error"]["Message"], c.status.message());
  EXPECT_EQ(parsed["Error"]["Type"], c.type);
  EXPECT_EQ(parsed["ResponseMetadata"]["RequestId"], kRequestId);
}

INSTANTIATE_TEST_SUITE_P(Botocore, SnsQueryErrorOracleTest,
                         ::testing::Range<size_t>(0, ErrorCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return ErrorCases()[info.param].name;
                         });

class SnsQueryForeignErrorOracleTest : public ::testing::TestWithParam<size_t> {};

TEST_P(SnsQueryForeignErrorOracleTest, DecodesTheCodeAndMessageBotocoreReads) {
  SQSIM_REQUIRE_SNS_ORACLE();
  const ForeignErrorCase& c = ForeignErrorCases()[GetParam()];
  const json& out = Oracle().output["errors"][ErrorCases().size() + GetParam()];
  ASSERT_FALSE(out.contains("error")) << out["error"];
  const json& parsed = out["parsed"];
  Status status = DecodeSnsQueryError(c.http_status, c.xml);
  EXPECT_EQ(sns::SnsErrorCode(status.code()), parsed["Error"]["Code"].get<std::string>()) << status;
  EXPECT_EQ(status.message(), parsed["Error"]["Message"].get<std::string>());
}

INSTANTIATE_TEST_SUITE_P(Botocore, SnsQueryForeignErrorOracleTest,
                         ::testing::Range<size_t>(0, ForeignErrorCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return ForeignErrorCases()[info.param].name;
                         });

// Each error the model lists with a code sqsim knows is sent with the
// model's HTTP status.
TEST(SnsQueryErrorModelOracle, HttpStatusOfEveryKnownModeledErrorMatchesTheModel) {
  SQSIM_REQUIRE_SNS_ORACLE();
  int known = 0;
  for (int i = 1; i <= static_cast<int>(ErrorCode::kUnknownError); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const std::string name(sns::SnsErrorCode(code));
    const json& model_errors = Oracle().output["model_errors"];
    if (name.empty() || !model_errors.contains(name)) continue;
    ++known;
    EXPECT_EQ(EncodeSnsQueryError(Status(code, "m"), kRequestId).http_status,
              model_errors[name].get<int>())
        << name;
  }
  // NotFound, InvalidParameter, the batch, KMS and tag errors, ...
  EXPECT_GE(known, 25);
}

// Every action has a request case and a response case of its own name.
TEST(SnsQueryOracleCoverage, EveryActionHasRequestAndResponseCases) {
  std::set<std::string> requests;
  std::set<std::string> responses;
  for (const RequestCase& c : RequestCases()) requests.insert(c.name);
  for (const ResponseCase& c : ResponseCases()) responses.insert(c.name);
#define SQSIM_EXPECT_SNS_CASES(Name)           \
  EXPECT_TRUE(requests.count(#Name)) << #Name; \
  EXPECT_TRUE(responses.count(#Name)) << #Name;
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_EXPECT_SNS_CASES)
#undef SQSIM_EXPECT_SNS_CASES
}

}  // namespace sqsim::wire::sns_query_oracle_test
