#include "kt/expr/value.hpp"

#include <cmath>

#include "kt/core/strings.hpp"

namespace kt::expr {

Value Value::FromJson(const rapidjson::Value& j) {
  switch (j.GetType()) {
    case rapidjson::kNullType:
      return Null();
    case rapidjson::kFalseType:
      return Bool(false);
    case rapidjson::kTrueType:
      return Bool(true);
    case rapidjson::kStringType:
      return String(View(j));
    case rapidjson::kNumberType:
      if (j.IsInt64()) return Int(j.GetInt64());
      return Double(j.GetDouble());
    default:
      return JsonRef(&j);
  }
}

size_t Value::ArraySize() const {
  if (kind_ == Kind::kList) return l_->size();
  if (kind_ == Kind::kJson && j_->IsArray()) return j_->Size();
  return 0;
}

Value Value::ArrayAt(size_t i) const {
  if (kind_ == Kind::kList) return (*l_)[i];
  return FromJson((*j_)[static_cast<rapidjson::SizeType>(i)]);
}

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kMissing:
    case Kind::kNull:
      return false;
    case Kind::kBool:
      return b_;
    case Kind::kInt:
      return i_ != 0;
    case Kind::kDouble:
      return d_ != 0.0;
    case Kind::kString:
      return !s_.empty();
    case Kind::kJson:
      return j_->IsArray() ? !j_->Empty() : j_->MemberCount() > 0;
    case Kind::kList:
      return !l_->empty();
  }
  return false;
}

namespace {

template <typename W>
void Write(const Value& v, W& w) {
  switch (v.kind()) {
    case Value::Kind::kMissing:
    case Value::Kind::kNull:
      w.Null();
      break;
    case Value::Kind::kBool:
      w.Bool(v.AsBool());
      break;
    case Value::Kind::kInt:
      w.Int64(v.AsInt());
      break;
    case Value::Kind::kDouble:
      if (std::isfinite(v.AsDouble()))
        w.Double(v.AsDouble());
      else
        w.Null();
      break;
    case Value::Kind::kString: {
      std::string scratch;
      std::string_view s = Utf8Text(v.AsString(), &scratch);
      w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
      break;
    }
    case Value::Kind::kJson:
      v.AsJson().Accept(w);
      break;
    case Value::Kind::kList:
      w.StartArray();
      for (const Value& e : v.AsList()) Write(e, w);
      w.EndArray();
      break;
  }
}
}  // namespace

void Value::AppendJson(std::string* out) const {
  StringOutStream os{out};
  rapidjson::Writer<StringOutStream> w(os);
  Write(*this, w);
}

bool Value::KeyText(std::string* out) const {
  out->clear();
  if (IsNull()) return false;
  if (IsString())
    out->assign(s_);
  else
    AppendJson(out);
  return true;
}

rapidjson::Value Value::ToJson(rapidjson::Document::AllocatorType& alloc) const {
  switch (kind_) {
    case Kind::kMissing:
    case Kind::kNull:
      return rapidjson::Value();
    case Kind::kBool:
      return rapidjson::Value(b_);
    case Kind::kInt:
      return rapidjson::Value(static_cast<int64_t>(i_));
    case Kind::kDouble:
      return std::isfinite(d_) ? rapidjson::Value(d_) : rapidjson::Value();
    case Kind::kString: {
      std::string scratch;
      std::string_view s = Utf8Text(s_, &scratch);
      return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
    }
    case Kind::kJson:
      return rapidjson::Value(*j_, alloc);
    case Kind::kList: {
      rapidjson::Value a(rapidjson::kArrayType);
      for (const Value& e : *l_) a.PushBack(e.ToJson(alloc), alloc);
      return a;
    }
  }
  return rapidjson::Value();
}

namespace {
bool NumEqual(const Value& a, const Value& b) {
  if (a.IsInt() && b.IsInt()) return a.AsInt() == b.AsInt();
  return a.AsDouble() == b.AsDouble();
}
}  // namespace

bool Equal(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return a.IsNull() && b.IsNull();
  if (a.IsNumber() && b.IsNumber()) return NumEqual(a, b);
  if (a.IsString() && b.IsString()) return a.AsString() == b.AsString();
  if (a.IsBool() && b.IsBool()) return a.AsBool() == b.AsBool();
  if (a.IsArray() && b.IsArray()) {
    if (a.ArraySize() != b.ArraySize()) return false;
    for (size_t i = 0; i < a.ArraySize(); ++i)
      if (!Equal(a.ArrayAt(i), b.ArrayAt(i))) return false;
    return true;
  }
  if (a.IsObject() && b.IsObject()) {
    const auto& x = a.AsJson();
    const auto& y = b.AsJson();
    if (x.MemberCount() != y.MemberCount()) return false;
    for (auto& m : x.GetObject()) {
      auto it = y.FindMember(m.name);
      if (it == y.MemberEnd() || !Equal(Value::FromJson(m.value), Value::FromJson(it->value))) return false;
    }
    return true;
  }
  return false;
}

bool Compare(const Value& a, const Value& b, int* cmp) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsInt() && b.IsInt()) {
      *cmp = a.AsInt() < b.AsInt() ? -1 : a.AsInt() > b.AsInt() ? 1 : 0;
      return true;
    }
    double x = a.AsDouble(), y = b.AsDouble();
    if (std::isnan(x) || std::isnan(y)) return false;
    *cmp = x < y ? -1 : x > y ? 1 : 0;
    return true;
  }
  if (a.IsString() && b.IsString()) {
    int c = a.AsString().compare(b.AsString());
    *cmp = c < 0 ? -1 : c > 0 ? 1 : 0;
    return true;
  }
  return false;
}

}  // namespace kt::expr
