// Tests for src/sim/validation.h: each SQS parameter rule at its boundaries,
// with the exact error code and message the header promises.

#include "sim/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sqsim::internal {
namespace {

MessageAttributeValue StringAttribute(std::string value, std::string data_type = "String") {
  MessageAttributeValue attribute;
  attribute.string_value = std::move(value);
  attribute.data_type = std::move(data_type);
  return attribute;
}

MessageAttributeValue NumberAttribute(std::string value, std::string data_type = "Number") {
  MessageAttributeValue attribute;
  attribute.string_value = std::move(value);
  attribute.data_type = std::move(data_type);
  return attribute;
}

MessageAttributeValue BinaryAttribute(std::string value, std::string data_type = "Binary") {
  MessageAttributeValue attribute;
  attribute.binary_value = std::move(value);
  attribute.data_type = std::move(data_type);
  return attribute;
}

// An attribute with a DataType and no value member at all.
MessageAttributeValue TypeOnly(std::string data_type) {
  MessageAttributeValue attribute;
  attribute.data_type = std::move(data_type);
  return attribute;
}

Status ValidateOne(const std::string& name, const MessageAttributeValue& value) {
  return ValidateMessageAttributes({{name, value}});
}

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidParameterValue, std::move(message));
}

Status InvalidName(const std::string& name, const std::string& reason) {
  return Invalid("Message (user) attribute name '" + name + "' is invalid. " + reason);
}

constexpr char kNameLengthReason[] = "The name must be 1 to 256 bytes long.";
constexpr char kNameCharsReason[] =
    "The name can contain only letters, digits, underscores (_), hyphens (-) and periods (.).";
constexpr char kNamePrefixReason[] =
    "The name must not start with 'AWS.' or 'Amazon.' (in any casing).";
constexpr char kNamePeriodReason[] =
    "The name must not start or end with a period (.) or contain two successive periods.";

Status InvalidType(const std::string& name) {
  return Invalid("The type of message (user) attribute '" + name +
                 "' is invalid. You must use only the following supported type prefixes: "
                 "Binary, Number, String.");
}

Status NotANumber(const std::string& name) {
  return Invalid("Could not parse message (user) attribute '" + name + "' as a number.");
}

Status InvalidTagKey(const std::string& key) {
  return Invalid("Tag key '" + key + "' is invalid.");
}

Status InvalidTagValue(const std::string& key) {
  return Invalid("Tag value for key '" + key + "' is invalid.");
}

Status ReservedTagKey() { return Invalid("Tag keys starting with 'aws:' are reserved."); }

// `count` repetitions of `unit`.
std::string Repeat(std::string_view unit, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out.append(unit);
  return out;
}

// Code points of each class IsAllowedMessageText rejects, UTF-8 encoded.
const std::vector<std::string>& DisallowedCodePoints() {
  static const std::vector<std::string> kValues = {
      std::string("\x00", 1),  // C0 control U+0000
      "\x08",                  // C0 control U+0008
      "\x0b",                  // C0 control U+000B (vertical tab)
      "\x1f",                  // C0 control U+001F, last below space
      "\xef\xbf\xbe",          // U+FFFE
      "\xef\xbf\xbf",          // U+FFFF
  };
  return kValues;
}

// Byte strings that are not well-formed UTF-8, one per failure class.
const std::vector<std::string>& InvalidUtf8() {
  static const std::vector<std::string> kValues = {
      "\xed\xa0\x80",      // encoded surrogate U+D800
      "\xed\xbf\xbf",      // encoded surrogate U+DFFF
      "\xf4\x90\x80\x80",  // U+110000, above the Unicode range
      "\xc0\xaf",          // overlong '/'
      "\xc1\xbf",          // overlong U+007F
      "\xe0\x80\xaf",      // overlong '/' in three bytes
      "\xf0\x80\x80\xaf",  // overlong '/' in four bytes
      "\xc3",              // truncated two-byte sequence
      "\xe2\x82",          // truncated three-byte sequence
      "\xf0\x9f\x98",      // truncated four-byte sequence
      "\xc3\x28",          // lead byte followed by a non-continuation byte
      "\x80",              // stray continuation byte
      "\xf8\x88\x80\x80",  // five-byte lead byte
      "\xff",              // never valid in UTF-8
  };
  return kValues;
}

// --- Queue names ------------------------------------------------------------

TEST(Validation, QueueNameAcceptsLettersDigitsHyphensAndUnderscores) {
  EXPECT_TRUE(IsValidQueueName("My-Queue_01"));
  EXPECT_TRUE(IsValidQueueName("q"));
}

TEST(Validation, QueueNameAcceptsEightyCharacters) {
  EXPECT_TRUE(IsValidQueueName(std::string(80, 'a')));
}

TEST(Validation, QueueNameRejectsEightyOneCharacters) {
  EXPECT_FALSE(IsValidQueueName(std::string(81, 'a')));
}

TEST(Validation, QueueNameAcceptsFifoSuffixWithinEightyCharacters) {
  EXPECT_TRUE(IsValidQueueName("orders.fifo"));
  EXPECT_TRUE(IsValidQueueName(std::string(75, 'a') + ".fifo"));
}

