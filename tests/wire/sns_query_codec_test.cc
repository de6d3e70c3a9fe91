// Unit and fuzz tests of the SNS query codec: action lookup, round trips of
// every action in both directions, the form decoder's liberal and strict
// edges, exact XML of representative responses and errors, decoding of
// responses and errors as AWS writes them, and totality on random,
// mutated and truncated input. The comparisons against botocore are in
// sns_query_oracle_test.cc.

#include "wire/sns_query_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/sns/client.h"
#include "sqsim/testing/matchers.h"
#include "wire/sns_query_samples.h"

namespace sqsim::wire::sns_query_codec_test {

using sns_query_samples::kTopicArn;
using sns_query_samples::Sample;
using sns_query_samples::ToParams;
using sns_query_samples::ToParsed;
using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\"?>";

FormFields Parse(std::string_view body) {
  Result<FormFields> form = ParseForm(body);
  EXPECT_THAT(form.status(), IsOk()) << body;
  return form.ok() ? *form : FormFields{};
}

template <typename Request>
Request MustDecode(std::string_view body) {
  Request request;
  EXPECT_THAT(DecodeSnsQueryRequest(Parse(body), &request), IsOk()) << body;
  return request;
}

template <typename Request>
Status DecodeStatus(std::string_view body) {
  Request request;
  return DecodeSnsQueryRequest(Parse(body), &request);
}

// ---- Actions ----------------------------------------------------------------------

TEST(SnsActionName, RoundTripsThroughSnsActionFromName) {
  int count = 0;
#define SQSIM_CHECK_SNS_ACTION(Name)                       \
  EXPECT_EQ(SnsActionName(SnsAction::k##Name), #Name);     \
  EXPECT_EQ(SnsActionFromName(#Name), SnsAction::k##Name); \
  ++count;
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_CHECK_SNS_ACTION)
#undef SQSIM_CHECK_SNS_ACTION
  EXPECT_EQ(count, 17);
}

TEST(SnsActionFromName, IsCaseSensitive) { EXPECT_EQ(SnsActionFromName("publish"), std::nullopt); }

TEST(SnsQueryAction, FindsTheActionOfAnSnsForm) {
  EXPECT_EQ(SnsQueryAction(Parse("Action=Subscribe&Version=2010-03-31")), SnsAction::kSubscribe);
}

TEST(SnsQueryAction, ReturnsNulloptForAnSqsAction) {
  EXPECT_EQ(SnsQueryAction(Parse("Action=SendMessage&Version=2012-11-05")), std::nullopt);
}

TEST(SnsQueryAction, ReturnsNulloptWithoutAction) {
  EXPECT_EQ(SnsQueryAction(Parse("TopicArn=x")), std::nullopt);
}

// ---- Round trips of every action ---------------------------------------------------------

// Client encoding, then server decoding, gives back the request; and the
// server's response XML, decoded by the client, gives back the response.
#define SQSIM_SNS_ROUND_TRIP_TESTS(Name)                                                 \
  TEST(SnsQueryRequestRoundTrip, Name) {                                                 \
    const sns::Name##Request sent = Sample<sns::Name##Request>();                        \
    const FormFields form = Parse(EncodeSnsQueryRequest(sent));                          \
    EXPECT_EQ(form.at("Action"), #Name);                                                 \
    EXPECT_EQ(form.at("Version"), kSnsApiVersion);                                       \
    sns::Name##Request received;                                                         \
    ASSERT_THAT(DecodeSnsQueryRequest(form, &received), IsOk());                         \
    EXPECT_EQ(ToParams(received), ToParams(sent));                                       \
  }                                                                                      \
  TEST(SnsQueryResponseRoundTrip, Name) {                                                \
    const sns::Name##Response sent = Sample<sns::Name##Response>();                      \
    const std::string xml = EncodeSnsQueryResponse(sent, sns_query_samples::kRequestId); \
    sns::Name##Response received;                                                        \
    ASSERT_THAT(DecodeSnsQueryResponse(xml, &received), IsOk()) << xml;                  \
    EXPECT_EQ(ToParsed(received), ToParsed(sent)) << xml;                                \
  }
SQSIM_SNS_FOR_EACH_ACTION(SQSIM_SNS_ROUND_TRIP_TESTS)
#undef SQSIM_SNS_ROUND_TRIP_TESTS

// ---- Server: form decoding ----------------------------------------------------------------

TEST(DecodeSnsQueryRequest, ReadsListItemsInIndexOrderAcrossGaps) {
  auto request = MustDecode<sns::TagResourceRequest>(
      "Tags.member.3.Key=c&Tags.member.3.Value=3&Tags.member.1.Key=a&Tags.member.1.Value=1");
  EXPECT_EQ(request.tags, (std::vector<sns::Tag>{{"a", "1"}, {"c", "3"}}));
}

TEST(DecodeSnsQueryRequest, IgnoresNonCanonicalIndexes) {
  auto request = MustDecode<sns::UntagResourceRequest>(
      "TagKeys.member.0=z&TagKeys.member.01=y&TagKeys.member.x=x&TagKeys.member.%2B2=w&"
      "TagKeys.member.1=k");
  EXPECT_EQ(request.tag_keys, std::vector<std::string>{"k"});
}

TEST(DecodeSnsQueryRequest, ReadsBotocoresEmptyListAsEmpty) {
  auto request = MustDecode<sns::UntagResourceRequest>("ResourceArn=r&TagKeys=");
  EXPECT_TRUE(request.tag_keys.empty());
}

TEST(DecodeSnsQueryRequest, RepeatedMapKeyKeepsTheHighestIndex) {
  auto request = MustDecode<sns::CreateTopicRequest>(
      "Name=t&Attributes.entry.2.key=A&Attributes.entry.2.value=two&"
      "Attributes.entry.1.key=A&Attributes.entry.1.value=one");
  EXPECT_EQ(request.attributes, (sns::TopicAttributeMap{{"A", "two"}}));
}

TEST(DecodeSnsQueryRequest, MapEntryWithoutKeyReadsAnEmptyName) {
  auto request = MustDecode<sns::SubscribeRequest>("Attributes.entry.1.value=v");
  EXPECT_EQ(request.attributes, (sns::SubscriptionAttributeMap{{"", "v"}}));
}

TEST(DecodeSnsQueryRequest, MapKeysAreLowerCaseKeyAndValue) {
  auto request = MustDecode<sns::SubscribeRequest>(
      "Attributes.entry.1.Key=K&Attributes.entry.1.Value=V&Attributes.entry.2.key=k&"
      "Attributes.entry.2.value=v");
  EXPECT_EQ(request.attributes, (sns::SubscriptionAttributeMap{{"", ""}, {"k", "v"}}));
}

TEST(DecodeSnsQueryRequest, ReadsMessageAttributesUnderNameAndValue) {
  auto request = MustDecode<sns::PublishRequest>(
      "Message=m&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.DataType=Number&"
      "MessageAttributes.entry.1.Value.StringValue=5");
  EXPECT_EQ(request.message_attributes,
            (sns::MessageAttributeMap{{"n", {.data_type = "Number", .string_value = "5"}}}));
}

TEST(DecodeSnsQueryRequest, LeavesAMissingDataTypeForTheEngine) {
  auto request = MustDecode<sns::PublishRequest>(
      "Message=m&MessageAttributes.entry.1.Name=n&MessageAttributes.entry.1.Value.StringValue=5");
  EXPECT_EQ(request.message_attributes.at("n").data_type, "");
}

TEST(DecodeSnsQueryRequest, DecodesBinaryValueToRawBytes) {
  auto request = MustDecode<sns::PublishRequest>(
      "MessageAttributes.entry.1.Name=b&MessageAttributes.entry.1.Value.DataType=Binary&"
      "MessageAttributes.entry.1.Value.BinaryValue=AAH%2F%2FisvPQ%3D%3D");
  EXPECT_EQ(request.message_attributes.at("b").binary_value, sns_query_samples::kBytes);
}

TEST(DecodeSnsQueryRequest, RejectsBinaryValueThatIsNotBase64) {
  EXPECT_THAT(
      DecodeStatus<sns::PublishRequest>("Message=m&MessageAttributes.entry.1.Name=b&"
                                        "MessageAttributes.entry.1.Value.DataType=Binary&"
                                        "MessageAttributes.entry.1.Value.BinaryValue=%21%21"),
      StatusIs(ErrorCode::kInvalidParameter,
               "Invalid parameter: MessageAttributes.entry.1.Value.BinaryValue Reason: "
               "must be base64-encoded"));
}

TEST(DecodeSnsQueryRequest, NamesTheBatchEntryOfABadBinaryValue) {
  EXPECT_THAT(DecodeStatus<sns::PublishBatchRequest>(
                  "PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.BinaryValue="
                  "abc"),
              StatusIs(ErrorCode::kInvalidParameter,
                       HasSubstr("PublishBatchRequestEntries.member.2.MessageAttributes.entry.1."
                                 "Value.BinaryValue")));
}

TEST(DecodeSnsQueryRequest, AcceptsBooleansInEitherCase) {
  EXPECT_EQ(MustDecode<sns::SubscribeRequest>("ReturnSubscriptionArn=TRUE").return_subscription_arn,
            true);
  EXPECT_EQ(
      MustDecode<sns::SubscribeRequest>("ReturnSubscriptionArn=False").return_subscription_arn,
      false);
}

TEST(DecodeSnsQueryRequest, RejectsBooleanThatIsNeitherTrueNorFalse) {
  EXPECT_THAT(DecodeStatus<sns::SubscribeRequest>("ReturnSubscriptionArn=yes"),
              StatusIs(ErrorCode::kInvalidParameter, HasSubstr("ReturnSubscriptionArn")));
}

TEST(DecodeSnsQueryRequest, LeavesMissingMembersEmpty) {
  auto request = MustDecode<sns::PublishRequest>("Action=Publish&Version=2010-03-31");
  EXPECT_EQ(request.message, "");
  EXPECT_EQ(request.topic_arn, std::nullopt);
  EXPECT_TRUE(request.message_attributes.empty());
}

TEST(DecodeSnsQueryRequest, KeepsAnEmptyOptionalValue) {
  EXPECT_EQ(MustDecode<sns::PublishRequest>("Message=m&Subject=").subject, "");
}

TEST(DecodeSnsQueryRequest, IgnoresUnknownParameters) {
  auto request = MustDecode<sns::DeleteTopicRequest>("TopicArn=a&Bogus=1&TopicArn.member.1=x");
  EXPECT_EQ(request.topic_arn, "a");
}

// ---- Client: form encoding ------------------------------------------------------------------

TEST(EncodeSnsQueryRequest, LeavesOutEmptyTopLevelRequiredStrings) {
  EXPECT_EQ(EncodeSnsQueryRequest(sns::DeleteTopicRequest{}),
            "Action=DeleteTopic&Version=2010-03-31");
}

TEST(EncodeSnsQueryRequest, SendsEmptyStringsInsideListItems) {
  EXPECT_EQ(
      EncodeSnsQueryRequest(sns::TagResourceRequest{.resource_arn = "r", .tags = {{"k", ""}}}),
      "Action=TagResource&Version=2010-03-31&ResourceArn=r&Tags.member.1.Key=k&"
      "Tags.member.1.Value=");
}

TEST(EncodeSnsQueryRequest, EscapesAsPythonUrlencodeDoes) {
  EXPECT_EQ(EncodeSnsQueryRequest(sns::ListTopicsRequest{.next_token = "a b~_.-*'\n\xff"}),
            "Action=ListTopics&Version=2010-03-31&NextToken=a+b~_.-%2A%27%0A%FF");
}

TEST(EncodeSnsQueryRequest, SendsEmptyRequiredListAsBareName) {
  EXPECT_EQ(EncodeSnsQueryRequest(sns::PublishBatchRequest{.topic_arn = "t"}),
            "Action=PublishBatch&Version=2010-03-31&TopicArn=t&PublishBatchRequestEntries=");
}

TEST(EncodeSnsQueryRequest, LeavesOutEmptyOptionalListsAndMaps) {
  EXPECT_EQ(EncodeSnsQueryRequest(sns::CreateTopicRequest{.name = "t"}),
            "Action=CreateTopic&Version=2010-03-31&Name=t");
}

// ---- Server: response XML ---------------------------------------------------------------------

TEST(EncodeSnsQueryResponse, WritesPublishResponseExactly) {
  EXPECT_EQ(EncodeSnsQueryResponse(sns::PublishResponse{.message_id = "m-1"}, "r-1"),
            std::string(kXmlDeclaration) +
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                "<PublishResult><MessageId>m-1</MessageId></PublishResult>"
                "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
                "</PublishResponse>");
}

TEST(EncodeSnsQueryResponse, ActionsWithoutOutputHaveNoResultElement) {
  for (const std::string& xml :
       {EncodeSnsQueryResponse(sns::DeleteTopicResponse{}, "r"),
        EncodeSnsQueryResponse(sns::SetTopicAttributesResponse{}, "r"),
        EncodeSnsQueryResponse(sns::SetSubscriptionAttributesResponse{}, "r"),
        EncodeSnsQueryResponse(sns::UnsubscribeResponse{}, "r")}) {
    EXPECT_THAT(xml, Not(HasSubstr("Result>"))) << xml;
  }
}

TEST(EncodeSnsQueryResponse, TagActionsHaveAnEmptyResultElement) {
  EXPECT_THAT(EncodeSnsQueryResponse(sns::TagResourceResponse{}, "r"),
              HasSubstr("<TagResourceResult></TagResourceResult><ResponseMetadata>"));
  EXPECT_THAT(EncodeSnsQueryResponse(sns::UntagResourceResponse{}, "r"),
              HasSubstr("<UntagResourceResult></UntagResourceResult><ResponseMetadata>"));
}

TEST(EncodeSnsQueryResponse, WritesEmptyListsAsEmptyElements) {
  EXPECT_THAT(EncodeSnsQueryResponse(sns::ListTopicsResponse{}, "r"),
              HasSubstr("<ListTopicsResult><Topics></Topics></ListTopicsResult>"));
}

TEST(EncodeSnsQueryResponse, WritesMapsAsEntriesOfKeyAndValue) {
  EXPECT_THAT(
      EncodeSnsQueryResponse(sns::GetTopicAttributesResponse{.attributes = {{"A", "1"}}}, "r"),
      HasSubstr("<Attributes><entry><key>A</key><value>1</value></entry></Attributes>"));
}

// ---- Server: errors
// ------------------------------------------------------------------------------

TEST(EncodeSnsQueryError, WritesNotFoundExactly) {
  QueryErrorResponse error =
      EncodeSnsQueryError(Status(ErrorCode::kNotFound, "Topic does not exist"), "r-1");
  EXPECT_EQ(error.http_status, 404);
  EXPECT_EQ(error.body, std::string(kXmlDeclaration) +
                            "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                            "<Error><Type>Sender</Type><Code>NotFound</Code>"
                            "<Message>Topic does not exist</Message></Error>"
                            "<RequestId>r-1</RequestId></ErrorResponse>");
}

TEST(EncodeSnsQueryError, UsesSnsSpellingOfCodesSharedWithSqs) {
  const std::string body =
      EncodeSnsQueryError(Status(ErrorCode::kEmptyBatchRequest, "e"), "r").body;
  EXPECT_THAT(body, HasSubstr("<Code>EmptyBatchRequest</Code>"));
  EXPECT_THAT(body, Not(HasSubstr("SimpleQueueService")));
}

TEST(EncodeSnsQueryError, ServerFaultsAreReceiverErrors) {
  QueryErrorResponse error = EncodeSnsQueryError(Status(ErrorCode::kInternalError, "x"), "r");
  EXPECT_EQ(error.http_status, 500);
  EXPECT_THAT(error.body, HasSubstr("<Type>Receiver</Type>"));
}

TEST(EncodeSnsQueryError, TransportCodesBecomeInternalError) {
  QueryErrorResponse error = EncodeSnsQueryError(Status(ErrorCode::kTimeout, "slow"), "r");
  EXPECT_EQ(error.http_status, 500);
  EXPECT_THAT(error.body, HasSubstr("<Code>InternalError</Code><Message>slow</Message>"));
}

TEST(EncodeSnsQueryError, RelayedUnknownErrorKeepsItsCode) {
  Status relayed(ErrorCode::kUnknownError, "OptedOut: m");
  relayed.set_wire_names("OptedOut", "OptedOut");
  QueryErrorResponse error = EncodeSnsQueryError(relayed, "r");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_THAT(error.body, HasSubstr("<Type>Sender</Type><Code>OptedOut</Code>"));
}

// ---- Client: response decoding ----------------------------------------------------------------

// The ListTopics example of the SNS API reference, indentation and all.
constexpr std::string_view kDocumentedListTopics =
    R"(<ListTopicsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <ListTopicsResult>
    <Topics>
      <member>
        <TopicArn>arn:aws:sns:us-east-2:123456789012:My-Topic</TopicArn>
      </member>
    </Topics>
  </ListTopicsResult>
  <ResponseMetadata>
    <RequestId>3f1478c7-33a9-11df-9540-99d0768312d3</RequestId>
  </ResponseMetadata>
</ListTopicsResponse>)";

TEST(DecodeSnsQueryResponse, ReadsTheDocumentedListTopicsResponse) {
  sns::ListTopicsResponse response;
  ASSERT_THAT(DecodeSnsQueryResponse(kDocumentedListTopics, &response), IsOk());
  EXPECT_EQ(response.topics,
            std::vector<sns::Topic>{{"arn:aws:sns:us-east-2:123456789012:My-Topic"}});
  EXPECT_EQ(response.next_token, std::nullopt);
}

TEST(DecodeSnsQueryResponse, IgnoresUnknownElementsAndOrder) {
  sns::PublishResponse response;
  ASSERT_THAT(DecodeSnsQueryResponse("<PublishResponse><PublishResult><New>x</New>"
                                     "<SequenceNumber>7</SequenceNumber><MessageId>m</MessageId>"
                                     "</PublishResult></PublishResponse>",
                                     &response),
              IsOk());
  EXPECT_EQ(response.message_id, "m");
  EXPECT_EQ(response.sequence_number, "7");
}

TEST(DecodeSnsQueryResponse, ToleratesAMissingResultElement) {
  sns::CreateTopicResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse("<CreateTopicResponse/>", &response), IsOk());
  EXPECT_EQ(response.topic_arn, "");
}

TEST(DecodeSnsQueryResponse, ClearsWhatTheResponseHeldBefore) {
  sns::ListTopicsResponse response{.topics = {{"old"}}, .next_token = "old"};
  ASSERT_THAT(DecodeSnsQueryResponse("<ListTopicsResponse/>", &response), IsOk());
  EXPECT_TRUE(response.topics.empty());
  EXPECT_EQ(response.next_token, std::nullopt);
}

TEST(DecodeSnsQueryResponse, RejectsTheResponseOfAnotherAction) {
  sns::PublishResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse("<CreateTopicResponse/>", &response),
              StatusIs(ErrorCode::kMalformedResponse, HasSubstr("<PublishResponse>")));
}

TEST(DecodeSnsQueryResponse, RejectsAnErrorResponse) {
  sns::DeleteTopicResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse(
                  EncodeSnsQueryError(Status(ErrorCode::kNotFound, "x"), "r").body, &response),
              StatusIs(ErrorCode::kMalformedResponse));
}

TEST(DecodeSnsQueryResponse, RejectsABooleanThatIsNotTrueOrFalse) {
  sns::PublishBatchResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse("<PublishBatchResponse><PublishBatchResult><Failed><member>"
                                     "<Id>a</Id><SenderFault>1</SenderFault></member></Failed>"
                                     "</PublishBatchResult></PublishBatchResponse>",
                                     &response),
              StatusIs(ErrorCode::kMalformedResponse, HasSubstr("SenderFault")));
  EXPECT_TRUE(response.failed.empty());
}

