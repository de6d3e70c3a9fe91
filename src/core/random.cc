#include "sqsim/random.h"

#include "sqsim/status.h"

namespace sqsim {
namespace {

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// FNV-1a: a stable label hash (std::hash is not guaranteed stable).
uint64_t HashLabel(std::string_view label) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : label) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

uint64_t Rng::Uniform(uint64_t n) {
  SQSIM_ASSERT(n > 0, "Rng::Uniform needs n > 0");
  // Lemire's multiply-shift (the high 64 bits of a 64x64 product, computed
  // portably); the tiny bias is irrelevant for simulation.
  const uint64_t x = Next();
  const uint64_t x_lo = x & 0xffffffffu, x_hi = x >> 32;
  const uint64_t n_lo = n & 0xffffffffu, n_hi = n >> 32;
  const uint64_t lo_lo = x_lo * n_lo;
  const uint64_t hi_lo = x_hi * n_lo;
  const uint64_t lo_hi = x_lo * n_hi;
  const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffu) + lo_hi;
  return x_hi * n_hi + (hi_lo >> 32) + (cross >> 32);
}

double Rng::NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

bool Rng::Bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return NextDouble() < p;
}

SeededRng::SeededRng(uint64_t seed) : seed_(seed) {
  uint64_t x = seed;
  for (uint64_t& word : state_) word = SplitMix64(x);
}

uint64_t SeededRng::Next() {
  const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = Rotl(state_[3], 45);
  return result;
}

std::unique_ptr<Rng> SeededRng::Fork(std::string_view label) const {
  uint64_t x = seed_ ^ HashLabel(label);
  return std::make_unique<SeededRng>(SplitMix64(x));
}

}  // namespace sqsim
