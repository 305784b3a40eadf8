#include "kt/run/stats.hpp"

#include <cstdio>

namespace kt {

std::string Stats::Summary(const std::string& tool, int64_t now_ms) const {
  double secs = static_cast<double>(now_ms - start_ms) / 1000.0;
  double rate = secs > 0 ? static_cast<double>(in) / secs : 0;
  double mbs = secs > 0 ? static_cast<double>(bytes_in) / secs / 1e6 : 0;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s: %lld in, %lld out, %lld skipped, %lld dead-lettered, %.2f s, %.0f rec/s, %.1f MB/s",
                tool.c_str(), static_cast<long long>(in), static_cast<long long>(out),
                static_cast<long long>(skipped), static_cast<long long>(dead_lettered), secs, rate, mbs);
  return buf;
}

}  // namespace kt
