// Sees the process not run without being told: a frozen cgroup (`docker pause`, the cgroup
// freezer, CRIU). Such a process gets no SIGSTOP and no SIGCONT (Continues), yet on thaw
// librdkafka times out every request it sent before, as after a stop. While a StallWatch exists,
// a thread looks at the steady clock every 100 ms; a look, by it or by Stalls, more than 1 s
// after the one before means that no thread of the process ran meanwhile, and is one stall.
// Which of the two looks first after a thaw does not matter: the stall is counted once, and
// Stalls counts it before it returns. A thread starved of a core for a second (a machine far
// beyond its load) also counts: a wait that counts it only starts over (kt/core/deadline.hpp).
#pragma once

#include <chrono>
#include <cstdint>

namespace kt {

// Watches for stalls from its construction to its destruction (any number may exist, in any
// thread). The watching thread is started at the first one and then stays, blocked while none
// exists.
class StallWatch {
 public:
  StallWatch();
  ~StallWatch();
  StallWatch(const StallWatch&) = delete;
  StallWatch& operator=(const StallWatch&) = delete;
};

// How many stalls were seen while a StallWatch existed; looks first.
uint64_t Stalls();

// How many times the process went on after it did not run: continued after a stop
// (Continues) or thawed (Stalls, seen only while watched). What a wait compares.
uint64_t Resumes();

namespace testing {
// As if the process had not run for the `d` before now: the last look is moved back by `d`.
void PretendNotRun(std::chrono::milliseconds d);
}  // namespace testing

}  // namespace kt
