#include "kt/core/json_text.hpp"

#include <rapidjson/internal/dtoa.h>

#include <charconv>
#include <cmath>

namespace kt {

namespace {

// Whether any of the 8 bytes in `w` is below `n` (n <= 128): hasless from "Bit Twiddling Hacks".
// Exact as a yes/no: a borrow can flag a byte only above one that is flagged itself.
constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
bool HasLess(uint64_t w, uint64_t n) { return ((w - kOnes * n) & ~w & kHigh) != 0; }
bool HasZero(uint64_t w) { return HasLess(w, 1); }

// Whether any of the 8 bytes in `w` needs an escape: below 0x20, '"' or '\\'.
bool NeedsEscape(uint64_t w) {
  return HasLess(w, 0x20) || HasZero(w ^ (kOnes * '"')) || HasZero(w ^ (kOnes * '\\'));
}

}  // namespace

void JsonText::Int64(int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  Value(buf, static_cast<size_t>(r.ptr - buf));
}

void JsonText::Double(double v) {
  if (!std::isfinite(v)) return Null();
  char buf[32];
  char* end = rapidjson::internal::dtoa(v, buf);
  Value(buf, static_cast<size_t>(end - buf));
}

void JsonText::Quoted(const char* s, size_t n) {
  static const char kHex[] = "0123456789ABCDEF";
  out_->reserve(out_->size() + n + 2);
  out_->push_back('"');
  size_t i = 0, run = 0;  // s[run, i) is written as it is
  while (i < n) {
    if (n - i >= 8) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (!NeedsEscape(w)) {
        i += 8;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out_->append(s + run, i - run);
    out_->push_back('\\');
    switch (c) {
      case '"':
        out_->push_back('"');
        break;
      case '\\':
        out_->push_back('\\');
        break;
      case '\b':
        out_->push_back('b');
        break;
      case '\f':
        out_->push_back('f');
        break;
      case '\n':
        out_->push_back('n');
        break;
      case '\r':
        out_->push_back('r');
        break;
      case '\t':
        out_->push_back('t');
        break;
      default:
        out_->append("u00");
        out_->push_back(kHex[c >> 4]);
        out_->push_back(kHex[c & 0xF]);
    }
    run = ++i;
  }
  out_->append(s + run, n - run);
  out_->push_back('"');
}

}  // namespace kt
