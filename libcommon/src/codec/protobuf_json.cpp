#include "protobuf_json.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/type_resolver.h>

#include <charconv>
#include <cmath>

#include "kt/codec/base64.hpp"
#include "kt/core/json.hpp"
#include "kt/core/strings.hpp"

namespace kt::proto {

namespace pb = google::protobuf;
using FD = pb::FieldDescriptor;

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

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

  // A map is a repeated field of entries (key = 1, value = 2); JSON keys are strings.
  Status Map(const pb::Message& m, const FD* f) {
    const pb::Reflection* r = m.GetReflection();
    const FD* key = f->message_type()->map_key();
    const FD* value = f->message_type()->map_value();
    w_->StartObject();
    for (int j = 0, n = r->FieldSize(m, f); j < n; ++j) {
      const pb::Message& entry = r->GetRepeatedMessage(m, f, j);
      std::string k;
      const pb::Reflection* er = entry.GetReflection();
      switch (key->cpp_type()) {
        case FD::CPPTYPE_STRING:
          k = er->GetString(entry, key);
          if (!IsValidUtf8(k)) return NotUtf8(f);
          break;
        case FD::CPPTYPE_BOOL:
          k = er->GetBool(entry, key) ? "true" : "false";
          break;
        case FD::CPPTYPE_INT32:
          k = std::to_string(er->GetInt32(entry, key));
          break;
        case FD::CPPTYPE_INT64:
          k = std::to_string(er->GetInt64(entry, key));
          break;
        case FD::CPPTYPE_UINT32:
          k = std::to_string(er->GetUInt32(entry, key));
          break;
        default:
          k = std::to_string(er->GetUInt64(entry, key));
          break;
      }
      w_->Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      if (Status s = Singular(entry, value); !s.ok()) return s;
    }
    w_->EndObject();
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

  // The shortest text that reads back as the same float or double; NaN and the infinities as
  // canonical JSON's strings.
  template <typename T>
  void Floating(T v) {
    if (std::isnan(v)) return Quoted("NaN");
    if (std::isinf(v)) return Quoted(v > 0 ? "Infinity" : "-Infinity");
    char buf[64];
    auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    w_->RawValue(buf, static_cast<size_t>(end - buf), rapidjson::kNumberType);
  }

  // Timestamp, Duration, wrappers, Struct, Any, FieldMask, Empty: libprotobuf's converter.
  Status WellKnown(const pb::Message& m) {
    std::string bytes, json;
    m.SerializeToString(&bytes);
    pb::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    auto s = pb::util::BinaryToJsonString(resolver_, "type.googleapis.com/" + m.GetDescriptor()->full_name(),
                                          bytes, &json, options);
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
  thread_local rapidjson::StringBuffer buffer;  // reused from record to record
  buffer.Clear();
  Writer w(buffer);
  Printer printer(resolver, &w);
  if (Status s = printer.Message(msg); !s.ok()) return s;
  out->append(buffer.GetString(), buffer.GetSize());
  return Status::Ok();
}

}  // namespace kt::proto
