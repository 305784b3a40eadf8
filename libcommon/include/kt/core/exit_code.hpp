// Process exit codes shared by every tool (ktools(7), EXIT STATUS).
#pragma once

#include "kt/core/status.hpp"

namespace kt {

enum ExitCode : int {
  kExitOk = 0,        // success, also after SIGINT/SIGTERM with a clean shutdown
  kExitRuntime = 1,   // broker unreachable, fatal Kafka error, I/O, failed delivery
  kExitUsage = 2,     // bad flag or argument, bad expression
  kExitData = 3,      // bad record under --on-error fail
  kExitAborted = 130  // second SIGINT/SIGTERM: abort without draining
};

inline int ExitCodeFor(const Status& s) {
  if (s.ok()) return kExitOk;
  if (s.IsInvalidArgument()) return kExitUsage;
  if (s.IsDataError()) return kExitData;
  return kExitRuntime;
}

}  // namespace kt
