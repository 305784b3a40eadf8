// libFuzzer target for Avro schemas (codec/avro_schema.hpp) as a registry or a user's .avsc file
// gives them, and the datums they read. Input: a schema's JSON text, then after a NUL byte a
// datum's bytes. Checked: no crash, sanitizer report or hang; a schema is parsed or refused as an
// InvalidArgument that says why; a datum the parsed schema decodes encodes again to bytes that
// decode to the same text, and resolving the schema against itself reads the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/codec/avro_binary.hpp"
#include "kt/codec/avro_schema.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view text = in.substr(0, nul);
  std::string_view datum = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  auto parsed = kt::avro::Schema::Parse(text);
  if (!parsed.ok()) {
    if (parsed.status().message().empty() || parsed.status().IsDataError()) __builtin_trap();
    return 0;
  }
  const kt::avro::Schema& schema = **parsed;
  std::string json;
  kt::Status s = kt::avro::DecodeToJson(schema, datum, &json);
  if (!s.ok()) {
    if (s.message().empty() || !s.IsDataError()) __builtin_trap();
    return 0;
  }
  rapidjson::Document doc;
  kt::RawNumbers raw;
  if (!kt::ParseJsonText(json, &doc, &raw).ok()) __builtin_trap();  // we wrote invalid JSON
  std::string again;
  if (!kt::avro::EncodeFromJson(schema, doc, &again).ok()) __builtin_trap();
  std::string json_again;
  if (!kt::avro::DecodeToJson(schema, again, &json_again).ok() || json_again != json) __builtin_trap();
  std::string resolved;
  if (!kt::avro::DecodeToJson(schema, &schema, datum, &resolved).ok() || resolved != json) __builtin_trap();
  return 0;
}
