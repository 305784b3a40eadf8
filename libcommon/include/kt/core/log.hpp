// Diagnostics on stderr, always prefixed with the tool name: "kmap: error: ...". With
// --log-format json each is one JSON object per line instead, for a log collector:
//   {"ts":"2026-11-23T18:00:00.123Z","level":"warning","tool":"kmap","group":"g",
//    "topic":"clicks","partition":3,"offset":1234,"msg":"skipped ..."}
// ("group" where the thread runs a stage of a consumer group; "topic", "partition" and
// "offset" (or "line") where a message is about one record).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kt {

// The record a message is about.
struct LogWhere {
  std::string_view topic;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t line = 0;  // > 0: a line of stdin or a file, not a topic
};

void LogError(const std::string& tool, const std::string& msg, const LogWhere* where = nullptr);
void LogWarning(const std::string& tool, const std::string& msg, const LogWhere* where = nullptr);
void LogInfo(const std::string& tool, const std::string& msg);
// What the user asked for explicitly (librdkafka's log under -v or -X debug=...): written even
// with -q; level "debug" in JSON.
void LogDebug(const std::string& tool, const std::string& msg);

// -q: warnings and information are not written from now on; errors always are.
void SetQuiet(bool quiet);

enum class LogFormat { kText, kJson };
void SetLogFormat(LogFormat format);
LogFormat GetLogFormat();
// The consumer group of the stage this thread runs (JSON logs name it); "" none.
void SetThreadLogGroup(const std::string& group);

}  // namespace kt
