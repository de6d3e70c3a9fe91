// The value forms behind filtering: Java's number rendering, Ruler's
// comparable numbers, IP addresses and CIDR blocks.

#include <gtest/gtest.h>

#include "sns/filter_values.h"
#include "sns/policy_json.h"

namespace sqsim::sns::internal {
namespace filter_values_test {

TEST(FilterValues, JavaDoubleToStringUsesPlainNotationBetweenMilliAndTenMillion) {
  EXPECT_EQ(JavaDoubleToString(100), "100.0");
  EXPECT_EQ(JavaDoubleToString(301.5), "301.5");
  EXPECT_EQ(JavaDoubleToString(0.001), "0.001");
  EXPECT_EQ(JavaDoubleToString(9999999), "9999999.0");
  EXPECT_EQ(JavaDoubleToString(-2.5), "-2.5");
  EXPECT_EQ(JavaDoubleToString(0), "0.0");
  EXPECT_EQ(JavaDoubleToString(-0.0), "-0.0");
}

TEST(FilterValues, JavaDoubleToStringUsesScientificNotationOutside) {
  EXPECT_EQ(JavaDoubleToString(1e7), "1.0E7");
  EXPECT_EQ(JavaDoubleToString(1.5e-4), "1.5E-4");
  EXPECT_EQ(JavaDoubleToString(-6e9), "-6.0E9");
  EXPECT_EQ(JavaDoubleToString(1.2345e20), "1.2345E20");
}

TEST(FilterValues, Utf16LengthCountsSurrogatePairsTwice) {
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xC3\xA9"), 1u);
  EXPECT_EQ(Utf16Length("\xE2\x82\xAC"), 1u);
  EXPECT_EQ(Utf16Length("\xF0\x9F\x98\x80"), 2u);
}

TEST(FilterValues, ComparableKeysOrderNumbersAndStopAtFiveBillion) {
  ASSERT_TRUE(ComparableKey(5e9).has_value());
  ASSERT_TRUE(ComparableKey(-5e9).has_value());
  EXPECT_FALSE(ComparableKey(5.000001e9).has_value());
  EXPECT_LT(*ComparableKey(-1), *ComparableKey(0));
  EXPECT_LT(*ComparableKey(0.00001), *ComparableKey(0.00002));
  EXPECT_EQ(*ComparableKey(301.5), *ComparableKey(3.015e2));
}

TEST(FilterValues, ParseNumberTextAcceptsJsonAndAttributeForms) {
  EXPECT_EQ(ParseNumberText("3.015e2"), 301.5);
  EXPECT_EQ(ParseNumberText(" +7 "), 7.0);
  EXPECT_EQ(ParseNumberText(".5"), 0.5);
  EXPECT_FALSE(ParseNumberText("abc").has_value());
  EXPECT_FALSE(ParseNumberText("1x").has_value());
  EXPECT_FALSE(ParseNumberText("").has_value());
}

TEST(FilterValues, Ipv4Addresses) {
  EXPECT_EQ(ParseIpAddress("10.0.0.255"), (IpBytes{10, 0, 0, 255}));
  bool looked_like_ip = false;
  EXPECT_FALSE(ParseIpAddress("256.0.0.1", &looked_like_ip).has_value());
  EXPECT_TRUE(looked_like_ip);
  EXPECT_FALSE(ParseIpAddress("10.0.0", &looked_like_ip).has_value());
  EXPECT_FALSE(looked_like_ip);
}

TEST(FilterValues, Ipv6Addresses) {
  const std::optional<IpBytes> loopback = ParseIpAddress("::1");
  ASSERT_TRUE(loopback.has_value());
  EXPECT_EQ(loopback->size(), 16u);
  EXPECT_EQ(loopback->back(), 1);
  EXPECT_EQ(ParseIpAddress("2001:db8::1"), ParseIpAddress("2001:0DB8:0:0:0:0:0:1"));
  EXPECT_FALSE(ParseIpAddress("1::2::3").has_value());
  EXPECT_FALSE(ParseIpAddress("1:2:3:4:5:6:7:8:9").has_value());
  EXPECT_FALSE(ParseIpAddress("12345::").has_value());
}

TEST(FilterValues, Ipv4MappedIpv6AddressIsIpv4) {
  EXPECT_EQ(ParseIpAddress("::ffff:a00:1"), (IpBytes{10, 0, 0, 1}));
}

TEST(FilterValues, CidrRangeKeepsTheWrittenLowEnd) {
  const CidrParse cidr = ParseCidr("10.0.0.5/24");
  ASSERT_TRUE(cidr.range.has_value()) << cidr.error;
  EXPECT_EQ(cidr.range->low, (IpBytes{10, 0, 0, 5}));
  EXPECT_EQ(cidr.range->high, (IpBytes{10, 0, 0, 255}));
  EXPECT_FALSE(cidr.range->Contains(IpBytes{10, 0, 0, 4}));
}

TEST(FilterValues, CidrSplitsLikeJava) {
  EXPECT_EQ(ParseCidr("10.0.0.0/8/").error, "");
  EXPECT_EQ(ParseCidr("10.0.0.0/").error, "Malformed CIDR, one '/' required");
  EXPECT_EQ(ParseCidr("a/b/c").error, "Malformed CIDR, one '/' required");
  EXPECT_EQ(ParseCidr("/8").error, "Nonstandard IP address: ");
  EXPECT_EQ(ParseCidr("10.0.0.0/+8").error, "");
  EXPECT_EQ(ParseCidr("10.0.0.0/99999999999").error,
            "Malformed CIDR, mask bits must be an integer");
}

TEST(FilterValues, CidrIpv6Range) {
  const CidrParse cidr = ParseCidr("2001:db8::/32");
  ASSERT_TRUE(cidr.range.has_value());
  EXPECT_TRUE(cidr.range->Contains(*ParseIpAddress("2001:db8:ffff::1")));
  EXPECT_FALSE(cidr.range->Contains(*ParseIpAddress("2001:db9::")));
  EXPECT_FALSE(cidr.range->Contains(IpBytes{32, 1, 13, 184}));
}

}  // namespace filter_values_test
}  // namespace sqsim::sns::internal
