#include "kt/core/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "kt/core/exit_code.hpp"

namespace kt {

namespace {
volatile sig_atomic_t g_stop = 0;

void OnSignal(int) {
  if (g_stop) _exit(kExitAborted);
  g_stop = 1;
}
}  // namespace

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

bool StopRequested() { return g_stop != 0; }
void RequestStop() { g_stop = 1; }

}  // namespace kt