TEST(DecodeSnsQueryResponse, RejectsAMapEntryWithoutKey) {
  sns::GetTopicAttributesResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse("<GetTopicAttributesResponse><GetTopicAttributesResult>"
                                     "<Attributes><entry><value>v</value></entry></Attributes>"
                                     "</GetTopicAttributesResult></GetTopicAttributesResponse>",
                                     &response),
              StatusIs(ErrorCode::kMalformedResponse));
}

TEST(DecodeSnsQueryResponse, RejectsABodyThatIsNotXml) {
  sns::PublishResponse response;
  EXPECT_THAT(DecodeSnsQueryResponse("{\"MessageId\":\"m\"}", &response),
              StatusIs(ErrorCode::kMalformedResponse));
}

// ---- Client: error decoding
// ----------------------------------------------------------------------

TEST(DecodeSnsQueryError, MapsEverySnsCodeBackToItsErrorCode) {
  for (int i = 1; i <= static_cast<int>(ErrorCode::kUnknownError); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    if (sns::SnsErrorCode(code).empty()) continue;
    QueryErrorResponse error = EncodeSnsQueryError(Status(code, "m"), "r");
    EXPECT_THAT(DecodeSnsQueryError(error.http_status, error.body), StatusIs(code, "m"))
        << GetErrorInfo(code).name;
  }
}

