// The expression language, table-driven: every operator and precedence level, null and type
// rules, int/double arithmetic, strings with UTF-8, regex, `in`, metadata, every function, and
// parse errors with their column.
#include "kt/expr/expr.hpp"

#include <catch2/catch.hpp>

namespace {

const char* kValue = R"({"number":150,"uri":"/products/42","email":"ben65@mail.test","price":19.99,
  "qty":3,"name":"  Héllo Wörld  ","tags":["a","b","c"],"nested":{"x":{"y":7},"arr":[1,2,{"z":"deep"}]},
  "flag":true,"off":false,"nil":null,"zero":0,"empty":"","ts":"2026-11-20T09:00:00.165Z",
  "odd field":"yes","neg":-5,"big":9223372036854775807,"numstr":"42","fstr":"2.5","emptyarr":[],
  "emptyobj":{},"unicode":"日本語"})";

struct Fixture {
  rapidjson::Document doc;
  kt::Headers headers{{"trace-id", "abc"}, {"x", "1"}, {"x", "2"}, {"n", std::nullopt}};
  kt::Record rec;
  kt::expr::EvalContext ctx{42};
  Fixture() {
    REQUIRE(kt::ParseJson(kValue, &doc).ok());
    rec.key = "k1";
    rec.timestamp = 1700000000000;
    rec.partition = 3;
    rec.offset = 42;
    rec.topic = "clicks";
    rec.headers = &headers;
  }
  std::string Eval(const std::string& src) {
    auto e = kt::expr::Expr::Parse(src);
    if (!e.ok()) return "PARSE ERROR: " + e.status().message();
    ctx.Reset(&rec, &doc);
    std::string out;
    e->Eval(ctx).AppendJson(&out);
    return out;
  }
};

struct Case {
  const char* expr;
  const char* want;  // compact JSON of the result, as RapidJSON writes it everywhere in ktools
                     // (Grisu2: round-trips exactly, not always the shortest digits)
};

void Run(const std::vector<Case>& cases) {
  Fixture f;
  for (const Case& c : cases) {
    INFO("expression: " << c.expr);
    CHECK(f.Eval(c.expr) == c.want);
  }
}

}  // namespace