TEST(Validation, QueueNameRejectsFifoSuffixBeyondEightyCharacters) {
  EXPECT_FALSE(IsValidQueueName(std::string(76, 'a') + ".fifo"));
}

TEST(Validation, QueueNameRejectsEmptyName) { EXPECT_FALSE(IsValidQueueName("")); }

TEST(Validation, QueueNameRejectsBareFifoSuffix) { EXPECT_FALSE(IsValidQueueName(".fifo")); }

TEST(Validation, QueueNameRejectsPeriodOutsideTheFifoSuffix) {
  EXPECT_FALSE(IsValidQueueName("a.b"));
  EXPECT_FALSE(IsValidQueueName("a.fifo.fifo"));
  EXPECT_FALSE(IsValidQueueName("a.FIFO"));
  EXPECT_FALSE(IsValidQueueName("a.fif"));
}

TEST(Validation, QueueNameRejectsOtherCharacters) {
  EXPECT_FALSE(IsValidQueueName("a b"));
  EXPECT_FALSE(IsValidQueueName("a:b"));
  EXPECT_FALSE(IsValidQueueName("a/b"));
  EXPECT_FALSE(IsValidQueueName("caf\xc3\xa9"));
}

// --- Message text -----------------------------------------------------------

TEST(Validation, MessageTextAcceptsEmptyText) { EXPECT_TRUE(IsAllowedMessageText("")); }

TEST(Validation, MessageTextAcceptsTabLineFeedAndCarriageReturn) {
  EXPECT_TRUE(IsAllowedMessageText("a\tb\nc\rd"));
}

TEST(Validation, MessageTextAcceptsMultilingualText) {
  EXPECT_TRUE(IsAllowedMessageText("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"));
}