TEST(DecodeSnsQueryError, MapsTheModelsValidationExceptionToValidationError) {
  EXPECT_THAT(DecodeSnsQueryError(400,
                                  "<ErrorResponse><Error><Code>ValidationException</Code>"
                                  "<Message>m</Message></Error></ErrorResponse>"),
              StatusIs(ErrorCode::kValidationError, "m"));
}

TEST(DecodeSnsQueryError, MapsThrottledToThrottlingException) {
  EXPECT_THAT(DecodeSnsQueryError(429,
                                  "<ErrorResponse><Error><Code>Throttled</Code>"
                                  "<Message>Rate exceeded</Message></Error></ErrorResponse>"),
              StatusIs(ErrorCode::kThrottlingException, "Rate exceeded"));
}

TEST(DecodeSnsQueryError, KeepsAnUnknownCodeInMessageAndWireNames) {
  Status status =
      DecodeSnsQueryError(400,
                          "<ErrorResponse><Error><Type>Sender</Type><Code>OptedOut</Code>"
                          "<Message>Phone number is opted out</Message></Error></ErrorResponse>");
  EXPECT_THAT(status, StatusIs(ErrorCode::kUnknownError, "OptedOut: Phone number is opted out"));
  EXPECT_EQ(status.query_code(), "OptedOut");
}

