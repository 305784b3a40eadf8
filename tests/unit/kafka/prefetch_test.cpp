#include "kt/kafka/prefetch.hpp"

#include <catch2/catch.hpp>

using kt::Prefetch;
using kt::PrefetchFor;

TEST_CASE("a forwarding stage keeps librdkafka's sizes up to 16 partitions, then shares them") {
  for (int n : {0, 1, 4, 16}) {
    Prefetch p = PrefetchFor(n, false);
    CHECK(p.queued_min_messages == 5000);
    CHECK(p.partition_fetch_bytes == 1 << 20);
  }
  Prefetch p64 = PrefetchFor(64, false);
  CHECK(p64.queued_min_messages == 1250);
  CHECK(p64.partition_fetch_bytes == 256 << 10);
  // Past the floors each partition keeps a fetch worth its round trip.
  Prefetch p1000 = PrefetchFor(1000, false);
  CHECK(p1000.queued_min_messages == 500);
  CHECK(p1000.partition_fetch_bytes == 64 << 10);
}

TEST_CASE("a stateful stage's partitions share about one partition's prefetch") {
  Prefetch p1 = PrefetchFor(1, true);
  CHECK(p1.queued_min_messages == 5000);
  CHECK(p1.partition_fetch_bytes == 1 << 20);
  Prefetch p4 = PrefetchFor(4, true);
  CHECK(p4.queued_min_messages == 5000);
  CHECK(p4.partition_fetch_bytes == 512 << 10);
  Prefetch p16 = PrefetchFor(16, true);
  CHECK(p16.queued_min_messages == 2000);
  CHECK(p16.partition_fetch_bytes == 128 << 10);
  Prefetch p64 = PrefetchFor(64, true);
  CHECK(p64.queued_min_messages == 500);
  CHECK(p64.partition_fetch_bytes == 64 << 10);
}

TEST_CASE("the share never grows with the partitions, and the total stays within the budget") {
  for (bool stateful : {false, true}) {
    Prefetch before = PrefetchFor(1, stateful);
    for (int n = 2; n <= 4096; ++n) {
      Prefetch p = PrefetchFor(n, stateful);
      CHECK(p.queued_min_messages <= before.queued_min_messages);
      CHECK(p.partition_fetch_bytes <= before.partition_fetch_bytes);
      // Above the floors, all partitions together fetch no more than 16 (stateful: 2) MB a round.
      if (p.partition_fetch_bytes > 64 << 10)
        CHECK(static_cast<long>(p.partition_fetch_bytes) * n <= (stateful ? 2L : 16L) << 20);
      before = p;
    }
  }
}
