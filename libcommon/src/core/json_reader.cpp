#include "kt/core/json_reader.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/internal/dtoa.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kt/core/byte_words.hpp"
#include "kt/core/strings.hpp"

namespace kt {

namespace {

constexpr unsigned kReadFlags = rapidjson::kParseNumbersAsStringsFlag;

enum class NumKind { kInt, kUint, kDouble, kBad };

// Classifies and converts one JSON number (grammar already checked by RapidJSON).
NumKind ConvertNumber(const char* s, size_t n, int64_t* i, uint64_t* u, double* d) {
  std::string_view t(s, n);
  bool integral = t.find_first_of(".eE") == std::string_view::npos;
  if (integral) {
    if (auto [p, ec] = std::from_chars(s, s + n, *i); ec == std::errc() && p == s + n) return NumKind::kInt;
    if (t[0] != '-') {
      if (auto [p, ec] = std::from_chars(s, s + n, *u); ec == std::errc() && p == s + n)
        return NumKind::kUint;
    }
  }
  auto [p, ec] = std::from_chars(s, s + n, *d);
  if (p != s + n) return NumKind::kBad;
  if (ec == std::errc::result_out_of_range) {
    // from_chars does not say which way: strtod does (inf on overflow, 0 or a subnormal on
    // underflow, which is the nearest double and fine).
    *d = std::strtod(std::string(s, n).c_str(), nullptr);
    if (std::isinf(*d)) return NumKind::kBad;
  } else if (ec != std::errc()) {
    return NumKind::kBad;
  }
  return NumKind::kDouble;
}

// Whether `t` is a number by JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumberText(std::string_view t) {
  size_t i = 0, n = t.size();
  auto digits = [&] {
    size_t from = i;
    while (i < n && t[i] >= '0' && t[i] <= '9') ++i;
    return i > from;
  };
  if (i < n && t[i] == '-') ++i;
  if (i < n && t[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < n && t[i] == '.' && (++i, !digits())) return false;
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// Whether RapidJSON's writer prints `d` back as exactly `text` (its Writer::Double: Grisu2
// shortest digits; -0.0 and every finite double included).
bool PrintsAs(double d, std::string_view text) {
  char buf[32];
  char* end = rapidjson::internal::dtoa(d, buf);
  return std::string_view(buf, static_cast<size_t>(end - buf)) == text;
}

// Forwards SAX events to `Out`, converting numbers. Returns false (stopping the parse) on a
// number out of range or nesting deeper than kMaxJsonDepth; `why` tells the caller so.
template <typename Out>
struct NumberFixer {
  Out& out;
  RawNumbers* raw = nullptr;
  const char* why = nullptr;
  int max_depth = kMaxJsonDepth;
  int depth = 0;
  bool Enter() {
    if (++depth <= max_depth) return true;
    static_assert(kMaxJsonDepth == 1000, "the message below says 1000");
    why = "arrays and objects nested deeper than 1000 levels";
    return false;
  }
  bool Null() { return out.Null(); }
  bool Bool(bool b) { return out.Bool(b); }
  bool Int(int v) { return out.Int(v); }
  bool Uint(unsigned v) { return out.Uint(v); }
  bool Int64(int64_t v) { return out.Int64(v); }
  bool Uint64(uint64_t v) { return out.Uint64(v); }
  bool Double(double v) { return out.Double(v); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    int64_t i;
    uint64_t u;
    double d;
    switch (ConvertNumber(s, n, &i, &u, &d)) {
      case NumKind::kInt:
        return out.Int64(i);
      case NumKind::kUint:
        return out.Uint64(u);
      case NumKind::kDouble:
        if (raw && !PrintsAs(d, std::string_view(s, n))) raw->Add(d, std::string_view(s, n));
        return out.Double(d);
      case NumKind::kBad:
        break;
    }
    why = "Number too big to be stored in double.";
    return false;
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return out.String(s, n, copy); }
  bool StartObject() { return Enter() && out.StartObject(); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return out.Key(s, n, copy); }
  bool EndObject(rapidjson::SizeType n) { return --depth, out.EndObject(n); }
  bool StartArray() { return Enter() && out.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return --depth, out.EndArray(n); }
};

// `why`: the handler's reason for stopping the parse, if it did.
Status ErrorStatus(const rapidjson::ParseResult& r, const char* why) {
  if (!why) why = rapidjson::GetParseError_En(r.Code());
  return Status::DataError("invalid JSON at column " + std::to_string(r.Offset() + 1) + ": " + why);
}

// The code unit of a \u escape: four hex digits at t[at].
bool Hex4(std::string_view t, size_t at, uint32_t* cp) {
  if (at + 4 > t.size()) return false;
  auto [p, ec] = std::from_chars(t.data() + at, t.data() + at + 4, *cp, 16);
  return ec == std::errc() && p == t.data() + at + 4;
}

// Where a \u escape of a lone low surrogate (\uDC00-\uDFFF not after a high one) starts, or
// npos. RapidJSON 1.1 refuses a lone high surrogate itself but decodes a lone low one to the
// bytes ED B0-BF xx, which are no UTF-8 (no reader takes them back, ours included; later
// RapidJSON refuses them too). Text without a backslash (most records) costs one memchr.
size_t LoneLowSurrogateEscape(std::string_view t) {
  for (size_t i = t.find('\\'); i != std::string_view::npos && i + 1 < t.size(); i = t.find('\\', i)) {
    uint32_t cp;
    if (t[i + 1] != 'u' || !Hex4(t, i + 2, &cp)) {  // another escape, or a bad one RapidJSON reports
      i += 2;
      continue;
    }
    uint32_t lo;
    if (cp >= 0xD800 && cp <= 0xDBFF && t.substr(i + 6, 2) == "\\u" && Hex4(t, i + 8, &lo) && lo >= 0xDC00 &&
        lo <= 0xDFFF) {
      i += 12;  // a pair
      continue;
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) return i;
    i += 6;
  }
  return std::string_view::npos;
}

// Where the first control character other than JSON's whitespace (tab, LF, CR) is, or npos.
// None may appear raw anywhere in JSON text. RapidJSON 1.1.0 cannot be left to refuse them:
// a NUL ends its streams (a document followed by one would pass with whatever comes after it
// unread), and with RAPIDJSON_SSE2 its string scan tests "<= 0x19", so 0x1A-0x1F inside a
// string passed where they fell in an aligned 16-byte block and were refused elsewhere.
size_t FirstRawControl(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size(), i = 0;
  while (i < n) {
    if (n - i >= 8 && !bytes::HasLess(bytes::Word(p + i), 0x20)) {
      i += 8;
      continue;
    }
    auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return i;
    ++i;
  }
  return std::string_view::npos;
}

// How many bytes text starts with that are printable ASCII (0x20-0x7F) other than a backslash,
// counted 8 at a time (at least up to the first other byte's word). None of CheckBytes' three
// scans finds anything in them, and each may start after them: they end before a character,
// and outside any escape. Most records are such text whole: one pass over them instead of three
// (30 -> 18 ns a click event).
size_t PlainAsciiPrefix(std::string_view text) {
  const char* p = text.data();
  size_t n = text.size(), i = 0;
  for (; n - i >= 8; i += 8) {
    uint64_t w = bytes::Word(p + i);
    if (!bytes::AllAscii(w) || bytes::HasLess(w, 0x20) || bytes::HasByte(w, '\\')) return i;
  }
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c >= 0x80 || c == '\\') return i;
  }
  return n;
}

// The bytes themselves: UTF-8 (JSON text is; checked here, see FirstInvalidUtf8) and no raw
// control character (FirstRawControl). Columns count from the start of `text`.
Status CheckBytes(std::string_view text) {
  size_t from = PlainAsciiPrefix(text);
  if (from == text.size()) return Status::Ok();
  std::string_view rest = text.substr(from);
  if (size_t at = FirstRawControl(rest); at != std::string_view::npos) {
    std::string col = std::to_string(from + at + 1);
    if (rest[at] == '\0') return Status::DataError("invalid JSON at column " + col + ": a NUL byte");
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(rest[at])));
    return Status::DataError("invalid JSON at column " + col + ": a raw control character (" + hex +
                             "), which JSON strings must escape");
  }
  if (size_t bad = FirstInvalidUtf8(rest); bad != std::string_view::npos)
    return Status::DataError("invalid JSON at column " + std::to_string(from + bad + 1) + ": invalid UTF-8");
  if (size_t esc = LoneLowSurrogateEscape(rest); esc != std::string_view::npos)
    return Status::DataError(
        "invalid JSON at column " + std::to_string(from + esc + 1) +
        ": a \\u escape of a lone low surrogate (\\uDC00-\\uDFFF without a high one before it)");
  return Status::Ok();
}

