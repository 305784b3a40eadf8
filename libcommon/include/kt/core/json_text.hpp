// JsonText: JSON text written straight into a std::string, for the decoders that turn a binary
// format into the JSON tools see (avro, protobuf, CSV rows). Not rapidjson's
// Writer<StringBuffer>: with RAPIDJSON_SSE2 (as libcommon builds) rapidjson 1.1.0 writes the
// bytes 0x1A-0x1F raw inside strings (its vector test is "<= 0x19"), which is invalid JSON. The subset of
// rapidjson::Writer's interface they use, with no state beyond "a comma is due": the caller writes a
// well-formed sequence (keys inside objects, one value after each key), and strings must be valid UTF-8
// already (the decoders check them; this only escapes). Escapes as rapidjson's Writer does: \" \\ \b \f \n \r
// \t, other control characters as \u00XX, everything else as it is.
#pragma once

#include <rapidjson/rapidjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kt {

class JsonText {
 public:
  // Appends to *out, which the caller owns and keeps alive while this writes.
  explicit JsonText(std::string* out) : out_(out) {}

  void Null() { Value("null", 4); }
  void Bool(bool b) { b ? Value("true", 4) : Value("false", 5); }
  void Int(int32_t v) { Int64(v); }
  void Uint(uint32_t v) { Int64(v); }
  void Int64(int64_t v);
  void Uint64(uint64_t v);
  // As rapidjson's Writer::Double writes it (Grisu2, its shortest form); NaN and infinities,
  // which JSON cannot hold, as null.
  void Double(double v);
  // JSON text of one value, written as it is (a number's shortest form, a nested document).
  void RawValue(const char* text, size_t n, rapidjson::Type /*kind*/ = rapidjson::kNumberType) {
    Value(text, n);
  }
  void String(const char* s, size_t n) {
    Quoted(s, n, 0);
    comma_ = true;
  }
  void String(const char* s) { String(s, std::strlen(s)); }
  void Key(const char* s, size_t n) {
    Quoted(s, n, ':');
    comma_ = false;
  }
  // A key as PrepareKey wrote it, for names used again and again (a schema's fields).
  static std::string PrepareKey(const std::string& name) {
    std::string key;
    JsonText w(&key);
    w.comma_ = true;
    w.Key(name.data(), name.size());
    return key;  // ,"name":
  }
  void PreparedKey(const std::string& key) {
    out_->append(key, comma_ ? 0 : 1, std::string::npos);
    comma_ = false;
  }
  // The same, as a decoder written for JsonDocWriter too calls it (which takes the name).
  void PreparedKey(const std::string& key, std::string_view /*name*/) { PreparedKey(key); }
  void StartObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void StartArray() { Open('['); }
  void EndArray() { Close(']'); }

 private:
  void Comma() {
    if (comma_) out_->push_back(',');
  }
  // Each write is one append where it can be (a comma, the text and what closes it together):
  // std::string's push_back and append are calls, and a record is dozens of small writes.
  void Value(const char* text, size_t n);
  template <typename T>
  void Integer(T v);  // a comma when due and v, in one append
  void Open(char c) {
    if (comma_)
      out_->append({',', c});
    else
      out_->push_back(c);
    comma_ = false;
  }
  void Close(char c) {
    out_->push_back(c);
    comma_ = true;
  }
  // A comma when due, s quoted, then `trail` unless it is 0.
  void Quoted(const char* s, size_t n, char trail);
  void QuotedEscaping(const char* s, size_t n);

  std::string* out_;
  bool comma_ = false;
};

}  // namespace kt
