// The Protobuf schema and payload (codec/protobuf_schema.hpp) and the protobuf codec in
// Confluent's wire format (codec/registry_wire.hpp) against an in-memory registry.
#include <catch2/catch.hpp>
#include <limits>
#include <vector>

#include "fake_registry.hpp"
#include "kt/codec/base64.hpp"
#include "kt/codec/codec.hpp"
#include "kt/codec/protobuf_schema.hpp"
#include "kt/codec/registry_wire.hpp"

namespace {

const char* kProto = R"(syntax = "proto3";
package ex;
import "google/protobuf/timestamp.proto";
message User {
  enum Plan { FREE = 0; PRO = 1; }
  message Address { string city = 1; }
  string name = 1;
  int32 age = 2;
  int64 id = 3;
  Plan plan = 4;
  Address address = 5;
  google.protobuf.Timestamp since = 6;
}
message Other { string note = 1; }
)";

std::shared_ptr<const kt::proto::Schema> P(const std::string& text) {
  auto s = kt::proto::Schema::Parse(text, "test.proto");
  INFO(s.status().message());
  REQUIRE(s.ok());
  return *s;
}

kt::Status EncodeJson(const kt::proto::Schema& s, const std::string& json, std::string* wire) {
  rapidjson::Document d;
  REQUIRE(kt::ParseJson(json, &d).ok());
  return s.EncodeFromJson(d, wire);
}

std::string Decode(const kt::proto::Schema& s, std::string_view payload,
                   const kt::proto::Schema* as = nullptr) {
  std::string out;
  kt::Status st = s.DecodeToJson(payload, &out, as);
  INFO(st.message());
  REQUIRE(st.ok());
  return out;
}

}  // namespace

TEST_CASE("protobuf: JSON -> message indexes [0] and the message -> the same canonical JSON") {
  auto s = P(kProto);
  CHECK(s->full_name() == "ex.User");
  std::string wire;
  REQUIRE(EncodeJson(*s, R"({"name":"ann","age":30,"id":"9007199254740993","plan":"PRO"})", &wire).ok());
  // indexes [0] as one byte 0; field 1 "ann", field 2 30, field 3 2^53+1, field 4 1.
  CHECK(wire == std::string("\x00\x0a\x03"
                            "ann\x10\x1e\x18\x81\x80\x80\x80\x80\x80\x80\x10\x20\x01",
                            19));
  // Every field without presence is printed, at its default too; 64-bit integers as strings.
  CHECK(Decode(*s, wire) == R"({"name":"ann","age":30,"id":"9007199254740993","plan":"PRO"})");
  CHECK(Decode(*s, std::string(1, '\0')) == R"({"name":"","age":0,"id":"0","plan":"FREE"})");
  // Either name spelling is parsed; numbers for 64-bit integers too; well-known types as JSON.
  wire.clear();
  REQUIRE(
      EncodeJson(*s, R"({"id":5,"address":{"city":"Porto"},"since":"2026-11-24T10:00:00Z"})", &wire).ok());
  CHECK(
      Decode(*s, wire) ==
      R"({"name":"","age":0,"id":"5","plan":"FREE","address":{"city":"Porto"},"since":"2026-11-24T10:00:00Z"})");
}

TEST_CASE("protobuf: message indexes name a later or a nested message") {
  auto s = P(kProto);
  // [1]: Other (count 1, index 1, zigzag: 2 2); [0, 0]: User.Address (count 2: 4, then 0 0).
  CHECK(Decode(*s, std::string("\x02\x02\x0a\x01x", 5)) == R"({"note":"x"})");
  CHECK(Decode(*s, std::string("\x04\x00\x00\x0a\x01y", 6)) == R"({"city":"y"})");
  std::string out;
  CHECK(s->DecodeToJson(std::string("\x02\x04", 2), &out).message() ==
        "message index 2 names no message in the schema's file");
  CHECK(s->DecodeToJson(std::string("\x04\x00\x02", 3), &out).message() ==
        "message index 1 names no message in ex.User");
  CHECK(s->DecodeToJson(std::string("\x04\x00", 2), &out).message() == "message indexes cut short");
  CHECK(s->DecodeToJson("", &out).message() == "no message indexes");
  CHECK(s->DecodeToJson(std::string("\x01", 1), &out).message() == "bad message index count -1");
  CHECK(s->DecodeToJson(std::string("\x00\x0a\x05", 3), &out).message() == "not a ex.User message");
  CHECK(s->DecodeToJson(std::string("\x00\x0a\x05", 3), &out).IsDataError());
}

