// Tests of ParseXml: the XML that AWS query responses use, the escapes
// XmlWriter produces, strict rejection of malformed documents, and
// totality on random, mutated, truncated and deeply nested input.

#include "wire/xml_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sqsim/testing/matchers.h"
#include "wire/xml_writer.h"

namespace sqsim::wire::xml_reader_test {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;

XmlElement MustParse(std::string_view document) {
  Result<XmlElement> root = ParseXml(document);
  EXPECT_THAT(root.status(), IsOk()) << document;
  return root.ok() ? *root : XmlElement{};
}

std::string Nested(size_t depth) {
  std::string document;
  for (size_t i = 0; i < depth; ++i) document += "<a>";
  for (size_t i = 0; i < depth; ++i) document += "</a>";
  return document;
}

const std::string kResponse =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
    "  <ListTopicsResult>\n"
    "    <Topics>\n"
    "      <member><TopicArn>arn:aws:sns:us-east-1:123456789012:a</TopicArn></member>\n"
    "      <member><TopicArn>arn:aws:sns:us-east-1:123456789012:b</TopicArn></member>\n"
    "    </Topics>\n"
    "  </ListTopicsResult>\n"
    "  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>\n"
    "</ListTopicsResponse>";

// ---- What is accepted -------------------------------------------------------------

TEST(ParseXml, ReadsNestedElementsInOrder) {
  XmlElement root = MustParse(kResponse);
  EXPECT_EQ(root.name, "ListTopicsResponse");
  ASSERT_EQ(root.children.size(), 2u);
  const XmlElement* topics = root.children[0].Child("Topics");
  ASSERT_NE(topics, nullptr);
  ASSERT_EQ(topics->children.size(), 2u);
  EXPECT_EQ(topics->children[1].Child("TopicArn")->text, "arn:aws:sns:us-east-1:123456789012:b");
  EXPECT_EQ(root.children[1].name, "ResponseMetadata");
}

TEST(ParseXml, DropsIndentationOfElementsWithChildren) {
  XmlElement root = MustParse(kResponse);
  EXPECT_EQ(root.text, "");
  EXPECT_EQ(root.children[0].text, "");
}

TEST(ParseXml, KeepsWhitespaceOfLeafText) {
  EXPECT_EQ(MustParse("<a> \n x \t</a>").text, " \n x \t");
}

TEST(ParseXml, KeepsWhitespaceOnlyLeafText) { EXPECT_EQ(MustParse("<a>  </a>").text, "  "); }

TEST(ParseXml, IgnoresAttributesInEitherQuotes) {
  XmlElement root = MustParse("<a xmlns=\"urn:x\" b = 'it&apos;s' c=\"&lt;\"><b/></a>");
  EXPECT_EQ(root.name, "a");
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].name, "b");
}

TEST(ParseXml, ReadsSelfClosingTagsAsEmptyElements) {
  XmlElement root = MustParse("<a><b/><c /></a>");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[1].name, "c");
  EXPECT_EQ(root.children[1].text, "");
  EXPECT_TRUE(root.children[1].children.empty());
}

TEST(ParseXml, ReadsSelfClosingRoot) { EXPECT_EQ(MustParse("<only/>").name, "only"); }

TEST(ParseXml, UnescapesPredefinedEntities) {
  EXPECT_EQ(MustParse("<a>&amp;&lt;&gt;&quot;&apos;</a>").text, "&<>\"'");
}

TEST(ParseXml, UnescapesDecimalAndHexReferencesToUtf8) {
  EXPECT_EQ(MustParse("<a>&#65;&#x41;&#xfc;&#x20AC;&#128512;</a>").text,
            "AA\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80");
}

TEST(ParseXml, KeepsCarriageReturnFromReference) {
  EXPECT_EQ(MustParse("<a>x&#xD;\ny</a>").text, "x\r\ny");
}

