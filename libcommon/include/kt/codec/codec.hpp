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
//           Registry (codec/avro_wire.hpp; the run plan binds the registry). Not chained.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kt/core/status.hpp"

namespace kt {

class AvroWire;

class Codec {
 public:
  enum class Stage { kJson, kRaw, kBinary, kAuto, kAvro };

  Codec() = default;  // raw
  static Result<Codec> Parse(std::string_view spec);

  const std::string& spec() const { return spec_; }
  // The text form is JSON (the first stage is `json`, or `avro`).
  bool IsJson() const { return stages_.front() == Stage::kJson || stages_.front() == Stage::kAvro; }
  // Avro through a Schema Registry: Decode and Encode need BindAvro first.
  bool IsAvro() const { return stages_.front() == Stage::kAvro; }
  // The registry-backed codec this one uses; copies of a codec share it (and its caches).
  void BindAvro(std::shared_ptr<AvroWire> wire) { avro_ = std::move(wire); }
  // Text and wire are the same bytes (json, raw or auto alone): no copies needed.
  bool IsIdentity() const {
    return stages_.size() == 1 && stages_[0] != Stage::kBinary && stages_[0] != Stage::kAvro;
  }
  bool IsAuto() const { return stages_.front() == Stage::kAuto; }

  // wire -> text. On return *text views `wire` or *scratch.
  Status Decode(std::string_view wire, std::string* scratch, std::string_view* text) const;
  // text -> wire. On return *wire views `text` or *scratch.
  Status Encode(std::string_view text, std::string* scratch, std::string_view* wire) const;

 private:
  std::string spec_ = "raw";
  std::vector<Stage> stages_{Stage::kRaw};
  std::shared_ptr<AvroWire> avro_;
};

// What bytes hold, as the `auto` codec shows them: one JSON text, other UTF-8 text, or other
// bytes.
enum class AutoKind { kJson, kText, kBytes };
AutoKind AutoKindOf(std::string_view bytes);

}  // namespace kt
