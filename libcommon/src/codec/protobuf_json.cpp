#include "protobuf_json.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "kt/codec/base64.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_text.hpp"
#include "kt/core/strings.hpp"

namespace kt::proto {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

namespace {

using Writer = JsonText;  // straight into the output string

class Printer {
 public:
  Printer(pb::util::TypeResolver* resolver, Writer* w) : resolver_(resolver), w_(w) {}

  Status Message(const pb::Message& m) {
    const pb::Descriptor* d = m.GetDescriptor();
    if (d->well_known_type() != pb::Descriptor::WELLKNOWNTYPE_UNSPECIFIED) return WellKnown(m);
    const pb::Reflection* r = m.GetReflection();
    w_->StartObject();
    for (int i = 0; i < d->field_count(); ++i) {
      const FD* f = d->field(i);
      if (!f->is_repeated() && f->has_presence() && !r->HasField(m, f)) continue;
      w_->Key(f->name().data(), static_cast<rapidjson::SizeType>(f->name().size()));
      Status s = f->is_map() ? Map(m, f) : f->is_repeated() ? Repeated(m, f) : Singular(m, f);
      if (!s.ok()) return s;
    }
    w_->EndObject();
    return Status::Ok();
  }

 private:
  Status Repeated(const pb::Message& m, const FD* f) {
    const pb::Reflection* r = m.GetReflection();
    w_->StartArray();
    for (int j = 0, n = r->FieldSize(m, f); j < n; ++j)
      if (Status s = Value(m, f, j); !s.ok()) return s;
    w_->EndArray();
    return Status::Ok();
  }

  // A map is a repeated field of entries (key = 1, value = 2); JSON keys are strings. A key the
  // wire gives twice is there twice in a parsed message's entries (a dynamic message keeps them
  // as they came): the last one wins, as the protobuf spec says a parser must do, printed where
  // it came. Printing both made a JSON object with one name twice.
  Status Map(const pb::Message& m, const FD* f) {
    const pb::Reflection* r = m.GetReflection();
    const FD* value = f->message_type()->map_value();
    int n = r->FieldSize(m, f);
    std::vector<std::string> keys(static_cast<size_t>(n));
    std::unordered_map<std::string_view, int> last;
    for (int j = 0; j < n; ++j) {
      if (Status s = MapKey(r->GetRepeatedMessage(m, f, j), f, &keys[static_cast<size_t>(j)]); !s.ok())
        return s;
      last[keys[static_cast<size_t>(j)]] = j;
    }
    w_->StartObject();
    for (int j = 0; j < n; ++j) {
      const std::string& k = keys[static_cast<size_t>(j)];
      if (last[k] != j) continue;
      w_->Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      if (Status s = Singular(r->GetRepeatedMessage(m, f, j), value); !s.ok()) return s;
    }
    w_->EndObject();
    return Status::Ok();
  }

  // The JSON name of map `f`'s `entry`: its key as text.
  Status MapKey(const pb::Message& entry, const FD* f, std::string* k) {
    const FD* key = f->message_type()->map_key();
    const pb::Reflection* er = entry.GetReflection();
    switch (key->cpp_type()) {
      case FD::CPPTYPE_STRING:
        *k = er->GetString(entry, key);
        return IsValidUtf8(*k) ? Status::Ok() : NotUtf8(f);
      case FD::CPPTYPE_BOOL:
        *k = er->GetBool(entry, key) ? "true" : "false";
        break;
      case FD::CPPTYPE_INT32:
        *k = std::to_string(er->GetInt32(entry, key));
        break;
      case FD::CPPTYPE_INT64:
        *k = std::to_string(er->GetInt64(entry, key));
        break;
      case FD::CPPTYPE_UINT32:
        *k = std::to_string(er->GetUInt32(entry, key));
        break;
      default:
        *k = std::to_string(er->GetUInt64(entry, key));
        break;
    }
    return Status::Ok();
  }

  Status Singular(const pb::Message& m, const FD* f) { return Value(m, f, -1); }

