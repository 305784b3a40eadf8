#include "kt/core/json_text.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <limits>
#include <random>

#include "kt/core/json.hpp"

// JsonText writes what rapidjson's Writer writes through its byte-at-a-time path (a stream of
// our own: Writer<StringBuffer>'s SSE2 path leaves 0x1A-0x1F raw), for every kind of string: a
// differential test over random strings of every byte class (plain, escaped, control, UTF-8),
// at every length around the 8-byte steps it scans in.
TEST_CASE("JsonText writes strings, keys and values as rapidjson's Writer does") {
  std::mt19937 rng(42);
  const std::string pieces[] = {"a",
                                "Z",
                                "0",
                                " ",
                                "\"",
                                "\\",
                                "\n",
                                "\t",
                                "\x01",
                                "\x1f",
                                "/",
                                "\x7f",
                                "\xc3\xa9",
                                "\xe2\x82\xac",
                                "\xf0\x9f\x98\x80"};
  for (int round = 0; round < 2000; ++round) {
    std::string s;
    size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) s += pieces[rng() % std::size(pieces)];
    std::string expected;
    kt::StringOutStream os{&expected};
    rapidjson::Writer<kt::StringOutStream> w(os);
    std::string out;
    kt::JsonText t(&out);
    w.StartObject(), t.StartObject();
    w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size())), t.Key(s.data(), s.size());
    w.StartArray(), t.StartArray();
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())), t.String(s.data(), s.size());
    w.Int64(-static_cast<int64_t>(round) * 1000003), t.Int64(-static_cast<int64_t>(round) * 1000003);
    w.Null(), t.Null();
    w.Bool(round % 2), t.Bool(round % 2);
    w.RawValue("1.5", 3, rapidjson::kNumberType), t.RawValue("1.5", 3);
    w.StartObject(), t.StartObject();
    w.EndObject(), t.EndObject();
    w.EndArray(), t.EndArray();
    w.Key("k", 1), t.Key("k", 1);
    w.Uint(4000000000u), t.Uint(4000000000u);
    w.EndObject(), t.EndObject();
    REQUIRE(out == expected);
    for (char c : out) REQUIRE(static_cast<unsigned char>(c) >= 0x20);
  }
}

TEST_CASE("JsonText doubles as rapidjson's Writer writes them; NaN and infinities as null") {
  for (double d : {0.0, -0.0, 0.5, 1e21, 1.0 / 3, -2.5e-300, 63.08}) {
    std::string expected, out;
    kt::StringOutStream os{&expected};
    rapidjson::Writer<kt::StringOutStream> w(os);
    w.Double(d);
    kt::JsonText(&out).Double(d);
    CHECK(out == expected);
  }
  std::string out;
  kt::JsonText t(&out);
  t.StartArray();
  t.Double(std::numeric_limits<double>::quiet_NaN());
  t.Double(std::numeric_limits<double>::infinity());
  t.EndArray();
  CHECK(out == "[null,null]");
}

TEST_CASE("JsonText appends to what the string holds") {
  std::string out = "x";
  kt::JsonText t(&out);
  t.StartArray();
  t.String("a\"b");
  t.EndArray();
  CHECK(out == R"(x["a\"b"])");
}

// AppendJson (JsonText over a document) writes what Value::Accept through rapidjson's Writer
// (ExactWriter, for recorded number texts) writes: random documents of every value kind, nested,
// numbers of every width, and strings of every byte class.
TEST_CASE("AppendJson writes documents as rapidjson's Writer does, recorded number texts included") {
  std::mt19937_64 rng(7);
  const std::string pieces[] = {"a", "\"", "\\", "\n", "\x01", "\x1b", "\xc3\xa9", "\xf0\x9f\x98\x80", "key"};
  kt::RawNumbers raw;
  raw.Add(0.1, "0.10");
  raw.Add(1e300, "1.0e300");
  auto text = [&] {
    std::string s;
    for (size_t i = rng() % 12; i > 0; --i) s += pieces[rng() % std::size(pieces)];
    return s;
  };
  std::function<void(rapidjson::Value*, rapidjson::Document::AllocatorType&, int)> fill;
  fill = [&](rapidjson::Value* v, rapidjson::Document::AllocatorType& a, int depth) {
    switch (rng() % (depth < 4 ? 11 : 9)) {
      case 0:
        v->SetNull();
        break;
      case 1:
        v->SetBool(rng() % 2);
        break;
      case 2:
        v->SetInt(static_cast<int>(rng()));
        break;
      case 3:
        v->SetUint(static_cast<unsigned>(rng()));
        break;
      case 4:
        v->SetInt64(static_cast<int64_t>(rng()));
        break;
      case 5:
        v->SetUint64(rng() | (uint64_t{1} << 63));
        break;
      case 6: {
        const double ds[] = {0.1, 1e300, -0.0, 0.5, 1e21, 1.0 / 3, -2.5e-300, 63.08, 4e15};
        v->SetDouble(ds[rng() % std::size(ds)]);
        break;
      }
      case 7:
      case 8: {
        std::string s = text();
        v->SetString(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
        break;
      }
      case 9:
        v->SetArray();
        for (size_t i = rng() % 4; i > 0; --i) {
          rapidjson::Value e;
          fill(&e, a, depth + 1);
          v->PushBack(e, a);
        }
        break;
      default:
        v->SetObject();
        for (size_t i = rng() % 4; i > 0; --i) {
          rapidjson::Value e;
          fill(&e, a, depth + 1);
          std::string k = text();
          v->AddMember(rapidjson::Value(k.data(), static_cast<rapidjson::SizeType>(k.size()), a), e, a);
        }
    }
  };
  for (int round = 0; round < 3000; ++round) {
    rapidjson::Document doc;
    fill(&doc, doc.GetAllocator(), 0);
    const kt::RawNumbers* tables[] = {nullptr, &raw};
    for (const kt::RawNumbers* numbers : tables) {
      std::string expected, out = "[1";  // appended: what was there stays
      kt::StringOutStream os{&expected};
      kt::RawNumbers none;
      kt::ExactWriter<rapidjson::Writer<kt::StringOutStream>> w(os, numbers ? numbers : &none);
      REQUIRE(doc.Accept(w));
      kt::AppendJson(doc, &out, numbers);
      REQUIRE(out == "[1" + expected);
    }
  }
}
