#include "kt/kafka/start_spec.hpp"

#include <cstdint>

#include "kt/core/strings.hpp"
#include "kt/core/time.hpp"

namespace kt {

Result<int64_t> ParseTimeSpec(std::string_view text, int64_t now_ms) {
  if (text == "now") return now_ms;
  if (!text.empty() && text[0] == '-') {
    auto d = ParseDuration(text.substr(1));
    if (!d.ok()) return d.status();
    return now_ms - *d;
  }
  int64_t ms;
  if (ParseInt64(text, &ms) && ms >= 0) return ms;
  auto t = ParseRfc3339(text);
  if (!t.ok())
    return Status::InvalidArgument("invalid time '" + std::string(text) +
                                   "' (expected now, an RFC 3339 time, -DURATION such as -1h, or epoch ms)");
  return *t;
}

Result<StartSpec> ParseStartSpec(std::string_view text, int64_t now_ms) {
  StartSpec s;
  if (text == "beginning" || text == "earliest") return s;
  if (text == "end" || text == "latest") {
    s.kind = StartSpec::Kind::kEnd;
    return s;
  }
  if (text.substr(0, 7) == "offset:") {
    s.kind = StartSpec::Kind::kOffset;
    if (!ParseInt64(text.substr(7), &s.offset) || s.offset == INT64_MIN)
      return Status::InvalidArgument(
          "invalid --from '" + std::string(text) +
          "' (expected offset:N for offset N of each partition, or offset:-N for its last N records)");
    return s;
  }
  auto t = ParseTimeSpec(text, now_ms);
  if (!t.ok())
    return Status::InvalidArgument(
        "invalid --from '" + std::string(text) +
        "' (expected beginning, end, an RFC 3339 time, -DURATION such as -1h, offset:N or offset:-N)");
  s.kind = StartSpec::Kind::kTime;
  s.time_ms = *t;
  return s;
}

}  // namespace kt
