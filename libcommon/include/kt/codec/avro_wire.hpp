// The `avro` codec: Avro in Confluent's wire format (byte 0, the writer schema's id as 4 bytes
// big-endian, then the Avro binary datum), with schemas from a Schema Registry.
//
// Decoding looks the writer's schema up by the id in each record (cached: one request per id).
// Encoding writes every record with one schema, resolved on the first record:
//   --value-schema FILE   registered under the subject (or found there, when it already is)
//   --value-schema id:N   that schema
//   neither               the subject's latest version; if the subject has none and the run
//                         decoded Avro, the schema of the first record it read (so kfilter and
//                         kmap over an Avro topic write what they read), registered under the subject
// Subjects (--subject-strategy): topic <topic>-value (Confluent's TopicNameStrategy, the default),
// record <record full name>, topic-record <topic>-<record full name>; -key for keys.
//
// Bad bytes, an unknown id and a value that does not fit the schema are DataErrors (bad
// records); an unreachable registry or a refused schema stop the run.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kt/codec/avro_schema.hpp"
#include "kt/codec/schema_registry.hpp"
#include "kt/core/status.hpp"

namespace kt {

enum class SubjectStrategy { kTopic, kRecord, kTopicRecord };
Result<SubjectStrategy> ParseSubjectStrategy(std::string_view name);

struct WriterSchemaChoice {
  std::string file;   // an Avro schema (.avsc) file
  int id = 0;         // > 0: this registered schema
  std::string topic;  // the topic written ("" none: no subject, so a file or an id is needed)
  bool key = false;   // the key's schema, subject <...>-key
  SubjectStrategy strategy = SubjectStrategy::kTopic;
};
// Parses --value-schema: "id:N" or a file name.
Result<WriterSchemaChoice> ParseWriterSchema(const std::string& spec);
// InvalidArgument unless `path` holds an Avro schema ktools can read.
Status CheckAvroSchemaFile(const std::string& path);

class AvroWire {
 public:
  AvroWire(std::shared_ptr<SchemaRegistry> registry, WriterSchemaChoice writer);

  // wire -> JSON text appended to *text.
  Status Decode(std::string_view wire, std::string* text);
  // JSON text -> wire appended to *wire.
  Status Encode(std::string_view text, std::string* wire);

 private:
  Result<std::shared_ptr<const avro::Schema>> SchemaById(int id);
  Status ResolveWriter();  // under mu_
  std::string Subject(const avro::Schema* schema) const;

  std::shared_ptr<SchemaRegistry> registry_;
  WriterSchemaChoice choice_;
  std::mutex mu_;
  std::unordered_map<int, std::shared_ptr<const avro::Schema>> by_id_;
  int first_read_id_ = 0;
  bool resolved_ = false;
  Status writer_status_;
  int writer_id_ = 0;
  std::shared_ptr<const avro::Schema> writer_;
};

}  // namespace kt
