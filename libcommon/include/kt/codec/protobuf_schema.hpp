// A Protobuf schema (.proto source, proto2 or proto3) compiled once into descriptors, and the
// payload of Confluent's Protobuf wire format: after the 5-byte header, the message indexes (which
// message of the file: a zigzag varint count, then that many zigzag varint indexes, the first
// into the file's top-level messages and each next into the nested messages of the one before;
// the single byte 0 stands for [0], the first message), then the serialized message.
//
// JSON is Protobuf's canonical JSON mapping (https://protobuf.dev/programming-guides/proto3/#json),
// printed with the field names as the .proto spells them and every field present (proto3 scalars
// at their default too, so `n > 0` sees 0, not null): 64-bit integers as strings (their exact
// value), enums by name, bytes as base64, well-known types (Timestamp, Duration, wrappers,
// Struct) in their JSON form. Parsing takes either field name spelling, numbers or strings for
// 64-bit integers, enum names or numbers, and rejects members the message does not declare.
//
// Imports: the well-known types (google/protobuf/*.proto) are built in; other imports (schema
// references) are not supported and are named in the error.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/status.hpp"

namespace kt::proto {

class Schema {
 public:
  // `text`: .proto source (or, as Confluent's Python serializer registers it, the base64 of a
  // serialized FileDescriptorProto). InvalidArgument naming `origin` and the line otherwise.
  static Result<std::shared_ptr<const Schema>> Parse(std::string_view text, const std::string& origin);
  ~Schema();

  // The message records are written as: the file's first message.
  const std::string& full_name() const;

  // Confluent's payload (message indexes, then the message) -> canonical JSON appended to *text.
  // `as`: decode as this schema's first message instead (a reader schema: Protobuf's own
  // compatibility by field numbers). DataError on bad bytes or an index the file does not have.
  // `also`: the document of that text too, built in the same pass when the message is decoded
  // straight from the wire bytes (`also->filled`; core/json_doc_writer.hpp).
  Status DecodeToJson(std::string_view payload, std::string* text, const Schema* as = nullptr,
                      DocumentTarget* also = nullptr) const {
    return Decode(payload, text, as, true, also);
  }
  // The same through libprotobuf's parser and the message's reflection only, never straight
  // from the wire bytes: the reference DecodeToJson is checked against (tests, fuzzing).
  Status DecodeParsedToJson(std::string_view payload, std::string* text, const Schema* as = nullptr) const {
    return Decode(payload, text, as, false);
  }
  // A JSON value -> message indexes and the message (the first message), appended to *wire.
  // DataError naming the field path that does not fit and why.
  Status EncodeFromJson(const rapidjson::Value& value, std::string* wire) const;

 private:
  Status Decode(std::string_view payload, std::string* text, const Schema* as, bool from_wire,
                DocumentTarget* also = nullptr) const;
  struct Impl;
  explicit Schema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kt::proto
