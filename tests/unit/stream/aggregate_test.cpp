#include "kt/stream/aggregate.hpp"

#include <catch2/catch.hpp>

#include "kt/core/json_reader.hpp"

namespace {

std::vector<kt::AggSpec> Specs(std::initializer_list<const char*> specs) {
  std::vector<kt::AggSpec> out;
  for (const char* s : specs) {
    auto a = kt::ParseAggSpec(s);
    REQUIRE(a.ok());
    out.push_back(*a);
  }
  return out;
}

// Folds the JSON values in `inputs` into `state` and `sums` and returns the rendered output for key "k".
std::string Fold(kt::Aggregator& agg, const std::vector<const char*>& inputs, rapidjson::Document* state,
                 rapidjson::Document* sums) {
  kt::expr::EvalContext ctx;
  kt::Record rec;
  for (const char* in : inputs) {
    rapidjson::Document v;
    REQUIRE(kt::ParseJson(in, &v).ok());
    ctx.Reset(&rec, &v);
    REQUIRE(agg.Update(state, sums, ctx).ok());
  }
  std::string out;
  agg.Render(*state, "k", &out);
  return out;
}

std::string Fold(kt::Aggregator& agg, const std::vector<const char*>& inputs, rapidjson::Document* state) {
  rapidjson::Document sums;
  return Fold(agg, inputs, state, &sums);
}

}  // namespace

TEST_CASE("aggregate specs and default names") {
  auto specs = Specs(
      {"count", "sum(number)", "total=sum(price * qty)", "min(a.b)", "avg(x)", "first(uri)", "last(uri)"});
  CHECK(specs[0].name == "count");
  CHECK(specs[1].name == "sum_number");
  CHECK(specs[2].name == "total");
  CHECK(specs[3].name == "min_a_b");
  CHECK(specs[4].name == "avg_x");
  CHECK(kt::ParseAggSpec("median(x)").status().IsInvalidArgument());
  CHECK(kt::ParseAggSpec("sum()").status().IsInvalidArgument());
  CHECK(kt::ParseAggSpec("count(x)").status().IsInvalidArgument());
  CHECK(kt::ParseAggSpec("sum(x").status().IsInvalidArgument());
  CHECK(kt::ParseAggSpec("key=sum(x)").status().IsInvalidArgument());
  CHECK(kt::ParseAggSpec("__kt=sum(x)").ok());  // no name is reserved for bookkeeping
  CHECK(kt::ParseAggSpec("sum(1 +)").status().message().find("column") != std::string::npos);
}

TEST_CASE("aggregates fold values; non-numeric inputs are skipped and counted") {
  kt::Aggregator agg(Specs({"count", "sum(n)", "min(n)", "max(n)", "avg(n)", "first(s)", "last(s)"}));
  rapidjson::Document state;
  std::string out =
      Fold(agg, {R"({"n":3,"s":"a"})", R"({"n":1.5,"s":"b"})", R"({"n":"x"})", R"({"s":"c"})", R"({"n":7})"},
           &state);
  CHECK(
      out ==
      R"({"key":"k","count":5,"sum_n":11.5,"min_n":1.5,"max_n":7,"avg_n":3.8333333333333337,"first_s":"a","last_s":"c"})");
  CHECK(agg.SkippedSummary() ==
        "2 inputs skipped by sum_n, 2 inputs skipped by min_n, 2 inputs skipped by max_n, "
        "2 inputs skipped by avg_n, 2 inputs skipped by first_s, 2 inputs skipped by last_s");
}

TEST_CASE("integer sums stay integers; overflow becomes double") {
  kt::Aggregator agg(Specs({"sum(n)"}));
  rapidjson::Document state;
  CHECK(Fold(agg, {R"({"n":2})", R"({"n":3})"}, &state) == R"({"key":"k","sum_n":5})");
  CHECK(Fold(agg, {R"({"n":9223372036854775807})"}, &state) ==
        R"({"key":"k","sum_n":9223372036854776000.0})");
}

