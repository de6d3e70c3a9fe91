#include "aws/endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/matchers.h"

namespace sqsim::internal {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::IsOkAndHolds;
using ::sqsim::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseEndpointUrl, HttpsHostGetsDefaultPort) {
  Result<Endpoint> endpoint = ParseEndpointUrl("https://sqs.eu-west-1.amazonaws.com");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_TRUE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "sqs.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint->port, 443);
  EXPECT_EQ(endpoint->base_path, "");
}

TEST(ParseEndpointUrl, HttpWithExplicitPort) {
  Result<Endpoint> endpoint = ParseEndpointUrl("http://localhost:4566");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_FALSE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "localhost");
  EXPECT_EQ(endpoint->port, 4566);
}

TEST(ParseEndpointUrl, HttpGetsPort80) {
  EXPECT_THAT(ParseEndpointUrl("http://10.0.0.7"),
              IsOkAndHolds(::testing::Field(&Endpoint::port, 80)));
}

TEST(ParseEndpointUrl, Ipv4AddressWithPort) {
  Result<Endpoint> endpoint = ParseEndpointUrl("http://127.0.0.1:9324/");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, 9324);
  EXPECT_EQ(endpoint->base_path, "");
}

TEST(ParseEndpointUrl, BracketedIpv6StripsBrackets) {
  Result<Endpoint> endpoint = ParseEndpointUrl("https://[::1]:8443");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_EQ(endpoint->host, "::1");
  EXPECT_EQ(endpoint->port, 8443);
}

TEST(ParseEndpointUrl, BracketedIpv6WithoutPort) {
  Result<Endpoint> endpoint = ParseEndpointUrl("http://[2001:DB8::1]");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_EQ(endpoint->host, "2001:db8::1");
  EXPECT_EQ(endpoint->port, 80);
}

TEST(ParseEndpointUrl, KeepsBasePathWithoutTrailingSlash) {
  EXPECT_THAT(ParseEndpointUrl("http://localhost:4566/sqs/prefix/"),
              IsOkAndHolds(::testing::Field(&Endpoint::base_path, "/sqs/prefix")));
}

TEST(ParseEndpointUrl, SchemeAndHostAreCaseInsensitive) {
  Result<Endpoint> endpoint = ParseEndpointUrl("HTTPS://SQS.US-EAST-1.AmazonAWS.com");
  ASSERT_THAT(endpoint, IsOk());
  EXPECT_TRUE(endpoint->tls);
  EXPECT_EQ(endpoint->host, "sqs.us-east-1.amazonaws.com");
}

TEST(ParseEndpointUrl, RejectsUnsupportedScheme) {
  EXPECT_THAT(ParseEndpointUrl("ftp://example.com"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("unsupported scheme 'ftp'")));
}

TEST(ParseEndpointUrl, RejectsMissingScheme) {
  EXPECT_THAT(ParseEndpointUrl("sqs.us-east-1.amazonaws.com"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("expected http://")));
}

