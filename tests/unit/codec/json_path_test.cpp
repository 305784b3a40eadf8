#include "kt/codec/json_path.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "kt/core/json_reader.hpp"

namespace {

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

rapidjson::Document Doc(const std::string& text) {
  rapidjson::Document d;
  REQUIRE(kt::ParseJsonText(text, &d).ok());
  return d;
}

}  // namespace

TEST_CASE("JsonNesting counts levels of arrays and objects, up to the limit and one more") {
  CHECK(kt::JsonNesting(Doc("1")) == 0);
  CHECK(kt::JsonNesting(Doc("[]")) == 1);
  CHECK(kt::JsonNesting(Doc(R"({"a":[1,{"b":{}}],"c":[]})")) == 4);
  CHECK(kt::JsonNesting(Doc(Nested(kt::kMaxJsonDepth))) == kt::kMaxJsonDepth);
  CHECK(kt::JsonNesting(Doc(Nested(50)), 10) == 11);
}

TEST_CASE("field paths and SetField keep every record within the depth JSON readers take") {
  std::string deepest;
  for (int i = 0; i < kt::kMaxJsonDepth; ++i) deepest += i ? ".a" : "a";
  auto path = kt::ParseFieldPath(deepest);
  REQUIRE(path.ok());
  CHECK_FALSE(kt::ParseFieldPath(deepest + ".a").ok());
  // A scalar at the deepest path: 1000 levels, read back.
  rapidjson::Document doc = Doc(R"({"x":1})");
  REQUIRE(kt::SetField(&doc, *path, rapidjson::Value(1)).ok());
  std::string text = kt::ToJson(doc);
  rapidjson::Document back;
  CHECK(kt::ParseJsonText(text, &back).ok());
  // An array there would be the 1001st level: refused, the document unchanged.
  doc = Doc(R"({"x":1})");
  kt::Status s = kt::SetField(&doc, *path, rapidjson::Value(rapidjson::kArrayType));
  CHECK(s.IsDataError());
  CHECK(kt::ToJson(doc) == R"({"x":1})");
  // A copy of a value at the limit, one field down.
  rapidjson::Document deep = Doc(R"({"d":)" + Nested(kt::kMaxJsonDepth - 1) + "}");
  rapidjson::Value copy(deep, deep.GetAllocator());
  s = kt::SetField(&deep, {"copy"}, std::move(copy));
  CHECK(s.IsDataError());
  CHECK(s.message().find("the value for field 'copy' nests 1000 levels or more, at a depth of 1") == 0);
  rapidjson::Value shallow(rapidjson::kObjectType);
  CHECK(kt::SetField(&deep, {"s"}, std::move(shallow)).ok());
}

TEST_CASE("a field path is UTF-8 text: its names are written into JSON records") {
  CHECK(kt::ParseFieldPath("caf\xC3\xA9.n").ok());
  auto bad = kt::ParseFieldPath("a.\xFF");
  REQUIRE(bad.status().IsInvalidArgument());
  CHECK(bad.status().message() == "field path 'a.\xEF\xBF\xBD' is not UTF-8 text");
  CHECK(kt::ParseFieldPath("\xC3").status().IsInvalidArgument());  // cut short
}
