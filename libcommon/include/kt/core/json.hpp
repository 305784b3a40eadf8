// RapidJSON configuration and helpers shared by every module that touches JSON.
#pragma once

#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "kt/core/status.hpp"

namespace kt {

// A RapidJSON output stream appending to a std::string (no intermediate buffer).
struct StringOutStream {
  using Ch = char;
  std::string* s;
  void Put(char c) { s->push_back(c); }
  void Flush() {}
};

// Parses `text` into `doc` (replacing its contents). On failure the message names the
// column and RapidJSON's reason. Numbers are converted exactly (see json_reader.hpp).
Status ParseJson(std::string_view text, rapidjson::Document* doc);

// Compact JSON text of `v`, appended to `out`.
void AppendJson(const rapidjson::Value& v, std::string* out);
std::string ToJson(const rapidjson::Value& v);

// The key rule (SEMANTICS.md): a string as is, a number in shortest decimal form,
// anything else as compact JSON. Null yields false (no key).
bool KeyTextFromValue(const rapidjson::Value& v, std::string* out);

inline std::string_view View(const rapidjson::Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

}  // namespace kt
