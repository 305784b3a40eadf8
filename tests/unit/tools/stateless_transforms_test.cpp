// The Transforms of the stateless tools, without a broker: kfilter, kmap, kbranch, kscore's
// expression scorer, kproduce, kgroupby (RekeyTransform) and kconsume/kgen (PassThrough).
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "kbranch/branch_transform.hpp"
#include "kfilter/filter_transform.hpp"
#include "kgen/generators.hpp"
#include "kmap/map_transform.hpp"
#include "kproduce/produce_transform.hpp"
#include "kscore/score_transform.hpp"
#include "kt/run/passthrough.hpp"
#include "kt/stream/rekey.hpp"

using harness::Emitted;
using harness::Feeder;
using harness::In;

namespace {

kt::expr::Expr Expr(const std::string& text) {
  auto e = kt::expr::Expr::Parse(text);
  REQUIRE(e.ok());
  return std::move(*e);
}

}  // namespace

TEST_CASE("kfilter passes the records whose expression is true, byte for byte; --not the others") {
  for (bool negate : {false, true}) {
    kt::kfilter::FilterTransform t(Expr("number >= 100"), negate, 0);
    Emitted out;
    Feeder f;
    REQUIRE(f.Feed(t, out, {.key = "a", .value = R"({"number":150, "x":1.50})"}).ok());
    REQUIRE(f.Feed(t, out, {.key = "b", .value = R"({"number":99})"}).ok());
    REQUIRE(f.Feed(t, out, {.key = "c", .value = R"({"other":1})"}).ok());  // missing: null, false
    if (!negate) {
      CHECK(out.Lines() == std::vector<std::string>{R"(a {"number":150, "x":1.50})"});
      CHECK(t.SummaryExtra() == "2 filtered out");
    } else {
      CHECK(out.Lines() == std::vector<std::string>{R"(b {"number":99})", R"(c {"other":1})"});
    }
  }
}

TEST_CASE("kfilter keeps a record's timestamp and headers") {
  kt::kfilter::FilterTransform t(Expr("@headers.source == \"web\""), false, 0);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(t, out, {.key = "a", .value = "{}", .timestamp = 42, .headers = {{"source", "web"}}}).ok());
  REQUIRE(f.Feed(t, out, {.key = "b", .value = "{}", .headers = {{"source", "app"}}}).ok());
  REQUIRE(out.records.size() == 1);
  CHECK(out.records[0].timestamp == 42);
  CHECK(out.records[0].headers == std::vector<std::string>{"source=web"});
}

TEST_CASE("kmap runs its steps in order: set, keep, drop, rename, key") {
  std::vector<kt::kmap::MapStep> steps = {{kt::kmap::MapStep::Kind::kSet, "total=price * qty"},
                                          {kt::kmap::MapStep::Kind::kDrop, "email"},
                                          {kt::kmap::MapStep::Kind::kRename, "uri=path"},
                                          {kt::kmap::MapStep::Kind::kKey, "path"}};
  auto t = kt::kmap::MapTransform::Create(steps, 0);
  REQUIRE(t.ok());
  Emitted out;
  Feeder f;
  REQUIRE(
      f.Feed(**t, out, {.key = "old", .value = R"({"email":"a@b","uri":"/x","price":2.5,"qty":4})"}).ok());
  CHECK(out.Lines() == std::vector<std::string>{R"(/x {"path":"/x","price":2.5,"qty":4,"total":10.0})"});
  // --keep keeps only the listed fields, in their order.
  auto keep = kt::kmap::MapTransform::Create({{kt::kmap::MapStep::Kind::kKeep, "b,a"}}, 0);
  REQUIRE(keep.ok());
  out.Clear();
  REQUIRE(f.Feed(**keep, out, {.key = "k", .value = R"({"a":1,"b":2,"c":3})"}).ok());
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"a":1,"b":2})"});
}

