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

void WriteJson(const rapidjson::Value& v, JsonText* w, const RawNumbers* raw) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return w->Null();
    case rapidjson::kFalseType:
      return w->Bool(false);
    case rapidjson::kTrueType:
      return w->Bool(true);
    case rapidjson::kStringType:
      return w->String(v.GetString(), v.GetStringLength());
    case rapidjson::kNumberType:  // as Value::Accept tells them apart
      if (v.IsDouble()) {
        const std::string* text = raw ? raw->Find(v.GetDouble()) : nullptr;
        return text ? w->RawValue(text->data(), text->size()) : w->Double(v.GetDouble());
      }
      return v.IsInt64() ? w->Int64(v.GetInt64()) : w->Uint64(v.GetUint64());
    case rapidjson::kObjectType:
      w->StartObject();
      for (const auto& m : v.GetObject()) {
        w->Key(m.name.GetString(), m.name.GetStringLength());
        WriteJson(m.value, w, raw);
      }
      return w->EndObject();
    case rapidjson::kArrayType:
      w->StartArray();
      for (const auto& e : v.GetArray()) WriteJson(e, w, raw);
      return w->EndArray();
  }
}

void AppendJson(const rapidjson::Value& v, std::string* out, const RawNumbers* raw) {
  JsonText w(out);
  WriteJson(v, &w, raw);
}

void AppendJsonMembers(const rapidjson::Value& object, const std::vector<std::string>& names,
                       std::string* out, const RawNumbers* raw) {
  JsonText w(out);
  w.StartObject();
  for (const auto& m : object.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(names.begin(), names.end(), name) == names.end()) continue;
    w.Key(name.data(), name.size());
    WriteJson(m.value, &w, raw);
  }
  w.EndObject();
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