  // Field f of m: its only value (index < 0) or its index-th.
  Status Value(const pb::Message& m, const FD* f, int index) {
    const pb::Reflection* r = m.GetReflection();
    bool rep = index >= 0;
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT32:
        w_->Int(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
        break;
      case FD::CPPTYPE_UINT32:
        w_->Uint(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
        break;
      case FD::CPPTYPE_INT64:  // canonical JSON: 64-bit integers are strings, every digit kept
        Quoted(std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f)));
        break;
      case FD::CPPTYPE_UINT64:
        Quoted(std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f)));
        break;
      case FD::CPPTYPE_FLOAT:
        Floating(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
        break;
      case FD::CPPTYPE_DOUBLE:
        Floating(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
        break;
      case FD::CPPTYPE_BOOL:
        w_->Bool(rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f));
        break;
      case FD::CPPTYPE_ENUM: {
        if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
          w_->Null();
          break;
        }
        int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
        const pb::EnumValueDescriptor* v = f->enum_type()->FindValueByNumber(number);
        if (v)
          Quoted(v->name());
        else
          w_->Int(number);  // a value this schema does not name: its number, as canonical JSON
        break;
      }
      case FD::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s = rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                   : r->GetStringReference(m, f, &scratch);
        if (f->type() == FD::TYPE_BYTES) {
          std::string b64;
          Base64Encode(s, &b64);
          Quoted(b64);
        } else {
          if (!IsValidUtf8(s)) return NotUtf8(f);
          Quoted(s);
        }
        break;
      }
      case FD::CPPTYPE_MESSAGE:
        return Message(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
    }
    return Status::Ok();
  }

  void Quoted(const std::string& s) { w_->String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

  template <typename T>
  void Floating(T v) {
    WriteFloating(w_, v);
  }

  // Timestamp, Duration, wrappers, Struct, Any, FieldMask, Empty: libprotobuf's converter.
  Status WellKnown(const pb::Message& m) {
    std::string bytes, json;
    m.SerializeToString(&bytes);
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    auto s = pb::util::BinaryToJsonString(
        resolver_, std::string(kTypeUrlPrefix) + "/" + m.GetDescriptor()->full_name(), bytes, &json, options);
    if (!s.ok()) return Status::DataError(m.GetDescriptor()->full_name() + ": " + std::string(s.message()));
    w_->RawValue(json.data(), json.size(), rapidjson::kObjectType);
    return Status::Ok();
  }

  static Status NotUtf8(const FD* f) {
    return Status::DataError(f->full_name() + ": a string that is not UTF-8");
  }

  pb::util::TypeResolver* resolver_;
  Writer* w_;
};

}  // namespace

Status AppendMessageJson(const pb::Message& msg, pb::util::TypeResolver* resolver, std::string* out) {
  size_t before = out->size();
  Writer w(out);
  Printer printer(resolver, &w);
  Status s = printer.Message(msg);
  if (!s.ok()) out->resize(before);  // nothing of a message that does not print
  return s;
}

namespace {

// Where in the message an error is: "at a.b[3]". Built only on the way out of a failure.
Status Within(Status s, const std::string& step) {
  if (s.ok()) return s;
  const std::string& m = s.message();
  if (m.rfind("at ", 0) == 0) return Status::DataError("at " + step + (m[3] == '[' ? "" : ".") + m.substr(3));
  return Status::DataError("at " + step + ": " + m);
}

Status Expected(const char* what, const rapidjson::Value& v) {
  return Status::DataError(std::string("expected ") + what + ", got " + JsonKind(v));
}

// An integer of type T from a JSON number (integral) or a string of one.
template <typename T>
Status Integer(const rapidjson::Value& v, T* out) {
  using L = std::numeric_limits<T>;
  if (v.IsInt64() || v.IsUint64() || v.IsDouble()) {
    long double d = v.IsInt64() ? v.GetInt64() : v.IsUint64() ? v.GetUint64() : v.GetDouble();  // exact
    if (d != std::floor(d)) return Status::DataError(ToJson(v) + " is not an integer");
    if (d < static_cast<long double>(L::min()) || d > static_cast<long double>(L::max()))
      return Status::DataError(ToJson(v) + " is out of range");
    *out = v.IsInt64()    ? static_cast<T>(v.GetInt64())
           : v.IsUint64() ? static_cast<T>(v.GetUint64())
                          : static_cast<T>(d);
    return Status::Ok();
  }
  if (v.IsString()) {
    std::string_view text = View(v);
    auto r = std::from_chars(text.data(), text.data() + text.size(), *out);
    if (r.ec == std::errc::result_out_of_range)
      return Status::DataError("'" + std::string(text) + "' is out of range");
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || text.empty())
      return Status::DataError("'" + std::string(text) + "' is not an integer");
    return Status::Ok();
  }
  return Expected("an integer", v);
}

