#include "kt/app/fail.hpp"

#include "kt/core/exit_code.hpp"
#include "kt/core/log.hpp"

namespace kt {

int FailWith(const std::string& tool, const Status& s) {
  if (s.ok()) return kExitOk;
  LogError(tool, s.message());
  return ExitCodeFor(s);
}

}  // namespace kt
