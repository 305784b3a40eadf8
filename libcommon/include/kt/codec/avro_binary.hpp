// Avro's binary encoding <-> the JSON text tools see (the mapping: ktools(7), SCHEMA REGISTRY).
//
//   null, boolean, int, long, string   as themselves (longs exact)
//   float, double       numbers, shortest text that reads back the same; NaN and infinities
//                       as the strings "NaN", "Infinity", "-Infinity" (as Avro's JSON encoding)
//   bytes, fixed        base64 strings
//   enum                its symbol, a string
//   array, map          arrays, objects
//   union               the branch's value itself (null for null), not {"type": value};
//                       encoding takes the first branch the value fits, or {"branch": value}
//   record              an object, fields in schema order; encoding takes a missing field's
//                       default and ignores members the schema does not name
//   decimal             a string with the exact digits ("12.30"); encoding also takes a number
//   date                "YYYY-MM-DD"; encoding also takes days since 1970-01-01
//   timestamp-*, time-* the integer (ms or µs) the wire holds
//   uuid                its string
//
// Bad input is a DataError naming where (field path) and why; it never crashes, and a length or
// block count larger than what the input holds is refused before anything is allocated.
#pragma once

#include <string>
#include <string_view>

#include "kt/codec/avro_schema.hpp"
#include "kt/core/json.hpp"
#include "kt/core/status.hpp"

namespace kt::avro {

// Appends the JSON text of the datum in `bytes` (all of it: bytes left over are an error).
Status DecodeToJson(const Schema& schema, std::string_view bytes, std::string* out);
// The same for a datum written with `writer`, shown as `reader` (null: as written) says, by
// Avro's schema resolution: fields matched by name or alias, the reader's defaults for fields
// the writer lacks, the writer's other fields skipped, promotions (int -> long, float, double;
// long -> float, double; float -> double; string <-> bytes), an enum's default for a symbol the
// reader lacks. What cannot be resolved is a DataError naming the field.
Status DecodeToJson(const Schema& writer, const Schema* reader, std::string_view bytes, std::string* out);
// The same, building in the same pass the document that text reads as, into `*doc` (with the
// texts of numbers that print differently in `*raw`, may be null): see core/json_doc_writer.hpp.
Status DecodeToJson(const Schema& writer, const Schema* reader, std::string_view bytes, std::string* out,
                    rapidjson::Document* doc, RawNumbers* raw);
// The document alone, no text (DocumentTarget::text_optional).
Status DecodeToDocument(const Schema& writer, const Schema* reader, std::string_view bytes,
                        rapidjson::Document* doc, RawNumbers* raw);

// Appends the binary encoding of `value`.
Status EncodeFromJson(const Schema& schema, const rapidjson::Value& value, std::string* out);

}  // namespace kt::avro