TEST(DecodeSnsQueryError, GivesAnErrorWithoutMessageItsHttpStatus) {
  EXPECT_THAT(DecodeSnsQueryError(404,
                                  "<ErrorResponse><Error><Code>NotFound</Code></Error>"
                                  "</ErrorResponse>"),
              StatusIs(ErrorCode::kNotFound, "HTTP 404"));
}

TEST(DecodeSnsQueryError, TakesTheCodeOfANonXmlBodyFromTheHttpStatus) {
  EXPECT_THAT(DecodeSnsQueryError(503, "<html>busy"),
              StatusIs(ErrorCode::kServiceUnavailable, "HTTP 503: <html>busy"));
  EXPECT_THAT(DecodeSnsQueryError(502, ""), StatusIs(ErrorCode::kInternalError, "HTTP 502"));
  EXPECT_THAT(DecodeSnsQueryError(429, "slow"), StatusIs(ErrorCode::kThrottlingException));
  EXPECT_THAT(DecodeSnsQueryError(400, "<Other/>"), StatusIs(ErrorCode::kUnknownError));
}

TEST(DecodeSnsQueryError, CutsALongNonXmlBodyShort) {
  Status status = DecodeSnsQueryError(400, std::string(10000, 'x'));
  EXPECT_LT(status.message().size(), 300u);
}

