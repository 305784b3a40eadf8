// The Transforms of the stateful tools on in-memory state, without a broker: ktable, kscore's
// --zscore/--ewma scorers, kbatch's held batches, and kjoin's table and window joins.
#include <catch2/catch.hpp>
#include <cmath>

#include "harness.hpp"
#include "kbatch/batch_transform.hpp"
#include "kjoin/join_transform.hpp"
#include "kjoin/window_join_transform.hpp"
#include "kscore/stat_score_transform.hpp"
#include "kt/stream/grouping.hpp"
#include "ktable/table_transform.hpp"

using harness::Emitted;
using harness::Feeder;
using harness::In;

namespace {

kt::Aggregator Aggs(std::initializer_list<const char*> specs) {
  std::vector<kt::AggSpec> out;
  for (const char* s : specs) {
    auto a = kt::ParseAggSpec(s);
    REQUIRE(a.ok());
    out.push_back(*a);
  }
  return kt::Aggregator(std::move(out));
}

std::optional<kt::expr::Expr> By(const std::string& text) {
  auto e = kt::expr::Expr::Parse(text);
  REQUIRE(e.ok());
  return std::move(*e);
}

// A stateful Transform over partitions `parts` of in-memory state.
template <typename T, typename... Args>
std::unique_ptr<T> Make(std::vector<int32_t> parts, Args&&... args) {
  auto t = std::make_unique<T>(harness::MemoryState(), std::forward<Args>(args)...);
  REQUIRE(t->OnAssigned(parts).ok());
  return t;
}

}  // namespace

TEST_CASE("ktable folds each record into its key's aggregates and emits every update") {
  auto t = Make<kt::ktable::TableTransform>({-1}, Aggs({"count", "sum(n)", "avg(n)"}), By("uri"), true);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, {.value = R"({"uri":"/a","n":2})"}).ok());
  REQUIRE(f.Feed(*t, out, {.value = R"({"uri":"/b","n":5})"}).ok());
  REQUIRE(f.Feed(*t, out, {.value = R"({"uri":"/a","n":3})"}).ok());
  REQUIRE(f.Feed(*t, out, {.value = R"({"n":3})"}).ok());  // no uri: a null group key, no event
  CHECK(out.Lines() == std::vector<std::string>{
                           R"(/a {"key":"/a","count":1,"sum_n":2,"avg_n":2.0})",
                           R"(/b {"key":"/b","count":1,"sum_n":5,"avg_n":5.0})",
                           R"(/a {"key":"/a","count":2,"sum_n":5,"avg_n":2.5})",
                       });
  CHECK(t->SummaryExtra().find("1 tombstones or null keys ignored") != std::string::npos);
}

TEST_CASE("ktable never applies a replayed record twice: its state knows the positions it reflects") {
  auto t = Make<kt::ktable::TableTransform>({0}, Aggs({"count"}), std::nullopt, true);
  Emitted out;
  Feeder f;
  for (int64_t o : {0, 1, 2})
    REQUIRE(f.Feed(*t, out, {.key = "k", .value = "{}", .partition = 0, .offset = o}).ok());
  harness::CommitState(*t, out);
  // Read again from an older offset (a crash before the offset commit): 1 and 2 are skipped.
  for (int64_t o : {1, 2, 3})
    REQUIRE(f.Feed(*t, out, {.key = "k", .value = "{}", .partition = 0, .offset = o}).ok());
  CHECK(out.Values().back() == R"({"key":"k","count":4})");
  CHECK(t->SummaryExtra().find("2 replayed records already in the state skipped") != std::string::npos);
}

TEST_CASE("ktable reads only the fields its expressions name, unless one reads @value") {
  using Fields = std::optional<std::vector<std::string>>;
  auto fields = [](std::initializer_list<const char*> aggs, std::optional<kt::expr::Expr> by) {
    return Make<kt::ktable::TableTransform>({-1}, Aggs(aggs), std::move(by), true)->ValueFieldsRead();
  };
  CHECK(fields({"count", "sum(n)", "max(a.b)"}, std::nullopt) == Fields(std::vector<std::string>{"n", "a"}));
  CHECK(fields({"count"}, By("uri")) == Fields(std::vector<std::string>{"uri"}));
  CHECK(fields({"count"}, std::nullopt) == Fields(std::vector<std::string>{}));
  CHECK(fields({"last(@value)"}, std::nullopt) == std::nullopt);
}

TEST_CASE("ktable --emit none keeps state and writes no output") {
  auto t = Make<kt::ktable::TableTransform>({-1}, Aggs({"count"}), std::nullopt, false);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, {.key = "k", .value = "{}"}).ok());
  CHECK(out.Lines().empty());
}

