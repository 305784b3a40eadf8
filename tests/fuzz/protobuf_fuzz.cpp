// libFuzzer target for the Protobuf payload of Confluent's wire format and .proto schemas
// (codec/protobuf_schema.hpp). Input: the first byte chooses; even: the rest is a payload
// (message indexes, then a message) of a schema with every kind of field, nested and second
// messages; odd: the rest is .proto text. Checked: no crash, sanitizer report or hang; an error
// explains itself and is a DataError (payload) or InvalidArgument (schema); the decoder that
// reads straight from the wire answers as libprotobuf's parser and the reflection printer do
// (the same error, or the same document); what decodes is valid JSON, and when it encodes
// again as the first message it decodes to the same document.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kt/codec/protobuf_schema.hpp"
#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"

namespace {

const char* kSchema = R"(syntax = "proto3";
package f;
import "google/protobuf/timestamp.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
message All {
  enum E { A = 0; B = 1; C = 2; }
  message In { repeated sint64 s = 1; In next = 2; }
  int32 i = 1; int64 l = 2; uint32 u = 3; uint64 ul = 4; sint32 si = 5; sint64 sl = 6;
  fixed32 f32 = 7; fixed64 f64 = 8; sfixed32 sf32 = 9; sfixed64 sf64 = 10;
  float fl = 11; double d = 12; bool b = 13; string s = 14; bytes by = 15; E e = 16;
  repeated In ins = 17; map<string, In> m = 18; map<int64, E> me = 19;
  oneof choice { string cs = 20; In ci = 21; }
  optional int32 oi = 22;
  google.protobuf.Timestamp ts = 23; google.protobuf.Struct st = 24;
  google.protobuf.Int64Value w = 25; repeated double rd = 26;
}
message Second { repeated string names = 1; }
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::shared_ptr<const kt::proto::Schema> schema = *kt::proto::Schema::Parse(kSchema, "fuzz.proto");
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2) {
    auto parsed = kt::proto::Schema::Parse(rest, "input.proto");
    if (!parsed.ok() && (parsed.status().message().empty() || !parsed.status().IsInvalidArgument()))
      __builtin_trap();
    return 0;
  }
  std::string json, parsed_json;
  kt::Status s = schema->DecodeToJson(rest, &json);
  // The wire decoder answers as the parse-and-print reference does: the same error, or the same
  // document (map entries may come in another order: objects compare by member).
  kt::Status reference = schema->DecodeParsedToJson(rest, &parsed_json);
  if (s.ok() != reference.ok() || s.message() != reference.message()) __builtin_trap();
  // Decoded with its document in the same pass (what the Runner reads), where the wire decoder
  // builds one: the same outcome and text, and the document and number texts parsing that text
  // gives (compared as written: an object may hold a map key twice).
  std::string tee_json;
  rapidjson::Document tee_doc;
  kt::RawNumbers tee_raw;
  kt::DocumentTarget target{&tee_doc, &tee_raw};
  kt::Status tee = schema->DecodeToJson(rest, &tee_json, nullptr, &target);
  if (tee.ok() != s.ok() || tee.message() != s.message() || tee_json != json) __builtin_trap();
  if (target.filled) {
    rapidjson::Document text_doc;
    kt::RawNumbers text_raw;
    if (!kt::ParseJsonText(json, &text_doc, &text_raw).ok()) __builtin_trap();
    std::string a, b;
    kt::AppendJson(text_doc, &a, &text_raw);
    kt::AppendJson(tee_doc, &b, &tee_raw);
    if (a != b) __builtin_trap();
  } else if (!tee_doc.IsNull()) {
    __builtin_trap();
  }
  // The document alone (no text: kfilter passing values on): built where the tee built one,
  // with the same document; else the text, as before.
  std::string alone_json;
  rapidjson::Document alone_doc;
  kt::RawNumbers alone_raw;
  kt::DocumentTarget alone_target{&alone_doc, &alone_raw};
  alone_target.text_optional = true;
  kt::Status alone = schema->DecodeToJson(rest, &alone_json, nullptr, &alone_target);
  if (alone.ok() != s.ok() || alone.message() != s.message() || alone_target.filled != target.filled ||
      alone_target.text_skipped != target.filled || alone_json != (target.filled ? "" : json))
    __builtin_trap();
  if (target.filled) {
    std::string a, b;
    kt::AppendJson(tee_doc, &a, &tee_raw);
    kt::AppendJson(alone_doc, &b, &alone_raw);
    if (a != b) __builtin_trap();
  }
  if (!s.ok()) {
    if (s.message().empty() || !s.IsDataError()) __builtin_trap();
    return 0;
  }
  rapidjson::Document doc, parsed_doc;
  if (!kt::ParseJson(json, &doc).ok()) __builtin_trap();  // we wrote invalid JSON
  // Texts first: a map key given twice is printed twice, and such objects never compare equal.
  if (json != parsed_json && (!kt::ParseJson(parsed_json, &parsed_doc).ok() || doc != parsed_doc))
    __builtin_trap();
  // A map key given twice (printed twice, differing values) has no round trip: JSON objects
  // with one name twice mean what the reader makes of them.
  if (doc != doc) return 0;
  std::string again;
  if (!schema->EncodeFromJson(doc, &again).ok()) return 0;  // a later message's JSON, as All
  std::string json_again;
  rapidjson::Document doc_again;
  if (!schema->DecodeToJson(again, &json_again).ok() ||
      (json_again != json && (!kt::ParseJson(json_again, &doc_again).ok() || doc_again != doc)))
    __builtin_trap();
  return 0;
}
