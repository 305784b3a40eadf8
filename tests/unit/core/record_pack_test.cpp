#include "kt/core/record_pack.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using kt::PackedRecord;
using kt::PackWriter;

namespace {

// Every record of a pack, read back in order.
std::vector<PackedRecord> ReadAll(std::string_view pack) {
  std::vector<PackedRecord> out;
  auto start = kt::PackStart(pack);
  REQUIRE(start.ok());
  size_t at = *start;
  while (at < pack.size()) {
    PackedRecord r;
    kt::Status s = kt::ReadPacked(pack, &at, &r);
    REQUIRE(s.ok());
    out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("a pack gives back each record's key, value, timestamp and headers, nulls included") {
  PackWriter w;
  kt::Headers h1{
      {"kt.origin.pos", std::string_view("3:17")}, {"empty", std::string_view("")}, {"null", std::nullopt}};
  std::string big(70000, 'x');
  w.Append(std::string_view("\"/a\""), std::string_view("{\"n\":1}"), 1'763'629'200'123, &h1);
  w.Append(std::nullopt, std::nullopt, -1, nullptr);
  w.Append(std::string_view(""), std::string_view(big), INT64_MIN, nullptr);
  w.Append(std::string_view("k"), std::string_view("v"), INT64_MAX, nullptr);
  REQUIRE(w.count() == 4);
  std::string pack = w.bytes();
  auto got = ReadAll(pack);
  REQUIRE(got.size() == 4);
  CHECK(got[0].key == std::string_view("\"/a\""));
  CHECK(got[0].value == std::string_view("{\"n\":1}"));
  CHECK(got[0].timestamp == 1'763'629'200'123);
  REQUIRE(got[0].headers.size() == 3);
  CHECK(got[0].headers[0].name == "kt.origin.pos");
  CHECK(got[0].headers[0].value == std::string_view("3:17"));
  CHECK(got[0].headers[1].value == std::string_view(""));
  CHECK_FALSE(got[0].headers[2].value.has_value());
  CHECK_FALSE(got[1].key.has_value());
  CHECK_FALSE(got[1].value.has_value());
  CHECK(got[1].timestamp == -1);
  CHECK(got[1].headers.empty());
  CHECK(got[2].key == std::string_view(""));
  CHECK(got[2].value->size() == big.size());
  CHECK(got[2].timestamp == INT64_MIN);
  CHECK(got[3].timestamp == INT64_MAX);
  w.Clear();
  CHECK(w.empty());
  CHECK(w.bytes() == std::string(1, '\x01'));
}

TEST_CASE("a pack cut short anywhere, or of another version, is a data error, never a crash") {
  PackWriter w;
  kt::Headers h{{"name", std::string_view("value")}};
  w.Append(std::string_view("key"), std::string_view("value"), 1000, &h);
  w.Append(std::string_view("key2"), std::string_view("value2"), 2000, &h);
  const std::string pack = w.bytes();
  size_t boundary = 1;  // where the second record begins: a cut there is a whole pack of one
  PackedRecord first;
  REQUIRE(kt::ReadPacked(pack, &boundary, &first).ok());
  for (size_t n = 2; n < pack.size(); ++n) {
    std::string_view cut(pack.data(), n);
    size_t at = 1;
    kt::Status s;
    int read = 0;
    while (s.ok() && at < cut.size()) {
      PackedRecord r;
      s = kt::ReadPacked(cut, &at, &r);
      if (s.ok()) ++read;
    }
    INFO("cut at " << n << " of " << pack.size());
    if (n == boundary) {
      CHECK(s.ok());
      CHECK(read == 1);
    } else {
      CHECK(s.IsDataError());
      CHECK(read == (n < boundary ? 0 : 1));
    }
  }
  auto other = kt::PackStart(std::string_view("\x02rest", 5));
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().message().find("version") != std::string::npos);
  CHECK_FALSE(kt::PackStart("").ok());
  // A header count larger than what is left.
  std::string huge("\x01\x02\x00\x00\xff\xff\x03", 7);
  size_t at = 1;
  PackedRecord r;
  kt::Status s = kt::ReadPacked(huge, &at, &r);
  CHECK(s.IsDataError());
  CHECK(s.message().find("header count") != std::string::npos);
  CHECK(at == 1);  // not moved
}

TEST_CASE("only a keyless message whose value begins below 0x20 may be a pack") {
  PackWriter w;
  w.Append(std::string_view("k"), std::string_view("{}"), 1, nullptr);
  CHECK(kt::MayBePack(false, w.bytes()));
  CHECK(kt::MayBePack(false, std::string_view("\x02rest", 5)));  // another version: read, reported
  CHECK(kt::MayBePack(false, ""));                               // an empty pack is reported too
  CHECK(kt::MayBePack(false, std::string_view("\x00\x00\x00\x00\x01", 5)));  // a registry's frame: looked at
  CHECK_FALSE(kt::MayBePack(true, w.bytes()));                               // a pack has no key
  CHECK_FALSE(kt::MayBePack(false, "{\"a\":1}"));
  CHECK_FALSE(kt::MayBePack(false, " 1"));
  CHECK_FALSE(kt::MayBePack(false, "plain text"));
}

TEST_CASE("a commit's metadata says how many records of a packed message are done") {
  CHECK(kt::PackDoneMetadata(0) == "");
  CHECK(kt::PackDoneMetadata(17) == "kt.pack.done=17");
  CHECK(kt::ParsePackDoneMetadata("kt.pack.done=17") == 17);
  for (const char* other : {"", "kt.pack.done=", "kt.pack.done=x", "kt.pack.done=-1", "something else",
                            "kt.pack.done=1234567890"})
    CHECK(kt::ParsePackDoneMetadata(other) == 0);
}
