#include "kt/core/json_reader.hpp"

#include <catch2/catch.hpp>

#include "kt/core/strings.hpp"

namespace {
std::string RoundTrip(const std::string& text) {
  rapidjson::Document d;
  kt::Status s = kt::ParseJsonText(text, &d);
  if (!s.ok()) return "ERROR " + s.message();
  return kt::ToJson(d);
}
}  // namespace

TEST_CASE("numbers parse exactly and keep their kind") {
  CHECK(RoundTrip("44.3") == "44.3");
  CHECK(RoundTrip("63.08") == "63.08");
  CHECK(RoundTrip("3.0") == "3.0");
  CHECK(RoundTrip("-0") == "0");
  CHECK(RoundTrip("9223372036854775807") == "9223372036854775807");
  CHECK(RoundTrip("-9223372036854775808") == "-9223372036854775808");
  CHECK(RoundTrip("18446744073709551615") == "18446744073709551615");
  CHECK(RoundTrip("1e3") == "1000.0");
  CHECK(RoundTrip("[0.1,2.5e-3,1.7976931348623157e308]") == "[0.1,0.0025,1.7976931348623157e308]");
  rapidjson::Document d;
  REQUIRE(kt::ParseJsonText("[1, 1.0, 18446744073709551615, 123456789012345678901234567890]", &d).ok());
  CHECK(d[0].IsInt64());
  CHECK(d[1].IsDouble());
  CHECK(d[2].IsUint64());
  CHECK(d[3].IsDouble());
  CHECK(d[3].GetDouble() == 1.2345678901234568e29);
}

// scripts/fuzz found RapidJSON 1.1.0's full-precision parser calling clz(0) on these.
TEST_CASE("zero significands with large exponents are zero") {
  CHECK(RoundTrip("0e81") == "0.0");
  CHECK(RoundTrip("0.0000000000000000000000000") == "0.0");
  CHECK(RoundTrip("0e-400") == "0.0");
  CHECK(RoundTrip("-0.0e99") == "-0.0");
  CHECK(RoundTrip("1e-400") == "0.0");
}

TEST_CASE("numbers out of range and bad JSON are data errors with a column") {
  CHECK(RoundTrip("1e400").find("ERROR invalid JSON at column") == 0);
  CHECK(RoundTrip("[1, -1e999]").find("Number too big") != std::string::npos);
  CHECK(RoundTrip("{\"a\":01}").find("ERROR invalid JSON") == 0);
  CHECK(RoundTrip("{\"a\":1} x").find("ERROR invalid JSON at column 9") == 0);
  CHECK(kt::ValidateJsonText("{\"a\":[1,2.5,\"x\",null,true]}").ok());
  CHECK(kt::ValidateJsonText("0e81").ok());
  CHECK(kt::ValidateJsonText("1e400").IsDataError());
  CHECK(kt::ValidateJsonText("{").IsDataError());
}

TEST_CASE("in-situ parsing points strings into the buffer") {
  std::string buf = R"({"k":"value","n":2})";
  rapidjson::Document d;
  REQUIRE(kt::ParseJsonInsitu(&buf, &d).ok());
  CHECK(d["k"].GetString() >= buf.data());
  CHECK(d["k"].GetString() < buf.data() + buf.size());
  CHECK(d["n"].GetInt64() == 2);
}

// Issue 11: a number the user did not touch came out as 1.2345678901234568e29.
TEST_CASE("numbers that a tool does not change keep their exact text") {
  const std::string in =
      R"({"big":123456789012345678901234567890,"pi":3.14159265358979323846,"a":1.50,"e":1e3,"i":42,"d":0.1})";
  rapidjson::Document d;
  kt::RawNumbers raw;
  REQUIRE(kt::ParseJsonText(in, &d, &raw).ok());
  CHECK(d["big"].IsDouble());  // the value is still a number for expressions
  std::string out;
  kt::AppendJson(d, &out, &raw);
  CHECK(out == in);
  // Reshaped (a field dropped before them, one added): the texts stay with their values.
  d.EraseMember("big");
  d.AddMember("x", 1, d.GetAllocator());
  out.clear();
  kt::AppendJson(d, &out, &raw);
  CHECK(out == R"({"pi":3.14159265358979323846,"a":1.50,"e":1e3,"i":42,"d":0.1,"x":1})");
  // Without the table: the doubles' shortest forms.
  out.clear();
  kt::AppendJson(d, &out);
  CHECK(out == R"({"pi":3.141592653589793,"a":1.5,"e":1000.0,"i":42,"d":0.1,"x":1})");
}

