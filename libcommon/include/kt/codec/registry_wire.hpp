// The registry formats: records in Confluent's wire format (byte 0, the writer schema's id as 4
// bytes big-endian, then the payload), with schemas from a Schema Registry.
//
//   avro        the payload is an Avro binary datum (codec/avro_binary.hpp: the JSON mapping)
//   protobuf    the payload is message indexes and a Protobuf message (codec/protobuf_schema.hpp)
//   jsonschema  the payload is JSON text; its schema is a JSON Schema (schemaType JSON)
//
// Decoding looks the writer's schema up by the id in each record (cached: one request per id).
// A jsonschema payload is passed on as it is (not validated on read, as Confluent's
// deserializer by default). Encoding writes every record with one schema, resolved on the first
// record, and checks each value against it:
//   --value-schema FILE   registered under the subject (or found there, when it already is)
//   --value-schema id:N   that schema
//   neither               the subject's latest version; if the subject has none and the run
//                         read records of this format, the schema of the first record it read
//                         (so kfilter and kmap write what they read), registered under the subject;
//                         else (avro only) one inferred from the first record (avro::InferSchema)
// Subjects (--subject-strategy): topic <topic>-value (Confluent's TopicNameStrategy, the default),
// record <the record's name>, topic-record <topic>-<the record's name>; -key for keys. The
// record's name is an Avro schema's or a Protobuf message's full name, a JSON Schema's "title".
//
// Bad bytes, an unknown id and a value that does not fit the schema are DataErrors (bad
// records); an unreachable registry or a refused schema stop the run.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kt/codec/avro_schema.hpp"
#include "kt/codec/protobuf_schema.hpp"
#include "kt/codec/schema.hpp"
#include "kt/codec/schema_registry.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_doc_writer.hpp"
#include "kt/core/status.hpp"

namespace kt {

enum class WireFormat { kAvro, kProtobuf, kJsonSchema };

enum class SubjectStrategy { kTopic, kRecord, kTopicRecord };
Result<SubjectStrategy> ParseSubjectStrategy(std::string_view name);

struct WriterSchemaChoice {
  std::string file;   // a schema file (.avsc, .proto, or a JSON Schema)
  int id = 0;         // > 0: this registered schema
  std::string topic;  // the topic written ("" none: no subject, so a file or an id is needed)
  bool key = false;   // the key's schema, subject <...>-key
  SubjectStrategy strategy = SubjectStrategy::kTopic;
};
// --value-reader-schema: the Avro schema records are shown as, whatever they were written with
// (Avro's schema resolution, codec/avro_binary.hpp): a file, an id, or the latest version of the
// input topic's subject. None: as written.
struct ReaderSchemaChoice {
  std::string file;
  int id = 0;
  std::string latest_subject;  // "": not the latest
  bool given() const { return !file.empty() || id > 0 || !latest_subject.empty(); }
};

// Parses --value-schema: "id:N" or a file name.
Result<WriterSchemaChoice> ParseWriterSchema(const std::string& spec);
// InvalidArgument unless `path` holds a schema of `format` ktools can read.
Status CheckSchemaFile(WireFormat format, const std::string& path);

class RegistryWire {
 public:
  RegistryWire(WireFormat format, std::shared_ptr<SchemaRegistry> registry, WriterSchemaChoice writer,
               ReaderSchemaChoice reader = {});

  // wire -> JSON text appended to *text; Avro and Protobuf also fill `*also` when given and
  // they can (its `filled`).
  Status Decode(std::string_view wire, std::string* text, DocumentTarget* also = nullptr);
  // JSON text -> wire appended to *wire.
  Status Encode(std::string_view text, std::string* wire);
  // The same from a document (no JSON text written and read again).
  Status EncodeValue(const rapidjson::Value& value, std::string* wire);
  // True when `wire`, a record of this format, holds what encoding its decoded text would: it
  // names the writer schema (and for protobuf its first message). Avro's encoding is canonical;
  // Protobuf's keeps the same fields (and unknown ones, which JSON would drop). A pass-through
  // keeps the bytes.
  bool IsWriters(std::string_view wire);

  // A schema as this format compiles it.
  struct Compiled {
    std::string text;
    std::string name;  // the record's name for the subject strategies; "" none
    std::shared_ptr<const avro::Schema> avro;
    std::shared_ptr<const proto::Schema> proto;
    std::shared_ptr<const SchemaValidator> json;
  };

 private:
  Result<std::shared_ptr<const Compiled>> SchemaById(int id);  // under mu_
  static uint64_t NextSerial();
  // Under mu_. `first`: the first record written, when nothing else says which schema (avro
  // then infers one from it).
  Status ResolveWriter(const rapidjson::Value* first);
  Status ResolveReader();  // under mu_
  Status Encode(std::string_view text, const rapidjson::Value* value, std::string* wire);
  std::string Subject(const Compiled* schema) const;
  const char* TypeName() const;    // the registry's schemaType
  const char* FormatName() const;  // in messages: Avro, Protobuf, JSON

  WireFormat format_;
  std::shared_ptr<SchemaRegistry> registry_;
  WriterSchemaChoice choice_;
  std::mutex mu_;
  std::unordered_map<int, std::shared_ptr<const Compiled>> by_id_;
  int first_read_id_ = 0;
  // Tells this object from any other, dead or alive, in Decode's per-thread cache of the last
  // schema it looked up (no lock for a record of the same schema as the one before).
  const uint64_t serial_;
  bool resolved_ = false;
  Status writer_status_;
  int writer_id_ = 0;
  std::shared_ptr<const Compiled> writer_;
  ReaderSchemaChoice reader_choice_;
  bool reader_resolved_ = false;
  Status reader_status_;
  int reader_id_ = 0;  // 0: a file
  std::shared_ptr<const Compiled> reader_;
};

}  // namespace kt
