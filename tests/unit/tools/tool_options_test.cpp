// Tools' flags resolve to typed setups (Result), without a command line or a broker.
#include <catch2/catch.hpp>

#include "kbatch/batch_options.hpp"
#include "kjoin/join_options.hpp"
#include "kscore/score_options.hpp"
#include "kwindow/window_options.hpp"

TEST_CASE("kwindow: one window type, sizes and steps become a WindowSpec") {
  kt::kwindow::WindowFlags f;
  f.aggs = {"count"};
  f.tumbling = "10s";
  f.grace = "2s";
  auto s = kt::kwindow::ResolveWindowFlags(f);
  REQUIRE(s.ok());
  CHECK(s->spec.type == kt::WindowType::kHopping);
  CHECK(s->spec.size == 10000);
  CHECK(s->spec.advance == 10000);
  CHECK(s->spec.grace == 2000);
  CHECK_FALSE(s->emit_final);

  kt::kwindow::WindowFlags h;
  h.aggs = {"count"};
  h.hopping = "1m";
  auto missing = kt::kwindow::ResolveWindowFlags(h);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "--hopping needs --step");
  h.step = "10s";
  h.emit = "final";
  auto hop = kt::kwindow::ResolveWindowFlags(h);
  REQUIRE(hop.ok());
  CHECK(hop->spec.advance == 10000);
  CHECK(hop->emit_final);

  kt::kwindow::WindowFlags none;
  none.aggs = {"count"};
  CHECK(kt::kwindow::ResolveWindowFlags(none).status().IsInvalidArgument());
  kt::kwindow::WindowFlags bad;
  bad.aggs = {"count"};
  bad.session = "0s";
  CHECK(kt::kwindow::ResolveWindowFlags(bad).status().message() == "--session must be positive");
  kt::kwindow::WindowFlags noagg;
  noagg.tumbling = "1s";
  CHECK(kt::kwindow::ResolveWindowFlags(noagg).status().message() == "--agg is required");
}

TEST_CASE("kjoin: the flags pick one join, or name what does not fit") {
  kt::kjoin::JoinFlags f;
  f.stream = "right";
  f.within = "10m";
  f.type = "left";
  auto s = kt::kjoin::ResolveJoinFlags(f, "left", "json");
  REQUIRE(s.ok());
  REQUIRE(s->copartitioned);
  REQUIRE(s->copartitioned->window);
  CHECK(s->copartitioned->window->before_ms == 600000);
  CHECK(s->copartitioned->window->after_ms == 600000);
  CHECK(s->copartitioned->window->type == kt::kjoin::JoinOptions::Type::kLeft);

  kt::kjoin::JoinFlags stdin_table;
  stdin_table.table = "users";
  stdin_table.on = "email";
  auto replica = kt::kjoin::ResolveJoinFlags(stdin_table, "-", "json");
  REQUIRE(replica.ok());
  CHECK(replica->replica.has_value());
  CHECK(replica->right == "users");

  kt::kjoin::JoinFlags two;
  two.table = "a";
  two.stream = "b";
  CHECK(kt::kjoin::ResolveJoinFlags(two, "left", "json").status().IsInvalidArgument());
  kt::kjoin::JoinFlags outer;
  outer.table = "t";
  outer.type = "outer";
  CHECK(kt::kjoin::ResolveJoinFlags(outer, "left", "json").status().message().find("--join outer needs") ==
        0);
  kt::kjoin::JoinFlags same;
  same.table = "left";
  CHECK(kt::kjoin::ResolveJoinFlags(same, "left", "json").status().message() ==
        "the right side must be another topic than -i");
  kt::kjoin::JoinFlags window_only;
  window_only.stream = "b";
  CHECK(kt::kjoin::ResolveJoinFlags(window_only, "left", "json")
            .status()
            .message()
            .find("--stream needs the join window") == 0);
}

TEST_CASE("kscore: exactly one scorer; --zscore/--ewma are stateful with their store names") {
  kt::kscore::ScoreFlags f;
  f.zscore = "x";
  auto z = kt::kscore::ResolveScoreFlags(f);
  REQUIRE(z.ok());
  REQUIRE(z->stateful);
  CHECK(z->store_name == "zscore");
  f.score.expr = "1";
  CHECK(kt::kscore::ResolveScoreFlags(f).status().IsInvalidArgument());
  kt::kscore::ScoreFlags r;
  r.random_int = "1,x";
  CHECK(kt::kscore::ResolveScoreFlags(r).status().message() ==
        "--random-int expects A,B (integers), got '1,x'");
  r.random_int = "1,6";
  auto ok = kt::kscore::ResolveScoreFlags(r);
  REQUIRE(ok.ok());
  REQUIRE(ok->stateless);
  CHECK(ok->stateless->random_int == std::make_pair(int64_t{1}, int64_t{6}));
}

TEST_CASE("kbatch: --max, --max-bytes and --within are checked; values other than JSON become strings") {
  kt::kbatch::BatchFlags f;
  f.max = 0;
  CHECK(kt::kbatch::ResolveBatchFlags(f, "json").status().message() ==
        "--max must be a positive number of records, not 0");
  f.max = 10;
  f.within = "0s";
  CHECK(kt::kbatch::ResolveBatchFlags(f, "json").status().message() == "--within must be positive");
  f.within = "2s";
  auto o = kt::kbatch::ResolveBatchFlags(f, "raw");
  REQUIRE(o.ok());
  CHECK(o->within_ms == 2000);
  CHECK_FALSE(o->json_values);
}