TEST(Validation, MessageTextAcceptsEdgesOfEachAllowedRange) {
  EXPECT_TRUE(IsAllowedMessageText(" "));                 // U+0020
  EXPECT_TRUE(IsAllowedMessageText("\xc2\x80"));          // U+0080
  EXPECT_TRUE(IsAllowedMessageText("\xed\x9f\xbf"));      // U+D7FF
  EXPECT_TRUE(IsAllowedMessageText("\xee\x80\x80"));      // U+E000
  EXPECT_TRUE(IsAllowedMessageText("\xef\xbf\xbd"));      // U+FFFD
  EXPECT_TRUE(IsAllowedMessageText("\xf0\x90\x80\x80"));  // U+10000
  EXPECT_TRUE(IsAllowedMessageText("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Validation, MessageTextRejectsControlCharactersOtherThanTabLineFeedAndReturn) {
  EXPECT_FALSE(IsAllowedMessageText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsAllowedMessageText("a\x08"));
  EXPECT_FALSE(IsAllowedMessageText("\x0b"));
  EXPECT_FALSE(IsAllowedMessageText("\x0c"));
  EXPECT_FALSE(IsAllowedMessageText("\x1f"));
}

// Bodies are checked eight bytes at a time up to the first byte that is not
// printable ASCII, tab, LF or CR: every byte value at every position of a
// 37-byte text (four words and a tail) must be judged as alone.
TEST(Validation, MessageTextJudgesEveryByteAtEveryPosition) {
  for (int b = 0; b < 256; ++b) {
    const bool allowed = b == '\t' || b == '\n' || b == '\r' || (b >= 0x20 && b < 0x80);
    for (size_t pos = 0; pos < 37; ++pos) {
      std::string text(37, 'x');
      text[pos] = static_cast<char>(b);
      EXPECT_EQ(IsAllowedMessageText(text), allowed) << "byte " << b << " at " << pos;
    }
  }
}

TEST(Validation, MessageTextDecodesFromAnyPositionAfterAsciiWords) {
  for (size_t pos = 0; pos < 20; ++pos) {
    EXPECT_TRUE(IsAllowedMessageText(std::string(pos, 'a') + "\xc3\xa9" + std::string(9, 'z')));
    EXPECT_TRUE(IsAllowedMessageText(std::string(pos, 'a') + "\t\xc3\xa9\r\n"));
    EXPECT_FALSE(
        IsAllowedMessageText(std::string(pos, 'a') + "\xef\xbf\xbe" + std::string(9, 'z')));
    EXPECT_FALSE(IsAllowedMessageText(std::string(pos, 'a') + "\xc3" + std::string(9, 'z')));
  }
}

TEST(Validation, MessageTextRejectsNoncharactersFffeAndFfff) {
  EXPECT_FALSE(IsAllowedMessageText("\xef\xbf\xbe"));
  EXPECT_FALSE(IsAllowedMessageText("\xef\xbf\xbf"));
}

TEST(Validation, MessageTextRejectsEncodedSurrogates) {
  EXPECT_FALSE(IsAllowedMessageText("\xed\xa0\x80"));
  EXPECT_FALSE(IsAllowedMessageText("\xed\xbf\xbf"));
  // A CESU-8 surrogate pair for U+1F600.
  EXPECT_FALSE(IsAllowedMessageText("\xed\xa0\xbd\xed\xb8\x80"));
}

TEST(Validation, MessageTextRejectsCodePointsAboveUnicodeRange) {
  EXPECT_FALSE(IsAllowedMessageText("\xf4\x90\x80\x80"));
  EXPECT_FALSE(IsAllowedMessageText("\xf7\xbf\xbf\xbf"));
}

TEST(Validation, MessageTextRejectsOverlongEncodings) {
  EXPECT_FALSE(IsAllowedMessageText("\xc0\x80"));  // overlong U+0000
  EXPECT_FALSE(IsAllowedMessageText("\xc0\xaf"));
  EXPECT_FALSE(IsAllowedMessageText("\xc1\xbf"));
  EXPECT_FALSE(IsAllowedMessageText("\xe0\x80\xaf"));
  EXPECT_FALSE(IsAllowedMessageText("\xe0\x9f\xbf"));  // overlong U+07FF
  EXPECT_FALSE(IsAllowedMessageText("\xf0\x80\x80\xaf"));
  EXPECT_FALSE(IsAllowedMessageText("\xf0\x8f\xbf\xbf"));  // overlong U+FFFF
}

TEST(Validation, MessageTextRejectsTruncatedSequences) {
  EXPECT_FALSE(IsAllowedMessageText("abc\xc3"));
  EXPECT_FALSE(IsAllowedMessageText("\xe2\x82"));
  EXPECT_FALSE(IsAllowedMessageText("\xf0\x9f\x98"));
  EXPECT_FALSE(IsAllowedMessageText("\xe2\x82z"));
}

TEST(Validation, MessageTextRejectsInvalidLeadAndContinuationBytes) {
  EXPECT_FALSE(IsAllowedMessageText("\x80"));
  EXPECT_FALSE(IsAllowedMessageText("a\xbf"));
  EXPECT_FALSE(IsAllowedMessageText("\xf8\x88\x80\x80\x80"));
  EXPECT_FALSE(IsAllowedMessageText("\xfe"));
  EXPECT_FALSE(IsAllowedMessageText("\xff"));
}

// --- Message size -----------------------------------------------------------

TEST(Validation, MessageSizeOfBodyAloneCountsUtf8Bytes) {
  EXPECT_EQ(MessageSize("caf\xc3\xa9", {}), 5u);
}

TEST(Validation, MessageSizeAddsNameTypeAndValueBytesOfEachAttribute) {
  const MessageAttributeMap attributes = {
      {"Hello", StringAttribute("There")},           // 5 + 6 + 5
      {"n", NumberAttribute("42", "Number.int")},    // 1 + 10 + 2
      {"b", BinaryAttribute(std::string(3, '\0'))},  // 1 + 6 + 3
  };
  EXPECT_EQ(MessageSize("body", attributes), 4u + 16u + 13u + 10u);
}

TEST(Validation, MessageSizeCountsOnlyTheMemberTheTypeUses) {
  MessageAttributeValue value = StringAttribute("xy");
  value.binary_value = "ignored";
  EXPECT_EQ(MessageSize("", {{"a", value}}), 1u + 6u + 2u);
}

// --- Message attributes: count and names ------------------------------------

TEST(Validation, MessageAttributesAcceptEmptyMap) {
  EXPECT_TRUE(ValidateMessageAttributes({}).ok());
}

TEST(Validation, MessageAttributesAcceptTenAttributes) {
  MessageAttributeMap attributes;
  for (int i = 0; i < 10; ++i) attributes["a" + std::to_string(i)] = StringAttribute("v");
  EXPECT_TRUE(ValidateMessageAttributes(attributes).ok());
}

TEST(Validation, MessageAttributesRejectElevenAttributes) {
  MessageAttributeMap attributes;
  for (int i = 0; i < 11; ++i) attributes["a" + std::to_string(i)] = StringAttribute("v");
  EXPECT_EQ(ValidateMessageAttributes(attributes),
            Invalid("Number of message attributes [11] exceeds the allowed maximum [10]."));
}

TEST(Validation, AttributeNameAcceptsTwoHundredFiftySixBytes) {
  EXPECT_TRUE(ValidateOne(std::string(256, 'a'), StringAttribute("v")).ok());
}

TEST(Validation, AttributeNameRejectsTwoHundredFiftySevenBytes) {
  const std::string name(257, 'a');
  EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameLengthReason));
}

TEST(Validation, AttributeNameLimitCountsBytesNotCharacters) {
  EXPECT_TRUE(ValidateOne(Repeat("\xc3\xa9", 128), StringAttribute("v")).ok());
  const std::string name = Repeat("\xc3\xa9", 128) + "a";
  EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameLengthReason));
}

TEST(Validation, AttributeNameRejectsEmptyName) {
  EXPECT_EQ(ValidateOne("", StringAttribute("v")), InvalidName("", kNameLengthReason));
}

TEST(Validation, AttributeNameAcceptsLettersDigitsUnderscoresHyphensAndPeriods) {
  EXPECT_TRUE(ValidateOne("My_attr-1.x", StringAttribute("v")).ok());
}

