#include <catch2/catch.hpp>

#include "kt/run/offset_tracker.hpp"

using kt::OffsetTracker;

TEST_CASE("an offset is committable only after its outputs are acknowledged") {
  OffsetTracker t;
  auto* e0 = t.Begin("in", 0, 10);
  t.AddPending(e0);
  t.Seal(e0);
  CHECK(t.TakeCommittable().empty());  // output not acknowledged yet
  t.Ack(e0, true);
  auto c = t.TakeCommittable();
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 11);  // Kafka convention: the next offset to read
  CHECK(t.TakeCommittable().empty());  // nothing new
}

TEST_CASE("out-of-order acknowledgements never skip an unacknowledged record") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 0);
  auto* b = t.Begin("in", 0, 1);
  auto* c = t.Begin("in", 0, 2);
  for (auto* e : {a, b, c}) {
    t.AddPending(e);
    t.AddPending(e);
    t.Seal(e);
  }
  t.Ack(c, true);
  t.Ack(c, true);
  t.Ack(b, true);
  CHECK(t.TakeCommittable().empty());  // a still pending
  t.Ack(a, true);
  CHECK(t.TakeCommittable().empty());  // a has one more output
  t.Ack(b, true);
  CHECK(t.TakeCommittable().empty());
  t.Ack(a, true);
  auto out = t.TakeCommittable();
  REQUIRE(out.size() == 1);
  CHECK(out[0].offset == 3);
  CHECK(t.InFlight() == 0);
}

TEST_CASE("an unsealed record blocks commits even with no outputs") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 5);
  auto* b = t.Begin("in", 0, 6);
  t.Seal(b);
  CHECK(t.TakeCommittable().empty());
  t.Seal(a);
  CHECK(t.TakeCommittable()[0].offset == 7);
}

TEST_CASE("a failed output is never committable") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 0);
  t.AddPending(a);
  t.Seal(a);
  t.Ack(a, false);
  auto* b = t.Begin("in", 0, 1);
  t.Seal(b);
  CHECK(t.TakeCommittable().empty());
}

TEST_CASE("partitions are tracked independently and can be removed") {
  OffsetTracker t;
  auto* p0 = t.Begin("in", 0, 100);
  auto* p1 = t.Begin("in", 1, 7);
  t.AddPending(p0);
  t.Seal(p0);
  t.Seal(p1);
  auto c = t.TakeCommittable();
  REQUIRE(c.size() == 1);
  CHECK(c[0].partition == 1);
  CHECK(c[0].offset == 8);
  t.Ack(p0, true);
  auto only0 = t.TakeCommittable("in", {0});
  REQUIRE(only0.size() == 1);
  CHECK(only0[0].offset == 101);
  t.Remove("in", 0);
  CHECK(t.InFlight() == 0);
}
