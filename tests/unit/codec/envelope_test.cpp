#include "kt/codec/envelope.hpp"

#include <catch2/catch.hpp>

#include "kt/core/json_reader.hpp"

TEST_CASE("envelope round trip keeps key, value, timestamp, headers and position") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  kt::Headers headers{{"trace", "abc"}, {"trace", "def"}, {"empty", std::nullopt}};
  kt::OutRecord r;
  r.key = "user-1";
  r.value_kind = kt::OutRecord::ValueKind::kText;
  r.value_text = R"({"a":1,"b":[true,null]})";
  r.timestamp = 1700000000123;
  r.headers = &headers;
  r.source_topic = "clicks";
  r.source_partition = 3;
  r.source_offset = 42;
  std::string line;
  REQUIRE(kt::AppendEnvelope(r, raw, json, &line).ok());
  CHECK(
      line ==
      R"({"key":"user-1","value":{"a":1,"b":[true,null]},"timestamp":1700000000123,)"
      R"("headers":[["trace","abc"],["trace","def"],["empty",null]],"topic":"clicks","partition":3,"offset":42})");

  rapidjson::Document doc;
  kt::Envelope e;
  REQUIRE(kt::ParseEnvelope(line, raw, json, &doc, &e).ok());
  CHECK(e.key == "user-1");
  CHECK(e.value == R"({"a":1,"b":[true,null]})");
  CHECK(e.timestamp == 1700000000123);
  REQUIRE(e.headers.size() == 3);
  CHECK(e.headers[1].first == "trace");
  CHECK(e.headers[1].second == "def");
  CHECK_FALSE(e.headers[2].second.has_value());
  CHECK(e.topic == "clicks");
  CHECK(e.partition == 3);
  CHECK(e.offset == 42);
}

TEST_CASE("envelope null key and tombstone") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  kt::OutRecord r;
  std::string line;
  REQUIRE(kt::AppendEnvelope(r, raw, json, &line).ok());
  CHECK(line == R"({"key":null,"value":null,"timestamp":null})");
  rapidjson::Document doc;
  kt::Envelope e;
  REQUIRE(kt::ParseEnvelope(line, raw, json, &doc, &e).ok());
  CHECK_FALSE(e.key);
  CHECK_FALSE(e.value);
}

TEST_CASE("envelope accepts header objects and RFC 3339 timestamps on input") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  rapidjson::Document doc;
  kt::Envelope e;
  REQUIRE(kt::ParseEnvelope(R"({"value":7,"timestamp":"1970-01-01T00:00:01.5Z","headers":{"h":"v"}})", raw,
                            json, &doc, &e)
              .ok());
  CHECK(e.value == "7");
  CHECK(e.timestamp == 1500);
  REQUIRE(e.headers.size() == 1);
  CHECK(e.headers[0].second == "v");
}

TEST_CASE("envelope values of raw and binary codecs are strings") {
  auto raw = *kt::Codec::Parse("raw");
  auto bin = *kt::Codec::Parse("binary");
  kt::OutRecord r;
  r.value_kind = kt::OutRecord::ValueKind::kText;
  r.value_text = "AP8=";
  std::string line;
  REQUIRE(kt::AppendEnvelope(r, raw, bin, &line).ok());
  CHECK(line == R"({"key":null,"value":"AP8=","timestamp":null})");
  rapidjson::Document doc;
  kt::Envelope e;
  CHECK(kt::ParseEnvelope(R"({"value":{"a":1}})", raw, bin, &doc, &e).IsDataError());
  CHECK(kt::ParseEnvelope("not json", raw, bin, &doc, &e).IsDataError());
}

TEST_CASE("envelope rejects unknown fields instead of losing them") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  rapidjson::Document doc;
  kt::Envelope e;
  kt::Status s = kt::ParseEnvelope(R"({"email":"a@b","uri":"/"})", raw, json, &doc, &e);
  CHECK(s.IsDataError());
  CHECK(s.message().find("unknown field 'email'") != std::string::npos);
}

TEST_CASE("envelope refuses a raw key or value that is not UTF-8 and leaves the line as it was") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  const std::string key("k\xff\x00", 3);  // a binary key, as a Java LongSerializer or Avro writes
  kt::OutRecord r;
  r.key = key;
  std::string line = "before";
  kt::Status s = kt::AppendEnvelope(r, raw, json, &line);
  CHECK(s.IsDataError());
  CHECK(s.message() ==
        "the key is not UTF-8 text, so it cannot be a JSON string (read binary keys with"
        " --key-format binary, as base64)");
  CHECK(line == "before");
  r.key.reset();
  r.value_kind = kt::OutRecord::ValueKind::kText;
  r.value_text = "\xc3\x28";
  s = kt::AppendEnvelope(r, raw, raw, &line);
  CHECK(s.message().find("--value-format binary") != std::string::npos);
  CHECK(line == "before");
  kt::Headers bad_name{{"h\xfe", "v"}};
  r.value_text = "text";
  r.headers = &bad_name;
  CHECK(kt::AppendEnvelope(r, raw, raw, &line).IsDataError());
  CHECK(line == "before");
}

