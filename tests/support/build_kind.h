// What kind of build the tests run in, for the few tests whose cost scales
// with a count they choose (seed sweeps).

#ifndef SQSIM_TESTS_SUPPORT_BUILD_KIND_H_
#define SQSIM_TESTS_SUPPORT_BUILD_KIND_H_

namespace sqsim::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// `seeds` in an optimised build; a tenth of them under the sanitizers, which
// run the same code 20 to 30 times slower and look for memory errors, not
// for rare interleavings (the optimised run in the same CI covers those).
inline int SweepSeedsForThisBuild(int seeds) { return kSanitized ? seeds / 10 : seeds; }

}  // namespace sqsim::test

#endif  // SQSIM_TESTS_SUPPORT_BUILD_KIND_H_