TEST_CASE("aggregate state and avg's sums round-trip through JSON (the changelog) and keep folding") {
  kt::Aggregator agg(Specs({"count", "avg(n)"}));
  CHECK(agg.KeepsSums());
  CHECK_FALSE(kt::Aggregator(Specs({"count", "sum(n)"})).KeepsSums());
  rapidjson::Document state, sums;
  Fold(agg, {R"({"n":1})", R"({"n":2})"}, &state, &sums);
  std::string value = kt::ToJson(state), aux = kt::ToJson(sums);
  CHECK(value == R"({"count":2,"avg_n":1.5})");  // what the changelog's value and get/dump show
  CHECK(aux == R"({"avg_n":[3.0,2]})");          // kept apart, beside it
  rapidjson::Document restored, restored_sums;
  REQUIRE(kt::ParseJson(value, &restored).ok());
  REQUIRE(kt::ParseJson(aux, &restored_sums).ok());
  CHECK(Fold(agg, {R"({"n":6})"}, &restored, &restored_sums) == R"({"key":"k","count":3,"avg_n":3.0})");
}

TEST_CASE("render fills missing aggregates: count 0, others null") {
  kt::Aggregator agg(Specs({"count", "max(n)"}));
  rapidjson::Document empty;
  std::string out;
  agg.Render(empty, "k", &out);
  CHECK(out == R"({"key":"k","count":0,"max_n":null})");
}

TEST_CASE("merging aggregate states (session windows)") {
  kt::Aggregator agg(Specs({"count", "sum(n)", "min(n)", "max(n)", "avg(n)", "first(n)", "last(n)"}));
  rapidjson::Document earlier, later, merged, earlier_sums, later_sums, merged_sums;
  Fold(agg, {R"({"n":5})", R"({"n":1})"}, &earlier, &earlier_sums);
  Fold(agg, {R"({"n":7})", R"({"n":3})", R"({"n":2})"}, &later, &later_sums);
  merged.SetObject();
  REQUIRE(agg.Merge(&merged, &merged_sums, earlier, earlier_sums).ok());
  REQUIRE(agg.Merge(&merged, &merged_sums, later, later_sums).ok());
  std::string out;
  std::string_view key = "k";
  agg.Render(merged, key, &out);
  CHECK(out == R"({"key":"k","count":5,"sum_n":18,"min_n":1,"max_n":7,"avg_n":3.6,"first_n":5,"last_n":2})");
  // The merged state keeps aggregating as if every record had been folded into it.
  rapidjson::Document direct;
  std::string all = Fold(
      agg, {R"({"n":5})", R"({"n":1})", R"({"n":7})", R"({"n":3})", R"({"n":2})", R"({"n":9})"}, &direct);
  Fold(agg, {R"({"n":9})"}, &merged, &merged_sums);
  out.clear();
  agg.Render(merged, key, &out);
  CHECK(out == all);
  // Rendering with a window puts it after the key.
  rapidjson::Document w;
  w.Parse(R"({"start":0,"end":10})");
  out.clear();
  agg.Render(merged, key, &out, &w);
  CHECK(out.rfind(R"({"key":"k","window":{"start":0,"end":10},"count":6,)", 0) == 0);
}

TEST_CASE("Render writes the numbers of the state with recorded texts as those texts") {
  kt::Aggregator agg(Specs({"first(p)", "last(n)", "count"}));
  rapidjson::Document state;
  kt::RawNumbers raw;
  REQUIRE(
      kt::ParseJsonText(R"({"first_p":1.50,"last_n":123456789012345678901234567890,"count":2})", &state, &raw)
          .ok());
  std::string out;
  agg.Render(state, "k", &out, nullptr, &raw);
  CHECK(out == R"({"key":"k","first_p":1.50,"last_n":123456789012345678901234567890,"count":2})");
  out.clear();
  agg.Render(state, "k", &out);  // without the table: the doubles' shortest form
  CHECK(out == R"({"key":"k","first_p":1.5,"last_n":1.2345678901234568e29,"count":2})");
}

TEST_CASE("RawNumbers::AddAll merges tables, the first text of a value winning") {
  kt::RawNumbers a, b;
  a.Add(1.5, "1.50");
  b.Add(1.5, "1.500");
  b.Add(0.1, "0.10");
  a.AddAll(&b);
  a.AddAll(nullptr);
  REQUIRE(a.Find(1.5));
  CHECK(*a.Find(1.5) == "1.50");
  REQUIRE(a.Find(0.1));
  CHECK(*a.Find(0.1) == "0.10");
  CHECK_FALSE(a.Find(2.0));
  // CombineRawNumbers copies only when both sides have texts.
  kt::RawNumbers empty, scratch;
  CHECK(kt::CombineRawNumbers(&a, nullptr, &scratch) == &a);
  CHECK(kt::CombineRawNumbers(&empty, &b, &scratch) == &b);
  CHECK(kt::CombineRawNumbers(nullptr, nullptr, &scratch) == nullptr);
  const kt::RawNumbers* both = kt::CombineRawNumbers(&b, &a, &scratch);
  REQUIRE(both == &scratch);
  CHECK(*both->Find(1.5) == "1.500");
  CHECK(*both->Find(0.1) == "0.10");
}

