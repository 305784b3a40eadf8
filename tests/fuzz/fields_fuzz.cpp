// libFuzzer target for dotted field paths and setting fields (codec/json_path.hpp: kmap --set,
// kscore's field) and for config files' properties (kafka/config.hpp: -F, profiles). Input: lines;
// the first is a field path, the second a record value and the third a value to set there (JSON),
// and the whole input is also read as a config file. Checked: no crash or sanitizer report; a path
// that parses is its fields joined by '.', none empty, at most kMaxJsonDepth; setting a value
// either is refused (a DataError, the record unchanged) or leaves a record that is written as
// JSON that reads back, with the value found at the path; a config file's properties have
// names and values without surrounding blanks, and a name is never empty.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kt/codec/json_path.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/kafka/config.hpp"

namespace {

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

void CheckSet(std::string_view path_text, std::string_view record, std::string_view value_text) {
  auto path = kt::ParseFieldPath(path_text);
  if (!path.ok()) {
    if (!path.status().IsInvalidArgument()) __builtin_trap();
    return;
  }
  std::string joined;
  for (const std::string& f : *path) {
    if (f.empty()) __builtin_trap();
    joined += (joined.empty() ? "" : ".") + f;
  }
  if (joined != path_text || path->size() > static_cast<size_t>(kt::kMaxJsonDepth)) __builtin_trap();
  rapidjson::Document doc, value;
  if (!kt::ParseJson(record, &doc).ok() || !kt::ParseJson(value_text, &value).ok()) return;
  std::string before = kt::ToJson(doc), want = kt::ToJson(value);
  rapidjson::Value moved;
  moved.CopyFrom(value, doc.GetAllocator());
  kt::Status s = kt::SetField(&doc, *path, std::move(moved));
  if (!s.ok()) {
    if (!s.IsDataError() || kt::ToJson(doc) != before) __builtin_trap();
    return;
  }
  std::string after = kt::ToJson(doc);
  rapidjson::Document back;
  if (!kt::ParseJson(after, &back).ok()) __builtin_trap();  // a record no reader takes
  const rapidjson::Value* at = &back;
  for (const std::string& f : *path) {
    if (!at->IsObject()) __builtin_trap();
    auto m = kt::FindName(*at, f);
    if (m == at->MemberEnd()) __builtin_trap();
    at = &m->value;
  }
  if (kt::ToJson(*at) != want) __builtin_trap();
}

void CheckProperties(std::string_view text) {
  auto props = kt::ParseProperties(text, "fuzz.conf");
  if (!props.ok()) {
    if (!props.status().IsInvalidArgument()) __builtin_trap();
    return;
  }
  for (const auto& [name, value] : *props) {
    if (name.empty() || Blank(name.front()) || Blank(name.back())) __builtin_trap();
    if (!value.empty() && (Blank(value.front()) || Blank(value.back()))) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t a = in.find('\n');
  size_t b = a == std::string_view::npos ? a : in.find('\n', a + 1);
  std::string_view path = in.substr(0, a);
  std::string_view record =
      a == std::string_view::npos ? std::string_view("{}") : in.substr(a + 1, b - a - 1);
  std::string_view value = b == std::string_view::npos ? std::string_view("1") : in.substr(b + 1);
  CheckSet(path, record, value);
  CheckProperties(in);
  return 0;
}
