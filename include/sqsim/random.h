// Rng: the only source of randomness in sqsim.
//
// Every random choice the simulator makes (message ids, receipt handles,
// short-poll sampling, reordering, fault decisions) draws from an `Rng` that
// derives from one seed, so one seed gives one run. `Fork(label)` gives a
// subsystem its own independent stream, so that a new draw in one subsystem
// does not reshuffle the others (FoundationDB keeps its debug random apart for
// the same reason).
//
// Thread safety: not thread-safe; give each thread its own Rng (Fork it).

#ifndef SQSIM_RANDOM_H_
#define SQSIM_RANDOM_H_

#include <cstdint>
#include <memory>
#include <string_view>

namespace sqsim {

class Rng {
 public:
  virtual ~Rng() = default;

  // A uniformly distributed 64-bit value.
  virtual uint64_t Next() = 0;

  // A new, independent generator whose stream is a pure function of this
  // generator's seed and `label` (not of how many values were drawn).
  virtual std::unique_ptr<Rng> Fork(std::string_view label) const = 0;

  // Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n);
  // True with probability 1/n. REQUIRES: n > 0.
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }
  // True with probability p (p <= 0: never; p >= 1: always).
  bool Bernoulli(double p);
  // Uniform in [0, 1).
  double NextDouble();
};

// xoshiro256** seeded through splitmix64: fast, small, and the same on every
// platform for the same seed.
class SeededRng final : public Rng {
 public:
  explicit SeededRng(uint64_t seed);

  uint64_t Next() override;
  std::unique_ptr<Rng> Fork(std::string_view label) const override;
  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  uint64_t state_[4];
};

}  // namespace sqsim

#endif  // SQSIM_RANDOM_H_
