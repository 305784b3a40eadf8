#include "kt/core/json.hpp"

#include "kt/core/json_reader.hpp"

namespace kt {

namespace {
// Appends to a std::string without an intermediate buffer (RapidJSON output stream concept).
}  // namespace

Status ParseJson(std::string_view text, rapidjson::Document* doc) { return ParseJsonText(text, doc); }

void AppendJson(const rapidjson::Value& v, std::string* out) {
  StringOutStream os{out};
  rapidjson::Writer<StringOutStream> w(os);
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

}  // namespace kt
