// One top-level field of a JSON object, found by scanning the text instead of parsing it: what a
// run in place needs to know of a record before it is its turn to be parsed (the partition of its
// --by key; app/in_place.hpp). Where it answers, the answer is the parser's; what it cannot tell
// exactly it declines.
#pragma once

#include <string_view>

namespace kt {

// The value of the member `name` of the JSON object `json`, when it is a string without escapes
// or control characters: its bytes, as the parser gives them (ParseJsonText; the expression
// `name` reads that string). False when `json` is no object, has no such member, has it more than
// once, its value is anything else, or a member name has an escape (it may spell `name`). Text
// that is no valid JSON may still give an answer: the parser refuses it (a bad record, which has
// no field at all).
bool ScanPlainStringField(std::string_view json, std::string_view name, std::string_view* value);

}  // namespace kt