TEST_CASE("JSON text must be valid UTF-8 and end where the document ends (no NUL)") {
  rapidjson::Document d;
  kt::Status s = kt::ParseJsonText("{\"uri\":\"/a\xff\xfe\"}", &d);
  CHECK(s.IsDataError());
  CHECK(s.message() == "invalid JSON at column 11: invalid UTF-8");
  CHECK(kt::ValidateJsonText("{\"uri\":\"/a\xff\xfe\"}").IsDataError());
  CHECK(kt::ValidateJsonText("\"caf\xc3\xa9\"").ok());  // valid two-byte UTF-8
  std::string nul("{\"a\":1}\0garbage", 15);
  s = kt::ParseJsonText(nul, &d);
  CHECK(s.IsDataError());
  CHECK(s.message() == "invalid JSON at column 8: a NUL byte");
  CHECK(kt::ValidateJsonText(nul).IsDataError());
  std::string buf = nul;
  CHECK(kt::ParseJsonInsitu(&buf, &d).IsDataError());
}

TEST_CASE("a raw control character is refused wherever it stands (RapidJSON's SSE2 scan missed 0x1A-0x1F)") {
  rapidjson::Document d;
  for (unsigned char c = 1; c < 0x20; ++c) {
    for (size_t pad = 0; pad < 40; ++pad) {  // every position in an aligned 16-byte block, and more
      std::string text = "{\"s\":\"" + std::string(pad, 'a') + std::string(1, static_cast<char>(c)) +
                         "bbbbbbbbbbbbbbbbbbbbbbbbb\"}";
      INFO("byte " << int(c) << " after " << pad << " bytes");
      kt::Status s = kt::ParseJsonText(text, &d);
      REQUIRE(s.IsDataError());
      if (c >= 0x1A) {  // the bytes RapidJSON alone let through
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        CHECK(s.message() == "invalid JSON at column " + std::to_string(pad + 7) +
                                 ": a raw control character (" + hex + "), which JSON strings must escape");
      }
      CHECK(kt::ValidateJsonText(text).IsDataError());
      std::string buf = text;
      CHECK(kt::ParseJsonInsitu(&buf, &d).IsDataError());
    }
  }
  CHECK(kt::ParseJsonText("{\"s\":\t\"a\"\r\n}", &d).ok());  // JSON's whitespace, outside strings
}

TEST_CASE("invalid UTF-8 and a lone low surrogate escape are refused wherever they stand") {
  // Every position in 8-byte words and after them: the scans take 8 bytes at a time, then the
  // rest one by one, and text of printable ASCII alone skips the UTF-8 and escape scans.
  rapidjson::Document d;
  for (std::string bad :
       {std::string("\xff"), std::string("\xc3("), std::string("\xed\xb0\x80"), std::string("\\uDC00")}) {
    for (size_t pad = 0; pad < 40; ++pad) {
      for (size_t tail : {0, 1, 7, 8, 25}) {
        std::string text = "{\"s\":\"" + std::string(pad, 'a') + bad + std::string(tail, 'b') + "\"}";
        INFO(bad << " after " << pad << " bytes, " << tail << " after it");
        kt::Status s = kt::ParseJsonText(text, &d);
        REQUIRE(s.IsDataError());
        CHECK(s.message().starts_with("invalid JSON at column " + std::to_string(pad + 7) + ": "));
        CHECK(kt::ValidateJsonText(text).message() == s.message());
        std::string buf = text;
        CHECK(kt::ParseJsonInsitu(&buf, &d).message() == s.message());
      }
    }
  }
  // And what is fine beside them still parses: escapes, UTF-8, DEL (0x7F is no control character).
  for (std::string good : {R"({"s":"a\"b"})", "{\"s\":\"caf\xc3\xa9\"}", "{\"s\":\"\x7f\"}", "[1, 2]"}) {
    INFO(good);
    CHECK(kt::ParseJsonText(good, &d).ok());
    CHECK(kt::ValidateJsonText(good).ok());
  }
}

TEST_CASE("a \\u escape of a lone surrogate is a data error, as the UTF-8 it would decode to") {
  // RapidJSON 1.1 refuses a lone high surrogate itself and decoded a lone low one to bytes
  // that no UTF-8 reader takes back (the JSON fuzzer found it: ktools wrote what it rejects).
  const std::string why =
      "a \\u escape of a lone low surrogate (\\uDC00-\\uDFFF without a high one before it)";
  for (std::string bad : {R"({"s":"ab\uDC00"})", R"({"s":"\udfff x"})", R"({"\uDE00":1})",
                          R"(["\uD83D\uDE00\uDE00"])", R"(["\\\uDC00"])"}) {
    INFO(bad);
    rapidjson::Document d;
    kt::Status s = kt::ParseJsonText(bad, &d);
    CHECK(s.IsDataError());
    CHECK(s.message().ends_with(why));
    CHECK(s.message().starts_with("invalid JSON at column " + std::to_string(bad.rfind("\\u") + 1) + ":"));
    CHECK(kt::ValidateJsonText(bad).message() == s.message());
    CHECK(kt::ParseJsonInsitu(&bad, &d).message() == s.message());
  }
  rapidjson::Document high;
  CHECK(kt::ParseJsonText(R"({"s":"\uD800"})", &high).IsDataError());  // RapidJSON's own rule
  // A pair, and characters whose UTF-8 starts with ED but are no surrogates, are fine.
  for (std::string good : {R"(["\uD83D\uDE00"])", R"(["\\uDC00", "\\\\uDC00"])",
                           "[\"\xed\x9f\xbf\", \"\\uD7FF\", \"\\uE000\"]"}) {
    INFO(good);
    rapidjson::Document d;
    REQUIRE(kt::ParseJsonText(good, &d).ok());
    std::string out;
    kt::AppendJson(d, &out);
    CHECK(kt::IsValidUtf8(out));
    CHECK(kt::ValidateJsonText(good).ok());
  }
}

