// Paces a source to a rate (kgen --rate, kproduce --rate): item n is due at start + n / rate,
// so a slow moment is caught up, not carried forward. Rate 0: never waits.
#pragma once

#include <cstdint>

namespace kt {

class Pacer {
 public:
  explicit Pacer(double rate = 0) : rate_(rate) {}
  // Waits, at most `timeout_ms`, until the next item is due. True when it is due now; false when
  // the wait ran out first (the caller reports itself idle and asks again). The clock starts at
  // the first call.
  bool WaitTurn(int timeout_ms);
  // The item that was due has been produced.
  void Produced() { ++produced_; }

 private:
  double rate_;
  int64_t start_ms_ = -1;
  int64_t produced_ = 0;
};

}  // namespace kt
