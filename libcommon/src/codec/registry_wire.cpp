#include "kt/codec/registry_wire.hpp"

#include <cctype>
#include <charconv>

#include "kt/codec/avro_binary.hpp"
#include "kt/codec/value_parser.hpp"
#include "kt/core/json.hpp"
#include "kt/core/log.hpp"
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

// InvalidArgument naming `origin` when `text` is not a schema of `format`.
Result<std::shared_ptr<const RegistryWire::Compiled>> Compile(WireFormat format, const std::string& text,
                                                              const std::string& origin) {
  auto c = std::make_shared<RegistryWire::Compiled>();
  c->text = text;
  if (format == WireFormat::kAvro) {
    auto s = avro::Schema::Parse(text);
    if (!s.ok()) return Status::InvalidArgument(origin + ": " + s.status().message());
    c->avro = *s;
    c->name = (*s)->full_name();
  } else if (format == WireFormat::kProtobuf) {
    auto s = proto::Schema::Parse(text, origin);
    if (!s.ok()) return s.status();
    c->proto = *s;
    c->name = (*s)->full_name();
  } else {
    auto v = SchemaValidator::Parse(text, origin);
    if (!v.ok()) return v.status();
    c->json = std::move(*v);
    rapidjson::Document d;
    if (ParseJson(text, &d).ok() && d.IsObject() && d.HasMember("title") && d["title"].IsString())
      c->name = d["title"].GetString();
  }
  return std::shared_ptr<const RegistryWire::Compiled>(std::move(c));
}

// The schema id in Confluent's header (byte 0, then the id as 4 bytes big-endian).
Result<int> SchemaIdOf(std::string_view wire) {
  if (wire.size() < 5)
    return Status::DataError("not Confluent's wire format: " + std::to_string(wire.size()) +
                             " bytes, fewer than 5");
  if (wire[0] != 0)
    return Status::DataError("not Confluent's wire format: the first byte is " +
                             std::to_string(static_cast<uint8_t>(wire[0])) + ", not 0");
  uint32_t id = 0;
  for (size_t i = 1; i < 5; ++i) id = (id << 8) | static_cast<uint8_t>(wire[i]);
  return static_cast<int>(id);
}

Result<std::string> ReadSchemaFile(const std::string& path) {
  auto text = ReadWholeFile(path, "schema file");
  if (!text.ok()) return Status::InvalidArgument(text.status().message());
  return text;
}

}  // namespace

Status CheckSchemaFile(WireFormat format, const std::string& path) {
  auto text = ReadSchemaFile(path);
  if (!text.ok()) return text.status();
  return Compile(format, *text, path).status();
}

RegistryWire::RegistryWire(WireFormat format, std::shared_ptr<SchemaRegistry> registry,
                           WriterSchemaChoice writer, ReaderSchemaChoice reader)
    : format_(format),
      registry_(std::move(registry)),
      choice_(std::move(writer)),
      serial_(NextSerial()),
      reader_choice_(std::move(reader)) {}

uint64_t RegistryWire::NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

Status RegistryWire::ResolveReader() {
  if (!reader_choice_.file.empty()) {
    auto text = ReadSchemaFile(reader_choice_.file);
    if (!text.ok()) return text.status();
    auto schema = Compile(format_, *text, reader_choice_.file);
    if (!schema.ok()) return schema.status();
    reader_ = *schema;
    return Status::Ok();
  }
  int id = reader_choice_.id;
  if (id == 0) {
    auto latest = registry_->Latest(reader_choice_.latest_subject);
    if (!latest.ok())
      return latest.status().IsNotFound() ? Status::InvalidArgument(latest.status().message())
                                          : latest.status();
    id = latest->id;
  }
  auto s = SchemaById(id);
  if (!s.ok()) return s.status().IsDataError() ? Status::InvalidArgument(s.status().message()) : s.status();
  reader_id_ = id, reader_ = *s;
  return Status::Ok();
}

namespace {
struct FormatNames {
  const char* type;  // the registry's schemaType
  const char* name;  // in messages
};
FormatNames NamesOf(WireFormat format) {
  switch (format) {
    case WireFormat::kAvro:
      return {"AVRO", "Avro"};
    case WireFormat::kProtobuf:
      return {"PROTOBUF", "Protobuf"};
    case WireFormat::kJsonSchema:
      break;
  }
  return {"JSON", "JSON"};
}
}  // namespace

const char* RegistryWire::TypeName() const { return NamesOf(format_).type; }
const char* RegistryWire::FormatName() const { return NamesOf(format_).name; }