TEST(Validation, AttributeNameAcceptsNonAsciiLetters) {
  EXPECT_TRUE(ValidateOne("attr.1\xc3\xb8\xc3\x9f\xc3\xa4", StringAttribute("v")).ok());
  EXPECT_TRUE(ValidateOne("\xe5\x90\x8d\xe5\x89\x8d", StringAttribute("v")).ok());
}

// Letters and decimal digits of any script are fine; other symbols are not
// (AWS accepts "attr.1øßä" and rejects "§").
TEST(Validation, AttributeNameAcceptsNonAsciiDecimalDigits) {
  EXPECT_TRUE(ValidateOne("n\xd9\xa3", StringAttribute("v")).ok());  // U+0663 ARABIC-INDIC THREE
}

TEST(Validation, AttributeNameRejectsNonAsciiSymbolsPunctuationAndSpaces) {
  for (const std::string name : {"a\xc2\xa7",             // U+00A7 SECTION SIGN
                                 "a\xc2\xa9",             // U+00A9 COPYRIGHT SIGN
                                 "a\xe2\x82\xac",         // U+20AC EURO SIGN
                                 "a\xc2\xa0",             // U+00A0 NO-BREAK SPACE
                                 "a\xe2\x80\x94",         // U+2014 EM DASH
                                 "a\xc2\xbd",             // U+00BD VULGAR FRACTION ONE HALF (No)
                                 "a\xf0\x9f\x98\x80"}) {  // U+1F600 an emoji
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameCharsReason)) << name;
  }
}

TEST(Validation, AttributeNameRejectsDisallowedAsciiCharacters) {
  for (const std::string name : {"a b", "a/b", "a:b", "a*b", "a@b", "a\tb"}) {
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameCharsReason)) << name;
  }
}

TEST(Validation, AttributeNameRejectsCodePointsNotAllowedInMessages) {
  for (const std::string& bad : DisallowedCodePoints()) {
    const std::string name = "a" + bad;
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameCharsReason));
  }
}

TEST(Validation, AttributeNameRejectsInvalidUtf8) {
  for (const std::string& bad : InvalidUtf8()) {
    const std::string name = "a" + bad;
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNameCharsReason));
  }
}

TEST(Validation, AttributeNameRejectsAwsPrefixInAnyCase) {
  for (const std::string name : {"AWS.x", "aws.x", "aWs.x"}) {
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNamePrefixReason))
        << name;
  }
}

TEST(Validation, AttributeNameRejectsAmazonPrefixInAnyCase) {
  for (const std::string name : {"Amazon.x", "amazon.x", "AMAZON.x"}) {
    EXPECT_EQ(ValidateOne(name, StringAttribute("v")), InvalidName(name, kNamePrefixReason))
        << name;
  }
}

TEST(Validation, AttributeNameAcceptsReservedWordsWithoutThePeriod) {
  EXPECT_TRUE(ValidateOne("AWSome", StringAttribute("v")).ok());
  EXPECT_TRUE(ValidateOne("Amazonian", StringAttribute("v")).ok());
  EXPECT_TRUE(ValidateOne("my.AWS.x", StringAttribute("v")).ok());
}

TEST(Validation, AttributeNameRejectsLeadingPeriod) {
  EXPECT_EQ(ValidateOne(".a", StringAttribute("v")), InvalidName(".a", kNamePeriodReason));
}

TEST(Validation, AttributeNameRejectsTrailingPeriod) {
  EXPECT_EQ(ValidateOne("a.", StringAttribute("v")), InvalidName("a.", kNamePeriodReason));
}

TEST(Validation, AttributeNameRejectsTwoSuccessivePeriods) {
  EXPECT_EQ(ValidateOne("a..b", StringAttribute("v")), InvalidName("a..b", kNamePeriodReason));
}

// --- Message attributes: DataType -------------------------------------------

TEST(Validation, DataTypeAcceptsTheThreeBaseTypes) {
  EXPECT_TRUE(ValidateOne("a", StringAttribute("v", "String")).ok());
  EXPECT_TRUE(ValidateOne("a", NumberAttribute("1", "Number")).ok());
  EXPECT_TRUE(ValidateOne("a", BinaryAttribute("v", "Binary")).ok());
}

TEST(Validation, DataTypeAcceptsCustomLabels) {
  EXPECT_TRUE(ValidateOne("a", NumberAttribute("1", "Number.int")).ok());
  EXPECT_TRUE(ValidateOne("a", BinaryAttribute("v", "Binary.png")).ok());
  EXPECT_TRUE(ValidateOne("a", StringAttribute("v", "String.with.dots")).ok());
}

TEST(Validation, DataTypeRejectsUnknownPrefixes) {
  for (const std::string type : {"Text", "string", "STRING", "Strings", "Int", " String"}) {
    EXPECT_EQ(ValidateOne("a", StringAttribute("v", type)), InvalidType("a")) << type;
  }
}

TEST(Validation, DataTypeRejectsEmptyType) {
  EXPECT_EQ(ValidateOne("a", StringAttribute("v", "")), InvalidType("a"));
}