TEST_CASE("kmap passes tombstones; a bad step is a usage error naming it") {
  auto t = kt::kmap::MapTransform::Create({{kt::kmap::MapStep::Kind::kDrop, "x"}}, 0);
  REQUIRE(t.ok());
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(**t, out, {.key = "k"}).ok());
  CHECK(out.Lines() == std::vector<std::string>{"k null"});
  auto bad = kt::kmap::MapTransform::Create({{kt::kmap::MapStep::Kind::kSet, "x=1 +"}}, 0);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().IsInvalidArgument());
  CHECK(kt::kmap::MapTransform::Create({{kt::kmap::MapStep::Kind::kRename, "nothing"}}, 0)
            .status()
            .IsInvalidArgument());
}

TEST_CASE("kbranch routes to the first matching topic, --all to every one, else --default or nowhere") {
  auto first = kt::kbranch::BranchTransform::Create({"big=n > 10", "even=n % 2 == 0"}, "rest", false, 0);
  REQUIRE(first.ok());
  Emitted out;
  Feeder f;
  for (const char* v : {R"({"n":12})", R"({"n":4})", R"({"n":3})"})
    REQUIRE(f.Feed(**first, out, {.key = "k", .value = v}).ok());
  std::vector<std::string> topics;
  for (auto& r : out.records) topics.push_back(r.topic);
  CHECK(topics == std::vector<std::string>{"big", "even", "rest"});
  CHECK((*first)->SummaryExtra() == "big=1 even=1 rest(default)=1 unrouted=0");

  auto all = kt::kbranch::BranchTransform::Create({"big=n > 10", "even=n % 2 == 0"}, "", true, 0);
  REQUIRE(all.ok());
  out.Clear();
  for (const char* v : {R"({"n":12})", R"({"n":3})"})
    REQUIRE(f.Feed(**all, out, {.key = "k", .value = v}).ok());
  topics.clear();
  for (auto& r : out.records) topics.push_back(r.topic);
  CHECK(topics == std::vector<std::string>{"big", "even"});
  CHECK((*all)->SummaryExtra() == "big=1 even=1 unrouted=1");
  CHECK(kt::kbranch::BranchTransform::Create({"=x"}, "", false, 0).status().IsInvalidArgument());
  CHECK(kt::kbranch::BranchTransform::Create({}, "", false, 0).status().IsInvalidArgument());
}

TEST_CASE("kscore sets the score field to the expression's value, or a reproducible random one") {
  kt::kscore::ScoreOptions so;
  so.expr = "number * 0.5";
  so.field = "s.value";
  auto t = kt::kscore::ScoreTransform::Create(so);
  REQUIRE(t.ok());
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(**t, out, {.key = "k", .value = R"({"number":3})"}).ok());
  REQUIRE(f.Feed(**t, out, {.key = "t"}).ok());  // a tombstone passes through
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"number":3,"s":{"value":1.5}})", "t null"});

  kt::kscore::ScoreOptions r;
  r.random_int = std::make_pair(int64_t{1}, int64_t{6});
  r.seed = 42;
  std::vector<std::string> runs[2];
  for (auto& run : runs) {
    auto rt = kt::kscore::ScoreTransform::Create(r);
    REQUIRE(rt.ok());
    Emitted o;
    for (int i = 0; i < 20; ++i) REQUIRE(f.Feed(**rt, o, {.value = "{}"}).ok());
    run = o.Values();
  }
  CHECK(runs[0] == runs[1]);  // the same seed, the same scores
  for (const std::string& v : runs[0]) {
    int64_t n = std::stoll(v.substr(v.find(':') + 1));
    CHECK((n >= 1 && n <= 6));
  }
  kt::kscore::ScoreOptions two;
  two.expr = "1";
  two.random = true;
  CHECK(kt::kscore::ScoreTransform::Create(two).status().IsInvalidArgument());
}

