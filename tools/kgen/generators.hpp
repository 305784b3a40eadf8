// Synthetic records shaped like the seed data sets: click events ({"email","timestamp","uri",
// "number"}) and NYC yellow-taxi rides (TLC columns). Deterministic: the same seed and start
// give the same records on every platform (own PRNG, no std:: distributions).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kt/core/rng.hpp"
#include "kt/core/time.hpp"

namespace kt::kgen {

class Generator {
 public:
  virtual ~Generator() = default;
  // Writes the next record's JSON value into *json and its event time (epoch ms) into *time_ms.
  virtual void Next(std::string* json, int64_t* time_ms) = 0;
  // Live (kgen --rate R --start now): each record's event time is the wall clock when it is made,
  // not the start plus the generator's own steps, which run ahead of any rate but theirs.
  void SetLive(bool live) { live_ = live; }

 protected:
  // The next event time: `t` plus the generator's step, or now when live.
  int64_t Advance(int64_t t, int64_t step) const { return live_ ? NowMs() : t + step; }

 private:
  bool live_ = false;
};

// kind: "clickevents" or "taxi"; nullptr for an unknown kind.
std::unique_ptr<Generator> MakeGenerator(const std::string& kind, uint64_t seed, int64_t start_ms);

}  // namespace kt::kgen