TEST(Validation, DataTypeRejectsEmptyCustomLabel) {
  EXPECT_EQ(ValidateOne("a", StringAttribute("v", "String.")), InvalidType("a"));
}

TEST(Validation, DataTypeAcceptsTwoHundredFiftySixBytes) {
  const std::string type = "String." + std::string(249, 'x');
  ASSERT_EQ(type.size(), 256u);
  EXPECT_TRUE(ValidateOne("a", StringAttribute("v", type)).ok());
}

TEST(Validation, DataTypeRejectsTwoHundredFiftySevenBytes) {
  const std::string type = "String." + std::string(250, 'x');
  EXPECT_EQ(ValidateOne("a", StringAttribute("v", type)), InvalidType("a"));
}

// --- Message attributes: values ---------------------------------------------

TEST(Validation, StringAttributeRejectsMissingValue) {
  EXPECT_EQ(ValidateOne("a", TypeOnly("String")),
            Invalid("Message (user) attribute 'a' must contain a non-empty value of type "
                    "'String'."));
}

TEST(Validation, StringAttributeRejectsEmptyValue) {
  EXPECT_EQ(ValidateOne("a", StringAttribute("")),
            Invalid("Message (user) attribute 'a' must contain a non-empty value of type "
                    "'String'."));
}

TEST(Validation, StringAttributeWithCustomLabelRequiresAStringValue) {
  EXPECT_EQ(ValidateOne("a", BinaryAttribute("v", "String.x")),
            Invalid("Message (user) attribute 'a' must contain a non-empty value of type "
                    "'String'."));
}

TEST(Validation, StringAttributeAcceptsAnyAllowedMessageText) {
  EXPECT_TRUE(ValidateOne("a", StringAttribute("line\n\ttab \xf0\x9f\x98\x80")).ok());
}

TEST(Validation, StringAttributeRejectsCodePointsNotAllowedInMessages) {
  for (const std::string& bad : DisallowedCodePoints()) {
    EXPECT_EQ(ValidateOne("a", StringAttribute("x" + bad)),
              Invalid("Message (user) attribute 'a' contains invalid characters."));
  }
}

TEST(Validation, StringAttributeRejectsInvalidUtf8) {
  for (const std::string& bad : InvalidUtf8()) {
    EXPECT_EQ(ValidateOne("a", StringAttribute("x" + bad)),
              Invalid("Message (user) attribute 'a' contains invalid characters."));
  }
}

TEST(Validation, NumberAttributeRejectsMissingValue) {
  EXPECT_EQ(ValidateOne("n", TypeOnly("Number")),
            Invalid("Message (user) attribute 'n' must contain a non-empty value of type "
                    "'Number'."));
}

TEST(Validation, NumberAttributeRejectsEmptyValue) {
  EXPECT_EQ(ValidateOne("n", NumberAttribute("", "Number.int")),
            Invalid("Message (user) attribute 'n' must contain a non-empty value of type "
                    "'Number'."));
}

TEST(Validation, NumberAttributeAcceptsDecimalForms) {
  for (const std::string number :
       {"0", "42", "-1", "+1", "007", "3.14", "-0.5", "1e10", "1E-5", "-2.5e+3", "1.0e0"}) {
    EXPECT_TRUE(ValidateOne("n", NumberAttribute(number)).ok()) << number;
  }
}

TEST(Validation, NumberAttributeRejectsMalformedNumbers) {
  for (const std::string number :
       {"abc", "1.", ".5", "1e", "1e+", "e5", "--1", "+-1", "+", "-", "1 ", " 1", "0x10", "1,5",
        "1.2.3", "NaN", "Infinity", "1e5.5", "\xd9\xa1"}) {
    EXPECT_EQ(ValidateOne("n", NumberAttribute(number)), NotANumber("n")) << number;
  }
}

TEST(Validation, NumberAttributeAcceptsThirtyEightSignificantDigits) {
  EXPECT_TRUE(ValidateOne("n", NumberAttribute(std::string(38, '9'))).ok());
  EXPECT_TRUE(ValidateOne("n", NumberAttribute("1." + std::string(37, '7'))).ok());
}

TEST(Validation, NumberAttributeRejectsThirtyNineSignificantDigits) {
  EXPECT_EQ(ValidateOne("n", NumberAttribute(std::string(39, '9'))), NotANumber("n"));
}

TEST(Validation, NumberAttributeCountsFractionDigitsAsSignificant) {
  EXPECT_EQ(ValidateOne("n", NumberAttribute("1." + std::string(38, '7'))), NotANumber("n"));
}

TEST(Validation, NumberAttributeDoesNotCountLeadingOrTrailingZeros) {
  const std::string digits(38, '9');
  EXPECT_TRUE(ValidateOne("n", NumberAttribute("000" + digits)).ok());
  EXPECT_TRUE(ValidateOne("n", NumberAttribute("0.000" + digits)).ok());
  EXPECT_TRUE(ValidateOne("n", NumberAttribute(digits + "000")).ok());
  EXPECT_TRUE(ValidateOne("n", NumberAttribute("1" + std::string(50, '0'))).ok());
}