TEST_CASE("a restored state whose sum or avg is not what they keep is refused, not read as a number") {
  // A table kept with --agg x=first(s), run again with --agg x=sum(n): "x" is a string. Adding to
  // it read the string's bytes as a number (an assertion in RapidJSON, off in a release build).
  kt::Aggregator agg(Specs({"x=sum(n)", "avg(n)", "count"}));
  kt::expr::EvalContext ctx;
  kt::Record rec;
  rapidjson::Document value;
  REQUIRE(kt::ParseJson(R"({"n":1})", &value).ok());
  ctx.Reset(&rec, &value);
  struct Case {
    const char* state;
    const char* sums;
    const char* message;
  };
  for (const Case& c : {
           Case{R"({"x":"hello"})", "{}",
                "the state's field 'x' is \"hello\", not what this aggregate keeps there"},
           Case{R"({"x":1})", R"({"avg_n":["a",1]})",
                "the state's running sum and count of 'avg_n' is [\"a\",1], not what this aggregate keeps "
                "there"},
           Case{R"({"x":1})", R"({"avg_n":[3.0,0]})",
                "the state's running sum and count of 'avg_n' is [3.0,0]"},
           Case{R"({"x":1})", R"({"avg_n":[3.0]})", "the state's running sum and count of 'avg_n' is [3.0]"},
       }) {
    rapidjson::Document state, sums;
    REQUIRE(kt::ParseJson(c.state, &state).ok());
    REQUIRE(kt::ParseJson(c.sums, &sums).ok());
    std::string before = kt::ToJson(state) + kt::ToJson(sums);
    kt::Status s = agg.Update(&state, &sums, ctx);
    INFO(c.state << " " << c.sums);
    REQUIRE(s.IsDataError());
    CHECK(s.message().starts_with(c.message));
    CHECK(s.message().ends_with(
        "was the state written with other --agg specs? (another --name, or -G, starts a new one)"));
    CHECK(kt::ToJson(state) + kt::ToJson(sums) == before);  // nothing changed
    // Session windows merge states from the store: the same refusal, before anything changes.
    rapidjson::Document fresh, fresh_sums;
    CHECK(agg.Merge(&fresh, &fresh_sums, state, sums).IsDataError());
    CHECK(agg.Merge(&state, &sums, fresh, fresh_sums).IsDataError());
  }
  // A count that is not a count starts again (one at its end is not added to).
  kt::Aggregator count(Specs({"count"}));
  for (const char* restored : {R"({"count":"many"})", R"({"count":9223372036854775807})"}) {
    rapidjson::Document state;
    REQUIRE(kt::ParseJson(restored, &state).ok());
    REQUIRE(count.Update(&state, nullptr, ctx).ok());
    CHECK(kt::ToJson(state) == R"({"count":1})");
  }
}

TEST_CASE("aggregate names are UTF-8, and may hold what JSON escapes, NUL included") {
  CHECK(kt::ParseAggSpec("\xa4=sum(n)").status().message() ==
        "--agg '\xEF\xBF\xBD=sum(n)': the name is not UTF-8 text");
  std::string nul("a\0b=sum(n)", 10);
  kt::Aggregator agg(Specs({"a=count", "a\tb=sum(n)"}));
  std::vector<kt::AggSpec> specs = Specs({"a=count"});
  auto with_nul = kt::ParseAggSpec(nul);
  REQUIRE(with_nul.ok());
  specs.push_back(*with_nul);
  kt::Aggregator both(specs);
  rapidjson::Document state;
  // Two fields, "a" and "a\u0000b": each found by its whole name (the second was taken for "a").
  CHECK(Fold(both, {R"({"n":2})", R"({"n":3})"}, &state) == R"({"key":"k","a":2,"a\u0000b":5})");
  rapidjson::Document tabbed;
  CHECK(Fold(agg, {R"({"n":2})"}, &tabbed) == R"({"key":"k","a":1,"a\tb":2})");
}