TEST_CASE("expr literals") {
  Run({{"1", "1"},
       {"1.5", "1.5"},
       {"\"abc\"", "\"abc\""},
       {"'abc'", "\"abc\""},
       {"true", "true"},
       {"false", "false"},
       {"null", "null"},
       {R"("a\"b")", R"("a\"b")"},
       {R"('it\'s')", R"("it's")"},
       {R"("\u00e9")", "\"é\""},
       {R"("\n")", R"("\n")"},
       {"1e3", "1000.0"},
       {".5", "0.5"},
       {"[1, \"a\", null]", "[1,\"a\",null]"},
       {"[]", "[]"},
       {"\"\"", "\"\""},
       {R"("\ud83d\ude00")", "\"😀\""},
       {"9223372036854775807", "9223372036854775807"},
       {"9223372036854775808", "9223372036854776000.0"}});
}

TEST_CASE("expr field access") {
  Run({{"number", "150"},          {"uri", "\"/products/42\""},
       {"price", "19.99"},         {"missing", "null"},
       {"nested.x.y", "7"},        {"nested.arr[2].z", "\"deep\""},
       {"nested.arr[0]", "1"},     {"nested.arr[-1].z", "\"deep\""},
       {"tags[1]", "\"b\""},       {"tags[5]", "null"},
       {"tags[-4]", "null"},       {R"(nested["x"]["y"])", "7"},
       {"`odd field`", "\"yes\""}, {"nested.missing.deeper", "null"},
       {"number.x", "null"},       {"tags", "[\"a\",\"b\",\"c\"]"},
       {"nested.x", "{\"y\":7}"},  {"nil", "null"},
       {"tags[\"a\"]", "null"},    {"nested[0]", "null"},
       {"(nested).x.y", "7"},      {"[10, 20, 30][1]", "20"}});
}

TEST_CASE("expr metadata") {
  Run({{"@key", "\"k1\""},
       {"@timestamp", "1700000000000"},
       {"@partition", "3"},
       {"@offset", "42"},
       {"@topic", "\"clicks\""},
       {"@headers.trace-id", "\"abc\""},
       {"@headers.x", "\"2\""},
       {"@headers.n", "null"},
       {"@headers.none", "null"},
       {"exists(@headers.none)", "false"},
       {"exists(@headers.n)", "true"},
       {"@headers", "[\"trace-id\",\"x\",\"x\",\"n\"]"},
       {"@timestamp - 1700000000000", "0"},
       {"@key == \"k1\"", "true"}});
}

TEST_CASE("expr metadata of a record without key, headers or position") {
  kt::Record bare;
  rapidjson::Document doc;
  doc.SetObject();
  kt::expr::EvalContext ctx;
  ctx.Reset(&bare, &doc);
  for (const char* m : {"@key", "@timestamp", "@partition", "@offset", "@topic", "@headers.x"}) {
    INFO(m);
    CHECK(kt::expr::Expr::Parse(m)->Eval(ctx).IsNull());
  }
}

TEST_CASE("expr arithmetic, int and double") {
  Run({{"1 + 2", "3"},
       {"1 + 2.5", "3.5"},
       {"7 / 2", "3.5"},
       {"6 / 3", "2"},
       {"7 % 3", "1"},
       {"-7 % 3", "-1"},
       {"7.5 % 2", "1.5"},
       {"1 / 0", "null"},
       {"1 % 0", "null"},
       {"1.0 / 0", "null"},
       {"0 / 0.0", "null"},
       {"2 * 3 + 4", "10"},
       {"2 + 3 * 4", "14"},
       {"2 * (3 + 4)", "14"},
       {"10 - 2 - 3", "5"},
       {"2 - -3", "5"},
       {"-number", "-150"},
       {"- -1", "1"},
       {"qty * 2.5", "7.5"},
       {"number + null", "null"},
       {"number + missing", "null"},
       {"\"a\" + \"b\"", "\"ab\""},
       {"\"a\" + 1", "null"},
       {"big + 1", "9223372036854776000.0"},
       {"big * 2", "18446744073709553000.0"},
       {"-big - 2", "-9223372036854776000.0"},
       {"number / 4", "37.5"},
       {"0.1 + 0.2 == 0.30000000000000004", "true"},
       {"0.1 + 0.2", "0.30000000000000007"},
       {"true + 1", "null"},
       {"tags + 1", "null"},
       {"-\"x\"", "null"},
       {"100 / 8 * 2", "25.0"},
       {"2 * 3 % 4", "2"},
       {"-2 * -3", "6"},
       {"1.5 * 2", "3.0"},
       {"10 % 3.5", "3.0"},
       {"-(1 + 2)", "-3"}});
}

TEST_CASE("expr comparisons and equality") {
  Run({{"number >= 100", "true"},
       {"number > 150", "false"},
       {"number == 150", "true"},
       {"number == 150.0", "true"},
       {"1 == 1.0", "true"},
       {"\"1\" == 1", "false"},
       {"number != 150", "false"},
       {"price < 20", "true"},
       {"price <= 19.99", "true"},
       {"uri == \"/products/42\"", "true"},
       {"\"abc\" < \"abd\"", "true"},
       {"\"b\" > \"a\"", "true"},
       {"\"10\" < 9", "false"},
       {"\"10\" > 9", "false"},
       {"null < 1", "false"},
       {"null >= null", "false"},
       {"missing >= 0", "false"},
       {"null == null", "true"},
       {"missing == null", "true"},
       {"nil == null", "true"},
       {"nil != null", "false"},
       {"tags == [\"a\",\"b\",\"c\"]", "true"},
       {"tags != [\"a\",\"b\"]", "true"},
       {"nested.x == nested.x", "true"},
       {"true == 1", "false"},
       {"flag == true", "true"},
       {"zero == false", "false"},
       {"empty == \"\"", "true"},
       {"[1, 2] == [1.0, 2.0]", "true"},
       {"emptyobj == emptyobj", "true"},
       {"2 > 1.5", "true"},
       {"-1 < 0", "true"},
       {"tags < tags", "false"}});
}

TEST_CASE("expr logic, truthiness and precedence") {
  Run({{"true and false", "false"},
       {"true or false", "true"},
       {"not true", "false"},
       {"!false", "true"},
       {"true && true", "true"},
       {"false || true", "true"},
       {"not 0", "true"},
       {"not \"\"", "true"},
       {"not []", "true"},
       {"not emptyobj", "true"},
       {"not emptyarr", "true"},
       {"not nil", "true"},
       {"not missing", "true"},
       {"not \"x\"", "false"},
       {"not 0.0", "true"},
       {"not tags", "false"},
       {"not nested", "false"},
       {"not -1", "false"},
       {"number >= 100 and uri ~ \"^/prod\"", "true"},
       {"1 ? \"y\" : \"n\"", "\"y\""},
       {"0 ? \"y\" : \"n\"", "\"n\""},
       {"missing ? 1 : 2", "2"},
       {"number > 100 ? (number > 140 ? \"high\" : \"mid\") : \"low\"", "\"high\""},
       {"true ? 1 : 0 ? 2 : 3", "1"},
       {"false ? 1 : false ? 2 : 3", "3"},
       {"false or false or true", "true"},
       {"not number > 200", "true"},
       {"1 + 2 == 3 and 2 * 2 == 4", "true"},
       {"zero or 5", "true"},
       {"true or missing.x.y", "true"},
       {"false and 1 / 0", "false"},
       {"true and false or true", "true"},
       {"true or false and false", "true"},
       {"not not flag", "true"},
       {"!!off", "false"}});
}

TEST_CASE("expr regular expressions (RE2)") {
  Run({{"uri ~ \"^/products\"", "true"},
       {"uri ~ \"^/cart\"", "false"},
       {"uri !~ \"^/cart\"", "true"},
       {R"(email ~ "@mail\\.test$")", "true"},
       {"number ~ \"1\"", "false"},
       {"missing ~ \"x\"", "false"},
       {"missing !~ \"x\"", "false"},
       {"uri ~ (\"^/\" + \"products\")", "true"},
       {"unicode ~ \"本\"", "true"},
       {"uri ~ \"(?i)^/PRODUCTS\"", "true"},
       {"uri ~ \"42\"", "true"},
       {"uri ~ \"^42\"", "false"},
       {"uri ~ numstr", "true"},
       {"uri ~ number", "false"},
       {"unicode ~ \"^.{3}$\"", "true"},
       {"\"(\" ~ \"\\\\(\"", "true"},
       {"uri ~ (\"(\" + \"\")", "false"}});
}

TEST_CASE("expr in") {
  Run({{"\"b\" in tags", "true"},
       {"\"z\" in tags", "false"},
       {"\"prod\" in uri", "true"},
       {"3 in [1, 2, 3]", "true"},
       {"3.0 in [1, 2, 3]", "true"},
       {"\"x\" in nested", "true"},
       {"\"q\" in nested", "false"},
       {"1 in \"123\"", "false"},
       {"null in [null]", "true"},
       {"uri in [\"/\", \"/products/42\"]", "true"},
       {"\"a\" in missing", "false"},
       {"[1] in [[1], [2]]", "true"},
       {"not \"z\" in tags", "true"},
       {"\"\" in \"abc\"", "true"}});
}

TEST_CASE("expr string functions with UTF-8") {
  Run({{R"(len("\uD83D\uDE00"))", "1"},
       {R"("\u00e9\t")", "\"é\\t\""},  // escapes: a surrogate pair is one character
       {"len(\"héllo\")", "5"},
       {"len(tags)", "3"},
       {"len(nested)", "2"},
       {"len(number)", "null"},
       {"len(unicode)", "3"},
       {"len(\"\")", "0"},
       {"lower(\"ABC\")", "\"abc\""},
       {"upper(uri)", "\"/PRODUCTS/42\""},
       {"upper(\"héllo\")", "\"HéLLO\""},
       {"lower(1)", "null"},
       {"trim(name)", "\"Héllo Wörld\""},
       {"trim(5)", "null"},
       {"contains(uri, \"42\")", "true"},
       {"contains(tags, \"c\")", "true"},
       {"contains(uri, \"x\")", "false"},
       {"contains(5, 5)", "null"},
       {"startswith(uri, \"/prod\")", "true"},
       {"endswith(email, \".test\")", "true"},
       {"endswith(\"a\", \"abc\")", "false"},
       {"startswith(number, \"1\")", "null"},
       {"substr(\"héllo\", 1, 3)", "\"éll\""},
       {"substr(\"héllo\", -2)", "\"lo\""},
       {"substr(\"abc\", 5)", "\"\""},
       {"substr(unicode, 1)", "\"本語\""},
       {"substr(\"abc\", 0, 0)", "\"\""},
       {"substr(\"abc\", -10, 2)", "\"ab\""},
       {"substr(1, 0)", "null"},
       {"replace(\"a-b-c\", \"-\", \"+\")", "\"a+b+c\""},
       {"replace(\"aaa\", \"\", \"x\")", "\"aaa\""},
       {"replace(\"aaa\", \"aa\", \"b\")", "\"ba\""},
       {"replace(unicode, \"本\", \"-\")", "\"日-語\""},
       {"upper(substr(uri, 1, 4))", "\"PROD\""}});
}

TEST_CASE("expr numeric functions") {
  Run({{"abs(neg)", "5"},           {"abs(-2.5)", "2.5"},
       {"abs(\"x\")", "null"},      {"round(2.5)", "3"},
       {"round(-2.5)", "-3"},       {"round(2.4)", "2"},
       {"round(price, 1)", "20.0"}, {"round(3.14159, 2)", "3.14"},
       {"round(7)", "7"},           {"floor(2.7)", "2"},
       {"ceil(2.1)", "3"},          {"floor(-2.5)", "-3"},
       {"ceil(-2.5)", "-2"},        {"floor(\"x\")", "null"},
       {"min(3, 1, 2)", "1"},       {"max(3, 1.5, null)", "3"},
       {"max(tags)", "null"},       {"min([5, 2, 8])", "2"},
       {"max(1, 2.5)", "2.5"},      {"min(null)", "null"},
       {"int(\"42\")", "42"},       {"int(numstr) + 1", "43"},
       {"int(2.9)", "2"},           {"int(-2.9)", "-2"},
       {"int(\"2.5\")", "2"},       {"int(\"abc\")", "null"},
       {"int(true)", "1"},          {"int(1e300)", "null"},
       {"float(fstr)", "2.5"},      {"float(3)", "3.0"},
       {"float(\"x\")", "null"},    {"float(false)", "0.0"}});
}

TEST_CASE("expr conversion, null and time functions") {
  Run({{"str(123)", "\"123\""},
       {"str(2.5)", "\"2.5\""},
       {"str(true)", "\"true\""},
       {"str(tags)", R"("[\"a\",\"b\",\"c\"]")"},
       {"str(null)", "null"},
       {"str(uri)", "\"/products/42\""},
       {"coalesce(missing, nil, \"d\")", "\"d\""},
       {"coalesce(missing)", "null"},
       {"coalesce(number, 0)", "150"},
       {"exists(number)", "true"},
       {"exists(nil)", "true"},
       {"exists(missing)", "false"},
       {"exists(nested.x.y)", "true"},
       {"exists(nested.q)", "false"},
       {"hash(\"foobar\")", "1357151166"},
       {"hash(\"user-42\") % 4", "0"},
       {"hash(21)", "1173551340"},
       {"hash(null)", "null"},
       {"time(\"2026-11-20T09:00:00.165Z\")", "1795165200165"},
       {"time(ts) + 1000", "1795165201165"},
       {"time(\"2020-01-01 00:28:15\", \"%Y-%m-%d %H:%M:%S\")", "1577838495000"},
       {"time(\"garbage\")", "null"},
       {"time(1000)", "1000"},
       {"time(null)", "null"},
       {"iso(0)", "\"1970-01-01T00:00:00.000Z\""},
       {"iso(time(ts))", "\"2026-11-20T09:00:00.165Z\""},
       {"iso(\"x\")", "null"},
       {"now() > 1700000000000", "true"},
       {"random() >= 0 and random() < 1", "true"}});
}

TEST_CASE("random() is reproducible with a seed") {
  auto e = kt::expr::Expr::Parse("random()");
  REQUIRE(e.ok());
  kt::expr::EvalContext a(7), b(7), c(8);
  for (int i = 0; i < 5; ++i) {
    double x = e->Eval(a).AsDouble(), y = e->Eval(b).AsDouble(), z = e->Eval(c).AsDouble();
    CHECK(x == y);
    CHECK(x != z);
    CHECK(x >= 0.0);
    CHECK(x < 1.0);
  }
}

TEST_CASE("expr parse errors name the column and what was expected") {
  struct Err {
    const char* expr;
    int column;
    const char* message;
  };
  const Err errs[] = {
      {"number >=", 10, "expected an operand, found the end of the expression"},
      {"number >= and x", 11, "expected an operand, found 'and'"},
      {"(1 + 2", 7, "expected ')'"},
      {"1 +* 2", 4, "expected an operand"},
      {"foo(1)", 1, "unknown function 'foo'"},
      {"lenn(x)", 1, "did you mean 'len'?"},
      {"len(1, 2)", 1, "len() takes 1 argument, got 2"},
      {"substr(1)", 1, "substr() takes 2 to 3 arguments, got 1"},
      {"\"abc", 1, "unterminated string"},
      {"a = 1", 3, "use == to compare"},
      {"1 < 2 < 3", 7, "comparisons do not chain"},
      {"uri ~ \"(\"", 7, "invalid regular expression"},
      {"@foo", 1, "unknown metadata '@foo'"},
      {"a.", 3, "expected a field name after '.'"},
      {"[1, 2", 6, "expected ',' or ']'"},
      {"x ? 1", 6, "expected ':'"},
      {"uri ~ 5", 7, "must be a string"},
      {"1 2", 3, "expected an operator or the end of the expression"},
      {"a & b", 3, "use 'and'"},
      {"`unterminated", 1, "unterminated `quoted name`"},
      {"#", 1, "unexpected character '#'"},
      {"", 1, "found the end of the expression"},
      {"x[1", 4, "expected ']'"},
      {"\"\\q\"", 1, "invalid escape"},
      {"\"\\uD800\"", 1, "invalid surrogate pair"},
      {"\"a\\uDC00\"", 1, "invalid surrogate pair"},  // a low one alone would be invalid UTF-8
      {"1.2.3", 4, "expected an operator"},
      {"12abc", 1, "invalid number"},
      {"@", 2, "expected a metadata name"},
      {"not", 4, "found the end of the expression"},
  };
  for (const Err& e : errs) {
    INFO("expression: " << e.expr);
    auto r = kt::expr::Expr::Parse(e.expr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().IsInvalidArgument());
    const std::string& m = r.status().message();
    CHECK(m.find("at column " + std::to_string(e.column) + ":") != std::string::npos);
    CHECK(m.find(e.message) != std::string::npos);
    // The caret sits under the column, after the expression line.
    std::string caret_line = "\n  " + std::string(static_cast<size_t>(e.column - 1), ' ') + "^";
    CHECK(m.size() >= caret_line.size());
    CHECK(m.compare(m.size() - caret_line.size(), caret_line.size(), caret_line) == 0);
  }
}

TEST_CASE("expressions that read only metadata do not need the value") {
  CHECK_FALSE(kt::expr::Expr::Parse("@key == 'a' and @partition > 1")->ReadsValue());
  CHECK(kt::expr::Expr::Parse("number > 1")->ReadsValue());
  CHECK(kt::expr::Expr::Parse("`a b` > 1")->ReadsValue());
  // Fields make an object necessary; @value takes the value whatever it is.
  CHECK(kt::expr::Expr::Parse("number > 1")->ReadsFields());
  CHECK(kt::expr::Expr::Parse("@value.number > 1")->ReadsValue());
  CHECK_FALSE(kt::expr::Expr::Parse("@value.number > 1")->ReadsFields());
  CHECK_FALSE(kt::expr::Expr::Parse("@value > 100")->ReadsFields());
  CHECK(kt::expr::Expr::Parse("@value > number")->ReadsFields());
  CHECK_FALSE(kt::expr::Expr::Parse("@key")->ReadsFields());
  // Headers are read only by expressions that name them.
  CHECK(kt::expr::Expr::Parse("@headers.trace-id == 'x'")->ReadsHeaders());
  CHECK(kt::expr::Expr::Parse("len(@headers) > 0")->ReadsHeaders());
  CHECK_FALSE(kt::expr::Expr::Parse("@key == 'a' and number > 1 and @value != null")->ReadsHeaders());
}

TEST_CASE("@value is the whole value: an object, an array, a scalar, null for a tombstone") {
  Run({{"@value.number", "150"},
       {"@value.nested.x.y", "7"},
       {"@value[\"odd field\"]", "\"yes\""},
       {"@value == @value", "true"},
       {"len(@value.tags)", "3"}});
  kt::expr::EvalContext ctx;
  kt::Record rec;
  auto eval = [&](const char* src) {
    std::string out;
    kt::expr::Expr::Parse(src)->Eval(ctx).AppendJson(&out);
    return out;
  };
  rapidjson::Document d;
  REQUIRE(kt::ParseJson("[1,2,3]", &d).ok());
  ctx.Reset(&rec, &d);
  CHECK(eval("@value") == "[1,2,3]");
  CHECK(eval("@value[-1] * 2") == "6");
  REQUIRE(kt::ParseJson("150", &d).ok());
  ctx.Reset(&rec, &d);
  CHECK(eval("@value > 100") == "true");
  ctx.Reset(&rec, nullptr);
  CHECK(eval("@value") == "null");
  ctx.Reset(nullptr, &d);  // no record: the value is still there
  CHECK(eval("@value") == "150");
  CHECK(kt::expr::Expr::Parse("@values").status().message().find("use @key, @value,") != std::string::npos);
  // A member named by a string from the record is found by its whole name: "a\u0000zz" is not "a".
  REQUIRE(kt::ParseJson(R"({"a":1,"a\u0000b":2,"k":"a\u0000zz","j":"a\u0000b"})", &d).ok());
  ctx.Reset(&rec, &d);
  CHECK(eval("exists(@value[k])") == "false");
  CHECK(eval("@value[j]") == "2");
}

TEST_CASE("evaluation on a tombstone or a non-object value yields nulls, never a crash") {
  kt::expr::EvalContext ctx;
  kt::Record rec;
  ctx.Reset(&rec, nullptr);
  CHECK(kt::expr::Expr::Parse("number + 1")->Eval(ctx).IsNull());
  CHECK_FALSE(kt::expr::Expr::Parse("number >= 1")->Eval(ctx).Truthy());
  rapidjson::Document d;
  d.SetArray();
  ctx.Reset(&rec, &d);
  CHECK(kt::expr::Expr::Parse("x.y[3]")->Eval(ctx).IsNull());
}
