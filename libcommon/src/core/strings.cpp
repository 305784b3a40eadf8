#include "kt/core/strings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "kt/core/byte_words.hpp"

namespace kt {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.emplace_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (*b == '+') return false;
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e;
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

namespace {

// At p[i] (i < n): the length of the well-formed UTF-8 sequence that starts there (RFC 3629),
// or 0 with *bad = the length of its maximal ill-formed subpart (at least 1): a lead byte and
// the continuation bytes that could still have completed it, as Unicode's "substitution of
// maximal subparts" counts them.
size_t SequenceAt(const unsigned char* p, size_t n, size_t i, size_t* bad) {
  unsigned char c = p[i];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
  if (c >= 0xc2 && c <= 0xdf)
    len = 2;
  else if (c == 0xe0)
    len = 3, lo = 0xa0;
  else if (c >= 0xe1 && c <= 0xef)
    len = 3, hi = c == 0xed ? 0x9f : 0xbf;
  else if (c == 0xf0)
    len = 4, lo = 0x90;
  else if (c >= 0xf1 && c <= 0xf3)
    len = 4;
  else if (c == 0xf4)
    len = 4, hi = 0x8f;
  else
    return *bad = 1, 0;
  if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) return *bad = 1, 0;
  for (size_t k = 2; k < len; ++k)
    if (i + k >= n || p[i + k] < 0x80 || p[i + k] > 0xbf) return *bad = k, 0;
  return len;
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0, bad;
  while (i < n) {
    if (n - i >= 8 && bytes::AllAscii(bytes::Word(p + i))) {  // ASCII, 8 bytes at a time
      i += 8;
      continue;
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len = SequenceAt(p, n, i, &bad);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string_view Utf8Text(std::string_view s, std::string* scratch) {
  size_t i = FirstInvalidUtf8(s);
  if (i == std::string_view::npos) return s;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), bad;
  scratch->assign(s.substr(0, i));
  while (i < n) {
    size_t len = SequenceAt(p, n, i, &bad);
    if (len > 0) {
      scratch->append(s.substr(i, len));
      i += len;
    } else {
      scratch->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
      i += bad;
    }
  }
  return *scratch;
}

}  // namespace kt
