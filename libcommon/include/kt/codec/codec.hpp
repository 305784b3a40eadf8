// Key and value codecs: how the bytes on Kafka ("wire") map to the text tools and stdio see.
//
//   json    text = wire = JSON text
//   raw     text = wire = the bytes (a string in -J envelopes)
//   binary  wire = arbitrary bytes, text = their base64 (a string in -J envelopes)
//   A|binary|...  further stages add base64 layers on the wire: `json|binary` carries base64 of
//                 the JSON text. Encoding runs left to right, decoding right to left.
//   auto    text = wire = the bytes, shown by what they hold (kconsume's default, as kcat prints
//           anything): a value that parses as JSON is JSON, other UTF-8 text is a string, other
//           bytes are {"base64": "..."} (ShowAuto). A tool that reads fields parses a JSON value
//           and takes any other as a string. Not chained.
//   avro    text = JSON, wire = Avro in Confluent's wire format, with schemas from a Schema
//           Registry (codec/registry_wire.hpp; the run plan binds the registry). Not chained.
//   protobuf  text = JSON (Protobuf's canonical mapping), wire = Protobuf in Confluent's wire format,
//           the same way. Not chained.
//   jsonschema  text = JSON, wire = JSON in Confluent's wire format, with a JSON Schema from a
//           Schema Registry (the same). Not chained.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/status.hpp"

namespace kt {

class RegistryWire;

class Codec {
 public:
  enum class Stage { kJson, kRaw, kBinary, kAuto, kAvro, kProtobuf, kJsonSchema };

  Codec() = default;  // raw
  static Result<Codec> Parse(std::string_view spec);

  const std::string& spec() const { return spec_; }
  // The text form is JSON (the first stage is `json` or a registry format).
  bool IsJson() const { return stages_.front() == Stage::kJson || UsesRegistry(); }
  // avro, protobuf or jsonschema, through a Schema Registry: Decode and Encode need BindRegistry
  // first.
  bool UsesRegistry() const {
    return stages_.front() == Stage::kAvro || stages_.front() == Stage::kProtobuf ||
           stages_.front() == Stage::kJsonSchema;
  }
  bool IsAvro() const { return stages_.front() == Stage::kAvro; }
  bool IsProtobuf() const { return stages_.front() == Stage::kProtobuf; }
  // avro or protobuf: binary payloads this codec decodes and encodes itself, by a schema. So
  // its text is JSON it wrote (no check needed on read), it encodes documents, a reader schema
  // applies, and a record passed through may keep its bytes (KeepsWire).
  bool DecodesBinary() const { return IsAvro() || IsProtobuf(); }
  // The registry-backed codec this one uses; copies of a codec share it (and its caches).
  void BindRegistry(std::shared_ptr<RegistryWire> wire) { registry_ = std::move(wire); }
  // Text and wire are the same bytes (json, raw or auto alone): no copies needed.
  bool IsIdentity() const { return stages_.size() == 1 && stages_[0] != Stage::kBinary && !UsesRegistry(); }
  bool IsAuto() const { return stages_.front() == Stage::kAuto; }

  // wire -> text. On return *text views `wire` or *scratch. `also`: the document of that text,
  // built in the same pass by the decoders that can (avro; protobuf read straight from its
  // bytes); `also->filled` says whether it was, `also->text_skipped` whether it was built alone
  // (`also->text_optional`: *text is then empty).
  Status Decode(std::string_view wire, std::string* scratch, std::string_view* text,
                DocumentTarget* also = nullptr) const;
  // text -> wire. On return *wire views `text` or *scratch.
  Status Encode(std::string_view text, std::string* scratch, std::string_view* wire) const;
  // A JSON document -> wire, for codecs that encode documents rather than their text (avro,
  // protobuf: no JSON text written and read again). *wire views *scratch.
  bool EncodesDocuments() const { return DecodesBinary(); }
  // True when `wire` (bytes this codec decoded) may be sent again as they are instead of
  // encoding their text: avro bytes that name the schema the codec writes with, protobuf bytes
  // of that schema's first message.
  bool KeepsWire(std::string_view wire) const;
  Status EncodeDocument(const rapidjson::Value& value, std::string* scratch, std::string_view* wire) const;

 private:
  std::string spec_ = "raw";
  std::vector<Stage> stages_{Stage::kRaw};
  std::shared_ptr<RegistryWire> registry_;
  Status RequireRegistry() const;  // InvalidArgument naming the format when none is bound
};

// What bytes hold, as the `auto` codec shows them: one JSON text, other UTF-8 text, or other
// bytes.
enum class AutoKind { kJson, kText, kBytes };
AutoKind AutoKindOf(std::string_view bytes);

}  // namespace kt
