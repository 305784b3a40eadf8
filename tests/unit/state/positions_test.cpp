#include "kt/state/positions.hpp"

#include <catch2/catch.hpp>

#include "kt/core/origin.hpp"

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

TEST_CASE("positions as text: <partition>:<offset>, comma-separated, and back") {
  kt::AppliedPositions p;
  p.Advance({0, 5});
  p.Advance({12, 7000000000});
  std::string text;
  p.AppendText(&text);
  CHECK(text == "0:5,12:7000000000");
  auto back = kt::AppliedPositions::Parse(text);
  REQUIRE(back.ok());
  CHECK(back->Covers({12, 7000000000}));
  CHECK(!back->Covers({12, 7000000001}));
  CHECK(kt::AppliedPositions::Parse("")->empty());
  for (const char* bad : {"0", "0:", ":5", "0:5,", "0:5;1:2", "a:b", "0:5x"})
    CHECK_FALSE(kt::AppliedPositions::Parse(bad).ok());
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