// ---- Totality
// ------------------------------------------------------------------------------------

// Decodes `form` as every action's request; each is OK or InvalidParameter.
void ExpectEveryActionDecodesOrRejects(const FormFields& form) {
#define SQSIM_DECODE_SNS_ACTION(Name)                                       \
  {                                                                         \
    sns::Name##Request request;                                             \
    Status status = DecodeSnsQueryRequest(form, &request);                  \
    if (!status.ok()) {                                                     \
      EXPECT_THAT(status, StatusIs(ErrorCode::kInvalidParameter)) << #Name; \
    }                                                                       \
  }
  SQSIM_SNS_FOR_EACH_ACTION(SQSIM_DECODE_SNS_ACTION)
#undef SQSIM_DECODE_SNS_ACTION
}

// Decodes `xml` as every action's response; each is OK or MalformedResponse.
void ExpectEveryActionDecodesOrIsMalformed(std::string_view xml){
#define SQSIM_DECODE_SNS_RESPONSE(Name)                                      \
  {                                                                          \
    sns::Name##Response response;                                            \
    Status status = DecodeSnsQueryResponse(xml, &response);                  \
    if (!status.ok()) {                                                      \
      EXPECT_THAT(status, StatusIs(ErrorCode::kMalformedResponse)) << #Name; \
    }                                                                        \
  }
    SQSIM_SNS_FOR_EACH_ACTION(SQSIM_DECODE_SNS_RESPONSE)
#undef SQSIM_DECODE_SNS_RESPONSE
}

