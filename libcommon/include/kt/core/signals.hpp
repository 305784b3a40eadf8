// SIGINT/SIGTERM: the first asks for a graceful stop (drain, commit, exit 0); the second says so
// and exits at once with 130. SIGPIPE is ignored so a closed stdout shows up as EPIPE.
// The stop flag and whether a StopNotice exists are libcommon's global state here.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace kt {

void InstallSignalHandlers();
bool StopRequested();
void RequestStop();  // for tests and internal shutdown
void ClearStop();    // for tests: as if no stop had been asked for

// How many times the process has been continued (SIGCONT) after a stop (SIGSTOP, SIGTSTP: a
// frozen copy, a debugger, Ctrl-Z). Stopped time counts on every clock, and librdkafka times out
// at once, on resume, a request it sent before the stop: a wait that sees this number change
// knows its time includes a stop (kt/core/deadline.hpp). SIGCONT is blocked in every thread from
// the program's start (a static initializer, before any thread exists) and never handled, so
// that it interrupts no system call: it stays pending until this takes it.
uint64_t Continues();

// What a second signal's message (exit 130 at once) says of the records in flight. Committed
// (the default): a restart reads again what was not committed. Not (stdin, a file, a Kafka input
// without a group): the records read but not yet written are not in the output. A lock-free
// atomic, read by the signal handler.
void SetInputCommitted(bool committed);

// Says that a stop takes long: made when a run starts and destroyed when its stop is done, it
// logs `note` (LogInfo, as `tool`) if it still exists `after` from the stop's request (a signal,
// RequestStop) on. Its thread waits for the request itself, so it speaks while the run's own
// thread is held (a write to stdout that nobody reads). A stop waits on Kafka (the final commit,
// the producer's flush), up to a minute when the broker is gone, or on stdout's reader, and a
// silent minute after Ctrl-C looks like a hang. A process tells its stop once: of the notices
// alive when their time is up (the two stages of a repartitioned run), one speaks; one whose
// stage ended first leaves it to the other.
class StopNotice {
 public:
  StopNotice(std::string tool, std::string note, std::chrono::milliseconds after);
  ~StopNotice();  // returns at once: its thread is woken and joined

 private:
  struct Waiter;
  std::unique_ptr<Waiter> waiter_;
};

}  // namespace kt