TEST(Validation, NumberAttributeDoesNotCountExponentDigits) {
  EXPECT_TRUE(ValidateOne("n", NumberAttribute(std::string(38, '9') + "e12")).ok());
}

TEST(Validation, BinaryAttributeRejectsMissingValue) {
  EXPECT_EQ(ValidateOne("b", StringAttribute("v", "Binary")),
            Invalid("Message (user) attribute 'b' must contain a non-empty value of type "
                    "'Binary'."));
}

TEST(Validation, BinaryAttributeRejectsEmptyValue) {
  EXPECT_EQ(ValidateOne("b", BinaryAttribute("", "Binary.png")),
            Invalid("Message (user) attribute 'b' must contain a non-empty value of type "
                    "'Binary'."));
}

TEST(Validation, BinaryAttributeAcceptsArbitraryBytes) {
  EXPECT_TRUE(ValidateOne("b", BinaryAttribute(std::string("\x00\xff\xfe\xed\xa0\x80", 6))).ok());
}

TEST(Validation, AttributeRejectsStringListValues) {
  MessageAttributeValue value = StringAttribute("v");
  value.string_list_values = {"x"};
  EXPECT_EQ(ValidateOne("a", value),
            Invalid("Message (user) attribute 'a': list values are not supported."));
}

TEST(Validation, AttributeRejectsBinaryListValues) {
  MessageAttributeValue value = BinaryAttribute("v");
  value.binary_list_values = {"x"};
  EXPECT_EQ(ValidateOne("a", value),
            Invalid("Message (user) attribute 'a': list values are not supported."));
}

TEST(Validation, AttributeWithOnlyListValuesReportsListsNotMissingValue) {
  MessageAttributeValue value = TypeOnly("String");
  value.string_list_values = {"x"};
  EXPECT_EQ(ValidateOne("a", value),
            Invalid("Message (user) attribute 'a': list values are not supported."));
}

TEST(Validation, MessageAttributesReportTheFirstInvalidAttributeInNameOrder) {
  const MessageAttributeMap attributes = {
      {"b", StringAttribute("")},
      {"a", StringAttribute("v", "Text")},
  };
  EXPECT_EQ(ValidateMessageAttributes(attributes), InvalidType("a"));
}

// --- Message system attributes ----------------------------------------------

TEST(Validation, SystemAttributesAcceptEmptyMap) {
  EXPECT_TRUE(ValidateMessageSystemAttributes({}).ok());
}

TEST(Validation, SystemAttributesAcceptTraceHeader) {
  EXPECT_TRUE(ValidateMessageSystemAttributes(
                  {{"AWSTraceHeader", StringAttribute("Root=1-5759e988-bd862e3fe1be46a994272793")}})
                  .ok());
}

TEST(Validation, SystemAttributesRejectOtherNames) {
  for (const std::string name : {"awstraceheader", "SentTimestamp", "Foo", ""}) {
    EXPECT_EQ(ValidateMessageSystemAttributes({{name, StringAttribute("v")}}),
              Invalid("Message system attribute name '" + name + "' is invalid."))
        << name;
  }
}

TEST(Validation, SystemAttributesRejectDataTypesOtherThanString) {
  for (const std::string type : {"Number", "Binary", "String.x", "string", ""}) {
    EXPECT_EQ(ValidateMessageSystemAttributes({{"AWSTraceHeader", StringAttribute("v", type)}}),
              Invalid("Message system attribute 'AWSTraceHeader' must have DataType String."))
        << type;
  }
}

TEST(Validation, SystemAttributesRejectMissingOrEmptyValue) {
  const Status expected = Invalid(
      "Message system attribute 'AWSTraceHeader' must contain a non-empty value of type "
      "'String'.");
  EXPECT_EQ(ValidateMessageSystemAttributes({{"AWSTraceHeader", StringAttribute("")}}), expected);
  EXPECT_EQ(ValidateMessageSystemAttributes({{"AWSTraceHeader", TypeOnly("String")}}), expected);
}

TEST(Validation, SystemAttributesRejectListValues) {
  MessageAttributeValue value = StringAttribute("v");
  value.string_list_values = {"x"};
  EXPECT_EQ(ValidateMessageSystemAttributes({{"AWSTraceHeader", value}}),
            Invalid("Message system attribute 'AWSTraceHeader': list values are not supported."));
}

TEST(Validation, SystemAttributesRejectInvalidCharacters) {
  EXPECT_EQ(ValidateMessageSystemAttributes({{"AWSTraceHeader", StringAttribute("a\x01")}}),
            Invalid("Message system attribute 'AWSTraceHeader' contains invalid characters."));
}

// --- Batch entry ids, group/dedup ids, labels, account ids -------------------

TEST(Validation, BatchEntryIdAcceptsEightyCharacters) {
  EXPECT_TRUE(IsValidBatchEntryId(std::string(80, 'a')));
  EXPECT_TRUE(IsValidBatchEntryId("Entry_1-a"));
}

TEST(Validation, BatchEntryIdRejectsEightyOneCharacters) {
  EXPECT_FALSE(IsValidBatchEntryId(std::string(81, 'a')));
}

