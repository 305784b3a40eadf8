#include "kt/core/json_field_scan.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "kt/core/json_reader.hpp"

namespace {

// The scanner's answer, or "<none>".
std::string Scan(std::string_view json, std::string_view name = "uri") {
  std::string_view v;
  return kt::ScanPlainStringField(json, name, &v) ? std::string(v) : "<none>";
}

}  // namespace

TEST_CASE("json_field_scan: a top-level string member, wherever it stands") {
  CHECK(Scan(R"({"uri":"/help"})") == "/help");
  CHECK(Scan(R"({"email":"a@b.c","timestamp":"2026-11-20T09:00:00Z","uri":"/cart","number":81})") == "/cart");
  CHECK(Scan(" \n{ \"n\" : [1, {\"uri\": \"x\"}, \"]}\"] ,\t\"uri\" : \"\" } \r\n") == "");
  CHECK(Scan(R"({"a":{"b":{"c":[[],{}]}},"s":"q\"uo}te","uri":"é/ü"})") == "é/ü");
  CHECK(Scan(R"({"uri":"v","x":true,"y":null,"z":-1.5e3})") == "v");
  CHECK(Scan(R"({"url":"a","uri2":"b","uri":"c"})") == "c");
}

TEST_CASE("json_field_scan: declines what it cannot tell exactly") {
  CHECK(Scan(R"({"uri":"a\/b"})") == "<none>");         // an escape: the parser's text differs
  CHECK(Scan(R"({"u\u0072i":"a"})") == "<none>");       // an escaped name may spell it
  CHECK(Scan(R"({"uri":"a","uri":"b"})") == "<none>");  // twice
  CHECK(Scan(R"({"uri":7})") == "<none>");
  CHECK(Scan(R"({"uri":null})") == "<none>");
  CHECK(Scan(R"({"uri":{"x":"y"}})") == "<none>");
  CHECK(Scan(R"({"other":"a"})") == "<none>");
  CHECK(Scan(R"({"nested":{"uri":"a"}})") == "<none>");
  CHECK(Scan(R"({})") == "<none>");
  CHECK(Scan(R"(["uri","a"])") == "<none>");
  CHECK(Scan(R"("uri")") == "<none>");
  CHECK(Scan("") == "<none>");
  CHECK(Scan(std::string("{\"uri\":\"a\tb\"}")) == "<none>");  // a raw control character
  CHECK(Scan(R"({"uri":"a")") == "<none>");                    // unterminated
  CHECK(Scan(R"({"uri":"a"} x)") == "<none>");
  CHECK(Scan(R"({"uri":"a",})") == "<none>");
  CHECK(Scan(R"({"x":"unterminated})") == "<none>");
  CHECK(Scan(R"({"x":"a\"})") == "<none>");
  CHECK(Scan(std::string(2000, '[')) == "<none>");
  std::string deep = "{\"d\":" + std::string(kt::kMaxJsonDepth + 1, '[') +
                     std::string(kt::kMaxJsonDepth + 1, ']') + ",\"uri\":\"a\"}";
  CHECK(Scan(deep) == "<none>");
}

TEST_CASE("json_field_scan: every answer is what the parser reads") {
  const char* texts[] = {
      R"({"uri":"/a","n":{"uri":"/b"}})", R"({"n":["uri","/x"],"uri":"/c"})",
      R"({"s":"\\","uri":"/d"})",         R"({ "uri" : "/e" , "m" : [ { } , [ ] ] })",
      R"({"uri":"/f","t":"\"}"})",
  };
  for (const char* t : texts) {
    rapidjson::Document doc;
    REQUIRE(kt::ParseJsonText(t, &doc).ok());
    std::string_view v;
    REQUIRE(kt::ScanPlainStringField(t, "uri", &v));
    CHECK(v == std::string_view(doc["uri"].GetString(), doc["uri"].GetStringLength()));
  }
}
