// expr::Value: what an expression evaluates to. Small and trivially copyable: strings are views
// (into the record's parsed value, the expression's literals, or the EvalContext's arena), arrays
// and objects are references into the parsed value or to a list the context owns. A Value is
// valid until the EvalContext is reset for the next record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"

namespace kt::expr {

class Value {
 public:
  // kMissing is a field that is not there: it behaves exactly like null except for exists().
  enum class Kind : uint8_t { kMissing, kNull, kBool, kInt, kDouble, kString, kJson, kList };

  Value() = default;
  static Value Missing() { return Value(Kind::kMissing); }
  static Value Null() { return Value(Kind::kNull); }
  static Value Bool(bool b) {
    Value v(Kind::kBool);
    v.b_ = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v(Kind::kInt);
    v.i_ = i;
    return v;
  }
  static Value Double(double d) {
    Value v(Kind::kDouble);
    v.d_ = d;
    return v;
  }
  // REQUIRES: `s` outlives the Value.
  static Value String(std::string_view s) {
    Value v(Kind::kString);
    v.s_ = s;
    return v;
  }
  // A JSON array or object (scalars are converted with FromJson).
  static Value JsonRef(const rapidjson::Value* j) {
    Value v(Kind::kJson);
    v.j_ = j;
    return v;
  }
  static Value List(const std::vector<Value>* l) {
    Value v(Kind::kList);
    v.l_ = l;
    return v;
  }
  // Any JSON value: scalars become Bool/Int/Double/String/Null, containers a JsonRef.
  static Value FromJson(const rapidjson::Value& j);

  Kind kind() const { return kind_; }
  bool IsNull() const { return kind_ <= Kind::kNull; }  // null or missing
  bool IsMissing() const { return kind_ == Kind::kMissing; }
  bool IsBool() const { return kind_ == Kind::kBool; }
  bool IsInt() const { return kind_ == Kind::kInt; }
  bool IsDouble() const { return kind_ == Kind::kDouble; }
  bool IsNumber() const { return kind_ == Kind::kInt || kind_ == Kind::kDouble; }
  bool IsString() const { return kind_ == Kind::kString; }
  bool IsArray() const { return kind_ == Kind::kList || (kind_ == Kind::kJson && j_->IsArray()); }
  bool IsObject() const { return kind_ == Kind::kJson && j_->IsObject(); }

  bool AsBool() const { return b_; }
  int64_t AsInt() const { return i_; }
  double AsDouble() const { return kind_ == Kind::kInt ? static_cast<double>(i_) : d_; }
  std::string_view AsString() const { return s_; }
  const rapidjson::Value& AsJson() const { return *j_; }
  const std::vector<Value>& AsList() const { return *l_; }

  // Array elements / object size, for kJson arrays and kList.
  size_t ArraySize() const;
  Value ArrayAt(size_t i) const;

  // false, null, 0, "", [] and {} are false; everything else is true.
  bool Truthy() const;

  // Compact JSON text (strings quoted); "null" for null/missing. JSON holds UTF-8 text only: a
  // string from bytes that are not (a binary @key or header) is written with U+FFFD in their
  // place (Utf8Text), here and in ToJson.
  void AppendJson(std::string* out) const;
  // The key rule: a string as is, a number in its JSON form, anything else compact JSON.
  // Returns false for null/missing.
  bool KeyText(std::string* out) const;
  // A rapidjson copy (strings copied with `alloc`).
  rapidjson::Value ToJson(rapidjson::Document::AllocatorType& alloc) const;

 private:
  explicit Value(Kind k) : kind_(k) {}
  Kind kind_ = Kind::kNull;
  union {
    bool b_;
    int64_t i_;
    double d_ = 0;
    const rapidjson::Value* j_;
    const std::vector<Value>* l_;
  };
  std::string_view s_;
};

// == semantics: same type and value, numbers compare numerically (1 == 1.0), null == null,
// arrays and objects deeply.
bool Equal(const Value& a, const Value& b);
// Three-way ordering for numbers with numbers and strings with strings; false when the pair is
// not comparable (null, mixed types). *cmp is <0, 0 or >0.
bool Compare(const Value& a, const Value& b, int* cmp);

}  // namespace kt::expr
