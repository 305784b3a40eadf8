// libFuzzer target for JSON Schemas (codec/schema.hpp: --schema FILE, and a registry's
// jsonschema subjects) and the values they check. Input: a schema's text, then after a NUL byte
// a value's JSON text. Checked: no crash, sanitizer report or hang; a schema is parsed or refused
// as an InvalidArgument that says why; a value is valid, or a DataError that says why, and the
// same both times it is checked.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kt/codec/schema.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  auto validator = kt::SchemaValidator::Parse(in.substr(0, nul), "fuzz");
  if (!validator.ok()) {
    if (validator.status().message().empty() || validator.status().IsDataError()) __builtin_trap();
    return 0;
  }
  if (nul == std::string_view::npos) return 0;
  rapidjson::Document doc;
  if (!kt::ParseJsonText(in.substr(nul + 1), &doc, nullptr).ok()) return 0;
  kt::Status first = (*validator)->Validate(doc);
  kt::Status second = (*validator)->Validate(doc);
  if (first.ok() != second.ok() || first.message() != second.message()) __builtin_trap();
  if (!first.ok() && (first.message().empty() || !first.IsDataError())) __builtin_trap();
  return 0;
}
