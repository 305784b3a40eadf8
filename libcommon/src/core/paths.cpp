#include "kt/core/paths.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace kt {

std::string DefaultStateRoot() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  std::string base =
      xdg && *xdg ? std::string(xdg) : std::string(home && *home ? home : "/tmp") + "/.local/state";
  return base + "/ktools";
}

Result<std::string> ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::IoError("cannot read " + what + " " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace kt
