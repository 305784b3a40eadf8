// Where ktools keeps local files, and reading the ones users give.
#pragma once

#include <string>

#include "kt/core/status.hpp"

namespace kt {

// The root of local state when no --state-dir is given: $XDG_STATE_HOME/ktools, else
// ~/.local/state/ktools (/tmp/.local/state/ktools without a home).
std::string DefaultStateRoot();

// The whole of the file at `path`; IoError "cannot read WHAT PATH" when it cannot be read.
Result<std::string> ReadWholeFile(const std::string& path, const std::string& what);

}  // namespace kt
