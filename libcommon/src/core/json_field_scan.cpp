#include "kt/core/json_field_scan.hpp"

#include <cstring>

#include "kt/core/json_reader.hpp"

namespace kt {

namespace {

// What ends a scalar (a number, true, false, null): white space, a separator, a closing bracket,
// or a NUL byte (which the parser refuses anywhere).
constexpr bool IsDelimiter(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '}' || c == ']' || c == '\0';
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  char Peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  size_t pos() const { return i_; }
  bool AtEnd() const { return i_ >= s_.size(); }
  void Advance() { ++i_; }
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  // A string whose opening quote is the next byte; *plain: it has no escape. False when it does
  // not end.
  bool String(std::string_view* text, bool* plain) {
    const char* begin = s_.data() + i_ + 1;
    const char* end = s_.data() + s_.size();
    const char* q = begin;
    *plain = true;
    for (;;) {
      if (q >= end) return false;
      auto* quote = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
      if (!quote) return false;
      auto* escape = static_cast<const char*>(std::memchr(q, '\\', static_cast<size_t>(quote - q)));
      if (!escape) {
        *text = std::string_view(begin, static_cast<size_t>(quote - begin));
        i_ = static_cast<size_t>(quote + 1 - s_.data());
        return true;
      }
      *plain = false;
      q = escape + 2;  // the escaped byte may be a quote
    }
  }
  // Any value: a string, an object or array (strings inside them skipped as strings), or a
  // scalar (up to the next delimiter; the parser checks its spelling).
  bool Value() {
    char c = Peek();
    std::string_view text;
    bool plain;
    if (c == '"') return String(&text, &plain);
    if (c != '{' && c != '[') {
      size_t from = i_;
      while (i_ < s_.size() && !IsDelimiter(s_[i_])) ++i_;
      return i_ > from;
    }
    int depth = 0;
    while (i_ < s_.size()) {
      c = s_[i_];
      if (c == '"') {
        if (!String(&text, &plain)) return false;
        continue;
      }
      if (c == '{' || c == '[') {
        if (++depth > kMaxJsonDepth) return false;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++i_;
          return true;
        }
      }
      ++i_;
    }
    return false;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

bool ScanPlainStringField(std::string_view json, std::string_view name, std::string_view* value) {
  Scanner s(json);
  s.SkipSpace();
  if (s.Peek() != '{') return false;
  s.Advance();
  s.SkipSpace();
  if (s.Peek() == '}') return false;
  bool found = false;
  for (;;) {
    std::string_view member, text;
    bool plain;
    if (s.Peek() != '"' || !s.String(&member, &plain) || !plain) return false;
    s.SkipSpace();
    if (s.Peek() != ':') return false;
    s.Advance();
    s.SkipSpace();
    if (member == name) {
      if (found || s.Peek() != '"' || !s.String(&text, &plain) || !plain) return false;
      for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20) return false;
      *value = text;
      found = true;
    } else if (!s.Value()) {
      return false;
    }
    s.SkipSpace();
    if (s.Peek() == ',') {
      s.Advance();
      s.SkipSpace();
      continue;
    }
    if (s.Peek() != '}') return false;
    s.Advance();
    break;
  }
  s.SkipSpace();
  return found && s.AtEnd();
}

}  // namespace kt
