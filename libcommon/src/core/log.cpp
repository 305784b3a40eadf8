#include "kt/core/log.hpp"

#include <atomic>
#include <cstdio>

#include "kt/core/json.hpp"
#include "kt/core/time.hpp"

namespace kt {

namespace {

std::atomic<bool> quiet{false};
std::atomic<LogFormat> format{LogFormat::kText};
thread_local std::string thread_group;

void Write(const std::string& tool, const char* level, const std::string& msg, const LogWhere* where) {
  if (format.load(std::memory_order_relaxed) == LogFormat::kText) {
    bool plain = level[0] == 'i' || level[0] == 'd';
    std::fprintf(stderr, "%s: %s%s%s\n", tool.c_str(), plain ? "" : level, plain ? "" : ": ", msg.c_str());
    return;
  }
  std::string line =
      "{\"ts\":\"" + FormatRfc3339(NowMs()) + "\",\"level\":\"" + level + "\",\"tool\":" + QuoteJson(tool);
  if (!thread_group.empty()) line += ",\"group\":" + QuoteJson(thread_group);
  if (where && where->line > 0) {
    line += ",\"line\":" + std::to_string(where->line);
  } else if (where) {
    line += ",\"topic\":" + QuoteJson(std::string(where->topic)) +
            ",\"partition\":" + std::to_string(where->partition) +
            ",\"offset\":" + std::to_string(where->offset);
  }
  line += ",\"msg\":" + QuoteJson(msg) + "}\n";
  std::fputs(line.c_str(), stderr);  // one write per line: lines of two threads never mix
}

}  // namespace

void LogError(const std::string& tool, const std::string& msg, const LogWhere* where) {
  Write(tool, "error", msg, where);
}
void LogWarning(const std::string& tool, const std::string& msg, const LogWhere* where) {
  if (!quiet.load(std::memory_order_relaxed)) Write(tool, "warning", msg, where);
}
void LogInfo(const std::string& tool, const std::string& msg) {
  if (!quiet.load(std::memory_order_relaxed)) Write(tool, "info", msg, nullptr);
}
void LogDebug(const std::string& tool, const std::string& msg) { Write(tool, "debug", msg, nullptr); }
void SetQuiet(bool q) { quiet = q; }
void SetLogFormat(LogFormat f) { format = f; }
LogFormat GetLogFormat() { return format.load(); }
void SetThreadLogGroup(const std::string& group) { thread_group = group; }

}  // namespace kt
