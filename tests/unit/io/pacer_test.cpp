#include "kt/io/pacer.hpp"

#include <catch2/catch.hpp>

TEST_CASE("Pacer: item n is due n / rate after item 0 was produced, however late item 0 came") {
  kt::Pacer p(20);  // one item every 50 ms
  // Nothing produced yet: item 0 is due whenever it comes (1 s after the run started, here).
  CHECK(p.WaitMs(0) == 0);
  CHECK(p.WaitMs(1000) == 0);
  p.Produced(1000);
  // The clock starts with item 0, so the input's late start is not caught up in a burst.
  CHECK(p.WaitMs(1000) == 50);
  CHECK(p.WaitMs(1049) == 1);
  CHECK(p.WaitMs(1050) == 0);
  p.Produced(1050);
  CHECK(p.WaitMs(1050) == 50);
  // A slow moment is caught up, not carried forward: item 2 came at 1130, item 3 is due at 1150.
  p.Produced(1130);
  CHECK(p.WaitMs(1130) == 20);
  // Items that came later than their turn are due at once until the schedule is met again.
  p.Produced(1400);                                     // item 3, 250 ms after its turn
  CHECK(p.WaitMs(1400) == 0);                           // item 4 was due at 1200
  for (int64_t t = 1400; t < 1405; ++t) p.Produced(t);  // items 4 to 8, due up to 1400
  CHECK(p.WaitMs(1405) == 45);                          // item 9 at 1450
}

TEST_CASE("Pacer: rate 0 never waits") {
  kt::Pacer p(0);
  for (int64_t t = 0; t < 5; ++t) {
    CHECK(p.WaitMs(t) == 0);
    p.Produced(t);
  }
  CHECK(p.WaitTurn(1000));
}
