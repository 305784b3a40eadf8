#include "kt/io/pacer.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "kt/core/time.hpp"

namespace kt {

int64_t Pacer::WaitMs(int64_t now_ms) const {
  if (rate_ <= 0 || produced_ == 0) return 0;
  int64_t due = start_ms_ + static_cast<int64_t>(static_cast<double>(produced_) * 1000.0 / rate_);
  return std::max<int64_t>(due - now_ms, 0);
}

bool Pacer::WaitTurn(int timeout_ms) {
  int64_t wait = WaitMs(NowMs());
  if (wait == 0) return true;
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(wait, std::max(timeout_ms, 1))));
  return WaitMs(NowMs()) == 0;
}

void Pacer::Produced() { Produced(NowMs()); }

void Pacer::Produced(int64_t now_ms) {
  if (produced_++ == 0) start_ms_ = now_ms;
}

}  // namespace kt