TEST(ParseXml, NormalizesLiteralLineEndsToLineFeed) {
  EXPECT_EQ(MustParse("<a>1\r\n2\r3\n4</a>").text, "1\n2\n3\n4");
}

TEST(ParseXml, ReadsCdataVerbatim) {
  EXPECT_EQ(MustParse("<a>x<![CDATA[<b>&amp;]]>y</a>").text, "x<b>&amp;y");
}

TEST(ParseXml, SkipsCommentsAndProcessingInstructions) {
  XmlElement root = MustParse(
      "\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- before --><a>x<!-- in -->y<?pi data?></a>"
      "<!-- after -->\n");
  EXPECT_EQ(root.text, "xy");
  EXPECT_TRUE(root.children.empty());
}

TEST(ParseXml, AcceptsWhitespaceInEndTag) { EXPECT_EQ(MustParse("<a>x</a  >").text, "x"); }

TEST(ParseXml, PassesNonAsciiBytesThrough) {
  EXPECT_EQ(MustParse("<a>\xc3\xbc\xff</a>").text, "\xc3\xbc\xff");
}

TEST(ParseXml, ChildFindsFirstOfItsNameOrNothing) {
  XmlElement root = MustParse("<a><b>1</b><c/><b>2</b></a>");
  ASSERT_NE(root.Child("b"), nullptr);
  EXPECT_EQ(root.Child("b")->text, "1");
  EXPECT_EQ(root.Child("d"), nullptr);
}

TEST(ParseXml, ReadsBackWhatXmlWriterEscapes) {
  const std::string text = "a <b> & c\r\nd \"q\" 'x' \t\xc3\xbc\xf0\x9f\x98\x80 end ";
  XmlWriter writer;
  writer.Open("Root", "urn:ns");
  writer.Element("Text", text);
  writer.EmptyElement("Empty");
  writer.Close();
  XmlElement root = MustParse(std::move(writer).Finish());
  ASSERT_NE(root.Child("Text"), nullptr);
  EXPECT_EQ(root.Child("Text")->text, text);
  EXPECT_NE(root.Child("Empty"), nullptr);
}

TEST(ParseXml, AcceptsNestingAtMaxDepth) {
  EXPECT_THAT(ParseXml(Nested(kMaxXmlDepth)).status(), IsOk());
}

TEST(ParseXml, RejectsNestingBeyondMaxDepth) {
  EXPECT_THAT(ParseXml(Nested(kMaxXmlDepth + 1)).status(), StatusIs(ErrorCode::kMalformedResponse));
}

TEST(ParseXml, RejectsHugeNestingWithoutExhaustingTheStack) {
  EXPECT_THAT(ParseXml(Nested(1000000)).status(), StatusIs(ErrorCode::kMalformedResponse));
}

TEST(ParseXml, NamesTheByteOffsetOfAnError) {
  EXPECT_THAT(ParseXml("<a>&bogus;</a>").status(),
              StatusIs(ErrorCode::kMalformedResponse, ::testing::HasSubstr("at byte 3")));
}

// ---- What is rejected ---------------------------------------------------------------

struct BadDocument {
  std::string name;
  std::string document;
};

class ParseXmlRejects : public ::testing::TestWithParam<BadDocument> {};