TEST(Validation, BatchEntryIdRejectsEmptyId) { EXPECT_FALSE(IsValidBatchEntryId("")); }

TEST(Validation, BatchEntryIdRejectsOtherCharacters) {
  for (const std::string id : {"a:b", "a.b", "a b", "a/b", "\xc3\xa9"}) {
    EXPECT_FALSE(IsValidBatchEntryId(id)) << id;
  }
}

TEST(Validation, GroupOrDedupIdAcceptsOneHundredTwentyEightCharacters) {
  EXPECT_TRUE(IsValidGroupOrDedupId(std::string(128, 'a')));
}

TEST(Validation, GroupOrDedupIdRejectsOneHundredTwentyNineCharacters) {
  EXPECT_FALSE(IsValidGroupOrDedupId(std::string(129, 'a')));
}

TEST(Validation, GroupOrDedupIdRejectsEmptyId) { EXPECT_FALSE(IsValidGroupOrDedupId("")); }

TEST(Validation, GroupOrDedupIdAcceptsEveryAsciiLetterDigitAndPunctuation) {
  std::string all;
  for (char c = 0x21; c <= 0x7E; ++c) all.push_back(c);
  ASSERT_EQ(all.size(), 94u);
  EXPECT_TRUE(IsValidGroupOrDedupId(all));
}

TEST(Validation, GroupOrDedupIdRejectsSpaceControlsAndNonAscii) {
  EXPECT_FALSE(IsValidGroupOrDedupId("a b"));
  EXPECT_FALSE(IsValidGroupOrDedupId("a\tb"));
  EXPECT_FALSE(IsValidGroupOrDedupId("a\x7f"));
  EXPECT_FALSE(IsValidGroupOrDedupId(std::string("a\0", 2)));
  EXPECT_FALSE(IsValidGroupOrDedupId("caf\xc3\xa9"));
}

TEST(Validation, PermissionLabelAcceptsEightyCharacters) {
  EXPECT_TRUE(IsValidPermissionLabel(std::string(80, 'L')));
  EXPECT_TRUE(IsValidPermissionLabel("Allow_Send-1"));
}

TEST(Validation, PermissionLabelRejectsEightyOneCharacters) {
  EXPECT_FALSE(IsValidPermissionLabel(std::string(81, 'L')));
}

TEST(Validation, PermissionLabelRejectsEmptyLabel) { EXPECT_FALSE(IsValidPermissionLabel("")); }

TEST(Validation, PermissionLabelRejectsOtherCharacters) {
  for (const std::string label : {"a b", "a.b", "a:b", "a*"}) {
    EXPECT_FALSE(IsValidPermissionLabel(label)) << label;
  }
}

TEST(Validation, AccountIdAcceptsTwelveDigits) {
  EXPECT_TRUE(IsValidAccountId("123456789012"));
  EXPECT_TRUE(IsValidAccountId("000000000000"));
}

TEST(Validation, AccountIdRejectsOtherLengths) {
  EXPECT_FALSE(IsValidAccountId(""));
  EXPECT_FALSE(IsValidAccountId("12345678901"));
  EXPECT_FALSE(IsValidAccountId("1234567890123"));
}

TEST(Validation, AccountIdRejectsNonDigits) {
  EXPECT_FALSE(IsValidAccountId("12345678901a"));
  EXPECT_FALSE(IsValidAccountId("-12345678901"));
  EXPECT_FALSE(IsValidAccountId("12345678901 "));
}

// --- Tags -------------------------------------------------------------------

TEST(Validation, TagsAcceptEmptyMap) { EXPECT_TRUE(ValidateTags({}).ok()); }

TEST(Validation, TagsAcceptLettersDigitsSpacesAndAllowedPunctuation) {
  EXPECT_TRUE(ValidateTags({{"team name_1.x:y/z=+-@", "Value 2_.:/=+-@"}}).ok());
}

TEST(Validation, TagsAcceptNonAsciiLetters) {
  EXPECT_TRUE(ValidateTags({{"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87", "caf\xc3\xa9"}}).ok());
}

// The tag pattern is [\p{L}\p{Z}\p{N}_.:/=+\-@]*: any script's letters,
// numbers and separators, but no other symbols.
TEST(Validation, TagsAcceptNonAsciiNumbersAndSeparators) {
  EXPECT_TRUE(ValidateTags({{"a\xc2\xa0"
                             "b",
                             "\xc2\xbd \xd9\xa3"}})
                  .ok());  // NBSP; ½ and ٣
}

TEST(Validation, TagKeyRejectsNonAsciiSymbols) {
  for (const std::string key : {"a\xc2\xa7", "a\xe2\x82\xac", "a\xf0\x9f\x98\x80"}) {
    EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key)) << key;
  }
}

TEST(Validation, TagKeyAcceptsOneHundredTwentyEightCharacters) {
  EXPECT_TRUE(ValidateTags({{std::string(128, 'k'), "v"}}).ok());
}

TEST(Validation, TagKeyRejectsOneHundredTwentyNineCharacters) {
  const std::string key(129, 'k');
  EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key));
}