template <typename T>
Status Floating(const rapidjson::Value& v, T* out) {
  if (v.IsNumber()) {
    double d = v.GetDouble();
    if (std::is_same_v<T, float> && std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max())
      return Status::DataError(ToJson(v) + " is out of the float range");
    *out = static_cast<T>(d);
    return Status::Ok();
  }
  if (v.IsString()) {
    std::string_view t = View(v);
    if (t == "NaN") return *out = std::numeric_limits<T>::quiet_NaN(), Status::Ok();
    if (t == "Infinity") return *out = std::numeric_limits<T>::infinity(), Status::Ok();
    if (t == "-Infinity") return *out = -std::numeric_limits<T>::infinity(), Status::Ok();
    return Status::DataError("'" + std::string(t) + "' is not a number (or NaN, Infinity, -Infinity)");
  }
  return Expected("a number", v);
}

class Reader {
 public:
  explicit Reader(pb::util::TypeResolver* resolver) : resolver_(resolver) {}

  Status Message(const rapidjson::Value& v, pb::Message* m) {
    const pb::Descriptor* d = m->GetDescriptor();
    if (d->well_known_type() != pb::Descriptor::WELLKNOWNTYPE_UNSPECIFIED) return WellKnown(v, m);
    if (!v.IsObject()) return Expected(("an object (" + d->full_name() + ")").c_str(), v);
    const pb::Reflection* r = m->GetReflection();
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      std::string name(View(it->name));
      const FD* f = d->FindFieldByName(name);
      for (int i = 0; !f && i < d->field_count(); ++i)  // its JSON name (lowerCamelCase)
        if (d->field(i)->json_name() == name) f = d->field(i);
      if (!f) return Status::DataError("at " + name + ": " + d->full_name() + " has no such field");
      if (it->value.IsNull() && !AcceptsNull(f)) continue;  // null: the field stays unset
      if (const pb::OneofDescriptor* o = f->real_containing_oneof(); o && r->HasOneof(*m, o))
        return Status::DataError("at " + name + ": oneof " + o->name() + " is already set by " +
                                 r->GetOneofFieldDescriptor(*m, o)->name());
      Status s = f->is_map()        ? Map(it->value, m, f)
                 : f->is_repeated() ? Repeated(it->value, m, f)
                                    : Set(it->value, m, f);
      if (!s.ok()) return Within(s, name);
    }
    if (!m->IsInitialized())
      return Status::DataError("missing required fields " + m->InitializationErrorString());
    return Status::Ok();
  }

 private:
  static bool AcceptsNull(const FD* f) {
    return (f->cpp_type() == FD::CPPTYPE_ENUM &&
            f->enum_type()->full_name() == "google.protobuf.NullValue") ||
           (f->cpp_type() == FD::CPPTYPE_MESSAGE &&
            f->message_type()->full_name() == "google.protobuf.Value");
  }

  Status Repeated(const rapidjson::Value& v, pb::Message* m, const FD* f) {
    if (!v.IsArray()) return Expected("an array", v);
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      if (Status s = Add(v[i], m, f); !s.ok()) return Within(s, "[" + std::to_string(i) + "]");
    return Status::Ok();
  }

  Status Map(const rapidjson::Value& v, pb::Message* m, const FD* f) {
    if (!v.IsObject()) return Expected("an object (a map)", v);
    const FD* key = f->message_type()->map_key();
    const FD* value = f->message_type()->map_value();
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      pb::Message* entry = m->GetReflection()->AddMessage(m, f);
      rapidjson::Value k;  // the key as the JSON its type reads: a string, or a number/bool text
      std::string_view text = View(it->name);
      if (key->cpp_type() == FD::CPPTYPE_STRING) {
        k.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      } else if (key->cpp_type() == FD::CPPTYPE_BOOL) {
        if (text != "true" && text != "false")
          return Status::DataError("map key '" + std::string(text) + "' is not true or false");
        k.SetBool(text == "true");
      } else {
        k.SetString(text.data(), static_cast<rapidjson::SizeType>(text.size()));  // integers from strings
      }
      std::string step = "[" + QuoteJson(text) + "]";
      if (Status s = Set(k, entry, key); !s.ok()) return Within(s, step);
      if (it->value.IsNull() && !AcceptsNull(value)) continue;
      if (Status s = Set(it->value, entry, value); !s.ok()) return Within(s, step);
    }
    return Status::Ok();
  }

  Status Set(const rapidjson::Value& v, pb::Message* m, const FD* f) { return Put(v, m, f, false); }
  Status Add(const rapidjson::Value& v, pb::Message* m, const FD* f) { return Put(v, m, f, true); }

  // Sets field f of m (or adds to it) from v.
  Status Put(const rapidjson::Value& v, pb::Message* m, const FD* f, bool add) {
    const pb::Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
#define KT_PUT(CPP, T, SETTER, READ)                         \
  case FD::CPPTYPE_##CPP: {                                  \
    T x{};                                                   \
    if (Status s = READ(v, &x); !s.ok()) return s;           \
    add ? r->Add##SETTER(m, f, x) : r->Set##SETTER(m, f, x); \
    return Status::Ok();                                     \
  }
      KT_PUT(INT32, int32_t, Int32, Integer)
      KT_PUT(INT64, int64_t, Int64, Integer)
      KT_PUT(UINT32, uint32_t, UInt32, Integer)
      KT_PUT(UINT64, uint64_t, UInt64, Integer)
      KT_PUT(FLOAT, float, Float, Floating)
      KT_PUT(DOUBLE, double, Double, Floating)
