#include "kt/core/stall_watch.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "kt/core/signals.hpp"

namespace kt {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds(100);
constexpr auto kStall = std::chrono::seconds(1);  // between two looks: the process did not run

struct Watch {
  std::mutex mu;
  std::condition_variable wanted;  // a first StallWatch exists
  int watchers = 0;                // StallWatches alive; under mu, as the rest
  bool started = false;            // the thread
  Clock::time_point last;          // the last look while watched
  uint64_t stalls = 0;

  void Look() {  // under mu, while watched
    Clock::time_point now = Clock::now();
    if (now - last > kStall) ++stalls;
    last = std::max(last, now);
  }

  void Run() {
    std::unique_lock lock(mu);
    while (true) {
      wanted.wait(lock, [&] { return watchers > 0; });
      Look();
      wanted.wait_for(lock, kTick);
    }
  }
};

// Never destroyed: its thread is detached and may hold or wait on its members until the process
// ends, after static destructors.
Watch& TheWatch() {
  static Watch* watch = new Watch;
  return *watch;
}
}  // namespace

StallWatch::StallWatch() {
  Watch& w = TheWatch();
  std::lock_guard lock(w.mu);
  if (w.watchers++ > 0) return;
  w.last = Clock::now();  // the time unwatched is no stall
  if (!w.started) {
    std::thread([&w] { w.Run(); }).detach();
    w.started = true;
  }
  w.wanted.notify_one();
}

StallWatch::~StallWatch() {
  Watch& w = TheWatch();
  std::lock_guard lock(w.mu);
  --w.watchers;
}

uint64_t Stalls() {
  Watch& w = TheWatch();
  std::lock_guard lock(w.mu);
  if (w.watchers > 0) w.Look();
  return w.stalls;
}

uint64_t Resumes() { return Continues() + Stalls(); }

namespace testing {
void PretendNotRun(std::chrono::milliseconds d) {
  Watch& w = TheWatch();
  std::lock_guard lock(w.mu);
  w.last -= d;
}
}  // namespace testing

}  // namespace kt
