// Waits bounded in time that a stop of the process (SIGSTOP: a copy of a tool stopped, the
// zombie of the crash tests; or a frozen cgroup, without signals) does not use up. A copy stopped
// in its start, while it asks Kafka for a topic's metadata or configuration, finds on resume that
// its wait's time has passed and that librdkafka has timed out the request it sent before the
// stop: neither says anything about the broker, so the wait starts over and the request is asked
// again. A stop is a continue (Continues) or a stall seen while the wait exists (StallWatch).
#pragma once

#include <chrono>
#include <cstdint>

#include "kt/core/stall_watch.hpp"

namespace kt {

// The end of a wait of `ms`, counted again in full from the first look after a resume
// (Resumes: a continue, or a stall seen while the Deadline exists) since it began or was last
// counted.
class Deadline {
 public:
  explicit Deadline(int64_t ms) : ms_(ms), resumes_(Resumes()), end_(Clock::now() + Ms(ms)) {}

  bool Passed() { return LeftMs() == 0; }

  // What is left of the wait, at least 0: the bound of the next blocking call in it.
  int64_t LeftMs() {
    Clock::time_point now = Clock::now();
    if (uint64_t r = Resumes(); r != resumes_) {
      resumes_ = r;
      end_ = now + Ms(ms_);
    }
    return end_ > now ? std::chrono::ceil<Ms>(end_ - now).count() : 0;
  }

 private:
  using Clock = std::chrono::steady_clock;
  using Ms = std::chrono::milliseconds;
  StallWatch watch_;  // first: watched from before resumes_ is read
  int64_t ms_;
  uint64_t resumes_;
  Clock::time_point end_;
};

// Calls `ask` (a request to Kafka, waited for) again while its answer timed out
// (`timed_out(answer)`) and the process was stopped and resumed meanwhile (Resumes); returns the
// last answer. Each call again needs a new stop, so a broker that does not answer still times out.
template <typename Ask, typename TimedOut>
auto AskAgainAfterStop(Ask ask, TimedOut timed_out) {
  StallWatch watch;
  for (uint64_t seen = Resumes();;) {
    auto answer = ask();
    uint64_t now = Resumes();
    if (now == seen || !timed_out(answer)) return answer;
    seen = now;
  }
}

}  // namespace kt