TEST_CASE("SingleLineJson keeps one-line text as it is and joins a value written over lines") {
  std::string scratch;
  std::string_view one = R"({"a": 1.50, "b":[1, 2]})";
  std::string_view out = kt::SingleLineJson(one, &scratch);
  CHECK(out.data() == one.data());  // no copy
  CHECK(kt::SingleLineJson("{\n  \"a\": 1.50,\r\n  \"s\": \"x\\ny\"\n}", &scratch) ==
        R"({"a":1.50,"s":"x\ny"})");
  CHECK(kt::SingleLineJson("{\n  \"a\": \n", &scratch) == "{   \"a\":  ");  // not JSON: breaks become spaces
}

TEST_CASE("in-situ parsing leaves room after the text for the SIMD scanners") {
  for (size_t n = 0; n < 40; ++n) {  // every length against the 16-byte blocks
    std::string buf = "\"" + std::string(n, 'x') + "\"";
    buf.shrink_to_fit();
    rapidjson::Document d;
    REQUIRE(kt::ParseJsonInsitu(&buf, &d).ok());
    CHECK(buf.capacity() >= buf.size() + kt::kJsonScanPad);
    CHECK(d.GetStringLength() == n);
    CHECK(kt::ValidateJsonText(std::string(n, ' ') + "[\"" + std::string(n, 'y') + "\"]").ok());
  }
}

TEST_CASE("FillsJsonDepth: whether a value is at the nesting limit, brackets in strings not counted") {
  auto nested = [](int depth, std::string inner) {
    return std::string(depth, '[') + inner + std::string(depth, ']');
  };
  CHECK(kt::FillsJsonDepth(nested(kt::kMaxJsonDepth, "1")));
  CHECK(kt::FillsJsonDepth("{\"a\":" + nested(kt::kMaxJsonDepth - 1, "") + "}"));
  CHECK_FALSE(kt::FillsJsonDepth(nested(kt::kMaxJsonDepth - 1, "1")));
  // Long values that are not deep: brackets inside strings, escaped quotes included.
  CHECK_FALSE(kt::FillsJsonDepth("[\"" + std::string(5000, '[') + "\"]"));
  CHECK_FALSE(kt::FillsJsonDepth("[\"\\\"" + std::string(5000, '{') + "\"]"));
  // Siblings do not add up: a thousand arrays side by side are two levels deep.
  std::string wide = "[";
  for (int i = 0; i < 1000; ++i) wide += i ? ",[]" : "[]";
  CHECK_FALSE(kt::FillsJsonDepth(wide + "]"));
}

TEST_CASE("nesting is bounded: 1000 levels parse, deeper is an error and never a stack overflow") {
  auto nested = [](int depth, const char* open, const char* close) {
    std::string t;
    for (int i = 0; i < depth; ++i) t += open;
    t += "1";
    for (int i = 0; i < depth; ++i) t += close;
    return t;
  };
  for (auto [open, close] : {std::pair{"[", "]"}, std::pair{"{\"a\":", "}"}}) {
    INFO(open);
    rapidjson::Document d;
    CHECK(kt::ParseJsonText(nested(kt::kMaxJsonDepth, open, close), &d).ok());
    CHECK(kt::ValidateJsonText(nested(kt::kMaxJsonDepth, open, close)).ok());
    for (int depth : {kt::kMaxJsonDepth + 1, 200000}) {
      std::string deep = nested(depth, open, close);
      kt::Status s = kt::ParseJsonText(deep, &d);
      CHECK(s.IsDataError());
      CHECK(s.message().find("nested deeper than 1000 levels") != std::string::npos);
      CHECK(d.IsNull());
      CHECK(kt::ValidateJsonText(deep).IsDataError());
      CHECK(kt::ParseJsonInsitu(&deep, &d).IsDataError());
    }
  }
}