TEST_P(ParseXmlRejects, WithMalformedResponse) {
  EXPECT_THAT(ParseXml(GetParam().document).status(), StatusIs(ErrorCode::kMalformedResponse))
      << GetParam().document;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseXmlRejects,
    ::testing::Values(
        BadDocument{"EmptyDocument", ""}, BadDocument{"OnlyWhitespace", " \n"},
        BadDocument{"OnlyDeclaration", "<?xml version=\"1.0\"?>"},
        BadDocument{"TextBeforeRoot", "x<a/>"}, BadDocument{"EndTagAsRoot", "</a>"},
        BadDocument{"MismatchedEndTag", "<a><b></a></b>"}, BadDocument{"UnclosedRoot", "<a>"},
        BadDocument{"UnclosedChild", "<a><b></a>"}, BadDocument{"TwoRoots", "<a/><b/>"},
        BadDocument{"TextAfterRoot", "<a/>x"}, BadDocument{"UnknownEntity", "<a>&nbsp;</a>"},
        BadDocument{"BareAmpersand", "<a>fish & chips</a>"},
        BadDocument{"UnterminatedReference", "<a>&amp</a>"},
        BadDocument{"EmptyCharReference", "<a>&#;</a>"},
        BadDocument{"UppercaseHexMarker", "<a>&#X41;</a>"},
        BadDocument{"ReferenceToNul", "<a>&#0;</a>"},
        BadDocument{"ReferenceToSurrogate", "<a>&#xD800;</a>"},
        BadDocument{"ReferenceBeyondUnicode", "<a>&#x110000;</a>"},
        BadDocument{"OverflowingReference", "<a>&#99999999999999;</a>"},
        BadDocument{"ControlCharacter", std::string("<a>\x01</a>")},
        BadDocument{"NulByte", std::string("<a>\0</a>", 8)},
        BadDocument{"Doctype", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"},
        BadDocument{"DeclarationInContent", "<a><!ELEMENT a ANY></a>"},
        BadDocument{"UnterminatedComment", "<a><!-- x</a>"},
        BadDocument{"UnterminatedCdata", "<a><![CDATA[x</a>"},
        BadDocument{"UnterminatedProcessingInstruction", "<?xml version=\"1.0\"<a/>"},
        BadDocument{"BadNameStart", "<1a/>"}, BadDocument{"SpaceBeforeName", "< a/>"},
        BadDocument{"UnterminatedStartTag", "<a"}, BadDocument{"UnquotedAttribute", "<a b=c/>"},
        BadDocument{"AttributeWithoutValue", "<a b/>"},
        BadDocument{"AttributesWithoutSpace", "<a b='1'c='2'/>"},
        BadDocument{"LessThanInAttribute", "<a b='<'/>"},
        BadDocument{"UnterminatedAttribute", "<a b='x/>"},
        BadDocument{"UnterminatedEndTag", "<a></a"}),
    [](const ::testing::TestParamInfo<BadDocument>& info) { return info.param.name; });

// ---- Totality --------------------------------------------------------------------------

void ExpectOkOrMalformed(std::string_view document) {
  Result<XmlElement> root = ParseXml(document);
  if (!root.ok()) {
    EXPECT_THAT(root.status(), StatusIs(ErrorCode::kMalformedResponse)) << document;
  }
}

TEST(ParseXmlFuzz, EveryProperPrefixOfADocumentIsMalformed) {
  for (size_t length = 0; length < kResponse.size(); ++length) {
    EXPECT_THAT(ParseXml(kResponse.substr(0, length)).status(),
                StatusIs(ErrorCode::kMalformedResponse))
        << "prefix length " << length;
  }
}

TEST(ParseXmlFuzz, RandomBytesGiveADocumentOrMalformed) {
  std::mt19937 rng(20100331);
  const std::string alphabet = "<>/?!-[]&#;x'\"= abAB01\r\n\t\x01\xff";
  for (int round = 0; round < 20000; ++round) {
    std::string document(rng() % 40, '\0');
    for (char& c : document) {
      c = (round % 2 == 0) ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()];
    }
    ExpectOkOrMalformed(document);
  }
}

TEST(ParseXmlFuzz, MutatedResponsesGiveADocumentOrMalformed) {
  std::mt19937 rng(42);
  for (int round = 0; round < 5000; ++round) {
    std::string document = kResponse;
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      const size_t at = rng() % document.size();
      if (rng() % 2 == 0) {
        document[at] = static_cast<char>(rng());
      } else {
        document.erase(at, 1 + rng() % 8);
      }
      if (document.empty()) break;
    }
    ExpectOkOrMalformed(document);
  }
}

}  // namespace sqsim::wire::xml_reader_test
