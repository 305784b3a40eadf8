#include "kt/core/log.hpp"

#include <cstdio>

namespace kt {

static void Write(const std::string& tool, const char* level, const std::string& msg) {
  std::fprintf(stderr, "%s: %s%s\n", tool.c_str(), level, msg.c_str());
}

void LogError(const std::string& tool, const std::string& msg) { Write(tool, "error: ", msg); }
void LogWarning(const std::string& tool, const std::string& msg) { Write(tool, "warning: ", msg); }
void LogInfo(const std::string& tool, const std::string& msg) { Write(tool, "", msg); }

}  // namespace kt
