#include "kt/stream/grouping.hpp"

#include <catch2/catch.hpp>

TEST_CASE("grouping: --agg specs and --by; two aggregates may not share a name") {
  auto g = kt::ParseGrouping({"count", "n=count", "sum(a)", "last(a)"}, "k");
  REQUIRE(g.ok());
  REQUIRE(g->aggs.size() == 4);
  CHECK(g->aggs[1].name == "n");
  CHECK(g->aggs[3].name == "last_a");
  CHECK(g->by.has_value());
  CHECK_FALSE(kt::ParseGrouping({"count"}, "")->by.has_value());
  CHECK(kt::ParseGrouping({}, "").status().message() == "give at least one --agg (e.g. --agg count)");
  // Each would fold into one field of the state, which the output would name twice.
  struct Case {
    std::vector<std::string> aggs;
    const char* message;
  };
  for (const Case& c : {
           Case{{"count", "count"}, "--agg 'count': the name 'count' is taken by --agg 'count'"},
           Case{{"x=sum(a)", "min(b)", "x=count"},
                "--agg 'x=count': the name 'x' is taken by --agg 'x=sum(a)'"},
           Case{{"sum(a)", "sum_a=last(a)"},
                "--agg 'sum_a=last(a)': the name 'sum_a' is taken by --agg 'sum(a)'"},
           Case{{"avg(a.b)", "avg(a_b)"},
                "--agg 'avg(a_b)': the name 'avg_a_b' is taken by --agg 'avg(a.b)'"},
       }) {
    auto bad = kt::ParseGrouping(c.aggs, "");
    REQUIRE(bad.status().IsInvalidArgument());
    CHECK(bad.status().message() == std::string(c.message) + " (give one of them another: NAME=...)");
  }
  CHECK(kt::ParseGrouping({"count"}, "uri ~").status().message().starts_with("--by: "));
}
