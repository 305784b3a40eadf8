// kwindow's own flags and what they resolve to: the window spec (one of --tumbling, --hopping
// with --step, --sliding, --session; --grace, --retention), the event time (--time,
// --time-format, --time-unit), the aggregates and --by, the emit mode.
#pragma once

#include <string>
#include <vector>

#include "kt/run/cli_fwd.hpp"
#include "kt/stream/event_time.hpp"
#include "kt/stream/grouping.hpp"
#include "kt/stream/window.hpp"

namespace kt::kwindow {

struct WindowFlags {
  std::string tumbling, hopping, step, sliding, session, grace, retention;
  std::string time = "@timestamp", time_format, time_unit = "ms";
  std::string by, emit = "update";
  std::vector<std::string> aggs;
  bool close_at_end = false;
};

// Declares the flags on `app` (the window type in an option group of its own).
void AddWindowFlags(CLI::App& app, WindowFlags& f);

struct WindowSetup {
  WindowSpec spec;
  EventTime time;
  Grouping grouping;  // --agg and --by (parsed; the run plan takes --by as text)
  bool emit_final = false;
  bool close_at_end = false;
};

// The flags resolved. Usage errors (InvalidArgument) name the flag.
Result<WindowSetup> ResolveWindowFlags(const WindowFlags& f);

}  // namespace kt::kwindow