TEST_CASE("protobuf: a reader schema reads by field numbers") {
  auto v1 = P(kProto);
  auto v2 = P("syntax = \"proto3\";\nmessage U { string full_name = 1; int64 age = 2; bool vip = 7; }");
  std::string wire;
  REQUIRE(EncodeJson(*v1, R"({"name":"ann","age":30})", &wire).ok());
  CHECK(Decode(*v1, wire, v2.get()) == R"({"full_name":"ann","age":"30","vip":false})");
}

TEST_CASE("protobuf: values that do not fit name the field; bad schemas name the line") {
  auto s = P(kProto);
  std::string wire;
  auto e = EncodeJson(*s, R"({"age":"old"})", &wire);
  CHECK(e.IsDataError());
  CHECK(e.message() == "ex.User: at age: 'old' is not an integer");
  CHECK(EncodeJson(*s, R"({"agee":1})", &wire).message() == "ex.User: at agee: ex.User has no such field");
  CHECK(EncodeJson(*s, R"({"plan":"GOLD"})", &wire).message() ==
        "ex.User: at plan: 'GOLD' is not a value of enum ex.User.Plan");
  CHECK(EncodeJson(*s, R"({"address":{"city":7}})", &wire).message() ==
        "ex.User: at address.city: expected a string, got a number");
  CHECK(EncodeJson(*s, R"({"age":2147483648})", &wire).message() ==
        "ex.User: at age: 2147483648 is out of range");
  CHECK(EncodeJson(*s, R"({"id":"12x"})", &wire).message() == "ex.User: at id: '12x' is not an integer");
  CHECK(EncodeJson(*s, R"({"since":"yesterday"})", &wire)
            .message()
            .rfind("ex.User: at since: not a google.protobuf.Timestamp", 0) == 0);
  CHECK(EncodeJson(*s, "[1]", &wire).message() == "ex.User: expected an object (ex.User), got an array");
  CHECK(wire.empty());
  auto req = P("syntax = \"proto2\";\nmessage R { required string a = 1; }");
  CHECK(EncodeJson(*req, "{}", &wire).message() == "R: missing required fields a");

  auto bad = kt::proto::Schema::Parse("syntax = \"proto3\";\nmessage A {\n  int32 x = 1\n}", "a.proto");
  CHECK(bad.status().IsInvalidArgument());
  CHECK(bad.status().message() == "a.proto: not a .proto schema: line 4:1: Expected \";\".");
  CHECK(kt::proto::Schema::Parse("syntax = \"proto3\";\nmessage A { B b = 1; }", "a.proto")
            .status()
            .message() == "a.proto: A.b: \"B\" is not defined.");
  CHECK(kt::proto::Schema::Parse("syntax = \"proto3\";\nenum E { X = 0; }", "a.proto").status().message() ==
        "a.proto: the schema defines no message");
  CHECK(kt::proto::Schema::Parse("syntax = \"proto3\";\nimport \"dep.proto\";\nmessage A {}", "a.proto")
            .status()
            .message()
            .find("imports \"dep.proto\"") != std::string::npos);
}

TEST_CASE("protobuf: a schema registered as a base64 FileDescriptorProto (Confluent's Python client)") {
  // protoc --descriptor_set_out of `syntax = "proto3"; message M { string s = 1; }` (file m.proto).
  std::string fdp("\x0a\x07m.proto\"\x11\x0a\x01M\x12\x0c\x0a\x01s\x18\x01 \x01(\x09R\x01s\x62\x06proto3",
                  36);
  std::string b64;
  kt::Base64Encode(fdp, &b64);
  auto s = P(b64);
  CHECK(s->full_name() == "M");
  CHECK(Decode(*s, std::string("\x00\x0a\x02hi", 5)) == R"({"s":"hi"})");
}