TEST_CASE("kscore --zscore scores each record against the key's records before it") {
  kt::kscore::StatScoreOptions o;
  o.kind = kt::kscore::StatScoreOptions::Kind::kZScore;
  o.input = "x";
  o.field = {"z"};
  auto t = Make<kt::kscore::StatScoreTransform>({-1}, o, *By("x"), std::nullopt);
  Emitted out;
  Feeder f;
  for (const char* v : {R"({"x":1})", R"({"x":3})", R"({"x":5})"})
    REQUIRE(f.Feed(*t, out, {.key = "k", .value = v}).ok());
  REQUIRE(f.Feed(*t, out, {.key = "other", .value = R"({"x":100})"}).ok());
  // 1: no history; 3: one value, no spread yet; 5 against {1, 3}: mean 2, sd sqrt(2).
  std::vector<std::string> v = out.Values();
  REQUIRE(v.size() == 4);
  CHECK(v[0] == R"({"x":1,"z":null})");
  CHECK(v[1] == R"({"x":3,"z":null})");
  REQUIRE(v[2].rfind(R"({"x":5,"z":)", 0) == 0);
  CHECK(std::stod(v[2].substr(11)) == Approx(3 / std::sqrt(2.0)).epsilon(1e-12));
  CHECK(v[3] == R"({"x":100,"z":null})");
}

TEST_CASE("kscore --ewma scores the moving average including the record") {
  kt::kscore::StatScoreOptions o;
  o.kind = kt::kscore::StatScoreOptions::Kind::kEwma;
  o.input = "x";
  o.alpha = 0.5;
  o.field = {"e"};
  auto t = Make<kt::kscore::StatScoreTransform>({-1}, o, *By("x"), std::nullopt);
  Emitted out;
  Feeder f;
  for (const char* v : {R"({"x":4})", R"({"x":8})", R"({"x":0})"})
    REQUIRE(f.Feed(*t, out, {.key = "k", .value = v}).ok());
  CHECK(out.Values() ==
        std::vector<std::string>{R"({"x":4,"e":4.0})", R"({"x":8,"e":6.0})", R"({"x":0,"e":3.0})"});
}

TEST_CASE("kbatch writes N records as one array, holding each record until its batch is sent") {
  kt::kbatch::BatchOptions o;
  o.max = 2;
  kt::kbatch::BatchTransform t(std::move(o));
  Emitted out;
  Feeder f;
  for (const char* v : {"1", R"({"a":1.50})", "3"})
    REQUIRE(f.Feed(t, out, {.value = v, .timestamp = 5}).ok());
  CHECK(out.Values() == std::vector<std::string>{R"([1,{"a":1.50}])"});
  CHECK(out.records[0].holds == 2);
  CHECK(out.open_holds == 1);  // the third record waits in the open batch
  t.Finish(out);
  CHECK(out.Values().back() == "[3]");
  CHECK(out.open_holds == 0);
}

TEST_CASE("kbatch --by keeps a batch per key; a revoked partition's records are given up, not written") {
  kt::kbatch::BatchOptions o;
  o.max = 10;
  o.by = By("u");
  kt::kbatch::BatchTransform t(std::move(o));
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(t, out, {.value = R"({"u":"x","i":1})", .partition = 0, .offset = 0}).ok());
  REQUIRE(f.Feed(t, out, {.value = R"({"u":"y","i":2})", .partition = 1, .offset = 0}).ok());
  REQUIRE(f.Feed(t, out, {.value = R"({"u":"x","i":3})", .partition = 1, .offset = 1}).ok());
  REQUIRE(f.Feed(t, out, {.value = R"({"i":4})", .partition = 0, .offset = 1}).ok());  // no key: dropped
  CHECK(out.open_holds == 3);
  REQUIRE(t.OnRevoked({1}).ok());
  CHECK(out.open_holds == 1);  // partition 1's records are read again where it went
  t.Finish(out);
  CHECK(out.Lines() == std::vector<std::string>{R"(x [{"u":"x","i":1}])"});
  CHECK(out.open_holds == 0);
}

TEST_CASE("kbatch --max-bytes starts a new batch before a record that would overflow it") {
  kt::kbatch::BatchOptions o;
  o.max = 100;
  o.max_bytes = 10;
  kt::kbatch::BatchTransform t(std::move(o));
  Emitted out;
  Feeder f;
  for (const char* v : {"\"abcd\"", "\"efgh\"", "\"ij\""}) REQUIRE(f.Feed(t, out, {.value = v}).ok());
  t.Finish(out);
  CHECK(out.Values() == std::vector<std::string>{R"(["abcd"])", R"(["efgh","ij"])"});
}

