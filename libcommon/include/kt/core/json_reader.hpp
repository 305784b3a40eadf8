// JSON parsing for record values.
//
// RapidJSON 1.1.0's full-precision number parser (kParseFullPrecisionFlag) has undefined
// behaviour for numbers with a zero significand and a large exponent ("0e81",
// "0.0000000000000000000000000"): DiyFp::Normalize calls clz(0) (found by scripts/fuzz). We
// let RapidJSON check the grammar and hand us each number as text (kParseNumbersAsStringsFlag),
// and convert it with std::from_chars, which is correctly rounded: integers that fit int64 (or
// uint64) stay integers, everything else becomes the nearest double; out-of-range numbers are
// errors, as they are for RapidJSON. A number whose double would print differently from its
// text (too many digits, 1.50, 1e3, integers past 64 bits) has its text recorded in `raw`
// (RawNumbers), so writers can give it back unchanged.
//
// Strict input: strings must be valid UTF-8, and the document must be the whole text (a NUL
// byte, even after a complete document, is an error: it would hide trailing bytes). Arrays and
// objects nest at most kMaxJsonDepth deep: RapidJSON's parser, its writers and document copies
// recurse once per level, and one value of 200,000 '[' overflowed the stack of every tool that
// read it, again on every restart.
#pragma once

#include <string>
#include <string_view>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

// Jackson's default (StreamReadConstraints.maxNestingDepth), so that what a Java consumer takes,
// ktools takes.
inline constexpr int kMaxJsonDepth = 1000;

// Parses `text` into `doc`, replacing its contents; strings are copied into doc's allocator.
// `wrapper_levels`: levels of a wrapper around the values the depth limit is for (an envelope
// {"value": V, ...} is 1), so V may nest kMaxJsonDepth deep inside it.
Status ParseJsonText(std::string_view text, rapidjson::Document* doc, RawNumbers* raw = nullptr,
                     int wrapper_levels = 0);
// Parses the text held in `*buffer` in place: strings in `doc` point into it, so it must outlive
// `doc`'s current contents unchanged. The buffer's spare capacity is grown to kJsonScanPad
// bytes: RapidJSON's SIMD scanners (RAPIDJSON_SSE2) read whole aligned 16-byte blocks, up to
// 15 bytes past the terminating NUL. `ours`: the text was written by JsonText from checked
// strings (the avro and protobuf decoders), so its bytes are known good (UTF-8, no raw NUL, no
// \u escape of a surrogate) and are not scanned again.
Status ParseJsonInsitu(std::string* buffer, rapidjson::Document* doc, RawNumbers* raw = nullptr,
                       bool ours = false);
inline constexpr size_t kJsonScanPad = 16;
// One JSON number's text as ParseJsonText converts it into `*v` (an integer when it fits int64
// or uint64, else the nearest double), with its text added to `raw` (may be null) when that
// value would print differently. False, `*v` unchanged, when `text` is no JSON number or out of
// range.
bool JsonNumber(std::string_view text, rapidjson::Value* v, RawNumbers* raw);
// Checks that `text` is exactly one JSON value, without building a document.
Status ValidateJsonText(std::string_view text);
// Whether valid JSON `text` nests arrays and objects kMaxJsonDepth deep, so that no array or
// object can be put around it (a join's {"left": ...}, a batch's [...]) without the result being
// refused by every reader, ours and Jackson. Text under 2 * kMaxJsonDepth bytes cannot, and is
// not scanned.
bool FillsJsonDepth(std::string_view text);
// How deep `v` nests arrays and objects (a scalar 0, [] 1, [{}] 2), counted up to `limit` + 1:
// whether it fits where a value may nest `limit` levels. Recurses once per level counted.
int JsonNesting(const rapidjson::Value& v, int limit = kMaxJsonDepth);
// JSON `text` on one line, for line-oriented output (NDJSON, envelopes): `text` itself when it
// holds no line break (the common case: no copy, numbers and spacing as written), else the
// value written again compactly into `*scratch` (numbers still as written). Line breaks in
// valid JSON are whitespace between tokens; text that does not parse has them replaced by
// spaces.
std::string_view SingleLineJson(std::string_view text, std::string* scratch);

}  // namespace kt