Result<std::shared_ptr<const RegistryWire::Compiled>> RegistryWire::SchemaById(int id) {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  auto reg = registry_->ById(id);
  if (reg.status().IsNotFound())
    return Status::DataError("unknown schema id " + std::to_string(id) + ": " + reg.status().message());
  if (!reg.ok()) return reg.status();
  if (reg->type != TypeName())
    return Status::DataError("schema id " + std::to_string(id) + " is " + reg->type + ", not " + TypeName());
  auto compiled = Compile(format_, reg->schema, "schema id " + std::to_string(id));
  if (!compiled.ok()) return Status::DataError(compiled.status().message());
  by_id_[id] = *compiled;
  return *compiled;
}

Status RegistryWire::Decode(std::string_view wire, std::string* text, DocumentTarget* also) {
  auto header = SchemaIdOf(wire);
  if (!header.ok()) return header.status();
  int id = *header;
  // Most records have the schema of the one before. This thread's last lookup is used without
  // the lock: it names this object by serial (never reused), and the schemas it points to are
  // owned by this object's maps, which only ever grow, as long as it lives.
  struct LastRead {
    uint64_t owner = 0;
    int id = 0;
    const Compiled* schema = nullptr;
    const Compiled* reader = nullptr;
  };
  thread_local LastRead last;
  const Compiled* schema = nullptr;
  const Compiled* reader = nullptr;
  if (last.owner == serial_ && last.id == id) {
    schema = last.schema, reader = last.reader;
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    auto s = SchemaById(id);
    if (!s.ok()) return s.status();
    schema = s->get();
    if (first_read_id_ == 0) first_read_id_ = id;
    if (reader_choice_.given()) {
      if (!reader_resolved_) {
        reader_status_ = ResolveReader();
        reader_resolved_ = true;
      }
      if (!reader_status_.ok()) return reader_status_;
      if (reader_id_ != id) reader = reader_.get();
    }
    last = {serial_, id, schema, reader};
  }
  if (format_ == WireFormat::kJsonSchema) {
    text->append(wire.substr(5));
    return Status::Ok();
  }
  if (format_ == WireFormat::kProtobuf) {
    Status s =
        schema->proto->DecodeToJson(wire.substr(5), text, reader ? reader->proto.get() : nullptr, also);
    if (!s.ok())
      return Status::DataError(std::string(FormatName()) + " (schema id " + std::to_string(id) +
                               "): " + s.message());
    return s;
  }
  const avro::Schema* r = reader ? reader->avro.get() : nullptr;
  Status s = !also ? avro::DecodeToJson(*schema->avro, r, wire.substr(5), text)
             : also->text_optional
                 ? avro::DecodeToDocument(*schema->avro, r, wire.substr(5), also->doc, also->raw)
                 : avro::DecodeToJson(*schema->avro, r, wire.substr(5), text, also->doc, also->raw);
  if (also) also->filled = s.ok(), also->text_skipped = s.ok() && also->text_optional;
  if (!s.ok())
    return Status::DataError(std::string(FormatName()) + " (schema id " + std::to_string(id) +
                             "): " + s.message());
  return s;
}

