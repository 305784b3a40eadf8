// Confirmation of a destructive step (ktopic delete, kgroup delete), as a script can rely on:
// --yes confirms; otherwise the question is asked on a terminal ("y" or "yes" confirms), and
// without a terminal on stdin the step is refused.
#pragma once

#include <string>

#include "kt/core/status.hpp"

namespace kt {

// Ok when confirmed; InvalidArgument (exit status 2) saying why not: "<what>: needs --yes when
// not asked on a terminal", or "<what>: not confirmed, nothing changed".
Status Confirm(const std::string& what, bool yes);

}  // namespace kt