TEST_CASE("protobuf codec: Confluent's wire format through a registry; subjects and types") {
  auto reg = std::make_shared<kt::test::FakeRegistry>();
  int id = *reg->Register("users-value", kProto, "PROTOBUF");
  kt::WriterSchemaChoice choice;
  choice.topic = "users";
  auto codec = *kt::Codec::Parse("protobuf");
  CHECK(codec.IsJson());
  CHECK(codec.IsProtobuf());
  CHECK(codec.UsesRegistry());
  CHECK_FALSE(kt::Codec::Parse("protobuf|binary").ok());
  codec.BindRegistry(std::make_shared<kt::RegistryWire>(kt::WireFormat::kProtobuf, reg, choice));
  std::string scratch, scratch2;
  std::string_view wire, text;
  REQUIRE(codec.Encode(R"({"name":"bo"})", &scratch, &wire).ok());
  CHECK(std::string(wire) == std::string("\x00\x00\x00\x00", 4) + char(id) +
                                 std::string("\x00\x0a\x02"
                                             "bo",
                                             5));
  REQUIRE(codec.Decode(wire, &scratch2, &text).ok());
  CHECK(text == R"({"name":"bo","age":0,"id":"0","plan":"FREE"})");
  // A pass-through keeps the bytes of the writer's first message, not of another message.
  CHECK(codec.KeepsWire(wire));
  CHECK_FALSE(codec.KeepsWire(std::string("\x00\x00\x00\x00", 4) + char(id) + std::string("\x02\x02", 2)));
  CHECK_FALSE(codec.KeepsWire(std::string("\x00\x00\x00\x00", 4) + char(id + 1) + std::string(1, '\0')));
  auto bad = codec.Encode(R"({"age":true})", &scratch, &wire);
  CHECK(bad.IsDataError());
  CHECK(bad.message().rfind("does not fit Protobuf schema id " + std::to_string(id) +
                                ": ex.User: at age: expected an integer, got a boolean",
                            0) == 0);
  // An Avro schema's id read as protobuf.
  int avro_id = *reg->Register("a-value", R"("string")", "AVRO");
  auto wrong = codec.Decode(std::string("\x00\x00\x00\x00", 4) + char(avro_id) + std::string(1, '\0'),
                            &scratch2, &text);
  CHECK(wrong.message() == "schema id " + std::to_string(avro_id) + " is AVRO, not PROTOBUF");
  // The record strategy names the subject after the message.
  kt::WriterSchemaChoice by_record;
  by_record.topic = "t";
  by_record.strategy = kt::SubjectStrategy::kRecord;
  by_record.id = id;
  auto rcodec = *kt::Codec::Parse("protobuf");
  rcodec.BindRegistry(std::make_shared<kt::RegistryWire>(kt::WireFormat::kProtobuf, reg, by_record));
  REQUIRE(rcodec.Encode("{}", &scratch, &wire).ok());
  // No schema for a subject that has none: protobuf is never inferred.
  kt::WriterSchemaChoice none;
  none.topic = "empty";
  auto ncodec = *kt::Codec::Parse("protobuf");
  ncodec.BindRegistry(std::make_shared<kt::RegistryWire>(kt::WireFormat::kProtobuf, reg, none));
  auto missing = ncodec.Encode("{}", &scratch, &wire);
  CHECK(missing.IsInvalidArgument());
  CHECK(missing.message() ==
        "subject 'empty-value' not found: give --value-schema FILE (or id:N) to write Protobuf");
}