// One reader per thread: its token stack is kept from one value to the next (a Reader made
// per call allocates it again for every record). Parse starts from an empty stack.
rapidjson::Reader& ThreadReader() {
  thread_local rapidjson::Reader reader;
  return reader;
}

template <unsigned kFlags, typename Stream>
Status ParseInto(Stream& stream, rapidjson::Document* doc, RawNumbers* raw, int wrapper_levels = 0) {
  rapidjson::ParseResult result;
  const char* why = nullptr;
  auto generator = [&](rapidjson::Document& d) {
    NumberFixer<rapidjson::Document> fixer{d, raw};
    fixer.max_depth += wrapper_levels;
    result = ThreadReader().Parse<kFlags | kReadFlags>(stream, fixer);
    why = fixer.why;
    return !result.IsError();
  };
  doc->SetNull();
  if (raw) raw->clear();
  doc->Populate(generator);
  if (result.IsError()) {
    doc->SetNull();
    return ErrorStatus(result, why);
  }
  return Status::Ok();
}

}  // namespace

Status ParseJsonText(std::string_view text, rapidjson::Document* doc, RawNumbers* raw, int wrapper_levels) {
  if (Status s = CheckBytes(text); !s.ok()) return s;
  rapidjson::MemoryStream ms(text.data(), text.size());
  return ParseInto<rapidjson::kParseDefaultFlags>(ms, doc, raw, wrapper_levels);
}

