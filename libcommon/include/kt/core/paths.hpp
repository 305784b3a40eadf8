// Where ktools keeps local files.
#pragma once

#include <string>

namespace kt {

// The root of local state when no --state-dir is given: $XDG_STATE_HOME/ktools, else
// ~/.local/state/ktools (/tmp/.local/state/ktools without a home).
std::string DefaultStateRoot();

}  // namespace kt
