#include "kt/codec/codec.hpp"

#include "kt/codec/base64.hpp"
#include "kt/codec/registry_wire.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/strings.hpp"

namespace kt {

Result<Codec> Codec::Parse(std::string_view spec) {
  Codec c;
  c.spec_ = std::string(spec);
  c.stages_.clear();
  for (const std::string& part : Split(spec, '|')) {
    std::string_view p = Trim(part);
    Stage s;
    if (p == "json")
      s = Stage::kJson;
    else if (p == "raw")
      s = Stage::kRaw;
    else if (p == "binary")
      s = Stage::kBinary;
    else if (p == "auto")
      s = Stage::kAuto;
    else if (p == "avro")
      s = Stage::kAvro;
    else if (p == "protobuf")
      s = Stage::kProtobuf;
    else if (p == "jsonschema")
      s = Stage::kJsonSchema;
    else
      return Status::InvalidArgument(
          "unknown format '" + std::string(p) + "' in '" + std::string(spec) +
          "' (use json, raw, binary, auto, avro, protobuf, jsonschema, e.g. json|binary)");
    if ((s == Stage::kAuto || s == Stage::kAvro || s == Stage::kProtobuf || s == Stage::kJsonSchema) &&
        !c.stages_.empty())
      return Status::InvalidArgument("in '" + std::string(spec) + "' '" + std::string(p) +
                                     "' cannot be chained");
    if (!c.stages_.empty() && s != Stage::kBinary)
      return Status::InvalidArgument("in '" + std::string(spec) +
                                     "' only 'binary' may follow the first format");
    c.stages_.push_back(s);
  }
  if (c.stages_.size() > 1 && (c.stages_[0] == Stage::kAuto || c.UsesRegistry()))
    return Status::InvalidArgument("in '" + std::string(spec) + "' '" +
                                   std::string(Trim(Split(spec, '|')[0])) + "' cannot be chained");
  return c;
}

// The first stage maps text <-> bytes: identity for json/raw; for binary the text is base64 of
// the bytes. Each later `binary` stage maps bytes <-> base64 text of them on the wire.
Status Codec::Decode(std::string_view wire, std::string* scratch, std::string_view* text,
                     DocumentTarget* also) const {
  if (also) also->filled = also->text_skipped = false;
  if (IsIdentity()) {
    *text = wire;
    return Status::Ok();
  }
  if (UsesRegistry()) {
    if (Status s = RequireRegistry(); !s.ok()) return s;
    scratch->clear();
    if (Status s = registry_->Decode(wire, scratch, also); !s.ok()) return s;
    *text = *scratch;
    return Status::Ok();
  }
  std::string a(wire), b;
  for (size_t i = stages_.size(); i-- > 1;) {
    Status s = Base64Decode(a, &b);
    if (!s.ok()) return s;
    a.swap(b);
  }
  if (stages_[0] == Stage::kBinary) {
    Base64Encode(a, &b);
    a.swap(b);
  }
  *scratch = std::move(a);
  *text = *scratch;
  return Status::Ok();
}

Status Codec::Encode(std::string_view text, std::string* scratch, std::string_view* wire) const {
  if (IsIdentity()) {
    *wire = text;
    return Status::Ok();
  }
  if (UsesRegistry()) {
    if (Status s = RequireRegistry(); !s.ok()) return s;
    scratch->clear();
    if (Status s = registry_->Encode(text, scratch); !s.ok()) return s;
    *wire = *scratch;
    return Status::Ok();
  }
  std::string a(text), b;
  if (stages_[0] == Stage::kBinary) {
    Status s = Base64Decode(a, &b);
    if (!s.ok()) return s;
    a.swap(b);
  }
  for (size_t i = 1; i < stages_.size(); ++i) {
    Base64Encode(a, &b);
    a.swap(b);
  }
  *scratch = std::move(a);
  *wire = *scratch;
  return Status::Ok();
}

Status Codec::EncodeDocument(const rapidjson::Value& value, std::string* scratch,
                             std::string_view* wire) const {
  if (Status s = RequireRegistry(); !s.ok()) return s;
  scratch->clear();
  if (Status s = registry_->EncodeValue(value, scratch); !s.ok()) return s;
  *wire = *scratch;
  return Status::Ok();
}

Status Codec::RequireRegistry() const {
  if (registry_) return Status::Ok();
  return Status::InvalidArgument("the " + spec_ + " format needs a schema registry (--registry URL)");
}

bool Codec::KeepsWire(std::string_view wire) const {
  return DecodesBinary() && registry_ && registry_->IsWriters(wire);
}

AutoKind AutoKindOf(std::string_view bytes) {
  if (ValidateJsonText(bytes).ok()) return AutoKind::kJson;
  return IsValidUtf8(bytes) ? AutoKind::kText : AutoKind::kBytes;
}

}  // namespace kt
