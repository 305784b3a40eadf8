// RapidJSON configuration and helpers shared by every module that touches JSON.
#pragma once

#ifndef RAPIDJSON_HAS_STDSTRING
#define RAPIDJSON_HAS_STDSTRING 1
#endif
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kt/core/json_text.hpp"
#include "kt/core/status.hpp"

namespace kt {

// The exact text of numbers whose value alone would print differently: a number a tool does
// not change keeps its text (123456789012345678901234567890 stays so, not 1.2345678901234568e29;
// 3.14159265358979323846 and 1.50 too). Reading a record collects the texts of the numbers
// that do not print back the same, keyed by their double's bits; writing JSON with the table
// prints a double with a recorded text as that text. Keyed by value, not by position, so a
// field keeps its text however the document is reshaped (fields dropped, renamed, moved).
class RawNumbers {
 public:
  void Add(double value, std::string_view text);
  // The recorded text of `value`, or null.
  const std::string* Find(double value) const;
  bool empty() const { return texts_.empty(); }
  void clear() { texts_.clear(); }
  // Adds the texts of `other` (null: none) this table lacks.
  void AddAll(const RawNumbers* other);

 private:
  std::vector<std::pair<uint64_t, std::string>> texts_;  // few: most numbers print back as read
};

// The texts to write a value whose numbers come from two sources (an aggregate's state and the
// record folded into it): `a` or `b` itself when the other has none (the usual case: no copy),
// else both merged into `*scratch`, `a`'s text winning.
const RawNumbers* CombineRawNumbers(const RawNumbers* a, const RawNumbers* b, RawNumbers* scratch);

// A RapidJSON output stream appending to a std::string (no intermediate buffer).
struct StringOutStream {
  using Ch = char;
  std::string* s;
  void Put(char c) { s->push_back(c); }
  void Flush() {}
};

// A RapidJSON writer that writes recorded number texts (Value::Accept calls the handler's
// Double by name, so hiding the base's is enough). `raw` must outlive the writer.
template <typename Base>
struct ExactWriter : Base {
  ExactWriter(StringOutStream& os, const RawNumbers* raw) : Base(os), raw(raw) {}
  bool Double(double d) {
    if (const std::string* t = raw->Find(d))
      return Base::RawValue(t->data(), t->size(), rapidjson::kNumberType);
    return Base::Double(d);
  }
  const RawNumbers* raw;
};

// Parses `text` into `doc` (replacing its contents). On failure the message names the
// column and RapidJSON's reason. Numbers are converted exactly (see json_reader.hpp).
Status ParseJson(std::string_view text, rapidjson::Document* doc);

// Compact JSON text of `v`, appended to `out`; doubles with a text in `raw` are written as it.
// The same text as rapidjson's Writer (ExactWriter) writes, one append per value (JsonText), not
// one push_back per character.
void AppendJson(const rapidjson::Value& v, std::string* out, const RawNumbers* raw = nullptr);
// The same, as the next value of `w` (a member's value after its Key, an array's element).
void WriteJson(const rapidjson::Value& v, JsonText* w, const RawNumbers* raw = nullptr);
// The members of `object` named in `names` (in the object's order; the others left out) as a
// compact JSON object, appended to `out`; numbers as AppendJson writes them.
void AppendJsonMembers(const rapidjson::Value& object, const std::vector<std::string>& names,
                       std::string* out, const RawNumbers* raw = nullptr);
// The same, indented (kconsume --pretty).
void AppendPrettyJson(const rapidjson::Value& v, std::string* out, const RawNumbers* raw = nullptr);
std::string ToJson(const rapidjson::Value& v);

// obj's member named `name` (REQUIRES: obj is an object), compared by the name's length: given
// rapidjson::StringRef(data, size), FindMember takes it as a const char* and the name ends at
// its first NUL ("a\u0000b" found "a").
inline rapidjson::Value::MemberIterator FindName(rapidjson::Value& obj, std::string_view name) {
  const rapidjson::Value key(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
  return obj.FindMember(key);
}
inline rapidjson::Value::ConstMemberIterator FindName(const rapidjson::Value& obj, std::string_view name) {
  const rapidjson::Value key(
      rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
  return obj.FindMember(key);
}
// The value of obj's member named `name`; nullptr when obj is not an object or has no such member.
// Owned by obj, valid while obj's members are neither added nor removed.
inline rapidjson::Value* FindValue(rapidjson::Value& obj, std::string_view name) {
  if (!obj.IsObject()) return nullptr;
  auto m = FindName(obj, name);
  return m == obj.MemberEnd() ? nullptr : &m->value;
}
inline const rapidjson::Value* FindValue(const rapidjson::Value& obj, std::string_view name) {
  if (!obj.IsObject()) return nullptr;
  auto m = FindName(obj, name);
  return m == obj.MemberEnd() ? nullptr : &m->value;
}

// The key rule (SEMANTICS.md): a string as is, a number in shortest decimal form,
// anything else as compact JSON. Null yields false (no key).
bool KeyTextFromValue(const rapidjson::Value& v, std::string* out);

// The JSON type of `v`: null, boolean, object, array, string, number.
const char* JsonTypeName(const rapidjson::Value& v);
// The same as a phrase for messages: "a string", "an object", "null".
const char* JsonKind(const rapidjson::Value& v);

// `s` as a JSON string literal, quotes included; bytes that are not UTF-8 become U+FFFD
// (Utf8Text): for text shown, not for bytes that must survive a round trip.
std::string QuoteJson(std::string_view s);

inline std::string_view View(const rapidjson::Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

}  // namespace kt