namespace {

kt::kjoin::JoinOptions TableJoin(kt::kjoin::JoinOptions::Kind kind, kt::kjoin::JoinOptions::Type type) {
  kt::kjoin::JoinOptions o;
  o.kind = kind;
  o.type = type;
  return o;
}

In Left(const char* key, std::optional<std::string> value, int64_t t) {
  return {.key = key, .value = std::move(value), .timestamp = t, .input = 0};
}
In Right(const char* key, std::optional<std::string> value, int64_t t) {
  return {.key = key, .value = std::move(value), .timestamp = t, .input = 1};
}

}  // namespace

TEST_CASE("kjoin --table: a stream record joins the table's value for its key as of then") {
  using K = kt::kjoin::JoinOptions::Kind;
  using T = kt::kjoin::JoinOptions::Type;
  for (T type : {T::kInner, T::kLeft}) {
    auto t = Make<kt::kjoin::JoinTransform>({-1}, TableJoin(K::kStreamTable, type));
    Emitted out;
    Feeder f;
    REQUIRE(f.Feed(*t, out, Left("u1", R"({"c":1})", 1)).ok());           // no table value yet
    REQUIRE(f.Feed(*t, out, Right("u1", R"({"tier":"gold"})", 2)).ok());  // a table update: no output
    REQUIRE(f.Feed(*t, out, Left("u1", R"({"c":2})", 3)).ok());
    REQUIRE(f.Feed(*t, out, Right("u1", std::nullopt, 4)).ok());  // deleted
    REQUIRE(f.Feed(*t, out, Left("u1", R"({"c":3})", 5)).ok());
    std::vector<std::string> want = {R"(u1 {"left":{"c":2},"right":{"tier":"gold"}})"};
    if (type == T::kLeft)
      want = {R"(u1 {"left":{"c":1},"right":null})", R"(u1 {"left":{"c":2},"right":{"tier":"gold"}})",
              R"(u1 {"left":{"c":3},"right":null})"};
    CHECK(out.Lines() == want);
  }
}

TEST_CASE(
    "kjoin --left-table --table: every update on either side emits the key's result, or its tombstone") {
  using K = kt::kjoin::JoinOptions::Kind;
  using T = kt::kjoin::JoinOptions::Type;
  auto t = Make<kt::kjoin::JoinTransform>({-1}, TableJoin(K::kTableTable, T::kInner));
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, Left("k", R"({"l":1})", 1)).ok());   // no right yet: nothing
  REQUIRE(f.Feed(*t, out, Right("k", R"({"r":1})", 2)).ok());  // a result
  REQUIRE(f.Feed(*t, out, Left("k", R"({"l":2})", 3)).ok());   // a new result
  REQUIRE(f.Feed(*t, out, Right("k", std::nullopt, 4)).ok());  // the result is gone: a tombstone
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"left":{"l":1},"right":{"r":1}})",
                                                R"(k {"left":{"l":2},"right":{"r":1}})", "k null"});
  CHECK(out.records[1].timestamp == 3);  // the later of the two sides' times
}

TEST_CASE("kjoin --stream: pairs within the window, emitted when the second record arrives") {
  kt::kjoin::WindowJoinOptions o;
  o.before_ms = o.after_ms = 10;
  auto t = Make<kt::kjoin::WindowJoinTransform>({-1}, o);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, Left("k", R"({"l":1})", 100)).ok());
  REQUIRE(f.Feed(*t, out, Right("k", R"({"r":1})", 105)).ok());  // within 10: a pair at 105
  REQUIRE(f.Feed(*t, out, Right("k", R"({"r":2})", 111)).ok());  // 11 after: none
  REQUIRE(f.Feed(*t, out, Right("x", R"({"r":3})", 106)).ok());  // another key: none
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"left":{"l":1},"right":{"r":1}})"});
  CHECK(out.records[0].timestamp == 105);
}

TEST_CASE("kjoin --stream --join left: an unmatched left record only once its window and grace have passed") {
  kt::kjoin::WindowJoinOptions o;
  o.before_ms = o.after_ms = 10;
  o.grace_ms = 5;
  o.type = kt::kjoin::JoinOptions::Type::kLeft;
  auto t = Make<kt::kjoin::WindowJoinTransform>({-1}, o);
  Emitted out;
  Feeder f;
  REQUIRE(f.Feed(*t, out, Left("k", R"({"l":1})", 100)).ok());
  REQUIRE(f.Feed(*t, out, Right("x", R"({"r":1})", 115)).ok());  // stream time 115: not past 100 + 10 + 5
  CHECK(out.Lines().empty());
  REQUIRE(f.Feed(*t, out, Right("x", R"({"r":2})", 116)).ok());  // now it has passed
  CHECK(out.Lines() == std::vector<std::string>{R"(k {"left":{"l":1},"right":null})"});
}