std::vector<std::string> SampleBodies() {
  return {EncodeSnsQueryRequest(Sample<sns::PublishRequest>()),
          EncodeSnsQueryRequest(Sample<sns::PublishBatchRequest>()),
          EncodeSnsQueryRequest(Sample<sns::CreateTopicRequest>()),
          EncodeSnsQueryRequest(Sample<sns::SubscribeRequest>())};
}

std::vector<std::string> SampleResponses() {
  return {EncodeSnsQueryResponse(Sample<sns::PublishBatchResponse>(), "r"),
          EncodeSnsQueryResponse(Sample<sns::ListSubscriptionsResponse>(), "r"),
          EncodeSnsQueryResponse(Sample<sns::GetTopicAttributesResponse>(), "r"),
          std::string(kDocumentedListTopics)};
}

TEST(SnsQueryFuzz, TruncatedFormBodiesParseAndDecodeOrFailWithTheirOwnCodes) {
  for (const std::string& body : SampleBodies()) {
    for (size_t length = 0; length <= body.size(); ++length) {
      Result<FormFields> form = ParseForm(body.substr(0, length));
      if (!form.ok()) {
        // A cut percent-escape; ParseForm's own error.
        EXPECT_THAT(form.status(), StatusIs(ErrorCode::kInvalidParameterValue));
        continue;
      }
      ExpectEveryActionDecodesOrRejects(*form);
    }
  }
}