std::string RegistryWire::Subject(const Compiled* schema) const {
  std::string suffix = choice_.key ? "-key" : "-value";
  std::string name = schema ? schema->name : "";
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

Status RegistryWire::ResolveWriter(const rapidjson::Value* first) {
  if (choice_.id > 0) {
    auto s = SchemaById(choice_.id);
    if (!s.ok()) return s.status().IsDataError() ? Status::InvalidArgument(s.status().message()) : s.status();
    writer_id_ = choice_.id, writer_ = *s;
    return Status::Ok();
  }
  if (!choice_.file.empty()) {
    auto text = ReadSchemaFile(choice_.file);
    if (!text.ok()) return text.status();
    auto schema = Compile(format_, *text, choice_.file);
    if (!schema.ok()) return schema.status();
    std::string subject = Subject(schema->get());
    if (subject.empty())
      return Status::InvalidArgument("no subject to register " + choice_.file +
                                     " under: the run writes no topic, or the schema names no record");
    auto id = registry_->Register(subject, *text, TypeName());
    if (!id.ok()) return id.status();
    writer_id_ = *id, writer_ = *schema;
    by_id_.emplace(*id, *schema);  // never replaced: Decode may hold a schema of by_id_ (LastRead)
    return Status::Ok();
  }
  std::string subject = Subject(nullptr);
  if (subject.empty())
    return Status::InvalidArgument(
        "which schema to write with: give --value-schema FILE or id:N (the subject "
        "strategy needs the record's name, or the run writes no topic)");
  auto latest = registry_->Latest(subject);
  if (latest.ok()) {
    if (latest->type != TypeName())
      return Status::InvalidArgument("subject '" + subject + "' holds a " + latest->type + " schema, not " +
                                     TypeName());
    auto schema = Compile(format_, latest->schema, "subject '" + subject + "'");
    if (!schema.ok()) return schema.status();
    writer_id_ = latest->id, writer_ = *schema;
    return Status::Ok();
  }
  if (!latest.status().IsNotFound()) return latest.status();
  if (reader_choice_.given() && reader_resolved_ && reader_status_.ok()) {  // write what was shown
    auto id = registry_->Register(subject, reader_->text, TypeName());
    if (!id.ok()) return id.status();
    writer_id_ = *id, writer_ = reader_;
    return Status::Ok();
  }
  if (first_read_id_ > 0) {  // write what was read: its schema, registered under this subject too
    auto read = SchemaById(first_read_id_);
    if (!read.ok()) return read.status();
    // Confluent's registry gives the same text the same id; Apicurio a new one per subject: the
    // records keep the id they were read with (a pass-through then keeps their bytes).
    auto id = registry_->Register(subject, (*read)->text, TypeName());
    if (!id.ok()) return id.status();
    writer_id_ = first_read_id_, writer_ = *read;
    return Status::Ok();
  }
  if (first && format_ == WireFormat::kAvro) {  // nothing says which schema: one from the first record
    std::string name = "Inferred";
    for (char c : subject) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    auto text = avro::InferSchema(*first, name);
    if (!text.ok()) return Status::InvalidArgument(text.status().message() + ": give --value-schema FILE");
    auto schema = Compile(format_, *text, "the inferred schema");
    if (!schema.ok()) return schema.status();
    auto id = registry_->Register(subject, *text, TypeName());
    if (!id.ok()) return id.status();
    writer_id_ = *id, writer_ = *schema;
    LogWarning("ktools", "no schema for subject '" + subject +
                             "': registered one inferred from the first record (id " + std::to_string(*id) +
                             ", every field optional); give --value-schema FILE to choose");
    return Status::Ok();
  }
  return Status::InvalidArgument(latest.status().message() +
                                 ": give --value-schema FILE (or id:N) to write " +
                                 (format_ == WireFormat::kJsonSchema ? "with a JSON Schema" : FormatName()));
}

Status RegistryWire::Encode(std::string_view text, std::string* wire) { return Encode(text, nullptr, wire); }

bool RegistryWire::IsWriters(std::string_view wire) {
  auto header = SchemaIdOf(wire);
  if (!header.ok()) return false;
  int id = *header;
  std::lock_guard<std::mutex> lock(mu_);
  if (!resolved_) return false;  // the first record is encoded (which resolves the writer)
  // jsonschema: the bytes still have to be checked against the schema on the way out.
  // With a reader schema, the text is the reader's shape, not what the bytes hold.
  // protobuf: only the first message (indexes [0], the one written) is the writer's.
  bool writers_message =
      format_ == WireFormat::kAvro || (format_ == WireFormat::kProtobuf && wire.size() > 5 && wire[5] == 0);
  return writers_message && writer_status_.ok() && !reader_choice_.given() && id == writer_id_;
}

Status RegistryWire::EncodeValue(const rapidjson::Value& value, std::string* wire) {
  return Encode({}, &value, wire);
}

Status RegistryWire::Encode(std::string_view text, const rapidjson::Value* value, std::string* wire) {
  thread_local ValueParser parser;  // a document and arena reused from record to record
  std::string json_text;
  if (!value) {
    if (Status s = parser.ParseJson(text); !s.ok()) return Status::DataError("not JSON: " + s.message());
    value = parser.doc();
  }
  std::shared_ptr<const Compiled> schema;
  int id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!resolved_) {
      writer_status_ = ResolveWriter(value);
      resolved_ = true;
    }
    if (!writer_status_.ok()) return writer_status_;
    schema = writer_, id = writer_id_;
  }
  if (schema->json && text.empty()) {
    AppendJson(*value, &json_text);
    text = json_text;
  }
  size_t start = wire->size();
  wire->push_back(0);
  for (int shift = 24; shift >= 0; shift -= 8)
    wire->push_back(static_cast<char>((static_cast<uint32_t>(id) >> shift) & 0xff));
  Status s = schema->avro    ? avro::EncodeFromJson(*schema->avro, *value, wire)
             : schema->proto ? schema->proto->EncodeFromJson(*value, wire)
                             : schema->json->Validate(*value);
  if (!s.ok()) {
    wire->resize(start);
    return Status::DataError("does not fit " + std::string(FormatName()) + " schema id " +
                             std::to_string(id) + ": " + s.message());
  }
  if (schema->json) wire->append(text);
  return s;
}

}  // namespace kt