Status ParseJsonInsitu(std::string* buffer, rapidjson::Document* doc, RawNumbers* raw, bool ours) {
  if (!ours)
    if (Status s = CheckBytes(*buffer); !s.ok()) return s;
  buffer->reserve(buffer->size() + kJsonScanPad);
  rapidjson::InsituStringStream is(buffer->data());
  return ParseInto<rapidjson::kParseInsituFlag>(is, doc, raw);
}

bool JsonNumber(std::string_view text, rapidjson::Value* v, RawNumbers* raw) {
  if (!IsJsonNumberText(text)) return false;
  int64_t i;
  uint64_t u;
  double d;
  switch (ConvertNumber(text.data(), text.size(), &i, &u, &d)) {
    case NumKind::kInt:
      v->SetInt64(i);
      return true;
    case NumKind::kUint:
      v->SetUint64(u);
      return true;
    case NumKind::kDouble:
      if (raw && !PrintsAs(d, text)) raw->Add(d, text);
      v->SetDouble(d);
      return true;
    case NumKind::kBad:
      break;
  }
  return false;
}

Status ValidateJsonText(std::string_view text) {
  if (Status s = CheckBytes(text); !s.ok()) return s;
  // In situ on a copy: the SIMD string scan (no per-character copy to the reader's stack) and
  // the padding it needs; the copy is one memcpy into a buffer kept per thread.
  thread_local std::string copy;
  copy.reserve(text.size() + kJsonScanPad);
  copy.assign(text.data(), text.size());
  rapidjson::InsituStringStream is(copy.data());
  rapidjson::BaseReaderHandler<> ignore;
  NumberFixer<rapidjson::BaseReaderHandler<>> fixer{ignore};
  rapidjson::ParseResult r = ThreadReader().Parse<rapidjson::kParseInsituFlag | kReadFlags>(is, fixer);
  if (r.IsError()) return ErrorStatus(r, fixer.why);
  return Status::Ok();
}

bool FillsJsonDepth(std::string_view text) {
  if (text.size() < 2 * static_cast<size_t>(kMaxJsonDepth)) return false;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;  // the escaped character, '"' included
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth >= kMaxJsonDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

int JsonNesting(const rapidjson::Value& v, int limit) {
  if (!v.IsObject() && !v.IsArray()) return 0;
  if (limit <= 0) return 1;
  int inner = 0;
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) inner = std::max(inner, JsonNesting(m.value, limit - 1));
  } else {
    for (auto& e : v.GetArray()) inner = std::max(inner, JsonNesting(e, limit - 1));
  }
  return 1 + inner;
}

std::string_view SingleLineJson(std::string_view text, std::string* scratch) {
  if (!std::memchr(text.data(), '\n', text.size()) && !std::memchr(text.data(), '\r', text.size()))
    return text;
  scratch->clear();
  rapidjson::Document doc;
  RawNumbers raw;
  if (ParseJsonText(text, &doc, &raw).ok()) {
    AppendJson(doc, scratch, &raw);
  } else {
    scratch->assign(text);
    for (char& c : *scratch)
      if (c == '\n' || c == '\r') c = ' ';
  }
  return *scratch;
}

}  // namespace kt
