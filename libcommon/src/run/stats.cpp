#include "kt/run/stats.hpp"

#include <cstdio>

#include "kt/core/json.hpp"

namespace kt {

std::string Stats::Summary(const std::string& tool, int64_t now_ms) const {
  double secs = static_cast<double>(now_ms - start_ms) / 1000.0;
  double rate = secs > 0 ? static_cast<double>(in) / secs : 0;
  double mbs = secs > 0 ? static_cast<double>(bytes_in) / secs / 1e6 : 0;
  char lost[48] = "";
  if (delivery_errors > 0)
    std::snprintf(lost, sizeof lost, " (%lld %s failed)", static_cast<long long>(delivery_errors),
                  delivery_errors == 1 ? "delivery" : "deliveries");
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s: %lld in, %lld out%s, %lld skipped, %lld dead-lettered, %.2f s, %.0f rec/s, %.1f MB/s",
                tool.c_str(), static_cast<long long>(in), static_cast<long long>(out), lost,
                static_cast<long long>(skipped), static_cast<long long>(dead_lettered), secs, rate, mbs);
  return buf;
}

std::string Stats::Json(const std::string& tool, int64_t now_ms,
                        const std::vector<std::pair<std::string, int64_t>>& extra, std::optional<int64_t> lag,
                        int exit_code, const std::vector<std::string>& missing_fields) const {
  int64_t ms = now_ms - start_ms;
  int64_t rate = ms > 0 ? in * 1000 / ms : 0;
  std::string s = "{\"tool\":\"" + tool + "\",\"in\":" + std::to_string(in) +
                  ",\"out\":" + std::to_string(out) + ",\"skipped\":" + std::to_string(skipped) +
                  ",\"dead_lettered\":" + std::to_string(dead_lettered) +
                  ",\"delivery_errors\":" + std::to_string(delivery_errors) +
                  ",\"bytes_in\":" + std::to_string(bytes_in) + ",\"duration_ms\":" + std::to_string(ms) +
                  ",\"records_per_s\":" + std::to_string(rate);
  for (auto& [name, value] : extra) s += ",\"" + name + "\":" + std::to_string(value);
  s += ",\"lag\":" + (lag ? std::to_string(*lag) : std::string("null"));
  if (!missing_fields.empty()) {
    s += ",\"missing_fields\":[";
    for (size_t i = 0; i < missing_fields.size(); ++i) s += (i ? "," : "") + QuoteJson(missing_fields[i]);
    s += "]";
  }
  return s + ",\"exit\":" + std::to_string(exit_code) + "}";
}

}  // namespace kt