TEST_CASE("protobuf: the JSON printer: floats, unknown enum numbers, map keys, well-known types, bad UTF-8") {
  auto s = P(R"(syntax = "proto3";
import "google/protobuf/wrappers.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/duration.proto";
message M {
  enum E { Z = 0; }
  float f = 1; double d = 2; E e = 3;
  map<int64, bool> by_id = 4; map<bool, string> flags = 5;
  google.protobuf.Int64Value w = 6; google.protobuf.Struct st = 7; google.protobuf.Duration du = 8;
  repeated float fs = 9; uint64 big = 10;
})");
  std::string wire;
  REQUIRE(EncodeJson(
              *s,
              R"({"f":0.1,"d":-0.0,"by_id":{"-5":true},"flags":{"true":"y"},"w":"7","st":{"a":[1,"x",null]},)"
              R"("du":"1.5s","fs":["NaN","-Infinity",3e38],"big":"18446744073709551615"})",
              &wire)
              .ok());
  CHECK(
      Decode(*s, wire) ==
      R"({"f":0.1,"d":-0,"e":"Z","by_id":{"-5":true},"flags":{"true":"y"},"w":"7",)"
      R"("st":{"a":[1,"x",null]},"du":"1.500s","fs":["NaN","-Infinity",3e+38],"big":"18446744073709551615"})");
  // Enum number 7, which the schema does not name: the number.
  CHECK(Decode(*s, std::string("\x00\x18\x07", 3)) ==
        R"({"f":0,"d":0,"e":7,"by_id":{},"flags":{},"fs":[],"big":"0"})");
  // Parse errors name the path: array index, map key; one oneof member only.
  CHECK(EncodeJson(*s, R"({"fs":[1,"x"]})", &wire).message() ==
        "M: at fs[1]: 'x' is not a number (or NaN, Infinity, -Infinity)");
  CHECK(EncodeJson(*s, R"({"by_id":{"x":true}})", &wire).message() ==
        R"(M: at by_id["x"]: 'x' is not an integer)");
  auto o = P("syntax = \"proto3\";\nmessage O { oneof c { string a = 1; int32 b = 2; } }");
  CHECK(EncodeJson(*o, R"({"a":"x","b":1})", &wire).message() == "O: at b: oneof c is already set by a");
  // proto2 strings are not checked by the parser: the printer refuses bytes that are not UTF-8.
  auto p2 = P("syntax = \"proto2\";\nmessage T { optional string s = 1; }");
  std::string out;
  auto bad = p2->DecodeToJson(std::string("\x00\x0a\x01\xff", 4), &out);
  CHECK(bad.IsDataError());
  CHECK(bad.message() == "T.s: a string that is not UTF-8");
  // proto2 optional fields appear when set only.
  CHECK(Decode(*p2, std::string(1, '\0')) == "{}");
}

namespace {

// Protobuf wire bytes by hand, for what a serializer seldom writes but a parser must take.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) out.push_back(static_cast<char>((v & 0x7f) | 0x80)), v >>= 7;
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Tag(int number, int wire_type) { return Varint(static_cast<uint64_t>(number) << 3 | wire_type); }
std::string Delimited(int number, const std::string& payload) {
  return Tag(number, 2) + Varint(payload.size()) + payload;
}

}  // namespace

