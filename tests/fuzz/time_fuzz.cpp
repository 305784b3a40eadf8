// libFuzzer target for durations, timestamps and time specs (--commit-interval, --grace,
// --from, --until, --time-format, RFC 3339 event times). Input: a text, and after a newline a
// strftime format. Checked: no crash or overflow; results are in range; an RFC 3339 time that
// parses formats and parses back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/core/time.hpp"
#include "kt/kafka/start_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view text = in.substr(0, nl);
  std::string format =
      nl == std::string_view::npos ? std::string("%Y-%m-%d %H:%M:%S") : std::string(in.substr(nl + 1));
  auto d = kt::ParseDuration(text);
  if (d.ok() && (*d < 0 || *d > kt::kMaxDurationMs)) __builtin_trap();
  auto t = kt::ParseRfc3339(text);
  if (t.ok() && *t >= 0 && *t <= kt::kMaxTimeMs) {
    auto back = kt::ParseRfc3339(kt::FormatRfc3339(*t));
    if (!back.ok() || *back != *t) __builtin_trap();
  }
  (void)kt::ParseTimeFormat(text, format);
  const int64_t now = 1'763'629'200'000;
  (void)kt::ParseStartSpec(text, now);
  (void)kt::ParseTimeSpec(text, now);
  return 0;
}
