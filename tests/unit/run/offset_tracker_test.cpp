#include "kt/run/offset_tracker.hpp"

#include <catch2/catch.hpp>

using kt::OffsetTracker;

// What a commit does with the tracker: takes the committable offsets and, the broker having
// confirmed them, marks them committed.
static std::vector<kt::TopicPartitionOffset> Take(kt::OffsetTracker& t) {
  auto c = t.Committable();
  t.MarkCommitted(c);
  return c;
}

TEST_CASE("an offset is committable only after its outputs are acknowledged") {
  OffsetTracker t;
  auto* e0 = t.Begin("in", 0, 10);
  t.AddPending(e0);
  t.Seal(e0);
  CHECK(Take(t).empty());  // output not acknowledged yet
  t.Ack(e0, true);
  auto c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 11);  // Kafka convention: the next offset to read
  CHECK(Take(t).empty());    // nothing new
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
  CHECK(Take(t).empty());  // a still pending
  t.Ack(a, true);
  CHECK(Take(t).empty());  // a has one more output
  t.Ack(b, true);
  CHECK(Take(t).empty());
  t.Ack(a, true);
  auto out = Take(t);
  REQUIRE(out.size() == 1);
  CHECK(out[0].offset == 3);
  CHECK(t.InFlight() == 0);
}

TEST_CASE("an unsealed record blocks commits even with no outputs") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 5);
  auto* b = t.Begin("in", 0, 6);
  t.Seal(b);
  CHECK(Take(t).empty());
  t.Seal(a);
  CHECK(Take(t)[0].offset == 7);
}

TEST_CASE("a failed output is never committable") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 0);
  t.AddPending(a);
  t.Seal(a);
  t.Ack(a, false);
  auto* b = t.Begin("in", 0, 1);
  t.Seal(b);
  CHECK(Take(t).empty());
}

TEST_CASE("partitions are tracked independently and can be removed") {
  OffsetTracker t;
  auto* p0 = t.Begin("in", 0, 100);
  auto* p1 = t.Begin("in", 1, 7);
  t.AddPending(p0);
  t.Seal(p0);
  t.Seal(p1);
  auto c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].partition == 1);
  CHECK(c[0].offset == 8);
  t.Ack(p0, true);
  auto only0 = Take(t);
  REQUIRE(only0.size() == 1);
  CHECK(only0[0].offset == 101);
  t.Remove("in", 0);
  CHECK(t.InFlight() == 0);
}

TEST_CASE("offsets stay committable until the broker confirmed them") {
  OffsetTracker t;
  auto* a = t.Begin("in", 0, 4);
  t.Seal(a);
  REQUIRE(t.Committable().size() == 1);
  // The commit failed: nothing was marked, the next commit offers the same offset again.
  REQUIRE(t.Committable().size() == 1);
  CHECK(t.Committable()[0].offset == 5);
  t.MarkCommitted(t.Committable());
  CHECK(t.Committable().empty());
}

TEST_CASE(
    "SkipTo moves a partition past what is no record (a commit marker) only when nothing is in flight") {
  kt::OffsetTracker t;
  auto* e = t.Begin("in", 0, 5);
  CHECK_FALSE(t.SkipTo("in", 0, 7));  // the record at 5 is in flight
  t.Seal(e);
  CHECK(t.Committable()[0].offset == 6);
  CHECK(t.SkipTo("in", 0, 7));  // offset 6 is a transaction's commit marker
  CHECK(t.Committable()[0].offset == 7);
  CHECK_FALSE(t.SkipTo("in", 0, 6));  // never back
  CHECK_FALSE(t.SkipTo("in", 1, 3));  // a partition nothing was read from
}

TEST_CASE("records packed into one message: their offset is committed with how many of them are done") {
  OffsetTracker t;
  auto* before = t.Begin("in", 0, 6);
  t.Seal(before);
  auto c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 7);
  CHECK(c[0].packed_done == 0);
  auto* a = t.Begin("in", 0, 7, /*packed_done=*/1);
  auto* b = t.Begin("in", 0, 7, /*packed_done=*/2);
  t.AddPending(a);
  t.Seal(a);
  t.Seal(b);
  CHECK(Take(t).empty());  // a is not acknowledged: nothing moves
  CHECK(t.NextOffsets()[0].offset == 7);
  t.Ack(a, true);
  c = Take(t);  // the message at 7 is read again, after its first two records
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 7);
  CHECK(c[0].packed_done == 2);
  CHECK(Take(t).empty());
  auto* last = t.Begin("in", 0, 7);  // the message's last record
  CHECK(t.NextOffsets()[0].offset == 8);
  t.Seal(last);
  c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 8);
  CHECK(c[0].packed_done == 0);
}

TEST_CASE("a record's offset is committed while the packed message after it is in flight") {
  OffsetTracker t;
  auto* r = t.Begin("in", 0, 3);
  auto* a = t.Begin("in", 0, 4, /*packed_done=*/1);
  t.Seal(r);
  auto c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 4);
  CHECK(c[0].packed_done == 0);
  t.Seal(a);
  c = Take(t);
  REQUIRE(c.size() == 1);
  CHECK(c[0].offset == 4);
  CHECK(c[0].packed_done == 1);
}
