// Small string helpers shared by libcommon and the tools.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kt {

std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
// Splits on `sep`; keeps empty fields.
std::vector<std::string> Split(std::string_view s, char sep);
// Splits text into lines on '\n' (a trailing '\r' is kept out); no final empty line.
std::vector<std::string_view> SplitLines(std::string_view text);
// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);
// Parses the whole string as a base-10 int64 / finite double.
bool ParseInt64(std::string_view s, int64_t* out);
bool ParseDouble(std::string_view s, double* out);
// The offset of the first byte of `s` that is not well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, at most U+10FFFF), or npos. RapidJSON 1.1.0's own validation (reader and
// writer) reads past the end of text that stops inside a sequence, so ktools checks here.
size_t FirstInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FirstInvalidUtf8(s) == std::string_view::npos; }
// `s` as UTF-8 text: `s` itself when it is well-formed, else a copy in *scratch with each
// ill-formed sequence (its maximal subpart) replaced by U+FFFD, as Java's String decoding does
// with the bytes of a Kafka key. For text ktools shows or derives in JSON (a table's "key"
// field, an expression string); never for bytes that must survive a round trip.
std::string_view Utf8Text(std::string_view s, std::string* scratch);

}  // namespace kt
