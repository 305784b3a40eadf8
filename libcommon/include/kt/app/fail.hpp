// How every tool and subcommand ends on an error: one line on stderr, "<tool>: error: <what>",
// and the exit code the error calls for (core/exit_code.hpp: 2 usage, 3 data, 1 the rest).
#pragma once

#include <string>

#include "kt/core/status.hpp"

namespace kt {

// Logs `s` (when not ok) and returns its exit code (0 for ok).
int FailWith(const std::string& tool, const Status& s);

}  // namespace kt
