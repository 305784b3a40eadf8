#include "kt/core/json_doc_writer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "kt/core/json.hpp"
#include "kt/core/json_reader.hpp"
#include "kt/core/json_text.hpp"

namespace {

// Writes the same events to text and to a document (JsonTee), then checks the document is the
// one parsing that text gives, numbers' raw texts included; returns the text.
template <typename Write>
std::string Same(Write write) {
  std::string text;
  rapidjson::Document built;
  kt::RawNumbers built_raw;
  kt::JsonText t(&text);
  REQUIRE(kt::JsonDocWriter::Build(&built, &built_raw, [&](kt::JsonDocWriter& d) {
            kt::JsonTee<kt::JsonText, kt::JsonDocWriter> both(&t, &d);
            write(both);
            return kt::Status::Ok();
          }).ok());
  std::string buffer = text;
  rapidjson::Document parsed;
  kt::RawNumbers parsed_raw;
  REQUIRE(kt::ParseJsonInsitu(&buffer, &parsed, &parsed_raw).ok());
  CHECK(built == parsed);
  std::string a, b;
  kt::AppendJson(built, &a, &built_raw);
  kt::AppendJson(parsed, &b, &parsed_raw);
  CHECK(a == b);
  CHECK(a == text);
  return text;
}

}  // namespace

TEST_CASE("JsonDocWriter builds the document JsonText's text parses to") {
  std::string key = kt::JsonText::PrepareKey("na\"me");
  std::string text = Same([&](auto& w) {
    w.StartObject();
    w.PreparedKey(key, "na\"me");
    w.String("tab\there \x01 \xc3\xa9 \"q\" \\", 20);
    w.Key("n", 1);
    w.Null();
    w.Key("b", 1);
    w.Bool(false);
    w.Key("ints", 4);
    w.StartArray();
    w.Int(-5);
    w.Uint(7);
    w.Int64(std::numeric_limits<int64_t>::min());
    w.Int64(std::numeric_limits<int64_t>::max());
    w.EndArray();
    w.Key("d", 1);
    w.StartArray();
    w.Double(0.1);
    w.Double(-0.0);
    w.Double(1e300);
    w.Double(3.0);
    w.Double(std::nan(""));  // null, as JsonText writes it
    w.EndArray();
    w.Key("raw", 3);
    w.StartArray();
    for (const char* n : {"1.50", "1e3", "-0.0", "0.1", "18446744073709551615", "1.0000000000000000001",
                          "123456789012345678901234567890", "3.4028235e+38", "0"})
      w.RawValue(n, std::strlen(n), rapidjson::kNumberType);
    w.EndArray();
    w.Key("default", 7);
    const char* obj = R"({"x":[1.10,{"y":"z"},null,true],"e":{}})";
    w.RawValue(obj, std::strlen(obj), rapidjson::kObjectType);
    w.Key("empty", 5);
    w.StartObject();
    w.EndObject();
    w.Key("nested", 6);
    w.StartArray();
    w.StartArray();
    w.EndArray();
    w.StartObject();
    w.Key("", 0);
    w.String("", 0);
    w.EndObject();
    w.EndArray();
    w.EndObject();
  });
  CHECK(text.find(R"("raw":[1.50,1e3,-0.0,0.1,18446744073709551615,)") != std::string::npos);
}

TEST_CASE("JsonDocWriter: scalars at the top, and a failed write leaves a null document") {
  Same([](auto& w) { w.String("top", 3); });
  Same([](auto& w) { w.RawValue("2.50", 4, rapidjson::kNumberType); });
  rapidjson::Document doc;
  doc.SetObject();
  kt::RawNumbers raw;
  kt::Status s = kt::JsonDocWriter::Build(&doc, &raw, [](kt::JsonDocWriter& d) {
    d.StartArray();
    d.Int(1);
    return kt::Status::DataError("truncated");
  });
  CHECK(s.IsDataError());
  CHECK(doc.IsNull());
  s = kt::JsonDocWriter::Build(&doc, &raw, [](kt::JsonDocWriter& d) {
    d.RawValue("{bad", 4, rapidjson::kObjectType);
    return kt::Status::Ok();
  });
  CHECK(s.IsDataError());
  CHECK(doc.IsNull());
}

TEST_CASE("JsonNumber converts as the JSON reader does, and refuses what is no JSON number") {
  rapidjson::Value v;
  kt::RawNumbers raw;
  CHECK(kt::JsonNumber("-12", &v, &raw));
  CHECK((v.IsInt64() && v.GetInt64() == -12));
  CHECK(kt::JsonNumber("1.50", &v, &raw));
  CHECK(v.GetDouble() == 1.5);
  REQUIRE(raw.Find(1.5));
  CHECK(*raw.Find(1.5) == "1.50");
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 ", "NaN", "1e999"})
    CHECK_FALSE(kt::JsonNumber(bad, &v, nullptr));
}
