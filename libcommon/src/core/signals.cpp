#include "kt/core/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"

namespace kt {

namespace {
volatile sig_atomic_t g_stop = 0;
std::atomic<bool> g_notice{false};  // a StopNotice exists

void Write(const char* text) { (void)!write(2, text, std::strlen(text)); }

// Only async-signal-safe calls: write, strlen, _exit (and a lock-free atomic's load).
void OnSignal(int) {
  if (g_stop) {
    const char* msg =
        "stopped at once by a second signal (exit 130): a restart reads again what was not committed";
    bool json = GetLogFormat() == LogFormat::kJson;
    Write(json ? "{\"level\":\"error\",\"tool\":\"" : "");
    Write(program_invocation_short_name);
    Write(json ? "\",\"msg\":\"" : ": error: ");
    Write(msg);
    Write(json ? "\"}\n" : "\n");
    _exit(kExitAborted);
  }
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

struct StopNotice::Waiter {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::thread thread;
};

StopNotice::StopNotice(std::string tool, std::string note, std::chrono::milliseconds after) {
  if (g_notice.exchange(true)) return;
  waiter_ = std::make_unique<Waiter>();
  waiter_->thread = std::thread([w = waiter_.get(), tool = std::move(tool), note = std::move(note), after] {
    std::unique_lock lock(w->mu);
    if (!w->cv.wait_for(lock, after, [w] { return w->done; })) LogInfo(tool, note);
  });
}

StopNotice::~StopNotice() {
  if (!waiter_) return;
  {
    std::lock_guard lock(waiter_->mu);
    waiter_->done = true;
  }
  waiter_->cv.notify_one();
  waiter_->thread.join();
  g_notice = false;
}

}  // namespace kt
