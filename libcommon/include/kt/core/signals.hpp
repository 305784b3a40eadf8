// SIGINT/SIGTERM: the first asks for a graceful stop (drain, commit, exit 0); the second says so
// and exits at once with 130. SIGPIPE is ignored so a closed stdout shows up as EPIPE.
// The stop flag and whether a StopNotice exists are libcommon's global state here.
#pragma once

#include <chrono>
#include <memory>
#include <string>

namespace kt {

void InstallSignalHandlers();
bool StopRequested();
void RequestStop();  // for tests and internal shutdown

// Says that a stop takes long: made when a stop begins and destroyed when it is done, it logs
// `note` (LogInfo, as `tool`) if it still exists `after` later. A stop waits on Kafka (the final
// commit, the producer's flush), up to a minute when the broker is gone, and a silent minute
// after Ctrl-C looks like a hang. One per process: a second one made while the first exists
// (another stage of the same tool stopping) says nothing.
class StopNotice {
 public:
  StopNotice(std::string tool, std::string note, std::chrono::milliseconds after);
  ~StopNotice();                                      // returns at once: its thread is woken and joined
  bool Speaks() const { return waiter_ != nullptr; }  // false: another notice existed when made

 private:
  struct Waiter;
  std::unique_ptr<Waiter> waiter_;  // none when another notice exists
};

}  // namespace kt
