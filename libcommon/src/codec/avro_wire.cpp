#include "kt/codec/avro_wire.hpp"

#include <charconv>

#include "kt/codec/avro_binary.hpp"
#include "kt/core/json.hpp"
#include "kt/core/paths.hpp"

namespace kt {

Result<SubjectStrategy> ParseSubjectStrategy(std::string_view name) {
  if (name == "topic") return SubjectStrategy::kTopic;
  if (name == "record") return SubjectStrategy::kRecord;
  if (name == "topic-record") return SubjectStrategy::kTopicRecord;
  return Status::InvalidArgument("unknown subject strategy '" + std::string(name) +
                                 "' (topic, record, topic-record)");
}

Result<WriterSchemaChoice> ParseWriterSchema(const std::string& spec) {
  WriterSchemaChoice c;
  if (spec.rfind("id:", 0) == 0) {
    const char* b = spec.data() + 3;
    const char* e = spec.data() + spec.size();
    auto r = std::from_chars(b, e, c.id);
    if (r.ec != std::errc() || r.ptr != e || c.id <= 0)
      return Status::InvalidArgument("'" + spec + "' is not a schema id (id:N, N > 0)");
  } else {
    c.file = spec;
  }
  return c;
}

namespace {

Result<std::string> ReadSchemaFile(const std::string& path) {
  auto text = ReadWholeFile(path, "schema file");
  if (!text.ok()) return Status::InvalidArgument(text.status().message());
  return text;
}

}  // namespace

Status CheckAvroSchemaFile(const std::string& path) {
  auto text = ReadSchemaFile(path);
  if (!text.ok()) return text.status();
  auto schema = avro::Schema::Parse(*text);
  if (!schema.ok()) return Status::InvalidArgument(path + ": " + schema.status().message());
  return Status::Ok();
}

AvroWire::AvroWire(std::shared_ptr<SchemaRegistry> registry, WriterSchemaChoice writer)
    : registry_(std::move(registry)), choice_(std::move(writer)) {}

Result<std::shared_ptr<const avro::Schema>> AvroWire::SchemaById(int id) {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  auto reg = registry_->ById(id);
  if (reg.status().IsNotFound())
    return Status::DataError("unknown schema id " + std::to_string(id) + ": " + reg.status().message());
  if (!reg.ok()) return reg.status();
  if (reg->type != "AVRO")
    return Status::DataError("schema id " + std::to_string(id) + " is " + reg->type + ", not AVRO");
  auto schema = avro::Schema::Parse(reg->schema);
  if (!schema.ok())
    return Status::DataError("schema id " + std::to_string(id) + ": " + schema.status().message());
  by_id_[id] = *schema;
  return *schema;
}

Status AvroWire::Decode(std::string_view wire, std::string* text) {
  if (wire.size() < 5)
    return Status::DataError("not Confluent's wire format: " + std::to_string(wire.size()) +
                             " bytes, fewer than 5");
  if (wire[0] != 0)
    return Status::DataError("not Confluent's wire format: the first byte is " +
                             std::to_string(static_cast<uint8_t>(wire[0])) + ", not 0");
  int id = static_cast<int>((static_cast<uint32_t>(static_cast<uint8_t>(wire[1])) << 24) |
                            (static_cast<uint32_t>(static_cast<uint8_t>(wire[2])) << 16) |
                            (static_cast<uint32_t>(static_cast<uint8_t>(wire[3])) << 8) |
                            static_cast<uint32_t>(static_cast<uint8_t>(wire[4])));
  std::shared_ptr<const avro::Schema> schema;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = SchemaById(id);
    if (!s.ok()) return s.status();
    schema = *s;
    if (first_read_id_ == 0) first_read_id_ = id;
  }
  Status s = avro::DecodeToJson(*schema, wire.substr(5), text);
  if (!s.ok()) return Status::DataError("Avro (schema id " + std::to_string(id) + "): " + s.message());
  return s;
}

std::string AvroWire::Subject(const avro::Schema* schema) const {
  std::string suffix = choice_.key ? "-key" : "-value";
  std::string name = schema ? schema->full_name() : "";
  switch (choice_.strategy) {
    case SubjectStrategy::kTopic:
      return choice_.topic.empty() ? "" : choice_.topic + suffix;
    case SubjectStrategy::kRecord:
      return name;
    case SubjectStrategy::kTopicRecord:
      return choice_.topic.empty() || name.empty() ? "" : choice_.topic + "-" + name;
  }
  return "";
}

Status AvroWire::ResolveWriter() {
  if (choice_.id > 0) {
    auto s = SchemaById(choice_.id);
    if (!s.ok()) return s.status().IsDataError() ? Status::InvalidArgument(s.status().message()) : s.status();
    writer_id_ = choice_.id, writer_ = *s;
    return Status::Ok();
  }
  if (!choice_.file.empty()) {
    auto text = ReadSchemaFile(choice_.file);
    if (!text.ok()) return text.status();
    auto schema = avro::Schema::Parse(*text);
    if (!schema.ok()) return Status::InvalidArgument(choice_.file + ": " + schema.status().message());
    std::string subject = Subject(schema->get());
    if (subject.empty())
      return Status::InvalidArgument("no subject to register " + choice_.file +
                                     " under: the run writes no topic, or the schema is not a named record");
    auto id = registry_->Register(subject, *text, "AVRO");
    if (!id.ok()) return id.status();
    writer_id_ = *id, writer_ = *schema;
    by_id_[*id] = *schema;
    return Status::Ok();
  }
  std::string subject = Subject(nullptr);
  if (subject.empty())
    return Status::InvalidArgument(
        "which schema to write with: give --value-schema FILE or id:N (the subject "
        "strategy needs the record's name, or the run writes no topic)");
  auto latest = registry_->Latest(subject);
  if (latest.ok()) {
    auto schema = avro::Schema::Parse(latest->schema);
    if (!schema.ok())
      return Status::InvalidArgument("subject '" + subject + "': " + schema.status().message());
    writer_id_ = latest->id, writer_ = *schema;
    return Status::Ok();
  }
  if (!latest.status().IsNotFound()) return latest.status();
  if (first_read_id_ > 0) {  // write what was read: its schema, registered under this subject too
    auto read = SchemaById(first_read_id_);
    if (!read.ok()) return read.status();
    auto id = registry_->Register(subject, (*read)->text(), "AVRO");
    if (!id.ok()) return id.status();
    writer_id_ = *id, writer_ = *read;
    return Status::Ok();
  }
  return Status::InvalidArgument(latest.status().message() +
                                 ": give --value-schema FILE (or id:N) to write Avro");
}

Status AvroWire::Encode(std::string_view text, std::string* wire) {
  std::shared_ptr<const avro::Schema> schema;
  int id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!resolved_) {
      writer_status_ = ResolveWriter();
      resolved_ = true;
    }
    if (!writer_status_.ok()) return writer_status_;
    schema = writer_, id = writer_id_;
  }
  thread_local rapidjson::Document doc;
  if (Status s = ParseJson(text, &doc); !s.ok()) return Status::DataError("not JSON: " + s.message());
  size_t start = wire->size();
  wire->push_back(0);
  for (int shift = 24; shift >= 0; shift -= 8)
    wire->push_back(static_cast<char>((static_cast<uint32_t>(id) >> shift) & 0xff));
  Status s = avro::EncodeFromJson(*schema, doc, wire);
  if (!s.ok()) {
    wire->resize(start);
    return Status::DataError("does not fit Avro schema id " + std::to_string(id) + ": " + s.message());
  }
  return s;
}

}  // namespace kt