TEST_CASE("envelope header values that are not UTF-8 travel as base64 objects, exactly") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  const std::string id("\x00\x00\x01\xff", 4);
  kt::Headers headers{{"id", id}, {"text", "é"}};
  kt::OutRecord r;
  r.headers = &headers;
  std::string line;
  REQUIRE(kt::AppendEnvelope(r, raw, json, &line).ok());
  CHECK(
      line ==
      R"({"key":null,"value":null,"timestamp":null,"headers":[["id",{"base64":"AAAB/w=="}],["text","é"]]})");
  rapidjson::Document doc;
  kt::Envelope e;
  REQUIRE(kt::ParseEnvelope(line, raw, json, &doc, &e).ok());
  REQUIRE(e.headers.size() == 2);
  CHECK(e.headers[0].second == id);
  CHECK(e.headers[1].second == "é");
  REQUIRE(kt::ParseEnvelope(R"({"headers":{"id":{"base64":"AAE="}}})", raw, json, &doc, &e).ok());
  CHECK(e.headers[0].second == std::string("\x00\x01", 2));
  CHECK(kt::ParseEnvelope(R"({"headers":{"id":{"base64":"A"}}})", raw, json, &doc, &e).IsDataError());
  CHECK(kt::ParseEnvelope(R"({"headers":{"id":{"hex":"00"}}})", raw, json, &doc, &e).IsDataError());
  CHECK(kt::ParseEnvelope(R"({"headers":[["id",7]]})", raw, json, &doc, &e).IsDataError());
}

TEST_CASE("envelope timestamps before 1970 are refused, not replaced by the time of sending") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  rapidjson::Document doc;
  kt::Envelope e;
  kt::Status s = kt::ParseEnvelope(R"({"value":1,"timestamp":-5})", raw, json, &doc, &e);
  CHECK(s.IsDataError());
  CHECK(s.message() ==
        "envelope timestamp -5 is before 1970: Kafka record times are ms since the epoch (null for none)");
  CHECK(kt::ParseEnvelope(R"({"value":1,"timestamp":-1})", raw, json, &doc, &e).IsDataError());
  CHECK(kt::ParseEnvelope(R"({"value":1,"timestamp":"1969-12-31T23:59:59Z"})", raw, json, &doc, &e)
            .IsDataError());
  REQUIRE(kt::ParseEnvelope(R"({"value":1,"timestamp":0})", raw, json, &doc, &e).ok());
  CHECK(e.timestamp == 0);
  REQUIRE(kt::ParseEnvelope(R"({"value":1,"timestamp":null})", raw, json, &doc, &e).ok());
  CHECK(e.timestamp == -1);
}

TEST_CASE("envelope keys and values keep their numbers as written") {
  auto json = *kt::Codec::Parse("json");
  rapidjson::Document doc;
  kt::Envelope e;
  // Before, the envelope's DOM was written back without the texts: 1.2345678901234568e29,
  // 3.141592653589793, 1.5; a record read from stdin with -J changed numbers nobody touched.
  const char* value = R"({"big":123456789012345678901234567890,"pi":3.14159265358979323846,"x":1.50,"n":7})";
  REQUIRE(kt::ParseEnvelope(std::string(R"({"key":{"k":1e3},"value":)") + value + "}", json, json, &doc, &e)
              .ok());
  CHECK(e.value == value);
  CHECK(e.key == R"({"k":1e3})");
}

TEST_CASE("envelope values may nest as deep as any record value, the envelope not counted") {
  auto json = *kt::Codec::Parse("json");
  auto raw = *kt::Codec::Parse("raw");
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  rapidjson::Document doc;
  kt::Envelope e;
  // kconsume -J writes a value of kMaxJsonDepth levels one level down; kproduce -J takes it back.
  REQUIRE(kt::ParseEnvelope(R"({"value":)" + nested(kt::kMaxJsonDepth) + "}", raw, json, &doc, &e).ok());
  CHECK(e.value == nested(kt::kMaxJsonDepth));
  kt::Status s = kt::ParseEnvelope(R"({"value":)" + nested(kt::kMaxJsonDepth + 1) + "}", raw, json, &doc, &e);
  CHECK(s.IsDataError());
  CHECK(s.message().find("nested deeper than 1000 levels") != std::string::npos);
}
