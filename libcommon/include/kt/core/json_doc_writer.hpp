// JsonDocWriter: JsonText's interface (core/json_text.hpp), building a rapidjson::Document
// instead of text: the very document ParseJsonInsitu would make of JsonText's output (numbers
// converted as json_reader does, with the texts of those that print differently in RawNumbers;
// NaN and infinities as null). JsonTee writes both at once, so a binary decoder whose record
// the Runner reads (an Avro value filtered by an expression) builds the document in the same
// pass as the text, and the text is not parsed again.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt {

class JsonDocWriter {
 public:
  // Fills `*doc` (and `*raw`, cleared first; may be null) with what `write(JsonDocWriter&)`
  // writes, when it returns an ok Status; else `*doc` is null and that Status is returned.
  template <typename Write>
  static Status Build(rapidjson::Document* doc, RawNumbers* raw, Write write) {
    if (raw) raw->clear();
    Status s;
    auto generator = [&](rapidjson::Document& d) {
      JsonDocWriter w(&d, raw);
      s = write(w);
      if (s.ok()) s = w.status_;
      return s.ok();
    };
    doc->SetNull();
    doc->Populate(generator);
    if (!s.ok()) doc->SetNull();
    return s;
  }

  void Null() { Value(), doc_->Null(); }
  void Bool(bool b) { Value(), doc_->Bool(b); }
  void Int(int32_t v) { Int64(v); }
  void Uint(uint32_t v) { Int64(v); }
  void Int64(int64_t v) { Value(), doc_->Int64(v); }
  void Double(double v);
  // One value's JSON text: a number as JsonText would print it, or (kind not a number) any
  // JSON value, such as a schema's default.
  void RawValue(const char* text, size_t n, rapidjson::Type kind = rapidjson::kNumberType);
  // Out of line: inlined with a constant length, GCC 12 warns of an overflow in RapidJSON's
  // short-string copy that cannot happen (-Wstringop-overflow).
  void String(const char* s, size_t n);
  void String(const char* s) { String(s, std::strlen(s)); }
  void Key(const char* s, size_t n) { doc_->Key(s, static_cast<rapidjson::SizeType>(n), true); }
  // JsonText's prepared form of `name` is for text only: the document takes the name.
  void PreparedKey(const std::string& /*key*/, std::string_view name) { Key(name.data(), name.size()); }
  void StartObject() { Value(), doc_->StartObject(), counts_.push_back(0); }
  void EndObject() { doc_->EndObject(Pop()); }
  void StartArray() { Value(), doc_->StartArray(), counts_.push_back(0); }
  void EndArray() { doc_->EndArray(Pop()); }

 private:
  JsonDocWriter(rapidjson::Document* doc, RawNumbers* raw) : doc_(doc), raw_(raw) {}
  // Counts a value of the object or array being written: their ends need the count.
  void Value() {
    if (!counts_.empty()) ++counts_.back();
  }
  rapidjson::SizeType Pop() {
    rapidjson::SizeType n = counts_.back();
    counts_.pop_back();
    return n;
  }

  rapidjson::Document* doc_;
  RawNumbers* raw_;
  std::vector<rapidjson::SizeType> counts_;  // values so far, per open object or array
  Status status_;                            // a raw text that did not parse
};

// A document a decoder that can (Avro's, Protobuf's) builds beside the text it decodes to; `filled` says
// whether it did (else the reader parses the text, as before).
struct DocumentTarget {
  rapidjson::Document* doc = nullptr;
  RawNumbers* raw = nullptr;  // may be null
  bool filled = false;
};

// Every write to two writers (JsonText and JsonDocWriter), which the caller owns.
template <typename A, typename B>
class JsonTee {
 public:
  JsonTee(A* a, B* b) : a_(a), b_(b) {}
  void Null() { a_->Null(), b_->Null(); }
  void Bool(bool v) { a_->Bool(v), b_->Bool(v); }
  void Int(int32_t v) { a_->Int(v), b_->Int(v); }
  void Uint(uint32_t v) { a_->Uint(v), b_->Uint(v); }
  void Int64(int64_t v) { a_->Int64(v), b_->Int64(v); }
  void Double(double v) { a_->Double(v), b_->Double(v); }
  void RawValue(const char* t, size_t n, rapidjson::Type k = rapidjson::kNumberType) {
    a_->RawValue(t, n, k), b_->RawValue(t, n, k);
  }
  void String(const char* s, size_t n) { a_->String(s, n), b_->String(s, n); }
  void String(const char* s) { String(s, std::strlen(s)); }
  void Key(const char* s, size_t n) { a_->Key(s, n), b_->Key(s, n); }
  void PreparedKey(const std::string& key, std::string_view name) {
    a_->PreparedKey(key, name), b_->PreparedKey(key, name);
  }
  void StartObject() { a_->StartObject(), b_->StartObject(); }
  void EndObject() { a_->EndObject(), b_->EndObject(); }
  void StartArray() { a_->StartArray(), b_->StartArray(); }
  void EndArray() { a_->EndArray(), b_->EndArray(); }

 private:
  A* a_;
  B* b_;
};

}  // namespace kt