#undef KT_PUT
      case FD::CPPTYPE_BOOL:
        if (!v.IsBool()) return Expected("true or false", v);
        add ? r->AddBool(m, f, v.GetBool()) : r->SetBool(m, f, v.GetBool());
        return Status::Ok();
      case FD::CPPTYPE_ENUM: {
        int number = 0;
        if (f->enum_type()->full_name() == "google.protobuf.NullValue" && v.IsNull()) {
          number = 0;
        } else if (v.IsString()) {
          const pb::EnumValueDescriptor* e = f->enum_type()->FindValueByName(std::string(View(v)));
          if (!e)
            return Status::DataError("'" + std::string(View(v)) + "' is not a value of enum " +
                                     f->enum_type()->full_name());
          number = e->number();
        } else if (v.IsInt()) {
          number = v.GetInt();
          if (f->enum_type()->file()->syntax() == pb::FileDescriptor::SYNTAX_PROTO2 &&
              !f->enum_type()->FindValueByNumber(number))
            return Status::DataError(std::to_string(number) + " is not a value of enum " +
                                     f->enum_type()->full_name());
        } else {
          return Expected("an enum name or number", v);
        }
        add ? r->AddEnumValue(m, f, number) : r->SetEnumValue(m, f, number);
        return Status::Ok();
      }
      case FD::CPPTYPE_STRING: {
        if (!v.IsString()) return Expected(f->type() == FD::TYPE_BYTES ? "a base64 string" : "a string", v);
        std::string s(View(v));
        if (f->type() == FD::TYPE_BYTES) {
          std::string bytes;
          if (Status st = Base64Decode(s, &bytes); !st.ok())
            return Status::DataError("not base64: " + st.message());
          s = std::move(bytes);
        }
        add ? r->AddString(m, f, std::move(s)) : r->SetString(m, f, std::move(s));
        return Status::Ok();
      }
      case FD::CPPTYPE_MESSAGE:
        return Message(v, add ? r->AddMessage(m, f) : r->MutableMessage(m, f));
    }
    return Status::Ok();
  }

  // The well-known types' JSON forms: libprotobuf's converter, on this value's text.
  Status WellKnown(const rapidjson::Value& v, pb::Message* m) {
    std::string text, bytes;
    AppendJson(v, &text);
    auto s = pb::util::JsonToBinaryString(resolver_,
                                          std::string(kTypeUrlPrefix) + "/" + m->GetDescriptor()->full_name(),
                                          pb::StringPiece(text), &bytes, pb::util::JsonParseOptions());
    if (!s.ok() || !m->ParseFromString(bytes)) {
      std::string why(s.message());
      if (why.rfind(": ", 0) == 0) why = why.substr(2);
      return Status::DataError("not a " + m->GetDescriptor()->full_name() + (why.empty() ? "" : ": " + why));
    }
    return Status::Ok();
  }

  pb::util::TypeResolver* resolver_;
};

}  // namespace

Status MessageFromJson(const rapidjson::Value& value, pb::Message* msg, pb::util::TypeResolver* resolver) {
  return Reader(resolver).Message(value, msg);
}

}  // namespace kt::proto