TEST_CASE("kproduce sets -k or --key-field keys and adds -H headers; the value passes byte for byte") {
  kt::kproduce::ProduceOptions po;
  po.key_field = "uri";
  po.headers = {"env=dev"};
  auto t = kt::kproduce::ProduceTransform::Create(po, true);
  REQUIRE(t.ok());
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, {.value = R"({"uri":"/a", "n":1.50})"}).ok());
  REQUIRE(f.Feed(*t, out, {.value = R"({"n":2})"}).ok());  // no such field: a null key
  CHECK(out.Lines() == std::vector<std::string>{R"(/a {"uri":"/a", "n":1.50})", R"(null {"n":2})"});
  CHECK(out.records[0].headers == std::vector<std::string>{"env=dev"});
  po.key = "fixed";
  CHECK(kt::kproduce::ProduceTransform::Create(po, true).status().IsInvalidArgument());  // -k and --key-field
  kt::kproduce::ProduceOptions bad;
  bad.headers = {"novalue"};
  CHECK(kt::kproduce::ProduceTransform::Create(bad, true).status().IsInvalidArgument());
}

TEST_CASE(
    "kgroupby re-keys by the expression; a null key is no event; origin headers only for repartition "
    "topics") {
  kt::RekeyTransform plain(Expr("uri"), 0, false);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(plain, out, {.key = "old", .value = R"({"uri":"/a"})", .partition = 2, .offset = 7}).ok());
  REQUIRE(f.Feed(plain, out, {.key = "old", .value = R"({"other":1})", .partition = 2, .offset = 8}).ok());
  CHECK(out.Lines() == std::vector<std::string>{R"(/a {"uri":"/a"})"});
  CHECK(out.records[0].headers.empty());
  CHECK(plain.SummaryExtra() == "1 records with a null group key dropped");

  kt::RekeyTransform stage(Expr("uri"), 0, true);
  out.Clear();
  REQUIRE(f.Feed(stage, out, {.key = "old", .value = R"({"uri":"/a"})", .partition = 2, .offset = 7}).ok());
  CHECK(out.records[0].headers == std::vector<std::string>{"kt.origin.key=old", "kt.origin.pos=2:7"});
}

TEST_CASE("a repartition stage carries only the fields the next stage reads, numbers as they were") {
  kt::RekeyTransform stage(Expr("uri"), 0, true, std::vector<std::string>{"n", "nested"});
  CHECK(stage.WantsValue());
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(stage, out,
                 {.key = "k",
                  .value = R"({"nested":{"a":[1,"\u00e9"]}, "uri":"/a", "n":1.50, "email":"x@y"})",
                  .partition = 1,
                  .offset = 3})
              .ok());
  REQUIRE(f.Feed(stage, out, {.key = "k", .value = R"({"uri":"/b"})", .partition = 1, .offset = 4}).ok());
  CHECK(out.Lines() == std::vector<std::string>{R"(/a {"nested":{"a":[1,"é"]},"n":1.50})", R"(/b {})"});
  CHECK(out.records[0].headers == std::vector<std::string>{"kt.origin.key=k", "kt.origin.pos=1:3"});
}

TEST_CASE("kconsume and kgen pass every record on unchanged, without parsing it") {
  kt::PassThrough t;
  CHECK_FALSE(t.WantsValue());
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(t, out, {.key = "k", .value = R"({"n": 1.50 })", .timestamp = 9}).ok());
  REQUIRE(f.Feed(t, out, {.key = "k"}).ok());
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"n": 1.50 })", "k null"});
  CHECK(out.records[0].timestamp == 9);
}

TEST_CASE("kgen's generators are deterministic per seed, and their time starts at --start") {
  for (const char* kind : {"clickevents", "taxi"}) {
    auto a = kt::kgen::MakeGenerator(kind, 7, 1000), b = kt::kgen::MakeGenerator(kind, 7, 1000),
         c = kt::kgen::MakeGenerator(kind, 8, 1000);
    REQUIRE(a);
    std::string ja, jb, jc;
    int64_t ta = 0, tb = 0, tc = 0, first = -1;
    bool differs = false;
    for (int i = 0; i < 50; ++i) {
      a->Next(&ja, &ta);
      b->Next(&jb, &tb);
      c->Next(&jc, &tc);
      CHECK(ja == jb);
      CHECK(ta == tb);
      differs = differs || ja != jc;
      if (first < 0) first = ta;
    }
    CHECK(differs);
    CHECK(first >= 1000);
  }
  CHECK_FALSE(kt::kgen::MakeGenerator("nope", 1, 0));
}
