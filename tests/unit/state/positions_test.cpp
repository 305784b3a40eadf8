#include <catch2/catch.hpp>

#include "kt/state/positions.hpp"

TEST_CASE("applied positions: per input partition, the last offset applied") {
  kt::AppliedPositions p;
  CHECK(!p.Covers({0, 0}));
  p.Advance({0, 5});
  p.Advance({3, 7});
  p.Advance({0, 4});  // never goes back
  CHECK(p.Covers({0, 5}));
  CHECK(p.Covers({0, 0}));
  CHECK(!p.Covers({0, 6}));
  CHECK(p.Covers({3, 7}));
  CHECK(!p.Covers({1, 0}));
}

TEST_CASE("positions travel as the last member of a state's JSON object, and come off again") {
  kt::AppliedPositions p;
  p.Advance({0, 5});
  p.Advance({12, 7000000000});
  std::string v = "{\"count\":3}";
  p.AppendTo(&v);
  CHECK(v == "{\"count\":3,\"__kt.pos\":{\"0\":5,\"12\":7000000000}}");
  kt::AppliedPositions back = kt::AppliedPositions::ExtractFrom(&v);
  CHECK(v == "{\"count\":3}");
  CHECK(back.Covers({12, 7000000000}));
  CHECK(!back.Covers({12, 7000000001}));

  std::string empty = "{}";
  p.AppendTo(&empty);
  CHECK(empty == "{\"__kt.pos\":{\"0\":5,\"12\":7000000000}}");
  CHECK(kt::AppliedPositions::ExtractFrom(&empty).Covers({0, 5}));
  CHECK(empty == "{}");

  std::string old = "{\"count\":3}";  // written before positions existed
  CHECK(kt::AppliedPositions::ExtractFrom(&old).empty());
  CHECK(old == "{\"count\":3}");
}

TEST_CASE("a record's position: its own, or its origin's through a repartition topic; none on stdin") {
  kt::Record r;
  r.partition = 2;
  r.offset = 40;
  REQUIRE(kt::PositionOf(r));
  CHECK(kt::PositionOf(r)->partition == 2);
  kt::Origin o;
  o.partition = 7;
  o.offset = 9;
  r.origin = &o;
  CHECK(kt::PositionOf(r)->partition == 7);
  CHECK(kt::PositionOf(r)->offset == 9);
  kt::Record line;
  line.line = 3;
  CHECK(!kt::PositionOf(line));
}
