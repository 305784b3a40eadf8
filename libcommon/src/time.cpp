#include "kt/time.hpp"

#include <date/date.h>

#include <cctype>
#include <chrono>
#include <sstream>

namespace kt {

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
      if (n > (INT64_MAX / 10)) return Status::InvalidArgument("duration too large: " + std::string(text));
      n = n * 10 + (text[i++] - '0');
    }
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(u, i - u);
    int64_t mult;
    if (unit.empty() || unit == "ms") mult = 1;
    else if (unit == "s") mult = 1000;
    else if (unit == "m" || unit == "min") mult = 60'000;
    else if (unit == "h") mult = 3'600'000;
    else if (unit == "d") mult = 86'400'000;
    else
      return Status::InvalidArgument("invalid duration unit '" + std::string(unit) + "' in '" +
                                     std::string(text) + "' (use ms, s, m, h, d)");
    if (unit.empty() && i != text.size())
      return Status::InvalidArgument("invalid duration '" + std::string(text) + "'");
    total += n * mult;
  }
  return total;
}

namespace {

// Milliseconds, not nanoseconds: sys_time<nanoseconds> only spans the years 1678-2262 and
// date::parse overflows (undefined behaviour) outside them; found by scripts/fuzz.
Result<int64_t> ParseWith(std::string_view text, const char* fmt, bool with_offset) {
  std::istringstream in{std::string(text)};
  date::sys_time<std::chrono::milliseconds> tp;
  if (with_offset) {
    std::chrono::minutes offset{0};
    in >> date::parse(fmt, tp, offset);  // applies the offset: tp is UTC
    if (in.fail()) return Status::InvalidArgument("");
  } else {
    in >> date::parse(fmt, tp);
    if (in.fail()) return Status::InvalidArgument("");
  }
  if (in.peek() != std::char_traits<char>::eof()) return Status::InvalidArgument("");
  return static_cast<int64_t>(tp.time_since_epoch().count());
}

// Cuts a seconds fraction to milliseconds ("09:00:00.165999999" -> "09:00:00.165"), truncating
// as the millisecond timestamps Kafka uses do.
void TruncateFraction(std::string* s) {
  size_t dot = s->find('.', 11);
  if (dot == std::string::npos) return;
  size_t end = dot + 1;
  while (end < s->size() && std::isdigit(static_cast<unsigned char>((*s)[end]))) ++end;
  if (end - dot - 1 > 3) s->erase(dot + 4, end - dot - 4);
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  std::string s(text);
  if (s.size() < 10) return Status::InvalidArgument("invalid RFC 3339 time '" + s + "'");
  if (s.size() > 10 && (s[10] == ' ' || s[10] == 't')) s[10] = 'T';
  bool has_z = !s.empty() && (s.back() == 'Z' || s.back() == 'z');
  if (has_z) s.pop_back();
  TruncateFraction(&s);
  // An offset like +01:00 / -0530 after the time part.
  bool has_offset = false;
  if (s.size() > 19) {
    size_t p = s.find_last_of("+-");
    has_offset = p != std::string::npos && p > 18;
  }
  Result<int64_t> r = Status::InvalidArgument("");
  if (s.size() == 10) r = ParseWith(s, "%Y-%m-%d", false);
  else if (has_offset) r = ParseWith(s, "%Y-%m-%dT%H:%M:%S%Ez", true);
  else r = ParseWith(s, "%Y-%m-%dT%H:%M:%S", false);
  if (!r.ok() && !has_offset && !has_z && s.size() > 10) r = ParseWith(s, "%Y-%m-%dT%H:%M", false);
  if (!r.ok()) return Status::InvalidArgument("invalid RFC 3339 time '" + std::string(text) + "'");
  return r;
}

Result<int64_t> ParseTimeFormat(std::string_view text, const std::string& format) {
  bool with_offset = format.find("%z") != std::string::npos || format.find("%Ez") != std::string::npos;
  auto r = ParseWith(text, format.c_str(), with_offset);
  if (!r.ok())
    return Status::InvalidArgument("time '" + std::string(text) + "' does not match format '" + format + "'");
  return r;
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

}  // namespace kt