TEST(SnsQueryFuzz, RandomFormsDecodeOrGiveInvalidParameter) {
  const std::vector<std::string> parts = {"Tags",
                                          "TagKeys",
                                          "member",
                                          "entry",
                                          "key",
                                          "value",
                                          "Name",
                                          "Value",
                                          "Key",
                                          "1",
                                          "2",
                                          "01",
                                          "0",
                                          "x",
                                          "",
                                          "Attributes",
                                          "MessageAttributes",
                                          "DataType",
                                          "BinaryValue",
                                          "StringValue",
                                          "PublishBatchRequestEntries",
                                          "ReturnSubscriptionArn",
                                          "Message",
                                          "TopicArn"};
  const std::vector<std::string> values = {"", "true", "False", "AAH/", "AA==", "x", "\xff", "1"};
  std::mt19937 rng(31);
  for (int round = 0; round < 2000; ++round) {
    FormFields form;
    for (int field = static_cast<int>(rng() % 8); field > 0; --field) {
      std::string key = parts[rng() % parts.size()];
      for (int depth = static_cast<int>(rng() % 6); depth > 0; --depth) {
        key += "." + parts[rng() % parts.size()];
      }
      form[key] = values[rng() % values.size()];
    }
    ExpectEveryActionDecodesOrRejects(form);
  }
}

TEST(SnsQueryFuzz, TruncatedResponsesAreMalformed) {
  for (const std::string& xml : SampleResponses()) {
    for (size_t length = 0; length < xml.size(); ++length) {
      sns::PublishBatchResponse response;
      EXPECT_THAT(DecodeSnsQueryResponse(xml.substr(0, length), &response),
                  StatusIs(ErrorCode::kMalformedResponse))
          << "prefix length " << length;
    }
  }
}

TEST(SnsQueryFuzz, MutatedResponsesDecodeOrAreMalformed) {
  std::mt19937 rng(7);
  const std::vector<std::string> samples = SampleResponses();
  for (int round = 0; round < 1500; ++round) {
    std::string xml = samples[rng() % samples.size()];
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !xml.empty(); --edits) {
      const size_t at = rng() % xml.size();
      if (rng() % 2 == 0) {
        xml[at] = "<>/&;x1 \xff"[rng() % 9];
      } else {
        xml.erase(at, 1 + rng() % 6);
      }
    }
    ExpectEveryActionDecodesOrIsMalformed(xml);
  }
}

TEST(SnsQueryFuzz, RandomBytesAsResponsesAreMalformed) {
  std::mt19937 rng(2010);
  for (int round = 0; round < 1000; ++round) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    // Random bytes never form a document with the right root element.
    sns::ListTopicsResponse response;
    EXPECT_THAT(DecodeSnsQueryResponse(bytes, &response), StatusIs(ErrorCode::kMalformedResponse));
  }
}

TEST(SnsQueryFuzz, MangledErrorBodiesAlwaysGiveAnError) {
  const std::string body =
      EncodeSnsQueryError(Status(ErrorCode::kNotFound, "Topic does not exist"), "r").body;
  std::mt19937 rng(404);
  for (size_t length = 0; length <= body.size(); ++length) {
    EXPECT_THAT(DecodeSnsQueryError(404, body.substr(0, length)), Not(IsOk()));
  }
  for (int round = 0; round < 1000; ++round) {
    std::string mangled = body;
    mangled[rng() % mangled.size()] = static_cast<char>(rng());
    EXPECT_THAT(DecodeSnsQueryError(404, mangled), Not(IsOk()));
  }
}

}  // namespace sqsim::wire::sns_query_codec_test
