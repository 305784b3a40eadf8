#include "kt/core/signals.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <thread>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"

namespace kt {

namespace {
volatile sig_atomic_t g_stop = 0;
// Readable from the first stop request on (its count is never read down, but by ClearStop): what
// a StopNotice's thread waits on, since a signal handler may not wake a condition variable.
const int g_stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
std::atomic<bool> g_spoken{false};    // a StopNotice spoke: the stop is told once
std::atomic<bool> g_committed{true};  // SetInputCommitted
static_assert(std::atomic<bool>::is_always_lock_free);

// Blocks SIGCONT in the thread running static initializers, the main thread, before main starts
// any thread: every thread inherits the mask, so the signal waits for Continues. Continuing a
// stopped process does not depend on the signal being delivered.
sigset_t ContinueSet() {
  sigset_t cont;
  sigemptyset(&cont);
  sigaddset(&cont, SIGCONT);
  return cont;
}
const bool g_continue_blocked = [] {
  sigset_t cont = ContinueSet();
  return pthread_sigmask(SIG_BLOCK, &cont, nullptr) == 0;
}();
std::atomic<uint64_t> g_continues{0};

void Write(const char* text) { (void)!write(2, text, std::strlen(text)); }

void MarkStop() {  // async-signal-safe
  if (g_stop) return;
  g_stop = 1;
  uint64_t one = 1;
  (void)!write(g_stop_fd, &one, sizeof one);
}

// Only async-signal-safe calls: write, strlen, _exit (and a lock-free atomic's load).
void OnSignal(int) {
  if (g_stop) {
    const char* msg =
        g_committed.load(std::memory_order_relaxed)
            ? "stopped at once by a second signal (exit 130): a restart reads again what was not "
              "committed"
            : "stopped at once by a second signal (exit 130): the records read but not yet written "
              "are not in the output";
    bool json = GetLogFormat() == LogFormat::kJson;
    Write(json ? "{\"level\":\"error\",\"tool\":\"" : "");
    Write(program_invocation_short_name);
    Write(json ? "\",\"msg\":\"" : ": error: ");
    Write(msg);
    Write(json ? "\"}\n" : "\n");
    _exit(kExitAborted);
  }
  MarkStop();
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
void RequestStop() { MarkStop(); }
void ClearStop() {
  uint64_t count;
  (void)!read(g_stop_fd, &count, sizeof count);
  g_stop = 0;
  g_spoken = false;
}
uint64_t Continues() {
  sigset_t cont = ContinueSet();
  timespec none{};
  while (g_continue_blocked && sigtimedwait(&cont, nullptr, &none) == SIGCONT) g_continues.fetch_add(1);
  return g_continues.load();
}

void SetInputCommitted(bool committed) { g_committed.store(committed, std::memory_order_relaxed); }

struct StopNotice::Waiter {
  int done_fd = eventfd(0, EFD_CLOEXEC);  // readable once the notice is destroyed
  std::thread thread;
};

StopNotice::StopNotice(std::string tool, std::string note, std::chrono::milliseconds after) {
  waiter_ = std::make_unique<Waiter>();
  waiter_->thread = std::thread([w = waiter_.get(), tool = std::move(tool), note = std::move(note), after] {
    pollfd fds[2] = {{w->done_fd, POLLIN, 0}, {g_stop_fd, POLLIN, 0}};
    // Until a stop is asked for, then `after` more: a notice still alive then speaks.
    int ready;
    while ((ready = poll(fds, 2, -1)) < 0 && errno == EINTR) {
    }
    if (ready <= 0 || (fds[0].revents & POLLIN)) return;
    auto until = std::chrono::steady_clock::now() + after;
    while (true) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      ready = poll(fds, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
      if (ready == 0) break;
      if (ready > 0 || errno != EINTR) return;
    }
    if (!g_spoken.exchange(true)) LogInfo(tool, note);  // the first of the notices alive then
  });
}

StopNotice::~StopNotice() {
  if (!waiter_) return;
  uint64_t one = 1;
  (void)!write(waiter_->done_fd, &one, sizeof one);
  waiter_->thread.join();
  close(waiter_->done_fd);
}

}  // namespace kt
