// Diagnostics on stderr, always prefixed with the tool name: "kmap: error: ...".
#pragma once

#include <string>

namespace kt {

void LogError(const std::string& tool, const std::string& msg);
void LogWarning(const std::string& tool, const std::string& msg);
void LogInfo(const std::string& tool, const std::string& msg);

// -q: warnings and information are not written from now on; errors always are.
void SetQuiet(bool quiet);

}  // namespace kt
