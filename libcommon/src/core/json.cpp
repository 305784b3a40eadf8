#include "kt/core/json.hpp"

#include <rapidjson/prettywriter.h>

#include <algorithm>
#include <cstring>

#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"

namespace kt {

namespace {

uint64_t Bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

}  // namespace

void RawNumbers::Add(double value, std::string_view text) {
  if (!Find(value)) texts_.emplace_back(Bits(value), std::string(text));
}

void RawNumbers::AddAll(const RawNumbers* other) {
  if (!other) return;
  for (const auto& entry : other->texts_) {
    uint64_t bits = entry.first;
    if (std::none_of(texts_.begin(), texts_.end(), [bits](const auto& t) { return t.first == bits; }))
      texts_.push_back(entry);
  }
}

const RawNumbers* CombineRawNumbers(const RawNumbers* a, const RawNumbers* b, RawNumbers* scratch) {
  if (!b || b->empty()) return a;
  if (!a || a->empty()) return b;
  scratch->clear();
  scratch->AddAll(a);
  scratch->AddAll(b);
  return scratch;
}

const std::string* RawNumbers::Find(double value) const {
  uint64_t b = Bits(value);
  for (auto& [bits, text] : texts_)
    if (bits == b) return &text;
  return nullptr;
}

Status ParseJson(std::string_view text, rapidjson::Document* doc) { return ParseJsonText(text, doc); }

void AppendJson(const rapidjson::Value& v, std::string* out, const RawNumbers* raw) {
  StringOutStream os{out};
  if (raw && !raw->empty()) {
    ExactWriter<rapidjson::Writer<StringOutStream>> w(os, raw);
    v.Accept(w);
    return;
  }
  rapidjson::Writer<StringOutStream> w(os);
  v.Accept(w);
}

namespace {

// The braces, commas and colons are written here and every name and value by a writer of its
// own: a writer allocates its stack on its first object, and a flat record then needs none.
template <typename W, typename... A>
void WriteMembers(const rapidjson::Value& object, const std::vector<std::string>& names, std::string* out,
                  A... writer_args) {
  StringOutStream os{out};
  out->push_back('{');
  bool first = true;
  for (const auto& m : object.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    if (!first) out->push_back(',');
    first = false;
    W(os, writer_args...).String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    out->push_back(':');
    W w(os, writer_args...);
    m.value.Accept(w);
  }
  out->push_back('}');
}

}  // namespace

void AppendJsonMembers(const rapidjson::Value& object, const std::vector<std::string>& names,
                       std::string* out, const RawNumbers* raw) {
  if (raw && !raw->empty())
    WriteMembers<ExactWriter<rapidjson::Writer<StringOutStream>>>(object, names, out, raw);
  else
    WriteMembers<rapidjson::Writer<StringOutStream>>(object, names, out);
}

void AppendPrettyJson(const rapidjson::Value& v, std::string* out, const RawNumbers* raw) {
  StringOutStream os{out};
  RawNumbers none;
  ExactWriter<rapidjson::PrettyWriter<StringOutStream>> w(os, raw ? raw : &none);
  w.SetIndent(' ', 2);
  v.Accept(w);
}

std::string ToJson(const rapidjson::Value& v) {
  std::string s;
  AppendJson(v, &s);
  return s;
}

bool KeyTextFromValue(const rapidjson::Value& v, std::string* out) {
  out->clear();
  if (v.IsNull()) return false;
  if (v.IsString()) {
    out->assign(v.GetString(), v.GetStringLength());
    return true;
  }
  AppendJson(v, out);  // numbers come out in shortest form; containers compact
  return true;
}

const char* JsonKind(const rapidjson::Value& v) {
  // Indexed by rapidjson::Type: null, false, true, object, array, string, number.
  static const char* const kKinds[] = {"null",     "a boolean", "a boolean", "an object",
                                       "an array", "a string",  "a number"};
  return kKinds[v.GetType()];
}

const char* JsonTypeName(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
    case rapidjson::kStringType:
      return "string";
    case rapidjson::kNumberType:
      return "number";
  }
  return "null";
}

std::string QuoteJson(std::string_view s) {
  std::string out, scratch;
  s = Utf8Text(s, &scratch);
  AppendJson(rapidjson::Value(rapidjson::StringRef(s.data(), s.size())), &out);
  return out;
}

}  // namespace kt
