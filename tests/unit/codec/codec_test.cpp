#include "kt/codec/codec.hpp"

#include <catch2/catch.hpp>

namespace {
std::string Enc(const kt::Codec& c, std::string_view text) {
  std::string scratch;
  std::string_view wire;
  REQUIRE(c.Encode(text, &scratch, &wire).ok());
  return std::string(wire);
}
std::string Dec(const kt::Codec& c, std::string_view wire) {
  std::string scratch;
  std::string_view text;
  REQUIRE(c.Decode(wire, &scratch, &text).ok());
  return std::string(text);
}
}  // namespace

TEST_CASE("json and raw codecs are identity on bytes") {
  for (const char* spec : {"json", "raw"}) {
    auto c = kt::Codec::Parse(spec);
    REQUIRE(c.ok());
    CHECK(c->IsIdentity());
    CHECK(Enc(*c, "{\"a\":1}") == "{\"a\":1}");
    CHECK(Dec(*c, "{\"a\":1}") == "{\"a\":1}");
  }
  CHECK(kt::Codec::Parse("json")->IsJson());
  CHECK_FALSE(kt::Codec::Parse("raw")->IsJson());
}

TEST_CASE("binary codec shows arbitrary bytes as base64 text") {
  auto c = kt::Codec::Parse("binary");
  REQUIRE(c.ok());
  std::string bytes("\x00\xff\x10z", 4);
  CHECK(Dec(*c, bytes) == "AP8Qeg==");
  CHECK(Enc(*c, "AP8Qeg==") == bytes);
}

TEST_CASE("json|binary encodes left to right and decodes right to left") {
  auto c = kt::Codec::Parse("json|binary");
  REQUIRE(c.ok());
  CHECK(c->IsJson());
  CHECK_FALSE(c->IsIdentity());
  // JSON text -> base64 of it on the wire.
  CHECK(Enc(*c, "{\"a\":1}") == "eyJhIjoxfQ==");
  CHECK(Dec(*c, "eyJhIjoxfQ==") == "{\"a\":1}");
}

TEST_CASE("binary|binary nests base64 layers") {
  auto c = kt::Codec::Parse("raw|binary|binary");
  REQUIRE(c.ok());
  std::string wire = Enc(*c, "hi");  // base64(base64("hi"))
  CHECK(wire == "YUdrPQ==");
  CHECK(Dec(*c, wire) == "hi");
}

TEST_CASE("codec specs are validated") {
  CHECK(kt::Codec::Parse("thrift").status().IsInvalidArgument());
  CHECK(kt::Codec::Parse("avro|binary").status().IsInvalidArgument());
  CHECK(kt::Codec::Parse("binary|json").status().IsInvalidArgument());
  CHECK(kt::Codec::Parse("json | binary").ok());
}

TEST_CASE("a bad base64 wire value is a data error") {
  auto c = kt::Codec::Parse("json|binary");
  std::string scratch;
  std::string_view text;
  CHECK(c->Decode("not base64!", &scratch, &text).IsDataError());
}
