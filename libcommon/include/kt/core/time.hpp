// Durations ("250ms", "10s", "5m", "1h30m", "2d") and timestamps (RFC 3339 <-> epoch ms).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

// Durations are at most 100 years, so that time arithmetic on event times (at most
// kMaxTimeMs) never overflows.
constexpr int64_t kMaxDurationMs = 100LL * 36525 * 86'400'000 / 100;
// The last millisecond of year 9999, 9999-12-31T23:59:59.999Z: the latest event time ktools
// accepts (the earliest is the epoch).
constexpr int64_t kMaxTimeMs = 253'402'300'799'999;

// Milliseconds. Units: ms, s, m, h, d; several may follow each other ("1h30m"). A bare number
// is milliseconds. Negative or empty input, or more than kMaxDurationMs, is an error.
Result<int64_t> ParseDuration(std::string_view text);

// RFC 3339 / ISO-8601 date-time ("2026-11-20T09:00:00.165Z", "...+01:00", "...-0530",
// fractions of any length (truncated to ms), 'T' or ' ' separator, seconds optional, no offset =
// UTC, or a date alone) -> epoch milliseconds.
Result<int64_t> ParseRfc3339(std::string_view text);

// A date-time in a strftime-style format (std::get_time: %Y %m %d %H %M %S %b %y %e %j ...),
// as UTC, with second precision.
Result<int64_t> ParseTimeFormat(std::string_view text, const std::string& format);

// Epoch ms -> "2026-11-20T09:00:00.165Z" (always UTC, always milliseconds).
std::string FormatRfc3339(int64_t epoch_ms);

// Wall clock, epoch milliseconds.
int64_t NowMs();

// A duration for messages: "5m", "12s", "1.5s", "250ms".
std::string FormatDuration(int64_t ms);
// The wall clock read at most once, on first use: for per-record paths that need the time only
// now and then (a clock read costs as much as handing out a record).
class LazyNow {
 public:
  int64_t operator()() {
    if (ms_ < 0) ms_ = NowMs();
    return ms_;
  }

 private:
  int64_t ms_ = -1;
};

}  // namespace kt
