#include "kt/core/time.hpp"

#include <date/date.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace kt {

namespace {
Status TooLarge(std::string_view text) {
  return Status::InvalidArgument("duration too large: " + std::string(text) + " (at most 100 years)");
}
}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty duration");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return Status::InvalidArgument("invalid duration '" + std::string(text) +
                                     "' (expected e.g. 250ms, 10s, 5m, 1h30m)");
    }
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > kMaxDurationMs) return TooLarge(text);
      n = n * 10 + (text[i++] - '0');
    }
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(u, i - u);
    int64_t mult;
    if (unit.empty() && n != 0) {  // 10 could mean 10 ms or 10 s: say which, never guess
      std::string n_text(text.substr(0, i));
      return Status::InvalidArgument("duration '" + std::string(text) + "' has no unit: " + n_text + "s or " +
                                     n_text + "ms? (units: ms, s, m, h, d)");
    }
    if (unit.empty() || unit == "ms")
      mult = 1;
    else if (unit == "s")
      mult = 1000;
    else if (unit == "m" || unit == "min")
      mult = 60'000;
    else if (unit == "h")
      mult = 3'600'000;
    else if (unit == "d")
      mult = 86'400'000;
    else
      return Status::InvalidArgument("invalid duration unit '" + std::string(unit) + "' in '" +
                                     std::string(text) + "' (use ms, s, m, h, d)");
    if (unit.empty() && i != text.size())
      return Status::InvalidArgument("invalid duration '" + std::string(text) + "'");
    if (n > (kMaxDurationMs - total) / mult) return TooLarge(text);
    total += n * mult;
  }
  return total;
}

namespace {

// date::parse (date 3.0.1) reads %S into an uninitialized long double and converts it even when
// the read failed: undefined behaviour on malformed input (found by scripts/fuzz). RFC 3339 has
// fixed-width fields, so it is parsed here; custom formats go through std::get_time. Howard
// Hinnant's calendar arithmetic still turns dates into days.

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// Epoch ms of a UTC civil time; false when the date is not a real one (2026-02-30).
bool CivilToMs(int y, int mo, int d, int h, int mi, int sec, int64_t ms, int64_t* out) {
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return false;
  int64_t days = date::sys_days(ymd).time_since_epoch().count();
  *out = ((days * 24 + h) * 60 + mi) * 60'000 + static_cast<int64_t>(sec) * 1000 + ms;
  return true;
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  auto bad = [&] { return Status::InvalidArgument("invalid RFC 3339 time '" + std::string(text) + "'"); };
  std::string_view s = text;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) || s[7] != '-' ||
      !Digits(s, 8, 2, &d))
    return bad();
  size_t i = 10;
  int64_t ms = 0, offset_min = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return bad();
    if (!Digits(s, i + 1, 2, &h) || s.size() < i + 6 || s[i + 3] != ':' || !Digits(s, i + 4, 2, &mi))
      return bad();
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!Digits(s, i + 1, 2, &sec)) return bad();
      i += 3;
      if (i < s.size() && s[i] == '.') {  // fraction: milliseconds, finer digits truncated
        size_t f = ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        if (i == f) return bad();
        for (size_t k = f; k < f + 3; ++k) ms = ms * 10 + (k < i ? s[k] - '0' : 0);
      }
    }
    if (i < s.size()) {  // offset: Z or +hh:mm / -hhmm
      if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
        i = s.size();
      } else if (s[i] == '+' || s[i] == '-') {
        int oh, om;
        size_t m = i + 3 < s.size() && s[i + 3] == ':' ? i + 4 : i + 3;
        if (!Digits(s, i + 1, 2, &oh) || !Digits(s, m, 2, &om) || m + 2 != s.size() || oh > 23 || om > 59)
          return bad();
        offset_min = (s[i] == '-' ? -1 : 1) * (oh * 60 + om);
        i = s.size();
      } else {
        return bad();
      }
    }
  }
  int64_t out;
  if (!CivilToMs(y, mo, d, h, mi, sec, ms, &out)) return bad();
  return out - offset_min * 60'000;
}

Result<int64_t> ParseTimeFormat(std::string_view text, const std::string& format) {
  std::tm tm{};
  tm.tm_mday = 1;
  std::istringstream in{std::string(text)};
  in >> std::get_time(&tm, format.c_str());
  int64_t out;
  if (in.fail() || in.peek() != std::char_traits<char>::eof() ||
      !CivilToMs(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 0, &out))
    return Status::InvalidArgument("time '" + std::string(text) + "' does not match format '" + format + "'");
  return out;
}

std::string FormatRfc3339(int64_t epoch_ms) {
  date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds(epoch_ms)};
  return date::format("%Y-%m-%dT%H:%M:%SZ", tp);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatDuration(int64_t ms) {
  if (ms >= 60000 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  if (ms >= 1000) {
    std::string s = std::to_string(ms / 100);
    return s.substr(0, s.size() - 1) + "." + s.back() + "s";
  }
  return std::to_string(ms) + "ms";
}

}  // namespace kt
