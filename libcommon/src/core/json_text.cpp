#include "kt/core/json_text.hpp"

#include <rapidjson/internal/dtoa.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "kt/core/byte_words.hpp"

namespace kt {

namespace {

// Whether any of the 8 bytes in `w` needs an escape: below 0x20, '"' or '\\'.
inline bool NeedsEscape(uint64_t w) {
  return bytes::HasLess(w, 0x20) || bytes::HasByte(w, '"') || bytes::HasByte(w, '\\');
}

// Whether s[0, n) needs no escape.
bool Clean(const char* s, size_t n) {
  size_t i = 0;
  for (; n - i >= 8; i += 8)
    if (NeedsEscape(bytes::Word(s + i))) return false;
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return false;
  }
  return true;
}

constexpr size_t kShort = 120;  // composed on the stack and appended at once up to this size

// A size whose bound the compiler no longer knows. A copy it knows to be short (up to kShort)
// GCC inlines as `rep movsq`, which takes ~30 cycles to start: in ktable one such append was
// 5% of the samples. libc's memcpy copies a few dozen bytes in a handful of cycles.
inline size_t Opaque(size_t n) {
  asm("" : "+r"(n));
  return n;
}

}  // namespace

void JsonText::Value(const char* text, size_t n) {
  if (comma_ && n < kShort) {
    char buf[kShort + 1];
    buf[0] = ',';
    std::memcpy(buf + 1, text, Opaque(n));
    out_->append(buf, Opaque(n + 1));
  } else {
    if (comma_) out_->push_back(',');
    out_->append(text, n);
  }
  comma_ = true;
}

template <typename T>
void JsonText::Integer(T v) {
  char buf[24];
  buf[0] = ',';
  auto r = std::to_chars(buf + 1, buf + sizeof buf, v);
  out_->append(comma_ ? buf : buf + 1, r.ptr);
  comma_ = true;
}

void JsonText::Int64(int64_t v) { Integer(v); }
void JsonText::Uint64(uint64_t v) { Integer(v); }

void JsonText::Double(double v) {
  if (!std::isfinite(v)) return Null();
  char buf[32];
  char* end = rapidjson::internal::dtoa(v, buf);
  Value(buf, static_cast<size_t>(end - buf));
}

void JsonText::Quoted(const char* s, size_t n, char trail) {
  if (n <= kShort && Clean(s, n)) {  // the usual case: one append
    char buf[kShort + 4];
    size_t k = 0;
    if (comma_) buf[k++] = ',';
    buf[k++] = '"';
    std::memcpy(buf + k, s, Opaque(n));
    k += n;
    buf[k++] = '"';
    if (trail) buf[k++] = trail;
    out_->append(buf, Opaque(k));
    return;
  }
  Comma();
  QuotedEscaping(s, n);
  if (trail) out_->push_back(trail);
}

void JsonText::QuotedEscaping(const char* s, size_t n) {
  static const char kHex[] = "0123456789ABCDEF";
  out_->reserve(out_->size() + n + 2);
  out_->push_back('"');
  size_t i = 0, run = 0;  // s[run, i) is written as it is
  while (i < n) {
    if (n - i >= 8) {
      if (!NeedsEscape(bytes::Word(s + i))) {
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
