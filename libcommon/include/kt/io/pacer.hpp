// Paces a source to a rate (kgen --rate, kproduce --rate): item n is due at t0 + n / rate, where
// t0 is when item 0 was produced, so a slow moment is caught up, not carried forward. The clock
// starts at the first item, not at the first wait: input that arrives late (a slow upstream
// command) starts the schedule then, instead of coming out in a burst to catch up a schedule that
// ran while nothing was there. Rate 0: never waits.
#pragma once

#include <cstdint>

namespace kt {

class Pacer {
 public:
  explicit Pacer(double rate = 0) : rate_(rate) {}
  // Waits, at most `timeout_ms`, until the next item is due. True when it is due now; false when
  // the wait ran out first (the caller reports itself idle and asks again).
  bool WaitTurn(int timeout_ms);
  // The item that was due has been produced (now, or at `now_ms`).
  void Produced();
  void Produced(int64_t now_ms);
  // Milliseconds from `now_ms` until the next item is due; 0 when it is due (item 0 always is).
  int64_t WaitMs(int64_t now_ms) const;

 private:
  double rate_;
  int64_t start_ms_ = -1;  // when item 0 was produced
  int64_t produced_ = 0;
};

}  // namespace kt
