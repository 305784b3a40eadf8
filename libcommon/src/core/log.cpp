#include "kt/core/log.hpp"

#include <atomic>
#include <cstdio>

namespace kt {

namespace {

std::atomic<bool> quiet{false};

void Write(const std::string& tool, const char* level, const std::string& msg) {
  std::fprintf(stderr, "%s: %s%s\n", tool.c_str(), level, msg.c_str());
}

}  // namespace

void LogError(const std::string& tool, const std::string& msg) { Write(tool, "error: ", msg); }
void LogWarning(const std::string& tool, const std::string& msg) {
  if (!quiet.load(std::memory_order_relaxed)) Write(tool, "warning: ", msg);
}
void LogInfo(const std::string& tool, const std::string& msg) {
  if (!quiet.load(std::memory_order_relaxed)) Write(tool, "", msg);
}
void SetQuiet(bool q) { quiet = q; }

}  // namespace kt
