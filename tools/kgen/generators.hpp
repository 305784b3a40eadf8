// Synthetic records shaped like the seed data sets: click events ({"email","timestamp","uri",
// "number"}) and NYC yellow-taxi rides (TLC columns). Deterministic: the same seed and start
// give the same records on every platform (own PRNG, no std:: distributions).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace kt {

// splitmix64: small, fast, and fully specified.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }           // [0, n)
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)

 private:
  uint64_t s_;
};

class Generator {
 public:
  virtual ~Generator() = default;
  // Writes the next record's JSON value into *json and its event time (epoch ms) into *time_ms.
  virtual void Next(std::string* json, int64_t* time_ms) = 0;
};

// kind: "clickevents" or "taxi"; nullptr for an unknown kind.
std::unique_ptr<Generator> MakeGenerator(const std::string& kind, uint64_t seed, int64_t start_ms);

}  // namespace kt