TEST(Validation, TagKeyLengthCountsCodePointsNotBytes) {
  EXPECT_TRUE(ValidateTags({{Repeat("\xc3\xa9", 128), "v"}}).ok());
  const std::string key = Repeat("\xc3\xa9", 129);
  EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key));
}

TEST(Validation, TagKeyRejectsEmptyKey) { EXPECT_EQ(ValidateTags({{"", "v"}}), InvalidTagKey("")); }

TEST(Validation, TagKeyRejectsDisallowedCharacters) {
  for (const std::string key : {"a*b", "a#b", "a,b", "a\tb", "a\nb", "a!"}) {
    EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key)) << key;
  }
}

TEST(Validation, TagKeyRejectsCodePointsNotAllowedInMessages) {
  for (const std::string& bad : DisallowedCodePoints()) {
    const std::string key = "k" + bad;
    EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key));
  }
}

TEST(Validation, TagKeyRejectsInvalidUtf8) {
  for (const std::string& bad : InvalidUtf8()) {
    const std::string key = "k" + bad;
    EXPECT_EQ(ValidateTags({{key, "v"}}), InvalidTagKey(key));
  }
}

TEST(Validation, TagKeyRejectsAwsPrefixInAnyCase) {
  for (const std::string key : {"aws:x", "AWS:x", "Aws:", "aWs:cloudformation:stack-name"}) {
    EXPECT_EQ(ValidateTags({{key, "v"}}), ReservedTagKey()) << key;
  }
}

TEST(Validation, TagKeyAcceptsAwsWithoutTheColon) {
  EXPECT_TRUE(ValidateTags({{"awsome", "v"}, {"aws-key", "v"}, {"my:aws:key", "v"}}).ok());
}

TEST(Validation, TagValueAcceptsEmptyValue) { EXPECT_TRUE(ValidateTags({{"k", ""}}).ok()); }

TEST(Validation, TagValueAcceptsTwoHundredFiftySixCharacters) {
  EXPECT_TRUE(ValidateTags({{"k", std::string(256, 'v')}}).ok());
}

TEST(Validation, TagValueRejectsTwoHundredFiftySevenCharacters) {
  EXPECT_EQ(ValidateTags({{"k", std::string(257, 'v')}}), InvalidTagValue("k"));
}

TEST(Validation, TagValueLengthCountsCodePointsNotBytes) {
  EXPECT_TRUE(ValidateTags({{"k", Repeat("\xe6\x97\xa5", 256)}}).ok());
  EXPECT_EQ(ValidateTags({{"k", Repeat("\xe6\x97\xa5", 257)}}), InvalidTagValue("k"));
}

TEST(Validation, TagValueRejectsDisallowedCharacters) {
  for (const std::string value : {"a*b", "a\tb", "50%", "x\xef\xbf\xbf", "x\xc3"}) {
    EXPECT_EQ(ValidateTags({{"k", value}}), InvalidTagValue("k")) << value;
  }
}

TEST(Validation, TagKeysAcceptValidKeys) {
  EXPECT_TRUE(ValidateTagKeys({"team", "cost center", std::string(128, 'k')}).ok());
}

TEST(Validation, TagKeysAcceptEmptyList) { EXPECT_TRUE(ValidateTagKeys({}).ok()); }

TEST(Validation, TagKeysRejectInvalidKey) {
  EXPECT_EQ(ValidateTagKeys({"ok", std::string(129, 'k')}), InvalidTagKey(std::string(129, 'k')));
  EXPECT_EQ(ValidateTagKeys({""}), InvalidTagKey(""));
}

TEST(Validation, TagKeysRejectReservedPrefix) {
  EXPECT_EQ(ValidateTagKeys({"ok", "AWS:x"}), ReservedTagKey());
}

// --- ParseInteger -----------------------------------------------------------

TEST(Validation, ParseIntegerAcceptsDecimalDigits) {
  EXPECT_EQ(ParseInteger("0"), 0);
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-7"), -7);
  EXPECT_EQ(ParseInteger("-0"), 0);
}

TEST(Validation, ParseIntegerAcceptsLeadingZeros) { EXPECT_EQ(ParseInteger("007"), 7); }

TEST(Validation, ParseIntegerAcceptsEighteenDigits) {
  EXPECT_EQ(ParseInteger("999999999999999999"), 999999999999999999);
  EXPECT_EQ(ParseInteger("-999999999999999999"), -999999999999999999);
}

TEST(Validation, ParseIntegerRejectsNineteenDigits) {
  EXPECT_EQ(ParseInteger("1000000000000000000"), std::nullopt);
  EXPECT_EQ(ParseInteger("-1000000000000000000"), std::nullopt);
}

TEST(Validation, ParseIntegerRejectsEmptyTextAndBareSign) {
  EXPECT_EQ(ParseInteger(""), std::nullopt);
  EXPECT_EQ(ParseInteger("-"), std::nullopt);
}

TEST(Validation, ParseIntegerRejectsAnythingButSignAndDigits) {
  for (const std::string text : {"+1", " 1", "1 ", "1.0", "1e3", "0x1", "--1", "1-", "\xd9\xa1"}) {
    EXPECT_EQ(ParseInteger(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace sqsim::internal
