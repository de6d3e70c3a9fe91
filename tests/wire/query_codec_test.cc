// Unit and fuzz tests of the query codec: form parsing, the decoder's
// liberal and strict edges, exact XML for representative responses and
// errors, and totality on random, truncated and garbage input. The
// comparisons against botocore are in query_oracle_test.cc.

#include "wire/query_codec.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sqsim/testing/matchers.h"
#include "wire/xml_writer.h"

namespace sqsim::wire {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;

constexpr std::string_view kXmlns = "http://queue.amazonaws.com/doc/2012-11-05/";

FormFields Parse(std::string_view body) {
  Result<FormFields> form = ParseForm(body);
  EXPECT_THAT(form.status(), IsOk()) << body;
  return form.ok() ? *form : FormFields{};
}

// ---- ParseForm ----------------------------------------------------------------

TEST(ParseForm, DecodesPlusAsSpace) {
  EXPECT_EQ(Parse("MessageBody=a+b++c")["MessageBody"], "a b  c");
}

TEST(ParseForm, DecodesPercentEscapesInKeysAndValues) {
  FormFields form = Parse("Attribute%2E1%2eName=%41%7a%2B%26%3d%00x");
  EXPECT_EQ(form["Attribute.1.Name"], std::string("Az+&=\0x", 7));
}

TEST(ParseForm, RejectsTruncatedEscape) {
  Result<FormFields> form = ParseForm("QueueUrl=u&MessageBody=50%2");
  EXPECT_THAT(form.status(), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(form.status().message(),
            "The request has a malformed query string: invalid percent-escape \"%2\" at byte 25.");
}

TEST(ParseForm, RejectsNonHexEscape) {
  EXPECT_THAT(ParseForm("MessageBody=50%off").status(),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(ParseForm, RejectsMalformedEscapeInKey) {
  EXPECT_THAT(ParseForm("a%g1=1").status(), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(ParseForm, KeepsLastValueOfRepeatedKey) { EXPECT_EQ(Parse("a=1&a=2")["a"], "2"); }

TEST(ParseForm, SkipsEmptyPairsAndEmptyKeys) {
  EXPECT_EQ(Parse("&&a=1&=x&&b=2&"), (FormFields{{"a", "1"}, {"b", "2"}}));
}

TEST(ParseForm, GivesEmptyValueToKeyWithoutEquals) {
  EXPECT_EQ(Parse("a&b="), (FormFields{{"a", ""}, {"b", ""}}));
}

TEST(ParseForm, KeepsEqualsSignsAfterTheFirstInTheValue) {
  EXPECT_EQ(Parse("NextToken=abc==")["NextToken"], "abc==");
}

TEST(ParseForm, AcceptsEmptyBody) { EXPECT_TRUE(Parse("").empty()); }

// ---- DecodeQueryRequest --------------------------------------------------------

TEST(DecodeQueryRequest, RejectsNonIntegerWithSqsWording) {
  ReceiveMessageRequest request;
  Status status = DecodeQueryRequest(Parse("QueueUrl=u&MaxNumberOfMessages=ten"), &request);
  EXPECT_THAT(status, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(status.message(),
            "Value ten for parameter MaxNumberOfMessages is invalid. Reason: must be an integer.");
}

TEST(DecodeQueryRequest, RejectsIntegerBeyondInt32) {
  SendMessageRequest request;
  EXPECT_THAT(DecodeQueryRequest(Parse("DelaySeconds=2147483648"), &request),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(DecodeQueryRequest, RejectsIntegerWithTrailingText) {
  ChangeMessageVisibilityRequest request;
  EXPECT_THAT(DecodeQueryRequest(Parse("VisibilityTimeout=5s"), &request),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(DecodeQueryRequest, RejectsEmptyInteger) {
  ListQueuesRequest request;
  EXPECT_THAT(DecodeQueryRequest(Parse("MaxResults="), &request),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(DecodeQueryRequest, NamesTheFullKeyOfABadBatchEntryInteger) {
  ChangeMessageVisibilityBatchRequest request;
  Status status = DecodeQueryRequest(
      Parse("ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout=x"), &request);
  EXPECT_EQ(status.message(),
            "Value x for parameter ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout is "
            "invalid. Reason: must be an integer.");
}

TEST(DecodeQueryRequest, AcceptsSignedIntegers) {
  SendMessageBatchRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("SendMessageBatchRequestEntry.1.DelaySeconds=%2B5&"
                                       "SendMessageBatchRequestEntry.2.DelaySeconds=-3"),
                                 &request),
              IsOk());
  ASSERT_EQ(request.entries.size(), 2u);
  EXPECT_EQ(request.entries[0].delay_seconds, 5);
  EXPECT_EQ(request.entries[1].delay_seconds, -3);
}

TEST(DecodeQueryRequest, RejectsBinaryValueThatIsNotBase64) {
  SendMessageRequest request;
  Status status =
      DecodeQueryRequest(Parse("MessageAttribute.1.Name=b&MessageAttribute.1.Value.DataType=Binary&"
                               "MessageAttribute.1.Value.BinaryValue=not*base64"),
                         &request);
  EXPECT_THAT(status, StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(status.message(),
            "Value not*base64 for parameter MessageAttribute.1.Value.BinaryValue is invalid. "
            "Reason: must be base64-encoded.");
}

TEST(DecodeQueryRequest, OrdersListByNumericIndexAcrossGaps) {
  GetQueueAttributesRequest request;
  ASSERT_THAT(
      DecodeQueryRequest(Parse("AttributeName.10=Ten&AttributeName.2=Two&AttributeName.1=One&"
                               "AttributeName.7=Seven"),
                         &request),
      IsOk());
  EXPECT_EQ(request.attribute_names, (std::vector<std::string>{"One", "Two", "Seven", "Ten"}));
}

TEST(DecodeQueryRequest, IgnoresKeysWithNonCanonicalIndexes) {
  TagQueueRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("Tag.0.Key=zero&Tag.01.Key=padded&Tag.x.Key=letter&"
                                       "Tag.-1.Key=negative&Tag.1234567890.Key=huge&"
                                       "Tag.3.Key=ok&Tag.3.Value=v"),
                                 &request),
              IsOk());
  EXPECT_EQ(request.tags, (TagMap{{"ok", "v"}}));
}

TEST(DecodeQueryRequest, IgnoresUnknownParameters) {
  DeleteQueueRequest request;
  ASSERT_THAT(
      DecodeQueryRequest(Parse("Action=DeleteQueue&Version=2012-11-05&QueueUrl=u&Foo=1"), &request),
      IsOk());
  EXPECT_EQ(request.queue_url, "u");
}

TEST(DecodeQueryRequest, LeavesMissingRequiredMembersEmpty) {
  SendMessageRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("Action=SendMessage"), &request), IsOk());
  EXPECT_EQ(request.queue_url, "");
  EXPECT_EQ(request.message_body, "");
}

TEST(DecodeQueryRequest, ReadsMapEntryWithoutNameAsEmptyName) {
  SetQueueAttributesRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("Attribute.1.Value=5"), &request), IsOk());
  EXPECT_EQ(request.attributes, (QueueAttributeMap{{"", "5"}}));
}

TEST(DecodeQueryRequest, ReadsBothSystemAttributeNameLists) {
  ReceiveMessageRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("AttributeName.1=SenderId&MessageSystemAttributeName.1=All&"
                                       "MessageAttributeName.1=All"),
                                 &request),
              IsOk());
  EXPECT_EQ(request.attribute_names, std::vector<std::string>{"SenderId"});
  EXPECT_EQ(request.message_system_attribute_names, std::vector<std::string>{"All"});
  EXPECT_EQ(request.message_attribute_names, std::vector<std::string>{"All"});
}

TEST(DecodeQueryRequest, ReadsBatchEntriesInIndexOrder) {
  DeleteMessageBatchRequest request;
  ASSERT_THAT(DecodeQueryRequest(Parse("DeleteMessageBatchRequestEntry.11.Id=b&"
                                       "DeleteMessageBatchRequestEntry.11.ReceiptHandle=rb&"
                                       "DeleteMessageBatchRequestEntry.3.Id=a"),
                                 &request),
              IsOk());
  ASSERT_EQ(request.entries.size(), 2u);
  EXPECT_EQ(request.entries[0].id, "a");
  EXPECT_EQ(request.entries[0].receipt_handle, "");
  EXPECT_EQ(request.entries[1].id, "b");
  EXPECT_EQ(request.entries[1].receipt_handle, "rb");
}

// ---- EncodeQueryResponse / EncodeQueryError -------------------------------------

TEST(EncodeQueryResponse, WritesNoResultElementForActionsWithoutOutput) {
  EXPECT_EQ(EncodeQueryResponse(DeleteMessageResponse{}, "rid"),
            "<?xml version=\"1.0\"?><DeleteMessageResponse xmlns=\"" + std::string(kXmlns) +
                "\"><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
                "</DeleteMessageResponse>");
}

TEST(EncodeQueryResponse, WritesSendMessageResultInModelOrder) {
  SendMessageResponse response{.md5_of_message_body = "b", .message_id = "m"};
  EXPECT_EQ(EncodeQueryResponse(response, "rid"),
            "<?xml version=\"1.0\"?><SendMessageResponse xmlns=\"" + std::string(kXmlns) +
                "\"><SendMessageResult><MD5OfMessageBody>b</MD5OfMessageBody>"
                "<MessageId>m</MessageId></SendMessageResult>"
                "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>"
                "</SendMessageResponse>");
}

TEST(EncodeQueryResponse, WritesEmptyResultElementWhenThereIsNothingToReturn) {
  const std::string xml = EncodeQueryResponse(ReceiveMessageResponse{}, "rid");
  EXPECT_NE(xml.find("<ReceiveMessageResult></ReceiveMessageResult>"), std::string::npos) << xml;
}

TEST(EncodeQueryResponse, EscapesMarkupInMessageBody) {
  ReceiveMessageResponse response{.messages = {{.body = "<a>&\r\n"}}};
  const std::string xml = EncodeQueryResponse(response, "rid");
  EXPECT_NE(xml.find("<Body>&lt;a&gt;&amp;&#xD;\n</Body>"), std::string::npos) << xml;
}

TEST(EncodeQueryResponse, WritesBinaryAttributeValuesAsBase64) {
  ReceiveMessageResponse response{
      .messages = {
          {.message_attributes = {
               {"b", {.binary_value = std::string("\0\x01\xff", 3), .data_type = "Binary"}}}}}};
  const std::string xml = EncodeQueryResponse(response, "rid");
  EXPECT_NE(xml.find("<MessageAttribute><Name>b</Name><Value><BinaryValue>AAH/</BinaryValue>"
                     "<DataType>Binary</DataType></Value></MessageAttribute>"),
            std::string::npos)
      << xml;
}

TEST(EncodeQueryError, WritesQueryCodeTypeMessageAndStatus) {
  QueryErrorResponse error = EncodeQueryError(
      Status(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."), "rid");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.body, "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" + std::string(kXmlns) +
                            "\"><Error><Type>Sender</Type>"
                            "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
                            "<Message>The specified queue does not exist.</Message><Detail/>"
                            "</Error><RequestId>rid</RequestId></ErrorResponse>");
}

TEST(EncodeQueryError, MarksServerFaultsAsReceiver) {
  QueryErrorResponse error = EncodeQueryError(Status(ErrorCode::kServiceUnavailable, "x"), "rid");
  EXPECT_EQ(error.http_status, 503);
  EXPECT_NE(error.body.find("<Type>Receiver</Type>"), std::string::npos) << error.body;
}

TEST(EncodeQueryError, UsesStatus500ForCodesWithoutHttpStatus) {
  QueryErrorResponse error = EncodeQueryError(Status(ErrorCode::kTimeout, "x"), "rid");
  EXPECT_EQ(error.http_status, 500);
  EXPECT_NE(error.body.find("<Code>Timeout</Code>"), std::string::npos) << error.body;
}

// ---- AppendXmlText ----------------------------------------------------------------

std::string XmlText(std::string_view text) {
  std::string out;
  AppendXmlText(text, &out);
  return out;
}

TEST(XmlText, EscapesMarkupAndCarriageReturnOnly) {
  EXPECT_EQ(XmlText("a&b<c>d\re\nf\tg\"h'i"), "a&amp;b&lt;c&gt;d&#xD;e\nf\tg\"h'i");
}

TEST(XmlText, KeepsValidMultibyteUtf8) {
  EXPECT_EQ(XmlText("\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80"),
            "\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(XmlText, ReplacesForbiddenCharactersWithReplacementCharacter) {
  // NUL, a C0 control, U+FFFE, a stray continuation byte, an overlong '/',
  // a UTF-16 surrogate and a truncated sequence.
  const std::string input =
      std::string("\0\x1f", 2) + "\xef\xbf\xbe" + "\x80" + "\xc0\xaf" + "\xed\xa0\x80" + "\xe2\x82";
  // Ill-formed sequences are replaced byte by byte; U+FFFE, a well-formed
  // sequence of a forbidden character, as a whole.
  EXPECT_EQ(XmlText(input), std::string("\xef\xbf\xbd\xef\xbf\xbd"              // NUL, 0x1f
                                        "\xef\xbf\xbd"                          // U+FFFE
                                        "\xef\xbf\xbd"                          // 0x80
                                        "\xef\xbf\xbd\xef\xbf\xbd"              // C0 AF
                                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"  // ED A0 80
                                        "\xef\xbf\xbd\xef\xbf\xbd"));           // E2 82
}

// ---- Totality on hostile input -------------------------------------------------------

// Decodes `form` as every action's request; none may crash or assert.
// The only error the query codec gives: a value that does not parse (the
// form parser's and every decoder's).
::testing::AssertionResult IsOkOrInvalidParameterValue(std::string_view what,
                                                       const Status& status) {
  if (status.ok() || status.code() == ErrorCode::kInvalidParameterValue) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << what << " gave " << status;
}

// Decodes `form` as every action's request; each must be OK or the codec's
// own error.
::testing::AssertionResult DecodeAsEveryAction(const FormFields& form) {
#define SQSIM_DECODE(Name)                                                                \
  {                                                                                       \
    Name##Request request;                                                                \
    ::testing::AssertionResult decoded =                                                  \
        IsOkOrInvalidParameterValue(#Name "Request", DecodeQueryRequest(form, &request)); \
    if (!decoded) return decoded;                                                         \
  }
  SQSIM_FOR_EACH_ACTION(SQSIM_DECODE)
#undef SQSIM_DECODE
  return ::testing::AssertionSuccess();
}

// True when `text` is what AppendXmlText may produce: valid UTF-8 with no
// raw markup, no CR and no forbidden control character.
bool IsSafeXmlText(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '<' || c == '>' || c == '\r' || (c < 0x20 && c != '\t' && c != '\n')) return false;
    if (c == '&' && text.substr(i, 5) != "&amp;" && text.substr(i, 4) != "&lt;" &&
        text.substr(i, 4) != "&gt;" && text.substr(i, 5) != "&#xD;") {
      return false;
    }
  }
  // Text with no markup, CR or control characters passes through
  // AppendXmlText unchanged apart from '&' exactly when it is valid UTF-8
  // without forbidden characters.
  std::string reencoded;
  AppendXmlText(text, &reencoded);
  std::string without_amp;
  for (size_t i = 0; i < reencoded.size(); ++i) {
    if (reencoded.compare(i, 5, "&amp;") == 0) {
      without_amp += '&';
      i += 4;
    } else {
      without_amp += reencoded[i];
    }
  }
  return without_amp == text;
}

std::string RandomBytes(std::mt19937& rng, size_t max_size) {
  std::uniform_int_distribution<size_t> size(0, max_size);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size(rng), '\0');
  for (char& c : out) c = static_cast<char>(byte(rng));
  return out;
}

TEST(QueryCodecFuzz, RandomBytesNeverCrashParseOrDecode) {
  std::mt19937 rng(20240611);
  for (int i = 0; i < 2000; ++i) {
    // Bias towards form-ish bytes so that many inputs parse.
    std::string body = RandomBytes(rng, 64);
    for (char& c : body) {
      if (static_cast<unsigned char>(c) % 5 == 0) c = "&=.%+1A"[static_cast<unsigned char>(c) % 7];
    }
    Result<FormFields> form = ParseForm(body);
    ASSERT_TRUE(IsOkOrInvalidParameterValue("ParseForm", form.status())) << "case " << i;
    if (form.ok()) {
      ASSERT_TRUE(DecodeAsEveryAction(*form)) << "case " << i;
    }
  }
}

TEST(QueryCodecFuzz, TruncatedFormsNeverCrash) {
  const std::string body =
      "Action=SendMessageBatch&QueueUrl=https%3A%2F%2Fq&"
      "SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=x+y&"
      "SendMessageBatchRequestEntry.1.DelaySeconds=-15&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=n&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.BinaryValue=AAH%2F&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringListValue.1=s&"
      "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.BinaryListValue.1=Zg%3D%3D&"
      "Attribute.1.Name=DelaySeconds&Attribute.1.Value=5&Tag.1.Key=k&AttributeName.1=All&"
      "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=12&MaxResults=3";
  for (size_t size = 0; size <= body.size(); ++size) {
    Result<FormFields> form = ParseForm(std::string_view(body).substr(0, size));
    ASSERT_TRUE(IsOkOrInvalidParameterValue("ParseForm", form.status())) << "size " << size;
    if (form.ok()) {
      ASSERT_TRUE(DecodeAsEveryAction(*form)) << "size " << size;
    }
  }
}

TEST(QueryCodecFuzz, StructuredGarbageFormsNeverCrash) {
  // Keys built from real member names, indexes (good and bad) and dots reach
  // deep into the decoders; values mix numbers, base64 and random bytes.
  const std::vector<std::string> parts = {"Attribute",
                                          "Tag",
                                          "Name",
                                          "Value",
                                          "Key",
                                          "StringValue",
                                          "BinaryValue",
                                          "DataType",
                                          "StringListValue",
                                          "BinaryListValue",
                                          "MessageAttribute",
                                          "MessageSystemAttribute",
                                          "SendMessageBatchRequestEntry",
                                          "DeleteMessageBatchRequestEntry",
                                          "ChangeMessageVisibilityBatchRequestEntry",
                                          "AttributeName",
                                          "MessageAttributeName",
                                          "TagKey",
                                          "AWSAccountId",
                                          "ActionName",
                                          "DelaySeconds",
                                          "VisibilityTimeout",
                                          "MaxResults",
                                          "MaxNumberOfMessages",
                                          "WaitTimeSeconds",
                                          "MaxNumberOfMessagesPerSecond",
                                          "Id",
                                          "0",
                                          "1",
                                          "2",
                                          "10",
                                          "01",
                                          "999999999",
                                          "2147483648",
                                          "",
                                          "."};
  const std::vector<std::string> values = {"",           "0",           "-1",          "+7",
                                           "2147483647", "-2147483648", "99999999999", "AAH/",
                                           "Zg==",       "Zh==",        "x",           "1e3"};
  std::mt19937 rng(7);
  for (int i = 0; i < 1500; ++i) {
    FormFields form;
    const int fields = std::uniform_int_distribution<int>(0, 12)(rng);
    for (int f = 0; f < fields; ++f) {
      std::string key;
      const int depth = std::uniform_int_distribution<int>(1, 7)(rng);
      for (int d = 0; d < depth; ++d) {
        if (d > 0) key += '.';
        key += parts[std::uniform_int_distribution<size_t>(0, parts.size() - 1)(rng)];
      }
      form[key] = rng() % 3 == 0
                      ? RandomBytes(rng, 8)
                      : values[std::uniform_int_distribution<size_t>(0, values.size() - 1)(rng)];
    }
    ASSERT_TRUE(DecodeAsEveryAction(form)) << "case " << i;
  }
}

TEST(QueryCodecFuzz, RandomTextAlwaysEscapesToSafeXmlText) {
  std::mt19937 rng(99);
  for (int i = 0; i < 2000; ++i) {
    std::string escaped;
    AppendXmlText(RandomBytes(rng, 32), &escaped);
    ASSERT_TRUE(IsSafeXmlText(escaped)) << ::testing::PrintToString(escaped);
  }
}

TEST(QueryCodecFuzz, RandomResponseTextNeverBreaksTheDocument) {
  std::mt19937 rng(5);
  for (int i = 0; i < 500; ++i) {
    ReceiveMessageResponse response{
        .messages = {{.message_id = RandomBytes(rng, 8),
                      .body = RandomBytes(rng, 16),
                      .attributes = {{RandomBytes(rng, 4), RandomBytes(rng, 4)}},
                      .message_attributes = {{RandomBytes(rng, 4),
                                              {.string_value = RandomBytes(rng, 4),
                                               .binary_value = RandomBytes(rng, 4),
                                               .data_type = RandomBytes(rng, 4)}}}}}};
    const std::string xml = EncodeQueryResponse(response, RandomBytes(rng, 8));
    // Every '<' in the document opens one of our tags, so the text between
    // them is safe.
    size_t pos = 0;
    while ((pos = xml.find('>', pos)) != std::string::npos) {
      const size_t next = xml.find('<', pos);
      if (next == std::string::npos) break;
      ASSERT_TRUE(IsSafeXmlText(xml.substr(pos + 1, next - pos - 1))) << xml;
      pos = next;
    }
  }
}

}  // namespace
}  // namespace sqsim::wire