// DecodeToJson reads straight from the wire bytes; DecodeParsedToJson parses a message and
// prints its reflection. Both must give the same answer for every input: the same document
// (map entries in any order), or the same error.
TEST_CASE("protobuf: decoding straight from the wire answers as the parser and printer do") {
  auto s = P(R"(syntax = "proto3";
import "google/protobuf/timestamp.proto";
message M {
  enum E { Z = 0; ONE = 1; }
  message In { int32 a = 1; string b = 2; In next = 3; }
  int32 i = 1; int64 l = 2; uint32 u = 3; sint32 si = 4; sint64 sl = 5; bool b = 6;
  fixed32 f32 = 7; sfixed64 sf64 = 8; float fl = 9; double d = 10; string s = 11; bytes by = 12;
  E e = 13; In in = 14; repeated int32 ri = 15; repeated In rin = 16; map<string, In> m = 17;
  oneof o { string os = 18; In oin = 19; } optional int32 oi = 20;
  google.protobuf.Timestamp ts = 21; repeated double rd = 22; map<int32, E> me = 23;
  int32 far = 1000;
})");
  std::string in_a = Tag(1, 0) + Varint(5), in_b = Delimited(2, "x");
  std::string fixed32 = std::string("\x01\x00\x00\x80", 4), fixed64 = std::string(8, '\xff');
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::string nan_bits(reinterpret_cast<const char*>(&nan), 4);
  std::vector<std::pair<const char*, std::string>> cases = {
      {"empty", ""},
      {"negative int32 as 10 bytes", Tag(1, 0) + Varint(static_cast<uint64_t>(-5))},
      {"int64, uint32 from a 64-bit varint",
       Tag(2, 0) + Varint(1ULL << 62) + Tag(3, 0) + Varint((1ULL << 40) + 7)},
      {"zigzag", Tag(4, 0) + Varint(3) + Tag(5, 0) + Varint(UINT64_MAX)},
      {"bool from any nonzero", Tag(6, 0) + Varint(300)},
      {"fixed", Tag(7, 5) + fixed32 + Tag(8, 1) + fixed64},
      {"float NaN, double",
       Tag(9, 5) + nan_bits + Tag(10, 1) + std::string("\x00\x00\x00\x00\x00\x00\xf0\x7f", 8)},
      {"strings with escapes, bytes",
       Delimited(11, "a\"\\\n\x1f\xc3\xa9") + Delimited(12, std::string("\x00\xff", 2))},
      {"unknown enum number", Tag(13, 0) + Varint(9)},
      {"the last scalar wins", Tag(1, 0) + Varint(1) + Tag(1, 0) + Varint(2)},
      {"message occurrences merge", Delimited(14, in_a) + Delimited(14, in_b)},
      {"empty message is present", Delimited(14, "")},
      {"packed and unpacked repeated mix", Delimited(15, Varint(1) + Varint(2)) + Tag(15, 0) + Varint(3)},
      {"repeated messages", Delimited(16, in_a) + Delimited(16, "") + Delimited(16, in_b)},
      {"map entries, one without a value",
       Delimited(17, Delimited(1, "k") + Delimited(2, in_a)) + Delimited(17, Delimited(1, "j"))},
      {"map key given twice",
       Delimited(17, Delimited(1, "k") + Delimited(2, in_a)) + Delimited(17, Delimited(1, "k"))},
      {"map with int keys and enum values",
       Delimited(23, Tag(1, 0) + Varint(static_cast<uint64_t>(-1)) + Tag(2, 0) + Varint(1))},
      {"one oneof member", Delimited(19, in_a)},
      {"two oneof members: the last wins", Delimited(18, "s") + Delimited(19, in_a)},
      {"proto3 optional set to zero", Tag(20, 0) + Varint(0)},
      {"well-known type", Delimited(21, Tag(1, 0) + Varint(1700000000) + Tag(2, 0) + Varint(5000000))},
      {"packed doubles", Delimited(22, std::string(16, '\0'))},
      {"unknown fields are skipped",
       Tag(99, 0) + Varint(1) + Delimited(98, "zz") + Tag(97, 5) + fixed32 + Tag(1, 0) + Varint(4)},
      {"a field number past the table", Tag(1000, 0) + Varint(77)},
      {"a tag in 6 bytes (found by fuzzing)",
       std::string("\xf9\xbf\xff\xff\x88\x00", 6) + std::string(8, 'x')},
      {"a length in 6 bytes", Tag(11, 2) + std::string("\x81\x80\x80\x80\x80\x00", 6) + "a"},
      {"an int32 in 10 bytes with high bits", Tag(1, 0) + std::string(9, '\xff') + "\x7f"},
      {"wire type that does not match", Tag(1, 2) + Varint(1) + "x"},
      {"truncated varint", Tag(1, 0) + "\x80"},
      {"length past the end", Tag(11, 2) + Varint(50) + "abc"},
      {"group", Tag(30, 3) + Tag(30, 4)},
      {"field number 0", Tag(0, 0) + Varint(1)},
      {"wire type 7", Tag(1, 7)},
      {"string not UTF-8", Delimited(11, "\xff")},
      {"string with a surrogate", Delimited(11, "\xed\xa0\x80")},
      {"string with an overlong form", Delimited(11, "\xc0\xaf")},
      {"string past U+10FFFF", Delimited(11, "\xf4\x90\x80\x80")},
      {"map key not UTF-8", Delimited(17, Delimited(1, "\xff"))},
      {"a string twice, the first not UTF-8 (found by fuzzing)",
       Delimited(11, "\x03\x84") + Delimited(11, "")},
      {"a map key twice in one entry, the first not UTF-8",
       Delimited(17, Delimited(1, "\x84") + Delimited(1, "k"))},
      {"a well-known type twice, the first cut short (found by fuzzing)",
       Delimited(21, Tag(7, 2) + Varint(2)) + Delimited(21, std::string("\x00\x02", 2))},
      {"a merged message's string twice",
       Delimited(14, Delimited(2, "\x84")) + Delimited(14, Delimited(2, "ok"))},
      {"packed list cut short", Delimited(15, "\x80")},
  };
  // Nesting: 100 levels of In (accepted by the parser), and 101 (refused).
  for (int depth : {99, 100, 101}) {
    std::string nested = in_a;
    for (int k = 1; k < depth; ++k) nested = Delimited(3, nested);
    cases.push_back({depth == 101 ? "nested 101 deep" : "nested deep", Delimited(14, nested)});
  }
  // proto2: required fields, closed enums, presence of every field, strings the parser does not
  // check (the printer does).
  auto s2 = P(R"(syntax = "proto2";
message P {
  enum E { A = 1; B = 2; }
  message R { required int32 x = 1; optional int32 y = 2; }
  optional int32 i = 1 [default = 5]; optional E e = 2; optional string s = 3; optional R r = 4;
  repeated E re = 5;
})");
  std::vector<std::pair<const char*, std::string>> cases2 = {
      {"proto2: nothing set", ""},
      {"proto2: set to defaults", Tag(1, 0) + Varint(5) + Tag(2, 0) + Varint(1)},
      {"proto2: unknown value of a closed enum", Tag(2, 0) + Varint(9)},
      {"proto2: a known value, then an unknown one", Tag(2, 0) + Varint(2) + Tag(2, 0) + Varint(9)},
      {"proto2: repeated closed enum with an unknown value", Tag(5, 0) + Varint(1) + Tag(5, 0) + Varint(9)},
      {"proto2: string not UTF-8", Delimited(3, "\xff")},
      {"proto2: required field set", Delimited(4, Tag(1, 0) + Varint(3))},
      {"proto2: required field missing", Delimited(4, Tag(2, 0) + Varint(3))},
  };
  for (auto& [what, message] : cases2) cases.push_back({what, message});
  for (auto& [what, message] : cases) {
    INFO(what);
    const kt::proto::Schema& schema = std::string(what).rfind("proto2", 0) == 0 ? *s2 : *s;
    std::string payload = std::string(1, '\0') + message;  // message indexes [0]
    std::string wire_json, parsed_json;
    kt::Status wire = schema.DecodeToJson(payload, &wire_json);
    kt::Status parsed = schema.DecodeParsedToJson(payload, &parsed_json);
    REQUIRE(wire.ok() == parsed.ok());
    CHECK(wire.message() == parsed.message());
    if (!wire.ok()) continue;
    rapidjson::Document a, b;
    REQUIRE(kt::ParseJson(wire_json, &a).ok());
    REQUIRE(kt::ParseJson(parsed_json, &b).ok());
    INFO(wire_json << "\n" << parsed_json);
    CHECK((wire_json == parsed_json || a == b));
    // One JSON name per map key: the last entry of a key wins (the protobuf spec's rule for a
    // parser), where it came.
    if (std::string(what) == "map key given twice")
      CHECK(parsed_json.find(R"("m":{"k":{"a":0,"b":""}})") != std::string::npos);
  }
}
