// The Prometheus text exposition (format 0.0.4) of the stages' snapshots, for GET /metrics.
// Names follow Prometheus conventions: ktools_ prefix, _total for counters, base units
// (seconds, bytes); every series has the tool and its stage ("ktable", "ktable-repartition"),
// input series their topic and partition. The process's CPU and memory use the standard
// process_* names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kt/run/monitor.hpp"

namespace kt {

struct ProcessUsage {
  double cpu_seconds = 0;     // user + system
  int64_t rss_bytes = 0;      // resident set now
  int64_t max_rss_bytes = 0;  // its peak
  double start_seconds = 0;   // since the epoch
};
// This process's, from getrusage and /proc/self/statm.
ProcessUsage ReadProcessUsage();

std::string MetricsText(const std::string& tool, const std::vector<StageSnapshot>& stages,
                        const ProcessUsage& process);

}  // namespace kt
