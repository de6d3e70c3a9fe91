#include "sqsim/random.h"
#include "sqsim/types.h"

#include <gtest/gtest.h>

namespace sqsim {
namespace {

TEST(SeededRng, SameSeedGivesSameStream) {
  SeededRng a(7), b(7);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(SeededRng, DifferentSeedsGiveDifferentStreams) {
  SeededRng a(7), b(8);
  int equal = 0;
  for (int i = 0; i < 100; ++i) equal += a.Next() == b.Next();
  EXPECT_EQ(equal, 0);
}

TEST(SeededRng, ForkDependsOnSeedAndLabelNotOnDraws) {
  SeededRng a(7), b(7);
  for (int i = 0; i < 10; ++i) a.Next();
  auto fa = a.Fork("ids");
  auto fb = b.Fork("ids");
  auto other = b.Fork("handles");
  const uint64_t first = fa->Next();
  EXPECT_EQ(first, fb->Next());
  EXPECT_NE(first, other->Next());
}

TEST(SeededRng, UniformStaysInRangeAndCoversIt) {
  SeededRng rng(3);
  std::vector<int> hits(10);
  for (int i = 0; i < 10000; ++i) {
    const uint64_t v = rng.Uniform(10);
    ASSERT_LT(v, 10u);
    ++hits[v];
  }
  for (int h : hits) EXPECT_GT(h, 800);
}

TEST(SeededRng, BernoulliEdgesAndRate) {
  SeededRng rng(4);
  int yes = 0;
  for (int i = 0; i < 10000; ++i) {
    EXPECT_FALSE(rng.Bernoulli(0));
    EXPECT_TRUE(rng.Bernoulli(1));
    yes += rng.Bernoulli(0.25);
  }
  EXPECT_GT(yes, 2300);
  EXPECT_LT(yes, 2700);
}

TEST(FormatTimestamp, IsRfc3339WithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(Timestamp(std::chrono::microseconds(1767225600123456))),
            "2026-01-01T00:00:00.123Z");
}

}  // namespace
}  // namespace sqsim
