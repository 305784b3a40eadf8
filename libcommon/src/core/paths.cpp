#include "kt/core/paths.hpp"

#include <cstdlib>

namespace kt {

std::string DefaultStateRoot() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::string base =
      xdg && *xdg ? std::string(xdg) : std::string(home && *home ? home : "/tmp") + "/.local/state";
  return base + "/ktools";
}

}  // namespace kt
