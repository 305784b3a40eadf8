// SIGINT/SIGTERM: the first asks for a graceful stop (drain, commit, exit 0); the second exits
// at once with 130. SIGPIPE is ignored so a closed stdout shows up as EPIPE.
// The stop flag is the only global mutable state in libcommon.
#pragma once

namespace kt {

void InstallSignalHandlers();
bool StopRequested();
void RequestStop();  // for tests and internal shutdown

}  // namespace kt
