// libFuzzer target for the Avro decoder (codec/avro_binary.hpp) and Confluent's wire format
// (codec/registry_wire.hpp). Input: a schema choice (first byte) and the datum's bytes, also read
// as a whole wire-format record. Checked: no crash, sanitizer report, hang or huge allocation
// (lengths and block counts beyond the input are refused); an error explains itself; what
// decodes is valid JSON that encodes again under the same schema and decodes to the same text,
// and reads the same through schema resolution against itself.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kt/codec/avro_binary.hpp"
#include "kt/codec/codec.hpp"
#include "kt/codec/registry_wire.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"

namespace {

const char* const kSchemas[] = {
    R"({"type":"record","name":"All","namespace":"f","fields":[
      {"name":"n","type":"null"},{"name":"b","type":"boolean"},{"name":"i","type":"int"},
      {"name":"l","type":"long"},{"name":"f","type":"float"},{"name":"d","type":"double"},
      {"name":"by","type":"bytes"},{"name":"s","type":"string"},
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
      {"name":"a","type":{"type":"array","items":["null","long","string"]}},
      {"name":"m","type":{"type":"map","values":"double"}},
      {"name":"fx","type":{"type":"fixed","name":"F3","size":3}},
      {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":30,"scale":3}},
      {"name":"decf","type":{"type":"fixed","name":"D5","size":5,"logicalType":"decimal","precision":12,"scale":2}},
      {"name":"day","type":{"type":"int","logicalType":"date"}},
      {"name":"ts","type":{"type":"long","logicalType":"timestamp-micros"}},
      {"name":"u","type":{"type":"string","logicalType":"uuid"}}]})",
    R"({"type":"record","name":"Node","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","Node"]}]})",
    R"({"type":"array","items":{"type":"map","values":{"type":"array","items":"null"}}})",
    R"(["null","boolean","int","string",{"type":"record","name":"R","fields":[]},{"type":"array","items":"float"}])",
};

// Serves kSchemas by id (1-based).
class Registry : public kt::SchemaRegistry {
 public:
  kt::Result<kt::RegisteredSchema> ById(int id) override {
    if (id < 1 || id > static_cast<int>(std::size(kSchemas))) return kt::Status::NotFound("no such id");
    return kt::RegisteredSchema{id, 1, "AVRO", kSchemas[id - 1]};
  }
  kt::Result<kt::RegisteredSchema> Latest(const std::string&) override {
    return kt::Status::NotFound("none");
  }
  kt::Result<int> Register(const std::string&, const std::string&, const std::string&) override {
    return kt::Status::NotFound("read only");
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::shared_ptr<const kt::avro::Schema> schemas[std::size(kSchemas)];
  if (!schemas[0])
    for (size_t i = 0; i < std::size(kSchemas); ++i) schemas[i] = *kt::avro::Schema::Parse(kSchemas[i]);
  if (size == 0) return 0;
  const kt::avro::Schema& schema = *schemas[data[0] % std::size(kSchemas)];
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string json;
  kt::Status s = kt::avro::DecodeToJson(schema, bytes, &json);
  // Decoded with its document in the same pass (what the Runner reads): the same outcome and
  // text, and the document and number texts parsing that text gives.
  std::string tee_json;
  rapidjson::Document tee_doc;
  kt::RawNumbers tee_raw;
  kt::Status tee = kt::avro::DecodeToJson(schema, nullptr, bytes, &tee_json, &tee_doc, &tee_raw);
  if (tee.ok() != s.ok() || tee.message() != s.message() || tee_json != json) __builtin_trap();
  // The document alone (no text: kfilter passing values on): the same outcome and document.
  rapidjson::Document alone_doc;
  kt::RawNumbers alone_raw;
  kt::Status alone = kt::avro::DecodeToDocument(schema, nullptr, bytes, &alone_doc, &alone_raw);
  if (alone.ok() != s.ok() || alone.message() != s.message()) __builtin_trap();
  if (!s.ok()) {
    if (s.message().empty() || !s.IsDataError()) __builtin_trap();
    if (!tee_doc.IsNull() || !alone_doc.IsNull()) __builtin_trap();
  } else {
    rapidjson::Document doc;
    kt::RawNumbers raw;
    if (!kt::ParseJsonText(json, &doc, &raw).ok()) __builtin_trap();  // we wrote invalid JSON
    // Compared as written: a map may hold a key twice, and such objects never compare equal.
    std::string a, b;
    kt::AppendJson(doc, &a, &raw);
    kt::AppendJson(tee_doc, &b, &tee_raw);
    if (a != b) __builtin_trap();
    std::string c;
    kt::AppendJson(alone_doc, &c, &alone_raw);
    if (c != a) __builtin_trap();
    std::string again;
    if (!kt::avro::EncodeFromJson(schema, doc, &again).ok()) __builtin_trap();
    std::string json_again;
    if (!kt::avro::DecodeToJson(schema, again, &json_again).ok() || json_again != json) __builtin_trap();
    std::string resolved;  // resolving a schema against itself changes nothing
    if (!kt::avro::DecodeToJson(schema, &schema, bytes, &resolved).ok() || resolved != json) __builtin_trap();
    std::string resolved_tee;
    rapidjson::Document resolved_doc;
    if (!kt::avro::DecodeToJson(schema, &schema, bytes, &resolved_tee, &resolved_doc, nullptr).ok() ||
        resolved_tee != json || (doc == doc && !(resolved_doc == doc)))
      __builtin_trap();
  }

  // The same bytes as a whole record in Confluent's wire format.
  static auto codec = [] {
    auto c = *kt::Codec::Parse("avro");
    c.BindRegistry(std::make_shared<kt::RegistryWire>(kt::WireFormat::kAvro, std::make_shared<Registry>(),
                                                      kt::WriterSchemaChoice{}));
    return c;
  }();
  std::string scratch;
  std::string_view text;
  std::string_view wire(reinterpret_cast<const char*>(data), size);
  kt::Status w = codec.Decode(wire, &scratch, &text);
  if (!w.ok() && (w.message().empty() || !w.IsDataError())) __builtin_trap();
  return 0;
}
