#include "kt/io/pacer.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "kt/core/time.hpp"

namespace kt {

bool Pacer::WaitTurn(int timeout_ms) {
  if (rate_ <= 0) return true;
  if (start_ms_ < 0) start_ms_ = NowMs();
  int64_t due = start_ms_ + static_cast<int64_t>(static_cast<double>(produced_) * 1000.0 / rate_);
  int64_t wait = due - NowMs();
  if (wait <= 0) return true;
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(wait, std::max(timeout_ms, 1))));
  return NowMs() >= due;
}

}  // namespace kt