TEST(ParseEndpointUrl, RejectsEmptyHost) {
  EXPECT_THAT(ParseEndpointUrl("http://:8080"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("missing host")));
  EXPECT_THAT(ParseEndpointUrl("https://"), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(ParseEndpointUrl, RejectsBadPorts) {
  for (const char* url : {"http://h:0", "http://h:65536", "http://h:", "http://h:80x",
                          "http://h:-1", "http://[::1]:"}) {
    EXPECT_THAT(ParseEndpointUrl(url),
                StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("port must be")))
        << url;
  }
}

TEST(ParseEndpointUrl, RejectsUserInfo) {
  EXPECT_THAT(ParseEndpointUrl("https://user:pass@example.com"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("user info")));
}

TEST(ParseEndpointUrl, RejectsQueryAndFragment) {
  EXPECT_THAT(ParseEndpointUrl("https://example.com/?a=b"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("query or fragment")));
  EXPECT_THAT(ParseEndpointUrl("https://example.com#x"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("query or fragment")));
}

TEST(ParseEndpointUrl, RejectsMalformedIpv6) {
  EXPECT_THAT(ParseEndpointUrl("http://[::1"), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(ParseEndpointUrl("http://[not:an:ip]"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("malformed IPv6")));
  EXPECT_THAT(ParseEndpointUrl("http://[::1]x"), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST(ParseEndpointUrl, RejectsIllegalHostCharacters) {
  for (const char* url :
       {"http://exa mple.com", "http://a\r\nb", "http://a..b", "http://.a", "http://a%20b"}) {
    EXPECT_THAT(ParseEndpointUrl(url), StatusIs(ErrorCode::kInvalidParameterValue)) << url;
  }
}

TEST(ParseEndpointUrl, RejectsIllegalPathCharacters) {
  EXPECT_THAT(ParseEndpointUrl("http://h/a b"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("path")));
}

TEST(Endpoint, HostHeaderOmitsDefaultPort) {
  EXPECT_EQ((Endpoint{.tls = true, .host = "h", .port = 443}).HostHeader(), "h");
  EXPECT_EQ((Endpoint{.tls = false, .host = "h", .port = 80}).HostHeader(), "h");
}

TEST(Endpoint, HostHeaderAddsOtherPorts) {
  EXPECT_EQ((Endpoint{.tls = true, .host = "h", .port = 80}).HostHeader(), "h:80");
  EXPECT_EQ((Endpoint{.tls = false, .host = "127.0.0.1", .port = 4566}).HostHeader(),
            "127.0.0.1:4566");
}

TEST(Endpoint, HostHeaderBracketsIpv6) {
  EXPECT_EQ((Endpoint{.tls = false, .host = "::1", .port = 8080}).HostHeader(), "[::1]:8080");
  EXPECT_EQ((Endpoint{.tls = true, .host = "::1", .port = 443}).HostHeader(), "[::1]");
}

TEST(Endpoint, UrlRoundTripsThroughParse) {
  for (const char* url : {"https://sqs.us-east-1.amazonaws.com", "http://localhost:4566/p/q",
                          "https://[::1]:8443", "http://127.0.0.1"}) {
    Result<Endpoint> endpoint = ParseEndpointUrl(url);
    ASSERT_THAT(endpoint, IsOk()) << url;
    EXPECT_EQ(endpoint->Url(), url);
    EXPECT_THAT(ParseEndpointUrl(endpoint->Url()), IsOkAndHolds(*endpoint));
  }
}

TEST(DefaultSqsEndpointUrl, CommercialRegion) {
  EXPECT_THAT(DefaultSqsEndpointUrl("us-east-1"),
              IsOkAndHolds(std::string("https://sqs.us-east-1.amazonaws.com")));
  EXPECT_THAT(DefaultSqsEndpointUrl("ap-southeast-2"),
              IsOkAndHolds(std::string("https://sqs.ap-southeast-2.amazonaws.com")));
}

TEST(DefaultSqsEndpointUrl, ChinaRegionsUseCnSuffix) {
  EXPECT_THAT(DefaultSqsEndpointUrl("cn-north-1"),
              IsOkAndHolds(std::string("https://sqs.cn-north-1.amazonaws.com.cn")));
  EXPECT_THAT(DefaultSqsEndpointUrl("cn-northwest-1"),
              IsOkAndHolds(std::string("https://sqs.cn-northwest-1.amazonaws.com.cn")));
}

TEST(DefaultSqsEndpointUrl, GovCloudUsesAmazonawsCom) {
  EXPECT_THAT(DefaultSqsEndpointUrl("us-gov-west-1"),
              IsOkAndHolds(std::string("https://sqs.us-gov-west-1.amazonaws.com")));
}

TEST(DefaultSqsEndpointUrl, IsolatedPartitionsUseTheirSuffixes) {
  // The values botocore 1.43 resolves for these regions.
  EXPECT_THAT(DefaultSqsEndpointUrl("us-iso-east-1"),
              IsOkAndHolds(std::string("https://sqs.us-iso-east-1.c2s.ic.gov")));
  EXPECT_THAT(DefaultSqsEndpointUrl("us-isob-east-1"),
              IsOkAndHolds(std::string("https://sqs.us-isob-east-1.sc2s.sgov.gov")));
  EXPECT_THAT(DefaultSqsEndpointUrl("us-isof-south-1"),
              IsOkAndHolds(std::string("https://sqs.us-isof-south-1.csp.hci.ic.gov")));
  EXPECT_THAT(DefaultSqsEndpointUrl("eu-isoe-west-1"),
              IsOkAndHolds(std::string("https://sqs.eu-isoe-west-1.cloud.adc-e.uk")));
  EXPECT_THAT(DefaultSqsEndpointUrl("eusc-de-east-1"),
              IsOkAndHolds(std::string("https://sqs.eusc-de-east-1.amazonaws.eu")));
}

TEST(DefaultSqsEndpointUrl, UnknownRegionFallsBackToAmazonawsCom) {
  EXPECT_THAT(DefaultSqsEndpointUrl("xx-future-9"),
              IsOkAndHolds(std::string("https://sqs.xx-future-9.amazonaws.com")));
}

TEST(DefaultSqsEndpointUrl, RejectsRegionsThatCouldChangeTheHost) {
  for (const char* region : {"", "evil.com/x", "us-east-1.evil.com", "us east 1", "-us-east-1",
                             "us-east-1-", "a@b", "us-east-1\r\n"}) {
    EXPECT_THAT(DefaultSqsEndpointUrl(region),
                StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("invalid region")))
        << region;
  }
  EXPECT_THAT(DefaultSqsEndpointUrl(std::string(64, 'a')),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

}  // namespace
}  // namespace sqsim::internal
