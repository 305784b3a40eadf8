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
  void StartObject() { Value(), doc_->StartObject(), Push(); }
  void EndObject() { doc_->EndObject(Pop()); }
  void StartArray() { Value(), doc_->StartArray(), Push(); }
  void EndArray() { doc_->EndArray(Pop()); }

 private:
  JsonDocWriter(rapidjson::Document* doc, RawNumbers* raw) : doc_(doc), raw_(raw) {}
  // Values so far, per open object or array (their ends need the count): the first kNear
  // levels in place, deeper ones in far_ (no allocation per record for the usual depths).
  static constexpr size_t kNear = 16;
  rapidjson::SizeType& Top() { return depth_ <= kNear ? near_[depth_ - 1] : far_[depth_ - kNear - 1]; }
  void Value() {
    if (depth_ > 0) ++Top();
  }
  void Push() {
    if (depth_ < kNear)
      near_[depth_] = 0;
    else
      far_.push_back(0);
    ++depth_;
  }
  rapidjson::SizeType Pop() {
    rapidjson::SizeType n = Top();
    if (depth_-- > kNear) far_.pop_back();
    return n;
  }

  rapidjson::Document* doc_;
  RawNumbers* raw_;
  size_t depth_ = 0;
  rapidjson::SizeType near_[kNear] = {};
  std::vector<rapidjson::SizeType> far_;
  Status status_;  // a raw text that did not parse
};

// A document a decoder that can (Avro's, Protobuf's) builds beside the text it decodes to; `filled` says
// whether it did (else the reader parses the text, as before).
struct DocumentTarget {
  rapidjson::Document* doc = nullptr;
  RawNumbers* raw = nullptr;  // may be null
  // In: the caller needs no text when the document is filled (it makes the text from the bytes
  // again if it ever does: Record::value_text_from), so a decoder may build the document alone.
  bool text_optional = false;
  bool filled = false;
  bool text_skipped = false;  // out: filled, and no text written (text_optional)
};

// JsonText's interface, writing nothing: JsonTee<JsonDiscard, JsonDocWriter> builds a document
// alone, through a decoder written for the tee.
struct JsonDiscard {
  void Null() {}
  void Bool(bool) {}
  void Int(int32_t) {}
  void Uint(uint32_t) {}
  void Int64(int64_t) {}
  void Double(double) {}
  void RawValue(const char*, size_t, rapidjson::Type = rapidjson::kNumberType) {}
  void String(const char*, size_t) {}
  void String(const char*) {}
  void Key(const char*, size_t) {}
  void PreparedKey(const std::string&, std::string_view) {}
  void StartObject() {}
  void EndObject() {}
  void StartArray() {}
  void EndArray() {}
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
